using CimLite.Testing;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.TestUtilities;

/// <summary>
/// The storage backends engine tests run on, by name: a per-backend test is a
/// <c>[Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]</c> taking the name and opening
/// its session with <see cref="Open"/> (or <see cref="BackendSessionFixture.Use"/>). A new backend (PostgreSQL) adds
/// its name to <see cref="All"/> and its case to <see cref="Open"/>, and every per-backend test runs on it.
/// </summary>
public static class TestBackends
{
    /// <summary>SQLite in memory (<see cref="CimLiteSession.OpenInMemory"/>).</summary>
    public const string SqliteMemory = "sqlite-memory";

    /// <summary>SQLite in a new file in a temporary folder (<see cref="CimLiteSession.Open"/>: WAL, file locks, busy handler).</summary>
    public const string SqliteFile = "sqlite-file";

    /// <summary>
    /// PostgreSQL (issue 18, in progress): a new schema per test on the test process's server (<see cref="PostgresServer"/>:
    /// a throwaway server, or the one <c>CIMLITE_TEST_POSTGRES</c> names), opened through the public <see cref="CimLiteSession.OpenServer"/> (the backend loaded by name).
    /// </summary>
    public const string Postgres = "postgres";

    /// <summary>
    /// Every backend available here, for MemberData: both SQLite ones, and PostgreSQL where a server can be had
    /// (<see cref="PostgresServer.ShouldTest"/>: the binaries are installed, <c>CIMLITE_TEST_POSTGRES</c> names a server,
    /// or <c>CIMLITE_REQUIRE_POSTGRES=1</c> makes a missing one fail).
    /// </summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { SqliteMemory, SqliteFile };
            if (PostgresServer.ShouldTest) data.Add(Postgres);
            return data;
        }
    }

    private const string PostgresScratch = "postgres-schema:";

    /// <summary>
    /// Opens a fresh, empty repository on <paramref name="backend"/>. A backend that needs a place (a file) gets a new
    /// folder, returned in <paramref name="scratch"/> for <see cref="Cleanup"/> (null when there is none).
    /// </summary>
    public static CimLiteSession Open(string backend, out string? scratch, CimLiteSessionOptions? options = null)
    {
        scratch = null;
        switch (backend)
        {
            case SqliteMemory:
                return CimLiteSession.OpenInMemory(options);
            case SqliteFile:
                scratch = Path.Combine(Path.GetTempPath(), "cimlite-backend-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(scratch);
                try
                {
                    return CimLiteSession.Open(Path.Combine(scratch, "test.cimlite"), options);
                }
                catch
                {
                    Cleanup(scratch);
                    throw;
                }
            case Postgres:
            {
                var schema = PostgresServer.Shared.NewSchema();
                scratch = PostgresScratch + schema.Name;
                try
                {
                    return CimLiteSession.OpenServer(schema.ConnectionString, options);
                }
                catch
                {
                    Cleanup(scratch);
                    throw;
                }
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(backend), backend, "no such test backend (see TestBackends.All)");
        }
    }

    /// <summary>Deletes what <see cref="Open"/> made for a backend (after its session is closed).</summary>
    public static void Cleanup(string? scratch)
    {
        if (scratch == null) return;
        if (scratch.StartsWith(PostgresScratch, StringComparison.Ordinal))
        {
            PostgresServer.Shared.DropSchema(scratch.Substring(PostgresScratch.Length));
            return;
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// A <see cref="SessionFixture"/> whose tests run per backend: each test takes the backend's name (MemberData of
/// <see cref="TestBackends.All"/>) and calls <see cref="Use"/> first, which opens a fresh session there and runs
/// <see cref="Arrange"/> (the class's common setup, instead of a constructor). A test of the class that does not call
/// <see cref="Use"/> gets SQLite in memory on first use of <see cref="SessionFixture.Session"/>.
/// </summary>
public abstract class BackendSessionFixture : SessionFixture
{
    private string? _scratch;

    protected BackendSessionFixture() : base(open: false) { }

    /// <summary>The backend this test runs on (null until <see cref="Use"/>).</summary>
    protected string? Backend { get; private set; }

    /// <summary>Opens a fresh session on <paramref name="backend"/> and runs <see cref="Arrange"/> on it.</summary>
    protected void Use(string backend)
    {
        if (Backend != null) throw new InvalidOperationException("this test already runs on " + Backend);
        Backend = backend;
        Session = TestBackends.Open(backend, out _scratch);
        Arrange();
    }

    /// <summary>The class's common setup, run on the session of the chosen backend.</summary>
    protected virtual void Arrange() { }

    private protected override CimLiteSession OpenDefault()
    {
        Use(TestBackends.SqliteMemory);
        return Session;
    }

    public override void Dispose()
    {
        base.Dispose();
        TestBackends.Cleanup(_scratch);
    }
}
