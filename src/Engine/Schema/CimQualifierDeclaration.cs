using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>Where a qualifier may be used (DSP0004 qualifier scopes).</summary>
    [Flags]
    public enum CimQualifierScope
    {
        /// <summary>No scope.</summary>
        None = 0,
        /// <summary>Classes.</summary>
        Class = 1,
        /// <summary>Association classes.</summary>
        Association = 2,
        /// <summary>Indication classes.</summary>
        Indication = 4,
        /// <summary>Properties.</summary>
        Property = 8,
        /// <summary>Reference properties.</summary>
        Reference = 16,
        /// <summary>Methods.</summary>
        Method = 32,
        /// <summary>Method parameters.</summary>
        Parameter = 64,
        /// <summary>Qualifier declarations.</summary>
        Qualifier = 128,
        /// <summary>Anywhere.</summary>
        Any = Class | Association | Indication | Property | Reference | Method | Parameter | Qualifier,
    }

    /// <summary>
    /// A qualifier type declared in a namespace (MOF <c>Qualifier Name : type = default, Scope(...), Flavor(...)</c>):
    /// its type, default value, scopes and default flavors.
    /// </summary>
    public sealed class CimQualifierDeclaration
    {
        /// <summary>Creates a declaration.</summary>
        public CimQualifierDeclaration(string name, CimTypeInfo type, object? defaultValue, CimQualifierScope scope, QualifierFlavor flavor)
        {
            if (!CimName.IsValid(name))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidQualifierName(name ?? ""));
            Name = name!;
            Type = type;
            DefaultValue = defaultValue;
            Scope = scope;
            Flavor = CimQualifier.NormalizeFlavor(flavor);
        }

        /// <summary>The qualifier name.</summary>
        public string Name { get; }

        /// <summary>The value type (never a reference).</summary>
        public CimTypeInfo Type { get; }

        /// <summary>The fixed array size, or null.</summary>
        public int? ArraySize { get; set; }

        /// <summary>The default value (boolean, string, Int64, UInt64, Double or an array of these), or null.</summary>
        public object? DefaultValue { get; }

        /// <summary>Where the qualifier may be used.</summary>
        public CimQualifierScope Scope { get; }

        /// <summary>The flavors a use of the qualifier gets unless it states its own.</summary>
        public QualifierFlavor Flavor { get; }

        /// <summary>The scope names as MOF writes them.</summary>
        public static IEnumerable<string> ScopeNames(CimQualifierScope scope)
        {
            if (scope == CimQualifierScope.Any) { yield return "any"; yield break; }
            foreach (CimQualifierScope s in new[] { CimQualifierScope.Class, CimQualifierScope.Association, CimQualifierScope.Indication,
                CimQualifierScope.Qualifier, CimQualifierScope.Property, CimQualifierScope.Reference, CimQualifierScope.Method, CimQualifierScope.Parameter })
                if ((scope & s) != 0) yield return s.ToString().ToLowerInvariant();
        }

        /// <summary>Parses one MOF scope name (case-insensitive); false when unknown.</summary>
        public static bool TryParseScope(string text, out CimQualifierScope scope)
        {
            if (string.Equals(text, "any", StringComparison.OrdinalIgnoreCase)) { scope = CimQualifierScope.Any; return true; }
            return Enum.TryParse(text, true, out scope) && scope != CimQualifierScope.None && scope != CimQualifierScope.Any
                && Enum.IsDefined(typeof(CimQualifierScope), scope);
        }

        /// <inheritdoc />
        public override string ToString() => "Qualifier " + Name + " : " + Type;
    }
}
