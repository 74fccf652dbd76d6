using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

/// <summary>
/// A create-or-update put (issue 17, cmdlet.pipelinePut) tries the insert first while the session's last create-or-update
/// created an instance, and looks the key up first after one that updated. Either order must give WMI's outcome: these
/// rules put existing keys right after creates (the insert is refused and the put becomes an update) and new keys right
/// after updates, alone and in batches, on every backend.
/// </summary>
public sealed class CreateOrUpdateOrderTests : BackendSessionFixture
{
    /// <summary>Disk and Other, sibling subclasses of Device (key DeviceId); Link, an association of an Other and a Disk.</summary>
    protected override void Arrange()
    {
        Class("Device").Key("DeviceId").Prop("Size", "uint64").Create();
        Class("Disk", "Device").Prop("Label", "string").Create();
        Class("Other", "Device").Create();
        Class("Link").Qualifier("Association", true).Key("Name").Prop("Owner", "ref:Other").Prop("Part", "ref:Disk").Create();
    }

    private string[] Labels() =>
        Session.EnumerateInstances("Disk").Select(i => i["DeviceId"] + "=" + i["Label"] + "/" + i["Size"]).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_existing_key_put_right_after_a_create_is_updated_with_every_value(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Label", "old"), ("Size", 1));
        Put("Disk", ("DeviceId", "D:"), ("Label", "new"), ("Size", 2)); // a create: the next put tries the insert first
        Put("Disk", ("DeviceId", "C:"), ("Label", "changed"));          // exists: replaced whole (Size back to null)
        Put("Disk", ("DeviceId", "E:"), ("Label", "after"), ("Size", 3)); // after an update: looked up first, created
        Put("Disk", ("DeviceId", "E:"), ("Label", "again"), ("Size", 4)); // after a create: insert refused, updated
        Assert.Equal(new[] { "C:=changed/", "D:=new/2", "E:=again/4" }, Labels());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_batch_of_mixed_new_and_existing_keys_creates_and_updates_each_one(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "B:"), ("Label", "b0"), ("Size", 0));
        Put("Disk", ("DeviceId", "C:"), ("Label", "c0"), ("Size", 0));
        var items = new[]
        {
            New("Disk", ("DeviceId", "A:"), ("Label", "a1"), ("Size", 1)), // new
            New("Disk", ("DeviceId", "B:"), ("Label", "b1"), ("Size", 1)), // exists, after a create
            New("Disk", ("DeviceId", "C:"), ("Label", "c1"), ("Size", 1)), // exists, after an update
            New("Disk", ("DeviceId", "D:"), ("Label", "d1"), ("Size", 1)), // new, after an update
            New("Disk", ("DeviceId", "A:"), ("Label", "a2"), ("Size", 2)), // made in this batch, after a create
        };
        var results = Session.PutInstances(items);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal("root/cimv2:Disk.DeviceId=\"B:\"", results[1].Path!.ToString());
        Assert.Equal(new[] { "A:=a2/2", "B:=b1/1", "C:=c1/1", "D:=d1/1" }, Labels());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_key_held_by_a_sibling_class_is_refused_right_after_a_create_and_nothing_changes(string backend)
    {
        Use(backend);
        Put("Other", ("DeviceId", "X:"), ("Size", 7));
        Put("Disk", ("DeviceId", "C:"), ("Label", "c"), ("Size", 1)); // a create
        var before = Snapshot();
        var error = Fails(CimStatus.AlreadyExists, () => Put("Disk", ("DeviceId", "X:"), ("Label", "moved")), "Disk.DeviceId=\"X:\"", "'Other'");
        Assert.Equal(Messages.KeyHeldByOtherClassAction("Other"), error.RecommendedAction);
        Assert.Equal(before, Snapshot());
        // The same refusal after an update (the key looked up first).
        Put("Disk", ("DeviceId", "C:"), ("Label", "c2"), ("Size", 2));
        Fails(CimStatus.AlreadyExists, () => Put("Disk", ("DeviceId", "X:"), ("Label", "moved")), "'Other'");
        Assert.Equal(7ul, Get("Other.DeviceId=\"X:\"")["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_update_through_a_refused_insert_replaces_the_references_and_qualifiers_it_had(string backend)
    {
        Use(backend);
        Put("Other", ("DeviceId", "O:"));
        Put("Disk", ("DeviceId", "A:"), ("Size", 1));
        Put("Disk", ("DeviceId", "B:"), ("Size", 2));
        var first = New("Link", ("Name", "l"), ("Owner", "Other.DeviceId=\"O:\""), ("Part", "Disk.DeviceId=\"A:\""));
        first.SetQualifier(new CimQualifier("Description", "first"));
        Session.PutInstance(first);
        Put("Disk", ("DeviceId", "C:"), ("Size", 3)); // a create: the Link put below tries the insert first
        Session.PutInstance(New("Link", ("Name", "l"), ("Owner", "Other.DeviceId=\"O:\""), ("Part", "Disk.DeviceId=\"B:\"")));

        Assert.Empty(Session.GetAssociatedInstances(InstancePath.Parse("Disk.DeviceId=\"A:\"")));
        var associate = Assert.Single(Session.GetAssociatedInstances(InstancePath.Parse("Other.DeviceId=\"O:\"")));
        Assert.Equal("B:", associate["DeviceId"]);
        Assert.Empty(Get("Link.Name=\"l\"").OwnQualifiers);
        Assert.Equal("Disk.DeviceId=\"B:\"", Get("Link.Name=\"l\"")["Part"]);
    }
}
