using System;

namespace CimLite
{
    /// <summary>The scalar CIM types. Arrays are expressed by <see cref="CimTypeInfo.IsArray"/>.</summary>
    public enum CimType
    {
        /// <summary>boolean</summary>
        Boolean,
        /// <summary>string</summary>
        String,
        /// <summary>char16</summary>
        Char16,
        /// <summary>uint8</summary>
        UInt8,
        /// <summary>sint8</summary>
        SInt8,
        /// <summary>uint16</summary>
        UInt16,
        /// <summary>sint16</summary>
        SInt16,
        /// <summary>uint32</summary>
        UInt32,
        /// <summary>sint32</summary>
        SInt32,
        /// <summary>uint64</summary>
        UInt64,
        /// <summary>sint64</summary>
        SInt64,
        /// <summary>real32</summary>
        Real32,
        /// <summary>real64</summary>
        Real64,
        /// <summary>datetime: a CIM timestamp or interval.</summary>
        DateTime,
        /// <summary>A reference to an instance of a class (the value is an instance path).</summary>
        Reference,
    }

    /// <summary>A property type: a scalar CIM type, whether it is an array, and the referenced class for references.</summary>
    public sealed class CimTypeInfo : IEquatable<CimTypeInfo>
    {
        /// <summary>Creates a type description.</summary>
        public CimTypeInfo(CimType type, bool isArray = false, string? referenceClass = null)
        {
            Type = type;
            IsArray = isArray;
            ReferenceClass = type == CimType.Reference ? referenceClass : null;
        }

        /// <summary>The scalar type (of the elements, for arrays).</summary>
        public CimType Type { get; }

        /// <summary>True for array types.</summary>
        public bool IsArray { get; }

        /// <summary>The class a reference points to, or null when any class will do.</summary>
        public string? ReferenceClass { get; }

        /// <summary>The MOF-style name of the scalar type, e.g. <c>uint64</c>.</summary>
        public static string GetName(CimType type)
        {
            switch (type)
            {
                case CimType.Boolean: return "boolean";
                case CimType.String: return "string";
                case CimType.Char16: return "char16";
                case CimType.UInt8: return "uint8";
                case CimType.SInt8: return "sint8";
                case CimType.UInt16: return "uint16";
                case CimType.SInt16: return "sint16";
                case CimType.UInt32: return "uint32";
                case CimType.SInt32: return "sint32";
                case CimType.UInt64: return "uint64";
                case CimType.SInt64: return "sint64";
                case CimType.Real32: return "real32";
                case CimType.Real64: return "real64";
                case CimType.DateTime: return "datetime";
                case CimType.Reference: return "ref";
                default: throw new ArgumentOutOfRangeException(nameof(type));
            }
        }

        /// <summary>
        /// Parses a type name as written in <c>New-CimLiteClass -Property</c>: <c>uint64</c>, <c>string[]</c>,
        /// <c>ref:Disk</c>, <c>ref:Disk[]</c>, <c>ref</c>. Names are case-insensitive.
        /// </summary>
        /// <exception cref="CimLiteException">TYPE_MISMATCH when the text names no CIM type.</exception>
        public static CimTypeInfo Parse(string text)
        {
            if (!TryParse(text, out var info))
                throw new CimLiteException(CimStatus.TypeMismatch, Messages.UnknownCimType(text));
            return info!;
        }

        /// <summary>Parses a type name; false when the text names no CIM type.</summary>
        public static bool TryParse(string? text, out CimTypeInfo? info)
        {
            info = null;
            if (text == null) return false;
            var t = text.Trim();
            bool isArray = false;
            if (t.EndsWith("[]", StringComparison.Ordinal))
            {
                isArray = true;
                t = t.Substring(0, t.Length - 2).TrimEnd();
            }
            if (t.StartsWith("ref", StringComparison.OrdinalIgnoreCase) && (t.Length == 3 || t[3] == ':' || t[3] == ' '))
            {
                string? target = t.Length > 4 ? t.Substring(4).Trim() : null;
                if (target != null && !CimName.IsValid(target)) return false;
                info = new CimTypeInfo(CimType.Reference, isArray, string.IsNullOrEmpty(target) ? null : target);
                return true;
            }
            foreach (CimType candidate in Enum.GetValues(typeof(CimType)))
            {
                if (candidate == CimType.Reference) continue;
                if (string.Equals(GetName(candidate), t, StringComparison.OrdinalIgnoreCase))
                {
                    info = new CimTypeInfo(candidate, isArray);
                    return true;
                }
            }
            return false;
        }

        /// <summary>The type as <see cref="Parse"/> reads it, e.g. <c>string[]</c> or <c>ref:Disk</c>.</summary>
        public override string ToString()
        {
            var name = Type == CimType.Reference ? (ReferenceClass == null ? "ref" : "ref:" + ReferenceClass) : GetName(Type);
            return IsArray ? name + "[]" : name;
        }

        /// <inheritdoc />
        public bool Equals(CimTypeInfo? other) =>
            other != null && other.Type == Type && other.IsArray == IsArray &&
            string.Equals(other.ReferenceClass, ReferenceClass, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as CimTypeInfo);

        /// <inheritdoc />
        public override int GetHashCode() => ((int)Type * 2) + (IsArray ? 1 : 0);

        internal bool CanBeKey => !IsArray && Type != CimType.Real32 && Type != CimType.Real64;
    }
}
