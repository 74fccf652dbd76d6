using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

/// <summary>
/// Put batches (one transaction, a savepoint per item where providers run). The tests that take a backend run on each
/// (TestBackends.All: on PostgreSQL a failed statement would abort the whole transaction, so they prove that a refused
/// item never fails a statement); the others use SQLite in memory.
/// </summary>
public sealed class PutBatchTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Class("Strict").Key("Id", "uint32").Required("Owner", "string").Create();
    }

    private static PutOptions Create => new() { Mode = PutMode.CreateOnly };

    private int Count(string className) => Session.EnumerateInstances(className).Count();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_bad_item_fails_alone_with_the_error_of_a_single_put_and_the_others_are_committed(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "X:"), ("Size", 1));
        var items = new[]
        {
            New("Disk", ("DeviceId", "C:"), ("Size", 10)),
            New("Disk", ("DeviceId", "X:"), ("Size", 2)),   // exists: CreateOnly fails
            New("Disk", ("DeviceId", "D:"), ("Size", 20)),
            New("Strict", ("Id", 1)),                        // Required Owner missing
            New("Strict", ("Id", 2), ("Owner", "me")),
        };
        var results = Session.PutInstances(items, Create);

        Assert.Equal(5, results.Count);
        Assert.Equal(new[] { true, false, true, false, true }, results.Select(r => r.Succeeded).ToArray());
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", results[0].Path!.ToString());
        Assert.Same(items[1], results[1].Instance);

        // Each error is exactly what PutInstance itself throws for that item.
        var single1 = Assert.Throws<CimLiteException>(() => Session.PutInstance(items[1], Create));
        var single3 = Assert.Throws<CimLiteException>(() => Session.PutInstance(items[3], Create));
        Assert.Equal(CimStatus.AlreadyExists, results[1].Error!.Status);
        Assert.Equal(single1.Message, results[1].Error!.Message);
        Assert.Equal(CimStatus.IllegalNull, results[3].Error!.Status);
        Assert.Equal(single3.Message, results[3].Error!.Message);

        Assert.Equal(3, Count("Disk"));
        Assert.Equal(1UL, Get("Disk.DeviceId=\"X:\"")["Size"]);
        Assert.Single(Session.EnumerateInstances("Strict"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_failed_item_rolls_back_only_its_own_changes_and_later_items_see_earlier_ones(string backend)
    {
        Use(backend);
        using (var batch = Session.BeginPutBatch())
        {
            Assert.True(batch.Add(New("Disk", ("DeviceId", "C:"), ("Size", 1)), Create).Succeeded);
            // Same key again in the same batch: the first put is visible, so CreateOnly fails.
            var again = batch.Add(New("Disk", ("DeviceId", "c:"), ("Size", 2)), Create);
            Assert.Equal(CimStatus.AlreadyExists, again.Error!.Status);
            Assert.True(batch.Add(New("Disk", ("DeviceId", "C:"), ("Size", 3))).Succeeded);
            // An argument error is reported per item as well.
            var bad = batch.Add(New("Disk", ("DeviceId", "E:")), new PutOptions { Mode = PutMode.CreateOnly, PropertyList = new[] { "Size" } });
            Assert.Equal(CimStatus.InvalidParameter, bad.Error!.Status);
            batch.Commit();
        }
        Assert.Equal(3UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
        Assert.Equal(1, Count("Disk"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void The_whole_batch_is_one_transaction_disposing_without_commit_leaves_nothing(string backend)
    {
        Use(backend);
        var before = Snapshot(Session);
        using (var batch = Session.BeginPutBatch())
        {
            batch.Add(New("Disk", ("DeviceId", "C:"), ("Size", 1)));
            batch.Add(New("Disk", ("DeviceId", "D:"), ("Size", 1)));
            Assert.Equal(2, Count("Disk")); // visible inside the batch
            Assert.Throws<InvalidOperationException>(() => Session.PutInstance(New("Disk", ("DeviceId", "E:"))));
        }
        Assert.Equal(before, Snapshot(Session));
        Assert.Equal(0, Count("Disk"));
    }

    [Fact]
    public void A_failure_to_commit_leaves_nothing_of_the_batch()
    {
        var before = Snapshot(Session);
        using (var batch = Session.BeginPutBatch())
        {
            Assert.True(batch.Add(New("Disk", ("DeviceId", "C:"), ("Size", 1))).Succeeded);
            // Make COMMIT itself fail: a deferred foreign-key violation is only checked there.
            Session.Sqlite().Execute("PRAGMA defer_foreign_keys = ON");
            Session.Sqlite().Execute("INSERT INTO instances(class_id, key_root_id, key, data) VALUES (9999, 9999, 'X', '{}')");
            var e = Assert.Throws<CimLiteException>(() => batch.Commit());
            Assert.Equal(CimStatus.Failed, e.Status);
            Assert.False(batch.IsOpen);
        }
        Assert.Equal(before, Snapshot(Session));
    }

    [Fact]
    public void Other_sessions_see_nothing_until_the_batch_commits()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cimlite-batch-" + Guid.NewGuid().ToString("N"))).FullName; // not /tmp itself: shared folders are refused
        var file = Path.Combine(folder, "batch.db");
        try
        {
            using var writer = CimLiteSession.Open(file);
            Class(writer, "Disk").Key("DeviceId").Create();
            using var reader = CimLiteSession.Open(file);
            using (var batch = writer.BeginPutBatch())
            {
                for (int i = 0; i < 10; i++) batch.Add(writer.NewInstance("Disk", new Dictionary<string, object> { ["DeviceId"] = "D" + i }));
                Assert.Empty(reader.EnumerateInstances("Disk"));
                batch.Commit();
            }
            Assert.Equal(10, reader.EnumerateInstances("Disk").Count());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class PostThenRefuse : CimLiteProvider
    {
        public override void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request) { }

        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request)
        {
            var instance = request.Instance;
            var e = context.NewInstance("Audit");
            e["Message"] = "put " + instance["DeviceId"];
            context.PostIndication(e);
            if ((ulong)instance["Size"]! > 100) throw new CimLiteException(CimStatus.InvalidParameter, "too big");
        }
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void With_providers_a_failed_item_also_loses_what_its_providers_posted(string backend)
    {
        Use(backend);
        Class("Audit").Indication().Prop("Message", "string").Create();
        Session.Providers.Register("Disk", new PostThenRefuse());
        var results = Session.PutInstances(new[]
        {
            New("Disk", ("DeviceId", "C:"), ("Size", 1)),
            New("Disk", ("DeviceId", "D:"), ("Size", 1000)),
            New("Disk", ("DeviceId", "E:"), ("Size", 2)),
        });
        Assert.Equal(new[] { true, false, true }, results.Select(r => r.Succeeded).ToArray());
        Assert.Equal(CimStatus.InvalidParameter, results[1].Error!.Status);
        var posted = Session.ReceivePosted(new ReceiveOptions { ClassName = "Audit" }).Select(p => (string)p.Instance["Message"]!).ToArray();
        Assert.Equal(new[] { "put C:", "put E:" }, posted);
    }

    [Fact]
    public void A_read_only_session_refuses_a_batch()
    {
        using var ro = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ReadOnly = true });
        Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() => ro.BeginPutBatch()).Status);
    }
}
