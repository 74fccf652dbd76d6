using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Opens a repository file (created when missing) or a new in-memory repository.</summary>
    [Cmdlet(VerbsCommon.New, "CimLiteSession", DefaultParameterSetName = nameof(Sets.Path))]
    [OutputType(typeof(CimLiteSession))]
    public sealed class NewCimLiteSessionCommand : PSCmdlet
    {
        private enum Sets { Path, InMemory }

        /// <summary>The repository file.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Open a new, empty repository in memory.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.InMemory))]
        public SwitchParameter InMemory { get; set; }

        /// <summary>Refuse every write with ACCESS_DENIED.</summary>
        [Parameter]
        public SwitchParameter ReadOnly { get; set; }

        /// <summary>The namespace used when a command names none (default root/cimv2).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = CimLiteSession.DefaultNamespaceName;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var options = new CimLiteSessionOptions { ReadOnly = ReadOnly, DefaultNamespace = Namespace };
            try
            {
                var session = InMemory
                    ? CimLiteSession.OpenInMemory(options)
                    : CimLiteSession.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), options);
                SessionRegistry.Track(session);
                WriteObject(session);
            }
            catch (CimLiteException e)
            {
                ThrowTerminatingError(Errors.ErrorRecordFactory.Create(e, Path));
            }
        }
    }
}
