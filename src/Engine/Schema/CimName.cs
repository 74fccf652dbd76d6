using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>Rules for CIM names: class, property and qualifier names, and namespaces.</summary>
    public static class CimName
    {
        /// <summary>Compares CIM names the way CIM does: case-insensitively.</summary>
        public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

        /// <summary>
        /// True when <paramref name="name"/> is a valid CIM identifier: a letter or underscore, then letters,
        /// digits or underscores (letters include any Unicode letter, as DSP0004 allows).
        /// </summary>
        public static bool IsValid(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > 256) return false;
            if (!(char.IsLetter(name[0]) || name[0] == '_')) return false;
            for (int i = 1; i < name.Length; i++)
            {
                var c = name[i];
                if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
            }
            return true;
        }

        /// <summary>True for names reserved for system properties and classes (starting with two underscores).</summary>
        public static bool IsSystemName(string name) => name.StartsWith("__", StringComparison.Ordinal);

        /// <summary>
        /// Normalises a namespace: backslashes become slashes, leading and trailing separators go.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE when a segment is not a valid name.</exception>
        public static string NormalizeNamespace(string? ns)
        {
            // A pure function called for every path built: remember the last answer (most calls repeat it).
            var last = _lastNamespace;
            if (last != null && ns != null && string.Equals(last.Key, ns, StringComparison.Ordinal)) return last.Value;
            var normalized = NormalizeNamespaceCore(ns);
            _lastNamespace = new KeyValuePairHolder(ns!, normalized);
            return normalized;
        }

        private sealed class KeyValuePairHolder
        {
            public KeyValuePairHolder(string key, string value) { Key = key; Value = value; }
            public string Key { get; }
            public string Value { get; }
        }

        private static KeyValuePairHolder? _lastNamespace;

        private static string NormalizeNamespaceCore(string? ns)
        {
            if (ns == null || ns.Trim().Length == 0)
                throw new CimLiteException(CimStatus.InvalidNamespace, Messages.InvalidNamespaceName(ns ?? ""));
            var parts = ns.Replace('\\', '/').Trim('/').Split('/');
            var segments = new List<string>(parts.Length);
            foreach (var part in parts)
            {
                if (!IsValid(part))
                    throw new CimLiteException(CimStatus.InvalidNamespace, Messages.InvalidNamespaceName(ns));
                segments.Add(part);
            }
            return string.Join("/", segments);
        }
    }
}
