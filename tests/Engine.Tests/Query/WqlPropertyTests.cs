using CimLite.Query;
using FsCheck;
using FsCheck.Fluent;

namespace CimLite.Tests.Query;

/// <summary>Property-based: the parser only ever fails with INVALID_QUERY, and print → parse is the identity on ASTs.</summary>
public sealed class WqlPropertyTests
{
    private static readonly string[] Fragments =
    {
        "SELECT", "*", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS", "NULL", "ISA", "TRUE", "FALSE", "(", ")", ",",
        "=", "<>", "!=", "<", ">", "<=", ">=", "-", "+", "'a''b'", "\"x\"", "'", "\"", "42", "1.5", "1e5", "Name", "__CLASS",
        "Disk", " ", "  ", ";", "--", "/*", "[", "]", "%", "_", "'[a-'", "\0", "é", "9999999999999999999999999999999",
    };

    private static void ParsesOrInvalidQuery(string text)
    {
        try
        {
            var q = WqlParser.Parse(text);
            var again = WqlParser.Parse(q.ToString());
            if (!WqlPrinter.Equivalent(q, again)) throw new Exception("print/parse changed the AST of: " + text);
        }
        catch (CimLiteException e) when (e.Status == CimStatus.InvalidQuery)
        {
        }
    }

    [Fact]
    public void RandomStrings_OnlyEverFailWithInvalidQuery()
    {
        Prop.ForAll<string>(s => ParsesOrInvalidQuery(s ?? "")).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RandomTokenSoup_OnlyEverFailsWithInvalidQuery()
    {
        var soup = Gen.ListOf(Gen.Elements(Fragments)).Select(parts => string.Join(" ", parts));
        var prefixed = soup.Select(s => "SELECT * FROM Disk WHERE " + s);
        Prop.ForAll(Gen.OneOf(soup, prefixed).ToArbitrary(), s => ParsesOrInvalidQuery(s))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    // ---- generated ASTs -------------------------------------------------------------------------------

    private static readonly Gen<string> Names = Gen.Elements("Name", "Size", "Caption", "__CLASS", "Tags", "x_1", "Größe", "_a");

    private static readonly Gen<string> Strings =
        Gen.OneOf(Gen.Elements("", "'", "''", "\"", "a'b\"c", "%", "[x]", "DROP TABLE instances; --", "\0", "é\u00A0ß"),
            ArbMap.Default.GeneratorFor<string>().Where(s => s != null));

    private static readonly Gen<WqlLiteral> Literals = Gen.OneOf(
        Strings.Select(s => new WqlLiteral(0, WqlLiteralKind.String, s)),
        ArbMap.Default.GeneratorFor<long>().Select(n => new WqlLiteral(0, WqlLiteralKind.Integer, (decimal)n)),
        Gen.Constant(new WqlLiteral(0, WqlLiteralKind.Integer, (decimal)ulong.MaxValue)),
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(d => new WqlLiteral(0, WqlLiteralKind.Real, d.Get)),
        Gen.Elements(true, false).Select(b => new WqlLiteral(0, WqlLiteralKind.Boolean, b)),
        Gen.Constant(new WqlLiteral(0, WqlLiteralKind.Null, null)));

    private static readonly Gen<string> Patterns = Gen.Elements("%", "a_c", "[abc]%", "[a-z]_", "[^x]", "", "100[%]", "it''s");

    private static Gen<WqlExpression> Predicate()
    {
        var ops = Gen.Elements((WqlComparisonOperator[])Enum.GetValues(typeof(WqlComparisonOperator)));
        return Gen.OneOf(
            from n in Names from op in ops from l in Literals from flip in Gen.Elements(true, false)
            select (WqlExpression)(flip ? new WqlComparison(0, op, l, new WqlProperty(0, n)) : new WqlComparison(0, op, new WqlProperty(0, n), l)),
            from n in Names from neg in Gen.Elements(true, false) select (WqlExpression)new WqlIsNull(0, new WqlProperty(0, n), neg),
            from n in Names from p in Patterns from neg in Gen.Elements(true, false) select (WqlExpression)new WqlLike(0, new WqlProperty(0, n), p.Replace("''", "'"), neg),
            from c in Gen.Elements("Disk", "Base", "_X9") select (WqlExpression)new WqlIsa(0, new WqlProperty(0, "__CLASS"), c, 0));
    }

    private static Gen<WqlExpression> Expression(int size)
    {
        if (size <= 0) return Predicate();
        var sub = Expression(size / 2);
        return Gen.Frequency(
            (3, Predicate()),
            (2, from l in sub from r in sub from op in Gen.Elements(WqlLogicalOperator.And, WqlLogicalOperator.Or) select (WqlExpression)new WqlLogical(0, op, l, r)),
            (1, sub.Select(e => (WqlExpression)new WqlNot(0, e))));
    }

    private static readonly Gen<WqlQuery> Queries =
        from props in Gen.OneOf(Gen.Constant<List<WqlProperty>?>(null), Gen.NonEmptyListOf(Names).Select(ns => (List<WqlProperty>?)ns.Select(n => new WqlProperty(0, n)).ToList()))
        from cls in Gen.Elements("Disk", "Base", "CIM_LogicalDisk")
        from hasWhere in Gen.Elements(true, true, false)
        from cond in Gen.Sized(s => Expression(Math.Min(s, 40)))
        select new WqlQuery(0, props, cls, 0, hasWhere ? cond : null);

    [Fact]
    public void PrintThenParse_GivesTheSameAst()
    {
        Prop.ForAll(Queries.ToArbitrary(), q =>
        {
            var text = q.ToString();
            var parsed = WqlParser.Parse(text);
            return WqlPrinter.Equivalent(q, parsed).Label(text);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }
}
