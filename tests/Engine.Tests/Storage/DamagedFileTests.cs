using CimLite.Storage;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Foreign and damaged files (issue 6 item 4): every open, read-write and read-only, fails with a
/// CimLiteException naming the file and the reason, or (damage found only when a page is read) the first
/// operation that reads it does; and no byte of the file, nor of a WAL beside it, changes.
/// </summary>
public sealed class DamagedFileTests : TempFolderTests
{
    public DamagedFileTests() : base("damaged") { }

    private static long Long(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>A CimLite repository with enough instances to span many pages, checkpointed so the main file holds everything.</summary>
    private string Repository(string name, int instances = 300)
    {
        var path = File(name);
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Item").Key("Id", "uint32").Prop("Text", "string").Create();
            using (var batch = s.BeginPutBatch())
            {
                for (uint i = 0; i < instances; i++)
                    batch.Add(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = i, ["Text"] = new string('x', 200) + i }));
                batch.Commit();
            }
        }
        using (var c = Raw(path)) Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        return path;
    }

    /// <summary>Hashes of the file and of any -wal/-shm beside it (the -shm is an index SQLite may rebuild: only its presence counts).</summary>
    private Dictionary<string, string> State(string path)
    {
        var state = new Dictionary<string, string> { [path] = Hash(path) };
        if (System.IO.File.Exists(path + "-wal")) state[path + "-wal"] = Hash(path + "-wal");
        return state;
    }

    private static bool IsWal(string path)
    {
        var header = new byte[20];
        using (var f = System.IO.File.OpenRead(path)) { if (f.Read(header, 0, 20) < 20) return false; }
        return header[18] == 2 && header[19] == 2;
    }

    private void AssertUnchanged(string path, Dictionary<string, string> before, string[] filesBefore)
    {
        foreach (var (file, hash) in before) Assert.True(hash == Hash(file), "changed: " + file);
        foreach (var f in Directory.GetFiles(Folder).Except(filesBefore))
        {
            // A SQLite connection to a WAL-mode file creates the -shm index and an empty -wal if missing; nothing else may appear.
            Assert.True(f == path + "-shm" || (f == path + "-wal" && new FileInfo(f).Length == 0), "unexpected new file " + f);
            Assert.True(IsWal(path), "only a WAL-mode file may gain a -wal/-shm: " + f);
        }
    }

    /// <summary>Both opens fail with FAILED, naming the file and each message part; nothing changes.</summary>
    private void AssertOpenRejected(string path, params string[] messageParts)
    {
        var before = State(path);
        var files = Directory.GetFiles(Folder);
        foreach (var readOnly in new[] { false, true })
        {
            var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly }));
            SessionFixture.AssertStatus(ex, CimStatus.Failed, messageParts);
            Assert.Contains(path, ex.Message);
            Assert.Contains("not change", ex.Message);
        }
        SqliteConnection.ClearAllPools();
        AssertUnchanged(path, before, files);
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Position = offset;
        f.Write(bytes);
    }

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_zero_length_file_becomes_a_new_repository_read_write_and_is_refused_read_only_unchanged()
    {
        // A zero-length file is what an interrupted creation by CimLite itself leaves behind (the file is created
        // owner-only first, then SQLite writes it), so a read-write open makes it a repository; it holds nothing to lose.
        var path = File("empty.db");
        System.IO.File.WriteAllBytes(path, Array.Empty<byte>());
        var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, path, "read-only");
        Assert.Equal(0, new FileInfo(path).Length);
        using (var s = CimLiteSession.Open(path)) SessionFixture.Class(s, "Item").Key("Id").Create();
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true })) Assert.NotNull(s.FindClass("Item"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(99)]
    public void A_file_shorter_than_a_SQLite_header_is_not_a_database(int length)
    {
        var path = File("short.db");
        System.IO.File.WriteAllBytes(path, "SQLite format 3\0"u8.ToArray().Concat(new byte[100]).Take(length).ToArray());
        AssertOpenRejected(path, "not a SQLite database");
    }

    [Fact]
    public void A_file_with_the_SQLite_magic_and_garbage_after_it_is_rejected_unchanged()
    {
        var path = File("magic.db");
        System.IO.File.WriteAllBytes(path, "SQLite format 3\0"u8.ToArray().Concat(Garbage(3 * 4096, 11)).ToArray());
        AssertOpenRejected(path, "not a SQLite database");
    }

    [Fact]
    public void A_repository_whose_first_page_after_the_header_is_garbage_is_reported_damaged_unchanged()
    {
        var path = Repository("page1.db");
        Overwrite(path, 100, Garbage(4096 - 100, 12)); // the schema table's root page (page 1 after its header)
        AssertOpenRejected(path, "damaged", "backup");
    }

    [Fact]
    public void A_rollback_journal_database_of_another_application_with_a_hot_journal_is_rejected_without_rolling_it_back()
    {
        // SQLite rolls back a hot journal on first read, writing the database: CimLite must not let it get that far.
        var path = File("hot.db");
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA journal_mode = DELETE; CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES ('la');");
        }
        System.IO.File.WriteAllBytes(path + "-journal", Garbage(600, 13)); // stands in for a hot journal
        var journal = Hash(path + "-journal");
        AssertOpenRejected(path, "another application");
        Assert.Equal(journal, Hash(path + "-journal"));
    }

    [Fact]
    public void A_WAL_database_of_another_application_with_uncheckpointed_changes_keeps_its_main_file_and_WAL()
    {
        // No identity in the header (the application never set one) and committed rows still only in its WAL: the
        // check needs SQLite, and the connection closes without checkpointing the WAL into a file that is not ours.
        var path = File("otherwal.db");
        var live = File("live.db");
        using (var c = Raw(live))
        {
            Exec(c, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE songs(title TEXT);");
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            Exec(c, "INSERT INTO songs VALUES ('la'), ('di'), ('da');");
            System.IO.File.Copy(live, path);
            System.IO.File.Copy(live + "-wal", path + "-wal");
        }
        Assert.True(new FileInfo(path + "-wal").Length > 32);
        AssertOpenRejected(path, "another application");
        using (var c = Raw(path)) Assert.Equal(3, Long(c, "SELECT count(*) FROM songs"));
    }

    [Fact]
    public void A_newer_format_recorded_only_in_the_WAL_is_rejected_and_neither_file_changes()
    {
        var path = File("newerwal.db");
        var live = Repository("live.db", instances: 3);
        using (var c = Raw(live))
        {
            Exec(c, "PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 99");
            System.IO.File.Copy(live, path);
            System.IO.File.Copy(live + "-wal", path + "-wal");
        }
        AssertOpenRejected(path, "format 99", "newer");
    }

    [Theory]
    [InlineData("half")]
    [InlineData("first page")]
    [InlineData("one byte short")]
    public void A_truncated_repository_is_rejected_as_cut_short_and_left_unchanged(string cut)
    {
        var path = Repository("cut.db");
        var length = new FileInfo(path).Length;
        Assert.True(length >= 8 * 4096, "the fixture should span several pages: " + length);
        long newLength = cut switch { "half" => length / 2, "first page" => 4096, _ => length - 1 };
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write)) f.SetLength(newLength);
        AssertOpenRejected(path, "damaged", "cut short", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static (long Table, long Index) InstancePages(string path)
    {
        using var c = Raw(path);
        return (Long(c, "SELECT rootpage FROM sqlite_master WHERE name = 'instances'"), Long(c, "SELECT rootpage FROM sqlite_master WHERE name = 'instances_by_class'"));
    }

    [Theory]
    [InlineData("table")]
    [InlineData("index")]
    public void Garbage_over_an_instances_page_is_reported_by_the_first_operation_that_reads_it_and_nothing_changes(string which)
    {
        var path = Repository("pages.db");
        var (table, index) = InstancePages(path);
        var page = which == "table" ? table : index;
        Overwrite(path, (page - 1) * 4096, Garbage(4096, 14));
        SqliteConnection.ClearAllPools();
        var before = State(path);
        var files = Directory.GetFiles(Folder);
        foreach (var readOnly in new[] { true, false })
        {
            using var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly });
            Assert.NotNull(s.FindClass("Item")); // the classes table is intact
            var ex = Assert.Throws<CimLiteException>(() => s.EnumerateInstances("Item").ToList());
            SessionFixture.AssertStatus(ex, CimStatus.Failed, path, "damaged", "backup");
            Assert.IsType<SqliteException>(ex.InnerException);
            if (!readOnly)
            {
                // A write that needs the damaged page fails just as clearly, and is rolled back.
                var put = Assert.Throws<CimLiteException>(() => s.PutInstance(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = 100000u, ["Text"] = "new" })));
                SessionFixture.AssertStatus(put, CimStatus.Failed, path, "damaged");
            }
        }
        SqliteConnection.ClearAllPools();
        AssertUnchanged(path, before, files);
    }

    [Fact]
    public void A_stale_WAL_and_index_of_another_repository_beside_a_file_are_reported_damaged_and_neither_is_changed()
    {
        // SQLite cannot tell whose WAL it is (a WAL header names no database). Here the other repository is smaller,
        // so its frames make this one inconsistent: the open or the first read reports damage, and nothing is
        // checkpointed into the file afterwards.
        var path = Repository("mine.db", 300);
        var other = Repository("other.db", 3);
        using (var a = CimLiteSession.Open(other))
        {
            using (var c = Raw(other)) Exec(c, "PRAGMA wal_autocheckpoint = 0");
            a.PutInstance(a.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = 7000u, ["Text"] = "from the other one" }));
            System.IO.File.Copy(other + "-wal", path + "-wal");
            System.IO.File.Copy(other + "-shm", path + "-shm");
        }
        Assert.True(new FileInfo(path + "-wal").Length > 32);
        var before = State(path);
        var files = Directory.GetFiles(Folder);
        foreach (var readOnly in new[] { true, false })
        {
            var ex = Assert.Throws<CimLiteException>(() =>
            {
                using var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly });
                s.EnumerateInstances("Item").ToList();
            });
            SessionFixture.AssertStatus(ex, CimStatus.Failed, path, "damaged", "backup");
            SqliteConnection.ClearAllPools();
        }
        AssertUnchanged(path, before, files);
    }

    [Fact]
    public void A_stray_rollback_journal_beside_a_repository_is_named_by_a_read_only_open_and_cleared_by_a_read_write_one()
    {
        // SQLite treats a -journal beside a database as hot and must roll it back before reading, which a
        // read-only connection cannot do; a read-write open finds nothing valid in it and discards it.
        var path = Repository("journal.db", 30);
        System.IO.File.WriteAllBytes(path + "-journal", Garbage(600, 21));
        var before = Hash(path);
        var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, path + "-journal", "read-only", "read-write");
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(path));
        Assert.True(System.IO.File.Exists(path + "-journal"));
        using (var s = CimLiteSession.Open(path)) Assert.Equal(30, s.EnumerateInstances("Item").Count());
        SqliteConnection.ClearAllPools();
        Assert.False(System.IO.File.Exists(path + "-journal"));
    }
}
