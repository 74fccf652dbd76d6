using System;
using System.Collections;
using System.Collections.Generic;

namespace CimLite.Query
{
    /// <summary>
    /// Binds a filter given as name = value pairs (<c>Get-CimLiteInstance -FilterHashtable</c>) to one class, straight
    /// into the bound tree a WQL WHERE clause becomes, so it is pushed down to the store the same way with its values
    /// bound as parameters (no WQL text, no quoting). Every pair must hold (AND); a value is converted to the property's
    /// CIM type as a put converts it (TYPE_MISMATCH otherwise); an array (or list) means any of its values (OR); null
    /// means IS NULL. A property no class of the query has is NO_SUCH_PROPERTY (checked by <see cref="Check"/>); a class
    /// of the query that lacks a property another has sees it as null (the WQL rule).
    /// </summary>
    internal static class EqualityFilter
    {
        /// <summary>Fails with NO_SUCH_PROPERTY for a name no class of the query declares.</summary>
        public static void Check(IEnumerable<KeyValuePair<string, object?>> pairs, string queriedClass, IReadOnlyList<CimLiteClass> classes)
        {
            foreach (var pair in pairs)
            {
                bool found = false;
                foreach (var c in classes) if (c.FindProperty(pair.Key ?? "") != null) { found = true; break; }
                if (!found)
                    throw new CimLiteException(CimStatus.NoSuchProperty, Messages.FilterUnknownProperty(queriedClass, pair.Key ?? ""), queriedClass, pair.Key);
            }
        }

        /// <summary>The pairs bound to <paramref name="c"/> (TRUE for none).</summary>
        public static Bound Bind(IEnumerable<KeyValuePair<string, object?>> pairs, CimLiteClass c, Func<object?, object?>? unwrap)
        {
            Bound result = BoundConstant.True;
            foreach (var pair in pairs)
            {
                var term = BindPair(pair.Key, pair.Value, c, unwrap);
                if (term is BoundConstant k)
                {
                    if (!k.Value) return BoundConstant.False;
                    continue;
                }
                result = result is BoundConstant ? term : new BoundLogical(true, result, term);
            }
            return result;
        }

        private static Bound BindPair(string name, object? value, CimLiteClass c, Func<object?, object?>? unwrap)
        {
            if (unwrap != null) value = unwrap(value);
            int index = CimLiteSession.IndexOfProperty(c, name);
            var values = new List<object?>();
            if (value is IEnumerable items && !(value is string) && !(value is IDictionary))
                foreach (var item in items) values.Add(unwrap != null ? unwrap(item) : item);
            else
                values.Add(value);
            if (index < 0)
                return BoundConstant.Of(values.Contains(null)); // a property this class lacks is null
            var p = c.Properties[index];
            Bound result = BoundConstant.False;
            foreach (var one in values)
            {
                Bound term;
                if (one == null) term = new BoundIsNull(index, p.Name, negated: false);
                else
                {
                    if (p.IsArray)
                        throw new CimLiteException(CimStatus.TypeMismatch, Messages.FilterArrayProperty(c.ClassName, p.Name), c.ClassName, p.Name);
                    term = Equal(index, p, CimValueConverter.Convert(one, p.TypeInfo, c.ClassName, p.Name, unwrap)!);
                }
                result = result is BoundConstant ? term : new BoundLogical(false, result, term);
            }
            return result;
        }

        private static BoundComparison Equal(int index, CimPropertyDeclaration p, object converted)
        {
            WqlCompareKind kind;
            object literal;
            switch (converted)
            {
                case bool b: kind = WqlCompareKind.Boolean; literal = b; break;
                case string s: kind = WqlCompareKind.String; literal = s; break;
                case char ch: kind = WqlCompareKind.String; literal = ch.ToString(); break;
                case float f: kind = WqlCompareKind.Real; literal = (double)f; break;
                case double d: kind = WqlCompareKind.Real; literal = d; break;
                case DateTimeOffset ts: kind = WqlCompareKind.Timestamp; literal = ts.UtcTicks; break;
                case TimeSpan iv: kind = WqlCompareKind.Interval; literal = iv.Ticks; break;
                default: kind = WqlCompareKind.Integer; literal = Convert.ToDecimal(converted, System.Globalization.CultureInfo.InvariantCulture); break;
            }
            return new BoundComparison(index, p.Name, kind, WqlComparisonOperator.Equal, literal);
        }
    }
}
