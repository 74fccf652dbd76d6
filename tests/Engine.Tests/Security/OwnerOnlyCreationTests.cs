using CimLite.Testing;

namespace CimLite.Tests.Security;

/// <summary>
/// A new repository file and folder are created with their owner-only mode (given to open(2)/mkdir(2)), not created
/// under the default umask and chmodded afterwards. The helpers are checked with modes the final chmod would not set,
/// so the mode seen can only come from creation.
/// </summary>
public sealed class OwnerOnlyCreationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cimlite-mode-" + Guid.NewGuid().ToString("N"));

    public OwnerOnlyCreationTests() { Directory.CreateDirectory(_folder); }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static int Umask()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("Umask:", StringComparison.Ordinal)) return Convert.ToInt32(line.Substring(6).Trim(), 8);
        return 0x12; // 022
    }

    [UnixFact("Unix only: Unix file modes given to open(2) and mkdir(2)")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void On_Unix_files_and_folders_get_their_mode_when_they_are_created()
    {
        int umask = Umask();
        var file = Path.Combine(_folder, "f.db");
        Assert.True(global::CimLite.Storage.Sqlite.SqliteRepository.TryCreateFileWithMode(file, 0x1A0)); // 0640
        Assert.Equal(0x1A0 & ~umask, (int)File.GetUnixFileMode(file));
        Assert.Equal(0, new FileInfo(file).Length);
        // CreateNew: an existing file is an IOException (as FileStream throws it, not a reflection wrapper).
        Assert.Throws<IOException>(() => global::CimLite.Storage.Sqlite.SqliteRepository.TryCreateFileWithMode(file, 0x180));

        var dir = Path.Combine(_folder, "a", "b");
        Assert.True(global::CimLite.Storage.Sqlite.SqliteRepository.TryCreateDirectoryWithMode(dir, 0x1E8)); // 0750
        Assert.Equal(0x1E8 & ~umask, (int)File.GetUnixFileMode(dir));

        // The repository itself: 0600 in a new 0700 folder.
        var repo = Path.Combine(_folder, "new", "repo.db");
        using (var s = CimLiteSession.Open(repo)) { }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(repo));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(repo)!));
    }
}
