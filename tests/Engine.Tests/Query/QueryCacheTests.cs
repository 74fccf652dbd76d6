using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>Prepared WQL queries are kept by text (issue 17) and prepared again whenever the schema changes.</summary>
public sealed class QueryCacheTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Put("Disk", ("DeviceId", "C:"), ("Size", 1UL));
    }

    private string[] Ids(string wql) => Session.ExecQuery(wql).Select(i => i.ClassName + ":" + i["DeviceId"]).ToArray();

    [Fact]
    public void A_repeated_query_is_prepared_once()
    {
        Assert.Equal(new[] { "Disk:C:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"));
        Assert.Equal(new[] { "Disk:C:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"));
        Assert.Equal(1, Session.CachedQueryCount);
    }

    [Fact]
    public void The_query_cache_is_bounded()
    {
        for (int i = 0; i < 600; i++) Ids("SELECT * FROM Disk WHERE DeviceId = 'k" + i + "'");
        Assert.InRange(Session.CachedQueryCount, 1, 256);
    }

    [Fact]
    public void A_key_equality_query_with_another_literal_is_made_from_its_shape()
    {
        Put("Disk", ("DeviceId", "D:"), ("Size", 2UL));
        Put("Disk", ("DeviceId", "it's"), ("Size", 3UL));
        Assert.Equal(new[] { "Disk:C:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"));
        Assert.Equal(1, Session.CachedShapeCount);
        Assert.Equal(new[] { "Disk:D:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'D:'"));
        Assert.Equal(new[] { "Disk:it's" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'it''s'"));
        Assert.Empty(Ids("SELECT * FROM Disk WHERE DeviceId = 'E:'"));
        Assert.Equal(1, Session.CachedShapeCount);
        Assert.Equal(2UL, Session.ExecQuery("SELECT * FROM Disk WHERE DeviceId = \"D:\"").Single()["Size"]);
    }

    [Fact]
    public void Only_key_equality_on_a_string_key_has_a_shape()
    {
        Class("Tagged").Key("Name").Prop("Label", "string").Create();
        Put("Tagged", ("Name", "a"), ("Label", "x"));
        Put("Tagged", ("Name", "b"), ("Label", "y"));
        Assert.Equal(new[] { "Tagged:a" }, Session.ExecQuery("SELECT * FROM Tagged WHERE Label = 'x'").Select(i => i.ClassName + ":" + i["Name"]));
        Assert.Equal(new[] { "Tagged:b" }, Session.ExecQuery("SELECT * FROM Tagged WHERE Label = 'y'").Select(i => i.ClassName + ":" + i["Name"]));
        Assert.Equal(0, Session.CachedShapeCount);
    }

    [Fact]
    public void A_shape_keeps_the_text_outside_its_one_quoted_string()
    {
        Assert.Equal("SELECT * FROM Disk WHERE DeviceId = \u0001", CimLiteSession.QueryShape("SELECT * FROM Disk WHERE DeviceId = 'C:'", out var literal));
        Assert.Equal("C:", literal);
        Assert.Equal("x = \u0001", CimLiteSession.QueryShape("x = \"a\"\"b' \"", out literal));
        Assert.Equal("a\"b' ", literal);
        Assert.Null(CimLiteSession.QueryShape("x = 'a' AND y = 'b'", out _));
        Assert.Null(CimLiteSession.QueryShape("x = 'a", out _));
        Assert.Null(CimLiteSession.QueryShape("x = 1", out _));
    }

    [Fact]
    public void A_shape_made_from_a_class_sees_a_subclass_created_after_it()
    {
        Assert.Empty(Ids("SELECT * FROM Disk WHERE DeviceId = 'S:'"));
        Class("Ssd", "Disk").Prop("Wear", "uint8").Create();
        Put("Ssd", ("DeviceId", "T:"), ("Size", 7UL), ("Wear", (byte)1));
        Assert.Equal(new[] { "Ssd:T:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'T:'"));
    }

    [Fact]
    public void A_cached_query_sees_instances_put_after_it()
    {
        Assert.Empty(Ids("SELECT * FROM Disk WHERE DeviceId = 'D:'"));
        Put("Disk", ("DeviceId", "D:"));
        Assert.Equal(new[] { "Disk:D:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'D:'"));
    }

    [Fact]
    public void A_cached_query_sees_a_subclass_created_after_it()
    {
        Assert.Empty(Ids("SELECT * FROM Disk WHERE DeviceId = 'S:'"));
        Assert.Empty(Ids("SELECT * FROM Disk WHERE Size = 7"));
        Class("Ssd", "Disk").Prop("Wear", "uint8").Create();
        Put("Ssd", ("DeviceId", "S:"), ("Size", 7UL), ("Wear", (byte)1));
        Assert.Equal(new[] { "Ssd:S:" }, Ids("SELECT * FROM Disk WHERE DeviceId = 'S:'"));
        Assert.Equal(new[] { "Ssd:S:" }, Ids("SELECT * FROM Disk WHERE Size = 7"));
    }

    [Fact]
    public void A_cached_query_of_a_deleted_class_fails_as_an_uncached_one()
    {
        Assert.Single(Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"));
        Session.DeleteClass("Disk", force: true);
        var first = Fails(CimStatus.InvalidClass, () => Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"), "Disk");
        var second = Fails(CimStatus.InvalidClass, () => Ids("SELECT * FROM Disk WHERE DeviceId = 'X:'"), "Disk");
        Assert.Equal(first.Message.Replace("C:", "X:"), second.Message.Replace("C:", "X:"));
    }

    [Fact]
    public void A_cached_query_sees_a_property_added_by_a_redefinition()
    {
        Assert.Single(Ids("SELECT * FROM Disk WHERE DeviceId = 'C:'"));
        Fails(CimStatus.InvalidQuery, () => Ids("SELECT * FROM Disk WHERE Label = 'x'"), "Label");
        Session.DeleteClass("Disk", force: true);
        Class("Disk").Key("DeviceId").Prop("Label", "string").Create();
        Put("Disk", ("DeviceId", "C:"), ("Label", "x"));
        Assert.Equal(new[] { "Disk:C:" }, Ids("SELECT * FROM Disk WHERE Label = 'x'"));
        Assert.Equal("x", Session.ExecQuery("SELECT * FROM Disk WHERE DeviceId = 'C:'").Single()["Label"]);
    }

    [Fact]
    public void A_cached_query_sees_a_class_change_made_by_another_session()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cimlite-querycache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "r.db");
            using var a = CimLiteSession.Open(file);
            Class(a, "Disk").Key("DeviceId").Create();
            Assert.Empty(a.ExecQuery("SELECT * FROM Disk WHERE DeviceId = 'S:'"));
            using (var b = CimLiteSession.Open(file))
            {
                Class(b, "Ssd", "Disk").Create();
                b.PutInstance(b.NewInstance("Ssd", Props(("DeviceId", "S:"))));
            }
            Assert.Equal("Ssd", a.ExecQuery("SELECT * FROM Disk WHERE DeviceId = 'S:'").Single().ClassName);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }
}
