using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Issue 22 item 9: a long-running statement stops when the session is interrupted (the cmdlets do so on a pipeline
/// stop), its write transaction is rolled back whole, the error says it was stopped, and the session goes on working.
/// </summary>
public sealed class InterruptTests : TempFolderTests
{
    public InterruptTests() : base("interrupt") { }

    [Fact]
    public void Interrupt_stops_a_running_write_rolls_it_back_and_leaves_the_session_usable()
    {
        using var s = CimLiteSession.Open(File("repo.db"));
        SessionFixture.Class(s, "Disk").Key("Id").Create();
        Exception? failure = null;
        bool committed = false;
        var worker = new Thread(() =>
        {
            try
            {
                using var tx = s.BeginWrite();
                using (var insert = s.Sqlite().NewCommand("INSERT INTO cimlite_format(name, value) VALUES ('interrupt-probe', 'x')")) insert.ExecuteNonQuery();
                // A statement that would run for minutes: count to ten billion.
                using var cmd = s.Sqlite().NewCommand("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) FROM n");
                cmd.ExecuteScalar();
                tx.Commit();
                committed = true;
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        worker.Start();
        Thread.Sleep(300);
        s.Interrupt();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the statement did not stop");
        Assert.False(committed);
        var sqlite = failure as SqliteException ?? throw new Xunit.Sdk.XunitException("expected SQLITE_INTERRUPT, got " + failure);
        Assert.Equal(9, sqlite.SqliteErrorCode); // SQLITE_INTERRUPT
        var translated = s.Sqlite().TranslateSqlite(sqlite)!;
        Assert.Equal(CimStatus.Failed, translated.Status);
        Assert.Contains("stopped", translated.Message);
        // Rolled back whole, and the session works on.
        using (var probe = s.Sqlite().NewCommand("SELECT count(*) FROM cimlite_format WHERE name = 'interrupt-probe'")) Assert.Equal(0L, probe.ExecuteScalar());
        s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object> { ["Id"] = "after" }));
        Assert.Single(s.EnumerateInstances("Disk"));
        s.Interrupt(); // idle: nothing happens
        Assert.Single(s.EnumerateInstances("Disk"));
    }
}
