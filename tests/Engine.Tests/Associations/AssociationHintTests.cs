using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Associations;

/// <summary>
/// Format 8's target id hint (issue 13, engine.associatorsScaling): a reference row notes the id its target had when
/// the reference was written, and following an association reads the target by that id. It is only a hint: these
/// rules fail if a reader trusts it without checking the row's key, or uses it alone.
/// </summary>
public sealed class AssociationHintTests : BackendSessionFixture
{
    private static readonly CimQualifier KeyQ = new("Key", true);

    /// <summary>Sys (key Name); Dev (key Id); Tag, an association keyed by Name whose references are not keys (they can change in place).</summary>
    protected override void Arrange()
    {
        Class("Sys").Key("Name").Create();
        Class("Dev").Key("Id").Prop("Size", "uint32").Create();
        Class("Tag").Qualifier("Association", true).Key("Name").Prop("Owner", "ref:Sys").Prop("Part", "ref:Dev").Create();
        Put("Sys", ("Name", "host"));
    }

    private const string Host = "Sys.Name=\"host\"";

    private string[] Associated() =>
        Session.GetAssociatedInstances(InstancePath.Parse(Host)).Select(i => (string)i["Id"]!).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_target_created_after_the_association_is_found_through_its_key(string backend)
    {
        Use(backend);
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"late\""));
        Assert.Empty(Associated()); // dangling: skipped
        Put("Dev", ("Id", "late"), ("Size", 1));
        Assert.Equal(new[] { "late" }, Associated());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_target_deleted_and_made_again_is_found_with_its_new_values(string backend)
    {
        Use(backend);
        Put("Dev", ("Id", "a"), ("Size", 1));
        Put("Dev", ("Id", "b"), ("Size", 2));
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"a\""));
        Session.DeleteInstance(InstancePath.Parse("Dev.Id=\"a\""));
        Assert.Empty(Associated());
        Put("Dev", ("Id", "c"), ("Size", 3)); // takes the next id, so "a" made again gets another one
        Put("Dev", ("Id", "a"), ("Size", 9));
        var found = Session.GetAssociatedInstances(InstancePath.Parse(Host));
        Assert.Single(found);
        Assert.Equal("a", found[0]["Id"]);
        Assert.Equal(9u, found[0]["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_instance_that_took_the_id_of_a_deleted_target_is_not_its_associate(string backend)
    {
        Use(backend);
        // The association first, then its target as the newest row, then the reference changed in place to point at
        // it (the hint is that newest id); deleting the target and making another instance gives the newcomer that id
        // on SQLite (a rowid is the largest plus one). The reference dangles: nothing is associated.
        Put("Dev", ("Id", "first"), ("Size", 1));
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"first\""));
        Put("Dev", ("Id", "target"), ("Size", 2));
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"target\""));
        Assert.Equal(new[] { "target" }, Associated());
        Session.DeleteInstance(InstancePath.Parse("Dev.Id=\"target\""));
        Put("Dev", ("Id", "newcomer"), ("Size", 3));
        Assert.Empty(Associated());
        Assert.Single(Session.GetReferencingInstances(InstancePath.Parse(Host)));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reference_changed_in_place_follows_the_new_target(string backend)
    {
        Use(backend);
        Put("Dev", ("Id", "a"), ("Size", 1));
        Put("Dev", ("Id", "b"), ("Size", 2));
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"a\""));
        Assert.Equal(new[] { "a" }, Associated());
        Put("Tag", ("Name", "t1"), ("Owner", Host), ("Part", "Dev.Id=\"b\""));
        Assert.Equal(new[] { "b" }, Associated());
    }
}
