using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Security;

/// <summary>
/// Issue 22 item 2: SQL stored in a repository file never runs. Opening refuses any schema object CimLite did not
/// create (trigger, view, extra table or index, a changed table definition), naming the file and the object; a
/// write refuses one added while the session is open; every connection runs with <c>trusted_schema = OFF</c>.
/// </summary>
public sealed class SchemaObjectTests : TempFolderTests
{
    public SchemaObjectTests() : base("schema-objects") { }

    private const string Trigger = "CREATE TRIGGER t AFTER INSERT ON instances BEGIN UPDATE instances SET data = json_set(data, '$.Owner', 'attacker') WHERE id = new.id; END";

    private string Repository()
    {
        var path = File("r.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Disk").Key("Id").Prop("Owner", "string").Create();
            s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "a", ["Owner"] = "alice" }));
        }
        return path;
    }

    private void AddByHand(string path, params string[] statements)
    {
        using var c = Raw(path);
        foreach (var sql in statements) Exec(c, sql);
    }

    [Theory]
    [InlineData("trigger", "t", Trigger)]
    [InlineData("view", "v", "CREATE VIEW v AS SELECT * FROM instances")]
    [InlineData("table", "extra", "CREATE TABLE extra(x)")]
    [InlineData("index", "by_data", "CREATE INDEX by_data ON instances(data)")]
    [InlineData("index", "by_like", "CREATE INDEX by_like ON instances(length(data))")]
    public void An_object_CimLite_did_not_create_is_refused_on_open_naming_file_and_object(string type, string name, string sql)
    {
        var path = Repository();
        AddByHand(path, sql);
        var before = Hash(path);
        foreach (var readOnly in new[] { false, true })
        {
            var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly }).Dispose());
            Assert.Equal(CimStatus.Failed, e.Status);
            Assert.Contains(path, e.Message);
            Assert.Contains(type + " '" + name + "'", e.Message);
        }
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void A_changed_table_definition_is_refused()
    {
        var path = Repository();
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA writable_schema = ON");
            Exec(c, "UPDATE sqlite_master SET sql = replace(sql, 'data TEXT NOT NULL', 'data TEXT NOT NULL DEFAULT (randomblob(10))') WHERE name = 'instances'");
            Exec(c, "PRAGMA writable_schema = OFF");
        }
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path).Dispose());
        Assert.Contains("table 'instances'", e.Message);
    }

    [Fact]
    public void A_trigger_added_while_a_session_is_open_stops_the_next_write_and_never_runs()
    {
        var path = Repository();
        using var s = CimLiteSession.Open(path);
        AddByHand(path, Trigger);
        var e = Assert.Throws<CimLiteException>(() => s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "b", ["Owner"] = "alice" })));
        Assert.Contains("trigger 't'", e.Message);
        Assert.Null(s.FindInstance(InstancePath.Parse("Disk.Id=\"b\"")));
        Assert.Equal("alice", s.GetInstance(InstancePath.Parse("Disk.Id=\"a\""))["Owner"]);
    }

    [Fact]
    public void A_put_stores_what_was_put_without_foreign_objects()
    {
        var path = Repository();
        using var s = CimLiteSession.Open(path);
        s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "b", ["Owner"] = "alice" }));
        Assert.Equal("alice", s.GetInstance(InstancePath.Parse("Disk.Id=\"b\""))["Owner"]);
    }

    [Fact]
    public void SQLite_own_objects_are_allowed()
    {
        var path = Repository();
        AddByHand(path, "ANALYZE"); // sqlite_stat1 (sqlite_sequence and sqlite_autoindex_* exist anyway)
        using var s = CimLiteSession.Open(path);
        Assert.Equal("alice", s.GetInstance(InstancePath.Parse("Disk.Id=\"a\""))["Owner"]);
    }

    [Fact]
    public void Every_connection_runs_with_trusted_schema_off()
    {
        var path = Repository();
        using var file = CimLiteSession.Open(path);
        using var readOnly = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true });
        using var memory = CimLiteSession.OpenInMemory();
        foreach (var s in new[] { file, readOnly, memory })
        {
            using var c = s.Sqlite().NewCommand("PRAGMA trusted_schema");
            Assert.Equal(0L, Convert.ToInt64(c.ExecuteScalar()));
        }
    }
}
