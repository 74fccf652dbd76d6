using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Removes a class; with -Force also its subclasses and all their instances.</summary>
    [Cmdlet(VerbsCommon.Remove, "CimLiteClass", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCimLiteClassCommand : CimLiteCmdlet
    {
        /// <summary>Above this many instances a -Force cascade of one class reports progress too.</summary>
        internal const long ProgressInstanceThreshold = 1000;

        /// <summary>The class to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Remove subclasses and instances too, instead of failing with CLASS_HAS_CHILDREN or CLASS_HAS_INSTANCES.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            var target = (Namespace ?? session.DefaultNamespace) + ":" + ClassName;
            if (!ShouldProcess(target, Strings.RemoveClassAction(Force))) return;
            ForItem(ClassName, () =>
            {
                if (!Force)
                {
                    session.DeleteClass(ClassName, Namespace, false);
                    return;
                }
                // A cascade reports progress when it removes more than one class or many instances.
                bool report = false;
                ProgressRecord? last = null;
                try
                {
                    session.DeleteClass(ClassName, Namespace, true, (done, total, name) =>
                    {
                        if (done == 0) report = total > 1 || session.CountInstances(ClassName, Namespace) > ProgressInstanceThreshold;
                        if (!report) return;
                        last = new ProgressRecord(1, Strings.RemoveClassActivity(target), Strings.RemoveClassStatus(done, total, name))
                        {
                            PercentComplete = total == 0 ? 0 : done * 100 / total,
                        };
                        WriteProgress(last);
                    });
                }
                finally
                {
                    if (last != null)
                        WriteProgress(new ProgressRecord(1, last.Activity, last.StatusDescription) { RecordType = ProgressRecordType.Completed });
                }
            });
        }
    }
}
