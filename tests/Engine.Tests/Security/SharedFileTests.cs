using System.Diagnostics;
using CimLite.Storage;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Security;

/// <summary>A fact that runs only on Unix as root (it gives files to another user with chown).</summary>
public sealed class UnixRootFactAttribute : FactAttribute
{
    public UnixRootFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file ownership";
        else if (FileTrust.EffectiveUserId() != 0) Skip = "needs root to give a file to another user (chown)";
    }
}

/// <summary>
/// Issue 22 item 5: a repository file that another user owns or can write (or whose folder they own or can write) is
/// refused unless allowed; read-only, it opens with a warning.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedFileTests : TempFolderTests
{
    private const int Nobody = 65534;

    public SharedFileTests() : base("shared") { }

    private static void Chown(string path, int uid)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", new[] { uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path }) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private string NewRepository(string folder)
    {
        Directory.CreateDirectory(folder);
        string db = Path.Combine(folder, "repo.db");
        using (var s = CimLiteSession.Open(db)) SessionFixture.Class(s, "Disk").Key("Id").Create();
        return db;
    }

    [UnixFact]
    public void A_folder_writable_by_everyone_is_refused_and_nothing_is_created_there()
    {
        string folder = File("open");
        Directory.CreateDirectory(folder);
        System.IO.File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // 0777
        string db = Path.Combine(folder, "repo.db");
        var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(db));
        Assert.Equal(CimStatus.AccessDenied, e.Status);
        Assert.Contains(folder, e.Message);
        Assert.Contains("0777", e.Message);
        Assert.Contains("AllowSharedFile", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        using (var allowed = CimLiteSession.Open(db, new CimLiteSessionOptions { AllowSharedFile = true })) Assert.False(allowed.IsReadOnly);
        Assert.True(System.IO.File.Exists(db));
    }

    [UnixFact]
    public void A_file_writable_by_others_is_refused_and_opens_read_only_with_a_warning()
    {
        string db = NewRepository(File("mine"));
        System.IO.File.SetUnixFileMode(db, (UnixFileMode)0x1B6); // 0666
        string hash = Hash(db);
        var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(db));
        Assert.Equal(CimStatus.AccessDenied, e.Status);
        Assert.Contains(db, e.Message);
        Assert.Contains("0666", e.Message);
        using (var ro = CimLiteSession.Open(db, new CimLiteSessionOptions { ReadOnly = true }))
        {
            var warning = Assert.Single(ro.OpenWarnings);
            Assert.Contains("0666", warning);
            Assert.NotNull(ro.GetClass("Disk"));
        }
        Assert.Equal(hash, Hash(db));
        // Made the owner's only again (SQLite gave the -wal and -shm that the read-only session created the file's
        // 0666), it opens without a warning.
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            if (System.IO.File.Exists(f)) System.IO.File.SetUnixFileMode(f, (UnixFileMode)0x180);
        using (var ok = CimLiteSession.Open(db)) Assert.Empty(ok.OpenWarnings);
    }

    [UnixRootFact]
    public void A_file_or_a_planted_WAL_of_another_user_is_refused()
    {
        string db = NewRepository(File("owned"));
        Chown(db, Nobody);
        var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(db));
        Assert.Equal(CimStatus.AccessDenied, e.Status);
        Assert.Contains("uid " + Nobody, e.Message);
        Chown(db, 0);
        using (var ok = CimLiteSession.Open(db)) Assert.NotNull(ok.GetClass("Disk"));

        // Another user plants the -wal before the repository is next opened.
        string wal = db + "-wal";
        System.IO.File.WriteAllBytes(wal, Array.Empty<byte>());
        Chown(wal, Nobody);
        Assert.Contains(wal, Assert.Throws<CimLiteException>(() => CimLiteSession.Open(db)).Message);
    }

    [UnixRootFact]
    public void A_folder_of_another_user_is_refused()
    {
        string folder = File("theirs");
        Directory.CreateDirectory(folder);
        Chown(folder, Nobody);
        var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(Path.Combine(folder, "repo.db")));
        Assert.Contains("uid " + Nobody, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
