using System;
using System.Collections.Generic;
using CimLite.Query;
using Microsoft.Data.Sqlite;

namespace CimLite
{
    /// <summary>Options of <see cref="CimLiteSession.ExecQuery"/> and <see cref="CimLiteSession.QueryInstances"/>.</summary>
    public sealed class QueryOptions : OperationOptions
    {
        /// <summary>Only instances of the class itself (the filter form; WQL queries are always deep).</summary>
        public bool Shallow { get; set; }

        /// <summary>Only key properties are filled in.</summary>
        public bool KeysOnly { get; set; }

        /// <summary>Evaluate the whole WHERE clause in memory (no SQL push-down): the reference path of the differential tests.</summary>
        internal bool EvaluateInMemory { get; set; }
    }

    public sealed partial class CimLiteSession
    {
        private bool _queryFunctionsRegistered;

        /// <summary>One class of a prepared query: its bound predicate and the SQL for its stored rows.</summary>
        private sealed class QueryClassPlan
        {
            public CimLiteClass Class = null!;
            public Bound Predicate = null!;
            public WqlSqlTranslation Translation = null!;
            public string? KeyText;
            public long KeyRootId;
            public bool[]? Keep;

            public string Sql()
            {
                var sql = "SELECT data, qualifiers FROM instances WHERE ";
                sql += KeyText != null ? "+class_id = $c AND key_root_id = $kr AND key = $k" : "class_id = $c";
                if (Translation.Condition != null) sql += " AND " + Translation.Condition;
                return sql + " ORDER BY id";
            }
        }

        private sealed class PreparedQuery
        {
            public List<QueryClassPlan> Plans = new List<QueryClassPlan>();
            public Dictionary<CimLiteClass, QueryClassPlan> ByClass = new Dictionary<CimLiteClass, QueryClassPlan>();
            public bool Deep;
        }

        /// <summary>
        /// Runs a WQL query (<c>SELECT * | p1, p2 FROM Class [WHERE …]</c>): deep over the class and its subclasses,
        /// each instance as its own class. The WHERE clause runs as parameterised SQL where it can and in memory
        /// otherwise; provider posts are filtered in memory. Results stream: the query is parsed and checked by the
        /// call itself, rows are read as the caller iterates.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_QUERY (malformed, with the position; unknown property; a value that does not fit), INVALID_CLASS, INVALID_NAMESPACE.</exception>
        private IEnumerable<CimLiteInstance> ExecQueryUnguarded(string wql, string? @namespace = null, QueryOptions? options = null)
        {
            if (wql == null) throw new ArgumentNullException(nameof(wql));
            var query = WqlParser.Parse(wql);
            var prepared = PrepareQuery(query.ClassName, query.Where, query.Properties, @namespace, deep: true, options);
            return RunQuery(prepared, options);
        }

        /// <summary>
        /// The instances of a class that satisfy a WQL condition (the WHERE clause without <c>WHERE</c>), as
        /// <c>Get-CimLiteInstance -ClassName X -Filter</c>; a null or empty filter selects all. Deep unless
        /// <see cref="QueryOptions.Shallow"/>.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_QUERY, INVALID_CLASS, INVALID_NAMESPACE.</exception>
        private IEnumerable<CimLiteInstance> QueryInstancesUnguarded(string className, string? filter, string? @namespace = null, QueryOptions? options = null)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            var where = string.IsNullOrWhiteSpace(filter) ? null : WqlParser.ParseCondition(filter!);
            var prepared = PrepareQuery(className, where, null, @namespace, deep: options?.Shallow != true, options);
            return RunQuery(prepared, options);
        }

        /// <summary>
        /// How a query would read the repository: per class, the SQL it runs (placeholders only) and SQLite's
        /// EXPLAIN QUERY PLAN lines, e.g. <c>SEARCH instances USING INDEX sqlite_autoindex_instances_1 (key_root_id=? AND key=?)</c>.
        /// Classes the WHERE clause rules out read nothing and are listed as such.
        /// </summary>
        private IReadOnlyList<string> ExplainQueryUnguarded(string wql, string? @namespace = null)
        {
            var query = WqlParser.Parse(wql ?? throw new ArgumentNullException(nameof(wql)));
            var prepared = PrepareQuery(query.ClassName, query.Where, query.Properties, @namespace, deep: true, null);
            var lines = new List<string>();
            foreach (var plan in prepared.Plans)
            {
                if (plan.Predicate is BoundConstant k && !k.Value)
                {
                    lines.Add(plan.Class.ClassName + ": no rows (ruled out by the WHERE clause)");
                    continue;
                }
                var sql = plan.Sql();
                lines.Add(plan.Class.ClassName + ": " + sql + (plan.Translation.Residual != null ? " [+ in-memory residual]" : ""));
                using (var command = Repository.NewCommand("EXPLAIN QUERY PLAN " + sql))
                {
                    Bind(command, plan);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) lines.Add("  " + reader.GetString(3));
                }
            }
            return lines;
        }

        private void EnsureQueryFunctions()
        {
            if (_queryFunctionsRegistered) return;
            WqlSqlTranslator.Register(Repository.Connection);
            _queryFunctionsRegistered = true;
        }

        private PreparedQuery PrepareQuery(string className, WqlExpression? where, IReadOnlyList<WqlProperty>? selected, string? @namespace, bool deep, QueryOptions? options)
        {
            var classes = EnumerationClasses(className, @namespace, deep);
            WqlBinder.CheckProperties(where, selected, classes[0].ClassName, classes);
            EnsureQueryFunctions();
            var prepared = new PreparedQuery { Deep = deep };
            CimLiteClass? Find(string ns, string name) => _classes.FindClass(ns, name);
            foreach (var c in classes)
            {
                var plan = new QueryClassPlan { Class = c, Predicate = WqlBinder.Bind(where, c, Find) };
                plan.Translation = options?.EvaluateInMemory == true
                    ? new WqlSqlTranslation { Residual = plan.Predicate }
                    : WqlSqlTranslator.Translate(plan.Predicate);
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

        private void Bind(SqliteCommand command, QueryClassPlan plan)
        {
            command.Parameters.AddWithValue("$c", plan.Class.Id);
            if (plan.KeyText != null)
            {
                command.Parameters.AddWithValue("$kr", plan.KeyRootId);
                command.Parameters.AddWithValue("$k", plan.KeyText);
            }
            foreach (var p in plan.Translation.Parameters) command.Parameters.AddWithValue(p.Key, p.Value);
        }

        private IEnumerable<CimLiteInstance> RunQuery(PreparedQuery prepared, QueryOptions? options)
        {
            foreach (var plan in prepared.Plans)
            {
                if (!(plan.Predicate is BoundConstant k && !k.Value))
                {
                    using (var command = Repository.NewCommand(plan.Sql()))
                    {
                        Bind(command, plan);
                        using (var reader = command.ExecuteReader())
                        {
                            while (reader.Read())
                            {
                                var instance = Materialize(plan.Class, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                                if (plan.Translation.Residual != null && !plan.Translation.Residual.Evaluate(instance)) continue;
                                yield return Project(instance, plan);
                            }
                        }
                    }
                }
                if (Providers.FindInstances(plan.Class.Namespace, plan.Class.ClassName) == null) continue;
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
