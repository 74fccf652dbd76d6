using System;
using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Removes the provider of a class from a session; the class is then served by the repository.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "CimLiteProvider", SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class UnregisterCimLiteProviderCommand : CimLiteCmdlet
    {
        /// <summary>The class whose provider to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            var target = (Namespace ?? session.DefaultNamespace) + ":" + ClassName;
            if (!ShouldProcess(target, Strings.UnregisterProviderAction)) return;
            ForItem(ClassName, () =>
            {
                lock (SessionGate.Of(session))
                {
                    var ns = Namespace == null ? session.DefaultNamespace : CimName.NormalizeNamespace(Namespace);
                    var provider = session.Providers.Find(ns, ClassName);
                    session.Providers.Unregister(ClassName, Namespace);
                    (provider as IDisposable)?.Dispose();
                }
            });
        }
    }
}
