using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace CimLite.Adapters
{
    /// <summary>
    /// Shows a <see cref="CimLiteInstance"/> to PowerShell the way CimCmdlets shows a CimInstance: each CIM
    /// property as a PowerShell property (settable: it changes the local copy only), the WMI system
    /// properties, <c>Qualifiers</c>, and type names per class and superclass for format views.
    /// </summary>
    public sealed class CimLiteInstanceAdapter : PSPropertyAdapter
    {
        private const string QualifiersProperty = "Qualifiers";

        private static readonly string[] s_systemProperties =
        {
            "__GENUS", "__CLASS", "__SUPERCLASS", "__DYNASTY", "__RELPATH", "__PROPERTY_COUNT",
            "__DERIVATION", "__SERVER", "__NAMESPACE", "__PATH",
        };

        /// <inheritdoc />
        public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
        {
            var instance = (CimLiteInstance)baseObject;
            var result = new Collection<PSAdaptedProperty>();
            foreach (var p in instance.Class.Properties) result.Add(new PSAdaptedProperty(p.Name, p));
            foreach (var name in s_systemProperties) result.Add(new PSAdaptedProperty(name, null));
            if (instance.Class.FindProperty(QualifiersProperty) == null) result.Add(new PSAdaptedProperty(QualifiersProperty, null));
            return result;
        }

        /// <inheritdoc />
        public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
        {
            var instance = (CimLiteInstance)baseObject;
            var declaration = instance.Class.FindProperty(propertyName);
            if (declaration != null) return new PSAdaptedProperty(declaration.Name, declaration);
            foreach (var name in s_systemProperties)
                if (string.Equals(name, propertyName, StringComparison.OrdinalIgnoreCase)) return new PSAdaptedProperty(name, null);
            if (string.Equals(propertyName, QualifiersProperty, StringComparison.OrdinalIgnoreCase)) return new PSAdaptedProperty(QualifiersProperty, null);
            return null;
        }

        /// <inheritdoc />
        public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

        /// <inheritdoc />
        public override bool IsSettable(PSAdaptedProperty adaptedProperty) => adaptedProperty.Tag is CimPropertyDeclaration;

        /// <inheritdoc />
        public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty)
        {
            var instance = (CimLiteInstance)adaptedProperty.BaseObject;
            if (adaptedProperty.Tag is CimPropertyDeclaration declaration)
                return declaration.CimType == CimType.DateTime ? AsClrDateTime(instance[declaration.Name]) : instance[declaration.Name];
            var cimClass = instance.Class;
            switch (adaptedProperty.Name)
            {
                case "__GENUS": return 2;
                case "__CLASS": return cimClass.ClassName;
                case "__SUPERCLASS": return cimClass.Superclass;
                case "__DYNASTY": return cimClass.Dynasty;
                case "__RELPATH": return instance.TryGetPath()?.RelativePath;
                case "__PROPERTY_COUNT": return cimClass.Properties.Count;
                case "__DERIVATION": return new List<string>(cimClass.Derivation).ToArray();
                case "__SERVER": return Environment.MachineName;
                case "__NAMESPACE": return cimClass.Namespace;
                case "__PATH": return instance.TryGetPath()?.ToString();
                case QualifiersProperty: return new List<CimQualifier>(instance.Qualifiers).ToArray();
                default: return null;
            }
        }

        /// <summary>
        /// A datetime value as CimCmdlets gives it: a timestamp as a <see cref="DateTime"/> of kind Local (the same
        /// instant, in this computer's time zone; the offset it was stored with stays in the repository, and the stored
        /// <see cref="DateTimeOffset"/> is <c>$i.PSObject.BaseObject['Name']</c>), an interval as a <see cref="TimeSpan"/>;
        /// arrays element by element.
        /// </summary>
        internal static object? AsClrDateTime(object? value)
        {
            switch (value)
            {
                case DateTimeOffset stamp: return stamp.LocalDateTime;
                case DateTimeOffset[] stamps:
                    {
                        var result = new DateTime[stamps.Length];
                        for (int i = 0; i < stamps.Length; i++) result[i] = stamps[i].LocalDateTime;
                        return result;
                    }
                case object[] mixed:
                    {
                        var result = new object[mixed.Length];
                        for (int i = 0; i < mixed.Length; i++) result[i] = mixed[i] is DateTimeOffset d ? d.LocalDateTime : mixed[i];
                        return result;
                    }
                default: return value; // null, TimeSpan, TimeSpan[]
            }
        }

        /// <inheritdoc />
        public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value)
        {
            var instance = (CimLiteInstance)adaptedProperty.BaseObject;
            if (!(adaptedProperty.Tag is CimPropertyDeclaration declaration))
                throw new SetValueException(Commands.Strings.ReadOnlyProperty(adaptedProperty.Name));
            instance[declaration.Name] = Commands.ParameterValues.Unwrap(value);
        }

        /// <inheritdoc />
        public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty)
        {
            if (adaptedProperty.Tag is CimPropertyDeclaration declaration) return "CimLite." + declaration.TypeName;
            switch (adaptedProperty.Name)
            {
                case "__GENUS": case "__PROPERTY_COUNT": return typeof(int).FullName!;
                case "__DERIVATION": return typeof(string[]).FullName!;
                case QualifiersProperty: return typeof(CimQualifier[]).FullName!;
                default: return typeof(string).FullName!;
            }
        }

        /// <inheritdoc />
        public override Collection<string> GetTypeNameHierarchy(object baseObject) =>
            new Collection<string>(new List<string>(s_typeNames.GetValue(((CimLiteInstance)baseObject).Class, s_makeTypeNames)));

        // The type names of a class's instances, made once per class definition (CimLiteClass is immutable).
        private static readonly ConditionalWeakTable<CimLiteClass, string[]> s_typeNames = new ConditionalWeakTable<CimLiteClass, string[]>();
        private static readonly ConditionalWeakTable<CimLiteClass, string[]>.CreateValueCallback s_makeTypeNames = TypeNames;

        /// <summary>The type names of a class's instances, most specific first (shared: do not change).</summary>
        internal static string[] TypeNamesOf(CimLiteClass cimClass) => s_typeNames.GetValue(cimClass, s_makeTypeNames);

        private static string[] TypeNames(CimLiteClass cimClass)
        {
            var names = new List<string>();
            var prefix = typeof(CimLiteInstance).FullName + "#";
            names.Add(prefix + cimClass.Namespace + "/" + cimClass.ClassName);
            names.Add(prefix + cimClass.ClassName);
            foreach (var ancestor in cimClass.Derivation)
            {
                names.Add(prefix + cimClass.Namespace + "/" + ancestor);
                names.Add(prefix + ancestor);
            }
            names.Add(typeof(CimLiteInstance).FullName!);
            names.Add(typeof(object).FullName!);
            return names.ToArray();
        }
    }
}
