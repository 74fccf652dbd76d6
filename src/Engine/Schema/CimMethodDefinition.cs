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
    }
}
