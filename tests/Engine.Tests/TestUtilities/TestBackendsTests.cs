namespace CimLite.Tests.TestUtilities;

/// <summary>The backend fixture opens what it names, fresh each time, and cleans up after itself.</summary>
public sealed class TestBackendsTests
{
    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Each_backend_opens_a_fresh_empty_writable_repository_of_its_kind(string backend)
    {
        string? scratch;
        using (var session = TestBackends.Open(backend, out scratch))
        {
            Assert.False(session.IsReadOnly);
            SessionFixture.Class(session, "Probe").Key("Id").Create(); // fails (AlreadyExists) on a reused repository
            session.PutInstance(session.NewInstance("Probe", new Dictionary<string, object?> { ["Id"] = "x" }));
            Assert.Single(session.EnumerateInstances("Probe"));
            switch (backend)
            {
                case TestBackends.SqliteMemory:
                    Assert.True(session.IsInMemory);
                    Assert.Null(scratch);
                    break;
                case TestBackends.SqliteFile:
                    Assert.False(session.IsInMemory);
                    Assert.True(File.Exists(session.Path), session.Path);
                    Assert.StartsWith(scratch!, session.Path, StringComparison.Ordinal);
                    break;
                case TestBackends.Postgres:
                    Assert.False(session.IsInMemory);
                    Assert.NotNull(scratch);
                    Assert.Contains(", schema cimlite_t_", session.Path);
                    Assert.EndsWith(scratch!.Substring(scratch.IndexOf(':') + 1), session.Path, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Fail("no expectations written for backend " + backend);
                    break;
            }
        }
        TestBackends.Cleanup(scratch);
        if (backend == TestBackends.Postgres)
            Assert.Equal(false, CimLite.Testing.PostgresServer.Shared.Scalar("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = '" + scratch!.Substring(scratch.IndexOf(':') + 1) + "')"));
        else if (scratch != null) Assert.False(Directory.Exists(scratch), scratch);
    }

    [Fact]
    public void An_unknown_backend_name_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TestBackends.Open("no-such-backend", out _));
        Assert.Contains("no-such-backend", ex.Message);
    }
}
