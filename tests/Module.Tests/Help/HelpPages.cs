using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.HelpGen;
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

    public static IEnumerable<object[]> CmdletNames() => CommandPageFiles().Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });
}
