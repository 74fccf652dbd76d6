using System;
using System.Collections;
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
        private enum Sets { InputObject, Path, Query, Filter, FilterHashtable }

        private readonly List<KeyValuePair<CimLiteSession, InstancePath>> _jobPaths = new List<KeyValuePair<CimLiteSession, InstancePath>>();

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

        /// <summary>With -Filter or -FilterHashtable: the class whose matching instances (subclasses' too) are removed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Filter))]
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.FilterHashtable))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ClassName { get; set; }

        /// <summary>A WQL condition (a WHERE clause without WHERE) selecting the instances of -ClassName to remove.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Filter))]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>
        /// Equality conditions without quoting, selecting the instances of -ClassName to remove: name = value pairs that
        /// must all hold; an array value means any of its values, $null means the property is null.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.FilterHashtable))]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? FilterHashtable { get; set; }

        /// <summary>The query language of -Query and -Filter: WQL (the only one; anything else is QUERY_LANGUAGE_NOT_SUPPORTED).</summary>
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [Parameter(ParameterSetName = nameof(Sets.Filter))]
        [ValidateNotNullOrEmpty]
        public string? QueryDialect { get; set; }

        /// <summary>A time limit in seconds for each removal (and for the query selecting them), waits for locks included; 0: none.</summary>
        [Parameter]
        [Alias("OT")]
        public uint OperationTimeoutSec { get; set; }

        /// <summary>Accepted for CimCmdlets' calls, refused: CimLite has no remote computers (NOT_SUPPORTED).</summary>
        [Parameter]
        [Alias("CN", "ServerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>Accepted for CimCmdlets' calls, refused: CimLite has no resource URIs (NOT_SUPPORTED).</summary>
        [Parameter]
        public Uri? ResourceUri { get; set; }

        /// <summary>The namespace for relative paths; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [Parameter(ParameterSetName = nameof(Sets.Filter))]
        [Parameter(ParameterSetName = nameof(Sets.FilterHashtable))]
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
        protected override void BeginProcessing()
        {
            RefuseUnsupported(nameof(ComputerName), nameof(ResourceUri));
            CheckQueryDialect(QueryDialect);
            if (AsJob && OperationTimeoutSec != 0) ThrowConflictingParameters(nameof(OperationTimeoutSec), nameof(AsJob));
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.Query) || ParameterSetName == nameof(Sets.Filter) || ParameterSetName == nameof(Sets.FilterHashtable))
            {
                var selection = new QueryCommands.Selection
                {
                    Query = Query, ClassName = ClassName, Filter = Filter, Equalities = QueryCommands.Equalities(FilterHashtable), Namespace = Namespace,
                };
                List<InstancePath>? paths = null;
                ForItem(selection.Target, () => WithinTimeLimit(session, OperationTimeoutSec, _ => paths = QueryCommands.Paths(session, selection)));
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
                _jobPaths.Add(new KeyValuePair<CimLiteSession, InstancePath>(session, path));
                return;
            }
            Call(session, sink => WithinTimeLimit(session, OperationTimeoutSec, token =>
                session.DeleteInstance(path, new DeleteOptions { Sink = sink, CancellationToken = token, IncludeAssociations = IncludeAssociations })));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob || _jobPaths.Count == 0) return;
            // Each path with the session it was resolved in (instances piped from several sessions delete in their own).
            var paths = _jobPaths.ToArray();
            bool includeAssociations = IncludeAssociations;
            JobStarter.Start(this, paths[0].Key, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: false);
                JobStarter.ForEach(j, token, paths, path => path.ToString(), (session, path) =>
                {
                    session.DeleteInstance(path, new DeleteOptions { Sink = sink, CancellationToken = token, IncludeAssociations = includeAssociations });
                    j.Output.Add(new PSObject(path.ToString()));
                });
            });
        }
    }
}
