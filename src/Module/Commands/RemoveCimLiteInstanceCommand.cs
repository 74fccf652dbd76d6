using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Removes instances given as objects or paths; the providers of their classes are called top-down first.</summary>
    [Cmdlet(VerbsCommon.Remove, "CimLiteInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = nameof(Sets.InputObject))]
    [OutputType(typeof(void), typeof(CimLiteJob))]
    public sealed class RemoveCimLiteInstanceCommand : CimLiteCmdlet
    {
        private enum Sets { InputObject, Path, Query, Filter }

        private readonly List<InstancePath> _jobPaths = new List<InstancePath>();

        /// <summary>The instances to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>Paths of the instances to remove.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>A WQL query: every instance it selects is removed (ShouldProcess per instance).</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>With -Filter: the class whose matching instances (subclasses' too) are removed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Filter))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ClassName { get; set; }

        /// <summary>A WQL condition (a WHERE clause without WHERE) selecting the instances of -ClassName to remove.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Filter))]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>The namespace for relative paths; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [Parameter(ParameterSetName = nameof(Sets.Filter))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Also remove every association instance that refers to a removed instance, in the same transaction.</summary>
        [Parameter]
        public SwitchParameter IncludeAssociations { get; set; }

        /// <summary>Run as a job (semisynchronous): returns a job at once; its output is the removed paths.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.Query) || ParameterSetName == nameof(Sets.Filter))
            {
                var target = (object?)Query ?? Filter;
                List<InstancePath>? paths = null;
                ForItem(target, () => paths = QueryCommands.Paths(session, Query, ClassName, Filter, Namespace));
                if (paths == null) return;
                foreach (var found in paths) ForItem(found.ToString(), () => Remove(session, found));
                return;
            }
            if (ParameterSetName == nameof(Sets.InputObject))
            {
                ForItem(InputObject, () => Remove(session, InputObject!.GetPath()));
                return;
            }
            foreach (var text in Path!)
                ForItem(text, () =>
                {
                    var path = InstancePath.Parse(text);
                    if (path.Namespace == null) path = path.WithNamespace(Namespace ?? session.DefaultNamespace);
                    Remove(session, path);
                });
        }

        private void Remove(CimLiteSession session, InstancePath path)
        {
            if (!ShouldProcess(path.ToString(), Strings.RemoveInstanceAction)) return;
            if (AsJob)
            {
                _jobPaths.Add(path);
                return;
            }
            Call(session, sink => session.DeleteInstance(path, new DeleteOptions { Sink = sink, IncludeAssociations = IncludeAssociations }));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob || _jobPaths.Count == 0) return;
            var session = ResolvedSession;
            var paths = _jobPaths.ToArray();
            bool includeAssociations = IncludeAssociations;
            JobStarter.Start(this, session, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: false);
                JobStarter.ForEach(j, session, token, paths, path => path.ToString(), path =>
                {
                    session.DeleteInstance(path, new DeleteOptions { Sink = sink, CancellationToken = token, IncludeAssociations = includeAssociations });
                    j.Output.Add(new PSObject(path.ToString()));
                });
            });
        }
    }
}
