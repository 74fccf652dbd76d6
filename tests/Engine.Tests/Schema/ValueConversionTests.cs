using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Schema;

public sealed class ValueConversionTests : SessionFixture
{
    private static readonly string[] Types =
    {
        "boolean", "string", "char16", "uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64",
        "real32", "real64", "datetime", "ref:Target",
    };

    public ValueConversionTests()
    {
        var all = Class("AllTypes").Key("Id", "uint32");
        foreach (var t in Types)
        {
            var name = t.StartsWith("ref") ? "Ref" : char.ToUpperInvariant(t[0]) + t.Substring(1);
            all.Prop(name, t).Prop(name + "Array", t + "[]");
        }
        all.Create();
        Class("Target").Key("Name").Create();
    }

    private static object? Convert(object? value, string type) =>
        CimValueConverter.Convert(value, CimTypeInfo.Parse(type), "Cls", "Prop");

    private static CimLiteException Mismatch(object value, string type, string shown)
    {
        var ex = Assert.Throws<CimLiteException>(() => Convert(value, type));
        AssertStatus(ex, CimStatus.TypeMismatch, "Prop", "Cls", type, shown);
        Assert.Equal("Prop", ex.PropertyName);
        return ex;
    }

    // ---- mismatches ----

    [Fact] public void Minus_one_into_uint64_is_a_TypeMismatch() => Mismatch(-1, "uint64", "-1");
    [Fact] public void Value_256_into_uint8_is_a_TypeMismatch() => Mismatch(256, "uint8", "256");
    [Fact] public void Value_128_into_sint8_is_a_TypeMismatch() => Mismatch(128, "sint8", "128");
    [Fact] public void Uint64_max_into_sint64_is_a_TypeMismatch() => Mismatch(ulong.MaxValue, "sint64", "18446744073709551615");
    [Fact] public void One_and_a_half_into_sint32_is_a_TypeMismatch() => Mismatch(1.5, "sint32", "1.5");
    [Fact] public void Text_abc_into_uint32_is_a_TypeMismatch() => Mismatch("abc", "uint32", "abc");
    [Fact] public void An_array_into_a_scalar_is_a_TypeMismatch() => Mismatch(new[] { 1, 2 }, "uint32", "@(1, 2)");
    [Fact] public void A_null_element_in_an_array_is_a_TypeMismatch() => Mismatch(new object?[] { "a", null }, "string[]", "null");
    [Fact] public void Real32_overflow_is_a_TypeMismatch() => Mismatch(1e39, "real32", "1E+39");
    [Fact] public void NaN_into_an_integer_is_a_TypeMismatch() => Mismatch(double.NaN, "sint64", "NaN");
    [Fact] public void Text_maybe_into_boolean_is_a_TypeMismatch() => Mismatch("maybe", "boolean", "maybe");
    [Fact] public void An_integer_into_boolean_is_a_TypeMismatch() => Mismatch(1, "boolean", "1");
    [Fact] public void A_boolean_into_an_integer_is_a_TypeMismatch() => Mismatch(true, "uint8", "True");
    [Fact] public void Two_characters_into_char16_is_a_TypeMismatch() => Mismatch("ab", "char16", "ab");
    [Fact] public void A_negative_code_into_char16_is_a_TypeMismatch() => Mismatch(-1, "char16", "-1");
    [Fact] public void Bad_text_into_datetime_is_a_TypeMismatch() => Mismatch("yesterday", "datetime", "yesterday");
    [Fact] public void A_negative_TimeSpan_into_datetime_is_a_TypeMismatch() => Mismatch(TimeSpan.FromSeconds(-1), "datetime", "-00:00:01");
    [Fact] public void Text_that_is_no_path_into_a_reference_is_a_TypeMismatch() => Mismatch("not a path", "ref:Target", "not a path");
    [Fact] public void An_out_of_range_element_names_the_whole_array() => Mismatch(new[] { 1, 300 }, "uint8[]", "@(1, 300)");
    [Fact] public void An_object_into_string_is_a_TypeMismatch() => Mismatch(new object(), "string", "System.Object");

    [Fact]
    public void A_TypeMismatch_through_NewInstance_changes_nothing_and_names_class_property_and_value()
    {
        var ex = Fails(CimStatus.TypeMismatch, () => New("AllTypes", ("Id", 1), ("Uint8", 256)), "AllTypes", "Uint8", "256");
        Assert.Equal("AllTypes", ex.ClassName);
    }

    // ---- conversions that must work ----

