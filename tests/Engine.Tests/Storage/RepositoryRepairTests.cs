using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Repair (issue 16 item 5: SQLite's reader, then the page reader): garbage over a table leaf page, an index page, the
/// schema page, interior pages, and a truncated file. The damaged file never changes; the salvaged one passes the
/// checks; exactly the instances whose leaf page survived are recovered (with their values), and no deleted ones. Which
/// rowids sit on which page is read from the sound file by the test's own small b-tree walker, from the root down.
/// </summary>
public sealed class RepositoryRepairTests : TempFolderTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public RepositoryRepairTests(Xunit.Abstractions.ITestOutputHelper output) : base("repair") { _output = output; }

    private const int Count = 2000;

    /// <summary>
    /// A repository of <see cref="Count"/> Item instances (Text of <paramref name="textLength"/> characters: 300 puts about
    /// a dozen rows on a leaf page under one interior page; 1500 puts two on a page under two levels of interior pages).
    /// </summary>
    private (string Path, int PageSize, long Root, long IndexRoot) Repository(int textLength = 300, Func<uint, int>? lengthOf = null)
    {
        var path = File("damaged.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Item").Key("Id", "uint32").Prop("Text", "string").Create();
            using var batch = s.BeginPutBatch();
            for (uint i = 1; i <= Count; i++) batch.Add(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = i, ["Text"] = Text(i, lengthOf?.Invoke(i) ?? textLength) }));
            batch.Commit();
        }
        long root, indexRoot, pageSize;
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT (SELECT rootpage FROM sqlite_master WHERE name = 'instances'), (SELECT rootpage FROM sqlite_master WHERE name = 'instances_by_class'), (SELECT page_size FROM pragma_page_size)";
            using var r = cmd.ExecuteReader();
            r.Read();
            (root, indexRoot, pageSize) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
        SqliteConnection.ClearAllPools();
        return (path, (int)pageSize, root, indexRoot);
    }

    private static string Text(uint id, int length)
    {
        var tail = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new string((char)('a' + id % 26), Math.Max(0, length - tail.Length)) + tail;
    }

    private static (ulong Value, int Length) Varint(byte[] b, int at)
    {
        ulong v = 0;
        for (int i = 0; i < 9; i++)
        {
            byte x = b[at + i];
            if (i == 8) return ((v << 8) | x, 9);
            v = (v << 7) | (uint)(x & 0x7F);
            if ((x & 0x80) == 0) return (v, i + 1);
        }
        return (v, 9);
    }

    /// <summary>
    /// The table b-tree under <paramref name="root"/> of the sound file: interior pages (with their depth), and each leaf
    /// page with its rowids. The test's own small walker, from the root down (the product's reader goes page by page).
    /// </summary>
    private static (List<(long Page, int Depth)> Interior, Dictionary<long, List<long>> Leaves) Walk(byte[] file, int pageSize, long root)
    {
        var interior = new List<(long, int)>();
        var leaves = new Dictionary<long, List<long>>();
        void Visit(long page, int depth)
        {
            int at = (int)((page - 1) * pageSize), header = at + (page == 1 ? 100 : 0);
            byte type = file[header];
            int cells = (file[header + 3] << 8) | file[header + 4];
            if (type == 0x05)
            {
                interior.Add((page, depth));
                for (int i = 0; i < cells; i++)
                {
                    int cell = at + ((file[header + 12 + 2 * i] << 8) | file[header + 13 + 2 * i]);
                    Visit((long)(((uint)file[cell] << 24) | ((uint)file[cell + 1] << 16) | ((uint)file[cell + 2] << 8) | file[cell + 3]), depth + 1);
                }
                Visit((long)(((uint)file[header + 8] << 24) | ((uint)file[header + 9] << 16) | ((uint)file[header + 10] << 8) | file[header + 11]), depth + 1);
            }
            else if (type == 0x0D)
            {
                var rowids = new List<long>();
                for (int i = 0; i < cells; i++)
                {
                    int cell = at + ((file[header + 8 + 2 * i] << 8) | file[header + 9 + 2 * i]);
                    var (_, n) = Varint(file, cell);
                    rowids.Add((long)Varint(file, cell + n).Value);
                }
                leaves[page] = rowids;
            }
            else throw new InvalidOperationException("page " + page + " is of type " + type);
        }
        Visit(root, 0);
        return (interior, leaves);
    }

    private static void Garbage(byte[] file, int pageSize, long page, int seed)
    {
        var span = file.AsSpan((int)((page - 1) * pageSize), pageSize);
        new Random(seed).NextBytes(page == 1 ? span.Slice(100) : span);
    }

    private CimLiteRepairResult Repair(string damaged, bool pageReader = true)
    {
        var before = Hash(damaged);
        var target = File("salvaged-" + Guid.NewGuid().ToString("N") + ".db");
        var result = CimLiteRepository.Repair(damaged, target, null, pageReader);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(damaged));
        var report = CimLiteRepository.Check(target);
        Assert.True(report.IsHealthy, string.Join("\n", report.Problems));
        Assert.True(CimLiteRepository.Test(target));
        Assert.Equal(result.Recovered, report.Instances);
        // The yield of one run, for the README: what the test damaged, what came back, what is known lost.
        _output.WriteLine($"yield: recovered {result.Recovered}, lost {result.Lost} ({result.LostInstances.Count} named), page reader {(pageReader ? "on" : "off")}");
        return result;
    }

    /// <summary>The instance rowids of a repository file.</summary>
    private static SortedSet<long> RowIds(string path)
    {
        var ids = new SortedSet<long>();
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM instances";
            using var r = cmd.ExecuteReader();
            while (r.Read()) ids.Add(r.GetInt64(0));
        }
        SqliteConnection.ClearAllPools();
        return ids;
    }

    /// <summary>Instance rowid to key text, from the sound file.</summary>
    private static Dictionary<long, string> Keys(string path)
    {
        var keys = new Dictionary<long, string>();
        // Read-only and never checkpointing: a log beside the file stays as it is.
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            c.Open();
            SQLitePCL.raw.sqlite3_db_config(c.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, key FROM instances";
            using var r = cmd.ExecuteReader();
            while (r.Read()) keys[r.GetInt64(0)] = r.GetString(1);
        }
        SqliteConnection.ClearAllPools();
        return keys;
    }

    /// <summary>The salvaged instances read back through a session: Id to Text.</summary>
    private static Dictionary<uint, string> Items(string salvaged)
    {
        using var s = CimLiteSession.Open(salvaged, new CimLiteSessionOptions { ReadOnly = true });
        return s.EnumerateInstances("Item").ToDictionary(i => (uint)i["Id"]!, i => (string)i["Text"]!);
    }

    private static string Describe(CimLiteRepairResult result) =>
        $"recovered {result.Recovered}, lost {result.Lost}: {string.Join("; ", result.LostInstances.Take(10))}; notes: {string.Join(" | ", result.Notes)}";

    private static void SameIds(IEnumerable<long> expected, SortedSet<long> actual, CimLiteRepairResult result)
    {
        var want = new SortedSet<long>(expected);
        Assert.True(want.SetEquals(actual), $"missing {string.Join(",", want.Except(actual).Take(20))}; extra {string.Join(",", actual.Except(want).Take(20))}; {Describe(result)}");
    }

    [Fact]
    public void Garbage_over_a_table_leaf_page_loses_that_page_only()
    {
        var (path, pageSize, root, _) = Repository();
        var bytes = System.IO.File.ReadAllBytes(path);
        var (_, leaves) = Walk(bytes, pageSize, root);
        var all = leaves.Values.SelectMany(v => v).ToList();
        var keys = Keys(path);
        var victim = leaves.Keys.OrderBy(p => p).Skip(leaves.Count / 2).First();
        Garbage(bytes, pageSize, victim, 1);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        SameIds(all.Except(leaves[victim]), RowIds(result.Destination), result);
        Assert.Equal(Count - leaves[victim].Count, result.Recovered);
        Assert.Equal(leaves[victim].Count, result.Lost);
        // The index entries name what was lost: its class and key.
        Assert.Equal(leaves[victim].Select(id => "Item " + keys[id]).OrderBy(x => x), result.LostInstances.OrderBy(x => x));
        Assert.Equal(result.Recovered, Items(result.Destination).Count);
    }

    [Fact]
    public void Garbage_over_index_pages_loses_nothing()
    {
        var (path, pageSize, root, indexRoot) = Repository();
        var bytes = System.IO.File.ReadAllBytes(path);
        var all = Walk(bytes, pageSize, root).Leaves.Values.SelectMany(v => v).ToList();
        Garbage(bytes, pageSize, indexRoot, 2);
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.False(CimLiteRepository.Test(path));
        var result = Repair(path);
        SameIds(all, RowIds(result.Destination), result);
        Assert.Equal(Count, result.Recovered);
        Assert.Equal(0, result.Lost);
    }

    [Fact]
    public void A_truncated_file_keeps_every_instance_of_the_pages_before_the_cut()
    {
        // Two levels of interior pages: some interior pages lie after the cut, and the leaves before the cut under
        // them are found by the page reader.
        var (path, pageSize, root, _) = Repository(textLength: 1500);
        var keys = Keys(path);
        var bytes = System.IO.File.ReadAllBytes(path);
        var (interior, leaves) = Walk(bytes, pageSize, root);
        // Cut just before the first lower interior page: SQLite's reader finds no way from the root to any leaf.
        long cut = interior.Where(i => i.Depth == 1).Min(i => i.Page) - 1;
        Assert.Contains(leaves.Keys, page => page > cut);
        System.IO.File.WriteAllBytes(path, bytes.AsSpan(0, (int)(cut * pageSize)).ToArray());
        var expected = leaves.Where(l => l.Key <= cut).SelectMany(l => l.Value).ToList();
        var result = Repair(path);
        SameIds(expected, RowIds(result.Destination), result);
        Assert.Equal(expected.Count, result.Recovered);
        // Lost as far as the surviving index entries tell: named by class and key.
        Assert.True(result.Lost > 0 && result.Lost <= Count - expected.Count, Describe(result));
        var lostKeys = keys.Where(k => !expected.Contains(k.Key)).Select(k => "Item " + k.Value).ToHashSet();
        Assert.All(result.LostInstances, lost => Assert.Contains(lost, lostKeys));
        var items = Items(result.Destination);
        Assert.All(items, item => Assert.Equal(Text(item.Key, 1500), item.Value));
    }

    [Fact]
    public void Garbage_over_the_schema_page_recovers_every_instance_through_the_page_reader()
    {
        var (path, pageSize, root, _) = Repository();
        var bytes = System.IO.File.ReadAllBytes(path);
        var all = Walk(bytes, pageSize, root).Leaves.Values.SelectMany(v => v).ToList();
        Garbage(bytes, pageSize, 1, 3);
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.False(CimLiteRepository.Test(path));
        var result = Repair(path);
        Assert.Contains(result.Notes, n => n.Contains("schema"));
        SameIds(all, RowIds(result.Destination), result);
        Assert.Equal(Count, result.Recovered);
        Assert.Equal(0, result.Lost);
        // The class and namespace came back from their own leaf pages: the instances read as Items, with their values.
        var items = Items(result.Destination);
        Assert.Equal(Count, items.Count);
        Assert.All(items, item => Assert.Equal(Text(item.Key, 300), item.Value));
    }

    [Fact]
    public void Garbage_over_the_whole_first_page_header_included_recovers_every_instance_with_a_guessed_page_size()
    {
        var (path, pageSize, root, _) = Repository();
        var bytes = System.IO.File.ReadAllBytes(path);
        var all = Walk(bytes, pageSize, root).Leaves.Values.SelectMany(v => v).ToList();
        new Random(8).NextBytes(bytes.AsSpan(0, pageSize));
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        Assert.Contains(result.Notes, n => n.Contains("page size is damaged") && n.Contains(pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        SameIds(all, RowIds(result.Destination), result);
        Assert.All(Items(result.Destination), item => Assert.Equal(Text(item.Key, 300), item.Value));
    }

    [Fact]
    public void The_posted_queue_comes_back_from_its_pages_when_the_schema_page_is_gone()
    {
        var path = File("queue.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Item").Key("Id", "uint32").Create();
            SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Prop("Pad", "string").Create();
            s.PutInstance(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = 1u }));
            for (uint n = 0; n < 60; n++) s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = n, ["Pad"] = new string('p', 200) }));
        }
        List<(long Id, string Data)> Queue(string file)
        {
            var rows = new List<(long, string)>();
            using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT id, data FROM posted ORDER BY id";
                using var r = cmd.ExecuteReader();
                while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1)));
            }
            SqliteConnection.ClearAllPools();
            return rows;
        }
        int pageSize;
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA page_size";
            pageSize = Convert.ToInt32(cmd.ExecuteScalar());
        }
        SqliteConnection.ClearAllPools();
        var before = Queue(path);
        Assert.Equal(60, before.Count);
        var bytes = System.IO.File.ReadAllBytes(path);
        Garbage(bytes, pageSize, 1, 9);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        Assert.Equal(1, result.Recovered);
        Assert.Equal(before, Queue(result.Destination));
    }

    [Fact]
    public void Garbage_over_the_root_interior_page_recovers_every_instance_through_the_page_reader()
    {
        var (path, pageSize, root, _) = Repository();
        var bytes = System.IO.File.ReadAllBytes(path);
        var (interior, leaves) = Walk(bytes, pageSize, root);
        Assert.Equal(root, interior[0].Page);
        Garbage(bytes, pageSize, root, 4);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        SameIds(leaves.Values.SelectMany(v => v), RowIds(result.Destination), result);
        Assert.Equal(0, result.Lost);
    }

    [Fact]
    public void Garbage_over_a_lower_interior_page_recovers_the_leaves_under_it()
    {
        var (path, pageSize, root, _) = Repository(textLength: 1500);
        var bytes = System.IO.File.ReadAllBytes(path);
        var (interior, leaves) = Walk(bytes, pageSize, root);
        var victim = interior.First(i => i.Depth == 1).Page;
        Garbage(bytes, pageSize, victim, 5);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        SameIds(leaves.Values.SelectMany(v => v), RowIds(result.Destination), result);
        Assert.Equal(Count, result.Recovered);
        Assert.Equal(0, result.Lost);
    }

    [Fact]
    public void Without_the_page_reader_the_schema_and_interior_damage_lose_rows()
    {
        // The proof that the page reader is what recovers them: SQLite's reader alone gets nothing behind a damaged
        // schema page, and nothing under a damaged root interior page.
        var (path, pageSize, root, _) = Repository();
        var sound = System.IO.File.ReadAllBytes(path);
        var bytes = (byte[])sound.Clone();
        Garbage(bytes, pageSize, 1, 3);
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.Equal(0, Repair(path, pageReader: false).Recovered);
        bytes = (byte[])sound.Clone();
        Garbage(bytes, pageSize, root, 4);
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.True(Repair(path, pageReader: false).Recovered < Count);
    }

    [Fact]
    public void Rows_with_overflow_pages_are_read_whole_by_the_page_reader()
    {
        // Payloads on both sides of the local maximum and over several overflow pages (the local part computed from
        // the page size), behind a damaged root interior page: only the page reader reads them.
        Func<uint, int> length = i => i % 4 == 0 ? 3900 + (int)(i % 400) : i % 4 == 1 ? 4000 + (int)(i * 37 % 9000) : (int)(i % 300);
        var (path, pageSize, root, _) = Repository(lengthOf: length);
        var bytes = System.IO.File.ReadAllBytes(path);
        var (interior, leaves) = Walk(bytes, pageSize, root);
        foreach (var (page, _) in interior) Garbage(bytes, pageSize, page, 6);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        SameIds(leaves.Values.SelectMany(v => v), RowIds(result.Destination), result);
        var items = Items(result.Destination);
        Assert.Equal(Count, items.Count);
        Assert.All(items, item => Assert.Equal(Text(item.Key, length(item.Key)), item.Value));
    }

    [Fact]
    public void Deleted_instances_on_freelist_pages_do_not_come_back()
    {
        var (path, pageSize, root, _) = Repository();
        long free;
        using (var c = Raw(path))
        {
            Exec(c, "DELETE FROM instances WHERE CAST(json_extract(data, '$.Id') AS INTEGER) BETWEEN 600 AND 1400");
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA freelist_count";
            free = (long)cmd.ExecuteScalar()!;
        }
        SqliteConnection.ClearAllPools();
        Assert.True(free > 20, "the deletes should free whole leaf pages");
        var bytes = System.IO.File.ReadAllBytes(path);
        var (interior, leaves) = Walk(bytes, pageSize, root);
        Garbage(bytes, pageSize, interior[0].Page, 7);
        System.IO.File.WriteAllBytes(path, bytes);
        var result = Repair(path);
        SameIds(leaves.Values.SelectMany(v => v), RowIds(result.Destination), result);
        Assert.Equal(Count - 801, result.Recovered);
        // Nor are they counted lost: the index entries (whole: they name every recovered instance) say they are gone.
        Assert.Equal(0, result.Lost);
        Assert.DoesNotContain(Items(result.Destination).Keys, id => id >= 600 && id <= 1400);
    }

    [Fact]
    public void Pages_the_log_holds_are_read_from_the_log_so_deleted_rows_stay_deleted()
    {
        // Deletes and new rows committed to the write-ahead log only (no checkpoint): the file's own pages still hold
        // the deleted rows, and its header's freelist does not know the pages they freed. The page reader reads the
        // log's committed frames over the file, as SQLite does.
        var (path, _, _, _) = Repository();
        using (var c = Raw(path))
        {
            SQLitePCL.raw.sqlite3_db_config(c.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            Exec(c, "PRAGMA journal_mode = WAL");
            Exec(c, "DELETE FROM instances WHERE CAST(json_extract(data, '$.Id') AS INTEGER) BETWEEN 600 AND 1400");
        }
        SqliteConnection.ClearAllPools();
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        var expected = Keys(path).Keys.ToList();
        Assert.Equal(Count - 801, expected.Count);
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        var result = Repair(path);
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        SameIds(expected, RowIds(result.Destination), result);
        Assert.Equal(0, result.Lost);
        // And the reader itself: the rows it finds in the file with the log are exactly SQLite's.
        using var reader = CimLite.Storage.Sqlite.SqlitePageReader.Open(path)!;
        Assert.True(reader.LogPages > 0);
        var found = reader.LeafCells().Where(c => c.SerialTypes.Length == 6 && CimLite.Storage.Sqlite.SqlitePageReader.KindOf(c.SerialTypes[2]) == CimLite.Storage.Sqlite.SqlitePageReader.Kind.Integer).Select(c => c.RowId);
        SameIds(expected, new SortedSet<long>(found), result);
    }

    [Fact]
    public void The_page_reader_decodes_every_row_as_sqlite_reads_it()
    {
        Func<uint, int> length = i => i % 3 == 0 ? 3800 + (int)(i % 600) : i % 3 == 1 ? (int)(i * 53 % 20000) : (int)(i % 200);
        var (path, _, _, _) = Repository(lengthOf: length);
        var expected = new Dictionary<long, object?[]>();
        using (var c = Raw(path))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances";
            using var r = cmd.ExecuteReader();
            while (r.Read()) expected[r.GetInt64(0)] = new object?[] { null, r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5) };
        }
        SqliteConnection.ClearAllPools();
        var seen = new Dictionary<long, object?[]>();
        using (var reader = CimLite.Storage.Sqlite.SqlitePageReader.Open(path)!)
            foreach (var cell in reader.LeafCells())
            {
                var values = cell.Values();
                Assert.NotNull(values);
                if (values!.Length == 6 && values[2] is long && values[4] is string data && data.Contains("\"Id\"")) seen[cell.RowId] = values;
            }
        Assert.Equal(expected.Count, seen.Count);
        foreach (var (id, row) in expected) Assert.Equal(row, seen[id]);
    }

    [Fact]
    public void The_destination_must_be_new_and_a_foreign_file_is_refused()
    {
        var (path, _, _, _) = Repository();
        System.IO.File.WriteAllText(File("exists.db"), "x");
        Assert.Equal(CimStatus.AlreadyExists, Assert.Throws<CimLiteException>(() => CimLiteRepository.Repair(path, File("exists.db"))).Status);
        using (var c = Raw(File("foreign.db"))) Exec(c, "CREATE TABLE t(x)");
        SqliteConnection.ClearAllPools();
        Assert.Equal(CimStatus.Failed, Assert.Throws<CimLiteException>(() => CimLiteRepository.Repair(File("foreign.db"), File("new.db"))).Status);
        Assert.False(System.IO.File.Exists(File("new.db")));
    }

    [Fact]
    public void The_salvaged_file_rebuilds_its_reference_index_so_associations_are_followed()
    {
        var path = File("links.db");
        using (var s = CimLiteSession.Open(path)) MigrationTests.Linked(s, "d1");
        SqliteConnection.ClearAllPools();
        var result = Repair(path);
        Assert.Equal(3, result.Recovered);
        using var salvaged = CimLiteSession.Open(result.Destination);
        Assert.Equal("d1", Assert.Single(salvaged.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
    }
}
