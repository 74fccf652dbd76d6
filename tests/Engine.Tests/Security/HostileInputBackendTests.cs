using System.Globalization;
using System.Text;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Npgsql;

namespace CimLite.Tests.Security;

/// <summary>
/// Issue 18 item 4: bad input and hostile strings, as in the SQLite matrix (QuerySafetyTests, BadInputRulesTests and the
/// module's BadInputTests), on every backend, PostgreSQL included. Hostile strings (quotes, backslashes, NUL, lone
/// surrogates, very long text, SQL fragments, non-ASCII, placeholders) go into class names, property names,
/// namespaces, keys, values and WQL literals; every refused operation leaves the database unchanged: on PostgreSQL
/// every row of every table of the repository's schema (and the list of its relations) is dumped, ordered, as text,
/// before and after, and compared; on SQLite the session fixture's snapshot. What is accepted (a hostile key or value)
/// reads back exactly.
/// </summary>
public sealed class HostileInputBackendTests : BackendSessionFixture
{
    public static readonly string[] Hostile = CimLite.Tests.Query.QuerySafetyTests.Hostile.Concat(new[]
    {
        "\ud800", "a\udc00b", "x\ud800y\udc00", "\udfff\ud800", "C:\\Windows\\System32\\", "\\\\server\\share", "\\0", "\\u0000", "\\x00",
        "'\\''", "\"\\\"\"", "E'\\x41'", "$$; DROP TABLE instances; $$", "$1", "%s%n", "{\"a\":1}", "\\\"}, \"x\": {\"",
        "Grüße ſ İı Σς 日本語 🙂 \u200f\u202e", "\u00a0\ufeff", "ﬀ", new string('é', 5_000) + "\ud83d",
        "'); DELETE FROM classes; SELECT ('", "x' || (SELECT value FROM cimlite_format) || '",
    }).ToArray();

    /// <summary>Every hostile string, on each backend but the SQLite file (its storage is SQLite in memory's, and it is slow).</summary>
    public static IEnumerable<object[]> Cases()
    {
        foreach (var backend in new[] { TestBackends.SqliteMemory, TestBackends.Postgres }.Where(b => b != TestBackends.Postgres || PostgresServer.ShouldTest))
            for (int i = 0; i < Hostile.Length; i++)
                yield return new object[] { backend, i };
    }

    protected override void Arrange()
    {
        Class("Item").Key("Name").Prop("Note", "string").Prop("N", "sint64").Prop("Tags", "string[]").Create();
        Class("Sub", "Item").Prop("Extra", "string").Create();
        Put("Item", ("Name", "a"), ("Note", "x"), ("N", 1L));
        Put("Item", ("Name", "it's"), ("Note", "'; DROP TABLE instances; --"), ("N", 2L), ("Tags", new[] { "\\", "'", "\0" }));
        Put("Sub", ("Name", "sub"), ("Note", "\\\"'"), ("Extra", "x\0y"));
    }

