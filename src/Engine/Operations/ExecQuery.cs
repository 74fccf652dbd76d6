using System;
using System.Collections.Generic;
using CimLite.Query;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>Options of <see cref="CimLiteSession.ExecQuery"/> and <see cref="CimLiteSession.QueryInstances"/>.</summary>
    public sealed class QueryOptions : OperationOptions
    {
        /// <summary>Only instances of the class itself (the filter form; WQL queries are always deep).</summary>
        public bool Shallow { get; set; }

        /// <summary>Only key properties are filled in.</summary>
        public bool KeysOnly { get; set; }

        /// <summary>
        /// Only these properties (and the keys) are filled in, the others are null, as with <c>SELECT p1, p2</c>
        /// (CimCmdlets' <c>Get-CimInstance -Property</c>); null: all. A name no class of the query has is INVALID_QUERY.
        /// </summary>
        public IReadOnlyList<string>? Properties { get; set; }

        /// <summary>Evaluate the whole WHERE clause in memory (no SQL push-down): the reference path of the differential tests.</summary>
        internal bool EvaluateInMemory { get; set; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>One class of a prepared query: its bound predicate and the store's read of its rows.</summary>
        private sealed class QueryClassPlan
        {
            public CimLiteClass Class = null!;
            public Bound Predicate = null!;
            private QueryTranslation? _translation;

            /// <summary>Makes the translation on first use: a key-equality plan answered by the key lookup never needs it.</summary>
            public Func<QueryTranslation>? Translate;

            public QueryTranslation Translation
            {
                get => _translation ?? (_translation = Translate!());
                set => _translation = value;
            }
            public string? KeyText;
            public long KeyRootId;
            public bool[]? Keep;

            public StoredQuery Read() => new StoredQuery { ClassId = Class.Id, Key = KeyText, KeyRootId = KeyRootId, Translation = Translation };
        }

        private sealed class PreparedQuery
        {
            public List<QueryClassPlan> Plans = new List<QueryClassPlan>();
            public Dictionary<CimLiteClass, QueryClassPlan> ByClass = new Dictionary<CimLiteClass, QueryClassPlan>();
            public bool Deep;
            public string Namespace = "";
        }

        /// <summary>
        /// Runs a WQL query (<c>SELECT * | p1, p2 FROM Class [WHERE …]</c>): deep over the class and its subclasses,
        /// each instance as its own class. The WHERE clause runs as parameterised SQL where it can and in memory
        /// otherwise; provider posts are filtered in memory. Results stream: the query is parsed and checked by the
        /// call itself, rows are read as the caller iterates.
        /// </summary>
        /// <remarks>
        /// <c>ASSOCIATORS OF {path} [WHERE …]</c> and <c>REFERENCES OF {path} [WHERE …]</c> are answered too (see
        /// <see cref="ExecAssociationQuery"/>), except with ClassDefsOnly, whose answer is classes.
        /// </remarks>
        /// <exception cref="CimLiteException">INVALID_QUERY (malformed, with the position; unknown property; a value that does not fit), INVALID_CLASS, INVALID_NAMESPACE; NOT_FOUND for the missing source of an association query.</exception>
        public IEnumerable<CimLiteInstance> ExecQuery(string wql, string? @namespace = null, QueryOptions? options = null)
        {
            if (wql == null) throw new ArgumentNullException(nameof(wql));
            if (WqlAssociationQuery.Applies(wql))
            {
                var result = ExecAssociationQuery(wql, @namespace, options);
                if (result.ClassDefsOnly) throw WqlLexer.Error(0, Messages.QueryClassDefsOnlyNeedsClasses);
                return result.Instances;
            }
            var prepared = CachedQuery(wql, @namespace, options);
            return RunQuery(prepared, options);
        }

        // Prepared WQL queries by text and namespace (issue 17): parsing, binding and translating cost more than the
        // key lookup of a key-equality query. A plan holds the class objects of the class cache; any schema change
        // (this session's class write or another connection's) rebuilds those objects, so a plan whose root class is
        // no longer the cache's object is stale and prepared again. Only queries without planning options are kept.
        private const int QueryCacheSize = 256;
        private readonly Dictionary<string, PreparedQuery> _queryCache = new Dictionary<string, PreparedQuery>(StringComparer.Ordinal);

        /// <summary>How many prepared queries the session keeps (tests: the cache is bounded and reused).</summary>
        internal int CachedQueryCount { get { lock (_queryCache) return _queryCache.Count; } }

        private PreparedQuery CachedQuery(string wql, string? @namespace, QueryOptions? options)
        {
            bool cacheable = options == null || (options.Properties == null && !options.KeysOnly && !options.EvaluateInMemory);
            if (!cacheable)
            {
                var parsed = WqlParser.Parse(wql);
                return PrepareQuery(parsed.ClassName, parsed.Where, parsed.Properties, @namespace, deep: true, options);
            }
            string ns = ResolveNamespace(@namespace);
            PreparedQuery? cached;
            lock (_queryCache) _queryCache.TryGetValue(wql, out cached);
            // The root class is looked up as an uncached query would (INVALID_NAMESPACE, INVALID_CLASS as before);
            // the same text in another namespace replaces the entry.
            if (cached != null && CimName.Comparer.Equals(cached.Namespace, ns)
                && ReferenceEquals(_classes.RequireClass(ns, cached.Plans[0].Class.ClassName), cached.Plans[0].Class)) return cached;
            // The same query with another string literal (its shape): a key-equality plan is made from the shape's
            // template without parsing or binding again (issue 17: engine.query's texts all differ).
            string? shape = QueryShape(wql, out var literal);
            if (shape != null)
            {
                PreparedQuery? template;
                lock (_queryCache) _shapeCache.TryGetValue(shape, out template);
                if (template != null && CimName.Comparer.Equals(template.Namespace, ns)
                    && ReferenceEquals(_classes.RequireClass(ns, template.Plans[0].Class.ClassName), template.Plans[0].Class))
                {
                    var fromTemplate = FromTemplate(template, literal!);
                    if (fromTemplate != null) return fromTemplate;
                }
            }
            var query = WqlParser.Parse(wql);
            var prepared = PrepareQuery(query.ClassName, query.Where, query.Properties, @namespace, deep: true, options);
            lock (_queryCache)
            {
                if (_queryCache.Count >= QueryCacheSize) _queryCache.Clear();
                prepared.Namespace = ns;
                _queryCache[wql] = prepared;
                if (shape != null && IsKeyEqualityTemplate(query, prepared))
                {
                    if (_shapeCache.Count >= QueryCacheSize) _shapeCache.Clear();
                    _shapeCache[shape] = prepared;
                }
            }
            return prepared;
        }

        // Key-equality queries by shape: the text with its one quoted string left out. Every other character is kept,
        // so two texts of one shape tokenize alike except for that string's value: the same parse, the same classes,
        // properties and plan kinds, and only the literal (the comparison's value and the key text) differs.
        private readonly Dictionary<string, PreparedQuery> _shapeCache = new Dictionary<string, PreparedQuery>(StringComparer.Ordinal);

        /// <summary>How many query shapes the session keeps (tests).</summary>
        internal int CachedShapeCount { get { lock (_queryCache) return _shapeCache.Count; } }

        /// <summary>
        /// The text with its only quoted string replaced by a marker, and that string's value (quotes doubled inside
        /// it read as one, as the lexer reads them); null when the text holds no quoted string, more than one, or an
        /// unclosed one (those take the ordinary path, which gives any error).
        /// </summary>
        internal static string? QueryShape(string wql, out string? literal)
        {
            literal = null;
            int start = -1, end = -1;
            for (int i = 0; i < wql.Length; i++)
            {
                char c = wql[i];
                if (c != '\'' && c != '"') continue;
                if (start >= 0) return null;
                start = i;
                int j = i + 1;
                System.Text.StringBuilder? unquoted = null;
                int from = j;
                while (true)
                {
                    if (j >= wql.Length) return null;
                    if (wql[j] == c)
                    {
                        if (j + 1 < wql.Length && wql[j + 1] == c)
                        {
                            (unquoted ??= new System.Text.StringBuilder()).Append(wql, from, j + 1 - from);
                            j += 2;
                            from = j;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                literal = unquoted == null ? wql.Substring(from, j - from) : unquoted.Append(wql, from, j - from).ToString();
                end = j + 1;
                i = j;
            }
            if (start < 0) return null;
            return string.Concat(wql.Substring(0, start), "\u0001", wql.Substring(end));
        }

        /// <summary>
        /// True when a prepared query can serve as its shape's template: <c>WHERE property = 'string'</c> (either side)
        /// and every class's plan a string comparison fixing the key, read through the key lookup.
        /// </summary>
        private static bool IsKeyEqualityTemplate(WqlQuery query, PreparedQuery prepared)
        {
            if (!(query.Where is WqlComparison cmp) || cmp.Operator != WqlComparisonOperator.Equal) return false;
            var literal = cmp.Left as WqlLiteral ?? cmp.Right as WqlLiteral;
            if (literal == null || literal.Kind != WqlLiteralKind.String || !(cmp.Left is WqlProperty || cmp.Right is WqlProperty)) return false;
            foreach (var plan in prepared.Plans)
            {
                if (plan.KeyText == null || !(plan.Predicate is BoundComparison b)) return false;
                if (b.Kind != WqlCompareKind.String || b.Operator != WqlComparisonOperator.Equal || b.Index < 0) return false;
                if (plan.Class.Properties[b.Index].CimType != CimType.String) return false;
            }
            return true;
        }

        /// <summary>The template's plans for another literal (as binding the new text would make them); null when a key does not take it.</summary>
        private PreparedQuery? FromTemplate(PreparedQuery template, string literal)
        {
            var prepared = new PreparedQuery { Deep = template.Deep, Namespace = template.Namespace };
            foreach (var t in template.Plans)
            {
                var old = (BoundComparison)t.Predicate;
                var predicate = new BoundComparison(old.Index, old.PropertyName, WqlCompareKind.String, WqlComparisonOperator.Equal, literal);
                var plan = new QueryClassPlan { Class = t.Class, Predicate = predicate, Keep = t.Keep, KeyRootId = t.KeyRootId };
                plan.Translate = () => Repository.Queries.Translate(predicate);
                plan.KeyText = KeyEquality(t.Class, predicate);
                if (plan.KeyText == null) return null;
                prepared.Plans.Add(plan);
                prepared.ByClass[t.Class] = plan;
            }
            return prepared;
        }

        /// <summary>
        /// The instances of a class that satisfy a WQL condition (the WHERE clause without <c>WHERE</c>), as
        /// <c>Get-CimLiteInstance -ClassName X -Filter</c>; a null or empty filter selects all. Deep unless
        /// <see cref="QueryOptions.Shallow"/>.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_QUERY, INVALID_CLASS, INVALID_NAMESPACE.</exception>
        public IEnumerable<CimLiteInstance> QueryInstances(string className, string? filter, string? @namespace = null, QueryOptions? options = null)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            var where = string.IsNullOrWhiteSpace(filter) ? null : WqlParser.ParseCondition(filter!);
            var prepared = PrepareQuery(className, where, null, @namespace, deep: options?.Shallow != true, options);
            return RunQuery(prepared, options);
        }

        /// <summary>
        /// The instances of a class whose properties equal the given values (<c>Get-CimLiteInstance -FilterHashtable</c>):
        /// every pair must hold; an array or list value means any of its values; null means the property is null. The
        /// values are converted to the properties' types as a put converts them and are bound as parameters of the
        /// store's query (pushed down like a -Filter condition; no WQL text is made, so nothing needs quoting). Deep
        /// unless <see cref="QueryOptions.Shallow"/>. No pairs select all.
        /// </summary>
        /// <exception cref="CimLiteException">NO_SUCH_PROPERTY (a name no class of the query has), TYPE_MISMATCH (a value that does not convert), INVALID_CLASS, INVALID_NAMESPACE.</exception>
        public IEnumerable<CimLiteInstance> FilterInstances(string className, IEnumerable<KeyValuePair<string, object?>> equalTo, string? @namespace = null, QueryOptions? options = null)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            if (equalTo == null) throw new ArgumentNullException(nameof(equalTo));
            var pairs = new List<KeyValuePair<string, object?>>(equalTo);
            var classes = EnumerationClasses(className, @namespace, options?.Shallow != true);
            EqualityFilter.Check(pairs, classes[0].ClassName, classes);
            var prepared = PrepareQuery(classes, null, null, options?.Shallow != true, options, c => EqualityFilter.Bind(pairs, c, ValueUnwrapper));
            return RunQuery(prepared, options);
        }

        /// <summary>How <see cref="FilterInstances"/> binds and translates a filter (tests: pushed down, no residual).</summary>
        internal IReadOnlyList<(string ClassName, string Sql, bool HasResidual)> ExplainFilter(string className, IEnumerable<KeyValuePair<string, object?>> equalTo, string? @namespace = null)
        {
            var pairs = new List<KeyValuePair<string, object?>>(equalTo);
            var classes = EnumerationClasses(className, @namespace, true);
            EqualityFilter.Check(pairs, classes[0].ClassName, classes);
            var prepared = PrepareQuery(classes, null, null, true, null, c => EqualityFilter.Bind(pairs, c, ValueUnwrapper));
            var result = new List<(string, string, bool)>();
            foreach (var plan in prepared.Plans)
                result.Add((plan.Class.ClassName, Repository.Queries.Describe(plan.Read()), plan.Translation.Residual != null));
            return result;
        }

        /// <summary>
        /// How a query would read the repository: per class, the SQL it runs (placeholders only) and SQLite's
        /// EXPLAIN QUERY PLAN lines, e.g. <c>SEARCH instances USING INDEX sqlite_autoindex_instances_1 (key_root_id=? AND key=?)</c>.
        /// Classes the WHERE clause rules out read nothing and are listed as such.
        /// </summary>
        public IReadOnlyList<string> ExplainQuery(string wql, string? @namespace = null)
        {
            var query = WqlParser.Parse(wql ?? throw new ArgumentNullException(nameof(wql)));
            var prepared = PrepareQuery(query.ClassName, query.Where, query.Properties, @namespace, deep: true, null);
            var lines = new List<string>();
            foreach (var plan in prepared.Plans)
            {
                if (plan.Predicate is BoundConstant k && !k.Value)
                {
                    lines.Add(Messages.ExplainRuledOut(plan.Class.ClassName));
                    continue;
                }
                var read = plan.Read();
                lines.Add(plan.Class.ClassName + ": " + Repository.Queries.Describe(read) + (plan.Translation.Residual != null ? Messages.ExplainResidual : ""));
                foreach (var line in Repository.Queries.Plan(read)) lines.Add("  " + line);
            }
            return lines;
        }

        private PreparedQuery PrepareQuery(string className, WqlExpression? where, IReadOnlyList<WqlProperty>? selected, string? @namespace, bool deep, QueryOptions? options) =>
            PrepareQuery(EnumerationClasses(className, @namespace, deep), where, selected, deep, options, null);

        private PreparedQuery PrepareQuery(IReadOnlyList<CimLiteClass> classes, WqlExpression? where, IReadOnlyList<WqlProperty>? selected, bool deep, QueryOptions? options, Func<CimLiteClass, Bound>? bind)
        {
            if (options?.Properties != null)
            {
                var projected = new List<WqlProperty>();
                if (selected != null) projected.AddRange(selected);
                foreach (var name in options.Properties) projected.Add(new WqlProperty(0, name));
                selected = projected;
            }
            WqlBinder.CheckProperties(where, selected, classes[0].ClassName, classes);
            var prepared = new PreparedQuery { Deep = deep };
            CimLiteClass? Find(string ns, string name) => _classes.FindClass(ns, name);
            foreach (var c in classes)
            {
                var plan = new QueryClassPlan { Class = c, Predicate = bind != null ? bind(c) : WqlBinder.Bind(where, c, Find) };
                var predicate = plan.Predicate;
                if (options?.EvaluateInMemory == true) plan.Translation = new QueryTranslation { Residual = predicate };
                else plan.Translate = () => Repository.Queries.Translate(predicate);
                if (options?.EvaluateInMemory != true) plan.KeyText = KeyEquality(c, plan.Predicate);
                if (plan.KeyText != null) plan.KeyRootId = KeyRootId(c);
                if (selected != null || options?.KeysOnly == true)
                {
                    plan.Keep = new bool[c.Properties.Count];
                    for (int i = 0; i < c.Properties.Count; i++)
                    {
                        var p = c.Properties[i];
                        bool keep = p.IsKey;
                        if (!keep && options?.KeysOnly != true)
                        {
                            if (selected == null) keep = true;
                            else foreach (var s in selected) if (CimName.Comparer.Equals(s.Name, p.Name)) keep = true;
                        }
                        plan.Keep[i] = keep;
                    }
                }
                prepared.Plans.Add(plan);
                prepared.ByClass[c] = plan;
            }
            return prepared;
        }

        /// <summary>
        /// The stored key text when the top-level conjuncts fix every key of the class by equality (so the
        /// UNIQUE(key_root_id, key) index finds the row), else null. Datetime and reference keys are left to the
        /// general path (their stored text is not their comparison).
        /// </summary>
        private static string? KeyEquality(CimLiteClass c, Bound predicate)
        {
            if (c.KeyProperties.Count == 0) return null;
            var conjuncts = new List<Bound>();
            void Split(Bound b)
            {
                if (b is BoundLogical l && l.IsAnd) { Split(l.Left); Split(l.Right); }
                else conjuncts.Add(b);
            }
            Split(predicate);
            var values = new object?[c.Properties.Count];
            foreach (var key in c.KeyProperties)
            {
                if (key.CimType == CimType.DateTime || key.CimType == CimType.Reference) return null;
                int index = IndexOfProperty(c, key.Name);
                object? value = null;
                foreach (var conjunct in conjuncts)
                {
                    if (!(conjunct is BoundComparison cmp) || cmp.Index != index || cmp.Operator != WqlComparisonOperator.Equal) continue;
                    value = KeyValue(key, cmp);
                    if (value != null) break;
                }
                if (value == null) return null;
                values[index] = value;
            }
            return KeyText(c, values);
        }

        private static object? KeyValue(CimPropertyDeclaration key, BoundComparison cmp)
        {
            try
            {
                switch (cmp.Kind)
                {
                    case WqlCompareKind.String:
                        if (key.CimType == CimType.Char16) return ((string)cmp.Literal).Length == 1 ? ((string)cmp.Literal)[0] : (object?)null;
                        return key.CimType == CimType.String ? cmp.Literal : null;
                    case WqlCompareKind.Integer:
                    case WqlCompareKind.Boolean:
                        return CimValueConverter.Convert(cmp.Literal, key.TypeInfo, "", key.Name);
                    default:
                        return null;
                }
            }
            catch (CimLiteException)
            {
                return null; // out of the key's range: the general path answers (nothing matches)
            }
        }

        private IEnumerable<CimLiteInstance> RunQuery(PreparedQuery prepared, QueryOptions? options)
        {
            // A query over a hierarchy reads its classes one after the other, in one snapshot (see Stream).
            using (prepared.Plans.Count > 1 ? Repository.HoldPagedReads() : null)
            foreach (var plan in prepared.Plans)
            {
                if (plan.KeyText != null && !(plan.Predicate is BoundConstant ruledOut && !ruledOut.Value))
                {
                    // Key equality: the row is read through the session's prepared key lookup (as GetInstance does)
                    // and the whole condition is checked in memory, which agrees with its SQL form (the
                    // differential tests prove it); only a row of this very class belongs to this plan.
                    var row = Repository.Instances.Find(plan.KeyRootId, plan.KeyText);
                    if (row != null && row.ClassId == plan.Class.Id)
                    {
                        var instance = Materialize(plan.Class, row.Data, row.Qualifiers);
                        if (plan.Predicate.Evaluate(instance)) yield return Project(instance, plan);
                    }
                }
                else if (!(plan.Predicate is BoundConstant k && !k.Value))
                {
                    using (var rows = Repository.Queries.Run(plan.Read()))
                    {
                        while (rows.Read())
                        {
                            var instance = Materialize(plan.Class, rows.Data, rows.Qualifiers);
                            if (plan.Translation.Residual != null && !plan.Translation.Residual.Evaluate(instance)) continue;
                            yield return Project(instance, plan);
                        }
                    }
                }
                if (Providers.IsEmpty || Providers.FindInstances(plan.Class.Namespace, plan.Class.ClassName) == null) continue;
                var collected = new CollectingSink(options?.Sink);
                EnumerateProvider(plan.Class, prepared.Deep, false, collected, options?.CancellationToken ?? default);
                foreach (var posted in collected.Items)
                {
                    if (!prepared.ByClass.TryGetValue(posted.Class, out var postedPlan))
                    {
                        postedPlan = null;
                        foreach (var candidate in prepared.Plans)
                            if (ReferenceEquals(candidate.Class, posted.Class) || (CimName.Comparer.Equals(candidate.Class.ClassName, posted.ClassName) && CimName.Comparer.Equals(candidate.Class.Namespace, posted.Namespace)))
                                postedPlan = candidate;
                        if (postedPlan == null) continue;
                    }
                    if (postedPlan.Predicate.Evaluate(posted)) yield return Project(posted, postedPlan);
                }
            }
        }

        private static CimLiteInstance Project(CimLiteInstance instance, QueryClassPlan plan)
        {
            if (plan.Keep == null) return instance;
            var values = (object?[])instance.Values.Clone();
            for (int i = 0; i < values.Length; i++) if (!plan.Keep[i]) values[i] = null;
            return new CimLiteInstance(instance.Class, values, instance.OwnQualifiers) { ValueUnwrapper = instance.ValueUnwrapper };
        }
    }
}
