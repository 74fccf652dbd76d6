using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CimLite.Mof
{
    /// <summary>Writes qualifier declarations, classes and instances as MOF that <see cref="MofParser"/> reads back to the same definitions.</summary>
    internal sealed class MofWriter
    {
        private readonly TextWriter _w;
        private readonly Dictionary<string, CimQualifierDeclaration> _declarations;
        private readonly string? _ns;

        /// <summary>A writer; reference values that point into <paramref name="ns"/> are written without their namespace.</summary>
        public MofWriter(TextWriter writer, IEnumerable<CimQualifierDeclaration> declarations, string? ns = null)
        {
            _w = writer;
            _ns = ns;
            _declarations = new Dictionary<string, CimQualifierDeclaration>(CimName.Comparer);
            foreach (var d in declarations) _declarations[d.Name] = d;
        }

        public void Declaration(CimQualifierDeclaration d)
        {
            _w.Write("Qualifier " + d.Name + " : " + TypeName(d.Type.Type));
            if (d.Type.IsArray) _w.Write("[" + (d.ArraySize?.ToString(CultureInfo.InvariantCulture) ?? "") + "]");
            if (d.DefaultValue != null) _w.Write(" = " + QualifierValueText(d.DefaultValue, d.Type.IsArray));
            _w.Write(",\n    Scope(" + string.Join(", ", CimQualifierDeclaration.ScopeNames(d.Scope)) + ")");
            _w.Write(",\n    Flavor(" + string.Join(", ", FlavorNames(d.Flavor)) + ");\n\n");
        }

        private static IEnumerable<string> FlavorNames(QualifierFlavor f)
        {
            yield return (f & QualifierFlavor.DisableOverride) != 0 ? "DisableOverride" : "EnableOverride";
            yield return (f & QualifierFlavor.Restricted) != 0 ? "Restricted" : "ToSubclass";
            if ((f & QualifierFlavor.ToInstance) != 0) yield return "ToInstance";
            if ((f & QualifierFlavor.Translatable) != 0) yield return "Translatable";
            if ((f & QualifierFlavor.Amended) != 0) yield return "Amended";
        }

        public void Class(CimLiteClass c)
        {
            var d = c.Definition;
            QualifierList(d.Qualifiers, "");
            _w.Write("class " + d.ClassName + (d.Superclass != null ? " : " + d.Superclass : "") + " {\n");
            foreach (var p in d.Properties)
            {
                _w.Write('\n');
                QualifierList(p.Qualifiers, "   ");
                _w.Write("   " + Declarator(p.Type, p.Name, p.ArraySize));
                if (p.DefaultValue != null) _w.Write(" = " + ValueText(p.DefaultValue));
                _w.Write(";\n");
            }
            foreach (var m in d.Methods)
            {
                _w.Write('\n');
                QualifierList(m.Qualifiers, "   ");
                _w.Write("   " + Declarator(m.ReturnType, m.Name, null) + "(");
                for (int i = 0; i < m.Parameters.Count; i++)
                {
                    var p = m.Parameters[i];
                    _w.Write(i == 0 ? "\n" : ",\n");
                    QualifierList(p.Qualifiers, "      ");
                    _w.Write("      " + Declarator(p.Type, p.Name, p.ArraySize));
                }
                _w.Write(");\n");
            }
            _w.Write("};\n\n");
        }

        public void Instance(CimLiteInstance instance)
        {
            QualifierList(instance.Qualifiers, "");
            Body(instance);
            _w.Write("\n");
        }

        /// <summary>The canonical text of an embedded instance value: <c>instance of X { ... };</c> without qualifiers.</summary>
        public static string EmbeddedText(CimLiteInstance instance, string ns)
        {
            var sw = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            new MofWriter(sw, Array.Empty<CimQualifierDeclaration>(), ns).Body(instance);
            return sw.ToString().TrimEnd('\n');
        }

        private void Body(CimLiteInstance instance)
        {
            _w.Write("instance of " + instance.ClassName + " {\n");
            var cimClass = instance.Class;
            for (int i = 0; i < cimClass.Properties.Count; i++)
            {
                var v = instance.Values[i];
                if (v == null) continue;
                var p = cimClass.Properties[i];
                string text;
                if (p.CimType == CimType.Reference) text = ValueText(Relative(v));
                else if (p.CimType == CimType.String && (p.Find("EmbeddedInstance") != null || p.Find("EmbeddedObject")?.IsTrue == true)) text = EmbeddedValueText(v);
                else text = ValueText(v);
                _w.Write("   " + p.Name + " = " + text + ";\n");
            }
            _w.Write("};\n");
        }

        private object Relative(object value)
        {
            if (_ns == null) return value;
            string One(string path) =>
                InstancePath.TryParse(path, out var parsed) && parsed!.Namespace != null && CimName.Comparer.Equals(parsed.Namespace, _ns) ? parsed.RelativePath : path;
            if (value is string s) return One(s);
            if (value is string[] a)
            {
                var copy = new string[a.Length];
                for (int i = 0; i < a.Length; i++) copy[i] = a[i] == null ? a[i] : One(a[i]);
                return copy;
            }
            return value;
        }

        /// <summary>A string of an embedded property: MOF text of one instance is written back as an <c>instance of</c> value, anything else quoted.</summary>
        private static string EmbeddedValueText(object value)
        {
            string One(string s) => IsInstanceText(s) ? s.TrimEnd().TrimEnd(';') : ValueText(s);
            if (value is string str) return One(str);
            if (value is string[] a)
            {
                var items = new List<string>();
                foreach (var item in a) items.Add(One(item));
                return "{ " + string.Join(", ", items) + " }";
            }
            return ValueText(value);
        }

        internal static bool IsInstanceText(string s)
        {
            if (!s.TrimStart().StartsWith("instance", StringComparison.OrdinalIgnoreCase) || !s.TrimEnd().EndsWith(";", StringComparison.Ordinal)) return false;
            try
            {
                var document = MofParser.ParseText(s, "(embedded)", "root", allowPragmas: false);
                return document.Items.Count == 1 && document.Items[0] is MofInstance mi && mi.Alias == null && mi.Qualifiers.Count == 0;
            }
            catch (CimLiteException) { return false; }
        }

        private static string Declarator(CimTypeInfo type, string name, int? size)
        {
            var head = type.Type == CimType.Reference ? (type.ReferenceClass ?? "object") + " REF " + name : TypeName(type.Type) + " " + name;
            return type.IsArray ? head + "[" + (size?.ToString(CultureInfo.InvariantCulture) ?? "") + "]" : head;
        }

        private static string TypeName(CimType t) => CimTypeInfo.GetName(t);

        private void QualifierList(IEnumerable<CimQualifier> qualifiers, string indent)
        {
            var parts = new List<string>();
            foreach (var q in qualifiers)
            {
                var sb = new StringBuilder(q.Name);
                var value = q.Value;
                _declarations.TryGetValue(q.Name, out var d);
                bool isArray = d != null ? d.Type.IsArray : value is Array;
                if (!(value is true && (d == null || (d.Type.Type == CimType.Boolean && !d.Type.IsArray))))
                {
                    if (value == null) sb.Append("(null)");
                    else if (isArray) sb.Append(' ').Append(QualifierValueText(value, true));
                    else sb.Append(" (").Append(QualifierValueText(value, false)).Append(')');
                }
                var expected = d != null ? d.Flavor : CimQualifier.NormalizeFlavor(CimQualifier.DefaultFlavorFor(q.Name));
                if (q.Flavor != expected) sb.Append(" : ").Append(string.Join(" ", FlavorNames(q.Flavor)));
                parts.Add(sb.ToString());
            }
            if (parts.Count == 0) return;
            _w.Write(indent + "[" + string.Join(",\n" + indent + " ", parts) + "]\n");
        }

        private static string QualifierValueText(object value, bool asArray)
        {
            if (value is Array a)
            {
                var items = new List<string>();
                foreach (var item in a) items.Add(ValueText(item!));
                return "{ " + string.Join(", ", items) + " }";
            }
            return asArray ? "{ " + ValueText(value) + " }" : ValueText(value);
        }

        public static string ValueText(object value)
        {
            switch (value)
            {
                case bool b: return b ? "true" : "false";
                case string s: return Quote(s, '"');
                case char c: return Quote(c.ToString(), '\'');
                case float f: return Real(f.ToString("G9", CultureInfo.InvariantCulture));
                case double d: return Real(d.ToString("G17", CultureInfo.InvariantCulture));
                case DateTimeOffset _: case TimeSpan _: return Quote(CimDateTime.Format(value), '"');
                case Array a:
                    {
                        var items = new List<string>();
                        foreach (var item in a) items.Add(ValueText(item!));
                        return "{ " + string.Join(", ", items) + " }";
                    }
                default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
            }
        }

        private static string Real(string text) =>
            text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 || text.IndexOf('e') >= 0 ? text : text + ".0";

        public static string Quote(string s, char quote)
        {
            var sb = new StringBuilder(s.Length + 2).Append(quote);
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                switch (c)
                {
                    case '\\': sb.Append("\\\\"); break;
                    case '"': sb.Append(quote == '"' ? "\\\"" : "\""); break;
                    case '\'': sb.Append(quote == '\'' ? "\\'" : "'"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        // Control characters, and lone surrogates (a UTF-8 file would turn them into U+FFFD), as \xHHHH.
                        bool lone = char.IsHighSurrogate(c) ? !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                            : char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(s[i - 1]));
                        if (c < ' ' || c == '\u007f' || lone) sb.Append("\\x").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append(quote).ToString();
        }
    }
}
