using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Lists the open sessions of this runspace (the default session once it has been used, and those from New-CimLiteSession).</summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteSession")]
    [OutputType(typeof(CimLiteSession))]
    public sealed class GetCimLiteSessionCommand : PSCmdlet
    {
        /// <summary>Open the default session first if it is not open yet.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (Default)
            {
                try
                {
                    WriteObject(SessionRegistry.GetDefault());
                }
                catch (CimLiteException e)
                {
                    ThrowTerminatingError(Errors.ErrorRecordFactory.Create(e, SessionRegistry.DefaultRepositoryName()));
                }
                return;
            }
            foreach (var s in SessionRegistry.Sessions()) WriteObject(s);
        }
    }
}
