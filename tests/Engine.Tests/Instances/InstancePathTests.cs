using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Instances;

public sealed class InstancePathTests
{
    private static InstancePath Path(string? ns, string cls, params (string, object)[] keys) =>
        new(ns, cls, keys.Select(k => new KeyValuePair<string, object>(k.Item1, k.Item2)));

    [Fact]
    public void A_string_key_is_quoted_and_escaped()
    {
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", Path("root/cimv2", "Disk", ("DeviceId", "C:")).ToString());
        Assert.Equal("Disk.DeviceId=\"a\\\"b\\\\c\"", Path(null, "Disk", ("DeviceId", "a\"b\\c")).ToString());
    }

    [Fact]
    public void Numbers_and_booleans_are_bare_and_keys_keep_their_order()
    {
        var p = Path("root/cimv2", "Two", ("A", "x"), ("B", 7u), ("C", true), ("D", -5L));
        Assert.Equal("root/cimv2:Two.A=\"x\",B=7,C=TRUE,D=-5", p.ToString());
        Assert.Equal("Two.A=\"x\",B=7,C=TRUE,D=-5", p.RelativePath);
    }

    [Fact]
    public void A_singleton_path_is_Class_at()
    {
        var p = InstancePath.Parse("root/cimv2:Settings=@");
        Assert.True(p.IsSingleton);
        Assert.Equal("Settings", p.ClassName);
        Assert.Equal("root/cimv2:Settings=@", p.ToString());
    }

    [Fact]
    public void An_unnamed_single_key_parses_with_an_empty_key_name()
    {
        var p = InstancePath.Parse("Disk=\"C:\"");
        var key = Assert.Single(p.Keys);
        Assert.Equal("", key.Key);
        Assert.Equal("C:", key.Value);
        Assert.Equal("Disk=\"C:\"", p.ToString());
    }

    [Theory]
    [InlineData("root\\cimv2:Disk.DeviceId=\"C:\"")]
    [InlineData("root/cimv2:Disk.DeviceId=\"C:\"")]
    [InlineData("//server/root/cimv2:Disk.DeviceId=\"C:\"")]
    [InlineData("\\\\server\\root\\cimv2:Disk.DeviceId=\"C:\"")]
    [InlineData("\\\\.\\root\\cimv2:Disk.DeviceId=\"C:\"")]
    [InlineData("/root/cimv2/:Disk.DeviceId=\"C:\"")]
    public void Namespace_forms_are_normalised(string text)
    {
        var p = InstancePath.Parse(text);
        Assert.Equal("root/cimv2", p.Namespace);
        Assert.Equal("Disk", p.ClassName);
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", p.ToString());
    }

    [Fact]
    public void A_path_without_namespace_is_relative()
    {
        var p = InstancePath.Parse("Disk.DeviceId=\"C:\"");
        Assert.Null(p.Namespace);
        Assert.Equal("Disk.DeviceId=\"C:\"", p.ToString());
    }

    [Fact]
    public void Colons_dots_and_equals_inside_a_quoted_key_do_not_split_the_path()
    {
        var p = InstancePath.Parse("Disk.Id=\"a:b.c=d,e\"");
        Assert.Null(p.Namespace);
        Assert.Equal("a:b.c=d,e", p.Keys.Single().Value);
        var q = InstancePath.Parse("root:Disk.Id=\"x:y\",Other=\"p.q\"");
        Assert.Equal("root", q.Namespace);
        Assert.Equal(new object[] { "x:y", "p.q" }, q.Keys.Select(k => k.Value));
    }

    [Fact]
    public void Multiple_keys_parse_with_their_values_typed()
    {
        var p = InstancePath.Parse("Two.A=\"x\",B=7,C=true,D=-5,E=18446744073709551615");
        Assert.Equal(new[] { "A", "B", "C", "D", "E" }, p.Keys.Select(k => k.Key));
        Assert.Equal(new object[] { "x", 7L, true, -5L, ulong.MaxValue }, p.Keys.Select(k => k.Value));
    }

    [Fact]
    public void Paths_compare_case_insensitively()
    {
        Assert.Equal(InstancePath.Parse("root/cimv2:Disk.DeviceId=\"C:\""), InstancePath.Parse("ROOT\\CIMV2:disk.deviceid=\"c:\""));
    }

    private static string RandomString(Random random)
    {
        const string specials = "\"\\,=:.@'{}[] \t\r\n\0/\u00e9\u65e5\U0001F600";
        int length = random.Next(0, 20);
        var chars = new System.Text.StringBuilder();
        while (chars.Length < length)
        {
            switch (random.Next(4))
            {
                case 0: chars.Append(specials[random.Next(specials.Length)]); break;
                case 1: chars.Append((char)random.Next(0x20, 0x7f)); break;
                case 2: chars.Append((char)random.Next(0, 0xd800)); break;
                default: chars.Append(random.Next(2) == 0 ? "\\\"" : "\",B=\""); break;
            }
        }
        return chars.ToString();
    }

    [Fact]
    public void Any_string_key_round_trips_through_format_and_parse()
    {
        var random = new Random(20240611);
        for (int i = 0; i < 5000; i++)
        {
            var a = RandomString(random);
            var b = RandomString(random);
            var original = Path(i % 2 == 0 ? "root/cimv2" : null, "Cls", ("A", a), ("B", b));
            var text = original.ToString();
            var parsed = InstancePath.Parse(text);
            Assert.Equal(original.Namespace, parsed.Namespace);
            Assert.Equal(new object[] { a, b }, parsed.Keys.Select(k => k.Value));
            Assert.Equal(text, parsed.ToString());

            var single = Path(null, "Cls", ("", a));
            Assert.Equal(a, InstancePath.Parse(single.ToString()).Keys.Single().Value);
        }
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("Disk", 4)]
    [InlineData("1Disk.Id=1", 0)]
    [InlineData("Disk.Id=\"C:", 11)]
    [InlineData("Disk.Id=", 8)]
    [InlineData("Disk.=1", 5)]
    [InlineData("Disk.Id", 7)]
    [InlineData("Disk.Id=1,", 10)]
    [InlineData("Disk.Id=1,Id=2", 10)]
    [InlineData("Disk.Id=\"a\"x", 11)]
    [InlineData("Disk.Id=abc", 8)]
    [InlineData("Disk=@x", 5)]
    [InlineData("bad ns:Disk.Id=1", 0)]
    [InlineData("//server", 8)]
    [InlineData("Disk=\"a\",", 8)]
    public void Malformed_paths_fail_with_InvalidParameter_and_a_position(string text, int position)
    {
        var ex = Assert.Throws<CimLiteException>(() => InstancePath.Parse(text));
        SessionFixture.AssertStatus(ex, CimStatus.InvalidParameter, "position " + position);
        Assert.False(InstancePath.TryParse(text, out _));
    }
}
