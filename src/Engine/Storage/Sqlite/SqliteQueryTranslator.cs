using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CimLite.Query;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// SQL for the part of a bound WHERE clause SQLite can decide, and the rest for memory. The SQL text is
    /// made only of fixed fragments and parameter placeholders (<c>$p0</c>, <c>$v0</c>, …): property names
    /// (as JSON paths such as <c>$."Name"</c>), values and patterns are always bound, never spliced. The
    /// collation and functions that text uses are registered on the connection when the translator is made.
    /// </summary>
    internal sealed class SqliteQueryTranslator : IQueryTranslator
    {
        private readonly SqliteRepository _repository;

        public SqliteQueryTranslator(SqliteRepository repository)
        {
            _repository = repository;
            Register(repository.Connection);
        }

        QueryTranslation IQueryTranslator.Translate(Bound predicate) => Translate(predicate);

        /// <summary>The SELECT of one class's read: fixed text, the key lookup when the key is known, the translated condition.</summary>
        public string Describe(StoredQuery query)
        {
            var sql = "SELECT data, qualifiers FROM instances WHERE ";
            sql += query.Key != null ? "+class_id = $c AND key_root_id = $kr AND key = $k" : "class_id = $c";
            if (query.Translation.Condition != null) sql += " AND " + query.Translation.Condition;
            return sql + " ORDER BY id";
        }

        public List<string> Plan(StoredQuery query)
        {
            var lines = new List<string>();
            try
            {
                using (var command = _repository.NewCommand("EXPLAIN QUERY PLAN " + Describe(query)))
                {
                    Bind(command, query);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) lines.Add(reader.GetString(3));
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
            return lines;
        }

        public IStoredRows Run(StoredQuery query) =>
            SqliteStoredRows.Start(_repository, _repository.NewCommand(Describe(query)), command => Bind(command, query), scan: query.Key == null);

        private static void Bind(SqliteCommand command, StoredQuery query)
        {
            command.Parameters.AddWithValue("$c", query.ClassId);
            if (query.Key != null)
            {
                command.Parameters.AddWithValue("$kr", query.KeyRootId);
                command.Parameters.AddWithValue("$k", query.Key);
            }
            foreach (var p in query.Translation.Parameters) command.Parameters.AddWithValue(p.Key, p.Value);
        }

        /// <summary>Collation used for string comparisons: the same ordinal case-insensitive order as memory.</summary>
        public const string Collation = "CIMLITE_NOCASE";

        /// <summary>Registers the collation and functions the translated SQL uses on a connection.</summary>
        private static void Register(SqliteConnection connection)
        {
            connection.CreateCollation(Collation, (a, b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase));
            connection.CreateFunction("cimlite_ts", (object? text) => Ticks(text, timestamp: true), isDeterministic: true);
            connection.CreateFunction("cimlite_iv", (object? text) => Ticks(text, timestamp: false), isDeterministic: true);
            WqlLikePattern? last = null;
            connection.CreateFunction("cimlite_like", (object? value, object? pattern, object? negated) =>
            {
                if (!(value is string s) || !(pattern is string p)) return (long?)null;
                if (last == null || !string.Equals(last.Text, p, StringComparison.Ordinal)) last = WqlLikePattern.Compile(p);
                bool neg = Convert.ToInt64(negated, CultureInfo.InvariantCulture) != 0;
                return last.IsMatch(s) != neg ? 1L : 0L;
            }, isDeterministic: true);
        }

        private static long? Ticks(object? text, bool timestamp)
        {
            if (!(text is string s) || !CimDateTime.TryParse(s, out var value)) return null;
            if (timestamp) return value is DateTimeOffset dto ? dto.UtcTicks : (long?)null;
            return value is TimeSpan ts ? ts.Ticks : (long?)null;
        }

        public static QueryTranslation Translate(Bound predicate)
        {
            var result = new QueryTranslation();
            var conjuncts = new List<Bound>();
            Split(predicate, conjuncts);
            var sql = new List<string>();
            var residual = new List<Bound>();
            foreach (var conjunct in conjuncts)
            {
                if (conjunct is BoundConstant k && k.Value) continue;
                var probes = TextProbes(conjunct);
                if (probes != null)
                {
                    // A text search SQLite does without parsing the row's JSON lets through every row the conjunct
                    // can hold for (a superset); memory decides exactly on the decoded instance (see TextProbes).
                    var tests = new List<string>();
                    foreach (var probe in probes) tests.Add("instr(data, " + Add(result.Parameters, "v", probe) + ") > 0");
                    sql.Add(tests.Count == 1 ? tests[0] : "(" + string.Join(" OR ", tests) + ")");
                    residual.Add(conjunct);
                    continue;
                }
                var mark = result.Parameters.Count;
                var text = Sql(conjunct, result.Parameters);
                if (text != null) sql.Add(text);
                else
                {
                    result.Parameters.RemoveRange(mark, result.Parameters.Count - mark);
                    residual.Add(conjunct);
                }
            }
            // Both joined balanced: SQLite refuses an expression deeper than 1000 (a flat "a AND b AND …" is parsed
            // left-deep), and the residual is evaluated recursively.
            if (sql.Count > 0) result.Condition = JoinAnd(sql, 0, sql.Count);
            if (residual.Count > 0) result.Residual = AndOf(residual, 0, residual.Count);
            return result;
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

        private static void Split(Bound b, List<Bound> into)
        {
            if (b is BoundLogical l && l.IsAnd)
            {
                Split(l.Left, into);
                Split(l.Right, into);
            }
            else into.Add(b);
        }

        private static string Add(List<KeyValuePair<string, object>> parameters, string prefix, object value)
        {
            var name = "$" + prefix + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new KeyValuePair<string, object>(name, value));
            return name;
        }

        /// <summary>The JSON path of a stored property: <c>$."Name"</c> (names are CIM identifiers: no quotes).</summary>
        public static string JsonPath(string propertyName) => "$.\"" + propertyName + "\"";

        private static string? Sql(Bound b, List<KeyValuePair<string, object>> parameters)
        {
            switch (b)
            {
                case BoundConstant k: return k.Value ? "1" : "0";
                case BoundLogical l:
                    {
                        var left = Sql(l.Left, parameters);
                        if (left == null) return null;
                        var right = Sql(l.Right, parameters);
                        if (right == null) return null;
                        return "(" + left + (l.IsAnd ? " AND " : " OR ") + right + ")";
                    }
                case BoundNot n:
                    {
                        var operand = Sql(n.Operand, parameters);
                        return operand == null ? null : "(NOT " + operand + ")";
                    }
                case BoundIsNull isNull:
                    return "(json_type(data, " + Add(parameters, "p", JsonPath(isNull.PropertyName)) + ")" + (isNull.Negated ? " IS NOT NULL)" : " IS NULL)");
                case BoundLike like:
                    if (HasSurrogate(like.Pattern.Text)) return null;
                    return "IFNULL(cimlite_like(json_extract(data, " + Add(parameters, "p", JsonPath(like.PropertyName)) + "), " +
                           Add(parameters, "v", like.Pattern.Text) + ", " + (like.Negated ? "1" : "0") + "), 0)";
                case BoundComparison c:
                    return Comparison(c, parameters);
                default:
                    return null;
            }
        }

        /// <summary>
        /// The texts of which a stored row holding for a top-level conjunct must contain one, when a text search can
        /// stand in for <c>json_extract</c> (which parses the whole row: issue 17's engine.queryFilter); null otherwise.
        /// Every stored row is written by <see cref="ValueCodec.EncodeValues(CimLiteClass, object[])"/> (puts, copies; salvage copies such rows
        /// as they are): compact JSON, each non-null property once as <c>"Name":value</c> with the class's spelling of
        /// the name (the spelling <c>json_extract</c>'s path uses too), booleans as <c>true</c>/<c>false</c>, integers
        /// as invariant decimals followed by <c>,</c> or <c>}</c>. So a row whose decoded value satisfies
        /// <c>Name = TRUE</c> (or <c>&lt;&gt; FALSE</c>) contains <c>"Name":true</c>, and one whose integer equals
        /// <c>n</c> contains <c>"Name":n,</c> or <c>"Name":n}</c>. The text may also occur elsewhere (never inside a
        /// string value, whose quotes are escaped, but rows are not asked to prove that): the conjunct stays in the
        /// residual and memory decides, so the answer is memory's. Only equality (and boolean inequality) of booleans
        /// and integers under the top-level AND: strings compare case-insensitively (and are escaped), reals and
        /// datetimes have several spellings of one value, and under NOT or OR a superset is not enough.
        /// </summary>
        internal static string[]? TextProbes(Bound conjunct)
        {
            if (!(conjunct is BoundComparison c) || c.Index < 0 || !IsPlainName(c.PropertyName)) return null;
            var member = "\"" + c.PropertyName + "\":";
            switch (c.Kind)
            {
                case WqlCompareKind.Boolean:
                    bool value;
                    if (c.Operator == WqlComparisonOperator.Equal) value = (bool)c.Literal;
                    else if (c.Operator == WqlComparisonOperator.NotEqual) value = !(bool)c.Literal;
                    else return null;
                    return new[] { member + (value ? "true" : "false") };
                case WqlCompareKind.Integer:
                    if (c.Operator != WqlComparisonOperator.Equal) return null;
                    var m = (decimal)c.Literal;
                    if (m < long.MinValue || m > long.MaxValue || m != decimal.Truncate(m)) return null;
                    var digits = ((long)m).ToString(CultureInfo.InvariantCulture);
                    return new[] { member + digits + ",", member + digits + "}" };
                default:
                    return null;
            }
        }

        /// <summary>A property name the encoder writes as it is (no character it escapes).</summary>
        private static bool IsPlainName(string name)
        {
            if (name.Length == 0) return false;
            foreach (var ch in name)
                if (ch < 0x20 || ch == '"' || ch == '\\' || char.IsSurrogate(ch) || ch == '\u2028' || ch == '\u2029') return false;
            return true;
        }

        /// <summary>
        /// SQLite holds text as UTF-8, and json_extract decodes a stored lone surrogate (\ud800) into bytes .NET reads
        /// back as U+FFFD: such a literal would never match what memory matches. Strings with surrogates compare in memory.
        /// </summary>
        private static bool HasSurrogate(string? text)
        {
            if (text == null) return false;
            foreach (var ch in text)
                if (char.IsSurrogate(ch)) return true;
            return false;
        }

        private static string? Comparison(BoundComparison c, List<KeyValuePair<string, object>> parameters)
        {
            string op = WqlPrinter.OperatorText(c.Operator);
            object value;
            string left, suffix = "";
            switch (c.Kind)
            {
                case WqlCompareKind.Integer:
                    var m = (decimal)c.Literal;
                    if (m < long.MinValue || m > long.MaxValue) return null;
                    value = (long)m;
                    left = "json_extract(data, {0})";
                    break;
                case WqlCompareKind.Boolean:
                    value = (bool)c.Literal ? 1L : 0L;
                    left = "json_extract(data, {0})";
                    break;
                case WqlCompareKind.String:
                    if (HasSurrogate(c.Literal as string)) return null;
                    value = c.Literal;
                    left = "json_extract(data, {0})";
                    suffix = " COLLATE " + Collation;
                    break;
                case WqlCompareKind.Timestamp:
                    value = c.Literal;
                    left = "cimlite_ts(json_extract(data, {0}))";
                    break;
                case WqlCompareKind.Interval:
                    value = c.Literal;
                    left = "cimlite_iv(json_extract(data, {0}))";
                    break;
                default:
                    return null; // reals: NaN/Infinity are stored as text and IEEE order differs from SQLite's
            }
            var path = Add(parameters, "p", JsonPath(c.PropertyName));
            var sb = new StringBuilder("IFNULL(");
            sb.Append(left.Replace("{0}", path)).Append(' ').Append(op).Append(' ').Append(Add(parameters, "v", value)).Append(suffix).Append(", 0)");
            return sb.ToString();
        }
    }
}
