using System.Collections.Generic;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>Gets a class.</summary>
        /// <param name="className">The class name (case-insensitive).</param>
        /// <param name="namespace">The namespace, or null for the session's default.</param>
        /// <param name="useAmendedQualifiers">Include qualifiers with the Amended flavor (WMI's WBEM_FLAG_USE_AMENDED_QUALIFIERS).</param>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS (NOT_FOUND is not used for classes, as in WMI).</exception>
        public CimLiteClass GetClass(string className, string? @namespace = null, bool useAmendedQualifiers = true)
        {
            var c = _classes.RequireClass(ResolveNamespace(@namespace), className);
            return useAmendedQualifiers ? c : ClassBuilder.WithoutAmended(c);
        }

        /// <summary>Finds a class, or null when it does not exist.</summary>
        public CimLiteClass? FindClass(string className, string? @namespace = null) =>
            _classes.FindClass(ResolveNamespace(@namespace), className);

        /// <summary>
        /// Lists classes of a namespace, parents before children. With <paramref name="superclass"/>, only
        /// classes derived from it (all levels when <paramref name="deep"/>, else direct children).
        /// </summary>
        public IReadOnlyList<CimLiteClass> GetClasses(string? @namespace = null, string? superclass = null, bool deep = true, bool useAmendedQualifiers = true)
        {
            var ns = ResolveNamespace(@namespace);
            var entry = _classes.RequireNamespace(ns);
            IEnumerable<CimLiteClass> source;
            if (superclass != null) source = _classes.Subclasses(_classes.RequireClass(ns, superclass), deep);
            else
            {
                var all = new List<CimLiteClass>();
                foreach (var c in _classes.Classes(entry).Values)
                    if (deep || c.Superclass == null) all.Add(c);
                source = all;
            }
            var result = new List<CimLiteClass>();
            foreach (var c in source) result.Add(useAmendedQualifiers ? c : ClassBuilder.WithoutAmended(c));
            result.Sort(CimLiteClass.CompareByDepthThenName);
            return result;
        }
    }
}
