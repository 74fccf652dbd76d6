using System.IO;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Schema;

/// <summary>
/// Engine rules found by the bad-input matrix (tests/Module.Tests/Reliability/BadInputTests.cs): hashtables, nested arrays, long names in messages, MOF embedding depth, unusable repository paths.
/// </summary>
public sealed class BadInputRulesTests : SessionFixture
{
    public BadInputRulesTests()
    {
        Class("Disk").Key("DeviceId").Prop("Caption", "string").Prop("Tags", "string[]").Prop("Letter", "char16").Create();
    }

    private static object? Convert(object? value, string type) =>
        CimValueConverter.Convert(value, CimTypeInfo.Parse(type), "Cls", "Prop");

    [Theory]
    [InlineData("string")]
    [InlineData("string[]")]
    [InlineData("uint8")]
    public void A_hashtable_is_no_value_of_any_type(string type)
    {
        var ex = Assert.Throws<CimLiteException>(() => Convert(new System.Collections.Hashtable { ["a"] = 1 }, type));
        AssertStatus(ex, CimStatus.TypeMismatch, "hashtable");
    }

    [Fact]
    public void Deeply_nested_arrays_are_refused_and_described_briefly()
    {
        object deep = "v";
        for (int i = 0; i < 100_000; i++) deep = new object[] { deep };
        var ex = Assert.Throws<CimLiteException>(() => Convert(deep, "string"));
        AssertStatus(ex, CimStatus.TypeMismatch, "@(@(@(@(…))))");
        var q = Assert.Throws<CimLiteException>(() => CimValueConverter.NormalizeQualifierValue("Description", deep));
        AssertStatus(q, CimStatus.InvalidParameter, "Description");
    }

    [Fact]
    public void Values_with_lone_surrogates_are_found_by_equality_and_like_as_in_memory()
    {
        const string odd = "x\ud800y\udc00";
        Put("Disk", ("DeviceId", odd), ("Caption", odd));
        Put("Disk", ("DeviceId", "x\ufffdy\ufffd"), ("Caption", "replacement characters"));
        foreach (var inMemory in new[] { false, true })
        {
            var options = new QueryOptions { EvaluateInMemory = inMemory };
            Assert.Equal(odd, Assert.Single(Session.QueryInstances("Disk", "DeviceId = '" + odd + "'", options: options))["Caption"]);
            Assert.Equal(odd, Assert.Single(Session.QueryInstances("Disk", "Caption = '" + odd + "'", options: options))["DeviceId"]);
            Assert.Equal(odd, Assert.Single(Session.QueryInstances("Disk", "Caption LIKE '%\ud800y%'", options: options))["DeviceId"]);
            Assert.Equal("replacement characters", Assert.Single(Session.QueryInstances("Disk", "DeviceId = 'x\ufffdy\ufffd'", options: options))["Caption"]);
        }

        // Through MOF too: the writer spells lone surrogates \xHHHH, so a UTF-8 file keeps them.
        var mof = Session.ExportMof(new MofExportOptions { IncludeInstances = true });
        Assert.Contains("\\xD800", mof);
        using var copy = CimLiteSession.OpenInMemory();
        copy.ImportMofText(mof, "copy.mof");
        Assert.Equal(odd, copy.GetInstance(InstancePath.Parse("Disk.DeviceId=\"" + odd + "\""))["Caption"]);
    }

    [Fact]
    public void Names_longer_than_1000_characters_are_quoted_by_their_start_and_length()
    {
        var big = new string('x', 10 * 1024 * 1024);
        var ex = Fails(CimStatus.InvalidClass, () => Session.GetClass(big));
        Assert.Contains(new string('x', 100) + "… (10485760 characters)", ex.Message);
        Assert.True(ex.Message.Length < 300, ex.Message);
        var exactly = new string('y', 1000);
        Assert.Contains("'" + exactly + "'", Fails(CimStatus.InvalidClass, () => Session.GetClass(exactly)).Message);
    }

    [Fact]
    public void Mof_embedding_deeper_than_the_limit_is_a_syntax_error_at_its_place_not_a_stack_overflow()
    {
        var snapshot = Snapshot();
        int depth = 100_000;
        var mof = "instance of Disk { DeviceId = \"Z:\"; Caption = " + string.Concat(System.Linq.Enumerable.Repeat("instance of Disk { Caption = ", depth))
            + "\"x\"" + string.Concat(System.Linq.Enumerable.Repeat("; }", depth)) + "; };";
        var ex = Assert.Throws<CimLiteException>(() => Session.ImportMofText(mof, "deep.mof"));
        Assert.Contains("deep.mof(1,", ex.Message);
        Assert.Contains("more than 100 levels", ex.Message);
        Assert.Equal(snapshot, Snapshot());
    }

    [Fact]
    public void A_folder_or_a_path_with_nul_is_an_invalid_parameter_naming_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cimlite-badpath-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(folder));
            AssertStatus(ex, CimStatus.InvalidParameter, folder, "folder");
            var nul = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(Path.Combine(folder, "a\0b.db")));
            AssertStatus(nul, CimStatus.InvalidParameter, "a\0b.db");
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
