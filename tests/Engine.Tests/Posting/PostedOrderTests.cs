using CimLite.Storage.Postgres;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Posting;

/// <summary>
/// Posts from several clients at once on a shared repository (issue 18 item 3): subscribers and readers page by
/// sequence, so a post must never become visible after a later one; and a waiting reader on PostgreSQL wakes on the
/// post itself (LISTEN/NOTIFY) instead of polling.
/// </summary>
public sealed class PostedOrderTests : IDisposable
{
    private readonly List<IDisposable> _cleanup = new();
    private string? _file;
    private PostgresTestSchema? _schema;

    /// <summary>The backends where two sessions share one repository: a file, and PostgreSQL where a server can be had.</summary>
    public static TheoryData<string> Shared
    {
        get
        {
            var data = new TheoryData<string> { TestBackends.SqliteFile };
            if (PostgresServer.ShouldTest) data.Add(TestBackends.Postgres);
            return data;
        }
    }

    private CimLiteSession Open(string backend)
    {
        CimLiteSession session;
        if (backend == TestBackends.Postgres)
        {
            if (_schema == null) _cleanup.Add(_schema = PostgresServer.Shared.NewSchema());
            session = PostgresBackend.OpenSession(_schema.ConnectionString);
        }
        else
        {
            if (_file == null)
            {
                var folder = Path.Combine(Path.GetTempPath(), "cimlite-order-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(folder);
                _file = Path.Combine(folder, "shared.cimlite");
            }
            session = CimLiteSession.Open(_file);
        }
        _cleanup.Insert(0, session);
        return session;
    }

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
        if (_file != null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true); } catch (IOException) { }
        }
    }

    private static void Declare(CimLiteSession s) =>
        SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();

    private static CimLiteInstance Evt(CimLiteSession s, string text) =>
        s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = text });

    private static List<string> Texts(IEnumerable<PostedIndication> items) => items.Select(p => (string)p.Instance["Text"]!).ToList();

    [Theory, MemberData(nameof(Shared))]
    public void A_post_still_open_when_a_later_one_commits_is_not_skipped_by_a_subscriber(string backend)
    {
        var first = Open(backend);
        Declare(first);
        var second = Open(backend);
        var watcher = Open(backend);
        var watch = watcher.WatchPosted(new WatchOptions { ClassName = "Evt" });

        var seen = new List<string>();
        Background later;
        using (var tx = first.BeginQueueWrite())
        {
            first.PostIndication(Evt(first, "drawn first"));
            // Another client posts while the first transaction is open. If nothing ordered posts, it would commit now
            // with the higher sequence and the poll below would move the watch past the first one for good.
            later = new Background(() => second.PostIndication(Evt(second, "drawn second")));
            Thread.Sleep(600);
            seen.AddRange(Texts(watch.Poll()));
            tx.Commit();
        }
        Assert.True(later.Join(TimeSpan.FromSeconds(30)), "the second post did not finish after the first committed");
        for (int i = 0; i < 100 && seen.Count < 2; i++)
        {
            seen.AddRange(Texts(watch.Poll()));
            if (seen.Count < 2) Thread.Sleep(50);
        }

        Assert.Equal(new[] { "drawn first", "drawn second" }, seen);
        var reader = Open(backend);
        Assert.Equal(new[] { "drawn first", "drawn second" }, Texts(reader.ReceivePosted()));
    }

    [Theory, MemberData(nameof(Shared))]
    public void Concurrent_posters_are_observed_completely_and_in_sequence_order(string backend)
    {
        var setup = Open(backend);
        Declare(setup);
        var watcher = Open(backend);
        var watch = watcher.WatchPosted(new WatchOptions { ClassName = "Evt" });
        var posters = Enumerable.Range(0, 4).Select(_ => Open(backend)).ToList();

        var observed = new List<PostedIndication>();
        var posting = posters.Select((s, p) => new Background(() =>
        {
            for (int n = 0; n < 60; n++) s.PostIndication(Evt(s, p + ":" + n));
        })).ToArray();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!posting.All(t => t.Join(TimeSpan.FromMilliseconds(5))) && DateTime.UtcNow < until) observed.AddRange(watch.Poll());
        Assert.True(posting.All(t => t.Join(TimeSpan.Zero)), "the posters did not finish");
        for (int i = 0; i < 100 && observed.Count < 240; i++) observed.AddRange(watch.Poll());

        var texts = Texts(observed);
        Assert.Equal(240, texts.Count);
        Assert.Equal(240, texts.Distinct().Count());
        Assert.True(observed.Zip(observed.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "observed out of sequence order");
        // Each poster's own posts arrive in its order.
        for (int p = 0; p < 4; p++)
            Assert.Equal(Enumerable.Range(0, 60).Select(n => p + ":" + n), texts.Where(t => t.StartsWith(p + ":", StringComparison.Ordinal)));
    }

    [PostgresFact]
    public void A_waiting_reader_wakes_on_another_clients_post_without_polling()
    {
        var reader = Open(TestBackends.Postgres);
        Declare(reader);
        var writer = Open(TestBackends.Postgres);
        // Polling again only after ten minutes: within the 60 s the reader waits, only the notification can wake it.
        reader.HeardPostPoll = TimeSpan.FromMinutes(10);
        List<string>? got = null;
        var receiving = new Background(() => got = Texts(reader.ReceivePosted(new ReceiveOptions { Wait = true, Timeout = TimeSpan.FromSeconds(60) })));
        Assert.False(receiving.Join(TimeSpan.FromMilliseconds(1500)));

        writer.PostIndication(Evt(writer, "wake up"));

        Assert.True(receiving.Join(TimeSpan.FromSeconds(30)), "the waiting reader did not wake on the post");
        Assert.Equal(new[] { "wake up" }, got);
    }

    [PostgresFact]
    public void A_waiting_reader_stops_when_cancelled_and_the_session_goes_on()
    {
        var reader = Open(TestBackends.Postgres);
        Declare(reader);
        using var stop = new CancellationTokenSource();
        List<PostedIndication>? got = null;
        var receiving = new Background(() => got = reader.ReceivePosted(new ReceiveOptions { Wait = true }, stop.Token).ToList());
        Assert.False(receiving.Join(TimeSpan.FromMilliseconds(800)));
        stop.Cancel();
        Assert.True(receiving.Join(TimeSpan.FromSeconds(10)), "the waiting reader did not stop when cancelled");
        Assert.Empty(got!);

        reader.PostIndication(Evt(reader, "after"));
        Assert.Equal(new[] { "after" }, Texts(reader.ReceivePosted()));
    }

    [Fact]
    public void The_notification_channel_is_a_short_plain_identifier_for_any_schema_name()
    {
        var longest = new string('s', 63);
        foreach (var schema in new[] { "cimlite", longest, "Mixed$Case_1" })
        {
            var channel = PostgresRepository.ChannelOf(schema);
            Assert.Matches("^cimlite_posted_[0-9a-f]{32}$", channel);
            Assert.True(channel.Length <= 63);
        }
        Assert.NotEqual(PostgresRepository.ChannelOf("a"), PostgresRepository.ChannelOf("b"));
    }

    /// <summary>Work on a thread of its own; <see cref="Join"/> rethrows what it threw.</summary>
    private sealed class Background
    {
        private readonly Thread _thread;
        private Exception? _error;

        public Background(Action work)
        {
            _thread = new Thread(() =>
            {
                try { work(); }
                catch (Exception e) { _error = e; }
            }) { IsBackground = true };
            _thread.Start();
        }

        public bool Join(TimeSpan timeout)
        {
            if (!_thread.Join(timeout)) return false;
            if (_error != null) throw new InvalidOperationException("the background work failed", _error);
            return true;
        }
    }
}
