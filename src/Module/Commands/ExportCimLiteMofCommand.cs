using System;
using System.IO;
using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Writes the namespace's qualifier declarations and classes (and with -IncludeInstances their instances) as MOF
    /// that Import-CimLiteMof reads back to the same definitions: to a file with -Path, else as a string.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CimLiteMof", SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    public sealed class ExportCimLiteMofCommand : CimLiteCmdlet
    {
        /// <summary>The classes to export (their superclasses come too); default: all.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string[]? ClassName { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Also write the stored instances of the exported classes.</summary>
        [Parameter]
        public SwitchParameter IncludeInstances { get; set; }

        /// <summary>The file to write (replaced when it exists, unless -NoClobber); without it the MOF text is output.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The encoding of the file written with -Path; default utf8 (UTF-8 without a byte order mark).</summary>
        [Parameter]
        [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", "ascii", "unicode", "bigendianunicode", "utf32", "bigendianutf32", "latin1")]
        public string Encoding { get; set; } = "utf8";

        /// <summary>Do not replace an existing file: with -Path naming one, write an error and nothing else.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        internal static System.Text.Encoding ToEncoding(string name)
        {
            switch (name.ToLowerInvariant())
            {
                case "utf8bom": return new System.Text.UTF8Encoding(true);
                case "ascii": return new System.Text.ASCIIEncoding();
                case "unicode": return new System.Text.UnicodeEncoding(false, true);
                case "bigendianunicode": return new System.Text.UnicodeEncoding(true, true);
                case "utf32": return new System.Text.UTF32Encoding(false, true);
                case "bigendianutf32": return new System.Text.UTF32Encoding(true, true);
                case "latin1": return System.Text.Encoding.GetEncoding(28591);
                default: return new System.Text.UTF8Encoding(false);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            var options = new MofExportOptions { Namespace = Namespace, ClassNames = ClassName, IncludeInstances = IncludeInstances };
            string? file = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            if (file != null && NoClobber && File.Exists(file))
            {
                WriteError(new ErrorRecord(new IOException(Strings.FileExistsNoClobber(file)), "CimLite.NoClobber",
                    ErrorCategory.ResourceExists, file));
                return;
            }
            if (file != null && !ShouldProcess(file, Strings.ExportMofAction)) return;
            var encoding = ToEncoding(Encoding);
            ForItem(ClassName == null ? (object?)(Namespace ?? session.DefaultNamespace) : ClassName, () =>
            {
                var text = session.ExportMof(options);
                if (file == null) WriteObject(text);
                else
                {
                    try
                    {
                        // What the encoding cannot hold is escaped (\xHHHH in literals), so the file imports back the same.
                        var escaped = Mof.MofText.EscapeFor(text, encoding);
                        using (var stream = new FileStream(file, NoClobber ? FileMode.CreateNew : FileMode.Create, FileAccess.Write))
                        using (var writer = new StreamWriter(stream, encoding))
                            writer.Write(escaped);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
                    {
                        // A folder, a missing folder, no permission, a bad name: an error naming the file, not a crash.
                        WriteError(new ErrorRecord(new IOException(Strings.CannotWriteFile(file, e.Message), e), "CimLite.CannotWriteFile",
                            ErrorCategory.WriteError, file));
                    }
                }
            });
        }
    }
}
