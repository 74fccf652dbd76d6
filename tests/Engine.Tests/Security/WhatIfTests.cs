using System.Text;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Security;

/// <summary>
/// Issue 22 item 4: a -WhatIf import checks everything but calls no provider and writes nothing to the repository, not
/// even to its WAL, and works on a read-only session. It runs on a private in-memory snapshot.
/// </summary>
public sealed class WhatIfTests : TempFolderTests
{
    public WhatIfTests() : base("whatif") { }

    private const string Schema = "class Disk { [Key] string Id; uint64 Size; string Note; };\n";

    private static string Instances(int count, int from = 0)
    {
        var sb = new StringBuilder();
        for (int i = from; i < from + count; i++)
            sb.Append("instance of Disk { Id = \"d").Append(i).Append("\"; Size = ").Append(i).Append("; Note = \"").Append('x', 200).Append("\"; };\n");
        return sb.ToString();
    }

    private string WriteMof(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private (string Db, string Wal, long WalLength) State(string db)
    {
        string wal = db + "-wal";
        return (Hash(db), System.IO.File.Exists(wal) ? Hash(wal) : "", System.IO.File.Exists(wal) ? new FileInfo(wal).Length : 0);
    }

    [Fact]
    public void WhatIf_import_calls_no_provider_and_leaves_the_file_and_its_WAL_unchanged()
    {
        string db = File("repo.db");
        var log = new List<string>();
        using var s = CimLiteSession.Open(db);
        s.ImportMof(new[] { WriteMof("schema.mof", Schema + Instances(10)) });
        var provider = new TestProvider("Disk", log);
        s.Providers.Register("Disk", provider);
        var before = State(db);

        // Big enough that a rolled-back write transaction would have spilled pages into the WAL.
        var r = s.ImportMof(new[] { WriteMof("big.mof", Instances(20_000, 5)) }, new MofImportOptions { WhatIf = true });

        Assert.False(r.Committed);
        Assert.Equal(20_000, r.Instances.Count);
        Assert.Empty(log);                                   // no provider ran
        Assert.Equal(before, State(db));                     // file and WAL byte-identical
        Assert.Equal(10, s.EnumerateInstances("Disk").Count());
        Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.Id=\"d5\""))["Size"]);
    }

    [Fact]
    public void WhatIf_import_reports_the_errors_a_real_import_would()
    {
        using var s = CimLiteSession.Open(File("repo.db"));
        s.ImportMof(new[] { WriteMof("schema.mof", Schema) });
        var bad = WriteMof("bad.mof", Instances(3) + "instance of Disk { Id = \"e\"; Size = -1; };\n");
        var e = Assert.Throws<CimLiteException>(() => s.ImportMof(new[] { bad }, new MofImportOptions { WhatIf = true }));
        Assert.Equal(CimStatus.TypeMismatch, e.Status);
        Assert.Contains("bad.mof(4,", e.Message);
        // A class change is refused without -Force, as for a real import.
        var changed = WriteMof("changed.mof", "class Disk { [Key] string Id; uint64 Size; string Note; string More; };\n");
        Assert.Equal(CimStatus.AlreadyExists, Assert.Throws<CimLiteException>(() => s.ImportMof(new[] { changed }, new MofImportOptions { WhatIf = true })).Status);
        Assert.Empty(s.EnumerateInstances("Disk"));
    }

    [Fact]
    public void WhatIf_import_works_on_a_read_only_session_and_a_real_one_is_refused()
    {
        string db = File("repo.db");
        using (var w = CimLiteSession.Open(db)) w.ImportMof(new[] { WriteMof("schema.mof", Schema + Instances(2)) });
        using var ro = CimLiteSession.Open(db, new CimLiteSessionOptions { ReadOnly = true });
        var before = State(db); // opened: SQLite has its (empty) WAL file by now
        var mof = WriteMof("more.mof", "class Extra : Disk { uint32 Speed; };\n" + Instances(5, 100));
        var r = ro.ImportMof(new[] { mof }, new MofImportOptions { WhatIf = true });
        Assert.False(r.Committed);
        Assert.Equal(1, r.ClassesCreated);
        Assert.Equal(5, r.Instances.Count);
        Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() => ro.ImportMof(new[] { mof })).Status);
        Assert.Equal(before, State(db));
        Assert.Throws<CimLiteException>(() => ro.GetClass("Extra"));
    }
}
