using System.Diagnostics;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Two connections on one file in one process: one holds the write lock, the other's operations wait and retry
/// their whole transaction until it is released, or fail with the "repository busy" error once their busy timeout
/// is spent (issue 6, concurrency).
/// </summary>
public sealed class BusyRetryTests : TempFolderTests
{

    public BusyRetryTests() : base("busy") { }

    private string NewFile() => Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db");

    private static CimLiteSession Schema(string path)
    {
        var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Item").Key("Id").Prop("N", "uint32").Create();
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Create();
        return s;
    }

    private static CimLiteInstance Item(CimLiteSession s, string id, uint n) =>
        s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = id, ["N"] = n });

    /// <summary>Holds <paramref name="holder"/>'s write lock until <paramref name="release"/> is set, on another thread.</summary>
    private static Thread HoldLock(CimLiteSession holder, ManualResetEventSlim taken, ManualResetEventSlim release) => Started(() =>
    {
        using (holder.Repository.BeginWrite())
        {
            taken.Set();
            release.Wait();
        }
    });

    /// <summary>Runs <paramref name="body"/> on a thread of its own (join it; an exception there fails the test run loudly).</summary>
    private static Thread Started(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static Thread ReleaseAfter(ManualResetEventSlim release, int ms) => Started(() => { Thread.Sleep(ms); release.Set(); });

    [Fact]
    public void Every_kind_of_write_waits_for_a_held_lock_and_succeeds_once_it_is_released()
    {
        var path = NewFile();
        using var holder = Schema(path);
        holder.PutInstance(Item(holder, "gone", 1));
        holder.PostIndication(holder.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 7u }));
        using var waiter = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });

        var operations = new (string Name, Action Run)[]
        {
            ("put", () => waiter.PutInstance(Item(waiter, "a", 1))),
            ("partial put", () => waiter.PutInstance(Item(waiter, "a", 2), new PutOptions { PropertyList = new[] { "N" } })),
            ("delete", () => waiter.DeleteInstance(InstancePath.Parse("Item.Id=\"gone\""))),
            ("post", () => waiter.PostIndication(waiter.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 8u }))),
            ("receive", () => Assert.Equal(7u, Assert.Single(waiter.ReceivePosted(new ReceiveOptions { ClassName = "Evt", First = 1 })).Instance["N"])),
        };
        foreach (var (name, run) in operations)
        {
            using var taken = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var hold = HoldLock(holder, taken, release);
            Assert.True(taken.Wait(TimeSpan.FromSeconds(30)));
            var releaser = ReleaseAfter(release, 600);
            var watch = Stopwatch.StartNew();
            run();
            watch.Stop();
            releaser.Join();
            hold.Join();
            // It could only finish after the release: a lower bound, no upper one (a loaded machine is slow).
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), name + " did not wait: " + watch.Elapsed);
        }

        Assert.Equal(2u, holder.GetInstance(InstancePath.Parse("Item.Id=\"a\""))["N"]);
        Assert.Null(holder.FindInstance(InstancePath.Parse("Item.Id=\"gone\"")));
        Assert.Equal(8u, Assert.Single(holder.ReceivePosted(new ReceiveOptions { ClassName = "Evt" })).Instance["N"]);
    }

    [Fact]
    public void Every_kind_of_write_fails_with_the_busy_error_when_the_lock_is_held_longer_than_the_timeout_and_changes_nothing()
    {
        var path = NewFile();
        using var holder = Schema(path);
        holder.PutInstance(Item(holder, "kept", 1));
        holder.PostIndication(holder.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 7u }));
        using var blocked = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var before = SessionFixture.Snapshot(holder);

        using var taken = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var hold = HoldLock(holder, taken, release);
        try
        {
            Assert.True(taken.Wait(TimeSpan.FromSeconds(30)));
            var operations = new (string Name, Action Run)[]
            {
                ("put", () => blocked.PutInstance(Item(blocked, "new", 1))),
                ("partial put", () => blocked.PutInstance(Item(blocked, "kept", 2), new PutOptions { PropertyList = new[] { "N" } })),
                ("delete", () => blocked.DeleteInstance(InstancePath.Parse("Item.Id=\"kept\""))),
                ("post", () => blocked.PostIndication(blocked.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 8u }))),
                ("receive", () => blocked.ReceivePosted(new ReceiveOptions { ClassName = "Evt" }).ToList()),
                ("create class", () => SessionFixture.Class(blocked, "Other").Key("Id").Create()),
            };
            foreach (var (name, run) in operations)
            {
                var ex = Assert.Throws<CimLiteException>(run);
                Assert.True(ex.Status == CimStatus.Failed, name + ": " + ex.Status);
                Assert.Contains("busy", ex.Message);
                Assert.Contains(path, ex.Message);
                Assert.DoesNotContain("database is locked", ex.Message);
            }
            // Reads do not need the write lock (WAL): they still work.
            Assert.Equal(1u, blocked.GetInstance(InstancePath.Parse("Item.Id=\"kept\""))["N"]);
        }
        finally
        {
            release.Set();
            hold.Join();
        }
        Assert.Equal(before, SessionFixture.Snapshot(holder));
    }

    [Fact]
    public void A_busy_that_sqlite_does_not_wait_for_is_retried_by_the_engine_until_the_lock_is_released()
    {
        // The waiter's own busy handler is off (busy_timeout 0) and ADO.NET's command retry gives up after 1 s, while
        // the lock is held for 2.5 s: only the engine's retry of the transaction can make this put succeed.
        var path = NewFile();
        using var holder = Schema(path);
        using var waiter = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
        waiter.Sqlite().Execute("PRAGMA busy_timeout = 0");
        waiter.Sqlite().Connection.DefaultTimeout = 1; // ADO.NET's own retry of a busy command stops after 1 s (0 would be "forever")

        using var taken = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var hold = HoldLock(holder, taken, release);
        Assert.True(taken.Wait(TimeSpan.FromSeconds(30)));
        var releaser = ReleaseAfter(release, 2500);
        waiter.PutInstance(Item(waiter, "x", 3));
        releaser.Join();
        hold.Join();
        Assert.Equal(3u, holder.GetInstance(InstancePath.Parse("Item.Id=\"x\""))["N"]);
    }

    [Fact]
    public void A_provider_is_called_once_even_when_its_put_had_to_wait_for_the_lock()
    {
        var path = NewFile();
        using var holder = Schema(path);
        using var waiter = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
        var log = new List<string>();
        waiter.Providers.Register("Item", new TestProvider("p", log));

        using var taken = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var hold = HoldLock(holder, taken, release);
        Assert.True(taken.Wait(TimeSpan.FromSeconds(30)));
        var releaser = ReleaseAfter(release, 400);
        waiter.PutInstance(Item(waiter, "p1", 1));
        releaser.Join();
        hold.Join();
        Assert.Single(log, l => l.Contains("Put", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void RetryBusy_reruns_a_whole_attempt_after_busy_but_never_one_that_called_a_provider()
    {
        using var s = CimLiteSession.Open(NewFile(), new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
        int runs = 0;
        var result = s.RetryBusy(() =>
        {
            if (++runs < 4) throw new SqliteException("database is locked", 5, 517); // BUSY_SNAPSHOT
            return "done";
        });
        Assert.Equal("done", result);
        Assert.Equal(4, runs);

        runs = 0;
        var ex = Assert.Throws<CimLiteException>(() => s.RetryBusy<string>(() =>
        {
            runs++;
            s.CountProviderCall();
            throw new SqliteException("database table is locked", 6, 6);
        }));
        Assert.Equal(1, runs);
        Assert.Equal(CimStatus.Failed, ex.Status);
        Assert.Contains("busy", ex.Message);

        // Other SQLite errors are not retried.
        runs = 0;
        Assert.Throws<SqliteException>(() => s.RetryBusy<string>(() => { runs++; throw new SqliteException("constraint", 19, 19); }));
        Assert.Equal(1, runs);
    }

    [Fact]
    public void RetryBusy_gives_up_with_the_busy_error_when_the_timeout_is_spent()
    {
        using var s = CimLiteSession.Open(NewFile(), new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        int runs = 0;
        var ex = Assert.Throws<CimLiteException>(() => s.RetryBusy<string>(() => { runs++; throw new SqliteException("database is locked", 5, 261); }));
        Assert.Contains("busy", ex.Message);
        Assert.True(runs > 1, "retried " + runs);
        Assert.IsType<SqliteException>(ex.InnerException);
    }

    [Fact]
    public void Processes_racing_to_create_a_new_repository_all_open_it_and_it_is_created_once()
    {
        for (int round = 0; round < 100; round++)
        {
            var path = NewFile();
            using var start = new ManualResetEventSlim();
            var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var opens = Enumerable.Range(0, 4).Select(_ => Started(() =>
            {
                try
                {
                    start.Wait();
                    using var s = CimLiteSession.Open(path);
                    Assert.NotEmpty(s.GetNamespaces());
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            })).ToArray();
            start.Set();
            foreach (var t in opens) t.Join();
            Assert.Empty(errors);
            using var check = CimLiteSession.Open(path);
            Assert.Equal(1L, check.Sqlite().Scalar("SELECT count(*) FROM cimlite_format WHERE name = 'format'"));
        }
    }
}
