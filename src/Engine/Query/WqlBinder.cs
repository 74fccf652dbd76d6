using System;
using System.Collections.Generic;
using System.Globalization;

namespace CimLite.Query
{
    /// <summary>
    /// Binds a WHERE clause to each class of a query (WMI semantics): a property the class lacks is NULL;
    /// system properties that are constant per class (__CLASS, __SUPERCLASS, __DYNASTY, __NAMESPACE, __GENUS,
    /// __PROPERTY_COUNT, ISA on __CLASS/__THIS) fold to TRUE/FALSE; literals convert to the property's CIM type.
    /// </summary>
    internal static class WqlBinder
    {
        public static readonly HashSet<string> SystemProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "__CLASS", "__SUPERCLASS", "__DYNASTY", "__NAMESPACE", "__GENUS", "__PROPERTY_COUNT", "__RELPATH", "__PATH",
        };

        /// <summary>Fails with INVALID_QUERY for a property no class of the query has (checked before binding).</summary>
        public static void CheckProperties(WqlExpression? where, IEnumerable<WqlProperty>? selected, string queriedClass, IReadOnlyList<CimLiteClass> classes)
        {
            void Check(WqlProperty p, bool isaAllowed)
            {
                if (SystemProperties.Contains(p.Name)) return;
                if (isaAllowed && string.Equals(p.Name, "__THIS", StringComparison.OrdinalIgnoreCase)) return;
                foreach (var c in classes) if (c.FindProperty(p.Name) != null) return;
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryUnknownProperty(queriedClass, p.Name), queriedClass, p.Name);
            }
            if (selected != null) foreach (var p in selected) Check(p, false);
            Walk(where, Check);
        }

        private static void Walk(WqlExpression? e, Action<WqlProperty, bool> visit)
        {
            switch (e)
            {
                case null: return;
                case WqlLogical l: Walk(l.Left, visit); Walk(l.Right, visit); return;
                case WqlNot n: Walk(n.Operand, visit); return;
                case WqlComparison c:
                    if (c.Left is WqlProperty lp) visit(lp, false);
                    if (c.Right is WqlProperty rp) visit(rp, false);
                    return;
                case WqlLike like: visit(like.Property, false); return;
                case WqlIsNull isNull: visit(isNull.Property, false); return;
                case WqlIsa isa: visit(isa.Property, true); return;
            }
        }

        public static Bound Bind(WqlExpression? e, CimLiteClass c, Func<string, string, CimLiteClass?> findClass)
        {
            switch (e)
            {
                case null: return BoundConstant.True;
                case WqlLogical l:
                    {
                        var left = Bind(l.Left, c, findClass);
                        var right = Bind(l.Right, c, findClass);
                        bool isAnd = l.Operator == WqlLogicalOperator.And;
                        if (left is BoundConstant lc) return lc.Value == isAnd ? right : lc;
                        if (right is BoundConstant rc) return rc.Value == isAnd ? left : rc;
                        return new BoundLogical(isAnd, left, right);
                    }
                case WqlNot n:
                    {
                        var operand = Bind(n.Operand, c, findClass);
                        return operand is BoundConstant k ? BoundConstant.Of(!k.Value) : new BoundNot(operand);
                    }
                case WqlIsNull isNull:
                    {
                        var name = isNull.Property.Name;
                        if (SystemProperties.Contains(name))
                        {
                            if (IsPerInstance(name)) return BoundConstant.Of(isNull.Negated);
                            return BoundConstant.Of((SystemValue(c, name) == null) != isNull.Negated);
                        }
                        int index = CimLiteSession.IndexOfProperty(c, name);
                        if (index < 0) return BoundConstant.Of(!isNull.Negated);
                        return new BoundIsNull(index, c.Properties[index].Name, isNull.Negated);
                    }
                case WqlIsa isa:
                    return BindIsa(isa, c, findClass);
                case WqlLike like:
                    {
                        var name = like.Property.Name;
                        var pattern = WqlLikePattern.Compile(like.Pattern);
                        if (SystemProperties.Contains(name))
                        {
                            if (IsPerInstance(name))
                            {
                                bool relative = string.Equals(name, "__RELPATH", StringComparison.OrdinalIgnoreCase);
                                return new BoundInMemory(i =>
                                {
                                    var path = PathText(i, relative);
                                    return path != null && pattern.IsMatch(path) != like.Negated;
                                });
                            }
                            var sv = SystemValue(c, name);
                            return BoundConstant.Of(sv != null && pattern.IsMatch(Convert.ToString(sv, CultureInfo.InvariantCulture)!) != like.Negated);
                        }
                        int index = CimLiteSession.IndexOfProperty(c, name);
                        if (index < 0) return BoundConstant.False;
                        var p = c.Properties[index];
                        if (p.IsArray) throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryArrayComparison(c.ClassName, p.Name), c.ClassName, p.Name);
                        if (p.CimType != CimType.String && p.CimType != CimType.Char16 && p.CimType != CimType.Reference)
                            throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryLikeNeedsString(c.ClassName, p.Name, p.TypeName), c.ClassName, p.Name);
                        return new BoundLike(index, p.Name, pattern, like.Negated);
                    }
                case WqlComparison cmp:
                    return BindComparison(cmp, c);
                default:
                    throw new ArgumentException("Unknown WQL node.", nameof(e));
            }
        }

        private static bool IsPerInstance(string systemName) =>
            string.Equals(systemName, "__PATH", StringComparison.OrdinalIgnoreCase) || string.Equals(systemName, "__RELPATH", StringComparison.OrdinalIgnoreCase);

        private static string? PathText(CimLiteInstance i, bool relative)
        {
            var path = i.TryGetPath();
            return path == null ? null : relative ? path.RelativePath : path.ToString();
        }

        private static object? SystemValue(CimLiteClass c, string name)
        {
            switch (name.ToUpperInvariant())
            {
                case "__CLASS": return c.ClassName;
                case "__SUPERCLASS": return c.Superclass;
                case "__DYNASTY": return c.Dynasty;
                case "__NAMESPACE": return c.Namespace;
                case "__GENUS": return 2;
                case "__PROPERTY_COUNT": return c.Properties.Count;
                default: return null;
            }
        }

        private static Bound BindIsa(WqlIsa isa, CimLiteClass c, Func<string, string, CimLiteClass?> findClass)
        {
            var target = findClass(c.Namespace, isa.ClassName)
                ?? throw new CimLiteException(CimStatus.InvalidClass, Messages.QueryIsaClassNotFound(c.Namespace, isa.ClassName), isa.ClassName);
            var name = isa.Property.Name;
            if (string.Equals(name, "__CLASS", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "__THIS", StringComparison.OrdinalIgnoreCase))
                return BoundConstant.Of(c.IsA(target.ClassName));
            if (SystemProperties.Contains(name))
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryIsaNeedsClassOrReference(name));
            int index = CimLiteSession.IndexOfProperty(c, name);
            if (index < 0) return BoundConstant.False;
            var p = c.Properties[index];
            if (p.CimType != CimType.Reference || p.IsArray)
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryIsaNeedsClassOrReference(p.Name), c.ClassName, p.Name);
            return new BoundInMemory(i =>
            {
                if (!(i.Values[index] is string text)) return false;
                InstancePath path;
                try { path = InstancePath.Parse(text); }
                catch (CimLiteException) { return false; }
                var referenced = findClass(path.Namespace ?? i.Namespace, path.ClassName);
                return referenced != null && referenced.IsA(target.ClassName);
            });
        }

        private static Bound BindComparison(WqlComparison cmp, CimLiteClass c)
        {
            WqlProperty property;
            WqlLiteral literal;
            var op = cmp.Operator;
            if (cmp.Left is WqlProperty lp)
            {
                property = lp;
                literal = (WqlLiteral)cmp.Right;
            }
            else
            {
                property = (WqlProperty)cmp.Right;
                literal = (WqlLiteral)cmp.Left;
                op = Flip(op);
            }
            if (literal.Kind == WqlLiteralKind.Null) return BoundConstant.False;
            var name = property.Name;
            if (SystemProperties.Contains(name))
            {
                if (IsPerInstance(name))
                {
                    var probe = new BoundComparison(-1, name, WqlCompareKind.String, op, LiteralAsString(literal) ?? Mismatch(c, name, "string", literal));
                    bool relative = string.Equals(name, "__RELPATH", StringComparison.OrdinalIgnoreCase);
                    return new BoundInMemory(i => probe.Test(PathText(i, relative)));
                }
                var value = SystemValue(c, name);
                var kind = value is int ? WqlCompareKind.Integer : WqlCompareKind.String;
                var lit = kind == WqlCompareKind.Integer
                    ? (literal.Kind == WqlLiteralKind.Integer ? literal.Value! : Mismatch(c, name, "sint32", literal))
                    : LiteralAsString(literal) ?? Mismatch(c, name, "string", literal);
                return BoundConstant.Of(new BoundComparison(-1, name, kind, op, lit).Test(value));
            }
            int index = CimLiteSession.IndexOfProperty(c, name);
            if (index < 0) return BoundConstant.False;
            var p = c.Properties[index];
            if (p.IsArray) throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryArrayComparison(c.ClassName, p.Name), c.ClassName, p.Name);
            var (k, converted) = ConvertLiteral(c, p, literal);
            return new BoundComparison(index, p.Name, k, op, converted);
        }

        private static WqlComparisonOperator Flip(WqlComparisonOperator op)
        {
            switch (op)
            {
                case WqlComparisonOperator.Less: return WqlComparisonOperator.Greater;
                case WqlComparisonOperator.Greater: return WqlComparisonOperator.Less;
                case WqlComparisonOperator.LessOrEqual: return WqlComparisonOperator.GreaterOrEqual;
                case WqlComparisonOperator.GreaterOrEqual: return WqlComparisonOperator.LessOrEqual;
                default: return op;
            }
        }

        private static string? LiteralAsString(WqlLiteral literal)
        {
            switch (literal.Kind)
            {
                case WqlLiteralKind.String: return (string)literal.Value!;
                case WqlLiteralKind.Integer:
                case WqlLiteralKind.Real: return WqlPrinter.LiteralText(literal);
                default: return null;
            }
        }

        private static object Mismatch(CimLiteClass c, string property, string type, WqlLiteral literal) =>
            throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryValueMismatch(c.ClassName, property, type, WqlPrinter.LiteralText(literal)), c.ClassName, property);

        private static (WqlCompareKind, object) ConvertLiteral(CimLiteClass c, CimPropertyDeclaration p, WqlLiteral literal)
        {
            switch (p.CimType)
            {
                case CimType.Boolean:
                    if (literal.Kind == WqlLiteralKind.Boolean) return (WqlCompareKind.Boolean, literal.Value!);
                    if (literal.Kind == WqlLiteralKind.String && bool.TryParse(((string)literal.Value!).Trim(), out var b)) return (WqlCompareKind.Boolean, b);
                    break;
                case CimType.String:
                case CimType.Char16:
                case CimType.Reference:
                    var s = LiteralAsString(literal);
                    if (s != null) return (WqlCompareKind.String, s);
                    break;
                case CimType.Real32:
                case CimType.Real64:
                    {
                        if (literal.Kind == WqlLiteralKind.Integer) return (WqlCompareKind.Real, (double)(decimal)literal.Value!);
                        if (literal.Kind == WqlLiteralKind.Real) return (WqlCompareKind.Real, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.String && double.TryParse((string)literal.Value!, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d))
                            return (WqlCompareKind.Real, d);
                        break;
                    }
                case CimType.DateTime:
                    if (literal.Kind == WqlLiteralKind.String)
                    {
                        var text = ((string)literal.Value!).Trim();
                        if (CimDateTime.TryParse(text, out var dt))
                            return dt is TimeSpan ts ? (WqlCompareKind.Interval, ts.Ticks) : (WqlCompareKind.Timestamp, ((DateTimeOffset)dt!).UtcTicks);
                        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
                            return (WqlCompareKind.Timestamp, dto.UtcTicks);
                    }
                    break;
                default:
                    {
                        if (literal.Kind == WqlLiteralKind.Integer) return (WqlCompareKind.Integer, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.Real) return (WqlCompareKind.Real, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.String)
                        {
                            var t = ((string)literal.Value!).Trim();
                            if (decimal.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m)) return (WqlCompareKind.Integer, m);
                            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) return (WqlCompareKind.Real, d);
                        }
                        break;
                    }
            }
            return ((WqlCompareKind)(-1), Mismatch(c, p.Name, p.TypeName, literal));
        }
    }
}
