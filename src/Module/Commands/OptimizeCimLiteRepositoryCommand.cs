using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>
    /// Compacts a repository online: checkpoints its log, VACUUM, and refreshes the query planner's statistics. It waits for
    /// other writers like any write. Reports the size before and after.
    /// </summary>
    [Cmdlet(VerbsCommon.Optimize, "CimLiteRepository", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteOptimizeResult))]
    public sealed class OptimizeCimLiteRepositoryCommand : RepositoryCareCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var name = TargetName;
            if (!ShouldProcess(name, Strings.OptimizeAction)) return;
            var activity = Strings.OptimizeActivity(name);
            var result = Run(
                file => CimLiteRepository.Optimize(file, (percent, what) => Step(activity, percent, what)),
                session => CimLiteRepository.Optimize(session, (percent, what) => Step(activity, percent, what)));
            Completed(activity);
            WriteObject(result);
        }
    }
}
