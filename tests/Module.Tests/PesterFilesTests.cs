using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.Tests.Pester;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests;

/// <summary>
/// Runs every tests/Pester/*.Tests.ps1 file under the real Pester module of each version the test project
/// restores (CimLitePesterVersions: 5.9.1 and 6.2.0), with the published module imported first. One result
/// per It (Pester's own discovery finds them), each file run once per version (see <see cref="RealPester"/>);
/// a failing It fails, a skipped It is skipped. The files run in the collection that runs alone: some are
/// timing-sensitive (busy timeouts) and each run is a separate process.
/// </summary>
[Collection(CimLite.Tests.Commands.DefaultSessionCollection.Name)]
public sealed class PesterFilesTests
{
    [PesterIts]
    public void Pester_It_passes(string version, string file, string it)
    {
        var run = RealPester.RunFile(version, file);
        var matches = run.InFile(file).Where(t => t.Key == it).Select(t => t.Test).ToList();
        Assert.True(matches.Count == 1, $"Pester {version} ran {matches.Count} Its named '{it}' in {file} (discovery found one).{Environment.NewLine}{run}");
        var test = matches[0];
        switch (test.Result)
        {
            case "Passed":
                return;
            case "Skipped":
                throw new PesterSkippedException(string.IsNullOrEmpty(test.Message) ? "skipped by Pester" : test.Message);
            default:
                Assert.Fail(run.Problems.Count == 0
                    ? test.ToString()
                    : $"{test}{Environment.NewLine}{Environment.NewLine}Failures outside Its:{Environment.NewLine}{string.Join(Environment.NewLine, run.Problems)}");
                return;
        }
    }

    public static IEnumerable<object[]> VersionsAndFiles() =>
        RealPester.Versions.SelectMany(v => RealPester.FileNames.Select(f => new object[] { v, f }));

    /// <summary>
    /// What the per-It results cannot show: the file ran under the version it was meant to, nothing failed
    /// outside an It (discovery, BeforeAll, AfterAll), and the Its that ran are the Its discovery found.
    /// </summary>
    [Theory]
    [MemberData(nameof(VersionsAndFiles))]
    public void Pester_file_runs_cleanly(string version, string file)
    {
        var run = RealPester.RunFile(version, file);
        Assert.Equal(version, run.PesterVersion);
        Assert.True(run.Problems.Count == 0, $"Failures outside Its:{Environment.NewLine}{string.Join(Environment.NewLine, run.Problems)}");
        var ran = run.InFile(file).Select(t => t.Key).ToList();
        var discovered = RealPester.Discovery(version).InFile(file).Select(t => t.Key).ToList();
        Assert.Equal(discovered, ran);
        // Every It of a file may be skipped with its reason (a bare clone without the DMTF schema); otherwise one must pass.
        bool allSkipped = ran.Count > 0 && run.InFile(file).All(t => t.Test.Result == "Skipped" && !string.IsNullOrEmpty(t.Test.Message));
        Assert.True(run.Count("Passed") > 0 || allSkipped, $"No It passed in {file}.{Environment.NewLine}{run}");
    }

    /// <summary>
    /// The runner itself: a file with a passing, a failing, a skipped (statically and at run time), a
    /// data-driven and a broken-setup It, and a failing AfterAll is reported as Pester ran it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Versions))]
    public void Runner_reports_passes_failures_skips_and_problems(string version)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cimlite-pester-selftest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "Sample.Tests.ps1");
            File.WriteAllText(file, """
                Describe 'S' {
                    It 'passes' { 1 | Should -Be 1 }
                    It 'fails' { 1 | Should -Be 2 }
                    It 'is skipped' -Skip { throw 'not run' }
                    It 'is skipped at run time' { Set-ItResult -Skipped -Because 'no data'; throw 'not reached' }
                    It 'case <a>' -ForEach @(@{ a = 1 }, @{ a = 2 }) { $a | Should -Be 1 }
                    It 'sees CimLite' { Get-Command New-CimLiteSession | Should -Not -BeNullOrEmpty }
                    Context 'broken' {
                        BeforeAll { throw 'setup exploded' }
                        It 'x' { 1 | Should -Be 1 }
                    }
                    Context 'teardown' {
                        AfterAll { throw 'teardown broke' }
                        It 'y' { 1 | Should -Be 1 }
                    }
                }
                """);
            var run = RealPester.Invoke(version, new[] { file }, HostedRunspace.ManifestPath, discoverOnly: false);

            Assert.Equal(version, run.PesterVersion);
            var results = run.InFile("Sample.Tests.ps1").Select(t => $"{t.Key} | {t.Test.FullName} | {t.Test.Result}").ToList();
            Assert.Equal(
                new[]
                {
                    "S > passes | S > passes | Passed",
                    "S > fails | S > fails | Failed",
                    "S > is skipped | S > is skipped | Skipped",
                    "S > is skipped at run time | S > is skipped at run time | Skipped",
                    "S > case <a> | S > case 1 | Passed",
                    "S > case <a> #2 | S > case 2 | Failed",
                    "S > sees CimLite | S > sees CimLite | Passed",
                    "S > broken > x | S > broken > x | Failed",
                    "S > teardown > y | S > teardown > y | Passed",
                },
                results);
            Assert.StartsWith("Expected 2, but got 1.", run.Tests[1].Message, StringComparison.Ordinal);
            Assert.Contains("no data", run.Tests[3].Message, StringComparison.Ordinal);
            Assert.Contains("setup exploded", run.Tests[7].Message, StringComparison.Ordinal);
            Assert.Contains(run.Problems, p => p.Contains("teardown broke", StringComparison.Ordinal));

            var discovered = RealPester.Invoke(version, new[] { file }, moduleManifest: null, discoverOnly: true);
            Assert.Equal(run.Keys, discovered.Keys);
            Assert.All(discovered.Tests, t => Assert.Equal("NotRun", t.Result));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static IEnumerable<object[]> Versions() => RealPester.Versions.Select(v => new object[] { v });
}
