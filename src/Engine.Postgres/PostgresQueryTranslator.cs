using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using CimLite.Query;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// WQL reads on PostgreSQL. The stored values are the codec's JSON text (column <c>data</c>, type text); conditions
    /// read it as <c>json</c> (not <c>jsonb</c>: jsonb refuses the <c>\u0000</c> escape a CIM string may hold, and json
    /// keeps each value's text as written). Pushed down exactly, under any AND/OR/NOT: integer comparisons (as
    /// numeric), booleans, IS [NOT] NULL. String equality with a printable-ASCII literal is pushed down as a
    /// pre-filter that may let more rows through (any value holding a non-ASCII character or an escape passes, since
    /// memory's ordinal case-insensitive compare folds some of those to ASCII letters) and is checked again in memory,
    /// so only at the top level. Everything else (reals, datetimes, LIKE, other string comparisons) is the in-memory
    /// residual. The SQL is fixed fragments and placeholders only: property names, values and patterns are bound
    /// (<c>$@N</c> in the condition, numbered after the statement's own parameters by <see cref="Describe"/>).
    /// </summary>
    internal sealed class PostgresQueryTranslator : IQueryTranslator
    {
        private const string ByClass = "SELECT id, data, qualifiers FROM instances WHERE class_id = $3 AND id > $1";
        private const string ByKey = "SELECT id, data, qualifiers FROM instances WHERE class_id = $3 AND key_root_id = $4 AND key = $5 AND id > $1";
        private const string Order = " ORDER BY id LIMIT $2";

        private static readonly Regex Placeholder = new Regex(@"\$@(\d+)", RegexOptions.CultureInvariant);

        private readonly PostgresRepository _repository;

        public PostgresQueryTranslator(PostgresRepository repository) { _repository = repository; }

        public QueryTranslation Translate(Bound predicate)
        {
            var result = new QueryTranslation();
            var conjuncts = new List<Bound>();
            Split(predicate, conjuncts);
            var sql = new List<string>();
            var residual = new List<Bound>();
            foreach (var conjunct in conjuncts)
            {
                if (conjunct is BoundConstant k && k.Value) continue;
                int mark = result.Parameters.Count;
                var text = Exact(conjunct, result.Parameters);
                if (text != null)
                {
                    sql.Add(text);
                    continue;
                }
                result.Parameters.RemoveRange(mark, result.Parameters.Count - mark);
                var filter = PreFilter(conjunct, result.Parameters);
                if (filter != null) sql.Add(filter);
                residual.Add(conjunct);
            }
            if (sql.Count > 0) result.Condition = JoinAnd(sql, 0, sql.Count);
            if (residual.Count > 0) result.Residual = AndOf(residual, 0, residual.Count);
            return result;
        }

        /// <summary>The statement of one class's read with its condition, placeholders numbered ($1 after-id, $2 page size, $3 class, $4/$5 key root and key, then the condition's).</summary>
        public string Describe(StoredQuery query)
        {
            var sql = query.Key != null ? ByKey : ByClass;
            if (query.Translation.Condition != null)
            {
                int first = query.Key != null ? 6 : 4;
                sql += " AND " + Placeholder.Replace(query.Translation.Condition, m => "$" + (first + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
            }
            return sql + Order;
        }

        public List<string> Plan(StoredQuery query) =>
            _repository.Rows("EXPLAIN " + Describe(query), r => r.GetString(0), Values(query, 0, 1000));

        public IStoredRows Run(StoredQuery query)
        {
            var all = Values(query, 0, 0);
            var own = new object?[all.Length - 2];
            System.Array.Copy(all, 2, own, 0, own.Length);
            return new PostgresStoredRows(_repository, Describe(query), own);
        }

        private static object?[] Values(StoredQuery query, long after, int limit)
        {
            var values = new List<object?> { after, limit, query.ClassId };
            if (query.Key != null)
            {
                values.Add(query.KeyRootId);
                values.Add(PostgresKeys.Stored(query.Key));
            }
            foreach (var p in query.Translation.Parameters) values.Add(p.Value);
            return values.ToArray();
        }

        private static void Split(Bound b, List<Bound> into)
        {
            if (b is BoundLogical l && l.IsAnd)
            {
                Split(l.Left, into);
                Split(l.Right, into);
            }
            else into.Add(b);
        }

        private static string JoinAnd(List<string> sql, int from, int to)
        {
            if (to - from == 1) return sql[from];
            if (to - from <= 32) return "(" + string.Join(" AND ", sql.GetRange(from, to - from)) + ")";
            int mid = (from + to) / 2;
            return "(" + JoinAnd(sql, from, mid) + " AND " + JoinAnd(sql, mid, to) + ")";
        }

        private static Bound AndOf(List<Bound> conjuncts, int from, int to)
        {
            if (to - from == 1) return conjuncts[from];
            int mid = (from + to) / 2;
            return new BoundLogical(true, AndOf(conjuncts, from, mid), AndOf(conjuncts, mid, to));
        }

        /// <summary>Binds a value and returns its placeholder (<c>$@N</c>, numbered by <see cref="Describe"/>).</summary>
        private static string Add(List<KeyValuePair<string, object>> parameters, object value)
        {
            var name = "$@" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new KeyValuePair<string, object>(name, value));
            return name;
        }

        /// <summary>
        /// The stored value of a property as json (NULL when the property is not stored: the codec leaves nulls out).
        /// PostgreSQL's json functions refuse the escapes <c>\u0000</c> and lone surrogates (<c>\ud800</c>), which the codec
        /// writes for such characters in strings: a row holding one has every such escape made <c>\ufffd</c> first (same
        /// length, still valid JSON; only the text inside strings changes, which the exact conditions never read and the
        /// string pre-filter lets through anyway, since it still holds a '\').
        /// </summary>
        private static string Value(string propertyName, List<KeyValuePair<string, object>> parameters) =>
            "((CASE WHEN strpos(data, " + Add(parameters, "\\u") + "::text) > 0 THEN regexp_replace(data, " +
            Add(parameters, @"\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})") + "::text, " + Add(parameters, @"\\ufffd") + "::text, 'g') ELSE data END)::json -> " +
            Add(parameters, propertyName) + "::text)";

        /// <summary>SQL deciding exactly what memory decides (two-valued: a comparison with a missing value is false), or null.</summary>
        private static string? Exact(Bound b, List<KeyValuePair<string, object>> parameters)
        {
            switch (b)
            {
                case BoundConstant k: return k.Value ? "true" : "false";
                case BoundLogical l:
                    {
                        var left = Exact(l.Left, parameters);
                        if (left == null) return null;
                        var right = Exact(l.Right, parameters);
                        if (right == null) return null;
                        return "(" + left + (l.IsAnd ? " AND " : " OR ") + right + ")";
                    }
                case BoundNot n:
                    {
                        var operand = Exact(n.Operand, parameters);
                        return operand == null ? null : "(NOT " + operand + ")";
                    }
                case BoundIsNull isNull:
                    {
                        var v = Value(isNull.PropertyName, parameters);
                        return isNull.Negated
                            ? "coalesce(json_typeof(" + v + ") <> 'null', false)"
                            : "coalesce(json_typeof(" + v + ") = 'null', true)";
                    }
                case BoundComparison c when c.Kind == WqlCompareKind.Integer:
                    {
                        var v = Value(c.PropertyName, parameters);
                        return "coalesce(CASE WHEN json_typeof(" + v + ") = 'number' THEN " + v + "::text::numeric END " +
                               WqlPrinter.OperatorText(c.Operator) + " " + Add(parameters, (decimal)c.Literal) + "::numeric, false)";
                    }
                case BoundComparison c when c.Kind == WqlCompareKind.Boolean:
                    {
                        var v = Value(c.PropertyName, parameters);
                        return "coalesce(CASE WHEN json_typeof(" + v + ") = 'boolean' THEN " + v + "::text::boolean END " +
                               WqlPrinter.OperatorText(c.Operator) + " " + Add(parameters, (bool)c.Literal) + "::boolean, false)";
                    }
                default:
                    return null;
            }
        }

        /// <summary>Lets through every value that "=" with a printable-ASCII string literal may match in memory (a superset), or null.</summary>
        private static string? PreFilter(Bound b, List<KeyValuePair<string, object>> parameters)
        {
            if (!(b is BoundComparison c) || c.Kind != WqlCompareKind.String || c.Operator != WqlComparisonOperator.Equal || !(c.Literal is string literal)) return null;
            foreach (var ch in literal)
                if (ch < 0x20 || ch > 0x7E || ch == '"' || ch == '\\') return null;
            var v = Value(c.PropertyName, parameters);
            // The json text of a stored string is "..." with its characters as written (non-ASCII raw, controls and
            // surrogates escaped with '\'): ASCII-only text equals the literal ignoring case exactly when it is the same
            // ASCII-folded; anything with another character passes to memory.
            return "coalesce(json_typeof(" + v + ") = 'string' AND (" + v + "::text ~ " + Add(parameters, @"[^ -~]|\\") +
                   " OR lower(" + v + "::text COLLATE \"C\") = lower(" + Add(parameters, "\"" + literal + "\"") + " COLLATE \"C\")), false)";
        }
    }
}
