using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Properties;

/// <summary>Regular regression tests for the shrunk cases the property-based tests found.</summary>
public sealed class PropertyRegressionTests : SessionFixture
{
    [Fact]
    public void LongS_IsNotTheSameKeyAsS_AsWqlAndCimNamesCompare()
    {
        // Found by ValueRoundTripProperties: ToUpperInvariant maps U+017F (ſ) to S, but the ordinal
        // case-insensitive compare used by WQL and for CIM names keeps them apart. The stored key text folded
        // with the former, so a put of "s" overwrote the "ſ" instance and a get of K="s" returned it, while
        // SELECT … WHERE K = 's' did not.
        Class("Lk").Key("K").Prop("V", "sint32").Create();
        Put("Lk", ("K", "\u017F"), ("V", 1));
        Put("Lk", ("K", "s"), ("V", 2));
        Assert.Equal(2, Session.EnumerateInstances("Lk").Count());
        Assert.Equal(1, (int)Get("Lk.K=\"\u017F\"")["V"]!);
        Assert.Equal(2, (int)Get("Lk.K=\"S\"")["V"]!);
        var queried = Session.ExecQuery("SELECT * FROM Lk WHERE K = 's'").ToList();
        Assert.Equal("s", Assert.Single(queried)["K"]);
        // Case-insensitivity itself is unchanged, including outside ASCII and beyond the BMP.
        Put("Lk", ("K", "\u00E9\U00010428"), ("V", 3));
        Put("Lk", ("K", "\u00C9\U00010400"), ("V", 4));
        Assert.Equal(3, Session.EnumerateInstances("Lk").Count());
        Assert.Equal("\u00C9\U00010400", Get("Lk.K=\"\u00E9\U00010428\"")["K"]);
    }
}
