using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.RegularExpressions;
using CimLite.Shell.Host;

namespace CimLite.Shell
{
    /// <summary>Runs command text or script files in a runspace with CimLite imported.</summary>
    internal sealed class ShellRunner : IDisposable
    {
        private static readonly Regex ParameterToken = new Regex(@"^-[\p{L}_][\p{L}\p{N}_]*:?$", RegexOptions.CultureInvariant);

        private readonly CimLiteHost host;
        private readonly Runspace runspace;

        private ShellRunner(CimLiteHost host, Runspace runspace)
        {
            this.host = host;
            this.runspace = runspace;
        }

        public static int RunCommand(string text) => WithRunner(runner => runner.Execute(text, setStatusFromLastCommand: true));

        public static int RunFile(string path, IReadOnlyList<string> arguments)
        {
            string fullPath = Path.GetFullPath(path);
            if (!File.Exists(fullPath))
            {
                Console.Error.WriteLine("The argument '" + path + "' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
                return Program.ExitBadArguments;
            }

            return WithRunner(runner => runner.ExecuteFile(fullPath, arguments));
        }

        public static int RunInteractive() => WithRunner(runner => runner.Repl());

        public void Dispose() => runspace.Dispose();

        private static int WithRunner(Func<ShellRunner, int> action)
        {
            ShellRunner? runner;
            try
            {
                runner = Create();
            }
            catch (RuntimeException ex)
            {
                WriteError(ex.ErrorRecord, terminating: true);
                return Program.ExitFailure;
            }

            using (runner)
            {
                return action(runner);
            }
        }

        private static ShellRunner Create()
        {
            var host = new CimLiteHost();
            InitialSessionState iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            iss.ThrowOnRunspaceOpenError = true;

            Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
            try
            {
                runspace.Open();
                // CimLite.psd1 and its .ps1xml files are copied beside the shell from the module project.
                // Imported like a user would, so the manifest (RequiredAssemblies, type and format data) is
                // processed exactly as in pwsh.
                using (var import = PowerShell.Create())
                {
                    import.Runspace = runspace;
                    import.AddCommand("Import-Module").AddParameter("Name", Path.Combine(AppContext.BaseDirectory, "CimLite.psd1")).AddParameter("ErrorAction", "Stop");
                    import.Invoke();
                }
            }
            catch
            {
                runspace.Dispose();
                throw;
            }

            return new ShellRunner(host, runspace);
        }

        /// <summary>
        /// Runs a script file like <c>pwsh -File</c>: arguments that look like <c>-Name</c> bind as
        /// parameter names, the rest positionally; <c>exit N</c> ends the process with N. The file is
        /// invoked as a script block parsed from the file, so $PSScriptRoot and $PSCommandPath work and
        /// <c>exit</c> reaches the host instead of only ending the script.
        /// </summary>
        private int ExecuteFile(string fullPath, IReadOnlyList<string> arguments)
        {
            ScriptBlockAst ast = Parser.ParseFile(fullPath, out _, out ParseError[] parseErrors);
            if (parseErrors.Length > 0)
            {
                foreach (ParseError error in parseErrors)
                {
                    Console.Error.WriteLine(fullPath + ":" + error.Extent.StartLineNumber + ":" + error.Extent.StartColumnNumber + ": " + error.Message + " (" + error.ErrorId + ")");
                }

                return Program.ExitFailure;
            }

            var invocation = new StringBuilder("& $__cimliteScript");
            for (int i = 0; i < arguments.Count; i++)
            {
                invocation.Append(' ');
                invocation.Append(ParameterToken.IsMatch(arguments[i]) ? arguments[i] : "$__cimliteArgs[" + i + "]");
            }

            runspace.SessionStateProxy.SetVariable("__cimliteScript", ast.GetScriptBlock());
            runspace.SessionStateProxy.SetVariable("__cimliteArgs", arguments.ToArray());
            return Execute(invocation.ToString(), setStatusFromLastCommand: false);
        }

        private int Repl()
        {
            int code = Program.ExitSuccess;
            bool interactive = !Console.IsInputRedirected;
            while (true)
            {
                if (interactive)
                {
                    Console.Out.Write("CimLite> ");
                }

                string? line = Console.In.ReadLine();
                if (line == null)
                {
                    return code;
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }

                code = Execute(line, setStatusFromLastCommand: true);
                if (host.ShouldExit)
                {
                    return host.ExitCode;
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="script"/> piped to Out-Default, printing errors to stderr as they happen.
        /// Returns the process exit code this run implies.
        /// </summary>
        private int Execute(string script, bool setStatusFromLastCommand)
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            // The trailing statement records $? after the user's last command, as pwsh -Command reports it.
            string text = setStatusFromLastCommand ? script + "\n$global:__cimliteLastStatus = $?" : script;
            runspace.SessionStateProxy.SetVariable("global:__cimliteLastStatus", true);
            ps.AddScript(text).AddCommand("Out-Default");
            ps.Streams.Error.DataAdded += (sender, e) =>
            {
                var errors = (PSDataCollection<ErrorRecord>)sender!;
                WriteError(errors[e.Index], terminating: false);
            };

            try
            {
                ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                if (host.ShouldExit)
                {
                    return host.ExitCode;
                }

                WriteError(ex.ErrorRecord, terminating: true);
                return Program.ExitFailure;
            }

            if (host.ShouldExit)
            {
                return host.ExitCode;
            }

            if (setStatusFromLastCommand && !LastCommandSucceeded())
            {
                return Program.ExitFailure;
            }

            return Program.ExitSuccess;
        }

        /// <summary>The value of <c>$?</c> after the user's last command (recorded by <see cref="Execute"/>).</summary>
        private bool LastCommandSucceeded() =>
            runspace.SessionStateProxy.GetVariable("global:__cimliteLastStatus") is not false;

        private static void WriteError(ErrorRecord error, bool terminating)
        {
            var text = new StringBuilder();
            string? command = error.InvocationInfo?.MyCommand?.Name;
            if (!string.IsNullOrEmpty(command) && !terminating)
            {
                text.Append(command).Append(": ");
            }

            text.Append(error.ErrorDetails?.Message ?? error.Exception?.Message ?? error.ToString());
            if (terminating && error.InvocationInfo?.PositionMessage is { Length: > 0 } position)
            {
                text.AppendLine().Append(position);
            }

            text.AppendLine().Append("  FullyQualifiedErrorId: ").Append(error.FullyQualifiedErrorId);
            Console.Out.Flush();
            Console.Error.WriteLine(text.ToString());
        }
    }
}
