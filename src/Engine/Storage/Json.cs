using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite.Storage
{
    /// <summary>
    /// A minimal JSON reader and writer for the repository's stored forms. Numbers are kept as their
    /// source text so that the schema, not the codec, decides their CLR type (uint64 stays exact).
    /// </summary>
    internal static class Json
    {
        internal sealed class Number
        {
            public Number(string text) { Text = text; }
            public string Text { get; }
            public override string ToString() => Text;
        }

        public static void WriteString(StringBuilder sb, string value)
        {
            sb.Append('"');
            // Runs of characters that need no escape are appended whole (issue 17: the encode of every put).
            int run = 0;
            for (int i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c >= 0x20 && c != '"' && c != '\\' && (c < 0xD800 || c > 0xDFFF) && c != '\u2028' && c != '\u2029') continue;
                if (i > run) sb.Append(value, run, i - run);
                run = i + 1;
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF) || c == '\u2028' || c == '\u2029')
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            sb.Append(c);
                        break;
                }
            }
            if (value.Length > run) sb.Append(value, run, value.Length - run);
            sb.Append('"');
        }

        public static object? Parse(string text)
        {
            int pos = 0;
            var value = ParseValue(text, ref pos);
            SkipWhite(text, ref pos);
            if (pos != text.Length) throw Corrupt(pos);
            return value;
        }

        private static Exception Corrupt(int pos) =>
            new CimLiteException(CimStatus.Failed, Messages.CorruptStoredData(pos));

        private static void SkipWhite(string s, ref int pos)
        {
            while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t')) pos++;
        }

        private static object? ParseValue(string s, ref int pos)
        {
            SkipWhite(s, ref pos);
            if (pos >= s.Length) throw Corrupt(pos);
            char c = s[pos];
            switch (c)
            {
                case '{':
                    {
                        pos++;
                        var obj = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                        SkipWhite(s, ref pos);
                        if (pos < s.Length && s[pos] == '}') { pos++; return obj; }
                        while (true)
                        {
                            SkipWhite(s, ref pos);
                            if (pos >= s.Length || s[pos] != '"') throw Corrupt(pos);
                            var key = ParseString(s, ref pos);
                            SkipWhite(s, ref pos);
                            if (pos >= s.Length || s[pos] != ':') throw Corrupt(pos);
                            pos++;
                            obj[key] = ParseValue(s, ref pos);
                            SkipWhite(s, ref pos);
                            if (pos < s.Length && s[pos] == ',') { pos++; continue; }
                            if (pos < s.Length && s[pos] == '}') { pos++; return obj; }
                            throw Corrupt(pos);
                        }
                    }
                case '[':
                    {
                        pos++;
                        var list = new List<object?>();
                        SkipWhite(s, ref pos);
                        if (pos < s.Length && s[pos] == ']') { pos++; return list; }
                        while (true)
                        {
                            list.Add(ParseValue(s, ref pos));
                            SkipWhite(s, ref pos);
                            if (pos < s.Length && s[pos] == ',') { pos++; continue; }
                            if (pos < s.Length && s[pos] == ']') { pos++; return list; }
                            throw Corrupt(pos);
                        }
                    }
                case '"':
                    return ParseString(s, ref pos);
                case 't':
                    Expect(s, ref pos, "true"); return true;
                case 'f':
                    Expect(s, ref pos, "false"); return false;
                case 'n':
                    Expect(s, ref pos, "null"); return null;
                default:
                    {
                        int start = pos;
                        while (pos < s.Length && (char.IsDigit(s[pos]) || s[pos] == '-' || s[pos] == '+' || s[pos] == '.' || s[pos] == 'e' || s[pos] == 'E')) pos++;
                        if (pos == start) throw Corrupt(pos);
                        return new Number(s.Substring(start, pos - start));
                    }
            }
        }

        private static void Expect(string s, ref int pos, string word)
        {
            if (string.CompareOrdinal(s, pos, word, 0, word.Length) != 0) throw Corrupt(pos);
            pos += word.Length;
        }

        private static string ParseString(string s, ref int pos) =>
            TryReadString(s, ref pos) ?? throw Corrupt(pos);

        /// <summary>Reads a JSON string at <paramref name="pos"/> (on its opening quote); null when malformed.</summary>
        internal static string? TryReadString(string s, ref int pos)
        {
            int start = ++pos;
            while (pos < s.Length && s[pos] != '"' && s[pos] != '\\') pos++;
            if (pos >= s.Length) return null;
            if (s[pos] == '"')
            {
                var plain = s.Substring(start, pos - start);
                pos++;
                return plain;
            }
            var sb = new StringBuilder(s, start, pos - start, pos - start + 16);
            while (pos < s.Length)
            {
                char c = s[pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (pos >= s.Length) return null;
                char e = s[pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        if (pos + 4 > s.Length) return null;
                        if (!int.TryParse(s.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)) return null;
                        sb.Append((char)code);
                        pos += 4;
                        break;
                    default: return null;
                }
            }
            return null;
        }
    }
}
