using CimLite.Query;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>WQL LIKE ignores case exactly as '=' does (StringComparison.OrdinalIgnoreCase), in memory and pushed down.</summary>
public sealed class LikeFoldingTests : SessionFixture
{
    private static bool Eq(char a, char b) => string.Equals(a.ToString(), b.ToString(), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void A_one_character_pattern_and_a_one_character_set_match_exactly_what_equals_matches_over_the_whole_BMP()
    {
        var wrong = new List<string>();
        for (int i = 0; i <= char.MaxValue; i++)
        {
            char c = (char)i;
            if (char.IsSurrogate(c)) continue;
            foreach (var x in new[] { c, char.ToUpperInvariant(c), char.ToLowerInvariant(c) })
            {
                if (char.IsSurrogate(x)) continue;
                bool expected = Eq(x, c);
                if ("%_[".IndexOf(x) < 0 && WqlLikePattern.Compile(x.ToString()).IsMatch(c.ToString()) != expected)
                    wrong.Add($"'{x}' LIKE U+{i:X4}");
                if ("]^".IndexOf(x) < 0 && WqlLikePattern.Compile("[" + x + "]").IsMatch(c.ToString()) != expected)
                    wrong.Add($"'[{x}]' LIKE U+{i:X4}");
                if ("]^".IndexOf(x) < 0 && WqlLikePattern.Compile("[" + x + "-" + x + "]").IsMatch(c.ToString()) != expected)
                    wrong.Add($"'[{x}-{x}]' LIKE U+{i:X4}");
            }
        }
        Assert.True(wrong.Count == 0, wrong.Count + " differ from '=': " + string.Join(", ", wrong.Take(20)));
    }

    [Fact]
    public void Ranges_match_a_character_when_it_or_one_equal_to_it_ignoring_case_is_in_the_range()
    {
        Assert.True(WqlLikePattern.Compile("[a-z]").IsMatch("Q"));
        Assert.True(WqlLikePattern.Compile("[A-Z]").IsMatch("q"));
        Assert.False(WqlLikePattern.Compile("[a-z]").IsMatch("\u212A")); // KELVIN SIGN is not 'k' for '='
        Assert.False(WqlLikePattern.Compile("[a-z]").IsMatch("\u017F")); // LONG S is not 's' for '='
        Assert.False(WqlLikePattern.Compile("[A-Z]").IsMatch("\u017F"));
        Assert.True(WqlLikePattern.Compile("[\u00C0-\u00DE]").IsMatch("\u00E9")); // é through É
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LIKE_without_wildcards_finds_what_equals_finds(bool inMemory)
    {
        Class("Word").Key("Id", "uint32").Prop("Text", "string").Create();
        var texts = new[] { "s", "S", "\u017F", "k", "K", "\u212A", "i", "I", "\u0131", "\u0130", "\u00E9", "\u00C9", "\u03C3", "\u03C2", "\u03A3" };
        for (int i = 0; i < texts.Length; i++)
            Session.PutInstance(Session.NewInstance("Word", new Dictionary<string, object?> { ["Id"] = (uint)i, ["Text"] = texts[i] }));
        foreach (var t in texts)
        {
            var literal = t.Replace("'", "''");
            List<uint> Ids(string op) => Session.ExecQuery($"SELECT * FROM Word WHERE Text {op} '{literal}'", options: new QueryOptions { EvaluateInMemory = inMemory })
                .Select(x => (uint)x["Id"]!).OrderBy(x => x).ToList();
            Assert.Equal(Ids("="), Ids("LIKE"));
        }
    }
}
