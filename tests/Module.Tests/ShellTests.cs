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
            Assert.DoesNotContain("boom-x", result.StdOut);

            // pwsh's error views: NormalView names the FullyQualifiedErrorId.
            ShellResult normal = Run("-Command", "$ErrorView = 'NormalView'; throw 'boom-y'");
            Assert.Equal(1, normal.ExitCode);
            Assert.Contains("FullyQualifiedErrorId : boom-y", normal.StdErr);
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
            Assert.Contains("Usage: cimlite", result.StdOut);
            Assert.Contains("-Command", result.StdOut);
            Assert.Contains("-File", result.StdOut);
            Assert.Contains("-NoExit", result.StdOut);
        }

        [Fact]
        public void UnknownOption_IsAnArgumentError()
        {
            ShellResult result = Run("-NoSuchOption");
            Assert.Equal(64, result.ExitCode);
            Assert.Contains("-NoSuchOption", result.StdErr);
        }

        [Fact]
        public void Stdin_RunsLineByLine()
        {
            // pwsh's -Command -: one command per line from standard input, exit N ends the process.
            ShellResult result = Run(new[] { "-NoProfile", "-Command", "-" }, stdin: "1+2\n'x' * 2\nexit 4\n'never'\n");
            Assert.Equal(4, result.ExitCode);
            Assert.Equal(new[] { "3", "xx" }, Lines(WithoutTerminalControls(result.StdOut)));
        }

        [Fact]
        public void Command_HasTheWholeSdk_FormatAndConvertCmdlets()
        {
            ShellResult result = Run("-Command", @"
                $s = New-CimLiteSession -InMemory
                $null = New-CimLiteClass -Session $s -ClassName Disk -Key DeviceId -Property @{ DeviceId = 'string'; Size = 'uint64' }
                Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 5 }
                Get-CimLiteInstance -Session $s -ClassName Disk | Select-Object DeviceId, Size | ConvertTo-Json -Compress
                Get-CimLiteClass -Session $s | Format-List ClassName, @{ Name = 'Key'; Expression = { $_.KeyProperties.Name } } | Out-String -Width 80");
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Equal(string.Empty, result.StdErr);
            string[] lines = Lines(result.StdOut);
            Assert.Equal("{\"DeviceId\":\"C:\",\"Size\":5}", lines[0]);
            Assert.Equal(new[] { "ClassName : Disk", "Key       : DeviceId" }, lines.Skip(1).ToArray());
        }

        [Fact]
        public void NoImportVariable_starts_pwsh_without_the_module()
        {
            var environment = new Dictionary<string, string> { ["CIMLITE_SHELL_NOIMPORT"] = "1" };
            ShellResult result = Run(new[] { "-NoProfile", "-Command", "@(Get-Module CimLite).Count; (Get-Command PSConsoleHostReadLine).CommandType" }, stdin: null, environment);
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Equal(new[] { "0", "Function" }, Lines(result.StdOut));
        }

        [Fact]
        public void CimLite_IsPreloaded_AndSqliteWorks()
        {
            // The module comes from the folder published beside the shell; its first session loads its SQLite.
            ShellResult result = Run("-Command", @"
                (Get-Module CimLite).Name
                (Get-Module CimLite).ModuleBase
                Remove-CimLiteSession (New-CimLiteSession -InMemory)
                [Microsoft.Data.Sqlite.SqliteConnection].Assembly.Location
                $c = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=:memory:')
                $c.Open(); $cmd = $c.CreateCommand(); $cmd.CommandText = 'select 6*7'; $cmd.ExecuteScalar(); $c.Dispose()");
            Assert.True(result.ExitCode == 0, result.StdErr);
            string moduleBase = Path.Combine(Path.GetDirectoryName(ShellPath)!, "Modules", "CimLite");
            Assert.Equal(new[] { "CimLite", moduleBase, Path.Combine(moduleBase, "Microsoft.Data.Sqlite.dll"), "42" }, Lines(result.StdOut));
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
                    AssertQuickstartOutput(result.StdOut, repository);
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }


        [Fact]
        public void Published_module_imported_afresh_in_cimlite_loads_its_sqlite_views_help_and_runs_the_quickstart()
        {
            // cimlite without its own copy of the module (CIMLITE_SHELL_NOIMPORT), so everything below comes from
            // the module folder this test project published: pwsh's host importing a module folder like a user.
            string dir = NewTempDirectory();
            string repository = Path.Combine(dir, "repository.db");
            string moduleDirectory = HostedRunspace.ModuleDirectory;
            string script = Path.Combine(dir, "published.ps1");
            File.WriteAllText(script, @"
param([string] $Manifest, [string] $Quickstart)
$ErrorActionPreference = 'Stop'
'preloaded=' + @(Get-Module CimLite).Count + ',' + @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'CimLite', 'CimLite.Engine' }).Count
Import-Module $Manifest -Force
'module=' + (Get-Module CimLite).ModuleBase
'assembly=' + (Get-Command Get-CimLiteInstance).ImplementingType.Assembly.Location
$s = New-CimLiteSession -InMemory
$null = New-CimLiteClass -Session $s -ClassName QS_Disk -Key DeviceID -Property @{ DeviceID = 'string'; Size = 'uint64' }
Set-CimLiteInstance -Session $s -ClassName QS_Disk -Property @{ DeviceID = 'C:'; Size = 256GB }
'sqlite=' + ([System.Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -like '*e_sqlite3*' | Select-Object -First 1).FileName
Get-CimLiteInstance -Session $s -ClassName QS_Disk | Format-Table | Out-String -Width 100
Get-CimLiteClass -Session $s | Format-Table | Out-String -Width 120
'synopsis=' + (Get-Help Set-CimLiteInstance).Synopsis
'about=' + ((Get-Help about_CimLite | Out-String) -match 'portable CIM object manager')
Remove-CimLiteSession $s
& $Quickstart
");
            var environment = new Dictionary<string, string> { ["CIMLITE_SHELL_NOIMPORT"] = "1", ["CIMLITE_REPOSITORY"] = repository };
            string quickstart = Path.Combine(RepositoryPaths.Root, "samples", "quickstart.ps1");
            try
            {
                ShellResult result = Run(new[] { "-NoProfile", "-File", script, "-Manifest", HostedRunspace.ManifestPath, "-Quickstart", quickstart }, stdin: null, environment);
                Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
                Assert.Equal(string.Empty, result.StdErr.Trim());
                string[] lines = Lines(result.StdOut).Select(l => l.TrimEnd()).ToArray();
                Assert.Equal("preloaded=0,0", lines[0]);
                Assert.Equal("module=" + moduleDirectory, lines[1]);
                Assert.Equal("assembly=" + Path.Combine(moduleDirectory, "CimLite.dll"), lines[2]);
                Assert.StartsWith("sqlite=" + Path.Combine(moduleDirectory, "runtimes") + Path.DirectorySeparatorChar, lines[3]);

                // The type file's adapter shows CIM properties as columns; the format file's class view has its own.
                Assert.Equal(new[] { "DeviceID         Size", "--------         ----", "C:       274877906944" }, lines.Skip(4).Take(3).ToArray());
                // CimLite.Format.ps1xml's class table: columns of 28, 24, 24 and 8.
                string Row(string name, string superclass, string key, string isAbstract, string properties) =>
                    (name.PadRight(29) + superclass.PadRight(25) + key.PadRight(25) + isAbstract.PadRight(9) + properties).TrimEnd();
                Assert.Equal(
                    new[] { Row("ClassName", "Superclass", "Key", "Abstract", "Properties"), Row("---------", "----------", "---", "--------", "----------"), Row("QS_Disk", string.Empty, "DeviceID", "False", "DeviceID, Size") },
                    lines.Skip(7).Take(3).ToArray());
                Assert.Equal("synopsis=Puts CIM instances with WMI's PutInstance rules: create or update, create only, update only, or a partial update.", lines[10]);
                Assert.Equal("about=True", lines[11]);
                AssertQuickstartOutput(result.StdOut, repository);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        /// <summary>What samples/quickstart.ps1 must print: each PutInstance rule refusing what WMI refuses.</summary>
        private static void AssertQuickstartOutput(string stdout, string repository)
        {
            Assert.Contains("Repository: " + repository, stdout);
            Assert.Contains("__CLASS           DeviceID Caption          Size Tags        Speed", stdout);
            Assert.Contains("QS_Disk           C:       System   274877906944 {ssd, boot}", stdout);
            Assert.Contains("refused: AlreadyExists (CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand)", stdout);
            Assert.Contains("refused: NotFound (CimLite.NotFound,", stdout);
            Assert.Contains("refused: InvalidOperation (CimLite.InvalidOperation,", stdout);
            Assert.Contains("refused: TypeMismatch (CimLite.TypeMismatch,", stdout);
            Assert.Contains("refused: IllegalNull (CimLite.IllegalNull,", stdout);
            Assert.Contains("D: Caption=Backup Size=1099511627776", stdout);
            Assert.Contains("stored size after put:  549755813888", stdout);
            Assert.Contains("deep    QS_LogicalDevice: QS_Disk.DeviceID=\"C:\", QS_NetworkAdapter.DeviceID=\"eth0\", QS_NetworkAdapter.DeviceID=\"D:\"", stdout);
            Assert.DoesNotContain("unexpected", stdout);
            Assert.True(File.Exists(repository));
        }

        /// <summary>Drops the terminal mode switches (ESC [ ? … h/l) .NET's console writes around reading a line.</summary>
        private static string WithoutTerminalControls(string text) =>
            System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[\\?[0-9;]*[hl]", string.Empty);

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
