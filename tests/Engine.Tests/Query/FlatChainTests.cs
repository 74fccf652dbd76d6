using CimLite.Query;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>
/// Issue 22 item 10: a flat chain of OR'd (or AND'ed) conditions is not "nesting": thousands of them are accepted
/// (the tree is built balanced), while real nesting keeps its limit and a query has at most
/// <see cref="WqlParser.MaxConditions"/> conditions.
/// </summary>
public sealed class FlatChainTests : SessionFixture
{
    public FlatChainTests()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint32").Create();
        for (uint i = 0; i < 20; i++) Put("Disk", ("DeviceId", "D" + i), ("Size", i));
    }

    private static string Or(int terms, Func<int, string> term) => string.Join(" OR ", Enumerable.Range(0, terms).Select(term));

    [Theory]
    [InlineData(201)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void A_long_OR_chain_is_accepted_and_answers_like_a_short_one(int terms)
    {
        // Terms 0, 3, 6, … name stored disks (up to D18); the rest name none.
        var where = Or(terms, i => $"DeviceId = 'D{i * 3}'");
        var found = Session.ExecQuery("SELECT * FROM Disk WHERE " + where).Select(d => (string)d["DeviceId"]!).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "D0", "D12", "D15", "D18", "D3", "D6", "D9" }, found);
        Assert.Equal(7, Session.QueryInstances("Disk", where).Count());
    }

    [Fact]
    public void A_long_AND_chain_is_accepted()
    {
        var where = string.Join(" AND ", Enumerable.Range(0, 3000).Select(i => $"Size <> {1000 + i}")) + " AND Size < 5";
        Assert.Equal(5, Session.ExecQuery("SELECT * FROM Disk WHERE " + where).Count());
        Assert.Equal(5, Session.ExecQuery("SELECT * FROM Disk WHERE NOT (" + where.Replace("Size < 5", "Size >= 5") + ")").Count());
    }

    [Fact]
    public void Mixed_chains_keep_AND_above_OR_precedence()
    {
        var where = Or(300, i => $"(Size = {i} AND DeviceId = 'D{i}')") + " OR Size = 19 AND DeviceId = 'nope'";
        Assert.Equal(20, Session.ExecQuery("SELECT * FROM Disk WHERE " + where).Count());
        var parsed = WqlParser.ParseCondition("a = 1 OR b = 2 OR c = 3");
        Assert.Equal("a = 1 OR b = 2 OR c = 3", parsed.ToString()); // short chains keep their shape and text
    }

    [Fact]
    public void Nesting_keeps_its_limit_and_a_query_its_number_of_conditions()
    {
        var nested = new string('(', WqlParser.MaxDepth + 1) + "Size = 1" + new string(')', WqlParser.MaxDepth + 1);
        var deep = Assert.Throws<CimLiteException>(() => Session.ExecQuery("SELECT * FROM Disk WHERE " + nested).ToList());
        Assert.Contains("nested too deeply", deep.Message);

        var many = Or(WqlParser.MaxConditions + 1, i => $"Size = {i}");
        var e = Assert.Throws<CimLiteException>(() => Session.ExecQuery("SELECT * FROM Disk WHERE " + many).ToList());
        Assert.Equal(CimStatus.InvalidQuery, e.Status);
        Assert.Contains(WqlParser.MaxConditions.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Equal(20, Session.ExecQuery("SELECT * FROM Disk WHERE " + Or(WqlParser.MaxConditions, i => $"Size = {i}")).Count());
    }
}
