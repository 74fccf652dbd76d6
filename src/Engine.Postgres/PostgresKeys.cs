using System.Globalization;
using System.Text;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// Key text as PostgreSQL stores it (columns <c>instances.key</c> and <c>instance_references.target_key</c>).
    /// PostgreSQL text holds neither NUL nor a lone UTF-16 surrogate (not UTF-8), both of which a CIM string key may
    /// contain; so '\' becomes "\\", NUL "\0" and a lone surrogate "\uXXXX" (lower-case hex), everything else as it is.
    /// One key text has exactly one stored form and back (<see cref="Read"/>), so equality of keys is equality of forms.
    /// </summary>
    internal static class PostgresKeys
    {
        public static string Stored(string key)
        {
            int i = 0;
            for (; i < key.Length; i++)
            {
                char c = key[i];
                if (c == '\\' || c == '\0' || char.IsSurrogate(c)) break;
            }
            if (i == key.Length) return key;
            var sb = new StringBuilder(key.Length + 8);
            sb.Append(key, 0, i);
            for (; i < key.Length; i++)
            {
                char c = key[i];
                if (c == '\\') sb.Append("\\\\");
                else if (c == '\0') sb.Append("\\0");
                else if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
                {
                    sb.Append(c).Append(key[i + 1]);
                    i++;
                }
                else if (char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>The key text of a stored form (for repository care, which compares stored keys with computed ones).</summary>
        public static string Read(string stored)
        {
            if (stored.IndexOf('\\') < 0) return stored;
            var sb = new StringBuilder(stored.Length);
            for (int i = 0; i < stored.Length; i++)
            {
                char c = stored[i];
                if (c != '\\' || i + 1 >= stored.Length) { sb.Append(c); continue; }
                char next = stored[++i];
                if (next == '0') sb.Append('\0');
                else if (next == 'u' && i + 4 < stored.Length)
                {
                    sb.Append((char)int.Parse(stored.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                }
                else sb.Append(next);
            }
            return sb.ToString();
        }
    }
}
