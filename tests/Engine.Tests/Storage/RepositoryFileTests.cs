using System.Security.Cryptography;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;
using CimLite.Testing;

namespace CimLite.Tests.Storage;

public sealed class RepositoryFileTests : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimlite-tests-" + Guid.NewGuid().ToString("N"));

    public RepositoryFileTests() { Directory.CreateDirectory(_folder); }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string File(string name) => System.IO.Path.Combine(_folder, name);

    private static CimLiteSession Populated(string path)
    {
        var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "C:", ["Size"] = 5 }));
        return s;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    private static string Scalar(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        return Convert.ToString(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [UnixFact("Unix only: Unix file modes")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_repository_file_is_readable_by_its_owner_only_and_a_created_folder_too()
    {
        var path = System.IO.Path.Combine(_folder, "new", "repo.db");
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(System.IO.Path.Combine(_folder, "new")));
        }
    }

    [Fact]
    public void A_file_repository_uses_WAL_mode()
    {
        using var s = CimLiteSession.Open(File("repo.db"));
        Assert.Equal("wal", Scalar(s, "PRAGMA journal_mode"));
        Assert.False(s.IsInMemory);
        Assert.Equal(File("repo.db"), s.Path);
    }

    [Fact]
    public void A_file_repository_reads_through_an_8_MiB_page_cache_and_a_read_only_one_too()
    {
        var path = File("cache.db");
        using (var s = Populated(path))
            Assert.Equal("-8192", Scalar(s, "PRAGMA cache_size"));
        using (var r = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
            Assert.Equal("-8192", Scalar(r, "PRAGMA cache_size"));
    }

    [Fact]
    public void Reopening_a_repository_sees_its_classes_and_instances()
    {
        var path = File("repo.db");
        using (Populated(path)) { }
        using var s = CimLiteSession.Open(path);
        Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
        Assert.True(s.GetClass("Disk").FindProperty("DeviceId").IsKey);
    }

    [Fact]
    public void A_read_only_session_reads_but_every_write_fails_with_AccessDenied_and_nothing_changes()
    {
        var path = File("repo.db");
        using (Populated(path)) { }
        var before = Hash(path);
        using (var ro = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.True(ro.IsReadOnly);
            var disk = ro.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""));
            Assert.Equal(5UL, disk["Size"]);
            Assert.Single(ro.EnumerateInstances("Disk"));
            disk["Size"] = 6;
            SessionFixture.Fails(ro, CimStatus.AccessDenied, () => ro.PutInstance(disk), "read-only");
            SessionFixture.Fails(ro, CimStatus.AccessDenied, () => ro.DeleteInstance(disk.GetPath()));
            SessionFixture.Fails(ro, CimStatus.AccessDenied, () => SessionFixture.Class(ro, "New").Create());
            SessionFixture.Fails(ro, CimStatus.AccessDenied, () => ro.DeleteClass("Disk", force: true));
        }
        Assert.Equal(before, Hash(path));
        using var rw = CimLiteSession.Open(path);
        Assert.Equal(5UL, rw.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
    }

    [Fact]
    public void A_read_only_open_of_a_missing_file_fails_and_creates_nothing()
    {
        var path = File("missing.db");
        var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }));
        SessionFixture.AssertStatus(ex, CimStatus.NotFound, path);
        Assert.False(System.IO.File.Exists(path));
    }

    private void AssertRejectedAndUnchanged(string path, params string[] messageParts)
    {
        var before = Hash(path);
        var names = Directory.GetFiles(_folder).OrderBy(n => n).ToArray();
        foreach (var readOnly in new[] { false, true })
        {
            var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly }));
            SessionFixture.AssertStatus(ex, CimStatus.Failed, messageParts);
            Assert.Contains(path, ex.Message);
            Assert.Contains("not changed", ex.Message);
        }
        Assert.Equal(before, Hash(path));
        // A read-only SQLite connection to a WAL-mode file cannot remove the empty -wal and the -shm index it
        // opens; those may remain (and only for a file that already is a WAL database). Nothing else may appear.
        foreach (var f in Directory.GetFiles(_folder).Except(names))
        {
            Assert.True(f == path + "-shm" || (f == path + "-wal" && new FileInfo(f).Length == 0), "unexpected new file " + f);
            Assert.True(IsWalHeader(path), "only a WAL-mode file may leave -wal/-shm");
        }
    }

    private static bool IsWalHeader(string path)
    {
        var header = new byte[20];
        using (var f = System.IO.File.OpenRead(path)) { if (f.Read(header, 0, 20) < 20) return false; }
        return header[18] == 2 && header[19] == 2; // file format read/write versions 2 = WAL
    }

    [Fact]
    public void A_file_of_random_bytes_is_rejected_with_a_clear_message_and_left_byte_for_byte_unchanged()
    {
        var path = File("random.db");
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        System.IO.File.WriteAllBytes(path, bytes);
        AssertRejectedAndUnchanged(path, "not a CimLite repository", "not a SQLite database");
    }

    [Fact]
    public void A_text_file_is_rejected_with_a_clear_message_and_left_byte_for_byte_unchanged()
    {
        var path = File("notes.txt");
        System.IO.File.WriteAllText(path, "These are my notes, not a database.\n");
        AssertRejectedAndUnchanged(path, "not a CimLite repository");
    }

    [Fact]
    public void Another_applications_SQLite_file_is_rejected_and_left_unchanged()
    {
        var path = File("other.db");
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE songs(id INTEGER PRIMARY KEY, title TEXT); INSERT INTO songs(title) VALUES ('la');";
            cmd.ExecuteNonQuery();
        }
        AssertRejectedAndUnchanged(path, "another application");
    }

    [Fact]
    public void Another_applications_SQLite_file_with_an_application_id_is_rejected_and_left_unchanged()
    {
        var path = File("other2.db");
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA application_id = 1234; PRAGMA user_version = 1; CREATE TABLE t(x);";
            cmd.ExecuteNonQuery();
        }
        AssertRejectedAndUnchanged(path, "another application");
    }

    [Fact]
    public void A_repository_of_a_newer_format_is_rejected_and_left_unchanged()
    {
        var path = File("newer.db");
        using (Populated(path)) { }
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 99";
            cmd.ExecuteNonQuery();
        }
        AssertRejectedAndUnchanged(path, "format 99", "newer");
    }

    [Fact]
    public void Enumerating_a_file_repository_while_putting_and_deleting_through_the_same_session_works()
    {
        var path = File("loop.db");
        using var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Item").Key("Id", "uint32").Prop("Text", "string").Create();
        for (uint i = 0; i < 300; i++) s.PutInstance(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = i }));
        foreach (var item in s.EnumerateInstances("Item"))
        {
            if ((uint)item["Id"] % 2 == 0) s.DeleteInstance(item.GetPath());
            else { item["Text"] = "odd"; s.PutInstance(item); }
        }
        Assert.Equal(150, s.EnumerateInstances("Item").Count());
        Assert.All(s.EnumerateInstances("Item"), i => Assert.Equal("odd", i["Text"]));
    }

    [Fact]
    public void Another_session_can_write_while_a_file_repository_is_being_enumerated()
    {
        var path = File("two.db");
        using var a = Populated(path);
        using var b = CimLiteSession.Open(path);
        foreach (var disk in a.EnumerateInstances("Disk"))
            b.PutInstance(b.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "D:", ["Size"] = 1 }));
        Assert.Equal(2, a.EnumerateInstances("Disk").Count());
    }

    [Fact]
    public void A_repository_opened_twice_shares_its_data()
    {
        var path = File("repo.db");
        using var a = Populated(path);
        using var b = CimLiteSession.Open(path);
        Assert.Equal(5UL, b.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
        SessionFixture.Class(b, "Added").Key("Id").Create();
        Assert.NotNull(a.FindClass("Added")); // a's class cache notices b's schema change
    }

    [Fact]
    public void A_write_blocked_by_another_sessions_write_lock_fails_with_a_clear_error_after_the_busy_timeout_and_changes_nothing()
    {
        var path = File("busy.db");
        using var holder = CimLiteSession.Open(path);
        var definition = new CimClassDefinition("Busy");
        definition.Properties.Add(new CimPropertyDefinition("Id", CimTypeInfo.Parse("string")) { Qualifiers = { new CimQualifier("Key", true) } });
        holder.CreateClass(definition);
        using var blocked = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var instance = blocked.NewInstance("Busy", new System.Collections.Hashtable { ["Id"] = "x" });
        using (holder.Repository.BeginWrite())
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = Assert.Throws<CimLiteException>(() => blocked.PutInstance(instance));
            Assert.Equal(CimStatus.Failed, ex.Status);
            Assert.Contains("busy", ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "waited " + watch.Elapsed);
        }
        Assert.Null(blocked.FindInstance(InstancePath.Parse("Busy.Id=\"x\"")));
        blocked.PutInstance(instance); // the lock is gone: the same put now succeeds
        Assert.NotNull(holder.FindInstance(InstancePath.Parse("Busy.Id=\"x\"")));
    }
}
