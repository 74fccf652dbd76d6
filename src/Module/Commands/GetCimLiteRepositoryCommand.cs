using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>What a repository holds: format, sizes, namespaces with their class and instance counts, the posted queue, versions.</summary>
    [Cmdlet(VerbsCommon.Get, "CimLiteRepository", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(CimLiteRepositoryInfo))]
    public sealed class GetCimLiteRepositoryCommand : RepositoryCareCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing() => WriteObject(Run(CimLiteRepository.GetInfo, CimLiteRepository.GetInfo));
    }
}
