using System.Runtime.InteropServices;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>
/// Repository care (issue 16), engine side: <see cref="CimLiteRepository"/>'s GetInfo, Check/Test, Backup, Optimize and
/// Restore on real files, with files damaged or tampered with behind the engine's back.
/// </summary>
public sealed class RepositoryCareTests : TempFolderTests
{
    public RepositoryCareTests() : base("care") { }

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    /// <summary>A repository: Item (key Id, Text, Ref), abstract Base, an indication class Evt with queued indications, and a class in a second namespace.</summary>
    private string Repository(string name, int items = 50, int posted = 3)
    {
        var path = File(name);
        using var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Base").Abstract().Key("Id", "uint32").Create();
        SessionFixture.Class(s, "Item", "Base").Prop("Text", "string").Prop("Ref", "ref:Item").Create();
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Create();
        SessionFixture.Class(s, "Other").Key("Name", "string").Create("root/other");
        using (var batch = s.BeginPutBatch())
        {
            for (uint i = 1; i <= items; i++)
                batch.Add(s.NewInstance("Item", Values(("Id", i), ("Text", new string('t', 100) + i), ("Ref", i > 1 ? "Item.Id=" + (i - 1) : null))));
            batch.Commit();
        }
        s.PutInstance(s.NewInstance("Other", Values(("Name", "a")), "root/other"));
        for (uint n = 0; n < posted; n++) s.PostIndication(s.NewInstance("Evt", Values(("N", n))));
        return path;
    }

