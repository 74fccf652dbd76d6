using System;
using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// CimLite's own invariants of a stored repository (issue 16), over raw rows from any backend: the class hierarchy
    /// (superclasses exist in the same namespace, no cycles, definitions decode and build), and every instance (its class
    /// exists and is concrete, it is stored under its key root, its key text is the one its values make, every value
    /// decodes to its property's type, references are instance paths, qualifiers decode), the reference index against the
    /// stored reference values (when it is in use), and posted-queue leases. Never
    /// throws for damage: what cannot be read becomes a problem.
    /// </summary>
    internal static class RepositoryChecker
    {
        public static CimLiteRepositoryReport Check(IRepositoryMaintenance maintenance)
        {
            var report = new CimLiteRepositoryReport(maintenance.Path);
            maintenance.BeginSnapshot();
            try
            {
                var storageProblems = maintenance.CheckStorage(out bool readable);
                foreach (var problem in storageProblems) report.Add(problem);
                report.FormatVersion = maintenance.FormatVersion();
                if (!readable) return report;
                try
                {
                    Invariants(maintenance, report);
                }
                catch (CimLiteException e)
                {
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Unreadable, e.Message));
                }
            }
            finally
            {
                maintenance.EndSnapshot();
            }
            return report;
        }

        private static bool Recoverable(Exception e) => !(e is OutOfMemoryException || e is StackOverflowException || e is System.Threading.ThreadAbortException);

        private static void Invariants(IRepositoryMaintenance maintenance, CimLiteRepositoryReport report)
        {
            var namespaces = maintenance.Namespaces();
            report.Namespaces = namespaces.Count;
            var rows = maintenance.ClassRows();
            report.Classes = rows.Count;
            var byId = new Dictionary<long, MaintenanceClassRow>();
            foreach (var row in rows) byId[row.Id] = row;
            string NamespaceOf(MaintenanceClassRow row) => namespaces.TryGetValue(row.NamespaceId, out var name) ? name : "#" + row.NamespaceId;

            // Superclasses: present, same namespace; cycles.
            var cyclic = new HashSet<long>();
            foreach (var row in rows)
            {
                if (row.SuperclassId.HasValue)
                {
                    if (!byId.TryGetValue(row.SuperclassId.Value, out var super))
                        report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.MissingSuperclass, Messages.CareMissingSuperclass(NamespaceOf(row), row.Name, row.SuperclassId.Value))
                        { Table = "classes", RowId = row.Id, Namespace = NamespaceOf(row), ClassName = row.Name });
                    else if (super.NamespaceId != row.NamespaceId)
                        report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.MissingSuperclass, Messages.CareSuperclassElsewhere(NamespaceOf(row), row.Name, super.Name, NamespaceOf(super)))
                        { Table = "classes", RowId = row.Id, Namespace = NamespaceOf(row), ClassName = row.Name });
                }
                var seen = new HashSet<long> { row.Id };
                var at = row;
                while (at.SuperclassId.HasValue && byId.TryGetValue(at.SuperclassId.Value, out var next))
                {
                    if (next.Id == row.Id)
                    {
                        cyclic.Add(row.Id);
                        report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ClassCycle, Messages.CareClassCycle(NamespaceOf(row), row.Name))
                        { Table = "classes", RowId = row.Id, Namespace = NamespaceOf(row), ClassName = row.Name });
                        break;
                    }
                    if (!seen.Add(next.Id)) break; // a cycle above this class: reported for its members
                    at = next;
                }
            }

            var built = new Dictionary<long, CimLiteClass>();
            var broken = new HashSet<long>();
            CimLiteClass? Build(long id)
            {
                if (built.TryGetValue(id, out var done)) return done;
                if (broken.Contains(id) || !byId.TryGetValue(id, out var row)) return null;
                broken.Add(id); // until built: a cycle above comes back here as broken
                CimLiteClass? super = null;
                if (row.SuperclassId.HasValue)
                {
                    if (cyclic.Contains(id) || !byId.TryGetValue(row.SuperclassId.Value, out var superRow) || superRow.NamespaceId != row.NamespaceId) return null;
                    super = Build(row.SuperclassId.Value);
                    if (super == null) return null;
                }
                try
                {
                    var definition = ValueCodec.DecodeDefinition(row.Name, row.Definition, row.Amended);
                    var cimClass = ClassBuilder.Build(id, NamespaceOf(row), definition, super, validate: false);
                    broken.Remove(id);
                    built[id] = cimClass;
                    return cimClass;
                }
                catch (Exception e) when (Recoverable(e))
                {
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ClassDefinition, Messages.CareClassDefinition(NamespaceOf(row), row.Name, e.Message))
                    { Table = "classes", RowId = row.Id, Namespace = NamespaceOf(row), ClassName = row.Name });
                    return null;
                }
            }
            var byName = new Dictionary<(long, string), long>();
            foreach (var row in rows) byName[(row.NamespaceId, row.Name.ToUpperInvariant())] = row.Id;
            foreach (var row in rows) Build(row.Id);

            // The reference index, when it is in use: each instance's expected entries are gathered as it is checked.
            var referenceRows = maintenance.ReferenceRows();
            var expected = referenceRows == null ? null : new Dictionary<(long, string), ExpectedReference>();
            var notJudged = new HashSet<long>();
            var namespaceIds = new Dictionary<string, long>(CimName.Comparer);
            foreach (var pair in namespaces) namespaceIds[pair.Value] = pair.Key;

            // Instances.
            using (var instances = maintenance.InstanceRows().GetEnumerator())
            {
                long lastId = 0;
                while (true)
                {
                    try
                    {
                        if (!instances.MoveNext()) break;
                    }
                    catch (CimLiteException e)
                    {
                        report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Unreadable, Messages.CareInstancesUnreadable(lastId, e.Message)) { Table = "instances", RowId = lastId == 0 ? (long?)null : lastId });
                        break;
                    }
                    var row = instances.Current;
                    lastId = row.Id;
                    report.Instances++;
                    var values = CheckInstance(row, byId, Build, byName, report, NamespaceOf);
                    if (expected == null) continue;
                    if (values == null || !ExpectReferences(row, values.Value.Class, values.Value.Values, namespaceIds, byName, Build, expected)) notJudged.Add(row.Id);
                }
            }
            if (referenceRows != null) CompareReferenceIndex(referenceRows, expected!, notJudged, report);

            // Posted-queue leases: all four columns set (with sensible values), or none.
            foreach (var lease in maintenance.LeaseRows())
            {
                report.PostedIndications++;
                int set = (lease.Owner != null ? 1 : 0) + (lease.Pid.HasValue ? 1 : 0) + (lease.Started.HasValue ? 1 : 0) + (lease.Expires.HasValue ? 1 : 0);
                if (set == 0) continue;
                if (set != 4 || lease.Owner!.Length == 0 || lease.Pid!.Value <= 0 || lease.Expires!.Value <= 0)
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Lease, Messages.CareLease(lease.Id)) { Table = "posted", RowId = lease.Id });
            }
        }

        private sealed class ExpectedReference
        {
            public long InstanceId;
            public string Property = "";
            public string Value = "";
            public long ClassId;
            public long TargetRootId;
            public string TargetKey = "";
            public CimLiteClass Class = null!;
            public string Key = "";
            public bool Seen;
        }

        /// <summary>
        /// The reference index entries an instance's values call for, as the engine writes them (one per scalar reference
        /// property whose value resolves to a class and its keys: the key-defining class and the key text); false when
        /// that cannot be told (a class it names does not build), so the instance's entries are not judged.
        /// </summary>
        private static bool ExpectReferences(MaintenanceInstanceRow row, CimLiteClass cimClass, object?[] values, Dictionary<string, long> namespaceIds,
            Dictionary<(long, string), long> byName, Func<long, CimLiteClass?> build, Dictionary<(long, string), ExpectedReference> expected)
        {
            for (int i = 0; i < values.Length; i++)
            {
                var p = cimClass.Properties[i];
                if (p.CimType != CimType.Reference || p.IsArray || !(values[i] is string text)) continue;
                // A value that is not a path is reported as such (Reference): its instance's entries are not judged too.
                if (!CimLite.InstancePath.TryParse(text, out var path) || path == null) return false;
                if (!namespaceIds.TryGetValue(path.Namespace ?? cimClass.Namespace, out var nsId)) continue;
                if (!byName.TryGetValue((nsId, path.ClassName.ToUpperInvariant()), out var targetId)) continue;
                var target = build(targetId);
                if (target == null) return false;
                string keyText;
                try
                {
                    keyText = InstanceKey.Text(target, InstanceKey.ValuesFromPath(target, path));
                }
                catch (CimLiteException)
                {
                    continue; // its keys do not fit the class: the engine indexes nothing for it either
                }
                if (!byName.TryGetValue((nsId, target.KeyRootClass.ToUpperInvariant()), out var rootId)) return false;
                expected[(row.Id, p.Name.ToUpperInvariant())] = new ExpectedReference
                {
                    InstanceId = row.Id, Property = p.Name, Value = text, ClassId = row.ClassId, TargetRootId = rootId, TargetKey = keyText, Class = cimClass, Key = row.Key,
                };
            }
            return true;
        }

        /// <summary>Each index row against the entry its instance's value calls for: missing, extra, or naming another instance.</summary>
        private static void CompareReferenceIndex(List<MaintenanceReferenceRow> rows, Dictionary<(long, string), ExpectedReference> expected, HashSet<long> notJudged, CimLiteRepositoryReport report)
        {
            foreach (var row in rows)
            {
                if (notJudged.Contains(row.InstanceId)) continue;
                if (!expected.TryGetValue((row.InstanceId, row.Property.ToUpperInvariant()), out var want))
                {
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ReferenceIndex, Messages.CareReferenceIndexExtra(row.InstanceId, row.Property)) { Table = "instance_references" });
                    continue;
                }
                want.Seen = true;
                if (want.ClassId != row.ClassId || want.TargetRootId != row.TargetRootId || !string.Equals(want.TargetKey, row.TargetKey, StringComparison.Ordinal))
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ReferenceIndex, Messages.CareReferenceIndexWrong(row.InstanceId, want.Class.ClassName, want.Key, want.Property, want.Value))
                    { Table = "instance_references", Namespace = want.Class.Namespace, ClassName = want.Class.ClassName });
            }
            foreach (var want in expected.Values)
                if (!want.Seen)
                    report.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ReferenceIndex, Messages.CareReferenceIndexMissing(want.InstanceId, want.Class.ClassName, want.Key, want.Property, want.Value))
                    { Table = "instance_references", Namespace = want.Class.Namespace, ClassName = want.Class.ClassName });
        }

        /// <summary>Checks one instance row; its class and decoded values when they could be read (for the reference index check).</summary>
        private static (CimLiteClass Class, object?[] Values)? CheckInstance(MaintenanceInstanceRow row, Dictionary<long, MaintenanceClassRow> byId, Func<long, CimLiteClass?> build,
            Dictionary<(long, string), long> byName, CimLiteRepositoryReport report, Func<MaintenanceClassRow, string> namespaceOf)
        {
            CimLiteRepositoryProblem Problem(CimLiteRepositoryProblemKind kind, string message, CimLiteClass? c, string? path) =>
                new CimLiteRepositoryProblem(kind, message) { Table = "instances", RowId = row.Id, Namespace = c?.Namespace, ClassName = c?.ClassName, InstancePath = path };

            if (!byId.TryGetValue(row.ClassId, out var classRow))
            {
                report.Add(Problem(CimLiteRepositoryProblemKind.MissingClass, Messages.CareInstanceWithoutClass(row.Id, row.ClassId, row.Key), null, null));
                return null;
            }
            var cimClass = build(row.ClassId);
            if (cimClass == null) return null; // its class is broken: reported with the class
            if (cimClass.IsAbstract || cimClass.IsIndication)
                report.Add(Problem(CimLiteRepositoryProblemKind.NotConcrete, Messages.CareNotConcrete(row.Id, cimClass.Namespace, cimClass.ClassName, row.Key), cimClass, null));
            if (byName.TryGetValue((classRow.NamespaceId, cimClass.KeyRootClass.ToUpperInvariant()), out var keyRoot) && keyRoot != row.KeyRootId)
                report.Add(Problem(CimLiteRepositoryProblemKind.KeyRoot, Messages.CareKeyRoot(row.Id, cimClass.ClassName, row.Key, cimClass.KeyRootClass), cimClass, null));
            object?[] values;
            try
            {
                values = ValueCodec.DecodeValues(cimClass, row.Data);
            }
            catch (Exception e) when (Recoverable(e))
            {
                report.Add(Problem(CimLiteRepositoryProblemKind.Value, Messages.CareValue(row.Id, cimClass.ClassName, row.Key, BadProperty(cimClass, row.Data) ?? "?"), cimClass, null));
                return null;
            }
            string? path = null;
            try { path = new CimLiteInstance(cimClass, values, null).TryGetPath()?.ToString(); }
            catch (Exception e) when (Recoverable(e)) { }
            foreach (var index in cimClass.KeyIndexes)
            {
                if (values[index] == null)
                {
                    report.Add(Problem(CimLiteRepositoryProblemKind.KeyText, Messages.CareNullKey(row.Id, cimClass.ClassName, row.Key, cimClass.Properties[index].Name), cimClass, path));
                    return (cimClass, values);
                }
            }
            string keyText;
            try { keyText = InstanceKey.Text(cimClass, values); }
            catch (Exception e) when (Recoverable(e)) { keyText = "?"; }
            if (!string.Equals(keyText, row.Key, StringComparison.Ordinal))
                report.Add(Problem(CimLiteRepositoryProblemKind.KeyText, Messages.CareKeyText(row.Id, cimClass.ClassName, row.Key, keyText), cimClass, path));
            for (int i = 0; i < cimClass.Properties.Count; i++)
            {
                if (cimClass.Properties[i].TypeInfo.Type != CimType.Reference || values[i] == null) continue;
                var texts = values[i] is string one ? new[] { one } : values[i] as string[] ?? Array.Empty<string>();
                foreach (var text in texts)
                    if (!CimLite.InstancePath.TryParse(text, out _))
                        report.Add(Problem(CimLiteRepositoryProblemKind.Reference, Messages.CareReference(row.Id, cimClass.ClassName, row.Key, cimClass.Properties[i].Name, text), cimClass, path));
            }
            if (row.Qualifiers != null)
            {
                try { ValueCodec.ReadQualifiers(Json.Parse(row.Qualifiers)); }
                catch (Exception e) when (Recoverable(e))
                {
                    report.Add(Problem(CimLiteRepositoryProblemKind.Value, Messages.CareQualifiers(row.Id, cimClass.ClassName, row.Key), cimClass, path));
                }
            }
            return (cimClass, values);
        }

        /// <summary>The first property whose stored value does not decode, or null (the data is not an object at all).</summary>
        private static string? BadProperty(CimLiteClass cimClass, string data)
        {
            try
            {
                if (!(Json.Parse(data) is Dictionary<string, object?> values)) return null;
                foreach (var property in cimClass.Properties)
                {
                    if (!values.TryGetValue(property.Name, out var raw) || raw == null) continue;
                    try { ValueCodec.ReadValue(raw, property.TypeInfo); }
                    catch (Exception e) when (Recoverable(e)) { return property.Name; }
                }
            }
            catch (Exception e) when (Recoverable(e)) { }
            return null;
        }
    }
}