    /// <summary>
    /// Everything the repository stores, as text. PostgreSQL: on a connection of its own (what is committed), the names
    /// and kinds of every relation of the schema, then every row of every table as its row text, ordered bytewise.
    /// </summary>
    private string Dump()
    {
        if (Session.Postgres() is not { } postgres) return Snapshot();
        var sb = new StringBuilder();
        // The server's superuser connection (one pool for every dump), not the session's: it sees what is committed.
        using var connection = new NpgsqlConnection(PostgresServer.Shared.ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var command = new NpgsqlCommand("SELECT c.relname::text, c.relkind::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY c.relname COLLATE \"C\"", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = postgres.Schema });
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sb.Append(reader.GetString(0)).Append(' ').Append(reader.GetString(1)).Append('\n');
                if (reader.GetString(1) == "r") tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("instances", tables);
        foreach (var table in tables)
        {
            sb.Append("## ").Append(table).Append('\n');
            using var rows = new NpgsqlCommand("SELECT t::text FROM \"" + postgres.Schema + "\".\"" + table + "\" t ORDER BY t::text COLLATE \"C\"", connection);
            using var reader = rows.ExecuteReader();
            while (reader.Read()) sb.Append(reader.GetString(0)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Runs <paramref name="action"/>, which must fail with a CimLiteException (one of <paramref name="statuses"/> when given) and change nothing.</summary>
    private CimLiteException Refused(string what, Action action, params CimStatus[] statuses)
    {
        var before = Dump();
        var e = Assert.Throws<CimLiteException>(action);
        Assert.True(statuses.Length == 0 || statuses.Contains(e.Status), what + ": " + e.Status + " " + e.Message);
        Assert.True(e.Message.Length < 2_000, what + ": a message of " + e.Message.Length + " characters");
        var after = Dump();
        Assert.True(before == after, what + ": the repository changed");
        return e;
    }

    /// <summary>Runs <paramref name="action"/>: either it is refused (nothing changed), or <paramref name="accepted"/> checks what it did.</summary>
    private void RefusedOrAccepted(string what, Action action, Action accepted)
    {
        var before = Dump();
        try
        {
            action();
        }
        catch (CimLiteException e)
        {
            Assert.False(e.IsStorageFailure, what + ": a storage failure: " + e.Message);
            Assert.True(before == Dump(), what + ": refused (" + e.Status + ") but the repository changed");
            return;
        }
        accepted();
    }

    private static string Short(string s) => s.Length > 40 ? s.Substring(0, 40) + "… (" + s.Length + ")" : s;

    private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    private static CimClassDefinition Keyed(string name, string keyName = "Id")
    {
        var d = new CimClassDefinition(name);
        d.Properties.Add(new CimPropertyDefinition(keyName, CimTypeInfo.Parse("string")) { Qualifiers = { new CimQualifier("Key", true) } });
        return d;
    }

    public static IEnumerable<object[]> Backends() => Cases().Where(c => (int)c[1] == 0).Select(c => new[] { c[0] });

    /// <summary>The control: the dump sees a write (a row changed, a relation added), so "unchanged" means something.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void The_dump_sees_every_change(string backend)
    {
        Use(backend);
        var before = Dump();
        Put("Item", ("Name", "a"), ("Note", "y"), ("N", 1L));
        var changed = Dump();
        Assert.NotEqual(before, changed);
        Session.PutInstance(New("Item", ("Name", "a"), ("Note", "x"), ("N", 1L)));
        Assert.Equal(before, Dump());
        if (Session.Postgres() is { } postgres)
        {
            PostgresServer.Shared.Scalar("CREATE TABLE \"" + postgres.Schema + "\".intruder(x int)");
            Assert.NotEqual(before, Dump());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_names_are_refused_or_kept_exactly_and_refusals_change_nothing(string backend, int index)
    {
        Use(backend);
        var h = Hostile[index];
        var label = Short(h);

        // Class names, property names and namespaces: the hostile ones are not CIM names (or, like "_", are kept as given).
        RefusedOrAccepted("class " + label, () => Session.CreateClass(Keyed(h)), () =>
        {
            Assert.Equal(h, Session.GetClass(h).ClassName);
            Session.DeleteClass(h);
        });
        RefusedOrAccepted("property " + label, () => Session.CreateClass(Keyed("HostileProperty", h)), () =>
        {
            Assert.Equal(h, Assert.Single(Session.GetClass("HostileProperty").Properties).Name);
            Session.DeleteClass("HostileProperty");
        });
        RefusedOrAccepted("namespace " + label, () => Session.CreateClass(Keyed("InHostileNamespace"), h), () =>
        {
            Assert.Equal("InHostileNamespace", Session.GetClass("InHostileNamespace", h).ClassName);
            Session.DeleteClass("InHostileNamespace", h);
        });
        Refused("superclass " + label, () => Session.CreateClass(new CimClassDefinition("Child") { Superclass = h }));
        Refused("get class " + label, () => Session.GetClass(h));
        Refused("delete class " + label, () => Session.DeleteClass(h));
        Refused("enumerate " + label, () => Session.EnumerateInstances(h).ToList());
        Refused("enumerate in namespace " + label, () => Session.EnumerateInstances("Item", h).ToList());
        Refused("query from " + label, () => Session.ExecQuery("SELECT * FROM " + h).ToList());
        Refused("query in namespace " + label, () => Session.ExecQuery("SELECT * FROM Item", h).ToList());
        Refused("filter " + label, () => Session.QueryInstances("Item", "Name = 'a' AND " + h).ToList());

        // Keys and values that are not stored: reads find nothing, writes are refused, nothing changes.
        var absent = Session.NewInstance("Item", Props(("Name", h)));
        Refused("get " + label, () => Session.GetInstance(absent.GetPath()), CimStatus.NotFound);
        Refused("get sub " + label, () => Session.GetInstance(Session.NewInstance("Sub", Props(("Name", h))).GetPath()), CimStatus.NotFound);
        Refused("delete " + label, () => Session.DeleteInstance(absent.GetPath()), CimStatus.NotFound);
        Refused("update only " + label, () => Session.PutInstance(New("Item", ("Name", h), ("Note", h)), new PutOptions { Mode = PutMode.UpdateOnly }), CimStatus.NotFound);
        Refused("unknown property " + label, () => Session.PutInstance(New("Item", ("Name", "a"), (h, 1))));
        Refused("value of the wrong type " + label, () => Session.PutInstance(New("Item", ("Name", h), ("N", h))), CimStatus.TypeMismatch);
        Refused("existing key " + label, () => Session.PutInstance(New("Item", ("Name", "A"), ("Note", h)), new PutOptions { Mode = PutMode.CreateOnly }), CimStatus.AlreadyExists);
        Refused("moving " + label, () => Session.PutInstance(New("Sub", ("Name", "it's"), ("Note", h))));
        Refused("property list " + label, () => Session.PutInstance(New("Item", ("Name", "a"), ("Note", h)), new PutOptions { PropertyList = new[] { h } }));

        // A batch whose items were written and refused, never committed: nothing of it stays.
        var before = Dump();
        using (var batch = Session.BeginPutBatch())
        {
            Assert.True(batch.Add(New("Item", ("Name", h), ("Note", h), ("Tags", new[] { h, h }))).Succeeded);
            Assert.False(batch.Add(New("Item", ("Name", "a"), ("Note", h)), new PutOptions { Mode = PutMode.CreateOnly }).Succeeded);
            Assert.False(batch.Add(New("Item", ("Name", h + "?"), ("Note", h)), new PutOptions { Mode = PutMode.UpdateOnly }).Succeeded);
            Assert.False(batch.Add(New("Sub", ("Name", "it's"), ("Extra", h))).Succeeded);
        }
        Assert.True(before == Dump(), "an uncommitted batch changed the repository (" + label + ")");

        // WQL literals: values, never SQL; results of the class only, or INVALID_QUERY; nothing changes.
        before = Dump();
        foreach (var inMemory in new[] { false, true })
        {
            var options = new QueryOptions { EvaluateInMemory = inMemory };
            foreach (var where in new[] { "Name = {0}", "Note = {0}", "Note <> {0}", "Note < {0}", "NOT Note >= {0}", "Note LIKE {0}", "Name = {0} OR Note = {0}", "N = 1 AND Note <> {0}", "Extra = {0}", "{0} = Name" })
            {
                try
                {
                    Assert.All(Session.ExecQuery("SELECT * FROM Item WHERE " + string.Format(CultureInfo.InvariantCulture, where, Quote(h)), options: options).ToList(),
                        i => Assert.True(i.ClassName is "Item" or "Sub"));
                }
                catch (CimLiteException e)
                {
                    Assert.True(e.Status is CimStatus.InvalidQuery or CimStatus.NoSuchProperty, label + ": " + e.Message);
                    Assert.False(e.IsStorageFailure, label + ": " + e.Message);
                }
            }
        }
        Assert.True(before == Dump(), "a query changed the repository (" + label + ")");
        Assert.Equal(3, Session.EnumerateInstances("Item").Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_keys_and_values_are_stored_and_read_back_exactly(string backend, int index)
    {
        Use(backend);
        var h = Hostile[index];
        var label = Short(h);
        var path = Put("Sub", ("Name", h), ("Note", h), ("Extra", h + h), ("Tags", new[] { h, "", h }));

        void Same(CimLiteInstance i)
        {
            Assert.Equal("Sub", i.ClassName);
            Assert.Equal(h, i["Name"]);
            Assert.Equal(h, i["Note"]);
            Assert.Equal(h + h, i["Extra"]);
            Assert.Equal(new[] { h, "", h }, (string[])i["Tags"]!);
        }
        Same(Session.GetInstance(path));
        Same(Session.GetInstance(InstancePath.Parse(path.ToString())));
        Same(Session.GetInstance(Session.NewInstance("Item", Props(("Name", h))).GetPath()));
        Same(Assert.Single(Session.EnumerateInstances("Sub"), i => (string?)i["Name"] == h));
        foreach (var inMemory in new[] { false, true })
        {
            var options = new QueryOptions { EvaluateInMemory = inMemory };
            foreach (var where in new[] { "Name = {0}", "Note = {0}", "Extra = {0}" })
            {
                List<CimLiteInstance> found;
                try
                {
                    found = Session.ExecQuery("SELECT * FROM Item WHERE " + string.Format(CultureInfo.InvariantCulture, where, Quote(where.StartsWith("Extra", StringComparison.Ordinal) ? h + h : h)), options: options).ToList();
                }
                catch (CimLiteException e) when (e.Status == CimStatus.InvalidQuery && !e.IsStorageFailure)
                {
                    continue; // a literal WQL cannot spell (NUL)
                }
                Same(Assert.Single(found, i => (string?)i["Name"] == h));
            }
        }

        // The stored key refuses a second creator, under any class of the hierarchy, and nothing changes.
        Refused("create again " + label, () => Session.PutInstance(New("Item", ("Name", h)), new PutOptions { Mode = PutMode.CreateOnly }), CimStatus.AlreadyExists);
        Refused("create again sub " + label, () => Session.PutInstance(New("Sub", ("Name", h)), new PutOptions { Mode = PutMode.CreateOnly }), CimStatus.AlreadyExists);

        // An update keeps it exact; a delete removes exactly it.
        Session.PutInstance(New("Sub", ("Name", h), ("Note", "changed"), ("Extra", h + h), ("Tags", new[] { h, "", h })), new PutOptions { Mode = PutMode.UpdateOnly, PropertyList = new[] { "Note" } });
        Assert.Equal("changed", Session.GetInstance(path)["Note"]);
        Assert.Equal(h + h, Session.GetInstance(path)["Extra"]);
        Session.DeleteInstance(path);
        Assert.Null(Session.FindInstance(path));
        Assert.Equal(3, Session.EnumerateInstances("Item").Count());
    }
}
