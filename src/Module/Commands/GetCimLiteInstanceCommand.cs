using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CimLite.Adapters;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Gets instances: of a class (deep by default, streaming, providers included), by path, or re-reads given
    /// instances. With -AsJob the call runs as a job whose output is the instances.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteInstance", DefaultParameterSetName = nameof(Sets.ClassName))]
    [OutputType(typeof(CimLiteInstance), typeof(CimLiteJob))]
    public sealed class GetCimLiteInstanceCommand : CimLiteCmdlet
    {
        private enum Sets { ClassName, InputObject, Path, Query }

        private readonly List<KeyValuePair<CimLiteSession, InstancePath>> _jobPaths = new List<KeyValuePair<CimLiteSession, InstancePath>>();

        /// <summary>The class whose instances to get (its subclasses' too, unless -Shallow).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.ClassName))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
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

        /// <summary>A WQL query: <c>SELECT * | p1, p2 FROM Class [WHERE …]</c> (deep).</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>A WQL condition (a WHERE clause without WHERE) the instances of -ClassName must satisfy.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        public string? Filter { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Only instances of the class itself, not of its subclasses.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        public SwitchParameter Shallow { get; set; }

        /// <summary>Only key properties are filled in.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        public SwitchParameter KeyOnly { get; set; }

        /// <summary>
        /// Only these properties are filled in (the keys always, and the system properties); the others are null
        /// (CimCmdlets' projection; as <c>SELECT p1, p2</c>).
        /// </summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [ValidateNotNull]
        [Alias("SelectProperties")]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public string[]? Property { get; set; }

        /// <summary>
        /// Equality conditions without quoting: name = value pairs that must all hold; an array value means any of its
        /// values, $null means the property is null. The values are bound as parameters (pushed down like -Filter).
        /// </summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? FilterHashtable { get; set; }

        /// <summary>The query language of -Query and -Filter: WQL (the only one; anything else is QUERY_LANGUAGE_NOT_SUPPORTED).</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? QueryDialect { get; set; }

        /// <summary>
        /// A time limit for the operation in seconds, waits for other sessions' locks included (0, the default: none
        /// beyond the session's busy timeout). When it is exceeded the operation fails (FAILED) with a timeout message.
        /// </summary>
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

        /// <summary>Run as a job (semisynchronous): returns a job at once; its output is the instances.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            RefuseUnsupported(nameof(ComputerName), nameof(ResourceUri));
            CheckQueryDialect(QueryDialect);
            if (Filter != null && FilterHashtable != null) ThrowConflictingParameters(nameof(Filter), nameof(FilterHashtable));
            if (AsJob)
            {
                var query = Query != null ? nameof(Query) : Filter != null ? nameof(Filter) : FilterHashtable != null ? nameof(FilterHashtable) : Property != null ? nameof(Property) : null;
                if (query != null) ThrowConflictingParameters(query, nameof(AsJob));
                if (OperationTimeoutSec != 0) ThrowConflictingParameters(nameof(OperationTimeoutSec), nameof(AsJob));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.Query) || Filter != null || FilterHashtable != null || Property != null)
            {
                QueryCommands.Get(this, session, new QueryCommands.Selection
                {
                    Query = Query, ClassName = ClassName, Filter = Filter, Equalities = QueryCommands.Equalities(FilterHashtable), Namespace = Namespace,
                }, Property, Shallow, KeyOnly, OperationTimeoutSec);
                return;
            }
            switch (ParameterSetName)
            {
                case nameof(Sets.ClassName):
                    if (AsJob) return;
                    ForItem(ClassName, () => Call(session, sink => WithinTimeLimit(session, OperationTimeoutSec, token =>
                        session.EnumerateInstances(ClassName, sink, Namespace, deep: !Shallow, keysOnly: KeyOnly, token)), writeInstances: true));
                    break;
                case nameof(Sets.InputObject):
                    ForItem(InputObject, () => Read(session, InputObject!.GetPath()));
                    break;
                default:
                    if (ReadBatch(session)) break;
                    foreach (var text in Path!)
                        ForItem(text, () =>
                        {
                            var path = InstancePath.Parse(text);
                            if (path.Namespace == null && Namespace != null) path = path.WithNamespace(Namespace);
                            Read(session, path);
                        });
                    break;
            }
        }

        /// <summary>
        /// -Path with several paths, no providers, no time limit and no job: one engine call (GetInstances, one read
        /// transaction) instead of one per path; the instances and errors come out in the order of the paths, as the
        /// path-by-path loop writes them. False (nothing done) when a path does not parse: the loop then reports it in
        /// its place.
        /// </summary>
        private bool ReadBatch(CimLiteSession session)
        {
            var texts = Path!;
            if (AsJob || OperationTimeoutSec != 0 || texts.Length < 2 || session.Providers.Registrations.Count != 0) return false;
            var paths = new InstancePath[texts.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                if (!InstancePath.TryParse(texts[i], out var path)) return false;
                paths[i] = path!.Namespace == null && Namespace != null ? path.WithNamespace(Namespace) : path;
            }
            IReadOnlyList<GetResult>? results = null;
            ForItem(texts, () => Call(session, sink => results = session.GetInstances(paths, new OperationOptions { Sink = sink, CancellationToken = StopToken })));
            if (results == null) return true;
            for (int i = 0; i < results.Count; i++)
            {
                var result = results[i];
                if (result.Succeeded) WriteObject(InstanceOutput.Wrap(result.Instance!, session));
                else WriteCimLiteError(result.Error!, texts[i]);
            }
            return true;
        }

        private void Read(CimLiteSession session, InstancePath path)
        {
            if (AsJob)
            {
                _jobPaths.Add(new KeyValuePair<CimLiteSession, InstancePath>(session, path));
                return;
            }
            Call(session, sink =>
            {
                CimLiteInstance? instance = null;
                WithinTimeLimit(session, OperationTimeoutSec, token =>
                    instance = session.GetInstance(path, new OperationOptions { Sink = sink, CancellationToken = token }));
                sink.Flush();
                WriteObject(InstanceOutput.Wrap(instance!, session));
            });
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob) return;
            var byClass = ParameterSetName == nameof(Sets.ClassName);
            // Each path with the session it was resolved in (instances piped from several sessions are read from their own).
            var paths = _jobPaths.ToArray();
            var session = byClass || paths.Length == 0 ? ResolvedSession : paths[0].Key;
            string className = ClassName, ns = Namespace ?? session.DefaultNamespace;
            bool shallow = Shallow, keyOnly = KeyOnly;
            JobStarter.Start(this, session, (j, token) =>
            {
                if (byClass)
                {
                    var sink = new JobSink(j, writeInstances: true, session);
                    JobStarter.Item(j, session, className, () => session.EnumerateInstances(className, sink, ns, deep: !shallow, keysOnly: keyOnly, token));
                    return;
                }
                var sinks = new Dictionary<CimLiteSession, JobSink>();
                JobStarter.ForEach(j, token, paths, path => path.ToString(), (from, path) =>
                {
                    if (!sinks.TryGetValue(from, out var sink)) sinks[from] = sink = new JobSink(j, writeInstances: true, from);
                    j.Output.Add(InstanceOutput.Wrap(from.GetInstance(path, new OperationOptions { Sink = sink, CancellationToken = token }), from));
                });
            });
        }
    }
}
