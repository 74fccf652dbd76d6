using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace CimLite
{
    /// <summary>
    /// Converts caller values to a property's CIM type, with range checks. Canonical CLR types:
    /// boolean: Boolean; string: String; char16: Char; uintN/sintN: Byte, SByte, UInt16, Int16, UInt32, Int32,
    /// UInt64, Int64; real32: Single; real64: Double; datetime: DateTimeOffset (timestamp) or TimeSpan (interval);
    /// reference: String (a canonical instance path). Arrays become typed arrays of those.
    /// </summary>
    public static class CimValueConverter
    {
        /// <summary>Converts <paramref name="value"/> to the given property type.</summary>
        /// <exception cref="CimLiteException">TYPE_MISMATCH naming the property and value.</exception>
        public static object? Convert(object? value, CimTypeInfo type, string className, string propertyName) =>
            Convert(value, type, className, propertyName, null);

        /// <summary>
        /// Converts <paramref name="value"/> to the given property type after stripping a host's wrappers from it
        /// and from each array element with <paramref name="unwrap"/> (a session's <see cref="CimLiteSession.ValueUnwrapper"/>).
        /// </summary>
        /// <exception cref="CimLiteException">TYPE_MISMATCH naming the property and value.</exception>
        public static object? Convert(object? value, CimTypeInfo type, string className, string propertyName, Func<object?, object?>? unwrap)
        {
            // A value already of the property's CLR type (a scalar bool, number, string or char is neither a
            // dictionary nor a collection, nor a host's wrapper) needs no unwrapping or conversion: every put converts
            // every value again (issue 17).
            if (value != null && !type.IsArray && IsCanonical(value, type.Type)) return value;
            if (unwrap != null) value = unwrap(value);
            if (value == null) return null;
            if (!type.IsArray && IsCanonical(value, type.Type)) return value;
            if (value is IDictionary)
                throw Mismatch(value, type, className, propertyName, Messages.DictionaryForValue);
            if (type.IsArray)
            {
                if (value is string || !(value is IEnumerable items))
                    items = new[] { value };
                var converted = new List<object>();
                foreach (var raw in items)
                {
                    var item = unwrap != null ? unwrap(raw) : raw;
                    if (item == null)
                        throw Mismatch(value, type, className, propertyName, Messages.ArrayNullElement);
                    converted.Add(ConvertScalar(item, type, className, propertyName, value));
                }
                return ToTypedArray(type.Type, converted);
            }
            if (value is IEnumerable && !(value is string))
                throw Mismatch(value, type, className, propertyName, Messages.ArrayForScalar);
            return ConvertScalar(value, type, className, propertyName, value);
        }

        internal static Array ToTypedArray(CimType type, List<object> items)
        {
            Array array;
            switch (type)
            {
                case CimType.Boolean: array = new bool[items.Count]; break;
                case CimType.String:
                case CimType.Reference: array = new string[items.Count]; break;
                case CimType.Char16: array = new char[items.Count]; break;
                case CimType.UInt8: array = new byte[items.Count]; break;
                case CimType.SInt8: array = new sbyte[items.Count]; break;
                case CimType.UInt16: array = new ushort[items.Count]; break;
                case CimType.SInt16: array = new short[items.Count]; break;
                case CimType.UInt32: array = new uint[items.Count]; break;
                case CimType.SInt32: array = new int[items.Count]; break;
                case CimType.UInt64: array = new ulong[items.Count]; break;
                case CimType.SInt64: array = new long[items.Count]; break;
                case CimType.Real32: array = new float[items.Count]; break;
                case CimType.Real64: array = new double[items.Count]; break;
                case CimType.DateTime:
                    bool allStamps = true, allIntervals = true;
                    foreach (var i in items) { if (i is TimeSpan) allStamps = false; else allIntervals = false; }
                    array = items.Count > 0 && allIntervals ? new TimeSpan[items.Count]
                        : allStamps ? new DateTimeOffset[items.Count] : new object[items.Count];
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(type));
            }
            for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            return array;
        }

        private static CimLiteException Mismatch(object value, CimTypeInfo type, string className, string propertyName, string reason) =>
            new CimLiteException(CimStatus.TypeMismatch, Messages.TypeMismatch(className, propertyName, Describe(value), type.ToString(), reason), className, propertyName);

        internal static string Describe(object? value) => Describe(value, 0);

        private static string Describe(object? value, int depth)
        {
            if (value == null) return "null";
            string text;
            if (value is IEnumerable e && !(value is string))
            {
                if (depth == 3) return "@(…)"; // nested arrays (a 1000-deep one too) are described three levels deep
                var parts = new List<string>();
                foreach (var item in e) { if (parts.Count == 5) { parts.Add("…"); break; } parts.Add(Describe(item, depth + 1)); }
                text = "@(" + string.Join(", ", parts) + ")";
            }
            else
            {
                text = System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
            if (text.Length > 80) text = text.Substring(0, 77) + "...";
            return text;
        }

        /// <summary>True when a value already is the canonical CLR type of a scalar CIM type that needs no normalising.</summary>
        private static bool IsCanonical(object value, CimType type)
        {
            switch (type)
            {
                case CimType.Boolean: return value is bool;
                case CimType.String: return value is string;
                case CimType.Char16: return value is char;
                case CimType.UInt8: return value is byte;
                case CimType.SInt8: return value is sbyte;
                case CimType.UInt16: return value is ushort;
                case CimType.SInt16: return value is short;
                case CimType.UInt32: return value is uint;
                case CimType.SInt32: return value is int;
                case CimType.UInt64: return value is ulong;
                case CimType.SInt64: return value is long;
                case CimType.Real32: return value is float;
                case CimType.Real64: return value is double;
                default: return false; // datetimes are truncated to microseconds, references canonicalised
            }
        }

        private static object ConvertScalar(object value, CimTypeInfo type, string className, string propertyName, object whole)
        {
            if (IsCanonical(value, type.Type)) return value;
            switch (type.Type)
            {
                case CimType.Boolean:
                    if (value is bool b) return b;
                    if (value is string bs)
                    {
                        if (string.Equals(bs.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return true;
                        if (string.Equals(bs.Trim(), "false", StringComparison.OrdinalIgnoreCase)) return false;
                    }
                    throw Mismatch(whole, type, className, propertyName, Messages.NotABoolean);
                case CimType.String:
                    if (value is string s) return s;
                    if (value is char c) return c.ToString();
                    if (value is bool || value is Guid || IsNumber(value))
                        return System.Convert.ToString(value, CultureInfo.InvariantCulture)!;
                    throw Mismatch(whole, type, className, propertyName, Messages.NotAString(value.GetType().FullName ?? "?"));
                case CimType.Char16:
                    if (value is char ch) return ch;
                    if (value is string cs && cs.Length == 1) return cs[0];
                    if (IsInteger(value) && TryInteger(value, out var code) && code >= 0 && code <= char.MaxValue) return (char)(int)code;
                    throw Mismatch(whole, type, className, propertyName, Messages.NotAChar);
                case CimType.UInt8: return CheckedInteger(value, type, className, propertyName, whole, byte.MinValue, byte.MaxValue, d => (byte)d);
                case CimType.SInt8: return CheckedInteger(value, type, className, propertyName, whole, sbyte.MinValue, sbyte.MaxValue, d => (sbyte)d);
                case CimType.UInt16: return CheckedInteger(value, type, className, propertyName, whole, ushort.MinValue, ushort.MaxValue, d => (ushort)d);
                case CimType.SInt16: return CheckedInteger(value, type, className, propertyName, whole, short.MinValue, short.MaxValue, d => (short)d);
                case CimType.UInt32: return CheckedInteger(value, type, className, propertyName, whole, uint.MinValue, uint.MaxValue, d => (uint)d);
                case CimType.SInt32: return CheckedInteger(value, type, className, propertyName, whole, int.MinValue, int.MaxValue, d => (int)d);
                case CimType.UInt64: return CheckedInteger(value, type, className, propertyName, whole, ulong.MinValue, ulong.MaxValue, d => (ulong)d);
                case CimType.SInt64: return CheckedInteger(value, type, className, propertyName, whole, long.MinValue, long.MaxValue, d => (long)d);
                case CimType.Real32:
                    {
                        var d = ToReal(value, type, className, propertyName, whole);
                        if (!double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) > float.MaxValue)
                            throw Mismatch(whole, type, className, propertyName, Messages.OutOfRange("real32"));
                        return (float)d;
                    }
                case CimType.Real64: return ToReal(value, type, className, propertyName, whole);
                case CimType.DateTime:
                    if (value is DateTimeOffset dto) return dto.Ticks % 10 == 0 ? value : TruncateToMicroseconds(dto);
                    if (value is DateTime dt)
                        return TruncateToMicroseconds(dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt));
                    if (value is TimeSpan ts)
                    {
                        if (ts < TimeSpan.Zero) throw Mismatch(whole, type, className, propertyName, Messages.NegativeInterval);
                        return TimeSpan.FromTicks(ts.Ticks - ts.Ticks % 10);
                    }
                    if (value is string ds)
                    {
                        if (CimDateTime.TryParse(ds, out var parsed)) return parsed!;
                        if (DateTimeOffset.TryParse(ds, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)) return TruncateToMicroseconds(iso);
                    }
                    throw Mismatch(whole, type, className, propertyName, Messages.NotADateTime);
                case CimType.Reference:
                    {
                        InstancePath? path = value as InstancePath ?? (value as CimLiteInstance)?.GetPath();
                        if (path == null && value is string rs)
                            InstancePath.TryParse(rs, out path);
                        if (path == null)
                            throw Mismatch(whole, type, className, propertyName, Messages.NotAReference);
                        return path.ToString();
                    }
                default:
                    throw new ArgumentOutOfRangeException(nameof(type));
            }
        }

        private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
            new DateTimeOffset(value.Ticks - value.Ticks % 10, value.Offset);

        private static bool IsNumber(object value) =>
            value is sbyte || value is byte || value is short || value is ushort || value is int || value is uint ||
            value is long || value is ulong || value is float || value is double || value is decimal;

        private static bool IsInteger(object value) =>
            value is sbyte || value is byte || value is short || value is ushort || value is int || value is uint ||
            value is long || value is ulong;

        private static bool TryInteger(object value, out decimal result)
        {
            result = 0;
            switch (value)
            {
                case sbyte v: result = v; return true;
                case byte v: result = v; return true;
                case short v: result = v; return true;
                case ushort v: result = v; return true;
                case int v: result = v; return true;
                case uint v: result = v; return true;
                case long v: result = v; return true;
                case ulong v: result = v; return true;
                case Enum e: return TryInteger(System.Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture), out result);
                case float f: return TryIntegralReal(f, out result);
                case double d: return TryIntegralReal(d, out result);
                case decimal m: if (decimal.Truncate(m) != m) return false; result = m; return true;
                case string s:
                    {
                        var t = s.Trim();
                        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
                            ulong.TryParse(t.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                        { result = hex; return true; }
                        return decimal.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
                    }
                default: return false;
            }
        }

        private static bool TryIntegralReal(double d, out decimal result)
        {
            result = 0;
            if (double.IsNaN(d) || double.IsInfinity(d) || Math.Floor(d) != d || Math.Abs(d) > 7.9e28) return false;
            result = (decimal)d;
            return true;
        }

        private static object CheckedInteger(object value, CimTypeInfo type, string className, string propertyName, object whole, decimal min, decimal max, Func<decimal, object> make)
        {
            if (value is bool || value is char || !TryInteger(value, out var d))
                throw Mismatch(whole, type, className, propertyName, Messages.NotAnInteger);
            if (d < min || d > max)
                throw Mismatch(whole, type, className, propertyName, Messages.OutOfRangeWithBounds(CimTypeInfo.GetName(type.Type), min, max));
            return make(d);
        }

        private static double ToReal(object value, CimTypeInfo type, string className, string propertyName, object whole)
        {
            switch (value)
            {
                case float f: return f;
                case double d: return d;
                case decimal m: return (double)m;
                case string s:
                    if (double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                    break;
                default:
                    if (IsInteger(value) && TryInteger(value, out var i)) return (double)i;
                    break;
            }
            throw Mismatch(whole, type, className, propertyName, Messages.NotAReal);
        }

        /// <summary>Normalises a qualifier value: boolean, string, Int64, UInt64, Double, arrays of these, or null.</summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER for any other kind of value.</exception>
        public static object? NormalizeQualifierValue(string qualifierName, object? value)
        {
            switch (value)
            {
                case null: return null;
                case bool _: case string _: case long _: case ulong _: case double _: return value;
                case char c: return c.ToString();
                case float f: return (double)f;
                case decimal m: return (double)m;
                case sbyte _: case short _: case int _: return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case byte _: case ushort _: case uint _: return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case IEnumerable e:
                    {
                        var list = new List<object?>();
                        foreach (var item in e)
                        {
                            if (item is IEnumerable && !(item is string))
                                throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidQualifierValue(qualifierName, Describe(value)));
                            var n = NormalizeQualifierValue(qualifierName, item);
                            if (n == null || n is Array)
                                throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidQualifierValue(qualifierName, Describe(value)));
                            list.Add(n);
                        }
                        return list.ToArray();
                    }
                default:
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.InvalidQualifierValue(qualifierName, Describe(value)));
            }
        }
    }
}