    [Fact] public void Int_converts_to_uint64() => Assert.Equal(42UL, Convert(42, "uint64"));
    [Fact] public void Text_42_converts_to_uint32() => Assert.Equal(42U, Convert("42", "uint32"));
    [Fact] public void Text_with_hex_converts_to_uint32() => Assert.Equal(255U, Convert("0xFF", "uint32"));
    [Fact] public void Three_point_zero_converts_to_sint32() => Assert.Equal(3, Convert(3.0, "sint32"));
    [Fact] public void Decimal_converts_to_sint64() => Assert.Equal(7L, Convert(7m, "sint64"));
    [Fact] public void Uint64_max_converts_to_uint64() => Assert.Equal(ulong.MaxValue, Convert(ulong.MaxValue, "uint64"));
    [Fact] public void Int_converts_to_real64() => Assert.Equal(5.0, Convert(5, "real64"));
    [Fact] public void Text_converts_to_real32() => Assert.Equal(1.5f, Convert("1.5", "real32"));
    [Fact] public void Text_true_converts_to_boolean() { Assert.Equal(true, Convert("true", "boolean")); Assert.Equal(false, Convert("FALSE", "boolean")); }
    [Fact] public void Char_converts_to_char16() => Assert.Equal('x', Convert('x', "char16"));
    [Fact] public void One_character_text_converts_to_char16() => Assert.Equal('x', Convert("x", "char16"));
    [Fact] public void Code_65_converts_to_char16() => Assert.Equal('A', Convert(65, "char16"));
    [Fact] public void Numbers_and_booleans_convert_to_string() { Assert.Equal("42", Convert(42, "string")); Assert.Equal("True", Convert(true, "string")); Assert.Equal("x", Convert('x', "string")); }
    [Fact] public void A_scalar_converts_to_a_single_element_array() => Assert.Equal(new uint[] { 7 }, Convert(7, "uint32[]"));
    [Fact] public void A_string_converts_to_a_single_element_string_array_not_to_its_characters() => Assert.Equal(new[] { "ab" }, Convert("ab", "string[]"));
    [Fact] public void A_mixed_list_converts_to_a_typed_array() => Assert.Equal(new ulong[] { 1, 2, 3 }, Convert(new List<object> { 1, "2", 3L }, "uint64[]"));
    [Fact] public void An_empty_array_stays_an_empty_typed_array() => Assert.Equal(Array.Empty<string>(), Convert(Array.Empty<object>(), "string[]"));

