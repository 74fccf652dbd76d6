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

        /// <summary>The classes to export (with their superclasses and the classes their references, parameters and embedded instances name, so the file imports on its own); null: every class.</summary>
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
            if (options.ClassNames == null)
                foreach (var c in all.Values) selected[c.ClassName] = c;
            else
            {
                // The named classes and everything they need to import on their own: superclasses, and the classes
                // their references, method parameters and EmbeddedInstance qualifiers name (transitively).
                var work = new Stack<CimLiteClass>();
                foreach (var name in options.ClassNames) work.Push(_classes.RequireClass(ns, name));
                void Need(string? className)
                {
                    if (className != null && !selected.ContainsKey(className) && all.TryGetValue(className, out var needed)) work.Push(needed);
                }
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
            var ordered = new List<CimLiteClass>(selected.Values);
            ordered.Sort((a, b) =>
            {
                int byDepth = a.Derivation.Count.CompareTo(b.Derivation.Count);
                return byDepth != 0 ? byDepth : string.Compare(a.ClassName, b.ClassName, StringComparison.OrdinalIgnoreCase);
            });

            var declarations = GetQualifierDeclarations(ns);
            var mof = new MofWriter(writer, declarations, ns);
            writer.Write("// Exported by CimLite from namespace " + ns + "\n\n");
            foreach (var d in declarations) mof.Declaration(d);
            foreach (var c in ordered) mof.Class(c);
            if (!options.IncludeInstances) return;
            foreach (var c in ordered)
            {
                if (c.IsAbstract || c.IsIndication) continue;
                foreach (var instance in EnumerateInstances(c.ClassName, ns, deep: false)) mof.Instance(instance);
            }
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
