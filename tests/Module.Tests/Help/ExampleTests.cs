using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.HelpGen;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Help;

/// <summary>
/// Every ```powershell block of the help runs and shows what the page says it shows.
/// <para>
/// A page (a cmdlet's EXAMPLES, or all of an about page) runs in one fresh runspace, its blocks in page
/// order (a later example may use what an earlier one made, as a reader would), the current folder a new
/// temporary one. Each block runs as a console runs a command line: piped to Out-Default, formatted with
/// the module's views onto a <see cref="TextHost"/> of <see cref="ConsoleWidth"/> columns (warning and
/// verbose messages and -WhatIf lines included). The ```output (or ```text) blocks that follow a
/// ```powershell block, up to the next one, are what it must show; a block followed by none must show
/// nothing. Compared are the lines with trailing spaces removed, without leading and trailing blank lines;
/// in an output block <see cref="FolderPlaceholder"/> stands for the current folder.
/// </para>
/// A block whose first line starts with <see cref="HelpPages.NotRunMarker"/> is neither run nor compared;
/// keep those few.
/// </summary>
public class ExampleTests
{
    /// <summary>The console width the documented output is formatted for.</summary>
    public const int ConsoleWidth = 120;

    /// <summary>Written in an output block where the real output has the current (temporary) folder's path.</summary>
    public const string FolderPlaceholder = "<folder>";

    [Theory]
    [MemberData(nameof(HelpPages.CmdletNames), MemberType = typeof(HelpPages))]
    public void Examples_run_and_show_the_documented_output(string cmdlet)
    {
        var page = HelpPages.Read(cmdlet);
        var ran = RunPage(cmdlet, page.Examples);
        Assert.True(ran >= 1, cmdlet + ": no example ran");
    }

    [Theory]
    [MemberData(nameof(HelpPages.AboutTopicNames), MemberType = typeof(HelpPages))]
    public void About_page_examples_run_and_show_the_documented_output(string topic)
    {
        var examples = HelpPages.ReadAboutExamples(topic);
        var ran = RunPage(topic, examples);
        Assert.True(ran >= 1, topic + ": no example ran");
    }

    [Fact]
    public void A_wrong_or_missing_output_block_fails_and_a_right_one_passes()
    {
        static List<ExampleHelp> Page(params CodeHelp[] code)
        {
            var example = new ExampleHelp { Title = "Example 1: self-test" };
            example.Code.AddRange(code);
            return new List<ExampleHelp> { example };
        }

        static CodeHelp Ps(string text) => new CodeHelp { Language = "powershell", Text = text };
        static CodeHelp Output(string text) => new CodeHelp { Language = "output", Text = text };

        const string Script = "$s = New-CimLiteSession -InMemory\n$s";
        var table = "Path     DefaultNamespace ReadOnly Closed\n----     ---------------- -------- ------\n:memory: root/cimv2       False    False";

        Assert.Equal(1, RunPage("self-test", Page(Ps(Script), Output(table))));
        Assert.Equal(1, RunPage("self-test", Page(Ps(Script), Output("\n" + table.Replace("\n", "   \n") + "\n\n"))));
        Assert.Throws<Xunit.Sdk.XunitException>(() => RunPage("self-test", Page(Ps(Script), Output(table.Replace("root/cimv2      ", "root/other      ")))));
        Assert.Throws<Xunit.Sdk.XunitException>(() => RunPage("self-test", Page(Ps(Script))));
        Assert.Throws<Xunit.Sdk.XunitException>(() => RunPage("self-test", Page(Ps("$null = 1"), Output("1"))));
        Assert.Throws<Xunit.Sdk.XunitException>(() => RunPage("self-test", Page(Ps("Get-CimLiteClass -Session (New-CimLiteSession -InMemory) -ClassName Missing"))));
        Assert.Equal(1, RunPage("self-test", Page(Ps("[System.IO.Path]::Combine($PWD.Path, 'x.mof')"), Output(FolderPlaceholder + "/x.mof"))));
    }

    /// <summary>
    /// Runs a page's examples as described on the class, throwing an <see cref="Xunit.Sdk.XunitException"/>
    /// that names the page, example and block when a block fails or shows other than its output blocks.
    /// Returns how many blocks ran.
    /// </summary>
    internal static int RunPage(string pageName, IReadOnlyList<ExampleHelp> examples)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cimlite-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var screen = new TextHost(ConsoleWidth);
            using var host = new HostedRunspace(host: screen);
            // Examples must not depend on (or touch) the per-user repository.
            host.Runspace.SessionStateProxy.Path.SetLocation(folder);
            int ran = 0;
            var mismatches = new List<string>();
            foreach (var example in examples)
            {
                foreach (var (code, outputs) in Blocks(example))
                {
                    if (code.Text.TrimStart().StartsWith(HelpPages.NotRunMarker, StringComparison.Ordinal))
                        continue;
                    screen.Clear();
                    try
                    {
                        host.InvokeToHost(code.Text).ThrowIfErrors();
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"{pageName}, {example.Title} failed: {e.Message}\n{code.Text}");
                    }

                    ran++;
                    var expected = Normalize(string.Join("\n", outputs.Select(o => o.Text)), folder: null);
                    var actual = Normalize(screen.Text, folder);
                    if (expected != actual)
                    {
                        mismatches.Add($"{pageName}, {example.Title}:\n{code.Text}\n--- documented output ---\n{expected}\n--- real output ({ConsoleWidth} columns) ---\n{actual}\n---");
                    }
                }
            }

            if (mismatches.Count > 0)
                throw new Xunit.Sdk.XunitException(string.Join("\n", mismatches));

            var opened = host.Invoke("Get-CimLiteSession | ForEach-Object { $_.Path }").ThrowIfErrors().Values.Select(v => v?.ToString() ?? "").ToList();
            Assert.DoesNotContain(opened, p => p.Replace('\\', '/').EndsWith("CimLite/repository.db", StringComparison.OrdinalIgnoreCase));
            return ran;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An example's ```powershell blocks, each with the output blocks after it (before the next one).</summary>
    private static List<(CodeHelp Code, List<CodeHelp> Outputs)> Blocks(ExampleHelp example)
    {
        var blocks = new List<(CodeHelp, List<CodeHelp>)>();
        foreach (var code in example.Code)
        {
            if (code.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase))
                blocks.Add((code, new List<CodeHelp>()));
            else if (HelpPages.IsOutput(code) && blocks.Count > 0)
                blocks[^1].Item2.Add(code);
        }

        return blocks;
    }

    /// <summary>Lines without trailing spaces, no leading or trailing blank lines, the folder as <see cref="FolderPlaceholder"/>.</summary>
    private static string Normalize(string text, string? folder)
    {
        text = text.Replace("\r\n", "\n");
        if (folder != null)
        {
            text = text.Replace(folder + Path.DirectorySeparatorChar, FolderPlaceholder + "/").Replace(folder, FolderPlaceholder);
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines);
    }
}
