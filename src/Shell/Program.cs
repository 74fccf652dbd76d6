using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell;

namespace CimLite.Shell
{
    /// <summary>
    /// cimlite: pwsh's own console (Microsoft.PowerShell.ConsoleHost) on the full PowerShell SDK, with the
    /// CimLite module imported at start. The command line, prompt, formatting, exit codes and error output
    /// are pwsh's; the only addition is the line editor of <see cref="LineEditor"/> when PSReadLine is missing.
    /// </summary>
    internal static class Program
    {
        private const string Banner =
            "CimLite shell: PowerShell {0} with the CimLite module loaded. Get-Help about_CimLite to start.";

        /// <summary>The synopsis above pwsh's own description of each parameter in <c>cimlite -Help</c>.</summary>
        private const string Usage = """
            cimlite: PowerShell with the CimLite module loaded. The command line is pwsh's.

            Usage: cimlite [[-File] <script.ps1> [args]]
                           [-Command { - | <script-block> [-args <arg-array>] | <string> [<CommandParameters>] }]
                           [-NoProfile] [-NoExit] [-NoLogo] [-NonInteractive] [-WorkingDirectory <directory>]
                           [-ExecutionPolicy <policy>] [-InputFormat {Text | XML}] [-OutputFormat {Text | XML}]
                           [-EncodedCommand <base64>] [-Version]
                   cimlite -h | -Help | -? | /?

            Without -File or -Command: an interactive prompt (Tab completes, Up/Down recall history).
            Where the text below says pwsh, read cimlite.
            """;

        /// <summary>Set to 1, cimlite starts without importing its module (to import another build of it by hand).</summary>
        internal const string NoImportVariable = "CIMLITE_SHELL_NOIMPORT";

        /// <summary>A private function the session runs once at start (then removes): see <see cref="StartupScript"/>.</summary>
        private const string StartupFunction = "Initialize-CimLiteShell";

        private static int Main(string[] args)
        {
            InitialSessionState iss = InitialSessionState.CreateDefault2();
            // No ExecutionPolicy here: the console applies pwsh's own (-ExecutionPolicy, the registry on
            // Windows), and setting it on the session state throws PlatformNotSupportedException on Linux.
            //
            // The module is imported by a startup command, not InitialSessionState.ImportPSModule: when the
            // console's attempt to add PSReadLine fails it opens the session again with the module list cleared
            // (7.6.10 keeps a live view of the list it clears), and the session would come up without CimLite.
            string? manifest = Environment.GetEnvironmentVariable(NoImportVariable) == "1"
                ? null
                : Path.Combine(AppContext.BaseDirectory, "Modules", "CimLite", "CimLite.psd1");
            iss.Commands.Add(new SessionStateFunctionEntry(StartupFunction, StartupScript(manifest))
            {
                Visibility = SessionStateEntryVisibility.Private,
            });
            iss.StartupScripts.Add(StartupFunction);

            string version = typeof(PSObject).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                is [System.Reflection.AssemblyInformationalVersionAttribute info, ..]
                ? info.InformationalVersion.Split('+', ' ')[0]
                : "7";
            return ConsoleShell.Start(iss, string.Format(CultureInfo.InvariantCulture, Banner, version), Usage, args);
        }

        /// <summary>
        /// Imports the module folder published beside the shell (Modules/CimLite/) like a user would, so the
        /// manifest (RequiredAssemblies, type and format data), the module's native SQLite resolver and its help
        /// work exactly as in pwsh (unless <see cref="NoImportVariable"/> is 1), and
        /// gives the console a line editor when no PSReadLine defined one. A module that does not load is
        /// reported on the error stream; the shell still starts.
        /// </summary>
        private static string StartupScript(string? manifest)
        {
            string import = string.Empty;
            if (manifest != null)
            {
                string quoted = "'" + manifest.Replace("'", "''", StringComparison.Ordinal) + "'";
                import = $$"""
                    try {
                        Import-Module -Name {{quoted}} -Global -ErrorAction Stop
                    }
                    catch {
                        $Host.UI.WriteErrorLine("cimlite: the CimLite module could not be imported from " + {{quoted}} + ": " + $_.Exception.Message)
                    }

                    """;
            }

            return import + $$"""
                if (-not (Get-Command -Name {{LineEditor.FunctionName}} -CommandType Function -ErrorAction Ignore)) {
                    # The console reads interactive lines with this function when it exists (PSReadLine defines it).
                    function global:{{LineEditor.FunctionName}} {
                        $line = [CimLite.Shell.LineEditor]::ReadLine()
                        if ($null -ne $line) { $line }
                    }
                }
                Remove-Item -LiteralPath Function:\{{StartupFunction}}
                """;
        }
    }
}
