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

        /// <summary>The file to write (replaced when it exists); without it the MOF text is output.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            var options = new MofExportOptions { Namespace = Namespace, ClassNames = ClassName, IncludeInstances = IncludeInstances };
            string? file = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            if (file != null && !ShouldProcess(file, Strings.ExportMofAction)) return;
            ForItem(ClassName == null ? (object?)(Namespace ?? session.DefaultNamespace) : ClassName, () =>
            {
                var text = session.ExportMof(options);
                if (file == null) WriteObject(text);
                else File.WriteAllText(file, text, new System.Text.UTF8Encoding(false));
            });
        }
    }
}
