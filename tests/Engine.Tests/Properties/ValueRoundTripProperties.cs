using System.Globalization;
using System.Text;
using CimLite.Storage;
using CimLite.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;

namespace CimLite.Tests.Properties;

/// <summary>
/// Property-based: every CIM type and its array form survives the stored form — put into a repository (in
/// memory, and a file closed and reopened) and read back, and through the value codec directly — with
/// equality defined per type: reals compare bit for bit (so -0 keeps its sign) except that NaN equals NaN,
/// datetimes compare clock time and offset (not only the instant), arrays element by element and by type.
/// </summary>
public sealed class ValueRoundTripProperties : IDisposable
{
    private static readonly string[] ScalarTypes =
        { "boolean", "string", "char16", "uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64", "real32", "real64", "datetime", "ref" };

    private readonly CimLiteSession _session = CimLiteSession.OpenInMemory();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cimlite-props-" + Guid.NewGuid().ToString("N"));

    public ValueRoundTripProperties() => Declare(_session);

    public void Dispose()
    {
        _session.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }

    private static string PropertyName(string type, bool array) => (array ? "A_" : "P_") + (type == "ref" ? "Ref" : type);

    /// <summary>AllTypes: key Id (uint32), one scalar and one array property per CIM type; StrKey: one string key and a value.</summary>
    private static void Declare(CimLiteSession session)
    {
        var spec = SessionFixture.Class(session, "AllTypes").Key("Id", "uint32");
        foreach (var t in ScalarTypes)
        {
            spec.Prop(PropertyName(t, false), t);
            spec.Prop(PropertyName(t, true), t + "[]");
        }
        spec.Create();
        SessionFixture.Class(session, "StrKey").Key("K").Prop("V", "sint32").Create();
    }

    // ---- generators --------------------------------------------------------------------------------------

