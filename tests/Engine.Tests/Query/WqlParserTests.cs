using CimLite.Query;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

public sealed class WqlParserTests
{
    private static CimLiteException Invalid(string text)
    {
        var e = Assert.Throws<CimLiteException>(() => WqlParser.Parse(text));
        SessionFixture.AssertStatus(e, CimStatus.InvalidQuery);
        return e;
    }

    [Fact]
    public void SelectStar_FromClass()
    {
        var q = WqlParser.Parse("SELECT * FROM Disk");
        Assert.Null(q.Properties);
        Assert.Equal("Disk", q.ClassName);
        Assert.Equal(14, q.ClassPosition);
        Assert.Null(q.Where);
    }

    [Fact]
    public void PropertyList_AndKeywordsAnyCase()
    {
        var q = WqlParser.Parse("select Size, Caption from Disk where Size > 5");
        Assert.Equal(new[] { "Size", "Caption" }, q.Properties!.Select(p => p.Name));
        var c = Assert.IsType<WqlComparison>(q.Where);
        Assert.Equal(WqlComparisonOperator.Greater, c.Operator);
        Assert.Equal(37, c.Position);
        Assert.Equal(5m, ((WqlLiteral)c.Right).Value);
    }

    [Fact]
    public void Precedence_NotBindsTighterThanAnd_AndTighterThanOr()
    {
        var q = WqlParser.Parse("SELECT * FROM A WHERE NOT a = 1 AND b = 2 OR c = 3");
        var or = Assert.IsType<WqlLogical>(q.Where);
        Assert.Equal(WqlLogicalOperator.Or, or.Operator);
        var and = Assert.IsType<WqlLogical>(or.Left);
        Assert.Equal(WqlLogicalOperator.And, and.Operator);
        Assert.IsType<WqlNot>(and.Left);
        Assert.Equal("SELECT * FROM A WHERE NOT a = 1 AND b = 2 OR c = 3", q.ToString());
    }

    [Fact]
    public void Parentheses_AreKeptByThePrinter()
    {
        var q = WqlParser.Parse("SELECT * FROM A WHERE a = 1 AND (b = 2 OR c = 3)");
        Assert.Equal("SELECT * FROM A WHERE a = 1 AND (b = 2 OR c = 3)", q.ToString());
    }

    [Theory]
    [InlineData("'it''s'", "it's")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("''", "")]
    public void Strings_SingleOrDoubleQuotes_DoubledQuoteEscapes(string literal, string value)
    {
        var c = (WqlComparison)WqlParser.Parse("SELECT * FROM A WHERE N = " + literal).Where!;
        Assert.Equal(value, ((WqlLiteral)c.Right).Value);
    }

