using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Writes an instance with WMI's PutInstance semantics, as one transaction: create-or-update,
        /// update-only or create-only; partial updates of named properties; keys unique across the hierarchy
        /// under the key-defining class (no moving an instance to another class of that hierarchy).
        /// </summary>
        /// <returns>The path of the written instance.</returns>
        /// <exception cref="CimLiteException">
        /// INVALID_PARAMETER (CreateOnly with a property list), INVALID_CLASS, INVALID_OPERATION (abstract or
        /// indication class), NO_SUCH_PROPERTY, TYPE_MISMATCH, ILLEGAL_NULL (null key or Required property),
        /// ALREADY_EXISTS (CreateOnly of an existing instance, or a key held by an instance of another class),
        /// NOT_FOUND (UpdateOnly or partial update of a missing instance), ACCESS_DENIED (read-only session).
        /// </exception>
        public InstancePath PutInstance(CimLiteInstance instance, PutOptions? options = null)
        {
            options = CheckPutArguments(instance, options);
            return RetryBusy(() =>
            {
                using (var tx = BeginWrite())
                {
                    var path = PutInTransaction(instance, options);
                    tx.Commit();
                    return path;
                }
            });
        }

        /// <summary>The argument checks of a put (shared by <see cref="PutInstance"/> and <see cref="CimLitePutBatch"/>).</summary>
        private static PutOptions CheckPutArguments(CimLiteInstance instance, PutOptions? options)
        {
            if (instance == null) throw new ArgumentNullException(nameof(instance));
            options = options ?? new PutOptions();
            if (options.PropertyList != null && options.Mode == PutMode.CreateOnly)
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.CreateOnlyWithPropertyList);
            return options;
        }

        private InstancePath PutInTransaction(CimLiteInstance instance, PutOptions options) =>
            PutInTransaction(instance, options, out var cimClass, out var values) ?? PathOf(cimClass, values);

        /// <summary>The path of an instance of <paramref name="cimClass"/> with these (converted, key-complete) values.</summary>
        internal static InstancePath PathOf(CimLiteClass cimClass, object?[] values) => new CimLiteInstance(cimClass, values, null).GetPath();

        /// <summary>
        /// A put inside the current transaction. Returns the written path when it was built on the way (an error
        /// message, providers), else null: the caller builds it from <paramref name="written"/> and
        /// <paramref name="writtenValues"/> (<see cref="PathOf"/>) when it needs it (a batch's result builds it only when read).
        /// </summary>
        private InstancePath? PutInTransaction(CimLiteInstance instance, PutOptions options, out CimLiteClass written, out object?[] writtenValues)
        {
            var cimClass = _classes.RequireClass(instance.Namespace, instance.ClassName);
            var className = cimClass.ClassName;
            if (cimClass.IsAbstract)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.AbstractClass(className), className);
            if (cimClass.IsIndication)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.IndicationClass(className), className);

            // Align the caller's values with the class as stored now, converting each one.
            var values = new object?[cimClass.Properties.Count];
            written = cimClass;
            writtenValues = values;
            var source = instance.Class;
            for (int i = 0; i < source.Properties.Count; i++)
            {
                var name = source.Properties[i].Name;
                var value = instance.Values[i];
                int at = ReferenceEquals(source, cimClass) ? i : IndexOfProperty(cimClass, name);
                if (at < 0)
                {
                    if (value == null) continue;
                    throw new CimLiteException(CimStatus.NoSuchProperty, Messages.NoSuchProperty(className, name), className, name);
                }
                var p = cimClass.Properties[at];
                values[at] = CimValueConverter.Convert(value, p.TypeInfo, className, p.Name, ValueUnwrapper);
            }

            CheckReferences(cimClass, values);

            List<int>? partial = null;
            if (options.PropertyList != null)
            {
                partial = new List<int>();
                foreach (var name in options.PropertyList)
                {
                    int at = IndexOfProperty(cimClass, name);
                    if (at < 0)
                        throw new CimLiteException(CimStatus.NoSuchProperty, Messages.NoSuchProperty(className, name), className, name);
                    partial.Add(at);
                }
            }

            for (int k = 0; k < cimClass.KeyIndexes.Length; k++)
                if (values[cimClass.KeyIndexes[k]] == null)
                    throw new CimLiteException(CimStatus.IllegalNull, Messages.NullKey(className, cimClass.KeyProperties[k].Name), className, cimClass.KeyProperties[k].Name);

            // The path is built only when something reads it (issue 17: a batch of puts rarely does).
            InstancePath? path = null;
            InstancePath WrittenPath() => path ?? (path = PathOf(cimClass, values));
            var chain = Providers.Chain(cimClass, out var repositoryServes);

            object?[]? stored = null;
            string? qualifiers = null;
            StoredInstance? existing = null;
            string keyText = KeyText(cimClass, values);
            // A create-only put that no provider sees and that passes the Required check tries the insert first and
            // looks the key up only when the unique index refuses it: one statement instead of two, same errors. So
            // does such a create-or-update while this session's last one created (a load of new instances); when the
            // key is taken it updates the row the lookup then finds, and the next create-or-update looks up first.
            bool optimistic = repositoryServes && chain.Count == 0 && partial == null
                && (options.Mode == PutMode.CreateOnly || (options.Mode == PutMode.CreateOrUpdate && _upsertsCreate))
                && !HasRequiredNull(cimClass, values);
            if (repositoryServes && !optimistic)
            {
                existing = FindStoredForWrite(cimClass, keyText);
                if (existing != null && existing.ClassId != cimClass.Id) ThrowIfHeldByAnotherClass(cimClass, existing, WrittenPath());
                if (existing != null && options.Mode == PutMode.CreateOnly)
                    throw new CimLiteException(CimStatus.AlreadyExists, Messages.InstanceAlreadyExists(WrittenPath().ToString()), className, instancePath: WrittenPath().ToString());
                if (existing == null && partial != null)
                    throw new CimLiteException(CimStatus.NotFound, Messages.PartialPutOfMissingInstance(WrittenPath().ToString()), className, instancePath: WrittenPath().ToString());
                if (existing == null && options.Mode == PutMode.UpdateOnly)
                    throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(WrittenPath().ToString()), className, instancePath: WrittenPath().ToString());
            }

            if (partial != null)
            {
                stored = existing == null ? null : ValueCodec.DecodeValues(cimClass, existing.Data);
                foreach (var at in partial)
                {
                    var value = values[at];
                    if (value == null && !options.StrictNulls) continue;
                    var p = cimClass.Properties[at];
                    if (value == null && (p.IsKey || p.IsRequired))
                        throw new CimLiteException(CimStatus.IllegalNull, p.IsKey ? Messages.NullKey(className, p.Name) : Messages.NullRequired(className, p.Name), className, p.Name, WrittenPath().ToString());
                    if (stored != null) stored[at] = value;
                }
                qualifiers = existing?.Qualifiers;
            }
            else
            {
                for (int i = 0; i < values.Length; i++)
                {
                    var p = cimClass.Properties[i];
                    if (values[i] == null && p.IsRequired)
                        throw new CimLiteException(CimStatus.IllegalNull, Messages.NullRequired(className, p.Name), className, p.Name, WrittenPath().ToString());
                }
                stored = values;
                if (instance.OwnQualifiers.Count > 0)
                {
                    var own = new List<CimQualifier>();
                    foreach (var q in instance.OwnQualifiers)
                        if (!(options.UseAmendedQualifiers && q.IsAmended)) own.Add(q);
                    qualifiers = own.Count == 0 ? null : ValueCodec.EncodeQualifiers(own);
                }
            }

            // The providers of every class from the top of the hierarchy down, inside this transaction: any
            // failure rolls back the whole put, including indications they posted.
            if (chain.Count > 0)
            {
                WrittenPath(); // as the values are before any provider sees them (a provider could change the offered instance)
                var propertyNames = new List<string>();
                if (partial != null) foreach (var at in partial) propertyNames.Add(cimClass.Properties[at].Name);
                var offered = new CimLiteInstance(cimClass, values, instance.OwnQualifiers) { ValueUnwrapper = ValueUnwrapper };
                Dispatcher.Put(chain, cimClass.Namespace, offered, options, propertyNames);
            }

            if (!repositoryServes) return WrittenPath();
            var data = ValueCodec.EncodeValues(cimClass, stored!);
            var references = cimClass.HasScalarReferences ? IndexEntries(cimClass, stored!) : null;
            if (existing != null)
            {
                Repository.Instances.Update(existing.Id, existing.ClassId, data, qualifiers, references);
            }
            else if (!Repository.Instances.TryInsert(cimClass.Id, KeyRootId(cimClass), keyText, data, qualifiers, references))
            {
                // The key is taken: report it exactly as the checked path would.
                existing = FindStoredForWrite(cimClass, keyText);
                if (existing == null) throw new CimLiteException(CimStatus.Failed, Messages.RepositoryError(Path, Messages.KeyTakenUnseen), className, instancePath: WrittenPath().ToString());
                if (existing.ClassId != cimClass.Id) ThrowIfHeldByAnotherClass(cimClass, existing, WrittenPath());
                if (options.Mode == PutMode.CreateOrUpdate && partial == null)
                {
                    // An optimistic create-or-update of an existing instance (see above), or: the lookup found nothing,
                    // then another client's create of this key committed before ours (a backend whose writers run at
                    // once, PostgreSQL). As if this put came after it, it replaces that instance, with exactly the
                    // values, qualifiers and provider calls it had (a whole put depends on nothing stored).
                    Repository.Instances.Update(existing.Id, existing.ClassId, data, qualifiers, references);
                    _upsertsCreate = false;
                    return path;
                }
                throw new CimLiteException(CimStatus.AlreadyExists, Messages.InstanceAlreadyExists(WrittenPath().ToString()), className, instancePath: WrittenPath().ToString());
            }
            if (options.Mode == PutMode.CreateOrUpdate) _upsertsCreate = existing == null;
            return path;
        }

        /// <summary>
        /// Whether this session's last create-or-update created an instance: the next one then tries the insert first
        /// (see <see cref="PutInTransaction(CimLiteInstance, PutOptions, out CimLiteClass, out object[])"/>). Only a
        /// guess about the next put, never a rule: either way gives the same outcome, so threads sharing a session may race on it.
        /// </summary>
        private bool _upsertsCreate = true;

        private static bool HasRequiredNull(CimLiteClass cimClass, object?[] values)
        {
            for (int i = 0; i < values.Length; i++)
                if (values[i] == null && cimClass.Properties[i].IsRequired) return true;
            return false;
        }

        private void ThrowIfHeldByAnotherClass(CimLiteClass cimClass, StoredInstance? existing, InstancePath path)
        {
            if (existing == null || existing.ClassId == cimClass.Id) return;
            var pathText = path.ToString();
            var other = _classes.ClassById(cimClass.Namespace, existing.ClassId);
            throw new CimLiteException(CimStatus.AlreadyExists, Messages.KeyHeldByOtherClass(pathText, other.ClassName), cimClass.ClassName, instancePath: pathText)
            {
                RecommendedAction = Messages.KeyHeldByOtherClassAction(other.ClassName),
            };
        }
    }
}
