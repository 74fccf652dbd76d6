using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Removes a class; with -Force also its subclasses and all their instances.</summary>
    [Cmdlet(VerbsCommon.Remove, "CimLiteClass", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveCimLiteClassCommand : CimLiteCmdlet
    {
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
            ForItem(ClassName, () => session.DeleteClass(ClassName, Namespace, Force));
        }
    }
}
