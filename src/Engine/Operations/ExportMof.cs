using System;
using System.Collections.Generic;
using System.IO;
using CimLite.Mof;

namespace CimLite
{
    /// <summary>Options of a MOF export.</summary>
    public sealed class MofExportOptions
    {
        /// <summary>The namespace; default: the session's.</summary>
        public string? Namespace { get; set; }

        /// <summary>The classes to export (with their superclasses, the classes their references, parameters and embedded instances name, and with instances the classes of their embedded instance values, so the file imports on its own); null: every class.</summary>
        public IReadOnlyCollection<string>? ClassNames { get; set; }

        /// <summary>Also write the stored instances of the exported classes (each of its own class).</summary>
        public bool IncludeInstances { get; set; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Writes the namespace's qualifier declarations, classes (superclasses first, Amended qualifiers included) and,
        /// on request, instances as MOF that <see cref="ImportMof(IEnumerable{string}, MofImportOptions)"/> reads back to the same definitions.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS (a named class does not exist).</exception>
        public void ExportMof(TextWriter writer, MofExportOptions? options = null)
        {
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            options = options ?? new MofExportOptions();
            var ns = ResolveNamespace(options.Namespace);
            var entry = _classes.RequireNamespace(ns);
            var all = _classes.Classes(entry);
            var selected = new Dictionary<string, CimLiteClass>(CimName.Comparer);
            // The named classes and everything they need to import on their own: superclasses, and the classes
            // their references, method parameters and EmbeddedInstance qualifiers name (transitively); with
            // instances, also the classes their embedded instance values are of.
            var work = new Stack<CimLiteClass>();
            void Need(string? className)
            {
                if (className != null && !selected.ContainsKey(className) && all.TryGetValue(className, out var needed)) work.Push(needed);
            }
            void Close()
            {
                while (work.Count > 0)
                {
                    var c = work.Pop();
                    if (selected.ContainsKey(c.ClassName)) continue;
                    selected[c.ClassName] = c;
                    Need(c.Superclass);
                    foreach (var p in c.Definition.Properties)
                    {
                        Need(p.Type.ReferenceClass);
                        Need(CimLiteClass.FindOwn(p.Qualifiers, "EmbeddedInstance")?.Value as string);
                    }
                    foreach (var m in c.Definition.Methods)
                    {
                        Need(m.ReturnType.ReferenceClass);
                        foreach (var p in m.Parameters)
                        {
                            Need(p.Type.ReferenceClass);
                            Need(CimLiteClass.FindOwn(p.Qualifiers, "EmbeddedInstance")?.Value as string);
                        }
                    }
                }
            }
            if (options.ClassNames == null)
                foreach (var c in all.Values) selected[c.ClassName] = c;
            else
            {
                foreach (var name in options.ClassNames) work.Push(_classes.RequireClass(ns, name));
                Close();
            }

            var instancesOf = new Dictionary<string, List<CimLiteInstance>>(CimName.Comparer);
            if (options.IncludeInstances)
                while (true)
                {
                    foreach (var c in new List<CimLiteClass>(selected.Values))
                    {
                        if (instancesOf.ContainsKey(c.ClassName)) continue;
                        var list = new List<CimLiteInstance>();
                        instancesOf[c.ClassName] = list;
                        if (c.IsAbstract || c.IsIndication) continue;
                        list.AddRange(EnumerateInstances(c.ClassName, ns, deep: false));
                        foreach (var i in list)
                            for (int k = 0; k < c.Properties.Count; k++)
                            {
                                var p = c.Properties[k];
                                if (p.CimType != CimType.String || (p.Find("EmbeddedInstance") == null && p.Find("EmbeddedObject")?.IsTrue != true)) continue;
                                foreach (var text in i.Values[k] is string[] many ? many : new[] { i.Values[k] as string })
                                    if (text != null)
                                        foreach (System.Text.RegularExpressions.Match match in EmbeddedClassPattern.Matches(text)) Need(match.Groups[1].Value);
                            }
                    }
                    if (work.Count == 0) break;
                    Close();
                }

            var ordered = new List<CimLiteClass>(selected.Values);
            ordered.Sort(CimLiteClass.CompareByDepthThenName);
            var instances = new List<CimLiteInstance>();
            foreach (var c in ordered)
                if (instancesOf.TryGetValue(c.ClassName, out var list)) instances.AddRange(list);

            var declarations = new List<CimQualifierDeclaration>(GetQualifierDeclarations(ns));
            if (declarations.Count > 0)
            {
                // A namespace with declarations refuses undeclared qualifiers on import, so each qualifier the
                // exported classes and instances use without a declaration gets one (type from its value, any scope,
                // the CIM default flavors).
                var known = new HashSet<string>(CimName.Comparer);
                foreach (var d in declarations) known.Add(d.Name);
                void Use(IEnumerable<CimQualifier> qualifiers)
                {
                    foreach (var q in qualifiers)
                        if (known.Add(q.Name)) declarations.Add(SyntheticDeclaration(q));
                }
                foreach (var c in ordered)
                {
                    Use(c.Definition.Qualifiers);
                    foreach (var p in c.Definition.Properties) Use(p.Qualifiers);
                    foreach (var m in c.Definition.Methods)
                    {
                        Use(m.Qualifiers);
                        foreach (var p in m.Parameters) Use(p.Qualifiers);
                    }
                }
                foreach (var i in instances) Use(i.Qualifiers);
                declarations.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
            }

            var mof = new MofWriter(writer, declarations, ns);
            writer.Write("// Exported by CimLite from namespace " + ns + "\n\n");
            if (!CimName.Comparer.Equals(ns, DefaultNamespace)) writer.Write("#pragma namespace (" + MofWriter.Quote(ns, '"') + ")\n\n");
            foreach (var d in declarations) mof.Declaration(d);
            foreach (var c in ordered) mof.Class(c);
            foreach (var i in instances) mof.Instance(i);
        }

        private static readonly System.Text.RegularExpressions.Regex EmbeddedClassPattern =
            new System.Text.RegularExpressions.Regex(@"\binstance\s+of\s+([A-Za-z_][A-Za-z0-9_]*)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>A declaration for a qualifier used without one: its type from the value (strings when it cannot tell).</summary>
        private static CimQualifierDeclaration SyntheticDeclaration(CimQualifier q)
        {
            var value = q.Value;
            object? sample = value;
            bool isArray = value is Array;
            if (value is Array a)
            {
                sample = null;
                foreach (var item in a) if (item != null) { sample = item; break; }
            }
            CimType type;
            switch (sample)
            {
                case bool _: type = CimType.Boolean; break;
                case long _: case int _: case short _: case sbyte _: type = CimType.SInt64; break;
                case ulong _: case uint _: case ushort _: case byte _: type = CimType.UInt64; break;
                case double _: case float _: type = CimType.Real64; break;
                default: type = CimType.String; break;
            }
            object? defaultValue = type == CimType.Boolean && !isArray ? (object)false : null;
            return new CimQualifierDeclaration(q.Name, new CimTypeInfo(type, isArray), defaultValue, CimQualifierScope.Any,
                CimQualifier.NormalizeFlavor(CimQualifier.DefaultFlavorFor(q.Name)));
        }

        /// <summary>The MOF text of <see cref="ExportMof(TextWriter, MofExportOptions)"/>.</summary>
        public string ExportMof(MofExportOptions? options = null)
        {
            var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
            ExportMof(writer, options);
            return writer.ToString();
        }
    }
}
