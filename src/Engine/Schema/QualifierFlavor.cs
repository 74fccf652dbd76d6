using System;

namespace CimLite
{
    /// <summary>How a qualifier propagates and whether it may be overridden (DSP0004 flavors).</summary>
    [Flags]
    public enum QualifierFlavor
    {
        /// <summary>No flavor.</summary>
        None = 0,
        /// <summary>The qualifier propagates to subclasses (the default unless Restricted).</summary>
        ToSubclass = 1,
        /// <summary>The qualifier propagates to instances.</summary>
        ToInstance = 2,
        /// <summary>Subclasses and instances may not give the qualifier a different value.</summary>
        DisableOverride = 4,
        /// <summary>The qualifier applies to the class that declares it only.</summary>
        Restricted = 8,
        /// <summary>Localizable text, stored apart from the basic definition.</summary>
        Amended = 16,
        /// <summary>The value may be translated.</summary>
        Translatable = 32,
    }

    /// <summary>A named qualifier with its value and flavors. Immutable.</summary>
    public sealed class CimQualifier
    {
        /// <summary>
        /// Creates a qualifier. When neither ToSubclass nor Restricted is given, the CIM defaults of
        /// <see cref="DefaultFlavorFor"/> apply (Abstract is Restricted; Key, Required and Indication are
        /// DisableOverride; all others ToSubclass).
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER for an invalid name or a value that is not a qualifier value.</exception>
        public CimQualifier(string name, object? value, QualifierFlavor flavor = QualifierFlavor.None)
        {
            if (!CimName.IsValid(name))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidQualifierName(name ?? ""));
            Name = name!;
            _value = CimValueConverter.NormalizeQualifierValue(name!, value);
            if ((flavor & (QualifierFlavor.ToSubclass | QualifierFlavor.Restricted)) == 0) flavor |= DefaultFlavorFor(name!);
            Flavor = NormalizeFlavor(flavor);
        }

        /// <summary>The qualifier's name.</summary>
        public string Name { get; }

        private readonly object? _value;

        /// <summary>
        /// The value: boolean, string, Int64, UInt64, Double, or an array of these; or null. An array value is a
        /// copy, so that a qualifier stays immutable (instances and posted snapshots share qualifiers).
        /// </summary>
        public object? Value => _value is System.Array a ? a.Clone() : _value;

        /// <summary>The flavors.</summary>
        public QualifierFlavor Flavor { get; }

        /// <summary>True when the qualifier carries the Amended flavor.</summary>
        public bool IsAmended => (Flavor & QualifierFlavor.Amended) != 0;

        /// <summary>True when the qualifier propagates to subclasses.</summary>
        public bool PropagatesToSubclass => (Flavor & QualifierFlavor.Restricted) == 0;

        /// <summary>True when the qualifier propagates to instances.</summary>
        public bool PropagatesToInstance => (Flavor & QualifierFlavor.ToInstance) != 0;

        /// <summary>True when overriding it in a subclass or instance is forbidden.</summary>
        public bool DisablesOverride => (Flavor & QualifierFlavor.DisableOverride) != 0;

        internal static QualifierFlavor NormalizeFlavor(QualifierFlavor flavor)
        {
            if ((flavor & QualifierFlavor.Restricted) != 0) return flavor & ~QualifierFlavor.ToSubclass;
            return flavor | QualifierFlavor.ToSubclass;
        }

        /// <summary>The default flavors CIM gives well-known qualifiers when none are stated.</summary>
        public static QualifierFlavor DefaultFlavorFor(string name)
        {
            if (CimName.Comparer.Equals(name, "Abstract")) return QualifierFlavor.Restricted;
            if (CimName.Comparer.Equals(name, "Key") || CimName.Comparer.Equals(name, "Required") ||
                CimName.Comparer.Equals(name, "Indication"))
                return QualifierFlavor.ToSubclass | QualifierFlavor.DisableOverride;
            return QualifierFlavor.ToSubclass;
        }

        /// <summary>True when the value counts as set for a boolean qualifier such as Key.</summary>
        internal bool IsTrue => Value is bool b ? b : Value != null;

        /// <inheritdoc />
        public override string ToString() => Name + "=" + Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
