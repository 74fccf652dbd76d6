using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CimLite.Storage;

namespace CimLite.Mof
{
    /// <summary>
    /// Turns parsed MOF into engine definitions: qualifier declarations, class definitions (qualifiers typed by
    /// their declarations, scopes checked, flavors applied), and typed values. Every failure carries a position.
    /// </summary>
    internal sealed class MofCompiler
    {
        private readonly Dictionary<string, CimQualifierDeclaration> _declarations;
        private readonly string _ns;

        public MofCompiler(string ns, Dictionary<string, CimQualifierDeclaration> declarations)
        {
            _ns = ns;
            _declarations = declarations;
        }

        // ---- qualifier declarations ----

        public static CimQualifierDeclaration Declaration(MofQualifierDeclaration d)
        {
            var scope = CimQualifierScope.None;
            foreach (var (name, at) in d.Scopes)
            {
                if (!CimQualifierDeclaration.TryParseScope(name, out var s)) throw MofErrors.Syntax(at, Messages.Mof.UnknownScope(name));
                scope |= s;
            }
            var flavor = QualifierFlavor.ToSubclass;
            foreach (var (name, at) in d.Flavors) flavor = ApplyFlavor(flavor, name, at);
            object? value = d.Default == null ? null : QualifierValue(d.Name, d.Type, d.Default);
            try
            {
                return new CimQualifierDeclaration(d.Name, d.Type, value, scope, flavor) { ArraySize = d.ArraySize };
            }
            catch (CimLiteException e) { throw MofErrors.At(d.Position, e); }
        }

        private static QualifierFlavor ApplyFlavor(QualifierFlavor flavor, string name, MofPosition at)
        {
            switch (name.ToLowerInvariant())
            {
                case "tosubclass": return (flavor & ~QualifierFlavor.Restricted) | QualifierFlavor.ToSubclass;
                case "restricted": return (flavor & ~QualifierFlavor.ToSubclass) | QualifierFlavor.Restricted;
                case "enableoverride": return flavor & ~QualifierFlavor.DisableOverride;
                case "disableoverride": return flavor | QualifierFlavor.DisableOverride;
                case "toinstance": return flavor | QualifierFlavor.ToInstance;
                case "translatable": return flavor | QualifierFlavor.Translatable;
                case "amended": return flavor | QualifierFlavor.Amended;
                default: throw MofErrors.Syntax(at, Messages.Mof.UnknownFlavor(name));
            }
        }

        /// <summary>The stored form of a declaration: {"t":type,"z":size,"s":scope,"q":[the default as a qualifier with the flavors]}.</summary>
        public static string Encode(CimQualifierDeclaration d)
        {
            var sb = new StringBuilder();
            sb.Append("{\"t\":");
            Json.WriteString(sb, d.Type.ToString());
            if (d.ArraySize.HasValue) sb.Append(",\"z\":").Append(d.ArraySize.Value.ToString(CultureInfo.InvariantCulture));
            sb.Append(",\"s\":").Append(((int)d.Scope).ToString(CultureInfo.InvariantCulture));
            sb.Append(",\"q\":");
            ValueCodec.WriteQualifiers(sb, new[] { new CimQualifier(d.Name, d.DefaultValue, d.Flavor) });
            return sb.Append('}').ToString();
        }

        public static CimQualifierDeclaration Decode(string json)
        {
            var obj = (Dictionary<string, object?>)Json.Parse(json)!;
            var q = ValueCodec.ReadQualifiers(obj["q"])[0];
            var size = obj.TryGetValue("z", out var z) && z is Json.Number n ? int.Parse(n.Text, CultureInfo.InvariantCulture) : (int?)null;
            return new CimQualifierDeclaration(q.Name, CimTypeInfo.Parse((string)obj["t"]!), q.Value,
                (CimQualifierScope)int.Parse(((Json.Number)obj["s"]!).Text, CultureInfo.InvariantCulture), q.Flavor) { ArraySize = size };
        }

        // ---- qualifier values ----

