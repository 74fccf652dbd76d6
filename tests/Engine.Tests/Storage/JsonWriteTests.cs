using System.Text;
using CimLite.Storage;

namespace CimLite.Tests.Storage;

/// <summary>The stored JSON's string escapes (issue 17 appends unescaped runs whole): every escape still made, in place.</summary>
public sealed class JsonWriteTests
{
    private static string Write(string value)
    {
        var sb = new StringBuilder("x");
        Json.WriteString(sb, value);
        return sb.ToString();
    }

    [Theory]
    [InlineData("", "x\"\"")]
    [InlineData("plain text", "x\"plain text\"")]
    [InlineData("a\"b\\c", "x\"a\\\"b\\\\c\"")]
    [InlineData("\"", "x\"\\\"\"")]
    [InlineData("tab\there\nline\r", "x\"tab\\there\\nline\\r\"")]
    [InlineData("\u0001mid\u001f", "x\"\\u0001mid\\u001f\"")]
    [InlineData("ls\u2028ps\u2029end", "x\"ls\\u2028ps\\u2029end\"")]
    [InlineData("é ü 中", "x\"é ü 中\"")]
    public void Escapes_are_made_where_they_belong(string value, string expected) => Assert.Equal(expected, Write(value));

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // Built at run time: a lone surrogate does not survive as theory data.
        Assert.Equal("x\"lone\\ud800high\\udc00\"", Write("lone" + (char)0xD800 + "high" + (char)0xDC00));
    }

    [Fact]
    public void What_is_written_parses_back_to_the_same_text()
    {
        foreach (var value in new[] { "a\"\\\n\t\u0000z", "\u2028", "end\\", "\"start" })
        {
            var sb = new StringBuilder();
            Json.WriteString(sb, value);
            Assert.Equal(value, Json.Parse(sb.ToString()));
        }
    }
}
