using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// An instance of a class: typed property values and instance qualifiers. It is a value: changing it
    /// changes nothing in a repository until it is put.
    /// </summary>
    public sealed class CimLiteInstance
    {
        private readonly object?[] _values;
        private readonly List<CimQualifier> _qualifiers;

        internal CimLiteInstance(CimLiteClass cimClass, object?[] values, IEnumerable<CimQualifier>? qualifiers)
        {
            Class = cimClass;
            _values = values;
            _qualifiers = qualifiers == null ? new List<CimQualifier>() : new List<CimQualifier>(qualifiers);
        }

        /// <summary>Creates an instance of a class with every property at its default value.</summary>
        public CimLiteInstance(CimLiteClass cimClass)
            : this(cimClass ?? throw new ArgumentNullException(nameof(cimClass)), Defaults(cimClass), null)
        {
        }

        private static object?[] Defaults(CimLiteClass cimClass)
        {
            var values = new object?[cimClass.Properties.Count];
            for (int i = 0; i < values.Length; i++) values[i] = CloneValue(cimClass.Properties[i].DefaultValue);
            return values;
        }

        /// <summary>The class definition the instance was made from.</summary>
        public CimLiteClass Class { get; }

        /// <summary>The class name.</summary>
        public string ClassName => Class.ClassName;

        /// <summary>The namespace of the class.</summary>
        public string Namespace => Class.Namespace;

        /// <summary>The instance's own qualifiers (those stored with it).</summary>
        public IReadOnlyList<CimQualifier> OwnQualifiers => _qualifiers;

        /// <summary>The instance's qualifiers: class qualifiers with the ToInstance flavor, overridden by its own.</summary>
        public IReadOnlyList<CimQualifier> Qualifiers
        {
            get
            {
                var result = new List<CimQualifier>();
                foreach (var q in Class.Qualifiers)
                    if (q.PropagatesToInstance && CimLiteClass.FindOwn(_qualifiers, q.Name) == null) result.Add(q);
                result.AddRange(_qualifiers);
                return result;
            }
        }

        /// <summary>Gets or sets a property value by name. Setting converts the value to the property's type.</summary>
        /// <exception cref="CimLiteException">NO_SUCH_PROPERTY for an unknown name; TYPE_MISMATCH when setting a value that does not fit.</exception>
        public object? this[string propertyName]
        {
            get => _values[IndexOf(propertyName)];
            set
            {
                int i;
                try
                {
                    i = IndexOf(propertyName);
                }
                catch (CimLiteException e) when (RequestContext.MarkEngineError(e))
                {
                    throw;
                }
                SetAt(i, value);
            }
        }

        /// <summary>Sets the property at <paramref name="index"/> in the class's order, converted to its type.</summary>
        internal void SetAt(int index, object? value)
        {
            try
            {
                var p = Class.Properties[index];
                _values[index] = CimValueConverter.Convert(value, p.TypeInfo, Class.ClassName, p.Name, ValueUnwrapper);
            }
            catch (CimLiteException e) when (RequestContext.MarkEngineError(e))
            {
                throw;
            }
        }

        /// <summary>True when the class has a property of that name.</summary>
        public bool HasProperty(string propertyName) => Class.FindProperty(propertyName) != null;

        internal int IndexOf(string propertyName)
        {
            // A hash lookup, not a scan: setting every one of n properties by name stays O(n) (it was O(n²)).
            int i = Class.PropertyIndex(propertyName);
            if (i >= 0) return i;
            throw new CimLiteException(CimStatus.NoSuchProperty, Messages.NoSuchProperty(Class.ClassName, propertyName), Class.ClassName, propertyName);
        }

        internal object?[] Values => _values;

        /// <summary>
        /// The value unwrapper of the session that made this instance (<see cref="CimLiteSession.ValueUnwrapper"/>),
        /// applied when a property is set; copies keep it.
        /// </summary>
        internal Func<object?, object?>? ValueUnwrapper { get; set; }

        /// <summary>
        /// The host's note on this object, for the PowerShell module (which sees internals): which session wrote it to a
        /// pipeline. Never stored, not copied by <see cref="Clone"/>. A field, not a weak table: one table entry per
        /// instance costs the module more than reading the instance does (docs/ARCHITECTURE.md, performance notes).
        /// </summary>
        internal object? HostNote { get; set; }

        internal bool IsOfClass(CimLiteClass cimClass) =>
            CimName.Comparer.Equals(Class.Namespace, cimClass.Namespace) && Class.IsA(cimClass.ClassName);

        /// <summary>The property values in class order.</summary>
        public IReadOnlyList<CimPropertyValue> Properties
        {
            get
            {
                var list = new List<CimPropertyValue>(_values.Length);
                for (int i = 0; i < _values.Length; i++) list.Add(new CimPropertyValue(Class.Properties[i], _values[i]));
                return list;
            }
        }

        /// <summary>Adds or replaces an instance qualifier.</summary>
        public void SetQualifier(CimQualifier qualifier)
        {
            if (qualifier == null) throw new ArgumentNullException(nameof(qualifier));
            var existing = CimLiteClass.FindOwn(Class.Qualifiers, qualifier.Name);
            if (existing != null && existing.DisablesOverride && !QualifierValuesEqual(existing.Value, qualifier.Value))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.QualifierOverrideDisabled(qualifier.Name, Class.ClassName), Class.ClassName);
            _qualifiers.RemoveAll(q => CimName.Comparer.Equals(q.Name, qualifier.Name));
            _qualifiers.Add(qualifier);
        }

        internal static bool QualifierValuesEqual(object? a, object? b)
        {
            if (a is Array aa && b is Array ba)
            {
                if (aa.Length != ba.Length) return false;
                for (int i = 0; i < aa.Length; i++) if (!Equals(aa.GetValue(i), ba.GetValue(i))) return false;
                return true;
            }
            return Equals(a, b);
        }

        /// <summary>The instance path from the current key values (relative to nothing: it carries the namespace).</summary>
        /// <exception cref="CimLiteException">ILLEGAL_NULL when a key is null; INVALID_OPERATION for an abstract class without keys.</exception>
        public InstancePath GetPath()
        {
            var keys = new KeyValuePair<string, object>[Class.KeyProperties.Count];
            for (int i = 0; i < keys.Length; i++)
            {
                var k = Class.KeyProperties[i];
                var v = _values[Class.KeyIndexes[i]];
                if (v == null)
                    throw new CimLiteException(CimStatus.IllegalNull, Messages.NullKey(Class.ClassName, k.Name), Class.ClassName, k.Name);
                keys[i] = new KeyValuePair<string, object>(k.Name, v);
            }
            return InstancePath.Of(CimName.NormalizeNamespace(Class.Namespace), Class.ClassName, keys);
        }

        /// <summary>The path, or null when a key is still null.</summary>
        public InstancePath? TryGetPath()
        {
            foreach (var at in Class.KeyIndexes)
                if (_values[at] == null) return null;
            return GetPath();
        }

        /// <summary>A deep copy: arrays are copied, qualifiers are shared (they are immutable).</summary>
        public CimLiteInstance Clone()
        {
            var values = new object?[_values.Length];
            for (int i = 0; i < values.Length; i++) values[i] = CloneValue(_values[i]);
            return new CimLiteInstance(Class, values, _qualifiers) { ValueUnwrapper = ValueUnwrapper };
        }

        internal static object? CloneValue(object? value) => value is Array a ? (Array)a.Clone() : value;

        /// <summary>The instance path, or the class name while keys are missing.</summary>
        public override string ToString() => TryGetPath()?.ToString() ?? Class.Namespace + ":" + Class.ClassName;
    }

    /// <summary>One property value of an instance, with its declaration.</summary>
    public sealed class CimPropertyValue
    {
        internal CimPropertyValue(CimPropertyDeclaration declaration, object? value)
        {
            Declaration = declaration;
            Value = CimLiteInstance.CloneValue(value);
        }

        /// <summary>The property's declaration in the class.</summary>
        public CimPropertyDeclaration Declaration { get; }

        /// <summary>The property name.</summary>
        public string Name => Declaration.Name;

        /// <summary>The value (a copy for arrays).</summary>
        public object? Value { get; }

        /// <summary>The type as text.</summary>
        public string CimType => Declaration.TypeName;

        /// <summary>True for key properties.</summary>
        public bool IsKey => Declaration.IsKey;

        /// <inheritdoc />
        public override string ToString() => Name + " = " + CimValueConverter.Describe(Value);
    }
}
