using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Schema;

/// <summary>
/// A forced MOF import may respell a property in case while instances exist: a CIM name is case-insensitive, so it is
/// the same property and its values stay. The stored rows must then carry the new spelling too (rewritten in the
/// import's transaction), because a query pushed down to storage reads the stored names as they are written: before,
/// `WHERE Enabled = TRUE` after `enabled` → `Enabled` found the instances by a get or in memory but not through the
/// text probe, json_extract or PostgreSQL's JSON operators. On every backend.
/// </summary>
public sealed class ClassRespellingTests : BackendSessionFixture
{
    private static readonly MofImportOptions Force = new() { Force = true };

    private string[] Ids(string wql) =>
        Session.ExecQuery(wql).Select(i => (string)i["Id"]!).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Queries_on_a_property_respelled_in_case_find_the_stored_instances(string backend)
    {
        Use(backend);
        Session.ImportMofText("class Vol { [key] string Id; boolean enabled; string label; uint32 count; real64 ratio; };", "v1.mof");
        Put("Vol", ("Id", "a"), ("enabled", true), ("label", "Data"), ("count", 5u), ("ratio", 0.5));
        Put("Vol", ("Id", "b"), ("enabled", false), ("label", "Logs"), ("count", 7u), ("ratio", 2.5));

        Session.ImportMofText("class Vol { [key] string Id; boolean Enabled; string LABEL; uint32 Count; real64 Ratio; };", "v2.mof", Force);

        Assert.Equal(new[] { "a" }, Ids("SELECT * FROM Vol WHERE Enabled = TRUE"));
        Assert.Equal(new[] { "b" }, Ids("SELECT * FROM Vol WHERE Enabled = FALSE"));
        Assert.Equal(new[] { "b" }, Ids("SELECT * FROM Vol WHERE LABEL = 'logs'"));
        Assert.Equal(new[] { "b" }, Ids("SELECT * FROM Vol WHERE Count = 7"));
        Assert.Equal(new[] { "a" }, Ids("SELECT * FROM Vol WHERE Ratio < 1"));
        var a = Session.GetInstance(InstancePath.Parse("Vol.Id=\"a\""));
        Assert.Equal(true, a["Enabled"]);
        Assert.Equal("Data", a["label"]);
        var text = new StringWriter();
        Session.ExportMof(text, new MofExportOptions { IncludeInstances = true });
        Assert.Contains("LABEL = \"Data\"", text.ToString());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_import_that_fails_after_the_respelling_leaves_class_and_rows_as_they_were(string backend)
    {
        Use(backend);
        Session.ImportMofText("class Vol { [key] string Id; boolean enabled; };", "v1.mof");
        Put("Vol", ("Id", "a"), ("enabled", true));

        var e = Assert.Throws<CimLiteException>(() => Session.ImportMofText(
            "class Vol { [key] string Id; boolean Enabled; };\ninstance of Vol { Id = \"c\"; Bogus = 1; };", "v2.mof", Force));
        Assert.Contains("Bogus", e.Message);

        Assert.Equal("enabled", Session.GetClass("Vol").FindProperty("ENABLED")!.Name);
        Assert.Equal(new[] { "a" }, Ids("SELECT * FROM Vol WHERE enabled = TRUE"));
        Assert.Equal(new[] { "a" }, Ids("SELECT * FROM Vol"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_superclass_respelling_reaches_the_rows_of_subclasses_it_did_not_redeclare(string backend)
    {
        Use(backend);
        Session.ImportMofText("class Dev { [key] string Id; boolean online; }; class Disk : Dev { uint64 size; };", "v1.mof");
        Put("Disk", ("Id", "d1"), ("online", true), ("size", 10UL));
        Put("Disk", ("Id", "d2"), ("online", false), ("size", 20UL));
        Put("Dev", ("Id", "x"), ("online", true));

        Session.ImportMofText("class Dev { [key] string Id; boolean Online; };", "v2.mof", Force);

        Assert.Equal(new[] { "d1" }, Ids("SELECT * FROM Disk WHERE Online = TRUE"));
        Assert.Equal(new[] { "d1", "x" }, Ids("SELECT * FROM Dev WHERE Online = TRUE"));
        Assert.Equal(new[] { "d2" }, Ids("SELECT * FROM Disk WHERE size > 15"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_respelled_reference_still_leads_to_its_associated_instances(string backend)
    {
        Use(backend);
        Session.ImportMofText(
            "class Box { [key] string Id; }; class Item { [key] string Id; }; " +
            "[Association] class Holds { [key] Box REF box; [key] Item REF item; };", "v1.mof");
        Put("Box", ("Id", "b1"));
        Put("Item", ("Id", "i1"));
        Put("Holds", ("box", "Box.Id=\"b1\""), ("item", "Item.Id=\"i1\""));

        Session.ImportMofText("[Association] class Holds { [key] Box REF Box; [key] Item REF Item; };", "v2.mof", Force);

        var found = Session.ExecQuery("ASSOCIATORS OF {Box.Id=\"b1\"} WHERE Role = Box").Select(i => (string)i["Id"]!).ToArray();
        Assert.Equal(new[] { "i1" }, found);
        var refs = Session.ExecQuery("REFERENCES OF {Item.Id=\"i1\"} WHERE Role = Item").ToArray();
        Assert.Single(refs);
        Assert.Equal("Box.Id=\"b1\"", InstancePath.Parse((string)refs[0]["Box"]!).ToString());
        Assert.Single(Session.ExecQuery("SELECT * FROM Holds WHERE Box = 'Box.Id=\"b1\"'"));
        // The reference index keeps the old spelling (it is only ever looked up case-insensitively): still healthy
        // (repository care is SQLite's only).
        if (Backend == TestBackends.Postgres) return;
        var report = CimLiteRepository.Check(Session);
        Assert.True(report.IsHealthy, string.Join("\n", report.Problems));
    }
}
