using CimLite.Storage.Sqlite;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Posting;

/// <summary>
/// Issue 15 item 6: watching the posted queue (what Register-CimLiteIndicationEvent's subscribers do). A watch
/// observes by sequence after its high-water mark, removes nothing, and still sees what a consumer took before it
/// polled (taken rows stay in posted_taken for the retention window, then are purged).
/// </summary>
public sealed class PostedWatchTests : TempFolderTests
{
    private readonly string _path;

    public PostedWatchTests() : base("watch")
    {
        _path = Path.Combine(Folder, "queue.db");
        using var s = CimLiteSession.Open(_path);
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Prop("Msg", "string").Create();
        SessionFixture.Class(s, "SubEvt", "Evt").Prop("Extra", "string").Create();
        SessionFixture.Class(s, "Other").Indication().Prop("N", "uint32").Create();
        SessionFixture.Class(s, "Disk").Key("Id").Create();
    }

    private static void Post(CimLiteSession s, string className, params int[] ns)
    {
        foreach (var n in ns) s.PostIndication(s.NewInstance(className, new Dictionary<string, object?> { ["N"] = (uint)n }));
    }

    private static List<uint> Ns(IEnumerable<PostedIndication> items) => items.Select(p => (uint)p.Instance["N"]!).ToList();