    [Fact]
    public void A_DateTime_converts_to_a_timestamp_keeping_its_offset()
    {
        var utc = new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc).AddTicks(1234560);
        Assert.Equal(new DateTimeOffset(utc), Convert(utc, "datetime"));
        var unspecified = new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Unspecified);
        Assert.Equal(new DateTimeOffset(unspecified, TimeSpan.Zero), Convert(unspecified, "datetime"));
    }

    [Fact]
    public void A_DateTimeOffset_keeps_microseconds_and_drops_sub_microsecond_ticks()
    {
        var value = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-330)).AddTicks(1234567);
        var converted = (DateTimeOffset)Convert(value, "datetime")!;
        Assert.Equal(value.AddTicks(-7), converted);
        Assert.Equal(value.Offset, converted.Offset);
    }

    [Fact]
    public void A_TimeSpan_converts_to_an_interval()
    {
        var span = new TimeSpan(12, 3, 4, 5) + TimeSpan.FromTicks(6780);
        Assert.Equal(span, Convert(span, "datetime"));
    }

    [Fact]
    public void DMTF_text_converts_to_a_timestamp_or_an_interval()
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(60)).AddTicks(1234560),
            Convert("20240102030405.123456+060", "datetime"));
        Assert.Equal(new TimeSpan(1, 2, 3, 4) + TimeSpan.FromTicks(50), Convert("00000001020304.000005:000", "datetime"));
        Assert.Equal("20240102030405.123456+060", CimDateTime.Format(Convert("20240102030405.123456+060", "datetime")!));
        Assert.Equal("00000001020304.000005:000", CimDateTime.Format(Convert("00000001020304.000005:000", "datetime")!));
    }

    [Fact]
    public void A_reference_converts_from_a_path_text_an_InstancePath_or_an_instance_to_the_canonical_path()
    {
        Assert.Equal("root/cimv2:Target.Name=\"x\"", Convert("root\\cimv2:Target.Name=\"x\"", "ref:Target"));
        Assert.Equal("Target.Name=\"x\"", Convert(InstancePath.Parse("Target.Name=\"x\""), "ref:Target"));
        Assert.Equal("root/cimv2:Target.Name=\"x\"", Convert(New("Target", ("Name", "x")), "ref:Target"));
    }

    [Fact]
    public void Null_converts_to_null_for_every_type()
    {
        foreach (var t in Types) { Assert.Null(Convert(null, t)); Assert.Null(Convert(null, t + "[]")); }
    }

    // ---- round trips through put/get ----

    private CimLiteInstance RoundTrip(string property, object value, uint id = 1)
    {
        Session.PutInstance(New("AllTypes", ("Id", id), (property, value)));
        return Get("AllTypes.Id=" + id);
    }

    public static IEnumerable<object[]> ScalarValues()
    {
        yield return new object[] { "Boolean", true };
        yield return new object[] { "Boolean", false };
        yield return new object[] { "String", "" };
        yield return new object[] { "String", "plain" };
        yield return new object[] { "String", "quotes \" ' and \\ backslash \\\" mixed" };
        yield return new object[] { "String", "control \0 NUL \u0001\u001f\t\r\n\b\f \u007f \u2028\u2029 end" };
        yield return new object[] { "String", "unicode Ünïcødé 日本語 \U0001F600 emoji ﷽" };
        yield return new object[] { "String", "json-ish {\"a\":[1,2]} /slash" };
        yield return new object[] { "String", new string('x', 100_000) };
        yield return new object[] { "Char16", 'x' };
        yield return new object[] { "Char16", '"' };
        yield return new object[] { "Char16", '\\' };
        yield return new object[] { "Char16", '\0' };
        yield return new object[] { "Char16", '\uffff' };
        yield return new object[] { "Char16", '日' };
        yield return new object[] { "Uint8", byte.MinValue };
        yield return new object[] { "Uint8", byte.MaxValue };
        yield return new object[] { "Sint8", sbyte.MinValue };
        yield return new object[] { "Sint8", sbyte.MaxValue };
        yield return new object[] { "Uint16", ushort.MinValue };
        yield return new object[] { "Uint16", ushort.MaxValue };
        yield return new object[] { "Sint16", short.MinValue };
        yield return new object[] { "Sint16", short.MaxValue };
        yield return new object[] { "Uint32", uint.MinValue };
        yield return new object[] { "Uint32", uint.MaxValue };
        yield return new object[] { "Sint32", int.MinValue };
        yield return new object[] { "Sint32", int.MaxValue };
        yield return new object[] { "Uint64", ulong.MinValue };
        yield return new object[] { "Uint64", ulong.MaxValue };
        yield return new object[] { "Sint64", long.MinValue };
        yield return new object[] { "Sint64", long.MaxValue };
        foreach (var f in new[] { 0f, -0f, 1.5f, float.MinValue, float.MaxValue, float.Epsilon, -float.Epsilon, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.1f, 16777217f, 1e-40f })
            yield return new object[] { "Real32", f };
        foreach (var d in new[] { 0.0, -0.0, 0.1, 1.0 / 3, Math.PI, double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-300, 123456789012345678.0 })
            yield return new object[] { "Real64", d };
        yield return new object[] { "Datetime", new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromMinutes(-330)).AddTicks(9999990) };
        yield return new object[] { "Datetime", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)).AddTicks(10) };
        yield return new object[] { "Datetime", new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        yield return new object[] { "Datetime", new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9999990) };
        yield return new object[] { "Datetime", TimeSpan.Zero };
        yield return new object[] { "Datetime", new TimeSpan(99999, 23, 59, 59) + TimeSpan.FromTicks(9999990) };
        yield return new object[] { "Datetime", TimeSpan.FromTicks(10) };
        yield return new object[] { "Ref", "root/cimv2:Target.Name=\"a \\\"quoted\\\" \\\\ name\"" };
    }

    [Theory]
    [MemberData(nameof(ScalarValues))]
    public void Every_CIM_type_round_trips_exactly_through_put_and_get(string property, object value)
    {
        var got = RoundTrip(property, value)[property];
        AssertExactlyEqual(value, got);
        // And again through an enumeration and a second put of the read value.
        Session.PutInstance(Get("AllTypes.Id=1"));
        AssertExactlyEqual(value, Session.EnumerateInstances("AllTypes").Single()[property]);
    }

    public static IEnumerable<object[]> ArrayValues()
    {
        var scalars = ScalarValues().GroupBy(v => (string)v[0]);
        foreach (var group in scalars)
        {
            var items = group.Select(v => v[1]).ToList();
            if (group.Key == "Datetime")
            {
                yield return new object[] { "DatetimeArray", items.OfType<DateTimeOffset>().ToArray() };
                yield return new object[] { "DatetimeArray", items.OfType<TimeSpan>().ToArray() };
                continue;
            }
            var type = items[0].GetType();
            var array = Array.CreateInstance(type, items.Count);
            for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            yield return new object[] { group.Key + "Array", array };
            yield return new object[] { group.Key + "Array", Array.CreateInstance(type, 0) };
        }
    }

    [Theory]
    [MemberData(nameof(ArrayValues))]
    public void Arrays_of_every_CIM_type_round_trip_exactly_through_put_and_get(string property, Array value)
    {
        var got = RoundTrip(property, value)[property];
        AssertExactlyEqual(value, got);
    }

    [Fact]
    public void Datetime_keys_round_trip_and_find_their_instance()
    {
        Class("Stamped").Key("At", "datetime").Create();
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromMinutes(90)).AddTicks(10);
        var path = Put("Stamped", ("At", at));
        Assert.Equal(at, Session.GetInstance(path)["At"]);
        Assert.Equal(at, Session.GetInstance(InstancePath.Parse(path.ToString()))["At"]);
    }

    [Fact]
    public void Keys_of_every_key_type_round_trip_through_their_path()
    {
        var keys = new (string Type, object Value)[]
        {
            ("boolean", true), ("string", "a\"b\\c,d=e:f.g"), ("char16", '"'), ("uint8", byte.MaxValue), ("sint8", sbyte.MinValue),
            ("uint16", ushort.MaxValue), ("sint16", short.MinValue), ("uint32", uint.MaxValue), ("sint32", int.MinValue),
            ("uint64", ulong.MaxValue), ("sint64", long.MinValue), ("datetime", TimeSpan.FromDays(3)), ("ref:Target", "root/cimv2:Target.Name=\"x\""),
        };
        int n = 0;
        foreach (var (type, value) in keys)
        {
            var cls = "K" + n++;
            Class(cls).Key("K", type).Prop("V", "string").Create();
            var path = Put(cls, ("K", value), ("V", type));
            var reparsed = InstancePath.Parse(path.ToString());
            var got = Session.GetInstance(reparsed);
            AssertExactlyEqual(value, got["K"]);
            Assert.Equal(type, got["V"]);
            Assert.Equal(path.ToString(), got.GetPath().ToString());
        }
    }

    [Fact]
    public void String_keys_with_NUL_and_control_characters_stay_distinct()
    {
        Class("S").Key("K").Create();
        foreach (var k in new[] { "a", "a\0", "a\0b", "a\u0001", "" }) Put("S", ("K", k));
        Assert.Equal(5, Session.EnumerateInstances("S").Count());
        Assert.Equal("a\0b", Session.GetInstance(new InstancePath(null, "S", new[] { new KeyValuePair<string, object>("K", "a\0b") }))["K"]);
    }

    [Fact]
    public void String_keys_differing_only_in_lone_surrogates_stay_distinct()
    {
        Class("S").Key("K").Prop("V", "string").Create();
        Put("S", ("K", "a\ud800"), ("V", "high"));
        Put("S", ("K", "a\udc00"), ("V", "low"));
        Put("S", ("K", "a\ufffd"), ("V", "replacement"));
        Assert.Equal(3, Session.EnumerateInstances("S").Count());
        Assert.Equal("high", Session.GetInstance(new InstancePath(null, "S", new[] { new KeyValuePair<string, object>("K", "a\ud800") }))["V"]);
        Assert.Equal("low", Session.GetInstance(new InstancePath(null, "S", new[] { new KeyValuePair<string, object>("K", "a\udc00") }))["V"]);
    }

    internal static void AssertExactlyEqual(object? expected, object? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected!.GetType(), actual!.GetType());
        switch (expected)
        {
            case float f:
                Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual));
                break;
            case double d:
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
                break;
            case DateTimeOffset dto:
                Assert.Equal(dto, (DateTimeOffset)actual);
                Assert.Equal(dto.Offset, ((DateTimeOffset)actual).Offset);
                break;
            case string s:
                Assert.Equal(s, (string)actual, StringComparer.Ordinal);
                break;
            case Array a:
                var b = (Array)actual;
                Assert.Equal(a.Length, b.Length);
                for (int i = 0; i < a.Length; i++) AssertExactlyEqual(a.GetValue(i), b.GetValue(i));
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
