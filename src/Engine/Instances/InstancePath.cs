using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite
{
    /// <summary>
    /// An instance path: <c>root/cimv2:Disk.DeviceId="C:"</c>, <c>Disk.A=1,B="x"</c>, or <c>Settings=@</c>
    /// for a singleton. Strings are quoted with <c>\"</c> and <c>\\</c> escapes; numbers and booleans are bare.
    /// </summary>
    public sealed class InstancePath : IEquatable<InstancePath>
    {
        private readonly KeyValuePair<string, object>[] _keys;

        /// <summary>Creates a path. Key values are strings, booleans or integers (already of their CIM type, or parsed).</summary>
        public InstancePath(string? @namespace, string className, IEnumerable<KeyValuePair<string, object>>? keys)
        {
            Namespace = @namespace == null ? null : CimName.NormalizeNamespace(@namespace);
            ClassName = className ?? throw new ArgumentNullException(nameof(className));
            _keys = keys == null ? new KeyValuePair<string, object>[0] : new List<KeyValuePair<string, object>>(keys).ToArray();
        }

        private InstancePath(string? normalizedNamespace, string className, KeyValuePair<string, object>[] keys)
        {
            Namespace = normalizedNamespace;
            ClassName = className;
            _keys = keys;
        }

        /// <summary>
        /// A path of a class's instance without copying: <paramref name="normalizedNamespace"/> is already normal (a
        /// class's) and <paramref name="keys"/> is the path's own from now on.
        /// </summary>
        internal static InstancePath Of(string normalizedNamespace, string className, KeyValuePair<string, object>[] keys) =>
            new InstancePath(normalizedNamespace, className, keys);

        /// <summary>The namespace, or null for a relative path.</summary>
        public string? Namespace { get; }

        /// <summary>The class named by the path.</summary>
        public string ClassName { get; }

        /// <summary>Key names and values in declared order (an unnamed single key has an empty name).</summary>
        public IReadOnlyList<KeyValuePair<string, object>> Keys => _keys;

        /// <summary>True for a singleton path (<c>Class=@</c>).</summary>
        public bool IsSingleton => _keys.Length == 0;

        /// <summary>The path without its namespace (WMI's __RELPATH).</summary>
        public string RelativePath
        {
            get
            {
                var sb = new StringBuilder(ClassName.Length + 32);
                AppendRelative(sb);
                return sb.ToString();
            }
        }

        private void AppendRelative(StringBuilder sb)
        {
            sb.Append(ClassName);
            if (_keys.Length == 0)
            {
                sb.Append("=@");
                return;
            }
            for (int i = 0; i < _keys.Length; i++)
            {
                sb.Append(i == 0 ? (_keys[i].Key.Length == 0 ? "" : ".") : ",");
                if (_keys[i].Key.Length > 0) sb.Append(_keys[i].Key);
                sb.Append('=');
                AppendValue(sb, _keys[i].Value);
            }
        }

        /// <summary>The same path with another namespace.</summary>
        public InstancePath WithNamespace(string? @namespace) => new InstancePath(@namespace, ClassName, _keys);

        /// <summary>The full path: <c>namespace:relative path</c>, or the relative path when there is no namespace.</summary>
        public override string ToString()
        {
            if (Namespace == null) return RelativePath;
            var sb = new StringBuilder(Namespace.Length + ClassName.Length + 40);
            sb.Append(Namespace).Append(':');
            AppendRelative(sb);
            return sb.ToString();
        }

        internal static void AppendValue(StringBuilder sb, object value)
        {
            switch (value)
            {
                case bool b: sb.Append(b ? "TRUE" : "FALSE"); break;
                case sbyte _: case byte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _:
                    sb.Append(System.Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                case string text: AppendQuoted(sb, text); break;
                case DateTimeOffset _: case TimeSpan _:
                    AppendQuoted(sb, CimDateTime.Format(value)); break;
                case char c: AppendQuoted(sb, c.ToString()); break;
                default: AppendQuoted(sb, System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""); break;
            }
        }

        private static readonly char[] Escaped = { '"', '\\' };

        private static void AppendQuoted(StringBuilder sb, string s)
        {
            sb.Append('"');
            if (s.IndexOfAny(Escaped) < 0) sb.Append(s);
            else
                foreach (var c in s)
                {
                    if (c == '"' || c == '\\') sb.Append('\\');
                    sb.Append(c);
                }
            sb.Append('"');
        }

        /// <summary>Parses a path. Accepts an optional <c>\\server\</c> or <c>//server/</c> prefix and <c>\</c> in namespaces.</summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER with the position of the first problem.</exception>
        public static InstancePath Parse(string text)
        {
            if (!TryParse(text, out var path, out var error))
                throw new CimLiteException(CimStatus.InvalidParameter, error!);
            return path!;
        }

        /// <summary>Parses a path; false when it is malformed.</summary>
        public static bool TryParse(string? text, out InstancePath? path) => TryParse(text, out path, out _);

        private static bool TryParse(string? text, out InstancePath? path, out string? error)
        {
            path = null;
            error = null;
            if (string.IsNullOrEmpty(text)) { error = Messages.MalformedPath(text ?? "", 0, Messages.ExpectedClassName); return false; }
            string s = text!;
            int pos = 0;
            if (s.StartsWith(@"\\", StringComparison.Ordinal) || s.StartsWith("//", StringComparison.Ordinal))
            {
                int sep = s.IndexOfAny(new[] { '\\', '/' }, 2);
                if (sep < 0) { error = Messages.MalformedPath(s, s.Length, Messages.ExpectedNamespace); return false; }
                pos = sep + 1;
            }
            // The namespace ends at the first ':' that comes before any '.', '=' or quote.
            string? ns = null;
            int colon = -1;
            for (int i = pos; i < s.Length; i++)
            {
                char c = s[i];
                if (c == ':') { colon = i; break; }
                if (c == '.' || c == '=' || c == '"') break;
            }
            if (colon >= 0)
            {
                ns = s.Substring(pos, colon - pos);
                try { ns = CimName.NormalizeNamespace(ns); }
                catch (CimLiteException) { error = Messages.MalformedPath(s, pos, Messages.ExpectedNamespace); return false; }
                pos = colon + 1;
            }
            int classStart = pos;
            while (pos < s.Length && s[pos] != '.' && s[pos] != '=') pos++;
            var className = s.Substring(classStart, pos - classStart);
            if (!CimName.IsValid(className)) { error = Messages.MalformedPath(s, classStart, Messages.ExpectedClassName); return false; }
            var keys = new List<KeyValuePair<string, object>>();
            if (pos == s.Length)
            {
                error = Messages.MalformedPath(s, pos, Messages.ExpectedKeys);
                return false;
            }
            if (s[pos] == '=')
            {
                pos++;
                if (pos < s.Length && s[pos] == '@' && pos + 1 == s.Length)
                {
                    path = new InstancePath(ns, className, keys);
                    return true;
                }
                if (!TryParseValue(s, ref pos, out var single, out error)) return false;
                if (pos != s.Length) { error = Messages.MalformedPath(s, pos, Messages.ExpectedEnd); return false; }
                keys.Add(new KeyValuePair<string, object>("", single!));
                path = new InstancePath(ns, className, keys);
                return true;
            }
            pos++; // '.'
            while (true)
            {
                int nameStart = pos;
                while (pos < s.Length && s[pos] != '=' && s[pos] != ',') pos++;
                var keyName = s.Substring(nameStart, pos - nameStart).Trim();
                if (!CimName.IsValid(keyName)) { error = Messages.MalformedPath(s, nameStart, Messages.ExpectedKeyName); return false; }
                if (pos >= s.Length || s[pos] != '=') { error = Messages.MalformedPath(s, pos, Messages.ExpectedEquals); return false; }
                pos++;
                if (!TryParseValue(s, ref pos, out var value, out error)) return false;
                foreach (var k in keys)
                    if (CimName.Comparer.Equals(k.Key, keyName)) { error = Messages.MalformedPath(s, nameStart, Messages.DuplicateKey(keyName)); return false; }
                keys.Add(new KeyValuePair<string, object>(keyName, value!));
                if (pos == s.Length) break;
                if (s[pos] != ',') { error = Messages.MalformedPath(s, pos, Messages.ExpectedComma); return false; }
                pos++;
            }
            path = new InstancePath(ns, className, keys);
            return true;
        }

        private static bool TryParseValue(string s, ref int pos, out object? value, out string? error)
        {
            value = null;
            error = null;
            if (pos >= s.Length) { error = Messages.MalformedPath(s, pos, Messages.ExpectedValue); return false; }
            if (s[pos] == '"')
            {
                var sb = new StringBuilder();
                pos++;
                while (true)
                {
                    if (pos >= s.Length) { error = Messages.MalformedPath(s, pos, Messages.ExpectedClosingQuote); return false; }
                    char c = s[pos++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        if (pos >= s.Length) { error = Messages.MalformedPath(s, pos, Messages.ExpectedClosingQuote); return false; }
                        c = s[pos++];
                    }
                    sb.Append(c);
                }
                value = sb.ToString();
                return true;
            }
            int start = pos;
            while (pos < s.Length && s[pos] != ',') pos++;
            var token = s.Substring(start, pos - start).Trim();
            if (string.Equals(token, "TRUE", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
            if (string.Equals(token, "FALSE", StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) { value = l; return true; }
            if (ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) { value = u; return true; }
            error = Messages.MalformedPath(s, start, Messages.ExpectedValue);
            return false;
        }

        /// <inheritdoc />
        public bool Equals(InstancePath? other) =>
            other != null && string.Equals(ToString(), other.ToString(), StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as InstancePath);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());
    }
}
