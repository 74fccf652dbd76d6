using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>
/// CimLiteSession.FilterInstances (-FilterHashtable, issue 15 item 4): equality pairs bound straight into the query
/// tree, values as SQL parameters (pushed down, no residual, no value text in the SQL), the same answers as the WQL
/// filter written by hand, and NO_SUCH_PROPERTY / TYPE_MISMATCH for bad pairs.
/// </summary>
public sealed class EqualityFilterTests : SessionFixture
{
    public EqualityFilterTests()
    {
        Class("Item").Key("Name").Prop("Note", "string").Prop("N", "sint64").Prop("R", "real64").Prop("B", "boolean").Prop("When", "datetime").Prop("Tags", "string[]").Create();
        Class(Session, "Sub", "Item").Prop("Extra", "uint8").Create();
        Put("Item", ("Name", "a"), ("Note", "x"), ("N", 1L), ("R", 1.5), ("B", true), ("When", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))));
        Put("Item", ("Name", "it's"), ("Note", "'; DROP TABLE instances; --"), ("N", 2L), ("B", false));
        Put("Item", ("Name", "c"), ("N", 2L));
        Put("Sub", ("Name", "s"), ("Note", "X"), ("N", 3L), ("Extra", (byte)7));
    }

    private static KeyValuePair<string, object?> P(string name, object? value) => new(name, value);

    private string[] Names(params KeyValuePair<string, object?>[] pairs) =>
        Session.FilterInstances("Item", pairs).Select(i => (string)i["Name"]!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private string[] NamesWql(string filter) =>
        Session.QueryInstances("Item", filter).Select(i => (string)i["Name"]!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Pairs_select_as_the_equivalent_WQL_filter_does()
    {
        Assert.Equal(NamesWql("Note = 'x'"), Names(P("Note", "x")));
        Assert.Equal(new[] { "a", "s" }, Names(P("Note", "x")));
        Assert.Equal(NamesWql("N = 2 AND Note IS NULL"), Names(P("N", 2), P("Note", null)));
        Assert.Equal(NamesWql("N = 1 OR N = 3"), Names(P("N", new object[] { 1, "3" })));
        Assert.Equal(NamesWql("Note IS NULL OR Note = 'x'"), Names(P("Note", new object?[] { null, "x" })));
        Assert.Equal(NamesWql("B = FALSE"), Names(P("B", "false")));
        Assert.Equal(NamesWql("R = 1.5"), Names(P("R", 1.5m)));
        Assert.Equal(NamesWql("When = '20240102010405.000000+000'"), Names(P("When", new DateTime(2024, 1, 2, 1, 4, 5, DateTimeKind.Utc))));
        Assert.Equal(new[] { "a" }, Names(P("When", "20240102030405.000000+120")));
        Assert.Equal(new[] { "s" }, Names(P("Extra", 7)));
        Assert.Equal(new[] { "a", "c", "it's" }, Names(P("Extra", null)));
        Assert.Equal(new[] { "a", "c", "it's", "s" }, Names());
        Assert.Empty(Names(P("N", Array.Empty<object>())));
        Assert.Equal(new[] { "it's" }, Names(P("Name", "IT'S")));
    }

    [Fact]
    public void Values_are_parameters_pushed_down_and_never_text_of_the_SQL()
    {
        var before = Snapshot();
        foreach (var hostile in QuerySafetyTests.Hostile)
        {
            var found = Names(P("Note", hostile));
            Assert.True(found.Length == 0 || (found.Length == 1 && hostile == "'; DROP TABLE instances; --"), hostile);
            foreach (var (className, sql, residual) in Session.ExplainFilter("Item", new[] { P("Note", hostile), P("N", new object[] { 1, 2 }) }))
            {
                Assert.False(residual, className + ": " + sql);
                Assert.DoesNotContain("DROP", sql);
                if (hostile.Length > 3) Assert.DoesNotContain(hostile, sql);
            }
        }
        Assert.Equal(new[] { "it's" }, Names(P("Note", "'; DROP TABLE instances; --")));
        Assert.Equal(before, Snapshot());
        // Every key given: the unique key index finds the row.
        Assert.Contains(Session.ExplainFilter("Item", new[] { P("Name", "a") }), plan => plan.Sql.Contains("key = $k"));
    }

    [Fact]
    public void Unknown_names_and_values_of_the_wrong_type_are_refused()
    {
        var unknown = Assert.Throws<CimLiteException>(() => Names(P("Nope", 1)));
        Assert.Equal(CimStatus.NoSuchProperty, unknown.Status);
        Assert.Contains("'Nope'", unknown.Message);
        foreach (var (name, value) in new (string, object?)[] { ("N", "many"), ("N", 1.5), ("B", "maybe"), ("When", "soon"), ("Extra", 300), ("Tags", "a") })
        {
            var e = Assert.Throws<CimLiteException>(() => Names(P(name, value)));
            Assert.True(e.Status == CimStatus.TypeMismatch, name + ": " + e.Status);
            Assert.Contains(name, e.Message);
        }
        Assert.Equal(new[] { "a", "c", "it's", "s" }, Names(P("Tags", null)));
    }
}
