using Xunit;

namespace CimLite.Tests.Reliability
{
    /// <summary>
    /// Crash, multi-process and load tests (issue 6). They start `cimlite` child processes and time their kills, so
    /// they run alone: no other test class runs beside them. Filter with <c>--filter Category=Reliability</c>.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ReliabilityCollection
    {
        public const string Name = "Reliability";
    }
}
