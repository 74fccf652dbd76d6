using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Checks a repository (winmgmt /verifyrepository): $true or $false, or with -Detailed the report. A damaged, foreign
    /// or inconsistent file is $false, never an error; a missing file or bad parameters are errors. Read-only: with -Path
    /// the file is opened read-only and its bytes never change.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CimLiteRepository", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(bool), typeof(CimLiteRepositoryReport))]
    public sealed class TestCimLiteRepositoryCommand : RepositoryCareCmdlet
    {
        /// <summary>Write the report (IsHealthy, Problems, counts) instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var report = Run(CimLiteRepository.Check, CimLiteRepository.Check);
            foreach (var problem in report.Problems) WriteVerbose(problem.ToString());
            if (Detailed) WriteObject(report);
            else WriteObject(report.IsHealthy);
        }
    }
}
