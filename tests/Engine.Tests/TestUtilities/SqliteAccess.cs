using CimLite.Storage.Sqlite;

namespace CimLite.Tests;

/// <summary>
/// The SQLite backend behind a session, for tests that look at the file itself (SQL, pragmas, error codes).
/// Tests that hold for every backend go through <see cref="TestUtilities.TestBackends"/> instead.
/// </summary>
internal static class SqliteAccess
{
    /// <summary>The session's SQLite repository; fails the test when the session runs on another backend.</summary>
    public static SqliteRepository Sqlite(this CimLiteSession session) =>
        session.Repository as SqliteRepository
        ?? throw new Xunit.Sdk.XunitException("this test reads SQLite directly, but the session runs on " + session.Repository.GetType().Name);
}
