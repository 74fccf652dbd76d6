using System.Diagnostics;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Posting;

/// <summary>DESIGN §3: the durable posted queue and ReceivePosted.</summary>
public sealed class PostedQueueTests : BackendSessionFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cimlite-posted-" + Guid.NewGuid().ToString("N"));

    protected override void Arrange()
    {
        Directory.CreateDirectory(_folder);
        Declare(Session);
    }

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static void Declare(CimLiteSession s)
    {
        Class(s, "Evt").Indication().Prop("Text", "string").Prop("N", "uint32").Create();
        Class(s, "SubEvt", "Evt").Prop("Extra", "string").Create();
        Class(s, "OtherEvt").Indication().Prop("Text", "string").Create();
        Class(s, "Disk").Key("DeviceId").Create();
    }

    private static CimLiteInstance Evt(CimLiteSession s, uint n, string className = "Evt") =>
        s.NewInstance(className, new Dictionary<string, object?> { ["Text"] = className + n, ["N"] = className == "OtherEvt" ? null : n }
            .Where(kv => kv.Value != null).ToDictionary(kv => kv.Key, kv => kv.Value));

    private static void PostMany(CimLiteSession s, int count, string className = "Evt", uint start = 0)
    {
        for (uint n = start; n < start + count; n++) s.PostIndication(Evt(s, n, className));
    }

    private static List<string> Texts(IEnumerable<PostedIndication> items) => items.Select(p => (string)p.Instance["Text"]!).ToList();

    private List<string> Peek() => Texts(Session.ReceivePosted(new ReceiveOptions { Keep = true }));

    private string NewFile()
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
        using (var s = CimLiteSession.Open(path)) Declare(s);
        return path;
    }

    // ---- order, Keep, First, ClassName ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void ReceivePosted_returns_indications_in_posting_order_and_removes_them(string backend)
    {
        Use(backend);
        PostMany(Session, 250);
        var received = Session.ReceivePosted(new ReceiveOptions { BatchSize = 7 }).ToList();
        Assert.Equal(Enumerable.Range(0, 250).Select(n => "Evt" + n), Texts(received));
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.All(received, r => Assert.InRange(r.PostedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Empty(Session.ReceivePosted());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Sequence_numbers_are_never_reused_after_the_queue_was_emptied(string backend)
    {
        Use(backend);
        PostMany(Session, 3);
        var last = Session.ReceivePosted().Last().Sequence;
        PostMany(Session, 1, start: 3);
        Assert.True(Session.ReceivePosted().Single().Sequence > last);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Received_indications_keep_their_class_values_and_qualifiers(string backend)
    {
        Use(backend);
        var e = Session.NewInstance("SubEvt", new Dictionary<string, object?> { ["Text"] = "t", ["N"] = 5, ["Extra"] = "x" });
        e.SetQualifier(new CimQualifier("Description", "described"));
        Session.PostIndication(e);
        var got = Session.ReceivePosted().Single().Instance;
        Assert.Equal("SubEvt", got.ClassName);
        Assert.Equal("root/cimv2", got.Namespace);
        Assert.Equal(5U, got["N"]);
        Assert.Equal("x", got["Extra"]);
        Assert.Equal("described", got.OwnQualifiers.Single().Value);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Keep_leaves_what_it_returns_in_the_queue(string backend)
    {
        Use(backend);
        PostMany(Session, 5);
        Assert.Equal(5, Session.ReceivePosted(new ReceiveOptions { Keep = true, BatchSize = 2 }).Count());
        Assert.Equal(5, Session.ReceivePosted(new ReceiveOptions { Keep = true }).Count());
        Assert.Equal(5, Session.ReceivePosted().Count());
        Assert.Empty(Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void First_returns_at_most_n_and_leaves_the_rest_in_order(string backend)
    {
        Use(backend);
        PostMany(Session, 10);
        Assert.Equal(new[] { "Evt0", "Evt1", "Evt2" }, Texts(Session.ReceivePosted(new ReceiveOptions { First = 3 })));
        Assert.Equal(new[] { "Evt3", "Evt4" }, Texts(Session.ReceivePosted(new ReceiveOptions { First = 2, Keep = true })));
        Assert.Equal(Enumerable.Range(3, 7).Select(n => "Evt" + n), Peek());
        Assert.Equal(new[] { "Evt3", "Evt4", "Evt5", "Evt6" }, Texts(Session.ReceivePosted(new ReceiveOptions { First = 4, BatchSize = 3 })));
        Assert.Equal(new[] { "Evt7", "Evt8", "Evt9" }, Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void ClassName_takes_the_class_and_its_subclasses_only_and_leaves_the_others(string backend)
    {
        Use(backend);
        Session.PostIndication(Evt(Session, 0));
        Session.PostIndication(Evt(Session, 1, "OtherEvt"));
        Session.PostIndication(Evt(Session, 2, "SubEvt"));
        Session.PostIndication(Evt(Session, 3));
        Assert.Equal(new[] { "SubEvt2" }, Texts(Session.ReceivePosted(new ReceiveOptions { ClassName = "subevt", Keep = true })));
        Assert.Equal(new[] { "Evt0", "SubEvt2", "Evt3" }, Texts(Session.ReceivePosted(new ReceiveOptions { ClassName = "Evt" })));
        Assert.Equal(new[] { "OtherEvt1" }, Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void ReceivePosted_of_a_class_that_is_not_an_indication_fails_with_InvalidClass(string backend)
    {
        Use(backend);
        PostMany(Session, 1);
        Fails(CimStatus.InvalidClass, () => Session.ReceivePosted(new ReceiveOptions { ClassName = "Disk" }), "Disk", "not an indication class");
        Assert.Single(Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void ReceivePosted_of_an_unknown_class_or_namespace_fails_before_taking_anything(string backend)
    {
        Use(backend);
        PostMany(Session, 1);
        Fails(CimStatus.InvalidClass, () => Session.ReceivePosted(new ReceiveOptions { ClassName = "Nope" }), "Nope");
        Fails(CimStatus.InvalidNamespace, () => Session.ReceivePosted(new ReceiveOptions { Namespace = "root/nope" }), "root/nope");
        Assert.Single(Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Posting_an_instance_of_a_class_that_is_not_an_indication_fails_with_InvalidClass(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidClass, () => Session.PostIndication(Session.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "C:" })), "Disk");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Putting_an_indication_fails_with_InvalidOperation_and_queues_nothing(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidOperation, () => Session.PutInstance(Evt(Session, 1)), "Evt", "posted");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Deleting_an_indication_class_with_Force_drops_its_queued_indications_only(string backend)
    {
        Use(backend);
        Session.PostIndication(Evt(Session, 0));
        Session.PostIndication(Evt(Session, 1, "OtherEvt"));
        Session.PostIndication(Evt(Session, 2, "SubEvt"));
        Session.DeleteClass("Evt", force: true);
        Assert.Equal(new[] { "OtherEvt1" }, Peek());
    }

    [Fact]
    public void A_read_only_session_may_peek_but_not_take()
    {
        var path = NewFile();
        using (var w = CimLiteSession.Open(path)) PostMany(w, 2);
        using var ro = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true });
        Assert.Equal(2, ro.ReceivePosted(new ReceiveOptions { Keep = true }).Count());
        Fails(ro, CimStatus.AccessDenied, () => ro.ReceivePosted(), "read-only");
        Fails(ro, CimStatus.AccessDenied, () => ro.PostIndication(Evt(ro, 9)), "read-only");
    }

    // ---- nothing lost ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reader_that_stops_early_loses_nothing_it_did_not_receive(string backend)
    {
        Use(backend);
        PostMany(Session, 10);
        var got = new List<string>();
        foreach (var item in Session.ReceivePosted())
        {
            got.Add((string)item.Instance["Text"]!);
            if (got.Count == 3) break; // disposes the enumerator in the middle of a batch
        }
        Assert.Equal(new[] { "Evt0", "Evt1", "Evt2" }, got);
        Assert.Equal(Enumerable.Range(3, 7).Select(n => "Evt" + n), Peek());
        PostMany(Session, 1, start: 10);
        Assert.Equal(Enumerable.Range(3, 8).Select(n => "Evt" + n), Texts(Session.ReceivePosted()));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reader_that_throws_while_handling_an_item_loses_nothing_after_it(string backend)
    {
        Use(backend);
        PostMany(Session, 5);
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var item in Session.ReceivePosted())
                if ((uint)item.Instance["N"]! == 1) throw new InvalidOperationException("reader crashed");
        });
        Assert.Equal(new[] { "Evt2", "Evt3", "Evt4" }, Peek());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reader_that_fails_before_its_transaction_commits_takes_nothing(string backend)
    {
        Use(backend);
        // The third queued row cannot be read back: the batch fails inside its transaction, which rolls back.
        PostMany(Session, 2);
        if (Session.Postgres() is { } postgres)
            postgres.NonQuery("INSERT INTO posted(namespace, class_name, data, posted_at) VALUES ('root/cimv2', 'Evt', '{broken', '2020-01-01T00:00:00.0000000+00:00')");
        else
            using (var c = Session.Sqlite().NewCommand("INSERT INTO posted(namespace, class_name, data, posted_at) VALUES ('root/cimv2', 'Evt', '{broken', '2020-01-01T00:00:00.0000000+00:00')"))
                c.ExecuteNonQuery();
        PostMany(Session, 1, start: 3);
        var before = Snapshot();
        Assert.ThrowsAny<Exception>(() => Session.ReceivePosted().ToList());
        Assert.Equal(before, Snapshot());
        Assert.Equal(new[] { "Evt0", "Evt1" }, Texts(Session.ReceivePosted(new ReceiveOptions { First = 2 })));
    }

    [Fact]
    public void A_reader_killed_with_its_transaction_open_loses_nothing()
    {
        // What a reader process does, cut off before COMMIT: SQLite rolls its DELETE back.
        var path = NewFile();
        using (var w = CimLiteSession.Open(path)) PostMany(w, 4);
        using (var dying = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            dying.Open();
            using var tx = dying.BeginTransaction(deferred: false);
            using var take = dying.CreateCommand();
            take.Transaction = tx;
            take.CommandText = "DELETE FROM posted WHERE id IN (SELECT id FROM posted ORDER BY id LIMIT 2)";
            Assert.Equal(2, take.ExecuteNonQuery());
            // no commit: the connection goes away
        }
        using var reader = CimLiteSession.Open(path);
        Assert.Equal(new[] { "Evt0", "Evt1", "Evt2", "Evt3" }, Texts(reader.ReceivePosted()));
    }

    // ---- two sessions on one file ----

    [Fact]
    public void Two_sessions_on_one_file_exchange_indications_in_order()
    {
        var path = NewFile();
        using var writer = CimLiteSession.Open(path);
        using var reader = CimLiteSession.Open(path);
        PostMany(writer, 300);
        Assert.Equal(Enumerable.Range(0, 300).Select(n => "Evt" + n), Texts(reader.ReceivePosted(new ReceiveOptions { BatchSize = 64 })));
        Assert.Empty(writer.ReceivePosted(new ReceiveOptions { Keep = true }));
    }

    [Fact]
    public void Interleaved_posting_and_receiving_in_two_sessions_loses_and_duplicates_nothing()
    {
        const int total = 600;
        var path = NewFile();
        Exception? failure = null;
        var poster = new Thread(() =>
        {
            try
            {
                using var writer = CimLiteSession.Open(path);
                for (uint n = 0; n < total; n++)
                {
                    writer.PostIndication(Evt(writer, n));
                    if (n % 50 == 0) Thread.Sleep(5);
                }
            }
            catch (Exception e) { failure = e; }
        });
        using var reader = CimLiteSession.Open(path);
        poster.Start();
        var got = new List<uint>();
        var watch = Stopwatch.StartNew();
        while (got.Count < total && watch.Elapsed < TimeSpan.FromSeconds(60) && failure == null)
            got.AddRange(reader.ReceivePosted(new ReceiveOptions { Wait = true, Timeout = TimeSpan.FromSeconds(2), BatchSize = 16 })
                .Select(p => (uint)p.Instance["N"]!));
        poster.Join();
        Assert.Null(failure);
        Assert.Equal(Enumerable.Range(0, total).Select(n => (uint)n), got);
        Assert.Empty(reader.ReceivePosted(new ReceiveOptions { Keep = true }));
    }

    [Fact]
    public void Two_competing_readers_together_receive_everything_exactly_once()
    {
        const int total = 400;
        var path = NewFile();
        using (var w = CimLiteSession.Open(path)) PostMany(w, total);
        var lists = new List<uint>[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            using var s = CimLiteSession.Open(path);
            var mine = new List<uint>();
            List<uint> batch;
            do
            {
                batch = s.ReceivePosted(new ReceiveOptions { First = 10, BatchSize = 5 }).Select(p => (uint)p.Instance["N"]!).ToList();
                mine.AddRange(batch);
            } while (batch.Count > 0);
            lists[t] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(Enumerable.Range(0, total).Select(n => (uint)n), lists[0].Concat(lists[1]).OrderBy(n => n));
        Assert.All(lists, l => Assert.Equal(l.OrderBy(n => n), l)); // each reader sees its share in posting order
    }

    // ---- Wait ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Wait_with_a_timeout_returns_nothing_once_the_timeout_passed(string backend)
    {
        Use(backend);
        var watch = Stopwatch.StartNew();
        Assert.Empty(Session.ReceivePosted(new ReceiveOptions { Wait = true, Timeout = TimeSpan.FromMilliseconds(400) }));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Without_Wait_an_empty_queue_returns_at_once(string backend)
    {
        Use(backend);
        var watch = Stopwatch.StartNew();
        Assert.Empty(Session.ReceivePosted(new ReceiveOptions { Timeout = TimeSpan.FromSeconds(10) }));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Wait_returns_at_once_when_something_is_queued(string backend)
    {
        Use(backend);
        PostMany(Session, 2);
        var watch = Stopwatch.StartNew();
        Assert.Equal(2, Session.ReceivePosted(new ReceiveOptions { Wait = true }).Count());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Wait_wakes_when_another_session_posts()
    {
        var path = NewFile();
        using var reader = CimLiteSession.Open(path);
        var poster = new Thread(() =>
        {
            Thread.Sleep(200);
            using var writer = CimLiteSession.Open(path);
            writer.PostIndication(Evt(writer, 42));
        });
        var watch = Stopwatch.StartNew();
        poster.Start();
        var got = reader.ReceivePosted(new ReceiveOptions { Wait = true, Timeout = TimeSpan.FromSeconds(20) }).ToList();
        watch.Stop();
        poster.Join();
        Assert.Equal(new[] { "Evt42" }, Texts(got));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Wait_for_a_class_ignores_other_classes_and_wakes_for_its_own()
    {
        var path = NewFile();
        using var reader = CimLiteSession.Open(path);
        var poster = new Thread(() =>
        {
            using var writer = CimLiteSession.Open(path);
            Thread.Sleep(100);
            writer.PostIndication(Evt(writer, 1, "OtherEvt"));
            Thread.Sleep(200);
            writer.PostIndication(Evt(writer, 2, "SubEvt"));
        });
        poster.Start();
        var got = reader.ReceivePosted(new ReceiveOptions { ClassName = "Evt", Wait = true, Timeout = TimeSpan.FromSeconds(20) }).ToList();
        poster.Join();
        Assert.Equal(new[] { "SubEvt2" }, Texts(got));
        Assert.Equal(new[] { "OtherEvt1" }, Texts(reader.ReceivePosted()));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Cancellation_ends_a_Wait_promptly(string backend)
    {
        Use(backend);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        var got = Session.ReceivePosted(new ReceiveOptions { Wait = true }, cts.Token).ToList();
        Assert.Empty(got);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(2));
    }
}
