using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// The command tests run where the run asks (<see cref="CommandTestBase.BackendVariable"/>): in memory by default, on a
/// PostgreSQL schema of their own when `.ci/run` runs them a second time with <c>postgres</c>.
/// </summary>
public sealed class CommandBackendTests : CommandTestBase
{
    [Fact]
    public void The_session_of_the_command_tests_is_on_the_backend_the_run_asks_for()
    {
        var inMemory = (bool)Eval("$s.IsInMemory")!;
        var path = Text("$s.Path");
        if (OnServer)
        {
            Assert.False(inMemory);
            Assert.Matches(@"^127\.0\.0\.1:\d+/\S+, schema cimlite_t_[0-9a-f]{16}$", path);
        }
        else
        {
            Assert.True(inMemory);
        }
        // Either way the schema of CommandTestBase is there.
        Assert.Equal(5, (int)Eval("@(Get-CimLiteClass -Session $s).Count")!);
    }
}
