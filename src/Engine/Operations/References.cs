using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        private static readonly IReadOnlyList<StoredReference> NoReferences = Array.Empty<StoredReference>();

        /// <summary>
        /// Reference typing on put (DSP0004, issue 13): every value of a <c>ref:X</c> property must name an instance
        /// of X or of a subclass of X (the class as narrowed by an override, since the merged class carries it). A
        /// path naming a superclass of X passes when the instance it names is stored and is an X. The referenced
        /// instance need not exist (WMI allows dangling references).
        /// </summary>
        /// <exception cref="CimLiteException">TYPE_MISMATCH naming the class, the property and the value.</exception>
        private void CheckReferences(CimLiteClass cimClass, object?[] values)
        {
            if (!cimClass.HasAnyReferences) return;
            for (int i = 0; i < values.Length; i++)
            {
                var p = cimClass.Properties[i];
                if (p.CimType != CimType.Reference || values[i] == null) continue;
                if (values[i] is string[] items)
                {
                    foreach (var item in items) CheckReference(cimClass, p, item);
                }
                else if (values[i] is string text)
                {
                    CheckReference(cimClass, p, text);
                }
            }
        }

        private void CheckReference(CimLiteClass owner, CimPropertyDeclaration p, string text)
        {
            // An untyped reference (plain 'ref', MOF 'object ref') takes any well-formed path, as before.
            var wanted = p.ReferenceClass;
            if (wanted == null) return;
            if (!TryResolveReference(owner.Namespace, text, out var target, out var keyText))
                throw ReferenceMismatch(owner, p, text, Messages.ReferenceUnresolved);
            if (target!.IsA(wanted)) return;
            // A path naming a superclass of the wanted class: the stored instance it names decides.
            var wantedClass = _classes.FindClass(target.Namespace, wanted);
            if (wantedClass != null && wantedClass.IsA(target.ClassName))
            {
                var row = Repository.Instances.Find(KeyRootId(target), keyText!);
                if (row != null && _classes.ClassByIdCached(target.Namespace, row.ClassId).IsA(wanted)) return;
            }
            throw ReferenceMismatch(owner, p, text, Messages.ReferenceWrongClass(target.ClassName, wanted));
        }

        private static CimLiteException ReferenceMismatch(CimLiteClass owner, CimPropertyDeclaration p, string text, string reason) =>
            new CimLiteException(CimStatus.TypeMismatch, Messages.TypeMismatch(owner.ClassName, p.Name, text, p.TypeInfo.ToString(), reason), owner.ClassName, p.Name);

        /// <summary>
        /// Resolves a reference value (canonical path text) to the class it names and the key text of the instance,
        /// without reading the instance: false when the path does not parse, its namespace or class is unknown, or
        /// its keys do not fit the class.
        /// </summary>
        internal bool TryResolveReference(string ownerNamespace, string text, out CimLiteClass? target, out string? keyText)
        {
            target = null;
            keyText = null;
            if (!InstancePath.TryParse(text, out var path) || path == null) return false;
            var ns = path.Namespace ?? ownerNamespace;
            if (_classes.FindNamespace(ns) == null) return false;
            var cimClass = _classes.FindClass(ns, path.ClassName);
            if (cimClass == null) return false;
            object?[] keys;
            try
            {
                keys = InstanceKey.ValuesFromPath(cimClass, path, ValueUnwrapper);
            }
            catch (CimLiteException)
            {
                return false;
            }
            target = cimClass;
            keyText = KeyText(cimClass, keys);
            return true;
        }

        /// <summary>The reference index entries of an instance's values: one per scalar reference property that resolves.</summary>
        private IReadOnlyList<StoredReference> IndexEntries(CimLiteClass cimClass, object?[] values)
        {
            List<StoredReference>? entries = null;
            for (int i = 0; i < values.Length; i++)
            {
                var p = cimClass.Properties[i];
                if (p.CimType != CimType.Reference || p.IsArray || !(values[i] is string text)) continue;
                if (!TryResolveReference(cimClass.Namespace, text, out var target, out var keyText)) continue;
                (entries ?? (entries = new List<StoredReference>())).Add(new StoredReference(p.Name, KeyRootId(target!), keyText!));
            }
            return entries ?? NoReferences;
        }

        private bool? _referenceIndexUsable;

        /// <summary>
        /// True when the reference index covers the stored instances: false for a read-only session of a format-5
        /// file, or of a migrated file whose index was not built yet (then associations are found by a scan).
        /// </summary>
        internal bool ReferenceIndexUsable
        {
            get
            {
                if (_referenceIndexUsable == null)
                    _referenceIndexUsable = Repository.FormatVersion >= 6 && !Repository.Instances.ReferenceIndexPending;
                return _referenceIndexUsable.Value;
            }
        }

        /// <summary>
        /// Indexes the reference values stored before format 6 (a migrated repository), in one write transaction,
        /// when the repository says it has not been done yet. Read-only sessions leave it to a writer.
        /// </summary>
        internal void BuildPendingReferenceIndex()
        {
            // A read first: opening a repository takes no write lock unless there is indexing to do (another process
            // may hold the lock, and an open must not wait for it).
            if (IsReadOnly || Repository.FormatVersion < 6 || !Repository.Instances.ReferenceIndexPending) return;
            RetryBusy(() =>
            {
                using (var tx = BeginWrite())
                {
                    if (!Repository.Instances.ReferenceIndexPending) return true;
                    foreach (var ns in _classes.NamespaceNames())
                    {
                        var schema = _classes.RequireNamespace(ns);
                        foreach (var c in _classes.Classes(schema).Values)
                        {
                            if (!c.HasScalarReferences) continue;
                            foreach (var row in Repository.Instances.ReadClass(c.Id))
                                Repository.Instances.SetReferences(row.Id, c.Id, IndexEntries(c, ValueCodec.DecodeValues(c, row.Data)));
                        }
                    }
                    Repository.Instances.ReferenceIndexBuilt();
                    tx.Commit();
                }
                _referenceIndexUsable = null;
                return true;
            });
        }
    }
}
