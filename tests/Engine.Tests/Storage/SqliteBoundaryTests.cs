using System.ComponentModel;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Where the reliability branches meet: no raw SqliteException leaves a public operation, stream, posted-queue
/// lease or lease completion; closing a session never throws because its leases cannot be released; a lease
/// owner counts as dead only when the system says so.
/// </summary>
public sealed class SqliteBoundaryTests : TempFolderTests
{
    private readonly string _path;

    public SqliteBoundaryTests() : base("boundary")
    {
        _path = Path.Combine(Folder, "repo.db");
        using var s = CimLiteSession.Open(_path);
        SessionFixture.Class(s, "Item").Key("Id", "uint32").Prop("Text", "string").Create();
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Prop("Text", "string").Create();
    }

    private static void Post(CimLiteSession s, int count)
    {
        for (int n = 0; n < count; n++)
            s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = (uint)n, ["Text"] = new string('x', 300) }));
    }

    [Fact]
    public void Busy_and_locked_in_any_extended_form_translate_to_the_repository_busy_error_and_other_errors_name_the_file()
    {
        // A WAL reader cannot be made to meet BUSY on demand from a test (every connection holds a shared lock on
        // the file), so the translation the guard applies to streams is checked directly; the streams' wiring is
        // checked with a plain SQLite error below.
        using var s = CimLiteSession.Open(_path);
        foreach (var code in new[] { 5, 6, 5 | (1 << 8), 5 | (2 << 8), 6 | (1 << 8) })
        {
            var ex = s.Sqlite().TranslateSqlite(new SqliteException("database is locked", code, code))!;
            SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "busy");
        }
        var damaged = s.Sqlite().TranslateSqlite(new SqliteException("database disk image is malformed", 11, 11))!;
        SessionFixture.AssertStatus(damaged, CimStatus.Failed, _path, "damaged");
        var io = s.Sqlite().TranslateSqlite(new SqliteException("disk I/O error", 10, 10 | (3 << 8)))!;
        SessionFixture.AssertStatus(io, CimStatus.Failed, _path, "disk I/O error");
        Assert.Null(s.Sqlite().TranslateSqlite(new InvalidOperationException("not SQLite")));
    }

    [Fact]
    public void A_stream_over_instances_reports_a_plain_SQLite_error_as_FAILED_naming_the_repository()
    {
        using var s = CimLiteSession.Open(_path);
        for (uint i = 0; i < 3; i++) s.PutInstance(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = i }));
        using (var other = Raw(_path)) Exec(other, "ALTER TABLE instances RENAME TO gone");
        foreach (var read in new Func<object>[]
        {
            () => s.EnumerateInstances("Item").ToList(),
            () => s.ExecQuery("SELECT * FROM Item WHERE Text = 'a'").ToList(),
            () => s.QueryInstances("Item", "Id > 0").ToList(),
        })
        {
            var ex = Assert.Throws<CimLiteException>(() => read());
            SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "instances");
            Assert.IsType<SqliteException>(ex.InnerException);
        }
    }

    [Fact]
    public void Any_other_SQLite_error_of_an_operation_a_stream_a_lease_or_its_completion_is_a_FAILED_error_naming_the_repository()
    {
        using var s = CimLiteSession.Open(_path);
        Post(s, 4);
        var lease = s.LeasePosted(new ReceiveOptions { BatchSize = 2 });
        Assert.Equal(2, lease.Items.Count);
        // Another process removes a table under the session (not damage, not busy: a plain SQLite error).
        using (var other = Raw(_path)) Exec(other, "DROP TABLE posted");
        var errors = new List<CimLiteException>
        {
            Assert.Throws<CimLiteException>(() => lease.Complete(1)),
            Assert.Throws<CimLiteException>(() => s.LeasePosted()),
            Assert.Throws<CimLiteException>(() => s.ReceivePosted(new ReceiveOptions { Keep = true }).ToList()),
            Assert.Throws<CimLiteException>(() => s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 9u }))),
        };
        foreach (var ex in errors)
        {
            SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "posted");
            Assert.IsType<SqliteException>(ex.InnerException);
        }
        // Disposing what cannot be released does not throw either.
        lease.Dispose();
        s.Dispose();
        Assert.True(s.IsClosed);
    }

    [Fact]
    public void Closing_a_session_whose_leases_cannot_be_released_does_not_throw_and_closes_the_file()
    {
        var s = CimLiteSession.Open(_path);
        Post(s, 3);
        var lease = s.LeasePosted();
        Assert.Equal(3, lease.Items.Count);
        using (var other = Raw(_path)) Exec(other, "DROP TABLE posted");
        s.Dispose(); // releasing the leases fails with "no such table": still closes
        Assert.True(s.IsClosed);
        lease.Dispose(); // the session is closed: nothing to do, nothing thrown
        using var again = Raw(_path);
        Exec(again, "BEGIN EXCLUSIVE"); // the file is not held by the closed session
        Exec(again, "ROLLBACK");
    }

    [Fact]
    public void A_lease_on_a_damaged_posted_queue_is_a_FAILED_error_naming_the_file()
    {
        using (var s = CimLiteSession.Open(_path)) Post(s, 200);
        long root;
        using (var c = Raw(_path))
        {
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = 'posted'";
            root = Convert.ToInt64(cmd.ExecuteScalar());
        }
        SqliteConnection.ClearAllPools();
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        using (var f = new FileStream(_path, FileMode.Open, FileAccess.Write))
        {
            f.Position = (root - 1) * 4096;
            f.Write(garbage);
        }
        using var damaged = CimLiteSession.Open(_path);
        var ex = Assert.Throws<CimLiteException>(() => damaged.LeasePosted());
        SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "damaged", "backup");
    }

    private static Func<int, (bool, DateTime)> Throws(Exception e) => _ => throw e;

    [Fact]
    public void A_lease_owner_is_dead_only_when_the_system_says_so()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        long startMs = new DateTimeOffset(start).ToUnixTimeMilliseconds();
        Assert.True(CimLiteSession.LeaseOwnerAlive(42, startMs, _ => (false, start.AddMilliseconds(1500))));
        Assert.False(CimLiteSession.LeaseOwnerAlive(42, startMs, _ => (false, start.AddSeconds(3)))); // a reused id
        Assert.False(CimLiteSession.LeaseOwnerAlive(42, startMs, _ => (true, default)));
        Assert.False(CimLiteSession.LeaseOwnerAlive(42, startMs, Throws(new ArgumentException("no such process"))));
        Assert.False(CimLiteSession.LeaseOwnerAlive(0, startMs, _ => (false, start)));
        // Another user's process: access denied is no proof of death.
        Assert.True(CimLiteSession.LeaseOwnerAlive(42, startMs, Throws(new Win32Exception(5))));
        // InvalidOperationException: dead only if the id is then gone (or has exited), else alive.
        int calls = 0;
        Assert.True(CimLiteSession.LeaseOwnerAlive(42, startMs, _ => ++calls == 1 ? throw new InvalidOperationException("cannot read") : (false, start.AddHours(1))));
        calls = 0;
        Assert.False(CimLiteSession.LeaseOwnerAlive(42, startMs, _ => ++calls == 1 ? throw new InvalidOperationException("exited") : throw new ArgumentException("gone")));
        // The real probe: this process is alive with its own start time, not with another.
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long selfMs = new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        Assert.True(CimLiteSession.LeaseOwnerAlive(self.Id, selfMs));
        Assert.False(CimLiteSession.LeaseOwnerAlive(self.Id, selfMs - 60_000));
    }

    [Fact]
    public void A_lease_whose_owner_cannot_be_checked_is_still_freed_by_its_expiry()
    {
        using var s = CimLiteSession.Open(_path);
        Post(s, 2);
        // A lease of a process the system will not tell about (pid 1 with a wrong start time would be dead; a
        // plausible owner that is alive: this process with its start time) and whose expiry has passed.
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long selfMs = new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        using (var c = Raw(_path))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE posted SET lease_owner = 'someone', lease_pid = $pid, lease_started = $st, lease_expires = $exp";
            cmd.Parameters.AddWithValue("$pid", (long)self.Id);
            cmd.Parameters.AddWithValue("$st", selfMs);
            cmd.Parameters.AddWithValue("$exp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1);
            cmd.ExecuteNonQuery();
        }
        using var lease = s.LeasePosted();
        Assert.Equal(2, lease.Items.Count);
    }

    [Fact]
    public void Creating_instances_key_instances_and_put_batches_report_a_plain_SQLite_error_as_FAILED_naming_the_repository()
    {
        using var s = CimLiteSession.Open(_path);
        var item = s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = 1u });
        using (var other = Raw(_path)) Exec(other, "ALTER TABLE cimlite_format RENAME TO gone");
        var errors = new List<CimLiteException>
        {
            Assert.Throws<CimLiteException>(() => s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = 2u })),
            Assert.Throws<CimLiteException>(() => s.CreateKeyInstance(item.GetPath())),
        };
        foreach (var ex in errors)
        {
            SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "cimlite_format");
            Assert.IsType<SqliteException>(ex.InnerException);
        }
        // A write begins by checking the schema again (issue 22 item 2): the renamed table is an object CimLite did not create.
        var writes = new List<CimLiteException>
        {
            Assert.Throws<CimLiteException>(() => s.PutInstances(new[] { item })),
            Assert.Throws<CimLiteException>(() => { using var batch = s.BeginPutBatch(); batch.Add(item); }),
        };
        foreach (var ex in writes) SessionFixture.AssertStatus(ex, CimStatus.Failed, _path, "table 'gone'");
    }

    [Fact]
    public void A_consumer_that_throws_while_the_early_stop_cannot_be_acknowledged_keeps_its_own_exception_and_loses_nothing()
    {
        using (var w = CimLiteSession.Open(_path)) Post(w, 3);
        var s = CimLiteSession.Open(_path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        using var holder = Raw(_path);
        var thrown = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var item in s.ReceivePosted())
            {
                Exec(holder, "BEGIN IMMEDIATE"); // the acknowledgement of the early stop will meet this lock
                throw new InvalidOperationException("the consumer's own failure");
            }
        });
        Assert.Equal("the consumer's own failure", thrown.Message);
        Exec(holder, "ROLLBACK");
        s.Dispose(); // releases the batch
        using var again = CimLiteSession.Open(_path);
        Assert.Equal(new uint[] { 0, 1, 2 }, again.ReceivePosted().Select(p => (uint)p.Instance["N"]!).ToList());
    }

    [Fact]
    public void Damage_inside_a_retried_operation_is_not_retried()
    {
        using var s = CimLiteSession.Open(_path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(5) });
        int runs = 0;
        var damage = Assert.Throws<SqliteException>(() => s.RetryBusy<int>(() => { runs++; throw new SqliteException("database disk image is malformed", 11, 11); }));
        Assert.Equal(1, runs);
        Assert.Equal(11, damage.SqliteErrorCode);
    }
}
