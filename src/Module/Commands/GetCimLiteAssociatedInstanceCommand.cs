using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Adapters;
using CimLite.Hosting;

namespace CimLite.Commands
{
    /// <summary>
    /// Gets the instances associated with a source instance (CimCmdlets' Get-CimAssociatedInstance, WQL's ASSOCIATORS
    /// OF): the instances at the other ends of every association instance that refers to the source, each once, as
    /// its own class. -Association and -ResultClassName are deep; -Role and -ResultRole name the association's
    /// properties referring to the source and to the result.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteAssociatedInstance", DefaultParameterSetName = nameof(Sets.InputObject))]
    [OutputType(typeof(CimLiteInstance), typeof(CimLiteJob))]
    public sealed class GetCimLiteAssociatedInstanceCommand : CimLiteCmdlet
    {
        private enum Sets { InputObject, Path }

        private readonly List<InstancePath> _jobPaths = new List<InstancePath>();

        /// <summary>The source instance.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [Alias("CimInstance")]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>Paths of source instances, e.g. 'root/cimv2:Disk.DeviceId="C:"'.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Sets.Path))]
        [Alias("__PATH")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only through associations of this class or a subclass.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? Association { get; set; }

        /// <summary>Only results of this class or a subclass.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ResultClassName { get; set; }

        /// <summary>Only associations that refer to the source through this property.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Role { get; set; }

        /// <summary>Only results the association refers to through this property.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResultRole { get; set; }

        /// <summary>Only key properties are filled in.</summary>
        [Parameter]
        public SwitchParameter KeyOnly { get; set; }

        /// <summary>The namespace of relative paths; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Run as a job (semisynchronous): returns a job at once; its output is the associated instances.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        private AssociationFilter Filter() => new AssociationFilter
        {
            AssociationClass = Association,
            ResultClass = ResultClassName,
            Role = Role,
            ResultRole = ResultRole,
            KeysOnly = KeyOnly,
        };

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.InputObject))
            {
                ForItem(InputObject, () => Follow(session, InputObject!.GetPath()));
                return;
            }
            foreach (var text in Path!)
                ForItem(text, () =>
                {
                    var path = InstancePath.Parse(text);
                    if (path.Namespace == null && Namespace != null) path = path.WithNamespace(Namespace);
                    Follow(session, path);
                });
        }

        private void Follow(CimLiteSession session, InstancePath path)
        {
            if (AsJob)
            {
                _jobPaths.Add(path);
                return;
            }
            Call(session, sink =>
            {
                var found = session.GetAssociatedInstances(path, Filter(), new OperationOptions { Sink = sink, CancellationToken = StopToken });
                sink.Flush();
                foreach (var instance in found) WriteObject(InstanceOutput.Wrap(instance, session));
            });
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob || _jobPaths.Count == 0) return;
            var session = ResolvedSession;
            var paths = _jobPaths.ToArray();
            var filter = Filter();
            JobStarter.Start(this, session, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: true, session);
                JobStarter.ForEach(j, session, token, paths, path => path.ToString(), path =>
                {
                    foreach (var instance in session.GetAssociatedInstances(path, filter, new OperationOptions { Sink = sink, CancellationToken = token }))
                        j.Output.Add(InstanceOutput.Wrap(instance, session));
                });
            });
        }
    }
}
