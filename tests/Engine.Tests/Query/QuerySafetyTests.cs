using System.Diagnostics;
using CimLite.Tests.TestUtilities;
using Xunit.Abstractions;

namespace CimLite.Tests.Query;

/// <summary>Hostile values never reach SQL as text; key equality uses the unique index (EXPLAIN QUERY PLAN).</summary>
public sealed class QuerySafetyTests : SessionFixture
{
    private readonly ITestOutputHelper _output;

    public QuerySafetyTests(ITestOutputHelper output)
    {
        _output = output;
        Class("Item").Key("Name").Prop("Note", "string").Prop("N", "sint64").Create();
        Put("Item", ("Name", "a"), ("Note", "x"), ("N", 1L));
        Put("Item", ("Name", "it's"), ("Note", "'; DROP TABLE instances; --"), ("N", 2L));
    }

    public static readonly string[] Hostile =
    {
        "'", "''", "\"", "'; DROP TABLE instances; --", "\"; DROP TABLE classes; --", "1; DELETE FROM instances",
        "a' OR '1'='1", "a\" OR \"1\"=\"1", "/* comment */", "-- comment", "x\0y", "\0", "\\", "\\'", "%", "_", "[", "[^]",
        "$p0", "$v0", "?", ":name", "@x", ") OR 1=1 --", "json_extract(data, '$')", "\u2028\u2029", "\r\n\t",
        new string('x', 100_000), new string('\'', 10_000), string.Concat(Enumerable.Repeat("'; DROP TABLE instances; --", 2_000)),
    };

    public static IEnumerable<object[]> HostileCases() => Hostile.Select((h, i) => new object[] { i });

    private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void HostileStrings_AreValues_AndLeaveTheRepositoryUnchanged(int index)
    {
        var value = Hostile[index];
        var before = Snapshot();
        foreach (var inMemory in new[] { false, true })
        {
            var options = new QueryOptions { EvaluateInMemory = inMemory };
            foreach (var where in new[] { "Name = {0}", "Note = {0}", "Note <> {0}", "Note < {0}", "NOT Note >= {0}", "Note LIKE {0}", "Name = {0} OR Note = {0}", "N = 1 AND Note <> {0}" })
            {
                var wql = "SELECT * FROM Item WHERE " + string.Format(where, Quote(value));
                try
                {
                    var result = Session.ExecQuery(wql, options: options).ToList();
                    Assert.All(result, i => Assert.Equal("Item", i.ClassName));
                }
                catch (CimLiteException e)
                {
                    Assert.Equal(CimStatus.InvalidQuery, e.Status); // e.g. '[' is not a LIKE pattern
                }
            }
            Assert.Single(Session.QueryInstances("Item", "Note = " + Quote("'; DROP TABLE instances; --"), options: options));
        }
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void HostileText_AsTheWholeQuery_IsInvalidQuery_AndChangesNothing()
    {
        var before = Snapshot();
        foreach (var h in Hostile)
        {
            var e = Assert.Throws<CimLiteException>(() => Session.ExecQuery("SELECT * FROM Item WHERE Name = 'a'; " + h).ToList());
            Assert.Equal(CimStatus.InvalidQuery, e.Status);
            if (string.IsNullOrWhiteSpace(h)) continue; // an empty filter selects everything
            var f = Assert.Throws<CimLiteException>(() => Session.QueryInstances("Item", h).ToList());
            Assert.True(f.Status == CimStatus.InvalidQuery, h.Length > 50 ? h.Substring(0, 50) : h);
        }
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void TheSqlText_CarriesPlaceholdersOnly()
    {
        var lines = Session.ExplainQuery("SELECT * FROM Item WHERE Note = 'DROP TABLE x' AND Note LIKE 'q%' AND N > 5 AND Note IS NOT NULL");
        var sql = System.Text.RegularExpressions.Regex.Replace(lines[0], @"\$[pvck]+[0-9]*", "$");
        Assert.DoesNotContain("DROP", sql);
        Assert.DoesNotContain("q%", sql);
        Assert.DoesNotContain("Note", sql);
        Assert.DoesNotContain("5", sql);
        Assert.Contains("json_extract(data, $p", lines[0]);
        Assert.Contains("$v", lines[0]);
    }

    [Fact]
    public void KeyEquality_UsesTheUniqueIndex_On100000Instances()
    {
        Class("Big").Key("Id").Prop("Value", "uint32").Create();
        var big = Session.GetClass("Big");
        // Rows written directly (one transaction) with the engine's own key text and stored form.
        using (var tx = Session.Repository.BeginWrite())
        {
            using var insert = Session.Sqlite().NewCommand("INSERT INTO instances(class_id, key_root_id, key, data) VALUES ($c, $c, $k, $d)");
            var pc = insert.Parameters.Add("$c", Microsoft.Data.Sqlite.SqliteType.Integer);
            var pk = insert.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
            var pd = insert.Parameters.Add("$d", Microsoft.Data.Sqlite.SqliteType.Text);
            pc.Value = big.Id;
            insert.Prepare();
            for (int i = 0; i < 100_000; i++)
            {
                var id = "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                pk.Value = CimLiteSession.KeyText(big, new object?[] { id, (uint)i });
                pd.Value = "{\"Id\":\"" + id + "\",\"Value\":" + i + "}";
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }

        var plan = Session.ExplainQuery("SELECT * FROM Big WHERE Id = 'K77777'");
        _output.WriteLine(string.Join("\n", plan));
        Assert.Contains(plan, l => l.Contains("USING INDEX sqlite_autoindex_instances_1 (key_root_id=? AND key=?)"));
        Assert.DoesNotContain(plan, l => l.Contains("SCAN instances"));
        // Also with further conditions and the key on the right.
        Assert.Contains(Session.ExplainQuery("SELECT * FROM Big WHERE Value > 3 AND 'k5' = Id"), l => l.Contains("(key_root_id=? AND key=?)"));
        // A non-key condition scans the class (through its index).
        Assert.Contains(Session.ExplainQuery("SELECT * FROM Big WHERE Value = 77777"), l => l.Contains("instances_by_class"));

        var hit = Session.ExecQuery("SELECT * FROM Big WHERE Id = 'K77777'").Single();
        Assert.Equal(77777U, hit["Value"]);

        // The figure bench/ reports: key-equality query time / get-by-path time (medians).
        var path = InstancePath.Parse("Big.Id=\"k77777\"");
        double Median(Action a)
        {
            var times = new List<double>();
            for (int r = 0; r < 7; r++)
            {
                var sw = Stopwatch.StartNew();
                for (int j = 0; j < 200; j++) a();
                times.Add(sw.Elapsed.TotalMilliseconds / 200);
            }
            times.Sort();
            return times[3];
        }
        var get = Median(() => Session.GetInstance(path));
        var query = Median(() => Session.ExecQuery("SELECT * FROM Big WHERE Id = 'k77777'").Single());
        var scan = Median(() => Session.ExecQuery("SELECT * FROM Big WHERE Value = 77777").Single());
        _output.WriteLine($"get-by-path {get:F4} ms, key-equality query {query:F4} ms (ratio {query / get:F1}), non-key query {scan:F3} ms");
        Assert.True(query < scan / 10, $"key query {query} ms vs scan {scan} ms");
    }
}
