using CimLite.Storage.Postgres;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>
/// A get by path on PostgreSQL checks the schema generation in its key read's statement instead of a statement of its
/// own (one round trip: pg.getByPath). These prove that a get still sees what another client changed in the classes
/// meanwhile: a new class, a new subclass whose instance the stale cache cannot decode, a class replaced with other
/// keys, and that a get inside the session's own class changes is right.
/// </summary>
public sealed class PostgresGenerationCheckTests : IDisposable
{
    private readonly PostgresTestSchema _schema = PostgresServer.Shared.NewSchema();
    private readonly CimLiteSession _reader, _writer;

    public PostgresGenerationCheckTests()
    {
        _writer = PostgresBackend.OpenSession(_schema.ConnectionString);
        _reader = PostgresBackend.OpenSession(_schema.ConnectionString);
        SessionFixture.Class(_writer, "Item").Key("Name").Prop("Note", "string").Create();
        Put(_writer, "Item", "a", "first");
        // The reader has read once: its classes and the generation are cached.
        Assert.Equal("first", Get(_reader, "Item.Name=\"a\"")["Note"]);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _schema.Dispose();
    }

    private static void Put(CimLiteSession session, string className, string name, string note) =>
        session.PutInstance(session.NewInstance(className, new Dictionary<string, object?> { ["Name"] = name, ["Note"] = note }));

    private static CimLiteInstance Get(CimLiteSession session, string path) => session.GetInstance(InstancePath.Parse(path));

    [PostgresFact]
    public void A_class_another_client_created_is_found_by_the_next_get()
    {
        SessionFixture.Class(_writer, "Other").Key("Name").Prop("Note", "string").Create();
        Put(_writer, "Other", "o", "other");
        Assert.Equal("other", Get(_reader, "Other.Name=\"o\"")["Note"]);
    }

    [PostgresFact]
    public void An_instance_of_a_subclass_another_client_created_comes_back_as_its_class()
    {
        SessionFixture.Class(_writer, "Special", "Item").Prop("Extra", "uint32").Create();
        _writer.PutInstance(_writer.NewInstance("Special", new Dictionary<string, object?> { ["Name"] = "s", ["Note"] = "n", ["Extra"] = 7u }));
        var got = Get(_reader, "Item.Name=\"s\"");
        Assert.Equal("Special", got.ClassName);
        Assert.Equal(7u, got["Extra"]);
    }

    [PostgresFact]
    public void A_class_replaced_with_other_keys_is_read_with_its_new_definition()
    {
        _writer.DeleteClass("Item", force: true);
        SessionFixture.Class(_writer, "Item").Key("Code", "uint32").Prop("Note", "string").Create();
        _writer.PutInstance(_writer.NewInstance("Item", new Dictionary<string, object?> { ["Code"] = 5u, ["Note"] = "new" }));
        Assert.Equal("new", Get(_reader, "Item.Code=5")["Note"]);
        Assert.Equal(CimStatus.NotFound, Assert.Throws<CimLiteException>(() => Get(_reader, "Item.Code=6")).Status);
        Assert.Equal(CimStatus.InvalidParameter, Assert.Throws<CimLiteException>(() => Get(_reader, "Item.Name=\"a\"")).Status);
    }

    [PostgresFact]
    public void A_class_another_client_changed_in_place_is_read_with_its_new_definition()
    {
        // MOF import with Force updates the class row in place (same id): only the generation says it changed.
        _writer.ImportMofText("""
            class Item { [Key] string Name; string Note; uint32 Extra; };
            instance of Item { Name = "x"; Note = "n"; Extra = 7; };
            """, "change.mof", new MofImportOptions { Force = true });
        var got = Get(_reader, "Item.Name=\"x\"");
        Assert.Equal(7u, got["Extra"]);
        Assert.Equal("first", Get(_reader, "Item.Name=\"a\"")["Note"]);
    }

    [PostgresFact]
    public void The_sessions_own_class_changes_are_seen_by_its_gets()
    {
        SessionFixture.Class(_reader, "Mine", "Item").Prop("Extra", "string").Create();
        _reader.PutInstance(_reader.NewInstance("Mine", new Dictionary<string, object?> { ["Name"] = "m", ["Extra"] = "x" }));
        Assert.Equal("Mine", Get(_reader, "Item.Name=\"m\"").ClassName);
        Assert.Equal("Mine", Get(_writer, "Item.Name=\"m\"").ClassName);
        Assert.Equal("first", Get(_writer, "Item.Name=\"a\"")["Note"]);
    }
}