    private static long Long(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    // ---- Get ----

    [Fact]
    public void Info_counts_namespaces_classes_instances_and_the_posted_queue()
    {
        var path = Repository("info.db", items: 20, posted: 5);
        using var s = CimLiteSession.Open(path);
        using (var lease = s.LeasePosted(new ReceiveOptions { ClassName = "Evt", BatchSize = 2 }))
        {
            var info = CimLiteRepository.GetInfo(s);
            Assert.Equal(path, info.Path);
            Assert.Equal(CimLite.Storage.RepositorySchema.FormatVersion, info.FormatVersion);
            Assert.Equal(5, info.PostedIndications);
            Assert.Equal(2, info.LeasedIndications);
        }
        var byPath = CimLiteRepository.GetInfo(path);
        Assert.Equal(21, byPath.Instances);
        Assert.Equal(4, byPath.Classes);
        Assert.Equal(new[] { "root", "root/cimv2", "root/other" }, byPath.Namespaces.Select(n => n.Name));
        Assert.Equal(20, byPath.Namespaces.Single(n => n.Name == "root/cimv2").Instances);
        Assert.Equal(3, byPath.Namespaces.Single(n => n.Name == "root/cimv2").Classes);
        Assert.Equal(1, byPath.Namespaces.Single(n => n.Name == "root/other").Instances);
        Assert.Equal(new FileInfo(path).Length, byPath.SizeBytes);
        Assert.Matches(@"^3\.\d+\.\d+", byPath.SQLiteVersion);
        Assert.False(string.IsNullOrEmpty(byPath.EngineVersion));
        Assert.Equal(0, byPath.LeasedIndications);
    }

    [Fact]
    public void Info_of_a_missing_file_is_NOT_FOUND_and_creates_nothing()
    {
        var ex = Assert.Throws<CimLiteException>(() => CimLiteRepository.GetInfo(File("none.db")));
        Assert.Equal(CimStatus.NotFound, ex.Status);
        Assert.False(System.IO.File.Exists(File("none.db")));
    }

    // ---- Test ----

    private Dictionary<string, string> State(string path)
    {
        var state = new Dictionary<string, string> { [path] = Hash(path) };
        if (System.IO.File.Exists(path + "-wal")) state[path + "-wal"] = Hash(path + "-wal");
        return state;
    }

    [Fact]
    public void A_healthy_file_passes_and_its_bytes_never_change()
    {
        var path = Repository("healthy.db");
        // Committed changes left in the WAL (no checkpoint on close): the check must read them and change neither file.
        using (var c = Raw(path))
        {
            SQLitePCL.raw.sqlite3_db_config(c.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            Exec(c, "INSERT INTO namespaces(name) VALUES ('root/inwal')");
        }
        SqliteConnection.ClearAllPools();
        var before = State(path);
        Assert.True(before.ContainsKey(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "the test wants a WAL with frames");
        var report = CimLiteRepository.Check(path);
        Assert.True(report.IsHealthy, string.Join("\n", report.Problems));
        Assert.Equal(51, report.Instances);
        Assert.Equal(4, report.Classes);
        Assert.Equal(4, report.Namespaces);
        Assert.Equal(3, report.PostedIndications);
        Assert.True(CimLiteRepository.Test(path));
        SqliteConnection.ClearAllPools();
        foreach (var (file, hash) in before) Assert.Equal(hash, Hash(file));
    }

    [Fact]
    public void A_session_checks_its_own_repository_in_one_snapshot()
    {
        using var s = CimLiteSession.OpenInMemory();
        SessionFixture.Class(s, "Item").Key("Id", "uint32").Create();
        s.PutInstance(s.NewInstance("Item", Values(("Id", 1u))));
        var report = CimLiteRepository.Check(s);
        Assert.True(report.IsHealthy, string.Join("\n", report.Problems));
        Assert.Equal(1, report.Instances);
    }

    /// <summary>Tampers with a healthy file through plain SQL and returns the check's problems.</summary>
    private IReadOnlyList<CimLiteRepositoryProblem> Tampered(string sql)
    {
        var path = Repository("tampered-" + Guid.NewGuid().ToString("N") + ".db", items: 5, posted: 2);
        using (var c = Raw(path)) Exec(c, sql);
        SqliteConnection.ClearAllPools();
        var before = State(path);
        var report = CimLiteRepository.Check(path);
        Assert.False(CimLiteRepository.Test(path));
        SqliteConnection.ClearAllPools();
        foreach (var (file, hash) in before) Assert.Equal(hash, Hash(file));
        Assert.False(report.IsHealthy);
        return report.Problems;
    }

    [Fact]
    public void Key_text_that_does_not_match_the_key_values_is_found_with_its_row_and_class()
    {
        var problem = Assert.Single(Tampered("UPDATE instances SET key = '999' WHERE key = '3'"));
        Assert.Equal(CimLiteRepositoryProblemKind.KeyText, problem.Kind);
        Assert.Equal("Item", problem.ClassName);
        Assert.Equal("instances", problem.Table);
        Assert.Equal("root/cimv2:Item.Id=3", problem.InstancePath);
        Assert.Contains("'999'", problem.Message);
    }

    [Fact]
    public void A_value_that_does_not_decode_to_its_type_is_found_naming_the_property()
    {
        var problem = Assert.Single(Tampered("UPDATE instances SET data = json_set(data, '$.Text', 12) WHERE key = '2'"));
        Assert.Equal(CimLiteRepositoryProblemKind.Value, problem.Kind);
        Assert.Contains("'Text'", problem.Message);
    }

    [Fact]
    public void A_reference_that_is_not_an_instance_path_is_found()
    {
        var problem = Assert.Single(Tampered("UPDATE instances SET data = json_set(data, '$.Ref', 'no path ::') WHERE key = '2'"));
        Assert.Equal(CimLiteRepositoryProblemKind.Reference, problem.Kind);
        Assert.Contains("'Ref'", problem.Message);
    }

    [Fact]
    public void A_missing_reference_index_entry_is_found_naming_the_instance_and_property()
    {
        var problem = Assert.Single(Tampered("DELETE FROM instance_references WHERE instance_id = (SELECT id FROM instances WHERE key = '3')"));
        Assert.Equal(CimLiteRepositoryProblemKind.ReferenceIndex, problem.Kind);
        Assert.Equal("instance_references", problem.Table);
        Assert.Equal("Item", problem.ClassName);
        Assert.Contains("key '3'", problem.Message);
        Assert.Contains("no entry for property 'Ref' ('Item.Id=2')", problem.Message);
    }

    [Fact]
    public void An_extra_reference_index_entry_is_found()
    {
        var problem = Assert.Single(Tampered("INSERT INTO instance_references(instance_id, property, class_id, target_root_id, target_key) SELECT id, 'Text', class_id, key_root_id, '4' FROM instances WHERE key = '1'"));
        Assert.Equal(CimLiteRepositoryProblemKind.ReferenceIndex, problem.Kind);
        Assert.Contains("property 'Text'", problem.Message);
        Assert.Contains("no stored reference value", problem.Message);
    }

    [Fact]
    public void A_reference_index_entry_naming_another_instance_is_found()
    {
        var problem = Assert.Single(Tampered("UPDATE instance_references SET target_key = '5' WHERE instance_id = (SELECT id FROM instances WHERE key = '3')"));
        Assert.Equal(CimLiteRepositoryProblemKind.ReferenceIndex, problem.Kind);
        Assert.Contains("does not name the instance its value 'Item.Id=2' names", problem.Message);
    }

    [Fact]
    public void An_index_of_a_reference_to_an_instance_of_a_class_elsewhere_in_the_hierarchy_is_judged_by_its_key_root()
    {
        // The entry names the key-defining class (Base), not the class in the path (Item): rewriting it to Item is wrong.
        var problem = Assert.Single(Tampered("UPDATE instance_references SET target_root_id = (SELECT id FROM classes WHERE name = 'Item') WHERE instance_id = (SELECT id FROM instances WHERE key = '4')"));
        Assert.Equal(CimLiteRepositoryProblemKind.ReferenceIndex, problem.Kind);
        Assert.Contains("key '4'", problem.Message);
    }

    [Fact]
    public void A_reference_index_still_to_be_built_is_not_judged()
    {
        var path = Repository("pending.db", items: 5, posted: 0);
        using (var c = Raw(path))
        {
            Exec(c, "DELETE FROM instance_references");
            Exec(c, "INSERT INTO cimlite_format(name, value) VALUES ('references_pending', '1')");
        }
        SqliteConnection.ClearAllPools();
        var report = CimLiteRepository.Check(path);
        Assert.True(report.IsHealthy, string.Join("\n", report.Problems));
    }

    [Fact]
    public void An_instance_of_an_abstract_class_is_found()
    {
        var problems = Tampered("UPDATE instances SET class_id = (SELECT id FROM classes WHERE name = 'Base') WHERE key = '4'");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.NotConcrete && p.ClassName == "Base");
    }

    [Fact]
    public void An_instance_whose_class_is_gone_is_found_by_both_checks()
    {
        var problems = Tampered("PRAGMA foreign_keys = OFF; UPDATE instances SET class_id = 777 WHERE key = '4'");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.MissingClass && p.Message.Contains("#777"));
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.ForeignKey && p.Table == "instances");
    }

