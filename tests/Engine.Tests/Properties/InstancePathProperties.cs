using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace CimLite.Tests.Properties;

/// <summary>
/// Property-based: formatting an instance path and parsing it back gives the same path, in canonical text; and
/// parsing arbitrary text either succeeds or fails with INVALID_PARAMETER, never with another exception.
/// </summary>
public sealed class InstancePathProperties
{
    // ---- generators --------------------------------------------------------------------------------------

    /// <summary>A long uniformly in [lo, hi] (FsCheck's Choose is Int32 only): two 31-bit halves, folded into the range.</summary>
    internal static Gen<long> Choose64(long lo, long hi) =>
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        select lo + (long)((((ulong)a << 31) | (uint)b) % (ulong)(hi - lo + 1));

    private static readonly char[] FirstChars = "abcxyzABCXYZ_éßЖΩあ".ToCharArray();
    private static readonly char[] NextChars = "abcxyzABCXYZ_0123456789éßЖΩあ".ToCharArray();

    /// <summary>Valid CIM names (DSP0004: a letter or underscore, then letters, digits, underscores; Unicode letters allowed).</summary>
    internal static readonly Gen<string> Names =
        from first in Gen.Elements(FirstChars)
        from rest in Gen.Choose(0, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements(NextChars), n))
        select first + new string(rest);

    /// <summary>Null (a relative path) or one to three segments joined by / or \.</summary>
    private static readonly Gen<string?> Namespaces = Gen.OneOf(
        Gen.Constant<string?>(null),
        Gen.Constant<string?>("root"),
        from segments in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Names, n))
        from sep in Gen.Elements("/", "\\")
        select (string?)("root" + sep + string.Join(sep, segments)));

    /// <summary>Strings with everything a path must escape or carry: quotes, backslashes, separators, control chars, Unicode, lone surrogates.</summary>
    internal static readonly Gen<string> NastyStrings = Gen.OneOf(
        Gen.Elements("", "\"", "\\", "\\\"", "\"\"", "a=b", "a,b", "x:y", "a.b", "@", "=@", "C:\\", "root/cimv2:X.K=\"1\"",
            "\0", "\t\r\n", "\u0001\u001f", "é", "Ж", "😀", "\ud800", "\udc00", "a\udfffb", "\u2028", " lead", "trail ", "TRUE", "12", "-5",
            "ı", "İ", "i", "I", "ſ", "s", "S", "\u212A", "k", "K", "\u2126", "ω", "ǅ", "Ǆ", "ǆ", "ß", "SS", "ẞ", "\U00010428", "\U00010400", "Σ", "ς", "σ"),
        Gen.ArrayOf(Gen.Elements('"', '\\', '=', ',', ':', '.', '@', ' ', 'a', 'Z', '0', '\0', '\n', 'é', '\ud83d', '\ude00', '\uffff'))
            .Select(cs => new string(cs)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s != null));

    /// <summary>A datetime timestamp with microsecond precision and a whole-minute offset within ±14 h.</summary>
    internal static readonly Gen<DateTimeOffset> Timestamps = Gen.OneOf(
        from ticks in Choose64(new DateTime(2, 1, 1).Ticks, new DateTime(9998, 12, 31).Ticks)
        from offset in Gen.Choose(-14 * 60, 14 * 60)
        select new DateTimeOffset(ticks - ticks % 10, TimeSpan.FromMinutes(offset)),
        Gen.Elements(
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990),
            new DateTimeOffset(2000, 2, 29, 12, 0, 0, TimeSpan.FromMinutes(-14 * 60)),
            new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(14 * 60)),
            new DateTimeOffset(2024, 6, 1, 8, 30, 0, TimeSpan.FromMinutes(330)).AddTicks(10)));

    /// <summary>A datetime interval (non-negative, microsecond precision), up to TimeSpan's maximum.</summary>
    internal static readonly Gen<TimeSpan> Intervals = Gen.OneOf(
        Choose64(0, TimeSpan.MaxValue.Ticks).Select(t => TimeSpan.FromTicks(t - t % 10)),
        Choose64(0, TimeSpan.TicksPerDay * 3).Select(t => TimeSpan.FromTicks(t - t % 10)),
        Gen.Elements(TimeSpan.Zero, TimeSpan.FromTicks(10), TimeSpan.FromTicks(TimeSpan.MaxValue.Ticks - TimeSpan.MaxValue.Ticks % 10)));

    /// <summary>A UInt64 over its whole range (the default generator stays near zero).</summary>
    internal static readonly Gen<ulong> FullUInt64 =
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from c in Gen.Choose(0, 3)
        select ((ulong)a << 33) | ((ulong)b << 2) | (uint)c;

    /// <summary>Every integer CLR type a key can hold, biased to its extremes.</summary>
    internal static readonly Gen<object> Integers = Gen.Frequency(
        (4, Gen.Elements<object>(byte.MinValue, byte.MaxValue, sbyte.MinValue, sbyte.MaxValue, ushort.MaxValue, short.MinValue, short.MaxValue,
            uint.MaxValue, int.MinValue, int.MaxValue, ulong.MaxValue, (ulong)long.MaxValue + 1, long.MinValue, long.MaxValue, 0, -1L, 0UL)),
        (1, ArbMap.Default.GeneratorFor<long>().Select(v => (object)v)),
        (2, FullUInt64.Select(v => (object)v)),
        (2, FullUInt64.Select(v => (object)(long)v)),
        (1, ArbMap.Default.GeneratorFor<int>().Select(v => (object)v)),
        (1, ArbMap.Default.GeneratorFor<sbyte>().Select(v => (object)v)),
        (1, ArbMap.Default.GeneratorFor<ushort>().Select(v => (object)v)));

    private static Gen<object> KeyValues(int depth)
    {
        var scalars = Gen.OneOf(
            NastyStrings.Select(s => (object)s),
            Integers,
            Gen.Elements<object>(true, false),
            Gen.OneOf(Gen.Elements('"', '\\', '\0', '\ud800', '\udfff', 'é', ',', '='), ArbMap.Default.GeneratorFor<char>()).Select(c => (object)c),
            Timestamps.Select(t => (object)t),
            Intervals.Select(t => (object)t));
        if (depth <= 0) return scalars;
        // A reference: its value is another path's text, quoted (and so escaped) inside this one.
        return Gen.Frequency((4, scalars), (1, Paths(depth - 1).Select(p => (object)p.ToString())));
    }

    internal static Gen<InstancePath> Paths(int depth) =>
        from ns in Namespaces
        from cls in Names
        from shape in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (6, Gen.Constant(2)))
        from count in Gen.Choose(1, 4)
        from names in Gen.ArrayOf(Names, count)
        from values in Gen.ArrayOf(KeyValues(depth), count)
        select Build(ns, cls, shape, names, values);

    private static InstancePath Build(string? ns, string cls, int shape, string[] names, object[] values)
    {
        if (shape == 0) return new InstancePath(ns, cls, null); // singleton: Class=@
        if (shape == 1) return new InstancePath(ns, cls, new[] { new KeyValuePair<string, object>("", values[0]) }); // Class=value
        var keys = new List<KeyValuePair<string, object>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
            if (seen.Add(names[i])) keys.Add(new KeyValuePair<string, object>(names[i], values[i]));
        return new InstancePath(ns, cls, keys);
    }

    // ---- what a parsed value must be -------------------------------------------------------------------

    /// <summary>
    /// The value the parser must give back for a formatted key: strings for everything quoted (strings, char16,
    /// datetimes, references), booleans, and integers as Int64 (UInt64 above Int64's range). Written from the
    /// documented text form, not from the engine's formatter.
    /// </summary>
    private static object ExpectedParsed(object value) => value switch
    {
        bool b => b,
        string s => s,
        char c => c.ToString(),
        DateTimeOffset t => t.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." +
                            ((t.Ticks % TimeSpan.TicksPerSecond) / 10).ToString("D6", CultureInfo.InvariantCulture) +
                            (t.Offset < TimeSpan.Zero ? "-" : "+") + Math.Abs((int)t.Offset.TotalMinutes).ToString("D3", CultureInfo.InvariantCulture),
        TimeSpan i => i.Days.ToString("D8", CultureInfo.InvariantCulture) + i.Hours.ToString("D2", CultureInfo.InvariantCulture) +
                      i.Minutes.ToString("D2", CultureInfo.InvariantCulture) + i.Seconds.ToString("D2", CultureInfo.InvariantCulture) + "." +
                      ((i.Ticks % TimeSpan.TicksPerSecond) / 10).ToString("D6", CultureInfo.InvariantCulture) + ":000",
        ulong u when u > long.MaxValue => u,
        ulong u => (long)u,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static string Show(object v) => v.GetType().Name + ":" + Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");

    private static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s) sb.Append(c < 0x20 || char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString());
        return sb.ToString();
    }

    /// <summary>Checks that <paramref name="parsed"/> is <paramref name="original"/> as the documented text form carries it; throws with the difference.</summary>
    internal static void AssertSamePath(InstancePath original, InstancePath parsed)
    {
        var text = Escape(original.ToString());
        Assert.True(original.Namespace == parsed.Namespace, $"namespace {original.Namespace} != {parsed.Namespace} in {text}");
        Assert.True(original.ClassName == parsed.ClassName, $"class {original.ClassName} != {parsed.ClassName} in {text}");
        Assert.True(original.Keys.Count == parsed.Keys.Count, $"{original.Keys.Count} keys != {parsed.Keys.Count} in {text}");
        Assert.Equal(original.IsSingleton, parsed.IsSingleton);
        for (int i = 0; i < original.Keys.Count; i++)
        {
            Assert.True(original.Keys[i].Key == parsed.Keys[i].Key, $"key name {original.Keys[i].Key} != {parsed.Keys[i].Key} in {text}");
            var expected = ExpectedParsed(original.Keys[i].Value);
            var actual = parsed.Keys[i].Value;
            Assert.True(expected.GetType() == actual.GetType() && expected.Equals(actual),
                $"key {original.Keys[i].Key}: expected {Show(expected)}, parsed {Show(actual)} in {text}");
        }
        Assert.True(original.Equals(parsed), "Equals is false for " + text);
        Assert.Equal(original.GetHashCode(), parsed.GetHashCode());
    }

    // ---- properties --------------------------------------------------------------------------------------

    [Fact]
    public void FormatThenParse_GivesTheSamePath_AndCanonicalText()
    {
        Prop.ForAll(Paths(2).ToArbitrary(), p =>
        {
            var text = p.ToString();
            var parsed = InstancePath.Parse(text);
            AssertSamePath(p, parsed);
            // Canonical: the parsed path formats to exactly the text it came from, and so parses to itself again.
            Assert.Equal(text, parsed.ToString());
            Assert.Equal(p.RelativePath, parsed.RelativePath);
            Assert.Equal(text, InstancePath.Parse(parsed.ToString()).ToString());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void NestedReferences_RoundTripAtEveryLevel()
    {
        // A reference key's text is a path whose own keys may be references: parse each level back out and compare.
        Prop.ForAll(Paths(3).ToArbitrary(), p =>
        {
            var parsed = InstancePath.Parse(p.ToString());
            AssertSamePath(p, parsed);
            for (int i = 0; i < p.Keys.Count; i++)
                if (p.Keys[i].Value is string s && InstancePath.TryParse(s, out var inner) && inner!.ToString() == s)
                    Assert.Equal(s, InstancePath.Parse((string)parsed.Keys[i].Value).ToString());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void TheGeneratorReallyProducesNestedEscapedReferences()
    {
        // Guards the generator itself: without nested quotes the round trip above would prove little.
        var samples = Gen.Sample(Paths(2), numberOfSamples: 500, size: 40);
        Assert.True(samples.Count(p => p.ToString().Contains("\\\"") && p.ToString().Contains("\\\\")) > 0, "no escaped quotes and backslashes");
        Assert.True(samples.Count(p => p.IsSingleton) > 0, "no singleton");
        Assert.True(samples.Count(p => p.Keys.Count == 1 && p.Keys[0].Key.Length == 0) > 0, "no unnamed key");
        Assert.True(samples.Count(p => p.Keys.Any(k => k.Value is ulong u && u > long.MaxValue)) > 0, "no big uint64");
        Assert.True(samples.Count(p => p.Keys.Any(k => k.Value is string s && s.Contains(":") && s.Contains("\\\""))) > 0, "no nested reference with escapes");
    }

    private static readonly string[] PathFragments =
    {
        "root", "cimv2", "/", "\\", "\\\\", "//", ":", ".", "=", ",", "@", "\"", "\\\"", "Disk", "Key", "K2", "1", "-1",
        "18446744073709551616", "-9223372036854775809", "TRUE", "false", " ", "é", "\0", "_", "9x", "a b", "\ud800",
    };

    private static void ParsesOrInvalidParameter(string text)
    {
        InstancePath parsed;
        try
        {
            parsed = InstancePath.Parse(text);
        }
        catch (CimLiteException e)
        {
            Assert.True(e.Status == CimStatus.InvalidParameter, $"{e.Status} for {Escape(text)}: {e.Message}");
            Assert.False(InstancePath.TryParse(text, out _));
            return;
        }
        Assert.True(InstancePath.TryParse(text, out var again));
        // Whatever parses is canonicalised by formatting: that text parses to the same path.
        var canonical = parsed.ToString();
        Assert.Equal(canonical, InstancePath.Parse(canonical).ToString());
        Assert.Equal(parsed, again);
    }

    [Fact]
    public void ArbitraryText_ParsesOrFailsWithInvalidParameter()
    {
        Prop.ForAll<string>(s => ParsesOrInvalidParameter(s ?? "")).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
        var soup = Gen.ListOf(Gen.Elements(PathFragments)).Select(parts => string.Concat(parts));
        Prop.ForAll(soup.ToArbitrary(), s => ParsesOrInvalidParameter(s)).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
        // Damaged well-formed paths: cut or spliced at a random place.
        var damaged =
            from p in Paths(1)
            from cut in Gen.Choose(0, 1000)
            from junk in Gen.Elements("", "\"", "\\", ",", "=", ":", ".", "@")
            let text = p.ToString()
            let at = cut % (text.Length + 1)
            select text.Substring(0, at) + junk + text.Substring(at, Math.Min(text.Length - at, cut % 3 == 0 ? 0 : text.Length - at));
        Prop.ForAll(damaged.ToArbitrary(), s => ParsesOrInvalidParameter(s)).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }
}
