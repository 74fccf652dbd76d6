using System;
using System.IO;
using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Writes a C# source file for a typed provider of a class: a typed instance class per CIM class of its hierarchy,
    /// typed Post/PostIndication helpers, and an abstract method provider with a typed virtual method per CIM method.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CimLiteProviderType", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewCimLiteProviderTypeCommand : CimLiteCmdlet
    {
        /// <summary>The class to generate the provider for (its superclasses get typed classes too).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>The file to write (replaced when it exists).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The namespace of the class; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>The C# namespace of the generated types; default CimLite.Generated.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TypeNamespace { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            var file = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(file, Strings.NewProviderTypeAction(ClassName))) return;
            ForItem(ClassName, () =>
            {
                var text = ProviderTypeGenerator.Generate(session.GetClass(ClassName, Namespace), TypeNamespace);
                try
                {
                    File.WriteAllText(file, text, new System.Text.UTF8Encoding(false));
                    WriteObject(new FileInfo(file));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
                {
                    WriteError(new ErrorRecord(new IOException(Strings.CannotWriteFile(file, e.Message), e), "CimLite.CannotWriteFile", ErrorCategory.WriteError, file));
                }
            });
        }
    }
}
