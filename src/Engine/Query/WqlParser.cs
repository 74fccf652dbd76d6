using System;
using System.Collections.Generic;

namespace CimLite.Query
{
    /// <summary>
    /// Parses the WQL subset: <c>SELECT * | p1, p2 FROM Class [WHERE expr]</c> with <c>=, &lt;&gt;, !=, &lt;, &gt;, &lt;=,
    /// &gt;=, [NOT] LIKE, IS [NOT] NULL, ISA, AND, OR, NOT</c> and parentheses. Every failure is a
    /// <see cref="CimLiteException"/> with INVALID_QUERY, the 0-based position and what was expected there.
    /// </summary>
    internal static class WqlParser
    {
        /// <summary>The deepest expression tree accepted (keeps evaluation off the stack limit).</summary>
        public const int MaxDepth = 200;

        /// <summary>The most conditions (predicates) one query may hold, however they are combined.</summary>
        public const int MaxConditions = 10_000;

        /// <summary>Chains of one operator up to this length keep the left-deep shape they always had; longer ones are built balanced.</summary>
        private const int BalanceAbove = 32;

        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS", "NULL", "ISA", "TRUE", "FALSE",
        };

        /// <summary>True for the words the parser reserves (they cannot name properties in a query).</summary>
        public static bool IsKeyword(string word) => Keywords.Contains(word);