        /// <summary>A qualifier value typed by its declared type (integers as Int64/UInt64, reals as Double, char16 as string).</summary>
        public static object? QualifierValue(string name, CimTypeInfo type, MofValue value)
        {
            if (value.Kind == MofValueKind.Null) return null;
            if (value.Kind == MofValueKind.Array)
            {
                if (!type.IsArray) throw TypeError(name, type, value);
                var items = new object?[value.Items.Count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = QualifierScalar(name, type, value.Items[i]);
                    if (items[i] == null) throw TypeError(name, type, value.Items[i]);
                }
                return items;
            }
            var scalar = QualifierScalar(name, type, value);
            return type.IsArray ? new[] { scalar } : scalar;
        }

        private static object? QualifierScalar(string name, CimTypeInfo type, MofValue value)
        {
            switch (value.Kind)
            {
                case MofValueKind.Null: return null;
                case MofValueKind.Boolean: if (type.Type == CimType.Boolean) return value.Value; break;
                case MofValueKind.String: if (type.Type == CimType.String || type.Type == CimType.DateTime) return value.Value; break;
                case MofValueKind.Char: if (type.Type == CimType.Char16 || type.Type == CimType.String) return value.Value!.ToString(); break;
                case MofValueKind.Real: if (type.Type == CimType.Real32 || type.Type == CimType.Real64) return value.Value; break;
                case MofValueKind.Integer:
                    switch (type.Type)
                    {
                        case CimType.Real32: case CimType.Real64: return Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                        case CimType.UInt8: case CimType.UInt16: case CimType.UInt32: case CimType.UInt64:
                            if (value.Value is long l && l < 0) break;
                            return value.Value;
                        case CimType.SInt8: case CimType.SInt16: case CimType.SInt32: case CimType.SInt64:
                            if (value.Value is ulong) break;
                            return value.Value;
                    }
                    break;
            }
            throw TypeError(name, type, value);
        }

        private static CimLiteException TypeError(string name, CimTypeInfo type, MofValue value) =>
            MofErrors.Semantic(value.Position, CimStatus.TypeMismatch, Messages.Mof.QualifierType(name, type.ToString(), Describe(value)));

        private static string Describe(MofValue v)
        {
            switch (v.Kind)
            {
                case MofValueKind.String: return "\"" + (string)v.Value! + "\"";
                case MofValueKind.Array: return Messages.Mof.AnArray;
                case MofValueKind.Alias: return "$" + v.Value;
                case MofValueKind.Null: return Messages.Mof.Null;
                case MofValueKind.Instance: return Messages.Mof.InstanceOf(((MofInstance)v.Value!).ClassName);
                default: return Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "";
            }
        }

        /// <summary>The qualifiers of one element; <paramref name="scope"/> None skips the scope check (instances).</summary>
        public List<CimQualifier> Qualifiers(List<MofQualifier> list, CimQualifierScope scope, string element)
        {
            var result = new List<CimQualifier>(list.Count);
            HashSet<string>? seen = list.Count > 1 ? new HashSet<string>(CimName.Comparer) : null;
            foreach (var q in list)
            {
                if (seen != null && !seen.Add(q.Name)) throw MofErrors.Syntax(q.Position, Messages.Mof.DuplicateQualifier(q.Name));
                object? value;
                QualifierFlavor flavor;
                if (_declarations.TryGetValue(q.Name, out var d))
                {
                    if (scope != CimQualifierScope.None && (d.Scope & scope) == 0)
                        throw MofErrors.Semantic(q.Position, CimStatus.InvalidParameter, Messages.Mof.QualifierScope(q.Name, element));
                    value = q.Value == null ? (d.Type.Type == CimType.Boolean && !d.Type.IsArray ? true : d.DefaultValue) : QualifierValue(d.Name, d.Type, q.Value);
                    flavor = d.Flavor;
                }
                else
                {
                    if (_declarations.Count > 0)
                        throw MofErrors.Semantic(q.Position, CimStatus.InvalidParameter, Messages.Mof.UndeclaredQualifier(q.Name, _ns));
                    value = q.Value == null ? true : Untyped(q.Value);
                    flavor = QualifierFlavor.None;
                }
                foreach (var f in q.Flavors) flavor = ApplyFlavor(flavor == QualifierFlavor.None ? CimQualifier.DefaultFlavorFor(q.Name) : flavor, f, q.Position);
                try { result.Add(new CimQualifier(q.Name, value, flavor)); }
                catch (CimLiteException e) { throw MofErrors.At(q.Position, e); }
            }
            return result;
        }

