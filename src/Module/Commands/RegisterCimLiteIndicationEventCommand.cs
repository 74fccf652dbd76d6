using System;
using System.Management.Automation;
using CimLite.Errors;
using CimLite.Events;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Subscribes to indications posted to the durable posted queue (Register-CimIndicationEvent's shape): a
    /// PowerShell event subscription (Get-Event, Wait-Event, -Action, Unregister-Event) fed by a
    /// <see cref="CimLiteIndicationWatcher"/> that observes the queue by sequence, so every subscriber sees each
    /// indication posted after it subscribed, from any process, while Receive-CimLitePosted keeps taking each once.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "CimLiteIndicationEvent", DefaultParameterSetName = ClassNameSet, SupportsShouldProcess = true)]
    [OutputType(typeof(PSEventJob))]
    public sealed class RegisterCimLiteIndicationEventCommand : CimLiteCmdlet
    {
        private const string ClassNameSet = "ClassName";
        private const string QuerySet = "Query";

        /// <summary>Indications of this class and its subclasses.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClassNameSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ClassName { get; set; }

        /// <summary>A WQL query: <c>SELECT * FROM IndicationClass [WHERE …]</c>.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = QuerySet)]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>The query language; only WQL.</summary>
        [Parameter(ParameterSetName = QuerySet)]
        [ValidateSet("WQL", IgnoreCase = true)]
        public string QueryDialect { get; set; } = "WQL";

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>The name of the subscription (Get-Event -SourceIdentifier, Unregister-Event); a new GUID when omitted.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? SourceIdentifier { get; set; }

        /// <summary>Runs for each indication ($Event, $EventArgs, $Sender); the subscription's job is returned.</summary>
        [Parameter(Position = 2)]
        public ScriptBlock? Action { get; set; }

        /// <summary>Extra data given to every event of the subscription ($Event.MessageData).</summary>
        [Parameter]
        public PSObject? MessageData { get; set; }

        /// <summary>Hides the subscription (Get-EventSubscriber -Force shows it) and its events; no job is returned.</summary>
        [Parameter]
        public SwitchParameter SupportEvent { get; set; }

        /// <summary>Forwards the events to the session that started this remote runspace.</summary>
        [Parameter]
        public SwitchParameter Forward { get; set; }

        /// <summary>Unregisters the subscription after this many events (0: never).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int MaxTriggerCount { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            PostedWatch? watch = null;
            try
            {
                lock (SessionGate.Of(session))
                    watch = session.WatchPosted(new WatchOptions { ClassName = ClassName, Query = Query, Namespace = Namespace });
            }
            catch (CimLiteException e)
            {
                ThrowCimLiteError(e, (object?)Query ?? ClassName);
            }
            catch (InvalidOperationException) when (!session.IsClosed)
            {
                ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.WatchInTransaction, "CimLite.TransactionOpen", session));
            }

            var identifier = SourceIdentifier ?? Guid.NewGuid().ToString();
            // As Register-ObjectEvent: one subscription per source identifier (the event manager itself would accept two).
            foreach (var existing in Events.Subscribers)
                if (string.Equals(existing.SourceIdentifier, identifier, StringComparison.OrdinalIgnoreCase))
                    ThrowSubscriberExists(identifier, null);
            if (!ShouldProcess(Query ?? watch!.Namespace + ":" + watch!.ClassName, Strings.SubscribeAction(identifier))) return;
            var watcher = new CimLiteIndicationWatcher(session, watch!, Query);
            PSEventSubscriber subscriber;
            try
            {
                subscriber = Events.SubscribeEvent(watcher, nameof(CimLiteIndicationWatcher.CimLiteIndicationArrived), identifier, MessageData, Action,
                    SupportEvent.IsPresent, Forward.IsPresent, MaxTriggerCount);
            }
            catch (ArgumentException e)
            {
                ThrowSubscriberExists(identifier, e);
                return;
            }
            // Unregister-Event, -MaxTriggerCount reached, the runspace closing: the watcher's thread ends.
            subscriber.Unsubscribed += StopWatcher;
            watcher.Start(Events, subscriber, MessageData);
            if (Action != null && !SupportEvent.IsPresent) WriteObject(subscriber.Action);
        }

        private void ThrowSubscriberExists(string identifier, ArgumentException? inner) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(Strings.SubscriberExists(identifier, inner?.Message ?? Strings.SourceIdentifierInUse), inner),
                "CimLite.SubscriberExists", ErrorCategory.ResourceExists, identifier));

        private static void StopWatcher(object sender, PSEventUnsubscribedEventArgs e) => (sender as CimLiteIndicationWatcher)?.Stop();
    }
}
