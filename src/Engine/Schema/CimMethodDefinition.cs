using System.Collections.Generic;

namespace CimLite
{
    /// <summary>A method as declared (or overridden) by one class: return type, parameters and qualifiers. Stored for Invoke.</summary>
    public sealed class CimMethodDefinition
    {
        /// <summary>Creates a method definition.</summary>
        public CimMethodDefinition(string name, CimTypeInfo returnType)
        {
            Name = name;
            ReturnType = returnType;
        }

        /// <summary>The method name.</summary>
        public string Name { get; set; }

        /// <summary>The return type.</summary>
        public CimTypeInfo ReturnType { get; set; }

        /// <summary>Method qualifiers (Description, Static, ValueMap, …).</summary>
        public List<CimQualifier> Qualifiers { get; } = new List<CimQualifier>();

        /// <summary>The parameters in declared order.</summary>
        public List<CimParameterDefinition> Parameters { get; } = new List<CimParameterDefinition>();

        /// <summary>True for a static method (Static qualifier): called on the class, not on an instance.</summary>
        public bool IsStatic => CimParameterDefinition.HasTrue(Qualifiers, "Static");

        /// <summary>The class that declared the method first (set on the effective view of a class), or null.</summary>
        public string? ClassOrigin { get; internal set; }

        /// <summary>Finds a parameter by name (case-insensitive), or null.</summary>
        public CimParameterDefinition? FindParameter(string name)
        {
            foreach (var p in Parameters) if (CimName.Comparer.Equals(p.Name, name)) return p;
            return null;
        }

        /// <inheritdoc />
        public override string ToString() => ReturnType + " " + Name + "()";
    }

    /// <summary>A method parameter: name, type and qualifiers (In, Out, …).</summary>
    public sealed class CimParameterDefinition
    {
        /// <summary>Creates a parameter definition.</summary>
        public CimParameterDefinition(string name, CimTypeInfo type)
        {
            Name = name;
            Type = type;
        }

        /// <summary>The parameter name.</summary>
        public string Name { get; set; }

        /// <summary>The parameter type.</summary>
        public CimTypeInfo Type { get; set; }

        /// <summary>The size of a fixed-size array parameter, or null.</summary>
        public int? ArraySize { get; set; }

        /// <summary>Parameter qualifiers (In, Out, Description, …).</summary>
        public List<CimQualifier> Qualifiers { get; } = new List<CimQualifier>();

        /// <summary>The scalar CIM type (of the elements, for arrays).</summary>
        public CimType CimType => Type.Type;

        /// <summary>True for an array parameter.</summary>
        public bool IsArray => Type.IsArray;

        /// <summary>
        /// True for an input parameter: an In qualifier that is true, or neither In nor Out (DSP0004's default); a
        /// parameter marked only Out is output only, as WMI and MI treat it.
        /// </summary>
        public bool IsIn
        {
            get
            {
                var q = Find(Qualifiers, "In");
                return q != null ? q.IsTrue : !IsOut;
            }
        }

        /// <summary>True for an output parameter (Out qualifier).</summary>
        public bool IsOut => HasTrue(Qualifiers, "Out");

        /// <summary>True for a parameter the caller must give (Required qualifier).</summary>
        public bool IsRequired => HasTrue(Qualifiers, "Required");

        internal static CimQualifier? Find(List<CimQualifier> qualifiers, string name)
        {
            foreach (var q in qualifiers) if (CimName.Comparer.Equals(q.Name, name)) return q;
            return null;
        }

        internal static bool HasTrue(List<CimQualifier> qualifiers, string name) => Find(qualifiers, name)?.IsTrue == true;

        /// <inheritdoc />
        public override string ToString() => Type + " " + Name;
    }
}
