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
            foreach (var c in value)
            {
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

        private static string ParseString(string s, ref int pos)
        {
            pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (pos >= s.Length) throw Corrupt(pos);
                char c = s[pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (pos >= s.Length) throw Corrupt(pos);
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
                        if (pos + 4 > s.Length) throw Corrupt(pos);
                        sb.Append((char)int.Parse(s.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: throw Corrupt(pos);
                }
            }
        }
    }
}