        /// <summary>A value with no declared type: integers, reals, strings, booleans, arrays of these.</summary>
        public static object? Untyped(MofValue v)
        {
            switch (v.Kind)
            {
                case MofValueKind.Array:
                    var items = new object?[v.Items.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = Untyped(v.Items[i]);
                    return items;
                case MofValueKind.Char: return v.Value!.ToString();
                case MofValueKind.Alias: throw MofErrors.Semantic(v.Position, CimStatus.TypeMismatch, Messages.Mof.UnknownAlias((string)v.Value!));
                default: return v.Value;
            }
        }

        // ---- classes ----

        public CimClassDefinition Class(MofClass c, Func<string, bool> classExists)
        {
            var definition = new CimClassDefinition(c.Name) { Superclass = c.Superclass };
            bool isAssociation = false, isIndication = false;
            foreach (var q in c.Qualifiers)
            {
                if (CimName.Comparer.Equals(q.Name, "Association")) isAssociation = q.Value == null || q.Value.Value is true;
                if (CimName.Comparer.Equals(q.Name, "Indication")) isIndication = q.Value == null || q.Value.Value is true;
            }
            var classScope = CimQualifierScope.Class | (isAssociation ? CimQualifierScope.Association : 0) | (isIndication ? CimQualifierScope.Indication : 0);
            definition.Qualifiers.AddRange(Qualifiers(c.Qualifiers, classScope, Messages.Mof.ClassElement(c.Name)));
            var names = new HashSet<string>(CimName.Comparer);
            foreach (var f in c.Features)
            {
                if (!names.Add(f.Name)) throw MofErrors.Semantic(f.Position, CimStatus.InvalidParameter, Messages.Mof.DuplicateProperty(c.Name, f.Name), c.Name, f.Name);
                if (f.Parameters != null)
                {
                    var method = new CimMethodDefinition(f.Name, f.Type);
                    CheckReference(f.Type, f.Position, Messages.Mof.MethodSubject(c.Name, f.Name), classExists);
                    method.Qualifiers.AddRange(Qualifiers(f.Qualifiers, CimQualifierScope.Method, Messages.Mof.MethodElement(c.Name, f.Name)));
                    var parameterNames = new HashSet<string>(CimName.Comparer);
                    foreach (var p in f.Parameters)
                    {
                        var element = Messages.Mof.ParameterElement(p.Name, c.Name, f.Name);
                        if (!parameterNames.Add(p.Name)) throw MofErrors.Semantic(p.Position, CimStatus.InvalidParameter, Messages.Mof.DuplicateProperty(c.Name + "." + f.Name, p.Name), c.Name);
                        CheckReference(p.Type, p.Position, Messages.Mof.ParameterSubject(p.Name, c.Name, f.Name), classExists);
                        var parameter = new CimParameterDefinition(p.Name, p.Type) { ArraySize = p.ArraySize };
                        parameter.Qualifiers.AddRange(Qualifiers(p.Qualifiers, CimQualifierScope.Parameter, element));
                        CheckEmbedded(parameter.Qualifiers, p.Type, p.Position, Messages.Mof.ParameterSubject(p.Name, c.Name, f.Name), classExists);
                        method.Parameters.Add(parameter);
                    }
                    definition.Methods.Add(method);
                    continue;
                }
                bool isRef = f.Type.Type == CimType.Reference;
                var what = Messages.Mof.PropertySubject(isRef, c.Name, f.Name);
                CheckReference(f.Type, f.Position, what, classExists);
                var property = new CimPropertyDefinition(f.Name, f.Type) { ArraySize = f.ArraySize };
                property.Qualifiers.AddRange(Qualifiers(f.Qualifiers, isRef ? CimQualifierScope.Reference : CimQualifierScope.Property,
                    Messages.Mof.PropertyElement(isRef, c.Name, f.Name)));
                CheckEmbedded(property.Qualifiers, f.Type, f.Position, what, classExists);
                if (f.Default != null)
                {
                    var embedded = f.Default.Kind == MofValueKind.Instance ? f.Default
                        : f.Default.Kind == MofValueKind.Array ? f.Default.Items.Find(i => i.Kind == MofValueKind.Instance) : null;
                    if (embedded != null)
                        throw MofErrors.Semantic(embedded.Position, CimStatus.NotSupported, Messages.Mof.EmbeddedDefault(what), c.Name, f.Name);
                    property.DefaultValue = Value(f.Default, f.Type, c.Name, f.Name);
                }
                definition.Properties.Add(property);
            }
            return definition;
        }

