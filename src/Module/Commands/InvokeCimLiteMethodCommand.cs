using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Hosting;

namespace CimLite.Commands
{
    /// <summary>
    /// Calls a method of a class (static methods, -ClassName) or of instances (-InputObject, -Path, or every instance
    /// a -Query selects), as Invoke-CimMethod does. Writes one result per call: ReturnValue, every Out parameter,
    /// MethodName and __PATH.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CimLiteMethod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = nameof(Sets.ClassName))]
    [OutputType(typeof(PSObject), typeof(CimLiteJob))]
    public sealed class InvokeCimLiteMethodCommand : CimLiteCmdlet
    {
        private enum Sets { ClassName, InputObject, Path, Query }

        private readonly List<MethodCall> _jobCalls = new List<MethodCall>();

        /// <summary>The class whose static method is called.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.ClassName))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ClassName { get; set; }

        /// <summary>The instances whose method is called.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>Paths of the instances whose method is called.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>A WQL query: the method is called on every instance it selects, one result each.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>The method to call.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string MethodName { get; set; } = "";

        /// <summary>The In arguments: parameter name = value (converted to the parameter's CIM type).</summary>
        [Parameter(Position = 2)]
        public IDictionary? Arguments { get; set; }

        /// <summary>The namespace of -ClassName, of relative paths and of -Query; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Run as a job: returns a job at once; its output is the results.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        /// <summary>One call: an instance path, or a class for a static method.</summary>
        private sealed class MethodCall
        {
            public MethodCall(InstancePath? path, string? className, string? ns) { Path = path; ClassName = className; Namespace = ns; }
            public InstancePath? Path { get; }
            public string? ClassName { get; }
            public string? Namespace { get; }
            public string Target(CimLiteSession session) => Path?.ToString() ?? (Namespace ?? session.DefaultNamespace) + ":" + ClassName;
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            switch (ParameterSetName)
            {
                case nameof(Sets.ClassName):
                    Invoke(session, new MethodCall(null, ClassName, Namespace));
                    return;
                case nameof(Sets.InputObject):
                    ForItem(InputObject, () => Invoke(session, new MethodCall(InputObject!.GetPath(), null, null)));
                    return;
                case nameof(Sets.Query):
                    List<InstancePath>? paths = null;
                    ForItem(Query, () => paths = QueryCommands.Selected(session, new QueryCommands.Selection { Query = Query, Namespace = Namespace }).ConvertAll(i => i.GetPath()));
                    if (paths == null) return;
                    foreach (var found in paths) Invoke(session, new MethodCall(found, null, null));
                    return;
                default:
                    foreach (var text in Path!)
                    {
                        InstancePath? path = null;
                        ForItem(text, () =>
                        {
                            path = InstancePath.Parse(text);
                            if (path.Namespace == null) path = path.WithNamespace(Namespace ?? session.DefaultNamespace);
                        });
                        if (path != null) Invoke(session, new MethodCall(path, null, null));
                    }
                    return;
            }
        }

        private void Invoke(CimLiteSession session, MethodCall call)
        {
            var target = call.Target(session);
            if (!ShouldProcess(target + "." + MethodName + "()", Strings.InvokeMethodAction)) return;
            if (AsJob)
            {
                _jobCalls.Add(call);
                return;
            }
            ForItem(target, () => Call(session, sink => WriteObject(Result(Run(session, call, new OperationOptions { Sink = sink, CancellationToken = StopToken })))));
        }

        private CimMethodResult Run(CimLiteSession session, MethodCall call, OperationOptions options) =>
            call.Path != null
                ? session.InvokeMethod(call.Path, MethodName, Arguments, options)
                : session.InvokeMethod(call.ClassName!, MethodName, Arguments, call.Namespace, options);

        /// <summary>The object written for a result: ReturnValue, the Out parameters in declared order, MethodName, __PATH.</summary>
        internal static PSObject Result(CimMethodResult result)
        {
            var o = new PSObject();
            o.TypeNames.Insert(0, "CimLite.CimMethodResult");
            o.Properties.Add(new PSNoteProperty("ReturnValue", result.ReturnValue));
            foreach (var p in result.OutParameters)
                if (!string.Equals(p.Key, "ReturnValue", System.StringComparison.OrdinalIgnoreCase)) o.Properties.Add(new PSNoteProperty(p.Key, p.Value));
            o.Properties.Add(new PSNoteProperty("MethodName", result.MethodName));
            o.Properties.Add(new PSNoteProperty("__PATH", result.Path));
            return o;
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!AsJob || _jobCalls.Count == 0) return;
            var session = ResolvedSession;
            var calls = _jobCalls.ToArray();
            JobStarter.Start(this, session, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: false);
                JobStarter.ForEach(j, session, token, calls, c => c.Target(session), c =>
                    j.Output.Add(Result(Run(session, c, new OperationOptions { Sink = sink, CancellationToken = token }))));
            });
        }
    }
}
