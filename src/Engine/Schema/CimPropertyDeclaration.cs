using System.Collections.Generic;

namespace CimLite
{
    /// <summary>A property of a class as the class sees it: its own or inherited, with effective qualifiers.</summary>
    public sealed class CimPropertyDeclaration
    {
        internal CimPropertyDeclaration(string name, CimTypeInfo type, object? defaultValue, IReadOnlyList<CimQualifier> qualifiers, string classOrigin)
        {
            Name = name;
            TypeInfo = type;
            DefaultValue = defaultValue;
            Qualifiers = qualifiers;
            ClassOrigin = classOrigin;
            IsKey = Find("Key")?.IsTrue == true;
            IsRequired = Find("Required")?.IsTrue == true || Find("Not_Null")?.IsTrue == true;
        }

        /// <summary>The property name as declared.</summary>
        public string Name { get; }

        /// <summary>The full type description.</summary>
        public CimTypeInfo TypeInfo { get; }

        /// <summary>The scalar CIM type (element type for arrays).</summary>
        public CimType CimType => TypeInfo.Type;

        /// <summary>The type as text, e.g. <c>uint64</c>, <c>string[]</c>, <c>ref:Disk</c>.</summary>
        public string TypeName => TypeInfo.ToString();

        /// <summary>True for array properties.</summary>
        public bool IsArray => TypeInfo.IsArray;

        /// <summary>The referenced class for references.</summary>
        public string? ReferenceClass => TypeInfo.ReferenceClass;

        /// <summary>The default value for new instances (already converted to the property type), or null.</summary>
        public object? DefaultValue { get; }

        /// <summary>Effective qualifiers (own plus those propagated from the superclass's declaration).</summary>
        public IReadOnlyList<CimQualifier> Qualifiers { get; }

        /// <summary>The class that first declared the property.</summary>
        public string ClassOrigin { get; }

        /// <summary>True when the property carries the Key qualifier.</summary>
        public bool IsKey { get; }

        /// <summary>True when the property carries Required or Not_Null.</summary>
        public bool IsRequired { get; }

        /// <summary>Finds a qualifier by name, or null.</summary>
        public CimQualifier? Find(string qualifierName)
        {
            foreach (var q in Qualifiers)
                if (CimName.Comparer.Equals(q.Name, qualifierName)) return q;
            return null;
        }

        /// <inheritdoc />
        public override string ToString() => TypeName + " " + Name;
    }
}
