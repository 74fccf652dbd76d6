using System.Text;
using CimLite.Mof;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Mof;

/// <summary>
/// Issue 22 item 8: text is never changed silently. Invalid bytes are an error naming file(line,column); a byte-order
/// mark or the encoding asked for decides; an export escapes what its encoding cannot hold so that it imports back the same.
/// </summary>
public sealed class MofEncodingTests : TempFolderTests
{
    public MofEncodingTests() : base("mof-encoding") { }

    private const string Schema = "class Person { [Key] string Id; string Name; char16 Initial; };\n";

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

    [Fact]
    public void Latin1_bytes_read_as_UTF8_are_an_error_at_their_line_and_column_and_import_nothing()
    {
        var file = WriteBytes("latin1.mof", Latin1.GetBytes(Schema + "instance of Person { Id = \"1\"; Name = \"Müller\"; };\n"));
        using var s = CimLiteSession.OpenInMemory();
        var e = Assert.Throws<CimLiteException>(() => s.ImportMof(new[] { file }));
        Assert.Contains("latin1.mof(2,41)", e.Message);   // the ü of "Müller"
        Assert.Contains("0xFC", e.Message);
        Assert.DoesNotContain("ller", e.Message);                // no content of the file is quoted
        Assert.Empty(s.GetClasses());

        s.ImportMof(new[] { file }, new MofImportOptions { Encoding = Latin1 });
        Assert.Equal("Müller", s.EnumerateInstances("Person").Single()["Name"]);
    }

    [Theory]
    [InlineData("utf-8 BOM")]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32LE")]
    public void A_byte_order_mark_decides_the_encoding(string which)
    {
        Encoding encoding = which switch
        {
            "utf-8 BOM" => new UTF8Encoding(true),
            "utf-16LE" => new UnicodeEncoding(false, true),
            "utf-16BE" => new UnicodeEncoding(true, true),
            _ => new UTF32Encoding(false, true),
        };
        string text = Schema + "instance of Person { Id = \"1\"; Name = \"Müller 😀 €\"; Initial = 'ß'; };\n";
        var file = WriteBytes("bom.mof", encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray());
        using var s = CimLiteSession.OpenInMemory();
        s.ImportMof(new[] { file }, new MofImportOptions { Encoding = Latin1 }); // the mark wins over the option
        var p = s.EnumerateInstances("Person").Single();
        Assert.Equal("Müller 😀 €", p["Name"]);
        Assert.Equal('ß', p["Initial"]);
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("latin1")]
    public void An_export_escapes_what_its_encoding_cannot_hold_and_imports_back_the_same(string name)
    {
        Encoding encoding = name == "ascii" ? Encoding.ASCII : Latin1;
        using var s = CimLiteSession.OpenInMemory();
        s.ImportMofText(Schema + "instance of Person { Id = \"1\"; Name = \"Müller 😀 € \\\"q\\\"\"; Initial = '€'; };\n// a comment\n");
        var mof = MofText.EscapeFor(s.ExportMof(new MofExportOptions { IncludeInstances = true }), encoding);
        Assert.Contains(name == "ascii" ? "M\\x00FCller" : "Müller", mof);
        Assert.Contains("\\xD83D\\xDE00", mof);
        Assert.Contains("'\\x20AC'", mof);
        var file = WriteBytes("out.mof", encoding.GetBytes(mof));
        Assert.Equal(mof, encoding.GetString(System.IO.File.ReadAllBytes(file)));   // nothing lost to '?'
        using var again = CimLiteSession.OpenInMemory();
        again.ImportMof(new[] { file }, new MofImportOptions { Encoding = encoding });
        var p = again.EnumerateInstances("Person").Single();
        Assert.Equal("Müller 😀 € \"q\"", p["Name"]);
        Assert.Equal('€', p["Initial"]);
    }

    [Fact]
    public void A_name_that_the_encoding_cannot_hold_is_an_error_naming_the_character()
    {
        using var s = CimLiteSession.OpenInMemory();
        s.ImportMofText("class Größe { [Key] string Id; };\n");
        var e = Assert.Throws<CimLiteException>(() => MofText.EscapeFor(s.ExportMof(), Encoding.ASCII));
        Assert.Equal(CimStatus.NotSupported, e.Status);
        Assert.Contains("U+00F6", e.Message);
    }
}