    private static readonly Gen<float> Real32s = Gen.Frequency(
        (2, Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, 0.0f, float.Epsilon, -float.Epsilon,
            1e-40f, BitConverter.Int32BitsToSingle(0x007FFFFF), 1.17549435E-38f, float.MaxValue, float.MinValue, 0.1f, 16777217f,
            BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)))), // a negative NaN with a payload
        (3, from a in Gen.Choose(int.MinValue, int.MaxValue) select BitConverter.Int32BitsToSingle(a)),
        (1, ArbMap.Default.GeneratorFor<float>()));

    private static readonly Gen<double> Real64s = Gen.Frequency(
        (2, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, -double.Epsilon,
            BitConverter.Int64BitsToDouble(0x000FFFFFFFFFFFFF), 2.2250738585072014E-308, double.MaxValue, double.MinValue, 0.1,
            9007199254740993.0, Math.PI, BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000001)))),
        (3, InstancePathProperties.FullUInt64.Select(u => BitConverter.Int64BitsToDouble(unchecked((long)u)))),
        (1, ArbMap.Default.GeneratorFor<double>()));

    private static Gen<object> Integer<T>(T min, T max) where T : struct =>
        Gen.Frequency((1, Gen.Elements(min, max, default(T))), (3, ArbMap.Default.GeneratorFor<T>())).Select(v => (object)v);

    private static readonly Gen<char> Chars = Gen.OneOf(
        Gen.Elements('\0', '\ud800', '\udbff', '\udc00', '\udfff', '"', '\\', '\u2028', '\uffff', '\ufffe', 'é', 'ß', '\n'),
        Gen.Choose(0, 0xFFFF).Select(i => (char)i));

    /// <summary>A scalar value of a CIM type, already of its canonical CLR type.</summary>
    private static Gen<object> Scalar(string type) => type switch
    {
        "boolean" => Gen.Elements<object>(true, false),
        "string" => InstancePathProperties.NastyStrings.Select(s => (object)s),
        "char16" => Chars.Select(c => (object)c),
        "uint8" => Integer(byte.MinValue, byte.MaxValue),
        "sint8" => Integer(sbyte.MinValue, sbyte.MaxValue),
        "uint16" => Integer(ushort.MinValue, ushort.MaxValue),
        "sint16" => Integer(short.MinValue, short.MaxValue),
        "uint32" => Gen.OneOf(Integer(uint.MinValue, uint.MaxValue), InstancePathProperties.FullUInt64.Select(u => (object)(uint)u)),
        "sint32" => Gen.OneOf(Integer(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue).Select(i => (object)i)),
        "uint64" => Gen.OneOf(Integer(ulong.MinValue, ulong.MaxValue), InstancePathProperties.FullUInt64.Select(u => (object)u)),
        "sint64" => Gen.OneOf(Integer(long.MinValue, long.MaxValue), InstancePathProperties.FullUInt64.Select(u => (object)unchecked((long)u))),
        "real32" => Real32s.Select(f => (object)f),
        "real64" => Real64s.Select(d => (object)d),
        "datetime" => Gen.OneOf(InstancePathProperties.Timestamps.Select(t => (object)t), InstancePathProperties.Intervals.Select(t => (object)t)),
        "ref" => InstancePathProperties.Paths(1).Select(p => (object)p.ToString()),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static Array TypedArray(string type, object[] items)
    {
        Type element = type switch
        {
            "boolean" => typeof(bool), "string" => typeof(string), "ref" => typeof(string), "char16" => typeof(char),
            "uint8" => typeof(byte), "sint8" => typeof(sbyte), "uint16" => typeof(ushort), "sint16" => typeof(short),
            "uint32" => typeof(uint), "sint32" => typeof(int), "uint64" => typeof(ulong), "sint64" => typeof(long),
            "real32" => typeof(float), "real64" => typeof(double), _ => typeof(object),
        };
        if (type == "datetime" && items.Length > 0 && items.All(i => i is TimeSpan)) element = typeof(TimeSpan);
        else if (type == "datetime" && items.All(i => i is DateTimeOffset)) element = typeof(DateTimeOffset);
        var array = Array.CreateInstance(element, items.Length);
        for (int i = 0; i < items.Length; i++) array.SetValue(items[i], i);
        return array;
    }

    private static Gen<object?> Value(string type, bool array)
    {
        if (!array) return Gen.Frequency((1, Gen.Constant<object?>(null)), (6, Scalar(type).Select(v => (object?)v)));
        var items = Gen.Frequency(
            (1, Gen.Constant(Array.Empty<object>())),
            (12, Gen.ArrayOf(Scalar(type))),
            (1, Gen.Choose(200, 1000).SelectMany(n => Gen.ArrayOf(Scalar(type), n))));
        return Gen.Frequency((1, Gen.Constant<object?>(null)), (6, items.Select(a => (object?)TypedArray(type, a))));
    }

    /// <summary>One value (or null) for every property of AllTypes but the key.</summary>
    private static readonly Gen<Dictionary<string, object?>> Rows = RowsOf(ScalarTypes.SelectMany(t => new[] { (t, false), (t, true) }));

    /// <summary>Scalar properties only (what the decoder's fast path reads).</summary>
    private static readonly Gen<Dictionary<string, object?>> ScalarRows = RowsOf(ScalarTypes.Select(t => (t, false)));

    private static Gen<Dictionary<string, object?>> RowsOf(IEnumerable<(string, bool)> properties) =>
        properties
            .Aggregate(Gen.Constant(new List<(string, object?)>()),
                (acc, p) => from list in acc from v in Value(p.Item1, p.Item2) select new List<(string, object?)>(list) { (PropertyName(p.Item1, p.Item2), v) })
            .Select(list => list.ToDictionary(x => x.Item1, x => x.Item2, StringComparer.OrdinalIgnoreCase));

    // ---- equality ----------------------------------------------------------------------------------------

    internal static bool SameScalar(object expected, object actual)
    {
        if (expected.GetType() != actual.GetType()) return false;
        switch (expected)
        {
            case float f:
                var g = (float)actual;
                return float.IsNaN(f) ? float.IsNaN(g) : BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(g);
            case double d:
                var e = (double)actual;
                return double.IsNaN(d) ? double.IsNaN(e) : BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(e);
            case DateTimeOffset t:
                var u = (DateTimeOffset)actual;
                return t.Ticks == u.Ticks && t.Offset == u.Offset;
            case string s:
                return string.Equals(s, (string)actual, StringComparison.Ordinal);
            default:
                return expected.Equals(actual);
        }
    }

    /// <summary>Null equals null; arrays need the same CLR array type and the same elements; scalars <see cref="SameScalar"/>.</summary>
    internal static bool SameValue(object? expected, object? actual)
    {
        if (expected == null || actual == null) return expected == null && actual == null;
        if (expected is Array ea)
        {
            if (!(actual is Array aa) || aa.GetType() != ea.GetType() || aa.Length != ea.Length) return false;
            for (int i = 0; i < ea.Length; i++)
                if (!SameScalar(ea.GetValue(i)!, aa.GetValue(i)!)) return false;
            return true;
        }
        return !(actual is Array) && SameScalar(expected, actual);
    }

    internal static string Show(object? v)
    {
        if (v == null) return "null";
        if (v is Array a) return v.GetType().Name + "[" + a.Length + "]{" + string.Join(", ", a.Cast<object>().Take(6).Select(Show)) + (a.Length > 6 ? ", …" : "") + "}";
        var text = v switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture) + " bits " + BitConverter.SingleToInt32Bits(f).ToString("x8"),
            double d => d.ToString("R", CultureInfo.InvariantCulture) + " bits " + BitConverter.DoubleToInt64Bits(d).ToString("x16"),
            DateTimeOffset t => t.ToString("o", CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        };
        var sb = new StringBuilder(v.GetType().Name + ":");
        foreach (var c in text) sb.Append(c < 0x20 || char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString());
        return sb.ToString();
    }

    private static void AssertSameRow(Dictionary<string, object?> expected, CimLiteInstance actual, string where)
    {
        foreach (var (name, value) in expected)
            if (!SameValue(value, actual[name])) Assert.Fail($"{where}: {name} expected {Show(value)}, read {Show(actual[name])}");
    }

    private static CimLiteInstance Make(CimLiteSession session, uint id, Dictionary<string, object?> row)
    {
        var values = new Dictionary<string, object?>(row, StringComparer.OrdinalIgnoreCase) { ["Id"] = id };
        return session.NewInstance("AllTypes", values);
    }

    // ---- properties --------------------------------------------------------------------------------------

    [Fact]
    public void EveryTypeAndArray_RoundTripsThroughAnInMemoryRepository()
    {
        uint id = 0;
        Prop.ForAll(Rows.ToArbitrary(), row =>
        {
            var instance = Make(_session, ++id, row);
            // What the caller holds is what was asked (the converter keeps canonical values as they are).
            AssertSameRow(row, instance, "in memory, before the put");
            var path = _session.PutInstance(instance);
            AssertSameRow(row, _session.GetInstance(path), "read back by path");
            AssertSameRow(row, _session.GetInstance(InstancePath.Parse(path.ToString())), "read back by parsed path");
            // Overwrite with itself (an update, not an insert): still the same values.
            _session.PutInstance(_session.GetInstance(path), new PutOptions { Mode = PutMode.UpdateOnly });
            AssertSameRow(row, _session.GetInstance(path), "after an update with what was read");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void EveryTypeAndArray_RoundTripsThroughTheCodecDirectly()
    {
        var cimClass = _session.GetClass("AllTypes");
        Prop.ForAll(Rows.ToArbitrary(), row =>
        {
            var values = Make(_session, 7, row).Values;
            var json = ValueCodec.EncodeValues(cimClass, values);
            // The decoder's fast path (it gives up on arrays) and the general reader, property by property.
            var decoded = ValueCodec.DecodeValues(cimClass, json);
            var general = (Dictionary<string, object?>)Json.Parse(json)!;
            for (int i = 0; i < values.Length; i++)
            {
                var p = cimClass.Properties[i];
                if (!SameValue(values[i], decoded[i])) Assert.Fail($"codec: {p.Name} expected {Show(values[i])}, decoded {Show(decoded[i])} from {json}");
                var raw = general.TryGetValue(p.Name, out var r) ? r : null;
                var read = raw == null ? null : ValueCodec.ReadValue(raw, p.TypeInfo);
                if (!SameValue(values[i], read)) Assert.Fail($"general reader: {p.Name} expected {Show(values[i])}, read {Show(read)}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void ScalarsOnly_TakeTheDecodersFastPathAndAgreeWithTheGeneralReader()
    {
        var cimClass = _session.GetClass("AllTypes");
        Prop.ForAll(ScalarRows.ToArbitrary(), row =>
        {
            var values = Make(_session, 9, row).Values;
            var json = ValueCodec.EncodeValues(cimClass, values);
            var fast = new object?[values.Length];
            Assert.True(ValueDecoder.TryDecode(cimClass, json, fast), "the fast decoder gave up on scalar data: " + json);
            for (int i = 0; i < values.Length; i++)
                if (!SameValue(values[i], fast[i])) Assert.Fail($"fast decoder: {cimClass.Properties[i].Name} expected {Show(values[i])}, got {Show(fast[i])} from {json}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void EveryTypeAndArray_RoundTripsThroughAFileRepositoryReopened()
    {
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "values.db");
        var rows = Gen.Sample(Rows, numberOfSamples: 150, size: 30);
        Assert.Equal(150, rows.Length);
        using (var session = CimLiteSession.Open(file))
        {
            Declare(session);
            for (int i = 0; i < rows.Length; i++) session.PutInstance(Make(session, (uint)i, rows[i]));
        }
        using (var reopened = CimLiteSession.Open(file, new CimLiteSessionOptions { ReadOnly = true }))
        {
            for (int i = 0; i < rows.Length; i++)
                AssertSameRow(rows[i], reopened.GetInstance(new InstancePath(null, "AllTypes", new[] { new KeyValuePair<string, object>("Id", (uint)i) })), "file, row " + i);
            var all = reopened.EnumerateInstances("AllTypes").ToList();
            Assert.Equal(rows.Length, all.Count);
            foreach (var instance in all) AssertSameRow(rows[(int)(uint)instance["Id"]!], instance, "file, enumerated");
        }
    }

    [Fact]
    public void ArraysWithANullElement_AreRefusedWithTypeMismatch()
    {
        var types = Gen.Elements(ScalarTypes);
        var arrays =
            from t in types
            from items in Gen.NonEmptyListOf(Scalar(t))
            from at in Gen.Choose(0, items.Count)
            select (t, items.Take(at).Append(null).Concat(items.Skip(at)).ToArray());
        Prop.ForAll(arrays.ToArbitrary(), x =>
        {
            var name = PropertyName(x.t, true);
            var ex = Assert.Throws<CimLiteException>(() => _session.NewInstance("AllTypes", new Dictionary<string, object?> { ["Id"] = 1u, [name] = x.Item2 }));
            Assert.Equal(CimStatus.TypeMismatch, ex.Status);
            Assert.Contains(name, ex.Message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void StringKeys_RoundTripExactly_AndNameOneInstanceExactlyWhenEqualIgnoringCase()
    {
        // Keys travel through the path text and the stored key column (where lone surrogates are spelled out).
        var pairs = from a in InstancePathProperties.NastyStrings
                    from b in Gen.OneOf(InstancePathProperties.NastyStrings, Gen.Constant(a.ToUpperInvariant()), Gen.Constant(a.ToLowerInvariant()))
                    select (a, b);
        int round = 0;
        Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            round++;
            using var session = CimLiteSession.OpenInMemory();
            SessionFixture.Class(session, "StrKey").Key("K").Prop("V", "sint32").Create();
            var pathA = session.PutInstance(session.NewInstance("StrKey", new Dictionary<string, object?> { ["K"] = p.a, ["V"] = 1 }));
            var back = session.GetInstance(InstancePath.Parse(pathA.ToString()));
            if (!SameValue(p.a, back["K"])) Assert.Fail($"key {Show(p.a)} read back as {Show(back["K"])}");
            session.PutInstance(session.NewInstance("StrKey", new Dictionary<string, object?> { ["K"] = p.b, ["V"] = 2 }));
            var count = session.EnumerateInstances("StrKey").Count();
            bool same = string.Equals(p.a, p.b, StringComparison.OrdinalIgnoreCase);
            Assert.True(count == (same ? 1 : 2), $"keys {Show(p.a)} and {Show(p.b)}: {count} instances, equal ignoring case: {same}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
        Assert.True(round >= 500);
    }
    [Fact]
    public void KeysOfEveryKeyableType_FindTheirInstanceThroughThePathText()
    {
        // One class per key-able type; put two values, then read each back through its path's text. Two values
        // name one instance exactly when they are equal (strings and char16: ignoring case).
        var keyTypes = ScalarTypes.Where(t => t != "real32" && t != "real64").ToArray();
        using var session = CimLiteSession.OpenInMemory();
        foreach (var t in keyTypes) SessionFixture.Class(session, "K_" + (t == "ref" ? "Ref" : t)).Key("K", t).Prop("V", "sint32").Create();
        var cases = from t in Gen.Elements(keyTypes)
                    from a in Scalar(t)
                    from b in Gen.Frequency((2, Scalar(t)), (1, Gen.Constant(a)),
                        (1, Gen.Constant(a is string sa ? (object)sa.ToUpperInvariant() : a is char ca ? char.ToLowerInvariant(ca) : a)))
                    select (t, a, b);
        Prop.ForAll(cases.ToArbitrary(), x =>
        {
            var cls = "K_" + (x.t == "ref" ? "Ref" : x.t);
            foreach (var old in session.EnumerateInstances(cls).ToList()) session.DeleteInstance(old.GetPath());
            var pathA = session.PutInstance(session.NewInstance(cls, new Dictionary<string, object?> { ["K"] = x.a, ["V"] = 1 }));
            var pathB = session.PutInstance(session.NewInstance(cls, new Dictionary<string, object?> { ["K"] = x.b, ["V"] = 2 }));
            var readA = session.GetInstance(InstancePath.Parse(pathA.ToString()));
            var readB = session.GetInstance(InstancePath.Parse(pathB.ToString()));
            bool same = x.t == "string" || x.t == "ref" || x.t == "char16"
                ? string.Equals(Convert.ToString(x.a), Convert.ToString(x.b), StringComparison.OrdinalIgnoreCase)
                : SameValue(x.a, x.b);
            var count = session.EnumerateInstances(cls).Count();
            if (count != (same ? 1 : 2)) Assert.Fail($"{x.t}: {Show(x.a)} and {Show(x.b)} gave {count} instances (equal: {same})");
            if (same)
            {
                // The second put updated the first instance (and its key spelling).
                if (!SameValue(x.b, readA["K"]) || (int)readA["V"]! != 2) Assert.Fail($"{x.t}: after {Show(x.b)}, {Show(x.a)} reads {Show(readA["K"])} V={readA["V"]}");
            }
            else
            {
                if (!SameValue(x.a, readA["K"]) || (int)readA["V"]! != 1) Assert.Fail($"{x.t}: {Show(x.a)} read back as {Show(readA["K"])} V={readA["V"]}");
                if (!SameValue(x.b, readB["K"]) || (int)readB["V"]! != 2) Assert.Fail($"{x.t}: {Show(x.b)} read back as {Show(readB["K"])} V={readB["V"]}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(600));
    }
}