    [Theory]
    [InlineData("42", nameof(WqlLiteralKind.Integer), "42")]
    [InlineData("-42", nameof(WqlLiteralKind.Integer), "-42")]
    [InlineData("18446744073709551615", nameof(WqlLiteralKind.Integer), "18446744073709551615")]
    [InlineData("1.5", nameof(WqlLiteralKind.Real), "1.5")]
    [InlineData("-2.5e3", nameof(WqlLiteralKind.Real), "-2500")]
    [InlineData("TRUE", nameof(WqlLiteralKind.Boolean), "True")]
    [InlineData("false", nameof(WqlLiteralKind.Boolean), "False")]
    [InlineData("NULL", nameof(WqlLiteralKind.Null), "")]
    public void Literals(string text, string kind, string value)
    {
        var c = (WqlComparison)WqlParser.Parse("SELECT * FROM A WHERE N = " + text).Where!;
        var l = (WqlLiteral)c.Right;
        Assert.Equal(kind, l.Kind.ToString()); // the kind by name: WqlLiteralKind is internal
        Assert.Equal(value, Convert.ToString(l.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
    }

    [Fact]
    public void LiteralOnTheLeft_IsAllowed()
    {
        var c = (WqlComparison)WqlParser.Parse("SELECT * FROM A WHERE 5 < N").Where!;
        Assert.IsType<WqlLiteral>(c.Left);
        Assert.IsType<WqlProperty>(c.Right);
    }

    [Fact]
    public void IsNull_Like_Isa_SystemProperty()
    {
        var q = WqlParser.Parse("SELECT * FROM A WHERE N IS NOT NULL AND N NOT LIKE 'a[b-d]%' AND __CLASS ISA 'B' AND M IS NULL");
        Assert.Equal("SELECT * FROM A WHERE N IS NOT NULL AND N NOT LIKE 'a[b-d]%' AND __CLASS ISA 'B' AND M IS NULL", q.ToString());
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 3, "empty")]
    [InlineData("DELETE FROM A", 0, "expected SELECT")]
    [InlineData("SELECT FROM A", 7, "expected '*' or a list")]
    [InlineData("SELECT * A", 9, "expected ',' or FROM")]
    [InlineData("SELECT * FROM", 13, "expected a class name")]
    [InlineData("SELECT * FROM 'A'", 14, "expected a class name")]
    [InlineData("SELECT * FROM A B", 16, "expected WHERE")]
    [InlineData("SELECT * FROM A WHERE", 21, "expected a property name, a value")]
    [InlineData("SELECT * FROM A WHERE N", 23, "expected =, <>")]
    [InlineData("SELECT * FROM A WHERE N = ", 26, "expected a property name, a value")]
    [InlineData("SELECT * FROM A WHERE N = 'abc", 30, "closing quote")]
    [InlineData("SELECT * FROM A WHERE (N = 1", 28, "expected ')'")]
    [InlineData("SELECT * FROM A WHERE N = 1)", 27, "expected AND, OR")]
    [InlineData("SELECT * FROM A WHERE N IS 5", 27, "expected NULL")]
    [InlineData("SELECT * FROM A WHERE N LIKE 5", 29, "quoted LIKE pattern")]
    [InlineData("SELECT * FROM A WHERE N LIKE '[abc'", 29, "closing ']'")]
    [InlineData("SELECT * FROM A WHERE N ISA B", 28, "quoted class name")]
    [InlineData("SELECT * FROM A WHERE 1 = 2", 26, "must be a property")]
    [InlineData("SELECT * FROM A WHERE N = M", 26, "another property")]
    [InlineData("SELECT * FROM A WHERE N = 1; DROP TABLE instances", 27, "unexpected character ';'")]
    [InlineData("SELECT * FROM A WHERE N = 99999999999999999999999999999999", 26, "too large")]
    [InlineData("SELECT * FROM A WHERE N = 1e999", 26, "too large")]
    [InlineData("SELECT * FROM A WHERE N = -x", 27, "number after the sign")]
    [InlineData("SELECT * FROM A WHERE N == 1", 25, "expected a property name, a value")]
    public void Malformed_IsInvalidQuery_WithPositionAndExpectation(string text, int position, string expected)
    {
        var e = Invalid(text);
        Assert.Contains("at position " + position + ",", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void DeepNesting_IsInvalidQuery_NotAStackOverflow()
    {
        Invalid("SELECT * FROM A WHERE " + new string('(', 100000) + "N = 1" + new string(')', 100000));
        Invalid("SELECT * FROM A WHERE " + string.Concat(Enumerable.Repeat("NOT ", 100000)) + "N = 1");
        // A flat chain is not nesting (issue 22): it is refused only past the number of conditions a query may hold.
        Invalid("SELECT * FROM A WHERE N = 1" + string.Concat(Enumerable.Repeat(" AND N = 1", WqlParser.MaxConditions)));
        Assert.NotNull(WqlParser.Parse("SELECT * FROM A WHERE N = 1" + string.Concat(Enumerable.Repeat(" AND N = 1", 5000))).Where);
    }

    [Fact]
    public void Filter_ParsesAConditionAlone()
    {
        var e = WqlParser.ParseCondition("Size >= 10 AND Name LIKE 'C%'");
        Assert.Equal("Size >= 10 AND Name LIKE 'C%'", e.ToString());
        var ex = Assert.Throws<CimLiteException>(() => WqlParser.ParseCondition("Size >= "));
        Assert.Equal(CimStatus.InvalidQuery, ex.Status);
    }
}
