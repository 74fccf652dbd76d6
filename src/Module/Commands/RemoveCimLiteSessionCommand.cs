using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Closes sessions.</summary>
    [Cmdlet(VerbsCommon.Remove, "CimLiteSession", SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class RemoveCimLiteSessionCommand : PSCmdlet
    {
        /// <summary>The sessions to close (alias -CimSession, as Remove-CimSession).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("CimSession")]
        [ValidateNotNull]
        public CimLiteSession[] Session { get; set; } = new CimLiteSession[0];

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var s in Session)
                if (!s.IsClosed && ShouldProcess(s.Path, Strings.CloseSessionAction))
                    SessionRegistry.Close(s);
        }
    }
}