        /// <summary>Parses a whole query.</summary>
        /// <exception cref="CimLiteException">INVALID_QUERY.</exception>
        public static WqlQuery Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var p = new Cursor(WqlLexer.Tokenize(text));
            if (p.Peek.Kind == WqlTokenKind.End) throw WqlLexer.Error(p.Peek.Position, Messages.QueryEmpty);
            var select = p.Peek;
            if (!select.IsKeyword("SELECT")) throw WqlLexer.Error(select.Position, Messages.QueryExpectedSelect);
            p.Next();
            List<WqlProperty>? properties = null;
            if (p.Peek.IsSymbol("*")) p.Next();
            else
            {
                if (!IsName(p.Peek)) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedPropertyList);
                properties = new List<WqlProperty>();
                while (true)
                {
                    var name = p.Next();
                    if (!IsName(name)) throw WqlLexer.Error(name.Position, Messages.QueryExpectedPropertyName);
                    properties.Add(new WqlProperty(name.Position, name.Text));
                    if (!p.Peek.IsSymbol(",")) break;
                    p.Next();
                }
            }
            if (!p.Peek.IsKeyword("FROM")) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedFrom);
            p.Next();
            var cls = p.Next();
            if (!IsName(cls)) throw WqlLexer.Error(cls.Position, Messages.QueryExpectedClassName);
            WqlExpression? where = null;
            if (p.Peek.IsKeyword("WHERE"))
            {
                p.Next();
                where = ParseExpression(p);
                if (p.Peek.Kind != WqlTokenKind.End) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedEnd);
            }
            else if (p.Peek.Kind != WqlTokenKind.End) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedWhere);
            return new WqlQuery(select.Position, properties, cls.Text, cls.Position, where);
        }

        /// <summary>Parses a WHERE clause on its own (the -Filter of Get-CimLiteInstance).</summary>
        /// <exception cref="CimLiteException">INVALID_QUERY.</exception>
        public static WqlExpression ParseCondition(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var p = new Cursor(WqlLexer.Tokenize(text));
            var e = ParseExpression(p);
            if (p.Peek.Kind != WqlTokenKind.End) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedEnd);
            return e;
        }

        private static bool IsName(WqlToken t) => t.Kind == WqlTokenKind.Identifier && !Keywords.Contains(t.Text);

        private sealed class Cursor
        {
            private readonly List<WqlToken> _tokens;
            private int _index;

            public Cursor(List<WqlToken> tokens) { _tokens = tokens; }

            public WqlToken Peek => _tokens[_index];

            public WqlToken Next()
            {
                var t = _tokens[_index];
                if (_index < _tokens.Count - 1) _index++;
                return t;
            }

            public int Nesting;

            public int Conditions;
        }

        private static T Checked<T>(T e) where T : WqlExpression
        {
            if (e.Depth > MaxDepth) throw WqlLexer.Error(e.Position, Messages.QueryTooDeep);
            return e;
        }

        private static WqlExpression ParseExpression(Cursor p)
        {
            if (++p.Nesting > MaxDepth) throw WqlLexer.Error(p.Peek.Position, Messages.QueryTooDeep);
            var terms = new List<WqlExpression> { ParseAnd(p) };
            var operators = new List<int> { 0 };
            while (p.Peek.IsKeyword("OR"))
            {
                operators.Add(p.Next().Position);
                terms.Add(ParseAnd(p));
            }
            p.Nesting--;
            return Chain(WqlLogicalOperator.Or, terms, operators);
        }

        private static WqlExpression ParseAnd(Cursor p)
        {
            var terms = new List<WqlExpression> { ParseNot(p) };
            var operators = new List<int> { 0 };
            while (p.Peek.IsKeyword("AND"))
            {
                operators.Add(p.Next().Position);
                terms.Add(ParseNot(p));
            }
            return Chain(WqlLogicalOperator.And, terms, operators);
        }

        /// <summary>
        /// A flat chain <c>t0 op t1 op … tn</c> as a tree. AND and OR are associative (also in SQL's three-valued
        /// logic), so a long chain is built balanced: a 10,000-term OR is 14 levels deep instead of 10,000, and only
        /// real nesting (parentheses, NOT) counts against <see cref="MaxDepth"/>. Short chains stay left-deep.
        /// <paramref name="operators"/>[i] is the position of the operator before term i.
        /// </summary>
        private static WqlExpression Chain(WqlLogicalOperator op, List<WqlExpression> terms, List<int> operators)
        {
            if (terms.Count <= BalanceAbove)
            {
                var left = terms[0];
                for (int i = 1; i < terms.Count; i++) left = Checked(new WqlLogical(operators[i], op, left, terms[i]));
                return left;
            }
            WqlExpression Build(int from, int to) // terms[from..to)
            {
                if (to - from == 1) return terms[from];
                int mid = (from + to) / 2;
                return Checked(new WqlLogical(operators[mid], op, Build(from, mid), Build(mid, to)));
            }
            return Build(0, terms.Count);
        }

        private static WqlExpression ParseNot(Cursor p)
        {
            if (p.Peek.IsKeyword("NOT"))
            {
                var not = p.Next();
                if (++p.Nesting > MaxDepth) throw WqlLexer.Error(not.Position, Messages.QueryTooDeep);
                var operand = ParseNot(p);
                p.Nesting--;
                return Checked(new WqlNot(not.Position, operand));
            }
            if (p.Peek.IsSymbol("("))
            {
                p.Next();
                var inner = ParseExpression(p);
                if (!p.Peek.IsSymbol(")")) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedClosingParenthesis);
                p.Next();
                return inner;
            }
            return ParsePredicate(p);
        }

        private static WqlExpression ParsePredicate(Cursor p)
        {
            if (++p.Conditions > MaxConditions) throw WqlLexer.Error(p.Peek.Position, Messages.QueryTooManyConditions(MaxConditions));
            var left = ParseOperand(p);
            var t = p.Peek;
            if (t.IsKeyword("IS"))
            {
                var property = RequireProperty(left);
                p.Next();
                bool negated = false;
                if (p.Peek.IsKeyword("NOT")) { p.Next(); negated = true; }
                if (!p.Peek.IsKeyword("NULL")) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedNull);
                p.Next();
                return new WqlIsNull(left.Position, property, negated);
            }
            if (t.IsKeyword("LIKE") || t.IsKeyword("NOT"))
            {
                var property = RequireProperty(left);
                bool negated = false;
                if (t.IsKeyword("NOT"))
                {
                    p.Next();
                    if (!p.Peek.IsKeyword("LIKE")) throw WqlLexer.Error(p.Peek.Position, Messages.QueryExpectedLike);
                    negated = true;
                }
                p.Next();
                var pattern = p.Next();
                if (pattern.Kind != WqlTokenKind.String) throw WqlLexer.Error(pattern.Position, Messages.QueryExpectedPattern);
                var text = (string)pattern.Value!;
                var problem = WqlLikePattern.Validate(text);
                if (problem != null) throw WqlLexer.Error(pattern.Position, Messages.QueryBadPattern(problem));
                return new WqlLike(left.Position, property, text, negated);
            }
            if (t.IsKeyword("ISA"))
            {
                var property = RequireProperty(left);
                p.Next();
                var cls = p.Next();
                if (cls.Kind != WqlTokenKind.String) throw WqlLexer.Error(cls.Position, Messages.QueryExpectedClassLiteral);
                var name = (string)cls.Value!;
                if (!CimName.IsValid(name)) throw WqlLexer.Error(cls.Position + 1, Messages.QueryInvalidClassName(name));
                return new WqlIsa(left.Position, property, name, cls.Position);
            }
            var op = ComparisonOperator(t);
            if (op == null) throw WqlLexer.Error(t.Position, Messages.QueryExpectedOperator);
            p.Next();
            var right = ParseOperand(p);
            if (left is WqlLiteral && right is WqlLiteral) throw WqlLexer.Error(right.Position, Messages.QueryTwoValues);
            if (left is WqlProperty && right is WqlProperty) throw WqlLexer.Error(right.Position, Messages.QueryTwoProperties);
            return new WqlComparison(left.Position, op.Value, left, right);
        }

        private static WqlProperty RequireProperty(WqlOperand operand) =>
            operand as WqlProperty ?? throw WqlLexer.Error(operand.Position, Messages.QueryExpectedPropertyName);

        private static WqlComparisonOperator? ComparisonOperator(WqlToken t)
        {
            if (t.Kind != WqlTokenKind.Symbol) return null;
            switch (t.Text)
            {
                case "=": return WqlComparisonOperator.Equal;
                case "<>": case "!=": return WqlComparisonOperator.NotEqual;
                case "<": return WqlComparisonOperator.Less;
                case ">": return WqlComparisonOperator.Greater;
                case "<=": return WqlComparisonOperator.LessOrEqual;
                case ">=": return WqlComparisonOperator.GreaterOrEqual;
                default: return null;
            }
        }

        private static WqlOperand ParseOperand(Cursor p)
        {
            var t = p.Next();
            switch (t.Kind)
            {
                case WqlTokenKind.Identifier:
                    if (t.IsKeyword("TRUE")) return new WqlLiteral(t.Position, WqlLiteralKind.Boolean, true);
                    if (t.IsKeyword("FALSE")) return new WqlLiteral(t.Position, WqlLiteralKind.Boolean, false);
                    if (t.IsKeyword("NULL")) return new WqlLiteral(t.Position, WqlLiteralKind.Null, null);
                    if (Keywords.Contains(t.Text)) throw WqlLexer.Error(t.Position, Messages.QueryExpectedOperand);
                    return new WqlProperty(t.Position, t.Text);
                case WqlTokenKind.String: return new WqlLiteral(t.Position, WqlLiteralKind.String, t.Value);
                case WqlTokenKind.Integer: return new WqlLiteral(t.Position, WqlLiteralKind.Integer, t.Value);
                case WqlTokenKind.Real: return new WqlLiteral(t.Position, WqlLiteralKind.Real, t.Value);
                case WqlTokenKind.Symbol when t.Text == "-" || t.Text == "+":
                    var n = p.Next();
                    bool minus = t.Text == "-";
                    if (n.Kind == WqlTokenKind.Integer) return new WqlLiteral(t.Position, WqlLiteralKind.Integer, minus ? -(decimal)n.Value! : (decimal)n.Value!);
                    if (n.Kind == WqlTokenKind.Real) return new WqlLiteral(t.Position, WqlLiteralKind.Real, minus ? -(double)n.Value! : (double)n.Value!);
                    throw WqlLexer.Error(n.Position, Messages.QueryExpectedNumber);
                default:
                    throw WqlLexer.Error(t.Position, Messages.QueryExpectedOperand);
            }
        }
    }
}
