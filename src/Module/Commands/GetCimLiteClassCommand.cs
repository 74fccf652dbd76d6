using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Gets classes by name (wildcards allowed) or all classes of a namespace.</summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteClass")]
    [OutputType(typeof(CimLiteClass))]
    public sealed class GetCimLiteClassCommand : CimLiteCmdlet
    {
        /// <summary>Class names; wildcards allowed. All classes when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string[]? ClassName { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Include qualifiers with the Amended flavor (localizable text); WMI leaves them out by default.</summary>
        [Parameter]
        public SwitchParameter UseAmendedQualifiers { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            ForItem(Namespace, () =>
            {
                if (ClassName == null || ClassName.Length == 0)
                {
                    foreach (var c in session.GetClasses(Namespace, useAmendedQualifiers: UseAmendedQualifiers)) WriteObject(c);
                    return;
                }
                foreach (var name in ClassName)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        bool any = false;
                        foreach (var c in session.GetClasses(Namespace, useAmendedQualifiers: UseAmendedQualifiers))
                            if (pattern.IsMatch(c.ClassName)) { any = true; WriteObject(c); }
                        if (!any)
                            WriteCimLiteError(new CimLiteException(CimStatus.InvalidClass, Strings.NoClassMatches(name, Namespace ?? session.DefaultNamespace), name), name);
                    }
                    else
                    {
                        ForItem(name, () => WriteObject(session.GetClass(name, Namespace, UseAmendedQualifiers)));
                    }
                }
            });
        }
    }
}
