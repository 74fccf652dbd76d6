using CimLite.Errors;
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
            var patterns = new System.Collections.Generic.List<WildcardPattern>();
            foreach (var name in ClassName ?? new string[0])
            {
                // Check each pattern once, up front: a malformed one ('[a') is a parameter error, whether or not
                // any provider is registered to match it against.
                var pattern = new WildcardPattern(name ?? "", WildcardOptions.IgnoreCase);
                try { pattern.IsMatch(""); }
                catch (WildcardPatternException e)
                {
                    ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.InvalidWildcard(name ?? "", e.Message), "CimLite.InvalidParameter", name));
                }
                patterns.Add(pattern);
            }
            foreach (var registration in session.Providers.Registrations)
            {
                if (ns != null && !CimName.Comparer.Equals(ns, registration.Namespace)) continue;
                if (patterns.Count > 0 && !patterns.Exists(p => p.IsMatch(registration.ClassName))) continue;
                WriteObject(registration);
            }
        }
    }
}
