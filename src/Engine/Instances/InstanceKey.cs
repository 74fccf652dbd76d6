using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite
{
    /// <summary>The identity of an instance: its key values from a path, and the key text it is stored under.</summary>
    internal static class InstanceKey
    {
        /// <summary>
        /// The stored identity of an instance: its key values in declared order. String-like values compare
        /// case-insensitively, as WMI's repository does, with the ordinal case-insensitive compare that WQL and
        /// CIM names use (see <see cref="FoldCase"/>).
        /// </summary>
        public static string Text(CimLiteClass cimClass, object?[] values)
        {
            if (cimClass.KeyProperties.Count == 0) return "@";
            if (cimClass.KeyIndexes.Length == 1)
            {
                // One key (most classes; every put computes it): its text as below, without the second builder and
                // string when it holds no surrogate to spell out.
                var v = values[cimClass.KeyIndexes[0]]!;
                var one = _part ?? new StringBuilder();
                _part = null;
                one.Clear();
                InstancePath.AppendValue(one, v);
                var single = v is string || v is char ? FoldCase(one.ToString()) : one.ToString();
                if (one.Capacity <= 1024) _part = one;
                if (!HasSurrogate(single)) return single;
            }
            var sb = new StringBuilder();
            var part = new StringBuilder();
            for (int k = 0; k < cimClass.KeyIndexes.Length; k++)
            {
                if (sb.Length > 0) sb.Append(',');
                var v = values[cimClass.KeyIndexes[k]]!;
                part.Clear();
                InstancePath.AppendValue(part, v);
                var text = v is string || v is char ? FoldCase(part.ToString()) : part.ToString();
                // SQLite stores text as UTF-8, which turns every lone surrogate into U+FFFD: keys differing only
                // in lone surrogates would collide. Spell surrogates as \uXXXX (a lone backslash never occurs
                // otherwise: quoting doubles them), which keeps the key text injective.
                foreach (var ch in text)
                {
                    if (char.IsSurrogate(ch)) sb.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                }
            }
            return sb.ToString();
        }

        // A builder reused by the one-key case of Text on this thread (taken while in use: nothing it calls comes back here).
        [ThreadStatic] private static StringBuilder? _part;

        private static bool HasSurrogate(string text)
        {
            foreach (var ch in text)
                if (char.IsSurrogate(ch)) return true;
            return false;
        }

        /// <summary>
        /// Upper-cases <paramref name="text"/> so that two texts fold alike exactly when they are equal under
        /// <see cref="StringComparison.OrdinalIgnoreCase"/>: <see cref="string.ToUpperInvariant"/>, except for a
        /// character (or surrogate pair) that this would map to one the ordinal compare does not consider equal
        /// (U+017F LATIN SMALL LETTER LONG S to S on .NET), which keeps its own code.
        /// </summary>
        public static string FoldCase(string text)
        {
            var upper = text.ToUpperInvariant();
            if (upper.Length != text.Length) return upper; // simple case mapping keeps the length; never taken
            char[]? chars = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                int n = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                if (c >= 0x80 && string.CompareOrdinal(text, i, upper, i, n) != 0 &&
                    string.Compare(text, i, upper, i, n, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    chars = chars ?? upper.ToCharArray();
                    for (int j = 0; j < n; j++) chars[i + j] = text[i + j];
                }
                i += n - 1;
            }
            return chars == null ? upper : new string(chars);
        }

        /// <summary>Turns the keys of a path into typed values for <paramref name="cimClass"/>, in declared order.</summary>
        public static object?[] ValuesFromPath(CimLiteClass cimClass, InstancePath path, Func<object?, object?>? unwrap = null)
        {
            var values = new object?[cimClass.Properties.Count];
            var keys = cimClass.KeyProperties;
            if (keys.Count == 0)
            {
                if (!path.IsSingleton)
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.PathKeyMismatch(path.ToString(), cimClass.ClassName, "none: use Class=@"), cimClass.ClassName, instancePath: path.ToString());
                return values;
            }
            if (path.IsSingleton)
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.PathNeedsKeys(cimClass.ClassName), cimClass.ClassName, instancePath: path.ToString());
            var names = new List<string>();
            foreach (var k in keys) names.Add(k.Name);
            if (path.Keys.Count != keys.Count)
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.PathKeyMismatch(path.ToString(), cimClass.ClassName, string.Join(", ", names)), cimClass.ClassName, instancePath: path.ToString());
            foreach (var pair in path.Keys)
            {
                CimPropertyDeclaration? key = null;
                if (pair.Key.Length == 0 && keys.Count == 1) key = keys[0];
                else foreach (var k in keys) if (CimName.Comparer.Equals(k.Name, pair.Key)) key = k;
                if (key == null)
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.PathKeyMismatch(path.ToString(), cimClass.ClassName, string.Join(", ", names)), cimClass.ClassName, instancePath: path.ToString());
                values[cimClass.PropertyIndex(key.Name)] = CimValueConverter.Convert(pair.Value, key.TypeInfo, cimClass.ClassName, key.Name, unwrap);
            }
            return values;
        }
    }
}