        private static void CheckReference(CimTypeInfo type, MofPosition at, string what, Func<string, bool> classExists)
        {
            if (type.Type == CimType.Reference && type.ReferenceClass != null && !classExists(type.ReferenceClass))
                throw MofErrors.Semantic(at, CimStatus.InvalidClass, Messages.Mof.ReferenceClassNotFound(what, type.ReferenceClass));
        }

        private static void CheckEmbedded(List<CimQualifier> qualifiers, CimTypeInfo type, MofPosition at, string what, Func<string, bool> classExists)
        {
            foreach (var q in qualifiers)
            {
                bool instance = CimName.Comparer.Equals(q.Name, "EmbeddedInstance");
                bool obj = CimName.Comparer.Equals(q.Name, "EmbeddedObject") && q.IsTrue;
                if (!instance && !obj) continue;
                if (type.Type != CimType.String) throw MofErrors.Semantic(at, CimStatus.TypeMismatch, Messages.Mof.EmbeddedNotString(what));
                if (instance && q.Value is string target && !classExists(target))
                    throw MofErrors.Semantic(at, CimStatus.InvalidClass, Messages.Mof.EmbeddedClassNotFound(what, target));
            }
        }

        /// <summary>A property value or default converted to the property's type (aliases are resolved by the caller).</summary>
        public static object? Value(MofValue v, CimTypeInfo type, string className, string property)
        {
            object? raw;
            if (v.Kind == MofValueKind.Array)
            {
                if (!type.IsArray) throw ValueError(v, type, className, property);
                var items = new List<object?>(v.Items.Count);
                foreach (var item in v.Items)
                {
                    if (item.Kind == MofValueKind.Null) throw ValueError(item, type, className, property);
                    items.Add(ScalarRaw(item, type, className, property));
                }
                raw = items.ToArray();
            }
            else if (v.Kind == MofValueKind.Null) return null;
            else
            {
                raw = ScalarRaw(v, type, className, property);
                if (type.IsArray) raw = new[] { raw };
            }
            try { return CimValueConverter.Convert(raw, type, className, property); }
            catch (CimLiteException e) { throw MofErrors.At(v.Position, e); }
        }

        private static object? ScalarRaw(MofValue v, CimTypeInfo type, string className, string property)
        {
            switch (v.Kind)
            {
                case MofValueKind.Boolean: if (type.Type == CimType.Boolean) return v.Value; break;
                case MofValueKind.String: if (type.Type == CimType.String || type.Type == CimType.DateTime || type.Type == CimType.Reference || type.Type == CimType.Char16) return v.Value; break;
                case MofValueKind.Char: if (type.Type == CimType.Char16 || type.Type == CimType.String) return type.Type == CimType.String ? v.Value!.ToString() : v.Value; break;
                case MofValueKind.Integer: if (type.Type != CimType.Boolean && type.Type != CimType.String && type.Type != CimType.DateTime && type.Type != CimType.Reference && type.Type != CimType.Char16) return v.Value; break;
                case MofValueKind.Real: if (type.Type == CimType.Real32 || type.Type == CimType.Real64) return v.Value; break;
                case MofValueKind.Alias: throw MofErrors.Semantic(v.Position, CimStatus.TypeMismatch, Messages.Mof.AliasNotReference(property), className, property);
            }
            throw ValueError(v, type, className, property);
        }

        private static CimLiteException ValueError(MofValue v, CimTypeInfo type, string className, string property) =>
            MofErrors.Semantic(v.Position, CimStatus.TypeMismatch, Messages.Mof.ValueType(Messages.Mof.PropertySubject(false, className, property), type.ToString(), Describe(v)), className, property);
    }
}
