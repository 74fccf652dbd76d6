using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.HelpGen;
using Markdig;
using Markdig.Syntax;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Help;

/// <summary>The markdown help pages in docs/help, read with HelpGen's PlatyPS reader.</summary>
internal static class HelpPages
{
    /// <summary>A code block whose first line starts with this is shown in the docs but not run by <see cref="ExampleTests"/>.</summary>
    public const string NotRunMarker = "# Not run by the docs tests:";

    public static string RepositoryRoot() => RepositoryPaths.Root;

    public static string Folder => Path.Combine(RepositoryRoot(), "docs", "help");

    public static IEnumerable<string> CommandPageFiles() =>
        Directory.GetFiles(Folder, "*.md")
            .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal);

    public static CommandHelp Read(string cmdlet) => CommandHelp.Parse(Path.Combine(Folder, cmdlet + ".md"));

    /// <summary>Languages of the fenced blocks that show an example's output (as HelpGen and PlatyPS read them).</summary>
    public static bool IsOutput(CodeHelp code) =>
        code.Language.Equals("output", StringComparison.OrdinalIgnoreCase) || code.Language.Equals("text", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<object[]> AboutTopicNames() =>
        Directory.GetFiles(Folder, "about_*.md").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    /// <summary>
    /// An about page's examples: each ```powershell block, with the ```output (or ```text) blocks that
    /// follow it before the next ```powershell block, titled by the heading above it.
    /// </summary>
    public static List<ExampleHelp> ReadAboutExamples(string topic)
    {
        var markdown = File.ReadAllText(Path.Combine(Folder, topic + ".md")).Replace("\r\n", "\n");
        var examples = new List<ExampleHelp>();
        string heading = topic;
        ExampleHelp? current = null;
        foreach (var block in Markdown.Parse(markdown, new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build()))
        {
            if (block is HeadingBlock h)
            {
                heading = h.Inline?.FirstChild?.ToString() ?? heading;
                current = null;
            }
            else if (block is FencedCodeBlock code)
            {
                var item = new CodeHelp { Language = (code.Info ?? "").Trim(), Text = code.Lines.ToString().Replace("\r\n", "\n").TrimEnd('\n') };
                if (item.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase))
                {
                    current = new ExampleHelp { Title = heading + ", block " + (examples.Count(e => e.Title.StartsWith(heading + ", block ", StringComparison.Ordinal)) + 1) };
                    examples.Add(current);
                }

                current?.Code.Add(item);
            }
        }

        return examples;
    }

    public static IEnumerable<object[]> CmdletNames() => CommandPageFiles().Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });
}
