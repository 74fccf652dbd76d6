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

        private readonly List<InstancePath> _jobPaths = new List<InstancePath>();

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

        /// <summary>Run as a job (semisynchronous): returns a job at once; its output is the instances.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.Query) || Filter != null)
            {
                if (AsJob) ThrowConflictingParameters(Query != null ? nameof(Query) : nameof(Filter), nameof(AsJob));
                QueryCommands.Get(this, session, Query, ClassName, Filter, Namespace, Shallow, KeyOnly, StopToken);
                return;
            }
            switch (ParameterSetName)
            {
                case nameof(Sets.ClassName):
                    if (AsJob) return;
                    ForItem(ClassName, () => Call(session, sink =>
                        session.EnumerateInstances(ClassName, sink, Namespace, deep: !Shallow, keysOnly: KeyOnly, StopToken), writeInstances: true));
                    break;
                case nameof(Sets.InputObject):
                    ForItem(InputObject, () => Read(session, InputObject!.GetPath()));
                    break;
                default:
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

        private void Read(CimLiteSession session, InstancePath path)
        {
            if (AsJob)
            {
                _jobPaths.Add(path);
                return;
            }
            Call(session, sink =>
            {
                var instance = session.GetInstance(path, new OperationOptions { Sink = sink, CancellationToken = StopToken });
                sink.Flush();
                WriteObject(InstanceOutput.Wrap(instance, session));
            });
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob) return;
            var session = ResolvedSession;
            var byClass = ParameterSetName == nameof(Sets.ClassName);
            string className = ClassName, ns = Namespace ?? session.DefaultNamespace;
            bool shallow = Shallow, keyOnly = KeyOnly;
            var paths = _jobPaths.ToArray();
            JobStarter.Start(this, session, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: true, session);
                if (byClass)
                {
                    JobStarter.Item(j, session, className, () => session.EnumerateInstances(className, sink, ns, deep: !shallow, keysOnly: keyOnly, token));
                    return;
                }
                JobStarter.ForEach(j, session, token, paths, path => path.ToString(), path =>
                    j.Output.Add(InstanceOutput.Wrap(session.GetInstance(path, new OperationOptions { Sink = sink, CancellationToken = token }), session)));
            });
        }
    }
}
