using System;
using System.Collections;
using System.Management.Automation;
using CimLite.Adapters;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Creates an instance (CreateOnly put), or with -ClientOnly builds one in memory without storing it.</summary>
    [Cmdlet(VerbsCommon.New, "CimLiteInstance", SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteInstance))]
    public sealed class NewCimLiteInstanceCommand : CimLiteCmdlet
    {
        /// <summary>The class of the new instance.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>Property values: name = value. Unnamed properties take the class defaults.</summary>
        [Parameter(Position = 1, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? Property { get; set; }

        /// <summary>Instance qualifiers: name = value, or name = @{ Value = …; Flavor = 'Amended' }.</summary>
        [Parameter]
        public IDictionary? Qualifier { get; set; }

        /// <summary>Build the instance in memory only; nothing is stored.</summary>
        [Parameter]
        public SwitchParameter ClientOnly { get; set; }

        /// <summary>Do not store qualifiers with the Amended flavor.</summary>
        [Parameter]
        public SwitchParameter UseAmendedQualifiers { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>A time limit in seconds for each creation, waits for other sessions' locks included; 0 (the default): none.</summary>
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

        /// <inheritdoc />
        protected override void BeginProcessing() => RefuseUnsupported(nameof(ComputerName), nameof(ResourceUri));

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            ForItem(Property ?? (object)ClassName, () =>
            {
                var values = Property == null ? null : ParameterValues.UnwrapValues(Property);
                var instance = session.NewInstance(ClassName, values, Namespace, ParameterValues.Qualifiers(Qualifier));
                if (ClientOnly)
                {
                    WriteObject(InstanceOutput.Wrap(instance, null)); // -ClientOnly: no session of its own
                    return;
                }
                var target = instance.TryGetPath()?.ToString() ?? instance.ToString();
                if (instance.Class.IsIndication)
                {
                    // Indications are posted to the durable posted queue, not stored; the snapshot is the output.
                    if (!ShouldProcess(target, Strings.PostIndicationAction)) return;
                    lock (SessionGate.Of(session)) WriteObject(InstanceOutput.Wrap(session.PostIndication(instance), session));
                    return;
                }
                if (!ShouldProcess(target, Strings.CreateInstanceAction)) return;
                Call(session, sink =>
                {
                    CimLiteInstance? stored = null;
                    WithinTimeLimit(session, OperationTimeoutSec, token =>
                    {
                        var path = session.PutInstance(instance, new PutOptions { Mode = PutMode.CreateOnly, UseAmendedQualifiers = UseAmendedQualifiers, Sink = sink, CancellationToken = token });
                        stored = session.GetInstance(path, new OperationOptions { Sink = sink, CancellationToken = token });
                    });
                    WriteObject(InstanceOutput.Wrap(stored!, session));
                });
            });
        }
    }
}
