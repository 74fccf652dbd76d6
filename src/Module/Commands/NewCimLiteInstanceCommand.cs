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
                    var path = session.PutInstance(instance, new PutOptions { Mode = PutMode.CreateOnly, UseAmendedQualifiers = UseAmendedQualifiers, Sink = sink });
                    WriteObject(InstanceOutput.Wrap(session.GetInstance(path, new OperationOptions { Sink = sink }), session));
                });
            });
        }
    }
}
