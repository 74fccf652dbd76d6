using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite.Storage
{
    /// <summary>
    /// The stored form of values, qualifiers and class definitions: compact JSON, typed by the schema.
    /// Instance data is an object keyed by the declared property names; nulls are omitted.
    /// </summary>
    internal static class ValueCodec
    {
        // One builder per thread for EncodeValues (issue 17: every put encodes; the builder of a row of ten values
        // grew once per put and was thrown away). Not reentrant use: EncodeValues calls nothing that encodes again.
        [ThreadStatic] private static StringBuilder? _encodeBuilder;

        public static string EncodeValues(CimLiteClass cimClass, object?[] values)
        {
            var sb = _encodeBuilder ?? new StringBuilder(512);
            _encodeBuilder = null;
            sb.Clear();
            try
            {
                EncodeValues(sb, cimClass, values);
                return sb.ToString();
            }
            finally
            {
                if (sb.Capacity <= 16 * 1024) _encodeBuilder = sb;
            }
        }

        private static void EncodeValues(StringBuilder sb, CimLiteClass cimClass, object?[] values)
        {
            var names = cimClass.JsonMemberNames;
            sb.Append('{');
            bool first = true;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] == null) continue;
                if (!first) sb.Append(',');
                first = false;
                sb.Append(names[i]);
                WriteValue(sb, values[i]!);
            }
            sb.Append('}');
        }

        /// <summary>An instance of <paramref name="cimClass"/> from its stored values and qualifiers (keys only: the rest left null, no qualifiers).</summary>
        public static CimLiteInstance DecodeInstance(CimLiteClass cimClass, string data, string? qualifiers, bool keysOnly)
        {
            var values = DecodeValues(cimClass, data);
            if (keysOnly)
                for (int i = 0; i < values.Length; i++)
                    if (!cimClass.Properties[i].IsKey) values[i] = null;
            var quals = qualifiers == null || keysOnly ? null : ReadQualifiers(Json.Parse(qualifiers));
            return new CimLiteInstance(cimClass, values, quals);
        }

        public static object?[] DecodeValues(CimLiteClass cimClass, string json)
        {
            var values = new object?[cimClass.Properties.Count];
            if (ValueDecoder.TryDecode(cimClass, json, values)) return values;
            Array.Clear(values, 0, values.Length);
            if (!(Json.Parse(json) is Dictionary<string, object?> obj)) throw Corrupt();
            for (int i = 0; i < values.Length; i++)
            {
                var p = cimClass.Properties[i];
                if (obj.TryGetValue(p.Name, out var raw) && raw != null)
                    values[i] = ReadValue(raw, p.TypeInfo);
            }
            return values;
        }

        private static Exception Corrupt() => new CimLiteException(CimStatus.Failed, Messages.CorruptStoredData(0));

        public static void WriteValue(StringBuilder sb, object value)
        {
            switch (value)
            {
                case bool b: sb.Append(b ? "true" : "false"); break;
                case string s: Json.WriteString(sb, s); break;
                // Integers written digit by digit: the same text as Convert.ToString(value, InvariantCulture), without
                // a string per value (issue 17: every put encodes every property).
                case int i32: AppendInteger(sb, i32 < 0, i32 < 0 ? (ulong)(-(long)i32) : (ulong)i32); break;
                case long i64: AppendInteger(sb, i64 < 0, i64 < 0 ? (ulong)(-(i64 + 1)) + 1UL : (ulong)i64); break;
                case uint u32: AppendInteger(sb, false, u32); break;
                case ulong u64: AppendInteger(sb, false, u64); break;
                case ushort u16: AppendInteger(sb, false, u16); break;
                case short i16: AppendInteger(sb, i16 < 0, i16 < 0 ? (ulong)(-(int)i16) : (ulong)i16); break;
                case byte u8: AppendInteger(sb, false, u8); break;
                case sbyte i8: AppendInteger(sb, i8 < 0, i8 < 0 ? (ulong)(-(int)i8) : (ulong)i8); break;
                case DateTimeOffset stamp:
                    sb.Append('"');
                    CimDateTime.Append(sb, stamp); // digits, '.', a sign: nothing to escape
                    sb.Append('"');
                    break;
                case char c: Json.WriteString(sb, c.ToString()); break;
                // G9/G17 round-trip on every framework ("R" does not on .NET Framework); negative zero is
                // spelled out because .NET Framework formats and parses it as plain 0.
                case float f: WriteReal(sb, f, IsNegativeZero(f) ? "-0" : f.ToString("G9", CultureInfo.InvariantCulture)); break;
                case double d: WriteReal(sb, d, IsNegativeZero(d) ? "-0" : d.ToString("G17", CultureInfo.InvariantCulture)); break;
                case TimeSpan _: Json.WriteString(sb, CimDateTime.Format(value)); break;
                case Array a:
                    sb.Append('[');
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (i > 0) sb.Append(',');
                        WriteValue(sb, a.GetValue(i)!);
                    }
                    sb.Append(']');
                    break;
                default: sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }

        [ThreadStatic] private static char[]? _digits;

        /// <summary>Appends an integer given as its sign and magnitude in invariant decimal digits.</summary>
        internal static void AppendInteger(StringBuilder sb, bool negative, ulong magnitude)
        {
            if (negative) sb.Append('-');
            if (magnitude < 10)
            {
                sb.Append((char)('0' + (int)magnitude));
                return;
            }
            var digits = _digits ?? (_digits = new char[20]);
            int at = digits.Length;
            do
            {
                ulong next = magnitude / 10;
                digits[--at] = (char)('0' + (int)(magnitude - next * 10));
                magnitude = next;
            }
            while (magnitude != 0);
            sb.Append(digits, at, digits.Length - at);
        }

        private static bool IsNegativeZero(double d) => d == 0 && BitConverter.DoubleToInt64Bits(d) < 0;

        private static void WriteReal(StringBuilder sb, double d, string text)
        {
            if (double.IsNaN(d) || double.IsInfinity(d)) Json.WriteString(sb, text);
            else sb.Append(text);
        }

        public static object ReadValue(object raw, CimTypeInfo type)
        {
            if (type.IsArray)
            {
                if (!(raw is List<object?> list)) throw Corrupt();
                var items = new List<object>(list.Count);
                foreach (var item in list) items.Add(ReadScalar(item ?? throw Corrupt(), type.Type));
                return CimValueConverter.ToTypedArray(type.Type, items);
            }
            return ReadScalar(raw, type.Type);
        }

        private static object ReadScalar(object raw, CimType type)
        {
            var text = raw is Json.Number n ? n.Text : raw as string;
            try
            {
                switch (type)
                {
                    case CimType.Boolean: return raw is bool b ? b : throw Corrupt();
                    case CimType.String:
                    case CimType.Reference: return raw as string ?? throw Corrupt();
                    case CimType.Char16: return text != null && text.Length == 1 ? text[0] : throw Corrupt();
                    case CimType.UInt8: return byte.Parse(text!, CultureInfo.InvariantCulture);
                    case CimType.SInt8: return sbyte.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    case CimType.UInt16: return ushort.Parse(text!, CultureInfo.InvariantCulture);
                    case CimType.SInt16: return short.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    case CimType.UInt32: return uint.Parse(text!, CultureInfo.InvariantCulture);
                    case CimType.SInt32: return int.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    case CimType.UInt64: return ulong.Parse(text!, CultureInfo.InvariantCulture);
                    case CimType.SInt64: return long.Parse(text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    case CimType.Real32: return text == "-0" ? -0.0f : float.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);
                    case CimType.Real64: return text == "-0" ? -0.0 : double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);
                    case CimType.DateTime:
                        return text != null && CimDateTime.TryParse(text, out var dt) ? dt! : throw Corrupt();
                    default: throw Corrupt();
                }
            }
            catch (FormatException) { throw Corrupt(); }
            catch (OverflowException) { throw Corrupt(); }
            catch (ArgumentNullException) { throw Corrupt(); }
        }

        // Qualifiers: [{"n":name,"f":flavor,"t":tag,"v":value}] with tag b|s|i|u|r, suffixed by [] for arrays, or null.
        public static void WriteQualifiers(StringBuilder sb, IEnumerable<CimQualifier> qualifiers)
        {
            sb.Append('[');
            bool first = true;
            foreach (var q in qualifiers)
            {
                if (!first) sb.Append(',');
                first = false;
                sb.Append("{\"n\":");
                Json.WriteString(sb, q.Name);
                sb.Append(",\"f\":").Append(((int)q.Flavor).ToString(CultureInfo.InvariantCulture));
                if (q.Value != null)
                {
                    sb.Append(",\"t\":");
                    Json.WriteString(sb, Tag(q.Value));
                    sb.Append(",\"v\":");
                    WriteValue(sb, q.Value);
                }
                sb.Append('}');
            }
            sb.Append(']');
        }

        public static string EncodeQualifiers(IEnumerable<CimQualifier> qualifiers)
        {
            var sb = new StringBuilder();
            WriteQualifiers(sb, qualifiers);
            return sb.ToString();
        }

        private static string Tag(object value)
        {
            if (value is Array a)
            {
                var inner = a.Length > 0 ? Tag(a.GetValue(0)!) : "s";
                return inner + "[]";
            }
            switch (value)
            {
                case bool _: return "b";
                case string _: return "s";
                case long _: return "i";
                case ulong _: return "u";
                default: return "r";
            }
        }

        public static List<CimQualifier> ReadQualifiers(object? raw)
        {
            var result = new List<CimQualifier>();
            if (raw == null) return result;
            if (!(raw is List<object?> list)) throw Corrupt();
            foreach (var item in list)
            {
                if (!(item is Dictionary<string, object?> q)) throw Corrupt();
                var name = q["n"] as string ?? throw Corrupt();
                var flavor = (QualifierFlavor)int.Parse(((Json.Number)q["f"]!).Text, CultureInfo.InvariantCulture);
                object? value = null;
                if (q.TryGetValue("t", out var tagRaw) && tagRaw is string tag && q.TryGetValue("v", out var v) && v != null)
                {
                    bool isArray = tag.EndsWith("[]", StringComparison.Ordinal);
                    var scalar = isArray ? tag.Substring(0, tag.Length - 2) : tag;
                    if (isArray)
                    {
                        var items = new List<object?>();
                        foreach (var e in (List<object?>)v) items.Add(ReadQualifierScalar(e!, scalar));
                        value = items.ToArray();
                    }
                    else value = ReadQualifierScalar(v, scalar);
                }
                result.Add(new CimQualifier(name, value, flavor));
            }
            return result;
        }

        private static object ReadQualifierScalar(object raw, string tag)
        {
            switch (tag)
            {
                case "b": return (bool)raw;
                case "s": return (string)raw;
                case "i": return long.Parse(((Json.Number)raw).Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                case "u": return ulong.Parse(((Json.Number)raw).Text, CultureInfo.InvariantCulture);
                default:
                    return raw is string s ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)
                        : double.Parse(((Json.Number)raw).Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        // Class definitions: {"s":superclass,"q":[...],"p":[{"n":name,"t":type,"d":default,"q":[...]}]}
        public static string EncodeDefinition(CimClassDefinition definition, bool amended)
        {
            var sb = new StringBuilder();
            sb.Append('{');
            if (definition.Superclass != null && !amended)
            {
                sb.Append("\"s\":");
                Json.WriteString(sb, definition.Superclass);
                sb.Append(',');
            }
            sb.Append("\"q\":");
            WriteQualifiers(sb, Filter(definition.Qualifiers, amended));
            sb.Append(",\"p\":[");
            bool first = true;
            foreach (var p in definition.Properties)
            {
                if (!first) sb.Append(',');
                first = false;
                sb.Append("{\"n\":");
                Json.WriteString(sb, p.Name);
                if (!amended)
                {
                    sb.Append(",\"t\":");
                    Json.WriteString(sb, p.Type.ToString());
                    if (p.DefaultValue != null)
                    {
                        sb.Append(",\"d\":");
                        WriteValue(sb, p.DefaultValue);
                    }
                    if (p.ArraySize.HasValue) sb.Append(",\"z\":").Append(p.ArraySize.Value.ToString(CultureInfo.InvariantCulture));
                }
                sb.Append(",\"q\":");
                WriteQualifiers(sb, Filter(p.Qualifiers, amended));
                sb.Append('}');
            }
            sb.Append(']');
            if (definition.Methods.Count > 0) WriteMethods(sb, definition.Methods, amended);
            sb.Append('}');
            return sb.ToString();
        }

        // Methods (added in format 3, absent from older definitions): "m":[{"n":name,"t":return type,"q":[...],
        // "a":[{"n":name,"t":type,"z":size,"q":[...]}]}]; the amended form keeps names and Amended qualifiers only.
        private static void WriteMethods(StringBuilder sb, List<CimMethodDefinition> methods, bool amended)
        {
            sb.Append(",\"m\":[");
            for (int i = 0; i < methods.Count; i++)
            {
                var m = methods[i];
                if (i > 0) sb.Append(',');
                sb.Append("{\"n\":");
                Json.WriteString(sb, m.Name);
                if (!amended)
                {
                    sb.Append(",\"t\":");
                    Json.WriteString(sb, m.ReturnType.ToString());
                }
                sb.Append(",\"q\":");
                WriteQualifiers(sb, Filter(m.Qualifiers, amended));
                sb.Append(",\"a\":[");
                for (int j = 0; j < m.Parameters.Count; j++)
                {
                    var p = m.Parameters[j];
                    if (j > 0) sb.Append(',');
                    sb.Append("{\"n\":");
                    Json.WriteString(sb, p.Name);
                    if (!amended)
                    {
                        sb.Append(",\"t\":");
                        Json.WriteString(sb, p.Type.ToString());
                        if (p.ArraySize.HasValue) sb.Append(",\"z\":").Append(p.ArraySize.Value.ToString(CultureInfo.InvariantCulture));
                    }
                    sb.Append(",\"q\":");
                    WriteQualifiers(sb, Filter(p.Qualifiers, amended));
                    sb.Append('}');
                }
                sb.Append("]}");
            }
            sb.Append(']');
        }

        private static int? ReadSize(Dictionary<string, object?> item) =>
            item.TryGetValue("z", out var z) && z is Json.Number n ? int.Parse(n.Text, CultureInfo.InvariantCulture) : (int?)null;

        private static void ReadMethods(CimClassDefinition definition, Dictionary<string, object?> obj)
        {
            if (!obj.TryGetValue("m", out var raw) || !(raw is List<object?> list)) return;
            foreach (var item in list)
            {
                var m = (Dictionary<string, object?>)item!;
                var method = new CimMethodDefinition((string)m["n"]!, CimTypeInfo.Parse((string)m["t"]!));
                method.Qualifiers.AddRange(ReadQualifiers(m.TryGetValue("q", out var q) ? q : null));
                if (m.TryGetValue("a", out var a) && a is List<object?> args)
                    foreach (var argItem in args)
                    {
                        var pa = (Dictionary<string, object?>)argItem!;
                        var parameter = new CimParameterDefinition((string)pa["n"]!, CimTypeInfo.Parse((string)pa["t"]!)) { ArraySize = ReadSize(pa) };
                        parameter.Qualifiers.AddRange(ReadQualifiers(pa.TryGetValue("q", out var pq) ? pq : null));
                        method.Parameters.Add(parameter);
                    }
                definition.Methods.Add(method);
            }
        }

        private static void ReadAmendedMethods(CimClassDefinition definition, Dictionary<string, object?> am)
        {
            if (!am.TryGetValue("m", out var raw) || !(raw is List<object?> list)) return;
            foreach (var item in list)
            {
                var m = (Dictionary<string, object?>)item!;
                var method = definition.Methods.Find(x => CimName.Comparer.Equals(x.Name, (string)m["n"]!));
                if (method == null) continue;
                method.Qualifiers.AddRange(ReadQualifiers(m.TryGetValue("q", out var q) ? q : null));
                if (m.TryGetValue("a", out var a) && a is List<object?> args)
                    foreach (var argItem in args)
                    {
                        var pa = (Dictionary<string, object?>)argItem!;
                        var parameter = method.Parameters.Find(x => CimName.Comparer.Equals(x.Name, (string)pa["n"]!));
                        parameter?.Qualifiers.AddRange(ReadQualifiers(pa.TryGetValue("q", out var pq) ? pq : null));
                    }
            }
        }

        private static IEnumerable<CimQualifier> Filter(IEnumerable<CimQualifier> qualifiers, bool amended)
        {
            foreach (var q in qualifiers) if (q.IsAmended == amended) yield return q;
        }

        public static CimClassDefinition DecodeDefinition(string className, string json, string? amendedJson)
        {
            if (!(Json.Parse(json) is Dictionary<string, object?> obj)) throw Corrupt();
            var definition = new CimClassDefinition(className);
            if (obj.TryGetValue("s", out var s)) definition.Superclass = s as string;
            definition.Qualifiers.AddRange(ReadQualifiers(obj.TryGetValue("q", out var q) ? q : null));
            var byName = new Dictionary<string, CimPropertyDefinition>(CimName.Comparer);
            if (obj.TryGetValue("p", out var props) && props is List<object?> list)
            {
                foreach (var item in list)
                {
                    var p = (Dictionary<string, object?>)item!;
                    var type = CimTypeInfo.Parse((string)p["t"]!);
                    var pd = new CimPropertyDefinition((string)p["n"]!, type);
                    if (p.TryGetValue("d", out var d) && d != null) pd.DefaultValue = ReadValue(d, type);
                    pd.ArraySize = ReadSize(p);
                    pd.Qualifiers.AddRange(ReadQualifiers(p.TryGetValue("q", out var pq) ? pq : null));
                    definition.Properties.Add(pd);
                    byName[pd.Name] = pd;
                }
            }
            ReadMethods(definition, obj);
            if (amendedJson != null && Json.Parse(amendedJson) is Dictionary<string, object?> am)
            {
                ReadAmendedMethods(definition, am);
                definition.Qualifiers.AddRange(ReadQualifiers(am.TryGetValue("q", out var aq) ? aq : null));
                if (am.TryGetValue("p", out var ap) && ap is List<object?> alist)
                    foreach (var item in alist)
                    {
                        var p = (Dictionary<string, object?>)item!;
                        if (byName.TryGetValue((string)p["n"]!, out var pd))
                            pd.Qualifiers.AddRange(ReadQualifiers(p.TryGetValue("q", out var pq) ? pq : null));
                    }
            }
            return definition;
        }

        public static bool HasAmended(CimClassDefinition definition)
        {
            foreach (var q in definition.Qualifiers) if (q.IsAmended) return true;
            foreach (var p in definition.Properties)
                foreach (var q in p.Qualifiers) if (q.IsAmended) return true;
            foreach (var m in definition.Methods)
            {
                foreach (var q in m.Qualifiers) if (q.IsAmended) return true;
                foreach (var p in m.Parameters)
                    foreach (var q in p.Qualifiers) if (q.IsAmended) return true;
            }
            return false;
        }
    }
}
