using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Text;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>
    /// A PowerShell runspace (InitialSessionState.CreateDefault2 of the PowerShell SDK: all of pwsh's
    /// built-in modules, Format-*, Out-String and the rest) with the published CimLite module
    /// imported from <c>&lt;test output&gt;/CimLite/CimLite.psd1</c>. One per test; dispose it.
    /// </summary>
    public sealed class HostedRunspace : IDisposable
    {
        private readonly Runspace runspace;

        /// <summary>
        /// Opens a runspace and, unless <paramref name="importModule"/> is false, imports CimLite. With a
        /// <paramref name="host"/> (e.g. a <see cref="TextHost"/>) the runspace writes to that host's screen.
        /// </summary>
        public HostedRunspace(bool importModule = true, PSHost? host = null)
        {
            InitialSessionState iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();

            if (importModule)
            {
                HostedResult result = Invoke(
                    "Import-Module -Name $CimLiteManifestPath -PassThru -ErrorAction Stop",
                    new Hashtable { ["CimLiteManifestPath"] = ManifestPath });
                result.ThrowIfErrors();
                Module = (PSModuleInfo)result.Output.Single().BaseObject;
            }
        }

        /// <summary>The published module folder this test run imports.</summary>
        public static string ModuleDirectory => Path.Combine(AppContext.BaseDirectory, "CimLite");

        /// <summary>The module manifest inside <see cref="ModuleDirectory"/>.</summary>
        public static string ManifestPath => Path.Combine(ModuleDirectory, "CimLite.psd1");

        /// <summary>The imported module, or null when constructed without importing.</summary>
        public PSModuleInfo? Module { get; }

        /// <summary>The underlying runspace, for tests that need more than scripts.</summary>
        public Runspace Runspace => runspace;

        /// <summary>
        /// Runs <paramref name="script"/> after setting <paramref name="variables"/> as global variables.
        /// Non-terminating errors are collected in the result; a terminating error is thrown
        /// (usually a <see cref="RuntimeException"/> carrying its ErrorRecord).
        /// </summary>
        public HostedResult Invoke(string script, IDictionary? variables = null)
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            if (variables != null)
            {
                foreach (DictionaryEntry entry in variables)
                {
                    runspace.SessionStateProxy.SetVariable((string)entry.Key, entry.Value);
                }
            }

            ps.AddScript(script);
            Collection<PSObject> output = ps.Invoke();
            return new HostedResult(
                output,
                ps.Streams.Error.ToList(),
                ps.Streams.Warning.Select(w => w.Message).ToList(),
                ps.Streams.Verbose.Select(v => v.Message).ToList(),
                ps.Streams.Progress.ToList());
        }

        /// <summary>
        /// Runs <paramref name="script"/> as a console does: its output piped to <c>Out-Default</c>, which
        /// formats it (default views) onto the runspace's host, with warning, verbose and information
        /// records merged into that output so they show where they happened. Errors are collected in the
        /// result, not shown. Meant for a runspace opened with a <see cref="TextHost"/>.
        /// </summary>
        public HostedResult InvokeToHost(string script)
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Warning, PipelineResultTypes.Output);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Verbose, PipelineResultTypes.Output);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Information, PipelineResultTypes.Output);
            ps.AddCommand("Out-Default");
            Collection<PSObject> output = ps.Invoke();
            return new HostedResult(
                output,
                ps.Streams.Error.ToList(),
                ps.Streams.Warning.Select(w => w.Message).ToList(),
                ps.Streams.Verbose.Select(v => v.Message).ToList(),
                ps.Streams.Progress.ToList());
        }

        /// <summary>
        /// Runs a script that must fail, and returns its (first) error: the ErrorRecord of a terminating
        /// error, or else the first non-terminating one. Throws when the script succeeds.
        /// </summary>
        public ErrorRecord InvokeExpectingError(string script, IDictionary? variables = null)
        {
            HostedResult result;
            try
            {
                result = Invoke(script, variables);
            }
            catch (RuntimeException ex)
            {
                return ex.ErrorRecord;
            }

            if (result.Errors.Count > 0)
            {
                return result.Errors[0];
            }

            throw new InvalidOperationException("The script was expected to fail but succeeded: " + script);
        }

        /// <inheritdoc />
        public void Dispose() => runspace.Dispose();
    }

    /// <summary>What a script run in a <see cref="HostedRunspace"/> produced.</summary>
    public sealed class HostedResult
    {
        internal HostedResult(Collection<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<string> warnings, IReadOnlyList<string> verbose,
            IReadOnlyList<ProgressRecord>? progress = null)
        {
            Progress = progress ?? new List<ProgressRecord>();
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
        }

        /// <summary>The objects written to the output stream.</summary>
        public Collection<PSObject> Output { get; }

        /// <summary>The non-terminating errors written.</summary>
        public IReadOnlyList<ErrorRecord> Errors { get; }

        /// <summary>Warning messages written.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>Verbose messages written (only those the preference let through).</summary>
        public IReadOnlyList<string> Verbose { get; }

        /// <summary>Progress records written.</summary>
        public IReadOnlyList<ProgressRecord> Progress { get; }

        /// <summary>True when any error was written.</summary>
        public bool HadErrors => Errors.Count > 0;

        /// <summary>The base objects of the output, for convenient assertions.</summary>
        public IReadOnlyList<object?> Values => Output.Select(o => o?.BaseObject).ToList();

        /// <summary>Throws an exception listing the errors, if any were written.</summary>
        public HostedResult ThrowIfErrors()
        {
            if (Errors.Count > 0)
            {
                var text = new StringBuilder("The script wrote errors:");
                foreach (ErrorRecord error in Errors)
                {
                    text.AppendLine().Append("  ").Append(error.FullyQualifiedErrorId).Append(": ").Append(error.Exception?.Message);
                }

                throw new InvalidOperationException(text.ToString(), Errors[0].Exception);
            }

            return this;
        }
    }
}
