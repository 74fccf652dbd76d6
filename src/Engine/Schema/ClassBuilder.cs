using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// Builds the effective view of a class from its own definition and its superclass, and checks the
    /// class rules: names, property overrides, qualifier overrides and where keys may be declared.
    /// </summary>
    internal static class ClassBuilder
    {
        public static CimLiteClass Build(long id, string ns, CimClassDefinition definition, CimLiteClass? superclass, bool validate)
        {
            var className = definition.ClassName;
            if (validate) ValidateNames(definition);

            // Class qualifiers: propagating ones from the superclass, overridden by own.
            var qualifiers = Merge(superclass?.Qualifiers, definition.Qualifiers, className, validate);

            var properties = new List<CimPropertyDeclaration>();
            var index = new Dictionary<string, int>(CimName.Comparer);
            if (superclass != null)
            {
                foreach (var inherited in superclass.Properties)
                {
                    index[inherited.Name] = properties.Count;
                    properties.Add(new CimPropertyDeclaration(inherited.Name, inherited.TypeInfo, inherited.DefaultValue,
                        Propagated(inherited.Qualifiers), inherited.ClassOrigin));
                }
            }

            var seen = new HashSet<string>(CimName.Comparer);
            foreach (var own in definition.Properties)
            {
                if (validate && !seen.Add(own.Name))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.DuplicateProperty(className, own.Name), className, own.Name);
                object? defaultValue = own.DefaultValue == null ? null
                    : CimValueConverter.Convert(own.DefaultValue, own.Type, className, own.Name);
                if (index.TryGetValue(own.Name, out var at))
                {
                    var inherited = superclass!.Properties[at];
                    // DSP0004: an override keeps the type, except that a reference may narrow its class.
                    bool narrowedReference = inherited.CimType == CimType.Reference && own.Type.Type == CimType.Reference &&
                        inherited.IsArray == own.Type.IsArray;
                    if (validate && !inherited.TypeInfo.Equals(own.Type) && !narrowedReference)
                        throw new CimLiteException(CimStatus.TypeMismatch,
                            Messages.PropertyOverrideTypeChange(className, own.Name, inherited.TypeName, own.Type.ToString()), className, own.Name);
                    var merged = Merge(inherited.Qualifiers, own.Qualifiers, className, validate, own.Name);
                    properties[at] = new CimPropertyDeclaration(inherited.Name, narrowedReference ? own.Type : inherited.TypeInfo,
                        defaultValue ?? inherited.DefaultValue, merged, inherited.ClassOrigin);
                }
                else
                {
                    index[own.Name] = properties.Count;
                    properties.Add(new CimPropertyDeclaration(own.Name, own.Type, defaultValue,
                        Merge(null, own.Qualifiers, className, validate), className));
                }
            }

            var result = new CimLiteClass(id, ns, definition, superclass, properties, qualifiers);
            if (validate) ValidateKeys(result, superclass);
            return result;
        }

        private static void ValidateNames(CimClassDefinition definition)
        {
            if (!CimName.IsValid(definition.ClassName))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidClassName(definition.ClassName ?? ""), definition.ClassName);
            if (CimName.IsSystemName(definition.ClassName))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.ReservedName(definition.ClassName), definition.ClassName);
            foreach (var p in definition.Properties)
            {
                if (!CimName.IsValid(p.Name))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidPropertyName(definition.ClassName, p.Name ?? ""), definition.ClassName, p.Name);
                if (CimName.IsSystemName(p.Name))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.ReservedName(p.Name), definition.ClassName, p.Name);
            }
        }

        private static void ValidateKeys(CimLiteClass cimClass, CimLiteClass? superclass)
        {
            var className = cimClass.ClassName;
            bool ancestorsHaveKeys = superclass != null && superclass.KeyProperties.Count > 0;
            foreach (var p in cimClass.Properties)
            {
                if (!p.IsKey) continue;
                if (!p.TypeInfo.CanBeKey)
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.KeyTypeNotAllowed(className, p.Name, p.TypeName), className, p.Name);
                var inheritedDecl = superclass?.FindProperty(p.Name);
                bool newKey = inheritedDecl == null || !inheritedDecl.IsKey;
                if (!newKey) continue;
                if (ancestorsHaveKeys)
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.KeyAddedUnderKeyedAncestor(className, p.Name, superclass!.KeyRootClass), className, p.Name);
                for (var a = superclass; a != null; a = a.SuperclassDefinition)
                    if (!a.IsAbstract)
                        throw new CimLiteException(CimStatus.InvalidParameter, Messages.KeyAddedUnderConcreteAncestor(className, p.Name, a.ClassName), className, p.Name);
            }
        }

        private static IReadOnlyList<CimQualifier> Propagated(IEnumerable<CimQualifier> qualifiers)
        {
            var list = new List<CimQualifier>();
            foreach (var q in qualifiers) if (q.PropagatesToSubclass) list.Add(q);
            return list;
        }

        private static IReadOnlyList<CimQualifier> Merge(IEnumerable<CimQualifier>? inherited, IEnumerable<CimQualifier> own, string className, bool validate, string? propertyName = null)
        {
            var result = new List<CimQualifier>();
            if (inherited != null)
                foreach (var q in inherited) if (q.PropagatesToSubclass) result.Add(q);
            foreach (var q in own)
            {
                int at = result.FindIndex(r => CimName.Comparer.Equals(r.Name, q.Name));
                if (at >= 0)
                {
                    if (validate && result[at].DisablesOverride && !CimLiteInstance.QualifierValuesEqual(result[at].Value, q.Value))
                        throw new CimLiteException(CimStatus.InvalidParameter, Messages.QualifierOverrideDisabled(q.Name, className), className, propertyName);
                    result[at] = q;
                }
                else result.Add(q);
            }
            return result;
        }

        /// <summary>The class as seen without its Amended qualifiers (WMI without WBEM_FLAG_USE_AMENDED_QUALIFIERS).</summary>
        public static CimLiteClass WithoutAmended(CimLiteClass cimClass)
        {
            var superclass = cimClass.SuperclassDefinition == null ? null : WithoutAmended(cimClass.SuperclassDefinition);
            var source = cimClass.Definition;
            var definition = new CimClassDefinition(source.ClassName) { Superclass = source.Superclass };
            foreach (var q in source.Qualifiers) if (!q.IsAmended) definition.Qualifiers.Add(q);
            foreach (var p in source.Properties)
            {
                var copy = new CimPropertyDefinition(p.Name, p.Type) { DefaultValue = p.DefaultValue, ArraySize = p.ArraySize };
                foreach (var q in p.Qualifiers) if (!q.IsAmended) copy.Qualifiers.Add(q);
                definition.Properties.Add(copy);
            }
            foreach (var m in source.Methods)
            {
                var copy = new CimMethodDefinition(m.Name, m.ReturnType);
                foreach (var q in m.Qualifiers) if (!q.IsAmended) copy.Qualifiers.Add(q);
                foreach (var p in m.Parameters)
                {
                    var pc = new CimParameterDefinition(p.Name, p.Type) { ArraySize = p.ArraySize };
                    foreach (var q in p.Qualifiers) if (!q.IsAmended) pc.Qualifiers.Add(q);
                    copy.Parameters.Add(pc);
                }
                definition.Methods.Add(copy);
            }
            return Build(cimClass.Id, cimClass.Namespace, definition, superclass, validate: false);
        }
    }
}
