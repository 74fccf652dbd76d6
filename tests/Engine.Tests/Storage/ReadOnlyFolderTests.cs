using System.Diagnostics;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>A fact that needs chattr +i to work here (Linux, a file system with the immutable attribute, the capability to set it).</summary>
public sealed class ChattrFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Problem = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return "chattr is Linux's";
        string probe = Path.Combine(Path.GetTempPath(), "cimlite-chattr-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(probe);
        try
        {
            if (!ReadOnlyFolderTests.Chattr("+i", probe)) return "chattr +i is refused here, so no folder can be made unwritable for this user";
            ReadOnlyFolderTests.Chattr("-i", probe);
            return null;
        }
        finally
        {
            Directory.Delete(probe);
        }
    });

    public ChattrFactAttribute()
    {
        if (Problem.Value != null) Skip = Problem.Value;
    }
}

/// <summary>
/// Issue 22 item 10: a read-only session opens a readable repository in a folder it cannot write (it failed with
/// "unable to open database file": SQLite could not create the WAL index). The folder is made unwritable with the
/// immutable attribute (chattr +i), which binds root too; where chattr is refused the test says so.
/// </summary>
public sealed class ReadOnlyFolderTests : TempFolderTests
{
    public ReadOnlyFolderTests() : base("ro-folder") { }

    internal static bool Chattr(string flag, string path)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("chattr", new[] { flag, path }) { UseShellExecute = false, RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [ChattrFact]
    public void A_read_only_session_opens_a_repository_in_a_folder_it_cannot_write_and_writes_nothing()
    {
        string folder = File("locked");
        Directory.CreateDirectory(folder);
        string db = Path.Combine(folder, "repo.db");
        using (var w = CimLiteSession.Open(db))
        {
            SessionFixture.Class(w, "Disk").Key("Id").Create();
            w.PutInstance(w.NewInstance("Disk", new Dictionary<string, object> { ["Id"] = "C:" }));
        }
        Assert.False(System.IO.File.Exists(db + "-wal")); // checkpointed on close
        string hash = Hash(db);
        Assert.True(Chattr("+i", folder), "chattr +i is refused here: cannot make a folder unwritable for root");
        try
        {
            Assert.ThrowsAny<Exception>(() => System.IO.File.WriteAllText(Path.Combine(folder, "probe"), "x")); // really unwritable

            using var ro = CimLiteSession.Open(db, new CimLiteSessionOptions { ReadOnly = true });
            Assert.Equal("C:", ro.EnumerateInstances("Disk").Single()["Id"]);
            Assert.Contains(ro.OpenWarnings, w => w.Contains("cannot write", StringComparison.Ordinal));
            Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() =>
                ro.PutInstance(ro.NewInstance("Disk", new Dictionary<string, object> { ["Id"] = "D:" }))).Status);
            // A read-write session still gets a clear error naming the file.
            Assert.Contains(db, Assert.Throws<CimLiteException>(() => CimLiteSession.Open(db)).Message);
        }
        finally
        {
            Chattr("-i", folder);
        }
        Assert.Equal(hash, Hash(db));
        Assert.Equal(new[] { "repo.db" }, Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}
