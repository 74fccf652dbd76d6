using System.Security.Cryptography;
using CimLite.Storage;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// A repository written in format 1 (checked in: Fixtures/repository-format1.db, described in Fixtures/README.md)
/// opens with this CimLite: read-only as it is, read-write migrated to the current format, every class and
/// instance intact. Written against <see cref="RepositorySchema.FormatVersion"/> so later formats keep it honest.
/// </summary>
public sealed class FormatOneFixtureTests : IDisposable
{
    private const string FixtureHash = "1FFA37DD2789C1CEFBB1517CD7632220E1CAE642B02B121468D9A33472389244";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cimlite-fixture-" + Guid.NewGuid().ToString("N"));

    public FormatOneFixtureTests() { Directory.CreateDirectory(_folder); }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "repository-format1.db");

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private string Copy(string name)
    {
        Assert.Equal(FixtureHash, Hash(Fixture)); // the checked-in file itself is what the README describes
        var path = Path.Combine(_folder, name);
        File.Copy(Fixture, path);
        return path;
    }

    private static string Scalar(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        return Convert.ToString(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static void AssertContents(CimLiteSession s)
    {
        Assert.Equal(new[] { "CL_Base", "CL_Disk", "CL_Event", "CL_Link", "CL_Settings" }, s.GetClasses().Select(c => c.ClassName).OrderBy(n => n, StringComparer.Ordinal));

        var baseClass = s.GetClass("CL_Base");
        Assert.True(baseClass.IsAbstract);
        Assert.True(baseClass.FindProperty("Id").IsKey);
        Assert.Equal("none", baseClass.FindProperty("Label").DefaultValue);
        var description = baseClass.Qualifiers.Single(q => q.Name == "Description");
        Assert.Equal("The base of the fixture's classes", description.Value);
        Assert.True(description.Flavor.HasFlag(QualifierFlavor.Amended));
        Assert.DoesNotContain(s.GetClass("CL_Base", useAmendedQualifiers: false).Qualifiers, q => q.Name == "Description");

        var disk = s.GetClass("CL_Disk");
        Assert.Equal("CL_Base", disk.Superclass);
        Assert.Equal("1.0", disk.Qualifiers.Single(q => q.Name == "Version").Value);
        Assert.True(disk.FindProperty("Id").IsKey);
        Assert.Equal(new[] { "uint64", "string[]", "real64", "boolean", "datetime", "sint8", "char16" },
            new[] { "Size", "Tags", "Ratio", "Online", "Made", "Level", "Letter" }.Select(p => disk.FindProperty(p).TypeName));
        Assert.Equal("ref:CL_Disk", s.GetClass("CL_Link").FindProperty("Target").TypeName);
        Assert.True(s.GetClass("CL_Event").IsIndication);
        Assert.Empty(s.GetClass("CL_Settings").KeyProperties);

        var c = s.GetInstance(InstancePath.Parse("CL_Disk.Id=\"C:\""));
        Assert.Equal("boot", c["Label"]);
        Assert.Equal(500107862016UL, c["Size"]);
        Assert.Equal(new[] { "system", "ssd" }, (string[])c["Tags"]!);
        Assert.Equal(0.25, c["Ratio"]);
        Assert.Equal(true, c["Online"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 17, 8, 30, 0, TimeSpan.Zero), c["Made"]);
        Assert.Equal((sbyte)-5, c["Level"]);
        Assert.Equal('C', c["Letter"]);
        Assert.Equal("the first disk", c.OwnQualifiers.Single(q => q.Name == "Description").Value);

        var d = s.GetInstance(InstancePath.Parse("CL_Disk.Id=\"D:\""));
        Assert.Equal("none", d["Label"]);
        Assert.Equal(0UL, d["Size"]);
        Assert.Empty((string[])d["Tags"]!);
        Assert.Equal(false, d["Online"]);
        Assert.Null(d["Ratio"]);
        Assert.Null(d["Made"]);

        Assert.Equal("root/cimv2:CL_Disk.Id=\"C:\"", s.GetInstance(InstancePath.Parse("CL_Link.Name=\"boot\""))["Target"]!.ToString());
        Assert.Equal("auto", s.GetInstance(InstancePath.Parse("CL_Settings=@"))["Mode"]);
        Assert.Equal(new[] { "C:", "D:" }, s.EnumerateInstances("CL_Base").Select(i => (string)i["Id"]!).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new[] { "C:" }, s.QueryInstances("CL_Disk", "Online = TRUE AND Size > 1000").Select(i => (string)i["Id"]!));
    }

    [Fact]
    public void The_format_1_fixture_opens_read_only_as_it_is_with_every_class_and_value_and_is_not_modified()
    {
        var path = Copy("ro.db");
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal("1", Scalar(s, "PRAGMA user_version"));
            AssertContents(s);
            var ex = Assert.Throws<CimLiteException>(() => s.PutInstance(s.NewInstance("CL_Settings", new Dictionary<string, object?> { ["Mode"] = "manual" })));
            SessionFixture.AssertStatus(ex, CimStatus.AccessDenied, "read-only");
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(FixtureHash, Hash(path));
    }

    [Fact]
    public void The_format_1_fixture_opened_read_write_becomes_the_current_format_and_keeps_every_class_and_value()
    {
        var path = Copy("rw.db");
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(RepositorySchema.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(s, "PRAGMA user_version"));
            Assert.Equal(RepositorySchema.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'format'"));
            Assert.Equal("CimLite format-1 fixture", Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'created_by'"));
            AssertContents(s);
            // What later formats added works on the migrated file.
            s.PostIndication(s.NewInstance("CL_Event", new Dictionary<string, object?> { ["Text"] = "after the upgrade" }));
            Assert.Equal("after the upgrade", s.ReceivePosted().Single().Instance["Text"]);
            s.ImportMofText("Qualifier Units : string = null, Scope(property);");
            Assert.Contains(s.GetQualifierDeclarations(), q => q.Name == "Units");
        }
        SqliteConnection.ClearAllPools();
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal(RepositorySchema.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(s, "PRAGMA user_version"));
            AssertContents(s);
        }
    }
}
