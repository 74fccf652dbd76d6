using System.Management.Automation;
using CimLite.Adapters;

namespace CimLite.Commands
{
    /// <summary>Gets instances: of a class (deep by default, streaming), by path, or re-reads given instances.</summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteInstance", DefaultParameterSetName = nameof(Sets.ClassName))]
    [OutputType(typeof(CimLiteInstance))]
    public sealed class GetCimLiteInstanceCommand : CimLiteCmdlet
    {
        private enum Sets { ClassName, InputObject, Path }

        /// <summary>The class whose instances to get (its subclasses' too, unless -Shallow).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.ClassName))]
        [ValidateNotNullOrEmpty]
        public string ClassName { get; set; } = "";

        /// <summary>Instances to read again from the repository.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>Instance paths, e.g. 'root/cimv2:Disk.DeviceId="C:"'.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Sets.Path))]
        [Alias("__PATH")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        /// <summary>Only instances of the class itself, not of its subclasses.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        public SwitchParameter Shallow { get; set; }

        /// <summary>Only key properties are filled in.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        public SwitchParameter KeyOnly { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            switch (ParameterSetName)
            {
                case nameof(Sets.ClassName):
                    ForItem(ClassName, () =>
                    {
                        foreach (var instance in session.EnumerateInstances(ClassName, Namespace, deep: !Shallow, keysOnly: KeyOnly))
                            WriteObject(InstanceOutput.Wrap(instance));
                    });
                    break;
                case nameof(Sets.InputObject):
                    ForItem(InputObject, () => WriteObject(InstanceOutput.Wrap(session.GetInstance(InputObject!.GetPath()))));
                    break;
                default:
                    foreach (var text in Path!)
                        ForItem(text, () =>
                        {
                            var path = InstancePath.Parse(text);
                            if (path.Namespace == null && Namespace != null) path = path.WithNamespace(Namespace);
                            WriteObject(InstanceOutput.Wrap(session.GetInstance(path)));
                        });
                    break;
            }
        }
    }
}
