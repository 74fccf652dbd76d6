using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

public sealed class EnumerateInstancesTests : BackendSessionFixture
{
    private static string[] Ids(IEnumerable<CimLiteInstance> instances) =>
        instances.Select(i => i.ClassName + ":" + i["Id"]).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_is_deep_by_default_and_returns_each_instance_as_its_own_class(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "b"), ("BOnly", 1));
        Put("C", ("Id", "c"));
        Put("D", ("Id", "d"), ("DOnly", true));
        Assert.Equal(new[] { "B:b", "C:c", "D:d" }, Ids(Session.EnumerateInstances("A")));
        Assert.Equal(new[] { "B:b", "D:d" }, Ids(Session.EnumerateInstances("B")));
        var d = Session.EnumerateInstances("A").Single(i => i.ClassName == "D");
        Assert.Equal(true, d["DOnly"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_shallow_returns_only_instances_of_the_class_itself(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "b"));
        Put("D", ("Id", "d"));
        Assert.Equal(new[] { "B:b" }, Ids(Session.EnumerateInstances("B", deep: false)));
        Assert.Empty(Session.EnumerateInstances("A", deep: false));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_keysOnly_returns_keys_and_leaves_other_properties_and_qualifiers_null(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        var disk = New("Disk", ("DeviceId", "C:"), ("Size", 9));
        disk.SetQualifier(new CimQualifier("Note", "x"));
        Session.PutInstance(disk);
        var only = Assert.Single(Session.EnumerateInstances("Disk", keysOnly: true));
        Assert.Equal("C:", only["DeviceId"]);
        Assert.Null(only["Size"]);
        Assert.Empty(only.OwnQualifiers);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_of_an_unknown_class_fails_with_InvalidClass_and_unknown_namespace_with_InvalidNamespace(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidClass, () => Session.EnumerateInstances("Nope").ToList(), "Nope");
        Fails(CimStatus.InvalidNamespace, () => Session.EnumerateInstances("Nope", "root/nowhere").ToList(), "root/nowhere");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_of_a_class_without_instances_is_empty(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        Assert.Empty(Session.EnumerateInstances("Disk"));
    }

    private void PutMany(int count)
    {
        Class("Item").Key("Id", "uint32").Prop("Text", "string").Create();
        var item = New("Item");
        // One batch (one transaction): 10,000 transactions of their own, on PostgreSQL, can meet serialization failures
        // that only end with another test's long transaction (the server's shared SSI state fills up and is summarised).
        using var batch = Session.BeginPutBatch();
        for (uint i = 0; i < count; i++)
        {
            item["Id"] = i;
            item["Text"] = "t" + i;
            batch.Add(item.Clone());
        }
        batch.Commit();
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_streams_the_first_instance_is_yielded_before_the_rest_are_materialised(string backend)
    {
        Use(backend);
        PutMany(10_000);
        var counter = MaterializedCounter.Attach(Session);
        var before = counter.Count;
        using var e = Session.EnumerateInstances("Item").GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(1, counter.Count - before);
        for (int i = 0; i < 9; i++) Assert.True(e.MoveNext());
        Assert.Equal(10, counter.Count - before);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerate_streams_rows_deleted_after_the_first_item_was_yielded_are_not_returned(string backend)
    {
        Use(backend);
        PutMany(10_000);
        using var e = Session.EnumerateInstances("Item").GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(0U, e.Current["Id"]);
        Session.DeleteInstance(InstancePath.Parse("Item.Id=9999")); // a buffered result would still yield it
        int count = 1;
        uint last = 0;
        while (e.MoveNext()) { count++; last = (uint)e.Current["Id"]; }
        if (backend == "postgres")
        {
            // PostgreSQL: an enumeration reads one snapshot, taken at its start, on the session's reader connection
            // (docs/ARCHITECTURE.md, PostgreSQL backend): a write between two items, this session's or another
            // client's, is not seen. Streaming is proven by Enumerate_streams_the_first_instance_is_yielded_before_the_rest_are_materialised.
            Assert.Equal(10_000, count);
            Assert.Equal(9999U, last);
            return;
        }
        Assert.Equal(9_999, count);
        Assert.Equal(9998U, last);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerating_while_putting_each_instance_through_the_same_session_works_like_Get_pipe_Set(string backend)
    {
        Use(backend);
        PutMany(500);
        int seen = 0;
        foreach (var item in Session.EnumerateInstances("Item"))
        {
            item["Text"] = "updated " + item["Id"];
            Session.PutInstance(item);
            seen++;
        }
        Assert.Equal(500, seen);
        Assert.All(Session.EnumerateInstances("Item"), i => Assert.Equal("updated " + i["Id"], i["Text"]));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerating_while_partially_updating_each_instance_through_the_same_session_works(string backend)
    {
        Use(backend);
        PutMany(200);
        foreach (var item in Session.EnumerateInstances("Item", keysOnly: true))
        {
            item["Text"] = "p";
            Session.PutInstance(item, new PutOptions { PropertyList = new[] { "Text" } });
        }
        Assert.All(Session.EnumerateInstances("Item"), i => Assert.Equal("p", i["Text"]));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Enumerating_while_deleting_each_instance_through_the_same_session_works(string backend)
    {
        Use(backend);
        PutMany(300);
        int seen = 0;
        foreach (var item in Session.EnumerateInstances("Item"))
        {
            Session.DeleteInstance(item.GetPath());
            seen++;
        }
        Assert.Equal(300, seen);
        Assert.Empty(Session.EnumerateInstances("Item"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_failing_put_inside_an_enumeration_loop_does_not_break_the_enumeration(string backend)
    {
        Use(backend);
        PutMany(50);
        int seen = 0, failures = 0;
        foreach (var item in Session.EnumerateInstances("Item"))
        {
            seen++;
            var ex = Assert.Throws<CimLiteException>(() => Session.PutInstance(item, new PutOptions { Mode = PutMode.CreateOnly }));
            Assert.Equal(CimStatus.AlreadyExists, ex.Status);
            failures++;
        }
        Assert.Equal(50, seen);
        Assert.Equal(50, failures);
    }
}
