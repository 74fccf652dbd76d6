using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Salvages a damaged repository into a new file (winmgmt /salvagerepository): what SQLite's reader still gives, table
    /// by table and rowid range by rowid range; the damaged file is never changed. Reports what was recovered and what is
    /// known to be lost.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "CimLiteRepository", SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteRepairResult))]
    public sealed class RepairCimLiteRepositoryCommand : PSCmdlet
    {
        /// <summary>The damaged repository file (only read).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The new repository file to write (must not exist).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = "";

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var damaged = GetUnresolvedProviderPathFromPSPath(Path);
            var target = GetUnresolvedProviderPathFromPSPath(Destination);
            if (!ShouldProcess(target, Strings.RepairAction(damaged))) return;
            var activity = Strings.RepairActivity(damaged);
            CimLiteRepairResult result;
            try
            {
                result = CimLiteRepository.Repair(damaged, target, (table, rowid) =>
                    WriteProgress(new ProgressRecord(1, activity, Strings.RepairStatus(table, rowid))));
            }
            catch (CimLiteException e)
            {
                ThrowTerminatingError(Errors.ErrorRecordFactory.Create(e, damaged));
                return;
            }
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressDone) { RecordType = ProgressRecordType.Completed });
            foreach (var note in result.Notes) WriteWarning(note);
            WriteObject(result);
        }
    }
}
