using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Schema;

/// <summary>
/// Issue 22 item 1: a class change (MOF import with -Force) never leaves stored instances or queued indications
/// unreadable. A change of a property's type or array-ness, a removed property, a narrowed reference or a new
/// key root is refused with CLASS_HAS_INSTANCES (naming class, property and count) while data of the class or
/// of a subclass exists; compatible changes (a new property, a widened reference) and any change of a class
/// without data go through.
/// </summary>
public sealed class ClassChangeTests : SessionFixture
{
    private static readonly MofImportOptions Force = new() { Force = true };

    private void Import(string mof, bool force = true) => Session.ImportMofText(mof, "change.mof", force ? Force : null);

    private CimLiteException Refused(string mof)
    {
        var e = Assert.Throws<CimLiteException>(() => Import(mof));
        Assert.Equal(CimStatus.ClassHasInstances, e.Status);
        Assert.Equal(unchecked((int)0x80041026), e.HResult);
        return e;
    }

    private void AllReadable(string className)
    {
        foreach (var i in Session.EnumerateInstances(className)) Session.GetInstance(i.GetPath());
    }

    [Theory]
    [InlineData("string Size;")]
    [InlineData("uint8 Size;")]
    [InlineData("boolean Size;")]
    [InlineData("datetime Size;")]
    [InlineData("uint64 Size[];")]
    [InlineData("")] // removed
    public void Changing_or_removing_a_property_with_instances_is_refused_and_the_data_stays_readable(string newSize)
    {
        Import("class Disk { [key] string Id; uint64 Size; };");
        Put("Disk", ("Id", "a"), ("Size", 300UL));
        Put("Disk", ("Id", "b"), ("Size", 7UL));

        var e = Refused("class Disk { [key] string Id; " + newSize + " };");
        Assert.Contains("Disk", e.Message);
        Assert.Contains("Size", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Equal("Disk", e.ClassName);
        Assert.Equal(("change.mof", 1), (e.SourceFile, e.SourceLine));

        Assert.Equal(300UL, Session.GetInstance(InstancePath.Parse("Disk.Id=\"a\""))["Size"]);
        Assert.Equal(2, Session.EnumerateInstances("Disk").Count());
        var text = new StringWriter();
        Session.ExportMof(text, new MofExportOptions { IncludeInstances = true });
        Assert.Contains("300", text.ToString());
    }

    [Fact]
    public void A_class_without_data_may_change_freely_and_compatible_changes_pass_with_data()
    {
        Import("class Disk { [key] string Id; uint64 Size; };");
        Import("class Disk { [key] string Id; string Size[]; };"); // no instances: anything goes
        Assert.True(Session.GetClass("Disk").FindProperty("Size")!.IsArray);

        Put("Disk", ("Id", "a"), ("Size", new[] { "x" }));
        Import("class Disk { [key] string Id; string Size[]; uint32 Extra; };"); // a new property
        Assert.Equal(new[] { "x" }, Session.GetInstance(InstancePath.Parse("Disk.Id=\"a\""))["Size"]);
        Assert.Null(Session.GetInstance(InstancePath.Parse("Disk.Id=\"a\""))["Extra"]);
    }

    [Fact]
    public void A_superclass_change_counts_the_instances_of_its_subclasses()
    {
        Import("[Abstract] class Base { [key] string Id; sint32 Level; }; class Leaf : Base { string Note; };");
        Put("Leaf", ("Id", "a"), ("Level", -3));
        var e = Refused("[Abstract] class Base { [key] string Id; string Level; };");
        Assert.Contains("Leaf", e.Message);
        Assert.Contains("Level", e.Message);
        AllReadable("Base");
        Assert.Equal(-3, Session.GetInstance(InstancePath.Parse("Leaf.Id=\"a\""))["Level"]);
    }

    [Fact]
    public void Moving_a_class_under_another_key_root_with_instances_is_refused()
    {
        Import("class Root { [key] string Id; }; class Leaf : Root { string Note; };");
        Put("Leaf", ("Id", "a"), ("Note", "n"));
        var e = Refused("class Leaf { [key] string Id; string Note; };");
        Assert.Contains("Leaf", e.Message);
        Assert.Equal("n", Session.GetInstance(InstancePath.Parse("Leaf.Id=\"a\""))["Note"]);
    }

    [Fact]
    public void Narrowing_a_reference_with_instances_is_refused_and_widening_passes()
    {
        Import("class Thing { [key] string Id; }; class Special : Thing { }; class Holder { [key] string Id; Thing ref Target; };");
        Put("Thing", ("Id", "t"));
        Put("Holder", ("Id", "h"), ("Target", "Thing.Id=\"t\""));
        var e = Refused("class Holder { [key] string Id; Special ref Target; };");
        Assert.Contains("Target", e.Message);
        Assert.Equal("Thing", Session.GetClass("Holder").FindProperty("Target")!.ReferenceClass);

        Import("class Holder { [key] string Id; Object ref Target; };".Replace("Object", "Thing")); // unchanged: fine
        Assert.NotNull(Session.GetInstance(InstancePath.Parse("Holder.Id=\"h\"")));
    }

    [Fact]
    public void A_queued_indication_of_the_old_shape_blocks_the_change_and_the_queue_stays_readable()
    {
        Import("[Indication] class Evt { uint64 Size; }; class SubEvt : Evt { string Note; };");
        Session.PostIndication(Session.NewInstance("SubEvt", new Dictionary<string, object?> { ["Size"] = 300UL }));
        Session.PostIndication(Session.NewInstance("Evt", new Dictionary<string, object?> { ["Size"] = 1UL }));

        var e = Refused("[Indication] class Evt { boolean Size; };");
        Assert.Contains("Size", e.Message);
        Assert.Contains("queued", e.Message);

        var kept = Session.ReceivePosted(new ReceiveOptions { Keep = true }).ToList();
        Assert.Equal(2, kept.Count);
        var taken = Session.ReceivePosted().ToList();
        Assert.Equal(300UL, taken[0].Instance["Size"]);

        Import("[Indication] class Evt { boolean Size; };"); // queue empty: the change goes through
        Assert.Equal(CimType.Boolean, Session.GetClass("SubEvt").FindProperty("Size")!.CimType);
    }
}
