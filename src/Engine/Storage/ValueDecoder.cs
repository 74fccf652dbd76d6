using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CimLite.Storage
{
    /// <summary>
    /// The hot path of <see cref="ValueCodec.DecodeValues"/>: reads a stored instance object straight into the
    /// values array (no intermediate dictionary or number objects). It handles what the encoder writes for
    /// scalar properties; anything else (arrays, unknown shapes) makes it give up, and the general reader runs.
    /// </summary>
    internal static class ValueDecoder
    {
        private static readonly ConditionalWeakTable<CimLiteClass, Dictionary<string, int>> Indexes = new ConditionalWeakTable<CimLiteClass, Dictionary<string, int>>();

        private static Dictionary<string, int> IndexOf(CimLiteClass cimClass) =>
            Indexes.GetValue(cimClass, c =>
            {
                var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < c.Properties.Count; i++) map[c.Properties[i].Name] = i;
                return map;
            });

        /// <summary>Decodes <paramref name="json"/> into <paramref name="values"/>; false when the general reader must do it.</summary>
        public static bool TryDecode(CimLiteClass cimClass, string json, object?[] values)
        {
            var index = IndexOf(cimClass);
            int pos = 0;
            if (json.Length < 2 || json[0] != '{') return false;
            pos = 1;
            if (json[pos] == '}') return pos + 1 == json.Length;
            while (true)
            {
                if (pos >= json.Length || json[pos] != '"') return false;
                var name = Json.TryReadString(json, ref pos);
                if (name == null || pos >= json.Length || json[pos] != ':') return false;
                pos++;
                if (pos >= json.Length) return false;
                int at = index.TryGetValue(name, out var found) ? found : -1;
                char c = json[pos];
                object? value;
                if (c == '"')
                {
                    var text = Json.TryReadString(json, ref pos);
                    if (text == null) return false;
                    if (at < 0) value = null;
                    else
                    {
                        var type = cimClass.Properties[at].TypeInfo;
                        if (type.IsArray) return false;
                        value = type.Type == CimType.String || type.Type == CimType.Reference ? text : (object)ValueCodec.ReadValue(text, type);
                    }
                }
                else if (c == 't' || c == 'f')
                {
                    bool b = c == 't';
                    var word = b ? "true" : "false";
                    if (string.CompareOrdinal(json, pos, word, 0, word.Length) != 0) return false;
                    pos += word.Length;
                    if (at >= 0 && (cimClass.Properties[at].TypeInfo.IsArray || cimClass.Properties[at].TypeInfo.Type != CimType.Boolean)) return false;
                    value = b;
                }
                else if (c == '-' || (c >= '0' && c <= '9'))
                {
                    int start = pos;
                    while (pos < json.Length && (char.IsDigit(json[pos]) || json[pos] == '-' || json[pos] == '+' || json[pos] == '.' || json[pos] == 'e' || json[pos] == 'E')) pos++;
                    value = at < 0 ? null : ReadNumber(json, start, pos - start, cimClass.Properties[at].TypeInfo);
                    if (at >= 0 && value == null) return false;
                }
                else return false; // arrays, null, objects: the general reader
                if (at >= 0) values[at] = value;
                if (pos >= json.Length) return false;
                if (json[pos] == ',') { pos++; continue; }
                if (json[pos] == '}') return pos + 1 == json.Length;
                return false;
            }
        }

        private static object? ReadNumber(string s, int start, int length, CimTypeInfo type)
        {
            if (type.IsArray) return null;
            var inv = CultureInfo.InvariantCulture;
            try
            {
                switch (type.Type)
                {
                    case CimType.SInt32: return int.Parse(s.Substring(start, length), NumberStyles.AllowLeadingSign, inv);
                    case CimType.UInt32: return uint.Parse(s.Substring(start, length), NumberStyles.None, inv);
                    case CimType.SInt64: return long.Parse(s.Substring(start, length), NumberStyles.AllowLeadingSign, inv);
                    case CimType.UInt64: return ulong.Parse(s.Substring(start, length), NumberStyles.None, inv);
                    case CimType.UInt16: return ushort.Parse(s.Substring(start, length), NumberStyles.None, inv);
                    case CimType.SInt16: return short.Parse(s.Substring(start, length), NumberStyles.AllowLeadingSign, inv);
                    case CimType.UInt8: return byte.Parse(s.Substring(start, length), NumberStyles.None, inv);
                    case CimType.SInt8: return sbyte.Parse(s.Substring(start, length), NumberStyles.AllowLeadingSign, inv);
                    case CimType.Real64:
                        {
                            var text = s.Substring(start, length);
                            return text == "-0" ? -0.0 : double.Parse(text, NumberStyles.Float, inv);
                        }
                    case CimType.Real32:
                        {
                            var text = s.Substring(start, length);
                            return text == "-0" ? -0.0f : float.Parse(text, NumberStyles.Float, inv);
                        }
                    default: return null; // anything else: the general reader decides (and reports corruption)
                }
            }
            catch (FormatException) { return null; }
            catch (OverflowException) { return null; }
        }
    }
}
