using System.Globalization;
using CimLite.Query;
using CimLite.Storage.Sqlite;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>
/// Issue 17's engine.queryFilter: on SQLite a top-level boolean (= / &lt;&gt;) or integer (=) comparison reads through a
/// text probe (<c>instr(data, '"Name":value')</c>, no JSON parse per row) and memory decides on the decoded instance.
/// The rows here carry the probe's text where it must not count (string values, arrays, a sibling property, an embedded
/// instance's text, nested objects written past the engine) and values a careless probe would miss (negative numbers,
/// the ends of sint64, reals equal to an integer, nulls); every answer must be memory's.
/// </summary>
public sealed class TextProbeTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Probe").Key("Id").Prop("Enabled", "boolean").Prop("Count", "sint32").Prop("Small", "sint8").Prop("Total", "sint64")
            .Prop("Big", "uint64").Prop("Ratio", "real64").Prop("Note", "string").Prop("Notes", "string[]").Prop("Counts", "sint32[]")
            .Prop("Enabled2", "boolean").Prop("Payload", "string", null, new CimQualifier("EmbeddedInstance", "Probe")).Create();
        Class("ProbeChild", "Probe").Prop("Extra", "boolean").Create();
        Put("Probe", ("Id", "a"), ("Enabled", true), ("Count", 5), ("Note", "x"));
        Put("Probe", ("Id", "b"), ("Enabled", false), ("Count", 50), ("Note", "\"Enabled\":true"), ("Payload", "{\"Enabled\":true,\"Count\":5}"));
        Put("Probe", ("Id", "c"), ("Count", 55), ("Enabled2", true), ("Notes", new[] { "\"Count\":5,", "\"Enabled\":true" }), ("Counts", new[] { 5 }));
        Put("Probe", ("Id", "d"), ("Enabled", true), ("Count", -5), ("Small", (sbyte)-128), ("Total", long.MinValue), ("Big", ulong.MaxValue));
        Put("Probe", ("Id", "e"), ("Enabled", false), ("Count", 0), ("Total", long.MaxValue), ("Big", 9223372036854775808UL));
        Put("Probe", ("Id", "f"), ("Enabled", true), ("Count", 500), ("Ratio", 5.0));
        Put("Probe", ("Id", "h"), ("Enabled", false), ("Ratio", -0.0), ("Note", "\"Count\":5}"));
        Put("Probe", ("Id", "i"), ("Count", 6), ("Note", "Enabled = TRUE, \"Count\":5"), ("Payload", "instance of Probe { Enabled = true; Count = 5; };"));
        Put("ProbeChild", ("Id", "g"), ("Enabled", true), ("Count", 5), ("Extra", false));
    }

    private string[] Ids(string wql, bool inMemory = false) =>
        Session.ExecQuery(wql, options: new QueryOptions { EvaluateInMemory = inMemory })
            .Select(i => (string)i["Id"]!).OrderBy(id => id, StringComparer.Ordinal).ToArray();

    public static readonly (string Where, string Expected)[] Cases =
    {
        ("Enabled = TRUE", "a d f g"),
        ("enabled = true", "a d f g"),
        ("TRUE = Enabled", "a d f g"),
        ("Enabled = 'true'", "a d f g"),
        ("Enabled = FALSE", "b e h"),
        ("Enabled <> FALSE", "a d f g"),
        ("Enabled <> TRUE", "b e h"),
        ("NOT Enabled = TRUE", "b c e h i"),
        ("NOT Enabled <> FALSE", "b c e h i"),
        ("Enabled = TRUE OR Count = 55", "a c d f g"),
        ("Enabled = TRUE AND Count = 5", "a g"),
        ("Enabled = TRUE AND NOT Count = 5", "d f"),
        ("Enabled = TRUE AND Note IS NULL", "d f g"),
        ("Enabled2 = TRUE", "c"),
        ("Enabled IS NULL", "c i"),
        ("Count = 5", "a g"),
        ("5 = Count", "a g"),
        ("Count = '5'", "a g"),
        ("Count = '+5'", "a g"),
        ("Count = 5.0", "a g"),
        ("Count = -5", "d"),
        ("Count = 0", "e"),
        ("Count = '-0'", "e"),
        ("Count = 50", "b"),
        ("Count <> 5", "b c d e f i"),
        ("NOT Count = 5", "b c d e f h i"),
        ("Count = 5 OR Count = 6", "a g i"),
        ("Count = 5 AND Count = 50", ""),
        ("Small = -128", "d"),
        ("Total = -9223372036854775808", "d"),
        ("Total = 9223372036854775807", "e"),
        ("Big = 9223372036854775807", ""),
        ("Big = 9223372036854775808", "e"),
        ("Big = 18446744073709551615", "d"),
        ("Ratio = 5", "f"),
        ("Ratio = 0", "h"),
        ("Extra = FALSE", "g"),
        ("Extra = TRUE", ""),
    };

    public static IEnumerable<object[]> CaseData() =>
        from object[] backend in TestBackends.All from c in Cases select new object[] { backend[0], c.Where, c.Expected };

    [Theory]
    [MemberData(nameof(CaseData))]
    public void Probed_comparisons_answer_as_memory_does(string backend, string where, string expected)
    {
        Use(backend);
        var wql = "SELECT * FROM Probe WHERE " + where;
        var memory = Ids(wql, inMemory: true);
        Assert.Equal(expected, string.Join(" ", memory));
        Assert.Equal(memory, Ids(wql));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_subclass_query_and_the_filter_forms_agree_with_memory(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "g" }, Ids("SELECT * FROM ProbeChild WHERE Enabled = TRUE"));
        Assert.Equal(new[] { "a", "g" }, Session.QueryInstances("Probe", "Count = 5").Select(i => (string)i["Id"]!).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(new[] { "a", "d", "f", "g" },
            Session.FilterInstances("Probe", new[] { new KeyValuePair<string, object?>("Enabled", true) }).Select(i => (string)i["Id"]!).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(new[] { "d" },
            Session.FilterInstances("Probe", new[] { new KeyValuePair<string, object?>("ENABLED", true), new KeyValuePair<string, object?>("count", -5) }).Select(i => (string)i["Id"]!));
    }

    public static TheoryData<string> SqliteBackends => new() { TestBackends.SqliteMemory, TestBackends.SqliteFile };

    [Theory, MemberData(nameof(SqliteBackends))]
    public void The_probe_replaces_json_extract_only_for_top_level_boolean_and_integer_equality(string backend)
    {
        Use(backend);
        string Sql(string where) => Session.ExplainQuery("SELECT * FROM Probe WHERE " + where)[0];
        foreach (var probed in new[] { "Enabled = TRUE", "Enabled <> FALSE", "Count = 5", "Count = 5 AND Note = 'x'" })
        {
            var line = Sql(probed);
            Assert.Contains("instr(data, $v", line);
            Assert.EndsWith(Messages.ExplainResidual, line);
            Assert.DoesNotContain("Enabled", line);
            Assert.DoesNotContain("Count", line);
        }
        Assert.DoesNotContain("json_extract", Sql("Enabled = TRUE"));
        Assert.Contains("json_extract", Sql("Count = 5 AND Note = 'x'"));
        foreach (var plain in new[] { "NOT Enabled = TRUE", "Enabled = TRUE OR Count = 55", "Count <> 5", "Count > 5", "Enabled > FALSE", "Note = 'x'", "Ratio = 5", "Big = 18446744073709551615" })
        {
            var line = Sql(plain);
            Assert.DoesNotContain("instr(", line);
        }
        Assert.Null(SqliteQueryTranslator.TextProbes(new BoundComparison(0, "A\"B", WqlCompareKind.Boolean, WqlComparisonOperator.Equal, true)));
        Assert.Equal(new[] { "\"Enabled\":true" }, SqliteQueryTranslator.TextProbes(new BoundComparison(1, "Enabled", WqlCompareKind.Boolean, WqlComparisonOperator.NotEqual, false)));
        Assert.Equal(new[] { "\"N\":-12,", "\"N\":-12}" }, SqliteQueryTranslator.TextProbes(new BoundComparison(1, "N", WqlCompareKind.Integer, WqlComparisonOperator.Equal, -12m)));
    }

    [Theory, MemberData(nameof(SqliteBackends))]
    public void The_probe_reads_only_rows_holding_the_exact_value(string backend)
    {
        Use(backend);
        // Count is 5 in a and g; 50, 55, 500 and -5 (and texts and arrays holding "Count":5) must not even be decoded.
        var counter = MaterializedCounter.Attach(Session);
        Assert.Equal(new[] { "a", "g" }, Ids("SELECT * FROM Probe WHERE Count = 5"));
        Assert.Equal(2, counter.Count);
        var before = counter.Count;
        Assert.Equal(new[] { "a", "d", "f", "g" }, Ids("SELECT * FROM Probe WHERE Enabled = TRUE"));
        Assert.Equal(before + 4, counter.Count);
    }

    [Theory, MemberData(nameof(SqliteBackends))]
    public void Rows_holding_the_text_in_a_nested_object_are_decided_by_memory(string backend)
    {
        Use(backend);
        // Rows written past the engine (the encoder writes no nested objects): the probe's text is there, the
        // property's own value is not the one asked for. The general reader ignores the unknown member "Junk".
        var probe = Session.GetClass("Probe");
        using (var tx = Session.Repository.BeginWrite())
        {
            using var insert = Session.Sqlite().NewCommand("INSERT INTO instances(class_id, key_root_id, key, data) VALUES ($c, $c, $k, $d)");
            insert.Parameters.AddWithValue("$c", probe.Id);
            var pk = insert.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
            var pd = insert.Parameters.Add("$d", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var (id, data) in new[]
            {
                ("z1", "{\"Id\":\"z1\",\"Enabled\":false,\"Count\":7,\"Junk\":{\"Enabled\":true,\"Count\":5}}"),
                ("z2", "{\"Id\":\"z2\",\"Junk\":[{\"Count\":5,\"Enabled\":true}],\"Count\":8}"),
            })
            {
                var values = new object?[probe.Properties.Count];
                values[0] = id;
                pk.Value = CimLiteSession.KeyText(probe, values);
                pd.Value = data;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Assert.Equal(7, (int)Get("Probe.Id=\"z1\"")["Count"]!);
        Assert.Null(Get("Probe.Id=\"z2\"")["Enabled"]);
        foreach (var (where, expected) in new[] { ("Enabled = TRUE", "a d f g"), ("Count = 5", "a g"), ("Enabled <> FALSE", "a d f g"), ("Enabled = FALSE", "b e h z1") })
        {
            var wql = "SELECT * FROM Probe WHERE " + where;
            Assert.Equal(expected, string.Join(" ", Ids(wql)));
            Assert.Equal(Ids(wql, inMemory: true), Ids(wql));
        }
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Many_rows_one_probe_the_same_answer_as_memory(string backend)
    {
        Use(backend);
        Class("Many").Key("Id", "uint32").Prop("On", "boolean").Prop("Mod", "sint16").Prop("Label", "string").Create();
        using (var batch = Session.BeginPutBatch())
        {
            for (uint i = 0; i < 600; i++)
                batch.Add(New("Many", ("Id", i), ("On", i % 3 == 0 ? (object?)null : i % 2 == 0), ("Mod", (short)((int)(i % 13) - 6)),
                    ("Label", "\"On\":true \"Mod\":" + (i % 7).ToString(CultureInfo.InvariantCulture) + ",")));
            batch.Commit();
        }
        foreach (var where in new[] { "On = TRUE", "On = FALSE", "On <> TRUE", "NOT On = FALSE", "Mod = 3", "Mod = -3", "Mod = 0 AND On = TRUE", "Mod = 6 OR On = TRUE", "Mod = 7" })
        {
            var wql = "SELECT * FROM Many WHERE " + where;
            var memory = Session.ExecQuery(wql, options: new QueryOptions { EvaluateInMemory = true }).Select(i => (uint)i["Id"]!).ToList();
            var pushed = Session.ExecQuery(wql).Select(i => (uint)i["Id"]!).ToList();
            Assert.Equal(memory, pushed);
            if (where != "Mod = 7") Assert.NotEmpty(memory);
        }
    }
}
