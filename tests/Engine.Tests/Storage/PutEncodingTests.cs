using System;
using System.Globalization;
using System.Text;
using CimLite.Storage;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>
/// The put path's shortcuts (issue 17, engine.bulkPut): integers and datetimes written without strings, the one-key
/// key text, a batch result's path built when read. Each must give exactly what the long way gives.
/// </summary>
public sealed class PutEncodingTests : SessionFixture
{
    private static string Written(object value)
    {
        var sb = new StringBuilder("x");
        ValueCodec.WriteValue(sb, value);
        return sb.ToString();
    }

    public static TheoryData<object> Integers() => new()
    {
        0, 7, 10, -1, -10, int.MinValue, int.MaxValue, 1234567890,
        0L, -9L, long.MinValue, long.MaxValue, -1000000000000L,
        0U, uint.MaxValue, 0UL, ulong.MaxValue, 10000000000000000000UL,
        (ushort)0, ushort.MaxValue, (short)-1, short.MinValue, short.MaxValue,
        (byte)0, byte.MaxValue, (sbyte)-1, sbyte.MinValue, sbyte.MaxValue,
    };

    [Theory]
    [MemberData(nameof(Integers))]
    public void An_integer_is_written_as_its_invariant_text(object value) =>
        Assert.Equal("x" + Convert.ToString(value, CultureInfo.InvariantCulture), Written(value));

    [Fact]
    public void An_integer_is_written_the_same_under_a_culture_with_another_minus_sign()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = culture;
            Assert.Equal("x-42", Written(-42));
            Assert.Equal("x-9223372036854775808", Written(long.MinValue));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    public static TheoryData<DateTimeOffset> Stamps() => new()
    {
        new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(999, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(-840)).AddTicks(9_999_990),
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(840)).AddTicks(10),
        new DateTimeOffset(2026, 6, 7, 8, 9, 10, TimeSpan.FromMinutes(330)).AddTicks(1_234_560),
        new DateTimeOffset(2026, 6, 7, 8, 9, 10, TimeSpan.FromMinutes(-5)).AddTicks(50),
    };

    [Theory]
    [MemberData(nameof(Stamps))]
    public void A_datetime_is_written_as_its_cim_text(DateTimeOffset value) =>
        Assert.Equal("x\"" + CimDateTime.Format(value) + "\"", Written(value));

    [Fact]
    public void The_one_key_text_is_the_general_one()
    {
        var one = Class("Enc_One").Key("Name").Create();
        var two = Class("Enc_Two").Key("Name").Key("N", "sint32").Create();
        var lone = "a" + (char)0xD800 + "b";
        foreach (var name in new[] { "plain", "Mixed Case ſ", "quote\"back\\slash", lone })
        {
            var text = InstanceKey.Text(one, new object?[] { name });
            var pair = InstanceKey.Text(two, new object?[] { name, 5 });
            // The two-key text is the one-key text, a comma and the number's: the same rules per key.
            Assert.Equal(pair, text + ",5");
        }
        Assert.Equal("\"A\\uD800B\"", InstanceKey.Text(one, new object?[] { lone }));
        Assert.Equal("\"PLAIN\"", InstanceKey.Text(one, new object?[] { "plain" }));
    }

    [Fact]
    public void A_batch_result_path_is_the_written_path()
    {
        Class("Enc_Item").Key("Name").Key("N", "uint16").Prop("When", "datetime").Prop("Note", "string").Create();
        var stamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(7); // truncated on put
        using var batch = Session.BeginPutBatch();
        var first = batch.Add(New("Enc_Item", ("Name", "a\"b"), ("N", 3), ("When", stamp)));
        var second = batch.Add(New("Enc_Item", ("Name", "c"), ("N", "7"), ("Note", "x")));
        var refused = batch.Add(New("Enc_Item", ("Name", "c"), ("N", 7)), new PutOptions { Mode = PutMode.CreateOnly });
        batch.Commit();

        Assert.Null(refused.Path);
        Assert.Equal(CimStatus.AlreadyExists, refused.Error!.Status);
        Assert.Equal(Put("Enc_Item", ("Name", "a\"b"), ("N", 3), ("When", stamp)), first.Path);
        Assert.Equal(Put("Enc_Item", ("Name", "c"), ("N", (ushort)7), ("Note", "x")), second.Path);
        Assert.Equal("root/cimv2:Enc_Item.Name=\"c\",N=7", second.Path!.ToString());
        Assert.Same(second.Path, second.Path); // built once
        Assert.Equal("x", Session.GetInstance(second.Path)["Note"]);
    }
}
