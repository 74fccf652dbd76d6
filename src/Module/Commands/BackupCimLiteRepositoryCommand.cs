using System.IO;
using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Copies a repository to a file online (winmgmt /backup): the copy holds the repository as it was at one moment, the
    /// posted queue included, while other sessions and processes keep writing; it is checked before the command reports
    /// success. An existing destination is replaced only with -Force.
    /// </summary>
    [Cmdlet(VerbsData.Backup, "CimLiteRepository", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteBackupResult))]
    public sealed class BackupCimLiteRepositoryCommand : RepositoryCareCmdlet
    {
        /// <summary>The backup file to write.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = "";

        /// <summary>Replace the destination when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var target = GetUnresolvedProviderPathFromPSPath(Destination);
            var source = TargetName;
            if (!ShouldProcess(target, Strings.BackupAction(source))) return;
            if (File.Exists(target) && !Force)
            {
                ThrowCimLiteError(new CimLiteException(CimStatus.AlreadyExists, Strings.DestinationExists(target)), target);
                return;
            }
            var activity = Strings.BackupActivity(source);
            var result = Run(
                file => CimLiteRepository.Backup(file, target, Force, (done, total) => Progress(activity, done, total)),
                session => CimLiteRepository.Backup(session, target, Force, (done, total) => Progress(activity, done, total)));
            Completed(activity);
            WriteObject(result);
        }
    }
}
