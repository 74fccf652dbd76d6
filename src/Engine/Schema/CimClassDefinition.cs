using System.Collections.Generic;

namespace CimLite
{
    /// <summary>What a caller asks for when creating a class: its own properties and qualifiers only.</summary>
    public sealed class CimClassDefinition
    {
        /// <summary>Creates a definition for a class name.</summary>
        public CimClassDefinition(string className) { ClassName = className; }

        /// <summary>The class name.</summary>
        public string ClassName { get; set; }

        /// <summary>The superclass name, or null for a root class.</summary>
        public string? Superclass { get; set; }

        /// <summary>Properties declared or overridden by this class.</summary>
        public List<CimPropertyDefinition> Properties { get; } = new List<CimPropertyDefinition>();

        /// <summary>Class qualifiers (Abstract, Indication, Description, …).</summary>
        public List<CimQualifier> Qualifiers { get; } = new List<CimQualifier>();

        /// <summary>Methods declared or overridden by this class (stored for Invoke).</summary>
        public List<CimMethodDefinition> Methods { get; } = new List<CimMethodDefinition>();
    }

    /// <summary>A property as declared (or overridden) by one class.</summary>
    public sealed class CimPropertyDefinition
    {
        /// <summary>Creates a property definition.</summary>
        public CimPropertyDefinition(string name, CimTypeInfo type)
        {
            Name = name;
            Type = type;
        }

        /// <summary>The property name.</summary>
        public string Name { get; set; }

        /// <summary>The property type.</summary>
        public CimTypeInfo Type { get; set; }

        /// <summary>The size of a fixed-size array property (MOF <c>uint8 Data[16]</c>), or null.</summary>
        public int? ArraySize { get; set; }

        /// <summary>The default value given to new instances, or null.</summary>
        public object? DefaultValue { get; set; }

        /// <summary>Property qualifiers (Key, Required, Description, …).</summary>
        public List<CimQualifier> Qualifiers { get; } = new List<CimQualifier>();
    }
}
