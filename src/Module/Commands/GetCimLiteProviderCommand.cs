using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Lists the providers registered in a session.</summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteProvider")]
    [OutputType(typeof(ProviderRegistry.Registration))]
    public sealed class GetCimLiteProviderCommand : CimLiteCmdlet
    {
        /// <summary>Only providers of classes matching these names (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string[]? ClassName { get; set; }

        /// <summary>Only providers of this namespace.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            string? ns = null;
            if (Namespace != null)
            {
                try { ns = CimName.NormalizeNamespace(Namespace); }
                catch (CimLiteException e) { ThrowCimLiteError(e, Namespace); }
            }
            foreach (var registration in session.Providers.Registrations)
            {
                if (ns != null && !CimName.Comparer.Equals(ns, registration.Namespace)) continue;
                if (ClassName != null && ClassName.Length > 0)
                {
                    bool match = false;
                    foreach (var pattern in ClassName)
                        if (new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(registration.ClassName)) match = true;
                    if (!match) continue;
                }
                WriteObject(registration);
            }
        }
    }
}
