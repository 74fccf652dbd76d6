using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite.Query
{
    /// <summary>A node of a parsed WQL query. <see cref="Position"/> is the 0-based character offset in the query text.</summary>
    internal abstract class WqlNode
    {
        /// <summary>Creates a node at a position.</summary>
        protected WqlNode(int position) { Position = position; }

        /// <summary>The 0-based offset of the node's first character in the query text.</summary>
        public int Position { get; }
    }

    /// <summary><c>SELECT * | p1, p2 FROM Class [WHERE expr]</c>.</summary>
    internal sealed class WqlQuery : WqlNode
    {
        /// <summary>Creates a query.</summary>
        public WqlQuery(int position, IReadOnlyList<WqlProperty>? properties, string className, int classPosition, WqlExpression? where)
            : base(position)
        {
            Properties = properties;
            ClassName = className;
            ClassPosition = classPosition;
            Where = where;
        }

        /// <summary>The selected properties, or null for <c>*</c>.</summary>
        public IReadOnlyList<WqlProperty>? Properties { get; }

        /// <summary>The class after FROM.</summary>
        public string ClassName { get; }

        /// <summary>Where the class name starts.</summary>
        public int ClassPosition { get; }

        /// <summary>The WHERE clause, or null.</summary>
        public WqlExpression? Where { get; }

        /// <summary>The query as canonical WQL text (parses back to an equivalent query).</summary>
        public override string ToString() => WqlPrinter.Print(this);
    }

    /// <summary>A boolean expression of a WHERE clause.</summary>
    internal abstract class WqlExpression : WqlNode
    {
        /// <summary>Creates an expression.</summary>
        protected WqlExpression(int position) : base(position) { }

        /// <summary>How deep the tree below this node is (1 for a predicate).</summary>
        internal int Depth { get; private protected set; } = 1;

        /// <inheritdoc />
        public override string ToString() => WqlPrinter.Print(this);
    }

    /// <summary>AND or OR.</summary>
    internal enum WqlLogicalOperator
    {
        /// <summary>AND</summary>
        And,
        /// <summary>OR</summary>
        Or,
    }

    /// <summary><c>left AND right</c> or <c>left OR right</c>.</summary>
    internal sealed class WqlLogical : WqlExpression
    {
        /// <summary>Creates a logical expression.</summary>
        public WqlLogical(int position, WqlLogicalOperator op, WqlExpression left, WqlExpression right) : base(position)
        {
            Operator = op;
            Left = left;
            Right = right;
            Depth = 1 + Math.Max(left.Depth, right.Depth);
        }

        /// <summary>The operator.</summary>
        public WqlLogicalOperator Operator { get; }

        /// <summary>The left operand.</summary>
        public WqlExpression Left { get; }

        /// <summary>The right operand.</summary>
        public WqlExpression Right { get; }
    }

    /// <summary><c>NOT operand</c>.</summary>
    internal sealed class WqlNot : WqlExpression
    {
        /// <summary>Creates a negation.</summary>
        public WqlNot(int position, WqlExpression operand) : base(position)
        {
            Operand = operand;
            Depth = 1 + operand.Depth;
        }

        /// <summary>The negated expression.</summary>
        public WqlExpression Operand { get; }
    }

    /// <summary>The comparison operators.</summary>
    internal enum WqlComparisonOperator
    {
        /// <summary>=</summary>
        Equal,
        /// <summary>&lt;&gt; or !=</summary>
        NotEqual,
        /// <summary>&lt;</summary>
        Less,
        /// <summary>&gt;</summary>
        Greater,
        /// <summary>&lt;=</summary>
        LessOrEqual,
        /// <summary>&gt;=</summary>
        GreaterOrEqual,
    }

    /// <summary>An operand of a comparison: a property or a literal.</summary>
    internal abstract class WqlOperand : WqlNode
    {
        /// <summary>Creates an operand.</summary>
        protected WqlOperand(int position) : base(position) { }
    }

    /// <summary>A property name (or a system property such as <c>__CLASS</c>).</summary>
    internal sealed class WqlProperty : WqlOperand
    {
        /// <summary>Creates a property reference.</summary>
        public WqlProperty(int position, string name) : base(position) { Name = name; }

        /// <summary>The name as written.</summary>
        public string Name { get; }
    }

    /// <summary>The kinds of literal.</summary>
    internal enum WqlLiteralKind
    {
        /// <summary>A quoted string (Value is a string).</summary>
        String,
        /// <summary>An integer (Value is a decimal with no fraction).</summary>
        Integer,
        /// <summary>A real (Value is a double).</summary>
        Real,
        /// <summary>TRUE or FALSE (Value is a bool).</summary>
        Boolean,
        /// <summary>NULL (Value is null).</summary>
        Null,
    }

    /// <summary>A literal value.</summary>
    internal sealed class WqlLiteral : WqlOperand
    {
        /// <summary>Creates a literal.</summary>
        public WqlLiteral(int position, WqlLiteralKind kind, object? value) : base(position)
        {
            Kind = kind;
            Value = value;
        }

        /// <summary>The kind of literal.</summary>
        public WqlLiteralKind Kind { get; }

        /// <summary>The value: string, decimal (integers), double (reals), bool, or null.</summary>
        public object? Value { get; }
    }

    /// <summary><c>left op right</c>; at least one side is a property.</summary>
    internal sealed class WqlComparison : WqlExpression
    {
        /// <summary>Creates a comparison.</summary>
        public WqlComparison(int position, WqlComparisonOperator op, WqlOperand left, WqlOperand right) : base(position)
        {
            Operator = op;
            Left = left;
            Right = right;
        }

        /// <summary>The operator.</summary>
        public WqlComparisonOperator Operator { get; }

        /// <summary>The left operand as written.</summary>
        public WqlOperand Left { get; }

        /// <summary>The right operand as written.</summary>
        public WqlOperand Right { get; }
    }

    /// <summary><c>property [NOT] LIKE 'pattern'</c>.</summary>
    internal sealed class WqlLike : WqlExpression
    {
        /// <summary>Creates a LIKE test.</summary>
        public WqlLike(int position, WqlProperty property, string pattern, bool negated) : base(position)
        {
            Property = property;
            Pattern = pattern;
            Negated = negated;
        }

        /// <summary>The tested property.</summary>
        public WqlProperty Property { get; }

        /// <summary>The pattern (<c>%</c>, <c>_</c>, <c>[abc]</c>, <c>[a-z]</c>, <c>[^a]</c>).</summary>
        public string Pattern { get; }

        /// <summary>True for NOT LIKE.</summary>
        public bool Negated { get; }
    }

    /// <summary><c>property IS [NOT] NULL</c>.</summary>
    internal sealed class WqlIsNull : WqlExpression
    {
        /// <summary>Creates a null test.</summary>
        public WqlIsNull(int position, WqlProperty property, bool negated) : base(position)
        {
            Property = property;
            Negated = negated;
        }

        /// <summary>The tested property.</summary>
        public WqlProperty Property { get; }

        /// <summary>True for IS NOT NULL.</summary>
        public bool Negated { get; }
    }

    /// <summary><c>property ISA 'Class'</c> (<c>__CLASS</c>/<c>__THIS</c>: the instance's class; a reference: the referenced instance's class).</summary>
    internal sealed class WqlIsa : WqlExpression
    {
        /// <summary>Creates an ISA test.</summary>
        public WqlIsa(int position, WqlProperty property, string className, int classPosition) : base(position)
        {
            Property = property;
            ClassName = className;
            ClassPosition = classPosition;
        }

        /// <summary>The tested property.</summary>
        public WqlProperty Property { get; }

        /// <summary>The class name.</summary>
        public string ClassName { get; }

        /// <summary>Where the quoted class name starts.</summary>
        public int ClassPosition { get; }
    }

    /// <summary>Prints queries as canonical WQL, and compares trees structurally (positions ignored).</summary>
    internal static class WqlPrinter
    {
        /// <summary>Prints a query.</summary>
        public static string Print(WqlQuery query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            var sb = new StringBuilder("SELECT ");
            if (query.Properties == null) sb.Append('*');
            else
                for (int i = 0; i < query.Properties.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(query.Properties[i].Name);
                }
            sb.Append(" FROM ").Append(query.ClassName);
            if (query.Where != null)
            {
                sb.Append(" WHERE ");
                Append(sb, query.Where, 0);
            }
            return sb.ToString();
        }

        /// <summary>Prints an expression.</summary>
        public static string Print(WqlExpression expression)
        {
            var sb = new StringBuilder();
            Append(sb, expression, 0);
            return sb.ToString();
        }

        private static int Precedence(WqlExpression e) =>
            e is WqlLogical l ? (l.Operator == WqlLogicalOperator.Or ? 1 : 2) : e is WqlNot ? 3 : 4;

        private static void Append(StringBuilder sb, WqlExpression e, int minimum)
        {
            var p = Precedence(e);
            bool parens = p < minimum;
            if (parens) sb.Append('(');
            switch (e)
            {
                case WqlLogical l:
                    Append(sb, l.Left, p);
                    sb.Append(l.Operator == WqlLogicalOperator.And ? " AND " : " OR ");
                    Append(sb, l.Right, p + 1);
                    break;
                case WqlNot n:
                    sb.Append("NOT ");
                    Append(sb, n.Operand, 3);
                    break;
                case WqlComparison c:
                    AppendOperand(sb, c.Left);
                    sb.Append(' ').Append(OperatorText(c.Operator)).Append(' ');
                    AppendOperand(sb, c.Right);
                    break;
                case WqlLike like:
                    sb.Append(like.Property.Name).Append(like.Negated ? " NOT LIKE " : " LIKE ");
                    AppendString(sb, like.Pattern);
                    break;
                case WqlIsNull isNull:
                    sb.Append(isNull.Property.Name).Append(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                    break;
                case WqlIsa isa:
                    sb.Append(isa.Property.Name).Append(" ISA ");
                    AppendString(sb, isa.ClassName);
                    break;
                default:
                    throw new ArgumentException("Unknown WQL node.", nameof(e));
            }
            if (parens) sb.Append(')');
        }

        /// <summary>The operator's WQL spelling.</summary>
        public static string OperatorText(WqlComparisonOperator op)
        {
            switch (op)
            {
                case WqlComparisonOperator.Equal: return "=";
                case WqlComparisonOperator.NotEqual: return "<>";
                case WqlComparisonOperator.Less: return "<";
                case WqlComparisonOperator.Greater: return ">";
                case WqlComparisonOperator.LessOrEqual: return "<=";
                default: return ">=";
            }
        }

        private static void AppendOperand(StringBuilder sb, WqlOperand operand)
        {
            if (operand is WqlProperty p)
            {
                sb.Append(p.Name);
                return;
            }
            sb.Append(LiteralText((WqlLiteral)operand));
        }

        /// <summary>A literal as WQL text.</summary>
        public static string LiteralText(WqlLiteral literal)
        {
            switch (literal.Kind)
            {
                case WqlLiteralKind.String:
                    var sb = new StringBuilder();
                    AppendString(sb, (string)literal.Value!);
                    return sb.ToString();
                case WqlLiteralKind.Integer: return ((decimal)literal.Value!).ToString(CultureInfo.InvariantCulture);
                case WqlLiteralKind.Real:
                    var d = (double)literal.Value!;
                    var text = d.ToString("R", CultureInfo.InvariantCulture);
                    if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0) text += ".0";
                    return text;
                case WqlLiteralKind.Boolean: return (bool)literal.Value! ? "TRUE" : "FALSE";
                default: return "NULL";
            }
        }

        private static void AppendString(StringBuilder sb, string value) =>
            sb.Append('\'').Append(value.Replace("'", "''")).Append('\'');

        /// <summary>True when two queries have the same structure and values (positions and operand spelling such as != are ignored).</summary>
        public static bool Equivalent(WqlQuery a, WqlQuery b)
        {
            if (!string.Equals(a.ClassName, b.ClassName, StringComparison.Ordinal)) return false;
            if ((a.Properties == null) != (b.Properties == null)) return false;
            if (a.Properties != null)
            {
                if (a.Properties.Count != b.Properties!.Count) return false;
                for (int i = 0; i < a.Properties.Count; i++)
                    if (!string.Equals(a.Properties[i].Name, b.Properties[i].Name, StringComparison.Ordinal)) return false;
            }
            if ((a.Where == null) != (b.Where == null)) return false;
            return a.Where == null || Equivalent(a.Where, b.Where!);
        }

        /// <summary>True when two expressions have the same structure and values.</summary>
        public static bool Equivalent(WqlExpression a, WqlExpression b)
        {
            switch (a)
            {
                case WqlLogical l:
                    return b is WqlLogical m && l.Operator == m.Operator && Equivalent(l.Left, m.Left) && Equivalent(l.Right, m.Right);
                case WqlNot n:
                    return b is WqlNot o && Equivalent(n.Operand, o.Operand);
                case WqlComparison c:
                    return b is WqlComparison d && c.Operator == d.Operator && Same(c.Left, d.Left) && Same(c.Right, d.Right);
                case WqlLike x1:
                    return b is WqlLike y1 && x1.Negated == y1.Negated && x1.Property.Name == y1.Property.Name && x1.Pattern == y1.Pattern;
                case WqlIsNull x2:
                    return b is WqlIsNull y2 && x2.Negated == y2.Negated && x2.Property.Name == y2.Property.Name;
                case WqlIsa x3:
                    return b is WqlIsa y3 && x3.Property.Name == y3.Property.Name && x3.ClassName == y3.ClassName;
                default:
                    return false;
            }
        }

        private static bool Same(WqlOperand a, WqlOperand b)
        {
            if (a is WqlProperty p) return b is WqlProperty q && p.Name == q.Name;
            var x = (WqlLiteral)a;
            return b is WqlLiteral y && x.Kind == y.Kind && Equals(x.Value, y.Value);
        }
    }
}
