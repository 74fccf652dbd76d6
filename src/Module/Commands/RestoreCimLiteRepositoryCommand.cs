using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Puts a backup in place of a repository file (winmgmt /restore): the backup is checked first, a destination that a
    /// session or process has open is refused, and the file is replaced atomically (a crash leaves the old or the new
    /// repository). The replaced file is kept as &lt;name&gt;.before-restore unless -Force. Copies that restores killed
    /// mid-way left beside the destination (&lt;name&gt;.restoring-*) are removed, unless in use (told with -Verbose).
    /// </summary>
    [Cmdlet(VerbsData.Restore, "CimLiteRepository", SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteRestoreResult))]
    public sealed class RestoreCimLiteRepositoryCommand : PSCmdlet
    {
        /// <summary>The backup to restore.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The repository file to replace; default: the default repository.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        /// <summary>Do not keep the replaced file as &lt;name&gt;.before-restore.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private int _lastPercent = -1;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var backup = GetUnresolvedProviderPathFromPSPath(Path);
            if (Destination == null && SessionRegistry.DefaultConnectionString() is string server)
                ThrowTerminatingError(Errors.ErrorRecordFactory.Create(new CimLiteException(CimStatus.NotSupported,
                    Strings.ServerFileOnly("Restore-CimLiteRepository", ConnectionStrings.WithoutPassword(server))), ConnectionStrings.WithoutPassword(server)));
            var target = Destination == null ? SessionRegistry.DefaultRepositoryPath() : GetUnresolvedProviderPathFromPSPath(Destination);
            if (!ShouldProcess(target, Strings.RestoreAction(backup))) return;
            var activity = Strings.RestoreActivity(target);
            CimLiteRestoreResult result;
            try
            {
                result = CimLiteRepository.Restore(backup, target, Force, (done, total) =>
                {
                    int percent = total <= 0 ? 0 : (int)System.Math.Min(100, done * 100 / total);
                    if (percent == _lastPercent) return;
                    _lastPercent = percent;
                    WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressStatus(done, total)) { PercentComplete = percent });
                });
            }
            catch (CimLiteException e)
            {
                ThrowTerminatingError(Errors.ErrorRecordFactory.Create(e, target));
                return;
            }
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressDone) { RecordType = ProgressRecordType.Completed });
            foreach (var leftover in result.RemovedLeftovers) WriteVerbose(Strings.RestoreRemovedLeftover(leftover));
            WriteObject(result);
        }
    }
}
