using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Errors;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Compiles MOF files and imports their qualifier declarations, classes and instances as one transaction:
    /// an error anywhere imports nothing and names the file, line and column.
    /// </summary>
    [Cmdlet(VerbsData.Import, "CimLiteMof", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Path")]
    [OutputType(typeof(MofImportResult))]
    public sealed class ImportCimLiteMofCommand : CimLiteCmdlet
    {
        private readonly List<string> _paths = new List<string>();

        /// <summary>The MOF files (wildcards allowed); their #pragma include files come too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Path")]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        /// <summary>The MOF files, taken exactly as written (no wildcards); their #pragma include files come too.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>The namespace declarations go to (until a #pragma namespace); default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Replace existing classes and qualifier declarations that differ.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// The encoding of files that have no byte-order mark (default utf8). Bytes not valid in it are an error naming
        /// the file, line and column; a byte-order mark always decides.
        /// </summary>
        [Parameter]
        [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", "ascii", "unicode", "bigendianunicode", "utf32", "bigendianutf32", "latin1")]
        public string? Encoding { get; set; }
        /// <summary>The largest MOF file read (the files named and every included one), in bytes; default 256 MiB.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaxFileSize { get; set; } = MofImportOptions.DefaultMaxFileSize;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == "LiteralPath")
            {
                foreach (var p in LiteralPath)
                {
                    var file = GetUnresolvedProviderPathFromPSPath(p);
                    if (System.IO.File.Exists(file)) _paths.Add(file);
                    else WriteError(new ErrorRecord(new ItemNotFoundException(Strings.FileNotFound(file)), "CimLite.NotFound",
                        ErrorCategory.ObjectNotFound, p));
                }
                return;
            }
            foreach (var p in Path)
            {
                try
                {
                    foreach (var resolved in GetResolvedProviderPathFromPSPath(p, out _)) _paths.Add(resolved);
                }
                catch (ItemNotFoundException e)
                {
                    WriteError(new ErrorRecord(e, "CimLite.NotFound", ErrorCategory.ObjectNotFound, p));
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_paths.Count == 0) return;
            var session = ResolvedSession;
            var ns = Namespace ?? session.DefaultNamespace;
            bool whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
            bool go = ShouldProcess(string.Join(", ", _paths), Strings.ImportMofAction(ns, Force));
            if (!go && !whatIf) return;

            int top = 0, parsed = 0;
            var topLevel = new HashSet<string>(_paths, System.StringComparer.Ordinal);
            var options = new MofImportOptions
            {
                Namespace = Namespace,
                Force = Force,
                MaxFileSize = MaxFileSize,
                WhatIf = !go,
                Encoding = Encoding == null ? null : ExportCimLiteMofCommand.ToEncoding(Encoding),
                FileStarted = file =>
                {
                    parsed++;
                    if (topLevel.Contains(file)) top++;
                    WriteProgress(new ProgressRecord(1, Strings.ImportMofActivity, Strings.ImportMofFile(parsed, file))
                    {
                        PercentComplete = System.Math.Min(99, System.Math.Max(0, top - 1) * 100 / _paths.Count),
                    });
                },
            };
            try
            {
                MofImportResult result;
                lock (SessionGate.Of(session)) result = session.ImportMof(_paths, options);
                foreach (var w in result.Warnings) WriteWarning(w);
                if (go) WriteObject(result);
            }
            catch (CimLiteException e)
            {
                var record = ErrorRecordFactory.Create(e, e.SourceFile ?? string.Join(", ", _paths));
                if (e.SourceFile != null)
                    record.CategoryInfo.TargetName = e.SourceLine > 0 ? e.SourceFile + "(" + e.SourceLine + "," + e.SourceColumn + ")" : e.SourceFile;
                WriteError(record);
            }
            finally
            {
                WriteProgress(new ProgressRecord(1, Strings.ImportMofActivity, Strings.ImportMofDone) { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
