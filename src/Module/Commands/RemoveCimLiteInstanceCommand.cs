using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Removes instances given as objects or paths.</summary>
    [Cmdlet(VerbsCommon.Remove, "CimLiteInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = nameof(Sets.InputObject))]
    [OutputType(typeof(void))]
    public sealed class RemoveCimLiteInstanceCommand : CimLiteCmdlet
    {
        private enum Sets { InputObject, Path }

        /// <summary>The instances to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>Paths of the instances to remove.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The namespace for relative paths; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.InputObject))
            {
                ForItem(InputObject, () =>
                {
                    var path = InputObject!.GetPath();
                    if (ShouldProcess(path.ToString(), Strings.RemoveInstanceAction)) session.DeleteInstance(path);
                });
                return;
            }
            foreach (var text in Path!)
                ForItem(text, () =>
                {
                    var path = InstancePath.Parse(text);
                    if (path.Namespace == null) path = path.WithNamespace(Namespace ?? session.DefaultNamespace);
                    if (ShouldProcess(path.ToString(), Strings.RemoveInstanceAction)) session.DeleteInstance(path);
                });
        }
    }
}
