using System;
using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// CimLite's own invariants of a stored repository (issue 16), over raw rows from any backend: the class hierarchy
    /// (superclasses exist in the same namespace, no cycles, definitions decode and build), and every instance (its class
    /// exists and is concrete, it is stored under its key root, its key text is the one its values make, every value
    /// decodes to its property's type, references are instance paths, qualifiers decode), and posted-queue leases. Never
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
                    CheckInstance(row, byId, Build, byName, report, NamespaceOf);
                }
            }

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

        private static void CheckInstance(MaintenanceInstanceRow row, Dictionary<long, MaintenanceClassRow> byId, Func<long, CimLiteClass?> build,
            Dictionary<(long, string), long> byName, CimLiteRepositoryReport report, Func<MaintenanceClassRow, string> namespaceOf)
        {
            CimLiteRepositoryProblem Problem(CimLiteRepositoryProblemKind kind, string message, CimLiteClass? c, string? path) =>
                new CimLiteRepositoryProblem(kind, message) { Table = "instances", RowId = row.Id, Namespace = c?.Namespace, ClassName = c?.ClassName, InstancePath = path };

            if (!byId.TryGetValue(row.ClassId, out var classRow))
            {
                report.Add(Problem(CimLiteRepositoryProblemKind.MissingClass, Messages.CareInstanceWithoutClass(row.Id, row.ClassId, row.Key), null, null));
                return;
            }
            var cimClass = build(row.ClassId);
            if (cimClass == null) return; // its class is broken: reported with the class
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
                return;
            }
            string? path = null;
            try { path = new CimLiteInstance(cimClass, values, null).TryGetPath()?.ToString(); }
            catch (Exception e) when (Recoverable(e)) { }
            foreach (var index in cimClass.KeyIndexes)
            {
                if (values[index] == null)
                {
                    report.Add(Problem(CimLiteRepositoryProblemKind.KeyText, Messages.CareNullKey(row.Id, cimClass.ClassName, row.Key, cimClass.Properties[index].Name), cimClass, path));
                    return;
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
