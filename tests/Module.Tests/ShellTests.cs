using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests
{
    /// <summary>Runs the built <c>cimlite</c> shell (src/Shell) as a child process.</summary>
    public sealed class ShellTests
    {
        [Fact]
        public void Command_WritesFormattedResult()
        {
            ShellResult result = Run("-Command", "1+1");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("2", result.StdOut.Trim());
            Assert.Equal(string.Empty, result.StdErr);
        }

        [Fact]
        public void Command_JoinsRemainingArguments()
        {
            ShellResult result = Run("-c", "20", "+", "22");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("42", result.StdOut.Trim());
        }

        [Fact]
        public void Command_TerminatingError_ExitsWithOne()
        {
            ShellResult result = Run("-Command", "throw 'boom-x'");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("boom-x", result.StdErr);
            Assert.Contains("FullyQualifiedErrorId", result.StdErr);
            Assert.DoesNotContain("boom-x", result.StdOut);
        }

        [Fact]
        public void Command_FailedLastCommand_ExitsWithOne_ButEarlierErrorsDoNot()
        {
            ShellResult failed = Run("-Command", "Get-Command No-SuchCommandHere");
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("No-SuchCommandHere", failed.StdErr);

            ShellResult recovered = Run("-Command", "Get-Command No-SuchCommandHere; 'ok'");
            Assert.Equal(0, recovered.ExitCode);
            Assert.Equal("ok", recovered.StdOut.Trim());
            Assert.Contains("No-SuchCommandHere", recovered.StdErr);
        }

        [Fact]
        public void Command_Exit_SetsExitCode()
        {
            Assert.Equal(3, Run("-Command", "exit 3").ExitCode);
        }

        [Fact]
        public void File_GetsArguments_AndPSScriptRoot()
        {
            string dir = NewTempDirectory();
            string script = Path.Combine(dir, "args.ps1");
            File.WriteAllText(script, "param($First, $Second, [switch]$Loud)\n\"$First|$Second|$Loud\"\n$PSScriptRoot\n$PSCommandPath\n$args.Count\n");
            try
            {
                ShellResult result = Run("-File", script, "one", "-Loud", "two");
                Assert.Equal(0, result.ExitCode);
                string[] lines = Lines(result.StdOut);
                Assert.Equal(new[] { "one|two|True", dir, script, "0" }, lines);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void File_Exit_SetsExitCode_AndThrowExitsWithOne()
        {
            string dir = NewTempDirectory();
            try
            {
                string exits = Path.Combine(dir, "exits.ps1");
                File.WriteAllText(exits, "'before'\nif ($true) { exit 3 }\n'after'\n");
                ShellResult result = Run("-File", exits);
                Assert.Equal(3, result.ExitCode);
                Assert.Equal(new[] { "before" }, Lines(result.StdOut));

                string throws = Path.Combine(dir, "throws.ps1");
                File.WriteAllText(throws, "throw 'script-failed'\n");
                ShellResult thrown = Run(throws);
                Assert.Equal(1, thrown.ExitCode);
                Assert.Contains("script-failed", thrown.StdErr);

                // Like pwsh -File: a non-terminating error alone does not change the exit code.
                string writes = Path.Combine(dir, "writes.ps1");
                File.WriteAllText(writes, "Get-Command No-SuchCommandHere\n");
                Assert.Equal(0, Run("-File", writes).ExitCode);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void File_Missing_IsAnArgumentError()
        {
            ShellResult result = Run("-File", Path.Combine(Path.GetTempPath(), "cimlite-no-such-script.ps1"));
            Assert.Equal(64, result.ExitCode);
            Assert.Contains("not recognized", result.StdErr);
        }

        [Fact]
        public void Help_PrintsUsage()
        {
            ShellResult result = Run("-Help");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("-Command", result.StdOut);
            Assert.Contains("-File", result.StdOut);
        }

        [Fact]
        public void Stdin_RunsLineByLine()
        {
            ShellResult result = Run(new[] { "-NoProfile" }, stdin: "1+2\n'x' * 2\nexit 4\n'never'\n");
            Assert.Equal(4, result.ExitCode);
            Assert.Equal(new[] { "3", "xx" }, Lines(result.StdOut));
        }

        [Fact]
        public void CimLite_IsPreloaded_AndSqliteWorks()
        {
            ShellResult result = Run("-Command", @"
                (Get-Module CimLite).Name
                $null = [System.Reflection.Assembly]::Load('Microsoft.Data.Sqlite')
                $c = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=:memory:')
                $c.Open(); $cmd = $c.CreateCommand(); $cmd.CommandText = 'select 6*7'; $cmd.ExecuteScalar(); $c.Dispose()");
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Equal(new[] { "CimLite", "42" }, Lines(result.StdOut));
        }

        [Fact]
        public void Output_IsPlainTextWhenRedirected()
        {
            ShellResult result = Run("-Command", "[pscustomobject]@{ Name = 'a'; Size = 1 }");
            Assert.Equal(0, result.ExitCode);
            Assert.False(result.StdOut.Contains('\u001b', StringComparison.Ordinal), "escape sequences in redirected output");
            Assert.Contains("Name", result.StdOut);
        }

        [Fact]
        public void Get_help_in_the_shell_shows_the_generated_help()
        {
            ShellResult result = Run("-Command", "Get-Help Set-CimLiteInstance; Get-Help about_CimLite | ForEach-Object { $_.Substring(0, 40) }");
            Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
            Assert.Contains("SYNOPSIS", result.StdOut);
            Assert.Contains("PutInstance", result.StdOut);
            Assert.Contains("about_CimLite", result.StdOut);
        }

        [Fact]
        public void Quickstart_runs_twice_on_a_fresh_repository_and_shows_the_put_rules()
        {
            // The README's first command, against a repository of its own instead of the user's.
            string dir = NewTempDirectory();
            string repository = Path.Combine(dir, "sub", "repository.db");
            string script = Path.Combine(RepositoryPaths.Root, "samples", "quickstart.ps1");
            var environment = new Dictionary<string, string> { ["CIMLITE_REPOSITORY"] = repository };
            try
            {
                for (int run = 1; run <= 2; run++)
                {
                    ShellResult result = Run(new[] { "-File", script }, stdin: null, environment);
                    Assert.True(result.ExitCode == 0, $"run {run}: exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
                    Assert.Equal(string.Empty, result.StdErr.Trim());
                    Assert.Contains("Repository: " + repository, result.StdOut);
                    Assert.Contains("refused: AlreadyExists (CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand)", result.StdOut);
                    Assert.Contains("refused: NotFound (CimLite.NotFound,", result.StdOut);
                    Assert.Contains("refused: InvalidOperation (CimLite.InvalidOperation,", result.StdOut);
                    Assert.Contains("refused: TypeMismatch (CimLite.TypeMismatch,", result.StdOut);
                    Assert.Contains("refused: IllegalNull (CimLite.IllegalNull,", result.StdOut);
                    Assert.Contains("D: Caption=Backup Size=1099511627776", result.StdOut);
                    Assert.Contains("stored size after put:  549755813888", result.StdOut);
                    Assert.Contains("deep    QS_LogicalDevice: QS_Disk.DeviceID=\"C:\", QS_NetworkAdapter.DeviceID=\"eth0\", QS_NetworkAdapter.DeviceID=\"D:\"", result.StdOut);
                    Assert.DoesNotContain("unexpected", result.StdOut);
                    Assert.True(File.Exists(repository));
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }


        private static string[] Lines(string text) =>
            text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

        private static string NewTempDirectory()
        {
            string dir = Path.Combine(Path.GetTempPath(), "cimlite-shell-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return Path.GetFullPath(dir);
        }

        private static ShellResult Run(params string[] args) => Run(args, stdin: null);

        private static ShellResult Run(string[] args, string? stdin, IDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            start.ArgumentList.Add(ShellPath);
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["NO_COLOR"] = "1";
            if (environment != null)
            {
                foreach (KeyValuePair<string, string> pair in environment)
                {
                    start.Environment[pair.Key] = pair.Value;
                }
            }
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start cimlite");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (stdin != null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("cimlite did not finish: " + string.Join(" ", args));
            }

            process.WaitForExit();
            return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
        }

        /// <summary>cimlite.dll of src/Shell, as the build of this project found it (see the .csproj).</summary>
        internal static string ShellPath
        {
            get
            {
                string? path = typeof(ShellTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .FirstOrDefault(a => a.Key == "CimLiteShellPath")?.Value;
                Assert.False(string.IsNullOrEmpty(path), "CimLiteShellPath metadata missing");
                Assert.True(File.Exists(path), "cimlite not built at " + path);
                return path!;
            }
        }

        internal static string DotnetHost()
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            // <dotnet root>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet root>/dotnet
            string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
            string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
            string candidate = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", exe));
            return File.Exists(candidate) ? candidate : exe;
        }

        private sealed record ShellResult(int ExitCode, string StdOut, string StdErr);
    }
}
