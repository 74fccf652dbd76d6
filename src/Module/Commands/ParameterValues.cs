using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Reads the hashtable shapes of DESIGN §4 (qualifiers, property declarations, values) into engine types.</summary>
    internal static class ParameterValues
    {
        private static bool Has(List<CimQualifier> qualifiers, string name) =>
            qualifiers.Exists(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// How many levels of nested arrays are unwrapped. A CIM value is at most one array deep; deeper ones are left
        /// as they are (and refused by the engine as a type mismatch) instead of recursing 100,000 levels into a stack overflow.
        /// </summary>
        internal const int MaxUnwrapDepth = 32;

        /// <summary>Strips PowerShell wrappers, deeply for arrays, so the engine sees plain .NET values.</summary>
        public static object? Unwrap(object? value) => Unwrap(value, 0);

        private static readonly Func<object?, object?> s_unwrapper = Unwrap;

        /// <summary>
        /// True for <see cref="Unwrap(object)"/> as a session's value unwrapper (every session the module opens): such a
        /// session unwraps each value it is given exactly as <see cref="UnwrapValues"/> would.
        /// </summary>
        public static bool IsModuleUnwrapper(Func<object?, object?>? unwrapper) => unwrapper != null && unwrapper.Equals(s_unwrapper);

        private static object? Unwrap(object? value, int depth)
        {
            if (value is PSObject pso)
            {
                var baseObject = pso.BaseObject;
                if (baseObject is PSCustomObject) return pso;
                value = baseObject;
            }
            if (value is string || value == null) return value;
            if (value is IDictionary) return value;
            if (value is IEnumerable items && !(value is CimLiteInstance))
            {
                var list = new List<object?>();
                foreach (var item in items) list.Add(depth < MaxUnwrapDepth ? Unwrap(item, depth + 1) : item);
                return list.ToArray();
            }
            return value;
        }

        /// <summary>
        /// True when <see cref="UnwrapValues"/> would change nothing that matters: every key is a string and no value is
        /// wrapped or a collection (Unwrap leaves the rest as they are). Then the dictionary itself can be read instead
        /// of a copy (set in order, a repeated name ends with its last value either way).
        /// </summary>
        public static bool HasOnlyPlainValues(IDictionary source)
        {
            // The dictionary's own enumerator: a DictionaryEntry per entry is not boxed (a piped hashtable per instance).
            var entries = source.GetEnumerator();
            while (entries.MoveNext())
            {
                if (!(entries.Key is string)) return false;
                var value = entries.Value;
                if (value == null || value is string) continue;
                var type = value.GetType();
                if (type.IsPrimitive || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(decimal)) continue;
                if (value is PSObject || (value is IEnumerable && !(value is string) && !(value is IDictionary))) return false;
            }
            return true;
        }

        /// <summary>Entries of a hashtable with unwrapped values, in the dictionary's order.</summary>
        public static IDictionary UnwrapValues(IDictionary source)
        {
            var result = new OrderedDictionary(source.Count, StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry e in source)
                result[Unwrap(e.Key)?.ToString() ?? ""] = Unwrap(e.Value);
            return result;
        }

        public static List<CimQualifier> Qualifiers(IDictionary? source)
        {
            var result = new List<CimQualifier>();
            if (source == null) return result;
            foreach (DictionaryEntry e in source)
            {
                var name = Unwrap(e.Key)?.ToString() ?? "";
                var value = Unwrap(e.Value);
                if (value is IDictionary spec)
                {
                    object? qualifierValue = null;
                    QualifierFlavor flavor = QualifierFlavor.None;
                    bool flavorGiven = false;
                    foreach (DictionaryEntry s in spec)
                    {
                        var key = s.Key?.ToString() ?? "";
                        if (string.Equals(key, "Value", StringComparison.OrdinalIgnoreCase)) qualifierValue = Unwrap(s.Value);
                        else if (string.Equals(key, "Flavor", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "Flavors", StringComparison.OrdinalIgnoreCase))
                        {
                            flavorGiven = true;
                            flavor = ParseFlavors(name, Unwrap(s.Value));
                        }
                        else throw new CimLiteException(CimStatus.InvalidParameter, Strings.UnknownQualifierSpecKey(name, key));
                    }
                    result.Add(new CimQualifier(name, qualifierValue, flavorGiven ? flavor : CimQualifier.DefaultFlavorFor(name)));
                }
                else
                {
                    result.Add(new CimQualifier(name, value, CimQualifier.DefaultFlavorFor(name)));
                }
            }
            return result;
        }

        private static QualifierFlavor ParseFlavors(string qualifier, object? value)
        {
            var flavor = QualifierFlavor.None;
            IEnumerable items = value is string || value == null ? new[] { value } : value as IEnumerable ?? new[] { value };
            foreach (var item in items)
            {
                var text = item?.ToString() ?? "";
                foreach (var part in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var t = part.Trim();
                    if (string.Equals(t, "EnableOverride", StringComparison.OrdinalIgnoreCase)) continue;
                    if (!Enum.TryParse<QualifierFlavor>(t, true, out var f) || f == QualifierFlavor.None || !Enum.IsDefined(typeof(QualifierFlavor), f))
                        throw new CimLiteException(CimStatus.InvalidParameter, Strings.UnknownFlavor(qualifier, t));
                    flavor |= f;
                }
            }
            return flavor;
        }

        /// <summary>
        /// Builds a class definition from -Property: each value is a type name (<c>'uint64'</c>) or a hashtable
        /// with Type, Default, Key, Required and Qualifier. Property order: the dictionary's order when it is
        /// ordered; otherwise keys first (in -Key order), then the rest by name, so that paths are stable.
        /// </summary>
        public static CimClassDefinition ClassDefinition(string className, string? superclass, IDictionary? properties, string[]? keys, IDictionary? qualifiers, bool isAbstract, bool isIndication)
        {
            var definition = new CimClassDefinition(className) { Superclass = superclass };
            var keySet = new HashSet<string>(keys ?? new string[0], StringComparer.OrdinalIgnoreCase);
            var specs = new List<CimPropertyDefinition>();
            if (properties != null)
            {
                foreach (DictionaryEntry e in properties)
                {
                    var name = Unwrap(e.Key)?.ToString() ?? "";
                    var spec = Unwrap(e.Value);
                    CimPropertyDefinition property;
                    if (spec is string typeName)
                    {
                        property = new CimPropertyDefinition(name, CimTypeInfo.Parse(typeName));
                    }
                    else if (spec is IDictionary settings)
                    {
                        string? type = null;
                        object? defaultValue = null;
                        bool key = false, required = false;
                        IDictionary? propertyQualifiers = null;
                        foreach (DictionaryEntry s in settings)
                        {
                            var k = s.Key?.ToString() ?? "";
                            var v = Unwrap(s.Value);
                            if (string.Equals(k, "Type", StringComparison.OrdinalIgnoreCase) || string.Equals(k, "CimType", StringComparison.OrdinalIgnoreCase)) type = v?.ToString();
                            else if (string.Equals(k, "Default", StringComparison.OrdinalIgnoreCase) || string.Equals(k, "DefaultValue", StringComparison.OrdinalIgnoreCase)) defaultValue = v;
                            else if (string.Equals(k, "Key", StringComparison.OrdinalIgnoreCase)) key = LanguagePrimitives.IsTrue(v);
                            else if (string.Equals(k, "Required", StringComparison.OrdinalIgnoreCase)) required = LanguagePrimitives.IsTrue(v);
                            else if (string.Equals(k, "Qualifier", StringComparison.OrdinalIgnoreCase) || string.Equals(k, "Qualifiers", StringComparison.OrdinalIgnoreCase)) propertyQualifiers = v as IDictionary;
                            else throw new CimLiteException(CimStatus.InvalidParameter, Strings.UnknownPropertySpecKey(name, k));
                        }
                        if (type == null) throw new CimLiteException(CimStatus.InvalidParameter, Strings.PropertySpecNeedsType(name));
                        property = new CimPropertyDefinition(name, CimTypeInfo.Parse(type)) { DefaultValue = defaultValue };
                        property.Qualifiers.AddRange(Qualifiers(propertyQualifiers));
                        if (key) keySet.Add(name);
                        if (required && !Has(property.Qualifiers, "Required"))
                            property.Qualifiers.Add(new CimQualifier("Required", true, CimQualifier.DefaultFlavorFor("Required")));
                    }
                    else
                    {
                        throw new CimLiteException(CimStatus.InvalidParameter, Strings.PropertySpecNeedsType(name));
                    }
                    specs.Add(property);
                }
            }
            foreach (var k in keySet)
            {
                var p = specs.Find(s => string.Equals(s.Name, k, StringComparison.OrdinalIgnoreCase));
                if (p == null) throw new CimLiteException(CimStatus.InvalidParameter, Strings.KeyNotDeclared(k));
                if (!Has(p.Qualifiers, "Key"))
                    p.Qualifiers.Add(new CimQualifier("Key", true, CimQualifier.DefaultFlavorFor("Key")));
            }
            if (!(properties is OrderedDictionary))
            {
                var keyOrder = new List<string>(keys ?? new string[0]);
                specs.Sort((a, b) =>
                {
                    int ka = keyOrder.FindIndex(x => string.Equals(x, a.Name, StringComparison.OrdinalIgnoreCase));
                    int kb = keyOrder.FindIndex(x => string.Equals(x, b.Name, StringComparison.OrdinalIgnoreCase));
                    bool aKey = Has(a.Qualifiers, "Key"), bKey = Has(b.Qualifiers, "Key");
                    if (aKey != bKey) return aKey ? -1 : 1;
                    if (aKey && ka != kb) return (ka < 0 ? int.MaxValue : ka).CompareTo(kb < 0 ? int.MaxValue : kb);
                    return string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);
                });
            }
            definition.Properties.AddRange(specs);
            definition.Qualifiers.AddRange(Qualifiers(qualifiers));
            if (isAbstract && !Has(definition.Qualifiers, "Abstract"))
                definition.Qualifiers.Add(new CimQualifier("Abstract", true, CimQualifier.DefaultFlavorFor("Abstract")));
            if (isIndication && !Has(definition.Qualifiers, "Indication"))
                definition.Qualifiers.Add(new CimQualifier("Indication", true, CimQualifier.DefaultFlavorFor("Indication")));
            return definition;
        }
    
        private static bool Is(string key, params string[] names)
        {
            foreach (var n in names) if (string.Equals(key, n, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>
        /// Reads -Method of New-CimLiteClass: name = @{ ReturnType; Static; Parameters = [ordered]@{ A = 'sint32';
        /// B = @{ Type; In; Out; Required; Qualifier } }; Qualifier }, or name = 'uint32' (a return type, no parameters).
        /// A parameter given as a bare type is In.
        /// </summary>
        public static List<CimMethodDefinition> Methods(IDictionary? methods)
        {
            var result = new List<CimMethodDefinition>();
            if (methods == null) return result;
            foreach (DictionaryEntry e in methods)
            {
                var name = Unwrap(e.Key)?.ToString() ?? "";
                var spec = Unwrap(e.Value);
                if (spec is string returnTypeOnly)
                {
                    result.Add(new CimMethodDefinition(name, CimTypeInfo.Parse(returnTypeOnly)));
                    continue;
                }
                if (!(spec is IDictionary settings)) throw new CimLiteException(CimStatus.InvalidParameter, Strings.MethodSpecNeedsReturnType(name));
                string? returnType = null;
                bool isStatic = false;
                IDictionary? parameters = null, methodQualifiers = null;
                foreach (DictionaryEntry s in settings)
                {
                    var k = s.Key?.ToString() ?? "";
                    var v = Unwrap(s.Value);
                    if (Is(k, "ReturnType", "Type")) returnType = v?.ToString();
                    else if (Is(k, "Static")) isStatic = LanguagePrimitives.IsTrue(v);
                    else if (Is(k, "Parameters", "Parameter")) parameters = v as IDictionary ?? throw new CimLiteException(CimStatus.InvalidParameter, Strings.MethodParametersNotDictionary(name));
                    else if (Is(k, "Qualifier", "Qualifiers")) methodQualifiers = v as IDictionary;
                    else throw new CimLiteException(CimStatus.InvalidParameter, Strings.UnknownMethodSpecKey(name, k));
                }
                if (returnType == null) throw new CimLiteException(CimStatus.InvalidParameter, Strings.MethodSpecNeedsReturnType(name));
                var method = new CimMethodDefinition(name, CimTypeInfo.Parse(returnType));
                method.Qualifiers.AddRange(Qualifiers(methodQualifiers));
                if (isStatic && !Has(method.Qualifiers, "Static"))
                    method.Qualifiers.Add(new CimQualifier("Static", true, CimQualifier.DefaultFlavorFor("Static")));
                if (parameters != null)
                {
                    foreach (DictionaryEntry pe in parameters)
                    {
                        var pname = Unwrap(pe.Key)?.ToString() ?? "";
                        var pspec = Unwrap(pe.Value);
                        CimParameterDefinition parameter;
                        if (pspec is string typeName)
                        {
                            parameter = new CimParameterDefinition(pname, CimTypeInfo.Parse(typeName));
                            parameter.Qualifiers.Add(new CimQualifier("In", true, CimQualifier.DefaultFlavorFor("In")));
                        }
                        else if (pspec is IDictionary ps)
                        {
                            string? type = null;
                            bool? isIn = null;
                            bool isOut = false, required = false;
                            IDictionary? parameterQualifiers = null;
                            foreach (DictionaryEntry s in ps)
                            {
                                var k = s.Key?.ToString() ?? "";
                                var v = Unwrap(s.Value);
                                if (Is(k, "Type", "CimType")) type = v?.ToString();
                                else if (Is(k, "In")) isIn = LanguagePrimitives.IsTrue(v);
                                else if (Is(k, "Out")) isOut = LanguagePrimitives.IsTrue(v);
                                else if (Is(k, "Required")) required = LanguagePrimitives.IsTrue(v);
                                else if (Is(k, "Qualifier", "Qualifiers")) parameterQualifiers = v as IDictionary;
                                else throw new CimLiteException(CimStatus.InvalidParameter, Strings.UnknownParameterSpecKey(name, pname, k));
                            }
                            if (type == null) throw new CimLiteException(CimStatus.InvalidParameter, Strings.ParameterSpecNeedsType(name, pname));
                            parameter = new CimParameterDefinition(pname, CimTypeInfo.Parse(type));
                            parameter.Qualifiers.AddRange(Qualifiers(parameterQualifiers));
                            // In unless said otherwise or marked Out only.
                            bool inValue = isIn ?? !isOut;
                            if (!Has(parameter.Qualifiers, "In") && (inValue || isOut))
                                parameter.Qualifiers.Add(new CimQualifier("In", inValue, CimQualifier.DefaultFlavorFor("In")));
                            if (isOut && !Has(parameter.Qualifiers, "Out"))
                                parameter.Qualifiers.Add(new CimQualifier("Out", true, CimQualifier.DefaultFlavorFor("Out")));
                            if (required && !Has(parameter.Qualifiers, "Required"))
                                parameter.Qualifiers.Add(new CimQualifier("Required", true, CimQualifier.DefaultFlavorFor("Required")));
                        }
                        else throw new CimLiteException(CimStatus.InvalidParameter, Strings.ParameterSpecNeedsType(name, pname));
                        method.Parameters.Add(parameter);
                    }
                }
                result.Add(method);
            }
            return result;
        }
}
}
