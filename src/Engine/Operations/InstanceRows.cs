using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CimLite.Storage;
using Microsoft.Data.Sqlite;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        private sealed class InstanceRow
        {
            public long Id;
            public long ClassId;
            public string Data = "";
            public string? Qualifiers;
        }

        /// <summary>
        /// The stored identity of an instance: its key values in declared order. String-like values compare
        /// case-insensitively, as WMI's repository does, with the ordinal case-insensitive compare that WQL and
        /// CIM names use (see <see cref="FoldCase"/>).
        /// </summary>
        internal static string KeyText(CimLiteClass cimClass, object?[] values)
        {
            if (cimClass.KeyProperties.Count == 0) return "@";
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

        /// <summary>
        /// Upper-cases <paramref name="text"/> so that two texts fold alike exactly when they are equal under
        /// <see cref="StringComparison.OrdinalIgnoreCase"/>: <see cref="string.ToUpperInvariant"/>, except for a
        /// character (or surrogate pair) that this would map to one the ordinal compare does not consider equal
        /// (U+017F LATIN SMALL LETTER LONG S to S on .NET), which keeps its own code.
        /// </summary>
        internal static string FoldCase(string text)
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

        internal static int IndexOfProperty(CimLiteClass cimClass, string name) => cimClass.PropertyIndex(name);

        private long KeyRootId(CimLiteClass cimClass) => _classes.KeyRootId(cimClass);

        private InstanceRow? FindRow(long keyRootId, string keyText)
        {
            var statement = Repository.Statement("SELECT id, class_id, data, qualifiers FROM instances WHERE key_root_id = ?1 AND key = ?2");
            try
            {
                statement.Bind(1, keyRootId);
                statement.Bind(2, keyText);
                if (!statement.Step()) return null;
                return new InstanceRow
                {
                    Id = statement.Int64(0),
                    ClassId = statement.Int64(1),
                    Data = statement.Text(2) ?? "",
                    Qualifiers = statement.Text(3),
                };
            }
            finally
            {
                statement.Reset();
            }
        }

        /// <summary>How many instances this session has built from stored rows (a test hook that proves enumeration streams).</summary>
        internal long InstancesMaterialized { get; private set; }

        private CimLiteInstance Materialize(CimLiteClass cimClass, string data, string? qualifiers, bool keysOnly = false)
        {
            InstancesMaterialized++;
            var values = ValueCodec.DecodeValues(cimClass, data);
            if (keysOnly)
                for (int i = 0; i < values.Length; i++)
                    if (!cimClass.Properties[i].IsKey) values[i] = null;
            var quals = qualifiers == null || keysOnly ? null : ValueCodec.ReadQualifiers(Json.Parse(qualifiers));
            return new CimLiteInstance(cimClass, values, quals) { ValueUnwrapper = ValueUnwrapper };
        }

        /// <summary>Turns the keys of a path into typed values for <paramref name="cimClass"/>, in declared order.</summary>
        private object?[] KeyValuesFromPath(CimLiteClass cimClass, InstancePath path)
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
                values[IndexOfProperty(cimClass, key.Name)] = CimValueConverter.Convert(pair.Value, key.TypeInfo, cimClass.ClassName, key.Name, ValueUnwrapper);
            }
            return values;
        }

        private static SqliteParameter P(string name, object? value) => new SqliteParameter(name, value ?? DBNull.Value);

        internal static string FormatCount(long n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