    private static string Scalar(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        return Convert.ToString(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public void A_watch_sees_only_what_is_posted_after_it_started_in_order_and_takes_nothing()
    {
        using var s = CimLiteSession.Open(_path);
        Post(s, "Evt", 1, 2);
        var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" });
        Assert.Empty(watch.Poll());
        Post(s, "Evt", 3);
        Post(s, "Other", 99);
        Post(s, "SubEvt", 4);
        var seen = watch.Poll();
        Assert.Equal(new uint[] { 3, 4 }, Ns(seen));
        Assert.Equal("SubEvt", seen[1].Instance.ClassName);
        Assert.True(seen[0].Sequence < seen[1].Sequence);
        Assert.Empty(watch.Poll());
        // Nothing was taken: a consumer still receives everything, once.
        Assert.Equal(new uint[] { 1, 2, 3, 4 }, Ns(s.ReceivePosted(new ReceiveOptions { ClassName = "Evt" })));
        Assert.Empty(s.ReceivePosted(new ReceiveOptions { ClassName = "Evt" }));
    }

    [Fact]
    public void A_watch_still_sees_what_a_consumer_in_another_session_took_before_it_polled()
    {
        using var subscriber = CimLiteSession.Open(_path);
        using var consumer = CimLiteSession.Open(_path);
        var watch = subscriber.WatchPosted(new WatchOptions { ClassName = "Evt" });
        Post(consumer, "Evt", 1, 2, 3);
        Assert.Equal(new uint[] { 1, 2 }, Ns(consumer.ReceivePosted(new ReceiveOptions { First = 2 })));
        Assert.Equal("1", Scalar(consumer, "SELECT count(*) FROM posted"));
        Assert.Equal("2", Scalar(consumer, "SELECT count(*) FROM posted_taken"));
        Assert.Equal(new uint[] { 1, 2, 3 }, Ns(watch.Poll()));
        // The consumer's view is unchanged: taken ones are gone from the queue.
        Assert.Equal(new uint[] { 3 }, Ns(consumer.ReceivePosted()));
        Assert.Empty(consumer.ReceivePosted(new ReceiveOptions { Keep = true }));
    }

    [Fact]
    public void Two_watches_each_see_every_indication_and_a_consumer_takes_each_once()
    {
        using var a = CimLiteSession.Open(_path);
        using var b = CimLiteSession.Open(_path);
        using var c = CimLiteSession.Open(_path);
        var wa = a.WatchPosted(new WatchOptions { ClassName = "Evt" });
        var wb = b.WatchPosted(new WatchOptions { ClassName = "Evt" });
        var seenA = new List<uint>();
        var seenB = new List<uint>();
        var taken = new List<uint>();
        for (int i = 1; i <= 30; i++)
        {
            Post(c, "Evt", i);
            if (i % 3 == 0) taken.AddRange(Ns(c.ReceivePosted()));
            if (i % 4 == 0) seenA.AddRange(Ns(wa.Poll()));
            if (i % 7 == 0) seenB.AddRange(Ns(wb.Poll()));
        }
        seenA.AddRange(Ns(wa.Poll()));
        seenB.AddRange(Ns(wb.Poll()));
        taken.AddRange(Ns(c.ReceivePosted()));
        var all = Enumerable.Range(1, 30).Select(n => (uint)n).ToList();
        Assert.Equal(all, seenA);
        Assert.Equal(all, seenB);
        Assert.Equal(all, taken);
    }

    [Fact]
    public void A_query_filters_in_memory_and_projects_the_selected_properties()
    {
        using var s = CimLiteSession.Open(_path);
        var watch = s.WatchPosted(new WatchOptions { Query = "SELECT N FROM Evt WHERE N > 2 AND N <> 5" });
        foreach (var n in new[] { 1, 2, 3, 4, 5, 6 })
            s.PostIndication(s.NewInstance(n % 2 == 0 ? "SubEvt" : "Evt", new Dictionary<string, object?> { ["N"] = (uint)n, ["Msg"] = "m" + n }));
        var seen = watch.Poll();
        Assert.Equal(new uint[] { 3, 4, 6 }, Ns(seen));
        Assert.All(seen, p => Assert.Null(p.Instance["Msg"]));
    }

    [Fact]
    public void Polls_read_in_batches_and_go_on_where_the_last_stopped()
    {
        using var s = CimLiteSession.Open(_path);
        var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" });
        Post(s, "Evt", 1, 2, 3, 4, 5);
        Assert.Equal(new uint[] { 1, 2 }, Ns(watch.Poll(2)));
        Assert.Equal(new uint[] { 3, 4 }, Ns(watch.Poll(2)));
        Assert.Equal(new uint[] { 5 }, Ns(watch.Poll(2)));
        Assert.Empty(watch.Poll(2));
    }

    [Fact]
    public void Taken_rows_are_purged_after_the_retention_window_and_a_late_watch_then_misses_only_those()
    {
        using var s = CimLiteSession.Open(_path);
        var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" });
        Post(s, "Evt", 1, 2);
        Assert.Equal(2, s.ReceivePosted().Count());
        s.TakenRetention = TimeSpan.Zero;
        Post(s, "Evt", 3, 4);
        Assert.Equal(new uint[] { 3 }, Ns(s.ReceivePosted(new ReceiveOptions { First = 1 }))); // this take purges 1 and 2
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM posted_taken"));
        Assert.Equal(new uint[] { 3, 4 }, Ns(watch.Poll()));
    }

    [Fact]
    public void A_watch_inside_the_sessions_own_transaction_sees_nothing_until_it_commits_and_nothing_if_it_rolls_back()
    {
        using var s = CimLiteSession.Open(_path);
        var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" });
        using (var batch = s.BeginPutBatch())
        {
            Post(s, "Evt", 1);
            Assert.Empty(watch.Poll());
        }
        Post(s, "Evt", 2);
        Assert.Equal(new uint[] { 2 }, Ns(watch.Poll()));
    }

    [Fact]
    public void A_taken_row_the_class_no_longer_reads_is_skipped_and_the_watch_goes_on()
    {
        using var s = CimLiteSession.Open(_path);
        var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" });
        Post(s, "Evt", 1, 2);
        Assert.Equal(2, s.ReceivePosted().Count());
        using (var c = s.Sqlite().NewCommand("UPDATE posted_taken SET data = '[1]' WHERE id = (SELECT min(id) FROM posted_taken)"))
            Assert.Equal(1, c.ExecuteNonQuery());
        Post(s, "Evt", 3);
        Assert.Equal(new uint[] { 2, 3 }, Ns(watch.Poll()));
    }

    [Fact]
    public void Bad_watches_are_refused_with_the_offending_name()
    {
        using var s = CimLiteSession.Open(_path);
        var e = Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions { ClassName = "Disk" }));
        Assert.Equal(CimStatus.InvalidClass, e.Status);
        Assert.Contains("Disk", e.Message);
        Assert.Equal(CimStatus.InvalidClass, Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions { ClassName = "Nope" })).Status);
        Assert.Equal(CimStatus.InvalidQuery, Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions { Query = "SELECT * FROM Evt WHERE Nope = 1" })).Status);
        Assert.Equal(CimStatus.InvalidQuery, Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions { Query = "SELECT FROM" })).Status);
        Assert.Equal(CimStatus.InvalidParameter, Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions())).Status);
        Assert.Equal(CimStatus.InvalidNamespace, Assert.Throws<CimLiteException>(() => s.WatchPosted(new WatchOptions { ClassName = "Evt", Namespace = "root/nope" })).Status);
    }

    [Fact]
    public void The_watch_statements_read_primary_key_ranges_and_the_purge_its_index()
    {
        using var s = CimLiteSession.Open(_path);
        List<string> Plan(string sql)
        {
            var lines = new List<string>();
            using var command = s.Sqlite().NewCommand("EXPLAIN QUERY PLAN " + sql);
            using var reader = command.ExecuteReader();
            while (reader.Read()) lines.Add(reader.GetString(3));
            return lines;
        }
        var observe = Plan(SqlitePostedStore.ObserveSql);
        // The queue through its primary key or posted_in_order (namespace=? AND id>? AND id<?): a range either way.
        Assert.Contains(observe, l => l.StartsWith("SEARCH posted USING ", StringComparison.Ordinal) && (l.Contains("rowid>? AND rowid<?", StringComparison.Ordinal) || l.Contains("id>? AND id<?", StringComparison.Ordinal)));
        Assert.DoesNotContain(observe, l => l.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Contains(observe, l => l.StartsWith("SEARCH posted_taken USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(observe, l => l.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.DoesNotContain(Plan(SqlitePostedStore.LastSequenceSql), l => l.StartsWith("SCAN posted", StringComparison.Ordinal));
        Assert.Contains(Plan(SqlitePostedStore.PurgeTakenSql), l => l.Contains("posted_taken_by_time", StringComparison.Ordinal));
        Assert.DoesNotContain(Plan(SqlitePostedStore.KeepTakenSql), l => l.StartsWith("SCAN posted", StringComparison.Ordinal));
    }
}
