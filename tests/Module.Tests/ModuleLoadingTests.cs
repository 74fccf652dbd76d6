using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests
{
    /// <summary>
    /// The published module folder is complete and loads on its own: assemblies and the native SQLite
    /// come from the folder, not from this test project (which references neither).
    /// </summary>
    public sealed class ModuleLoadingTests
    {
        private static readonly string[] NativeFiles =
        {
            "runtimes/linux-x64/native/libe_sqlite3.so",
            "runtimes/linux-arm64/native/libe_sqlite3.so",
            "runtimes/osx-x64/native/libe_sqlite3.dylib",
            "runtimes/osx-arm64/native/libe_sqlite3.dylib",
            "runtimes/win-x64/native/e_sqlite3.dll",
            "runtimes/win-arm64/native/e_sqlite3.dll",
        };

        private static readonly string[] ManagedFiles =
        {
            "CimLite.psd1",
            "CimLite.Format.ps1xml",
            "CimLite.dll",
            "CimLite.Engine.dll",
            "Microsoft.Data.Sqlite.dll",
            "SQLitePCLRaw.core.dll",
            "SQLitePCLRaw.batteries_v2.dll",
            "SQLitePCLRaw.provider.e_sqlite3.dll",
            // Needed by the netstandard2.0 assemblies on .NET Framework 4.7.2 (Windows PowerShell 5.1).
            "System.Memory.dll",
            "System.Buffers.dll",
            "System.Runtime.CompilerServices.Unsafe.dll",
            "System.Numerics.Vectors.dll",
        };

        [Fact]
        public void PublishedFolder_HasNativeSqliteForSixPlatforms()
        {
            foreach (string relative in NativeFiles)
            {
                string path = Path.Combine(HostedRunspace.ModuleDirectory, relative);
                Assert.True(File.Exists(path), "missing " + path);
                Assert.True(new FileInfo(path).Length > 100_000, "suspiciously small " + path);
            }

            // Exactly those six: nothing for other platforms, nothing flat beside the assemblies.
            string[] natives = Directory.GetFiles(Path.Combine(HostedRunspace.ModuleDirectory, "runtimes"), "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(HostedRunspace.ModuleDirectory, p).Replace('\\', '/'))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToArray();
            Assert.Equal(NativeFiles.OrderBy(p => p, StringComparer.Ordinal), natives);
            Assert.DoesNotContain(
                Directory.GetFiles(HostedRunspace.ModuleDirectory),
                p => p.EndsWith(".so", StringComparison.Ordinal) || p.EndsWith(".dylib", StringComparison.Ordinal) || Path.GetFileName(p) == "e_sqlite3.dll");
        }

        [Fact]
        public void PublishedFolder_HasManagedDependenciesAndNoSymbols()
        {
            foreach (string file in ManagedFiles)
            {
                Assert.True(File.Exists(Path.Combine(HostedRunspace.ModuleDirectory, file)), "missing " + file);
            }

            Assert.Empty(Directory.GetFiles(HostedRunspace.ModuleDirectory, "*.pdb"));
            Assert.Empty(Directory.GetFiles(HostedRunspace.ModuleDirectory, "*.deps.json"));
            Assert.False(File.Exists(Path.Combine(HostedRunspace.ModuleDirectory, "System.Management.Automation.dll")), "the host provides SMA");
        }

        [Fact]
        public void TestProject_DoesNotCarrySqliteItself()
        {
            // The proof below is only worth something if SQLite cannot come from anywhere but the module.
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Microsoft.Data.Sqlite.dll")));
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "CimLite.Engine.dll")));
            Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"))
                && Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), "*sqlite*").Length > 0);
        }

        [Fact]
        public void ImportModule_Succeeds()
        {
            using var host = new HostedRunspace();
            Assert.NotNull(host.Module);
            Assert.Equal("CimLite", host.Module!.Name);
            Assert.Equal(new Version(0, 1, 0), host.Module.Version);
            Assert.Equal(
                Path.GetFullPath(HostedRunspace.ModuleDirectory).TrimEnd(Path.DirectorySeparatorChar),
                Path.GetFullPath(host.Module.ModuleBase).TrimEnd(Path.DirectorySeparatorChar));

            HostedResult loaded = host.Invoke("(Get-Module CimLite).Name").ThrowIfErrors();
            Assert.Equal("CimLite", Assert.Single(loaded.Values));
        }

        [Fact]
        public void Manifest_IsValid()
        {
            using var host = new HostedRunspace(importModule: false);
            HostedResult result = host.Invoke(
                "Test-ModuleManifest -Path $p -ErrorAction Continue",
                new Hashtable { ["p"] = HostedRunspace.ManifestPath });
            Assert.Empty(result.Errors);
            var info = (PSModuleInfo)Assert.Single(result.Output).BaseObject;
            Assert.Equal("CimLite", info.Name);
            Assert.Equal("CimLite.dll", Path.GetFileName(info.RootModule));
            Assert.Contains("CimLite.Format.ps1xml", info.ExportedFormatFiles.Select(Path.GetFileName));
            string[] declared = ManifestCmdlets(host);
            Assert.All(declared, name => Assert.Matches("^[A-Z][a-z]+-CimLite[A-Z][A-Za-z]+$", name));
            Assert.Equal(declared.Length, declared.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Contains("Set-CimLiteInstance", declared);
        }

        [Fact]
        public void ExportedCmdlets_AreAllDeclaredInTheManifest()
        {
            using var host = new HostedRunspace();
            string[] declared = ManifestCmdlets(host);
            string[] exported = ExportedCmdlets(host);
            Assert.All(exported, name => Assert.Contains(name, declared));
        }

        [Fact]
        public void ExportedCmdlets_MatchTheManifestExactly()
        {
            using var host = new HostedRunspace();
            Assert.Equal(ManifestCmdlets(host), ExportedCmdlets(host));
        }

        [Fact]
        public void NativeSqlite_LoadsFromModuleFolder_InHostedRunspace()
        {
            // Works without any cmdlet. Load Microsoft.Data.Sqlite from the module folder the way
            // PowerShell loads CimLite.dll (LoadFrom), so its SQLitePCLRaw dependencies resolve from the
            // folder as the engine's will; then open an in-memory database and ask for the version. The
            // native e_sqlite3 can only come from runtimes/<rid>/native/ through ModuleInitializer.
            // (Assembly.Load by name would fail: PowerShell 7 resolves a module's dependencies only for
            // requests made by assemblies loaded from the module folder.)
            using var host = new HostedRunspace();
            HostedResult result = host.Invoke(@"
                $base = (Get-Module CimLite).ModuleBase
                $asm = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($base, 'Microsoft.Data.Sqlite.dll'))
                $connectionType = $asm.GetType('Microsoft.Data.Sqlite.SqliteConnection', $true)
                $connection = $connectionType::new('Data Source=:memory:')
                try {
                    $connection.Open()
                    $command = $connection.CreateCommand()
                    $command.CommandText = 'select sqlite_version()'
                    $command.ExecuteScalar()
                }
                finally { $connection.Dispose() }
                $asm.Location
                [SQLitePCL.raw].Assembly.Location
                [SQLitePCL.raw]::GetNativeLibraryName()
            ").ThrowIfErrors();

            Assert.Equal(4, result.Output.Count);
            Assert.Matches(@"^3\.\d+\.\d+$", (string)result.Output[0].BaseObject);
            string moduleDirectory = Path.GetFullPath(HostedRunspace.ModuleDirectory);
            Assert.StartsWith(moduleDirectory, (string)result.Output[1].BaseObject);
            Assert.StartsWith(moduleDirectory, (string)result.Output[2].BaseObject);
            Assert.Equal("e_sqlite3", (string)result.Output[3].BaseObject);

            if (OperatingSystem.IsLinux())
            {
                // The process mapped exactly the native library of the module folder.
                string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
                string expected = Path.Combine(moduleDirectory, "runtimes", rid, "native", "libe_sqlite3.so");
                string maps = File.ReadAllText("/proc/self/maps");
                Assert.Contains(expected, maps);
            }
        }

        [Fact]
        public void NewCimLiteSession_InMemory_Works()
        {
            using var host = new HostedRunspace();
            HostedResult result = host.Invoke("$s = New-CimLiteSession -InMemory; $s; Remove-CimLiteSession -Session $s").ThrowIfErrors();
            Assert.NotNull(Assert.Single(result.Output));
        }

        private static string[] ManifestCmdlets(HostedRunspace host)
        {
            // Import-PowerShellDataFile lives in Microsoft.PowerShell.Utility, which the SMA package
            // lacks; a restricted-language data section evaluates the manifest just as safely.
            HostedResult result = host.Invoke(
                "$text = [System.IO.File]::ReadAllText($p); $sb = [scriptblock]::Create($text); $sb.CheckRestrictedLanguage($null, $null, $false); (& $sb).CmdletsToExport",
                new Hashtable { ["p"] = HostedRunspace.ManifestPath }).ThrowIfErrors();
            return result.Values.Cast<string>().OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        }

        private static string[] ExportedCmdlets(HostedRunspace host)
        {
            HostedResult result = host.Invoke("Get-Command -Module CimLite -CommandType Cmdlet | ForEach-Object Name").ThrowIfErrors();
            return result.Values.Cast<string>().OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        }
    }
}
