using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.Tests.Pester;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests;

/// <summary>
/// Runs every tests/Pester/*.Tests.ps1 file with the Pester subset; one theory case per file. The files may set
/// process-wide variables ($env:CIMLITE_BUSY_TIMEOUT in CimLiteReliability.Tests.ps1), so they run in the
/// collection that runs alone.
/// </summary>
[Collection(CimLite.Tests.Commands.DefaultSessionCollection.Name)]
public sealed class PesterFilesTests
{
    public static string RepoRoot => RepositoryPaths.Root;

    public static IEnumerable<object[]> PesterFiles()
    {
        var dir = Path.Combine(RepoRoot, "tests", "Pester");
        return Directory.EnumerateFiles(dir, "*.Tests.ps1")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void PesterFilePasses(string fileName)
    {
        var result = PesterFileRunner.Run(Path.Combine(RepoRoot, "tests", "Pester", fileName), CreateOptions());

        var failed = result.Failed.ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} failing It(s):{Environment.NewLine}{string.Join(Environment.NewLine, failed)}{Environment.NewLine}{Environment.NewLine}{result}");
        Assert.True(result.Passed.Any(), $"No It ran in {fileName}.{Environment.NewLine}{result}");
    }

    /// <summary>
    /// Session preparation shared by all files: CI imports the published module folder (the one the test
    /// build lays out, see <see cref="HostedRunspace.ModuleDirectory"/>) before each file, so the files'
    /// own "import unless loaded" fallback to out/CimLite is not used here.
    /// </summary>
    public static PesterRunOptions CreateOptions()
    {
        var options = new PesterRunOptions();
        options.ModulesToImport.Add(HostedRunspace.ManifestPath);
        return options;
    }

}
