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