    [Fact]
    public void An_instance_stored_under_the_wrong_key_root_is_found()
    {
        var problems = Tampered("UPDATE instances SET key_root_id = (SELECT id FROM classes WHERE name = 'Item') WHERE key = '4'");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.KeyRoot && p.Message.Contains("'Base'"));
    }

    [Fact]
    public void A_cycle_in_the_class_hierarchy_is_found()
    {
        var problems = Tampered("UPDATE classes SET superclass_id = (SELECT id FROM classes WHERE name = 'Item') WHERE name = 'Base'");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.ClassCycle && p.ClassName == "Base");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.ClassCycle && p.ClassName == "Item");
    }

    [Fact]
    public void A_missing_superclass_is_found()
    {
        var problems = Tampered("PRAGMA foreign_keys = OFF; UPDATE classes SET superclass_id = 555 WHERE name = 'Item'");
        Assert.Contains(problems, p => p.Kind == CimLiteRepositoryProblemKind.MissingSuperclass && p.ClassName == "Item");
    }

    [Fact]
    public void A_class_definition_that_does_not_decode_is_found()
    {
        var problems = Tampered("UPDATE classes SET definition = '{broken' WHERE name = 'Other'");
        var problem = Assert.Single(problems);
        Assert.Equal(CimLiteRepositoryProblemKind.ClassDefinition, problem.Kind);
        Assert.Equal("root/other", problem.Namespace);
    }

    [Fact]
    public void An_inconsistent_lease_is_found()
    {
        var problem = Assert.Single(Tampered("UPDATE posted SET lease_owner = 'x' WHERE id = (SELECT min(id) FROM posted)"));
        Assert.Equal(CimLiteRepositoryProblemKind.Lease, problem.Kind);
        Assert.Equal("posted", problem.Table);
    }

    [Fact]
    public void A_stored_format_that_disagrees_with_the_header_is_found()
    {
        var problem = Assert.Single(Tampered("UPDATE cimlite_format SET value = '3' WHERE name = 'format'"));
        Assert.Equal(CimLiteRepositoryProblemKind.Format, problem.Kind);
    }

    [Fact]
    public void A_trigger_is_found_and_the_rows_are_not_read()
    {
        var problem = Assert.Single(Tampered("CREATE TRIGGER t AFTER INSERT ON instances BEGIN SELECT 1; END"));
        Assert.Equal(CimLiteRepositoryProblemKind.SchemaObject, problem.Kind);
        Assert.Contains("'t'", problem.Message);
    }

    [Fact]
    public void A_broken_index_is_found_by_the_integrity_check()
    {
        // writable_schema lets the index lose a row behind SQLite's back: the table and its index disagree.
        var path = Repository("index.db", items: 30);
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            Exec(c, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'class_id, id', 'class_id, id') WHERE name = 'instances_by_class'");
        }
        SqliteConnection.ClearAllPools();
        // Overwrite the index's root page with an empty leaf of an index b-tree.
        long root;
        int pageSize;
        using (var c = Raw(path)) { root = Long(c, "SELECT rootpage FROM sqlite_master WHERE name = 'instances_by_class'"); pageSize = (int)Long(c, "PRAGMA page_size"); }
        SqliteConnection.ClearAllPools();
        using (var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = (root - 1) * pageSize;
            var page = new byte[pageSize];
            page[0] = 0x0A; // index leaf, no cells
            page[5] = (byte)(pageSize >> 8); page[6] = (byte)pageSize;
            f.Write(page);
        }
        var report = CimLiteRepository.Check(path);
        Assert.False(report.IsHealthy);
        Assert.Contains(report.Problems, p => p.Kind == CimLiteRepositoryProblemKind.Integrity);
    }

    [Fact]
    public void Damaged_foreign_and_truncated_files_are_false_never_an_exception()
    {
        var garbage = Repository("garbage.db", items: 300);
        using (var c = Raw(garbage)) Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        var bytes = System.IO.File.ReadAllBytes(garbage);
        new Random(7).NextBytes(bytes.AsSpan(4096 * 3, 4096 * 4));
        System.IO.File.WriteAllBytes(garbage, bytes);
        var truncated = File("truncated.db");
        System.IO.File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var text = File("text.db");
        System.IO.File.WriteAllText(text, "not a database at all, just text that is long enough to be read as a header by anyone at all");
        var foreign = File("foreign.db");
        using (var c = Raw(foreign)) Exec(c, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        SqliteConnection.ClearAllPools();

        foreach (var (file, kind) in new[] { (garbage, (CimLiteRepositoryProblemKind?)null), (truncated, CimLiteRepositoryProblemKind.Header), (text, CimLiteRepositoryProblemKind.Header), (foreign, CimLiteRepositoryProblemKind.Foreign) })
        {
            var before = Hash(file);
            var report = CimLiteRepository.Check(file);
            Assert.False(report.IsHealthy, file);
            if (kind != null) Assert.Equal(kind, report.Problems[0].Kind);
            Assert.False(CimLiteRepository.Test(file));
            SqliteConnection.ClearAllPools();
            Assert.Equal(before, Hash(file));
        }
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_an_error_not_false()
    {
        Assert.Equal(CimStatus.NotFound, Assert.Throws<CimLiteException>(() => CimLiteRepository.Test(File("missing.db"))).Status);
        Assert.Equal(CimStatus.InvalidParameter, Assert.Throws<CimLiteException>(() => CimLiteRepository.Test(Folder)).Status);
        Assert.False(System.IO.File.Exists(File("missing.db")));
    }

    // ---- Backup ----

    [Fact]
    public void A_backup_is_a_healthy_owner_only_copy_with_the_posted_queue()
    {
        var path = Repository("source.db", items: 40, posted: 4);
        var target = File("backup.db");
        using (var s = CimLiteSession.Open(path))
        {
            var progress = new List<(long, long)>();
            var result = CimLiteRepository.Backup(s, target, overwrite: false, (done, total) => progress.Add((done, total)));
            Assert.Equal(41, result.Instances);
            Assert.Equal(4, result.PostedIndications);
            Assert.Equal(target, result.Destination);
            Assert.NotEmpty(progress);
            Assert.Equal(progress[^1].Item2, progress[^1].Item1);
        }
        Assert.True(CimLiteRepository.Test(target));
        Assert.Equal(new[] { "backup.db", "source.db" }, Directory.GetFiles(Folder).Select(Path.GetFileName).Order().ToArray());
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(target));
        using (var copy = CimLiteSession.Open(target, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal(40, copy.EnumerateInstances("Item").Count());
            Assert.Equal(4, copy.ReceivePosted(new ReceiveOptions { ClassName = "Evt", Keep = true }).Count());
        }
    }

    [Fact]
    public void An_existing_destination_is_replaced_only_when_allowed()
    {
        var path = Repository("source.db", items: 3);
        var target = File("exists.db");
        System.IO.File.WriteAllText(target, "keep me");
        var ex = Assert.Throws<CimLiteException>(() => CimLiteRepository.Backup(path, target, overwrite: false));
        Assert.Equal(CimStatus.AlreadyExists, ex.Status);
        Assert.Contains(target, ex.Message);
        Assert.Equal("keep me", System.IO.File.ReadAllText(target));
        CimLiteRepository.Backup(path, target, overwrite: true);
        Assert.True(CimLiteRepository.Test(target));
        Assert.Equal(CimStatus.InvalidParameter, Assert.Throws<CimLiteException>(() => CimLiteRepository.Backup(path, path, overwrite: true)).Status);
    }

    [Fact]
    public async Task A_backup_taken_while_another_session_writes_holds_whole_transactions_only()
    {
        var path = File("busy.db");
        using (var s = CimLiteSession.Open(path))
            SessionFixture.Class(s, "Row").Key("Id", "uint32").Prop("Batch", "uint32").Prop("Pad", "string").Create();
        const int perBatch = 50;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            using var w = CimLiteSession.Open(path);
            uint id = 0;
            for (uint b = 0; !stop.IsCancellationRequested; b++)
            {
                using var batch = w.BeginPutBatch();
                for (int i = 0; i < perBatch; i++) batch.Add(w.NewInstance("Row", Values(("Id", id++), ("Batch", b), ("Pad", new string('p', 300)))));
                batch.Commit();
            }
            return id;
        });
        await Task.Delay(300);
        var backups = new List<string>();
        for (int n = 0; n < 3; n++)
        {
            var target = File("snap" + n + ".db");
            CimLiteRepository.Backup(path, target, overwrite: false);
            backups.Add(target);
        }
        stop.Cancel();
        var written = await writer;
        foreach (var target in backups)
        {
            using var copy = CimLiteSession.Open(target, new CimLiteSessionOptions { ReadOnly = true });
            var counts = copy.EnumerateInstances("Row").GroupBy(i => (uint)i["Batch"]!).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(counts, pair => Assert.Equal(perBatch, pair.Value));
            Assert.True(counts.Count == 0 || counts.Keys.Max() + 1 == counts.Count, "batches missing in the middle");
        }
        Assert.True(written > 0);
    }

    // ---- Optimize ----

    [Fact]
    public void Optimize_compacts_keeps_everything_and_reports_sizes()
    {
        var path = Repository("opt.db", items: 2000, posted: 2);
        using var s = CimLiteSession.Open(path);
        foreach (var i in s.EnumerateInstances("Item").Where(i => (uint)i["Id"]! > 100).ToList()) s.DeleteInstance(i.GetPath());
        var steps = new List<string>();
        var result = CimLiteRepository.Optimize(s, (percent, what) => steps.Add(percent + " " + what));
        Assert.True(result.SizeAfterBytes < result.SizeBeforeBytes / 2, $"{result.SizeBeforeBytes} -> {result.SizeAfterBytes}");
        Assert.Equal(new FileInfo(path).Length + (System.IO.File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0), result.SizeAfterBytes);
        Assert.Contains(steps, x => x.Contains("VACUUM"));
        Assert.Equal(100, s.EnumerateInstances("Item").Count());
        Assert.True(CimLiteRepository.Check(s).IsHealthy);
        s.PutInstance(s.NewInstance("Item", Values(("Id", 5000u))));
        Assert.Equal(2, s.ReceivePosted(new ReceiveOptions { ClassName = "Evt" }).Count());
    }

    [Fact]
    public void Optimize_refuses_a_read_only_session()
    {
        var path = Repository("ro.db", items: 3);
        using var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true });
        Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() => CimLiteRepository.Optimize(s)).Status);
    }

    // ---- Restore ----

    [Fact]
    public void Restore_replaces_the_file_and_keeps_the_old_one()
    {
        var path = Repository("live.db", items: 10);
        var backup = File("b.db");
        CimLiteRepository.Backup(path, backup, overwrite: false);
        using (var s = CimLiteSession.Open(path)) s.PutInstance(s.NewInstance("Item", Values(("Id", 99u))));
        var result = CimLiteRepository.Restore(backup, path, force: false);
        Assert.Equal(path + ".before-restore", result.PreviousKeptAs);
        Assert.Equal(Hash(backup), Hash(path));
        Assert.False(System.IO.File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);
        using (var s = CimLiteSession.Open(path)) Assert.Equal(10, s.EnumerateInstances("Item").Count());
        using (var old = CimLiteSession.Open(path + ".before-restore", new CimLiteSessionOptions { ReadOnly = true }))
            Assert.Equal(11, old.EnumerateInstances("Item").Count());
        var forced = CimLiteRepository.Restore(backup, path, force: true);
        Assert.Null(forced.PreviousKeptAs);
    }

    [Fact]
    public void A_damaged_or_foreign_backup_is_refused_and_the_destination_is_not_touched()
    {
        var path = Repository("live.db", items: 300);
        using (var c = Raw(path)) Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        var bad = File("bad.db");
        var bytes = System.IO.File.ReadAllBytes(path);
        new Random(3).NextBytes(bytes.AsSpan(4096 * 4, 4096 * 3));
        System.IO.File.WriteAllBytes(bad, bytes);
        var foreign = File("foreign.db");
        using (var c = Raw(foreign)) Exec(c, "CREATE TABLE t(x)");
        SqliteConnection.ClearAllPools();
        var before = Hash(path);
        foreach (var backup in new[] { bad, foreign })
        {
            var ex = Assert.Throws<CimLiteException>(() => CimLiteRepository.Restore(backup, path, force: true));
            Assert.Equal(CimStatus.Failed, ex.Status);
            Assert.Contains(backup, ex.Message);
            Assert.Equal(before, Hash(path));
        }
        Assert.False(System.IO.File.Exists(path + ".before-restore"));
        Assert.Empty(Directory.GetFiles(Folder, "live.db.restoring-*"));
    }

    [Fact]
    public void Restore_refuses_a_destination_a_session_has_open_and_says_which()
    {
        var path = Repository("live.db", items: 3);
        var backup = File("b.db");
        CimLiteRepository.Backup(path, backup, overwrite: false);
        using (var s = CimLiteSession.Open(path))
        {
            var before = Hash(path);
            var ex = Assert.Throws<CimLiteException>(() => CimLiteRepository.Restore(backup, path, force: true));
            Assert.Contains("this process, PID " + Environment.ProcessId, ex.Message);
            Assert.Equal(before, Hash(path));
        }
        CimLiteRepository.Restore(backup, path, force: true);
    }

    [Fact]
    public void Restore_removes_the_copies_killed_restores_left_but_not_one_in_use()
    {
        var path = Repository("live.db", items: 3);
        var backup = File("b.db");
        CimLiteRepository.Backup(path, backup, overwrite: false);
        void Leftover(string file)
        {
            System.IO.File.WriteAllBytes(file, new byte[4096]);
            // Older than an hour: where other processes cannot be seen, only such copies count as abandoned.
            System.IO.File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-2));
        }
        var stale = path + ".restoring-0123abcd";
        Leftover(stale);
        Leftover(stale + "-journal");
        var otherRepository = File("other.db.restoring-0123abcd");
        Leftover(otherRepository);
        var notACopy = path + ".restoring-notours";
        Leftover(notACopy);
        string? busy = null;
        System.Diagnostics.Process? holder = null;
        if (OperatingSystem.IsLinux())
        {
            // A copy another process has open (as a restore running there would): not touched.
            busy = path + ".restoring-feedf00d";
            Leftover(busy);
            holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh")
            {
                ArgumentList = { "-c", "exec 3<\"$0\"; echo ready; exec sleep 60", busy },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            Assert.Equal("ready", holder.StandardOutput.ReadLine());
        }
        try
        {
            var result = CimLiteRepository.Restore(backup, path, force: true);
            Assert.Equal(new[] { stale, stale + "-journal" }, result.RemovedLeftovers.OrderBy(f => f, StringComparer.Ordinal));
            Assert.False(System.IO.File.Exists(stale));
            Assert.False(System.IO.File.Exists(stale + "-journal"));
            Assert.True(System.IO.File.Exists(otherRepository));
            Assert.True(System.IO.File.Exists(notACopy));
            if (busy != null) Assert.True(System.IO.File.Exists(busy));
        }
        finally
        {
            if (holder != null)
            {
                holder.Kill();
                holder.WaitForExit();
                holder.Dispose();
            }
        }
        if (busy != null)
        {
            // Once nobody has it open, the next restore removes it.
            var again = CimLiteRepository.Restore(backup, path, force: true);
            Assert.Equal(new[] { busy }, again.RemovedLeftovers);
        }
        Assert.Equal(new[] { notACopy }, Directory.GetFiles(Folder, "live.db.restoring-*"));
        Assert.Equal(Hash(backup), Hash(path));
    }

    [Fact]
    public void Restore_checkpoints_what_the_old_file_still_has_in_its_log_into_the_kept_file()
    {
        var path = Repository("live.db", items: 3);
        var backup = File("b.db");
        CimLiteRepository.Backup(path, backup, overwrite: false);
        // Leave committed changes in the WAL only (no checkpoint on close).
        using (var c = Raw(path))
        {
            SQLitePCL.raw.sqlite3_db_config(c.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            Exec(c, "INSERT INTO namespaces(name) VALUES ('root/fromwal')");
        }
        SqliteConnection.ClearAllPools();
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        CimLiteRepository.Restore(backup, path, force: false);
        Assert.False(System.IO.File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);
        using (var old = CimLiteSession.Open(path + ".before-restore", new CimLiteSessionOptions { ReadOnly = true }))
            Assert.Contains("root/fromwal", old.GetNamespaces());
        using (var s = CimLiteSession.Open(path))
            Assert.DoesNotContain("root/fromwal", s.GetNamespaces());
    }
}
