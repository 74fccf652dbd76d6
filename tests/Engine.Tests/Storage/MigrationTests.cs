using CimLite.Storage;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Storage;

/// <summary>Format 2 (the posted queue) and the numbered migration from format 1.</summary>
public sealed class MigrationTests : TempFolderTests
{
    public MigrationTests() : base("migration") { }

    private static string Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static string Scalar(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        return Convert.ToString(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>A format-1 repository as CimLite 1 wrote it: the v1 DDL, its format rows, application_id, user_version 1, WAL.</summary>
    private string V1(string name)
    {
        var path = File(name);
        using (var c = Raw(path))
        {
            Exec(c, "PRAGMA journal_mode = WAL");
            Exec(c, "BEGIN IMMEDIATE");
            Exec(c, RepositorySchema.CreateV1);
            Exec(c, "INSERT INTO cimlite_format(name, value) VALUES ('format', '1'), ('schema_generation', '0'), ('created_by', 'CimLite 1')");
            Exec(c, "PRAGMA application_id = " + RepositorySchema.ApplicationId);
            Exec(c, "PRAGMA user_version = 1");
            Exec(c, "COMMIT");
        }
        return path;
    }

    /// <summary>A format-1 repository holding a class and an instance: written by this version, then taken back to format 1 by hand.</summary>
    private string V1WithData(string name)
    {
        var path = File(name);
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Disk").Key("DeviceId").Prop("Size", "uint64").Create();
            SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
            s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "C:", ["Size"] = 5 }));
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            Exec(c, "DROP TABLE posted");
            Exec(c, "DROP TABLE posted_taken");
            Exec(c, "DROP TABLE qualifier_types");
            Exec(c, "DROP TABLE instance_references");
            Exec(c, "DELETE FROM sqlite_sequence");
            Exec(c, "UPDATE cimlite_format SET value = '1' WHERE name = 'format'");
            Exec(c, "PRAGMA user_version = 1");
            Exec(c, "COMMIT");
            Assert.Equal("0", Scalar(c, "SELECT count(*) FROM sqlite_master WHERE name = 'posted'"));
        }
        return path;
    }

    private static readonly string Current = RepositorySchema.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_current_format_is_8_and_a_new_repository_has_the_posted_queue_with_leases_its_order_index_qualifier_types_the_reference_index_with_target_hints_and_the_taken_table()
    {
        Assert.Equal(8, RepositorySchema.FormatVersion);
        Assert.Equal(7, RepositorySchema.Migrations.Length);
        using var s = CimLiteSession.Open(File("new.db"));
        Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
        Assert.Equal(Current, Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'format'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'posted'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'qualifier_types'"));
        Assert.Equal("4", Scalar(s, "SELECT count(*) FROM pragma_table_info('posted') WHERE name LIKE 'lease_%'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'posted_leased'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'posted_in_order'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'instance_references'"));
        Assert.Equal("0", Scalar(s, "SELECT count(*) FROM cimlite_format WHERE name = 'references_pending'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'posted_taken'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'posted_taken_by_time'"));
        Assert.Equal("1", Scalar(s, "SELECT count(*) FROM pragma_table_info('instance_references') WHERE name = 'target_id'"));
    }

    /// <summary>Takes a current repository back to format 7 by hand: reference rows without the target id hint.</summary>
    private static void BackToFormat7(SqliteConnection c)
    {
        Exec(c, "ALTER TABLE instance_references DROP COLUMN target_id");
        Exec(c, "UPDATE cimlite_format SET value = '7' WHERE name = 'format'");
        Exec(c, "PRAGMA user_version = 7");
    }

    /// <summary>Takes a current repository back to format 6 by hand: no posted_taken table.</summary>
    private static void BackToFormat6(SqliteConnection c)
    {
        BackToFormat7(c);
        Exec(c, "DROP TABLE posted_taken");
        Exec(c, "UPDATE cimlite_format SET value = '6' WHERE name = 'format'");
        Exec(c, "PRAGMA user_version = 6");
    }

    /// <summary>Takes a current repository back to format 5 by hand: no reference index.</summary>
    private static void BackToFormat5(SqliteConnection c)
    {
        BackToFormat6(c);
        Exec(c, "DROP TABLE instance_references");
        Exec(c, "DELETE FROM cimlite_format WHERE name = 'references_pending'");
        Exec(c, "UPDATE cimlite_format SET value = '5' WHERE name = 'format'");
        Exec(c, "PRAGMA user_version = 5");
    }

    /// <summary>Takes a current repository back to format 4 by hand: no posted_in_order index.</summary>
    private static void BackToFormat4(SqliteConnection c)
    {
        BackToFormat5(c);
        Exec(c, "DROP INDEX posted_in_order");
        Exec(c, "UPDATE cimlite_format SET value = '4' WHERE name = 'format'");
        Exec(c, "PRAGMA user_version = 4");
    }

    /// <summary>Takes a current repository back to format 3 by hand: no lease columns, no lease index.</summary>
    private static void BackToFormat3(SqliteConnection c)
    {
        BackToFormat4(c);
        Exec(c, "DROP INDEX posted_leased");
        foreach (var column in new[] { "lease_owner", "lease_pid", "lease_started", "lease_expires" })
            Exec(c, "ALTER TABLE posted DROP COLUMN " + column);
        Exec(c, "UPDATE cimlite_format SET value = '3' WHERE name = 'format'");
        Exec(c, "PRAGMA user_version = 3");
    }

    [Fact]
    public void Opening_a_format_1_repository_migrates_it_to_format_2_and_posting_works()
    {
        var path = V1("v1.db");
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal(Current, Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'format'"));
            Assert.Equal(RepositorySchema.ApplicationId.ToString(), Scalar(s, "PRAGMA application_id"));
            Assert.Equal("CimLite 1", Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'created_by'"));
            Assert.Equal(new[] { "root", "root/cimv2" }, s.GetNamespaces());
            SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
            s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "hello" }));
        }
        using (var s = CimLiteSession.Open(path))
            Assert.Equal("hello", s.ReceivePosted().Single().Instance["Text"]);
    }

    [Fact]
    public void Migration_keeps_classes_and_instances_and_then_queues_indications()
    {
        var path = V1WithData("v1data.db");
        using var s = CimLiteSession.Open(path);
        Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
        Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
        s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "one" }));
        s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "two" }));
        Assert.Equal(new[] { "one", "two" }, s.ReceivePosted().Select(p => (string)p.Instance["Text"]!));
    }

    [Fact]
    public void Reopening_a_migrated_repository_migrates_nothing_again()
    {
        var path = V1("again.db");
        using (CimLiteSession.Open(path)) { }
        using (var c = Raw(path)) Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        var before = Hash(path);
        using (var s = CimLiteSession.Open(path)) Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
        using (var c = Raw(path)) Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void A_read_only_open_of_a_format_1_repository_does_not_modify_it()
    {
        var path = V1WithData("ro.db");
        var before = Hash(path);
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal("1", Scalar(s, "PRAGMA user_version"));
            Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
            Assert.Single(s.EnumerateInstances("Disk"));
            // A format-1 file has no posted queue: peeking finds nothing; taking and posting are writes.
            Assert.Empty(s.ReceivePosted(new ReceiveOptions { Keep = true }));
            SessionFixture.AssertStatus(Assert.Throws<CimLiteException>(() => s.ReceivePosted()), CimStatus.AccessDenied, "read-only");
        }
        Assert.Equal(before, Hash(path));
        using (var c = Raw(path))
        {
            Assert.Equal("1", Scalar(c, "PRAGMA user_version"));
            Assert.Equal("0", Scalar(c, "SELECT count(*) FROM sqlite_master WHERE name = 'posted'"));
        }
        using (var s = CimLiteSession.Open(path)) Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
    }

    [Fact]
    public void A_repository_of_a_newer_format_is_rejected_and_left_unchanged()
    {
        var path = V1("v99.db");
        using (var c = Raw(path)) Exec(c, "PRAGMA user_version = 99");
        var before = Hash(path);
        var ex = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, path);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void A_format_2_repository_migrates_to_3_keeps_its_data_and_takes_qualifier_declarations()
    {
        var path = File("v2.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Disk").Key("DeviceId").Prop("Size", "uint64").Create();
            s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "C:", ["Size"] = 5 }));
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat3(c);
            Exec(c, "DROP TABLE qualifier_types");
            Exec(c, "UPDATE cimlite_format SET value = '2' WHERE name = 'format'");
            Exec(c, "PRAGMA user_version = 2");
            Exec(c, "COMMIT");
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal("2", Scalar(s, "PRAGMA user_version"));
            Assert.Empty(s.GetQualifierDeclarations()); // no table yet: nothing declared
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
            s.ImportMofText("Qualifier Key : boolean = false, Scope(property), Flavor(DisableOverride, ToSubclass);\nclass Tape { [Key] string Id; };");
        }
        using (var s = CimLiteSession.Open(path)) Assert.Single(s.GetQualifierDeclarations());
    }

    [Fact]
    public void A_format_3_repository_migrates_to_the_current_format_keeps_its_queue_in_order_and_leases_from_then_on()
    {
        var path = File("v3.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
            foreach (var text in new[] { "one", "two", "three" })
                s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = text }));
        }
        List<long> sequences;
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat3(c);
            Exec(c, "COMMIT");
            Assert.Equal("0", Scalar(c, "SELECT count(*) FROM pragma_table_info('posted') WHERE name LIKE 'lease_%'"));
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            // Not migrated read-only; peeking needs no lease columns.
            Assert.Equal("3", Scalar(s, "PRAGMA user_version"));
            sequences = s.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => p.Sequence).ToList();
            Assert.Equal(3, sequences.Count);
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal(Current, Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'format'"));
            Assert.Equal("0", Scalar(s, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
            using (var lease = s.LeasePosted(new ReceiveOptions { First = 2 }))
            {
                Assert.Equal(new[] { "one", "two" }, lease.Items.Select(p => (string)p.Instance["Text"]!));
                Assert.Equal(sequences.Take(2), lease.Items.Select(p => p.Sequence));
                Assert.Equal("2", Scalar(s, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
                lease.Complete(2);
            }
            Assert.Equal(new[] { "three" }, s.ReceivePosted().Select(p => (string)p.Instance["Text"]!));
        }
    }

    [Fact]
    public void A_format_4_repository_migrates_to_5_gets_the_order_index_and_keeps_its_queue_and_leases()
    {
        var path = File("v4.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
            foreach (var text in new[] { "one", "two", "three" })
                s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = text }));
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat4(c);
            Exec(c, "COMMIT");
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal("4", Scalar(s, "PRAGMA user_version")); // not migrated read-only; peeking works without the index
            Assert.Equal(new[] { "one", "two", "three" }, s.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => (string)p.Instance["Text"]!));
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal(Current, Scalar(s, "SELECT value FROM cimlite_format WHERE name = 'format'"));
            Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'posted_in_order'"));
            Assert.Equal(new[] { "one", "two" }, s.ReceivePosted(new ReceiveOptions { First = 2 }).Select(p => (string)p.Instance["Text"]!));
        }
        using (var s = CimLiteSession.Open(path)) Assert.Equal(new[] { "three" }, s.ReceivePosted().Select(p => (string)p.Instance["Text"]!));
    }

    /// <summary>
    /// Sys (key Name), Dev (key Id) and the association Link (Owner ref:Sys, Part ref:Dev, both keys); the instances
    /// Sys "host" and Dev "d1", and a Link from host to each of <paramref name="parts"/> (a part other than d1 dangles).
    /// </summary>
    internal static void Linked(CimLiteSession s, params string[] parts)
    {
        SessionFixture.Class(s, "Sys").Key("Name").Create();
        SessionFixture.Class(s, "Dev").Key("Id").Create();
        SessionFixture.Class(s, "Link").Qualifier("Association", true).Prop("Owner", "ref:Sys", null, new CimQualifier("Key", true)).Prop("Part", "ref:Dev", null, new CimQualifier("Key", true)).Create();
        s.PutInstance(s.NewInstance("Sys", new Dictionary<string, object?> { ["Name"] = "host" }));
        s.PutInstance(s.NewInstance("Dev", new Dictionary<string, object?> { ["Id"] = "d1" }));
        foreach (var part in parts)
            s.PutInstance(s.NewInstance("Link", new Dictionary<string, object?> { ["Owner"] = "Sys.Name=\"host\"", ["Part"] = "Dev.Id=\"" + part + "\"" }));
    }

    [Fact]
    public void A_format_5_repository_migrates_to_6_and_its_stored_references_are_indexed_on_open()
    {
        var path = File("v5.db");
        using (var s = CimLiteSession.Open(path))
        {
            Linked(s, "d1");
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat5(c);
            Exec(c, "COMMIT");
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            // Not migrated read-only: associations are found by a scan of the classes with references.
            Assert.Equal("5", Scalar(s, "PRAGMA user_version"));
            Assert.Equal("d1", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal("2", Scalar(s, "SELECT count(*) FROM instance_references"));
            Assert.Equal("0", Scalar(s, "SELECT count(*) FROM cimlite_format WHERE name = 'references_pending'"));
            Assert.Equal("d1", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
            Assert.Equal("host", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Dev.Id=\"d1\"")))["Name"]);
        }
    }

    [Fact]
    public void A_format_6_repository_migrates_to_7_gets_the_taken_table_keeps_its_queue_and_a_read_only_open_still_peeks_and_watches()
    {
        var path = File("v6.db");
        using (var s = CimLiteSession.Open(path))
        {
            SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
            foreach (var text in new[] { "one", "two", "three" })
                s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = text }));
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat6(c);
            Exec(c, "COMMIT");
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.Equal("6", Scalar(s, "PRAGMA user_version")); // not migrated read-only: peeking and watching read the queue alone
            Assert.Equal(new[] { "one", "two", "three" }, s.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => (string)p.Instance["Text"]!));
            var watch = s.WatchPosted(new WatchOptions { ClassName = "Evt" }, fromSequence: 0);
            Assert.Equal(new[] { "one", "two", "three" }, watch.Poll().Select(p => (string)p.Instance["Text"]!));
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            Assert.Equal("1", Scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'posted_taken'"));
            Assert.Equal(new[] { "one", "two" }, s.ReceivePosted(new ReceiveOptions { First = 2 }).Select(p => (string)p.Instance["Text"]!));
            Assert.Equal("2", Scalar(s, "SELECT count(*) FROM posted_taken"));
        }
        using (var s = CimLiteSession.Open(path)) Assert.Equal(new[] { "three" }, s.ReceivePosted().Select(p => (string)p.Instance["Text"]!));
    }

    [Fact]
    public void A_format_7_repository_migrates_to_8_its_references_get_their_target_ids_and_a_read_only_open_still_follows_them()
    {
        var path = File("v7.db");
        using (var s = CimLiteSession.Open(path))
        {
            Linked(s, "d1", "gone");
        }
        using (var c = Raw(path))
        {
            Exec(c, "BEGIN IMMEDIATE");
            BackToFormat7(c);
            Exec(c, "COMMIT");
        }
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            // Not migrated read-only: the statements of format 7 (no hint) still follow the references.
            Assert.Equal("7", Scalar(s, "PRAGMA user_version"));
            Assert.Equal("d1", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
        }
        using (var s = CimLiteSession.Open(path))
        {
            Assert.Equal(Current, Scalar(s, "PRAGMA user_version"));
            // Each reference to a stored instance notes its id; the dangling one has none.
            Assert.Equal("3", Scalar(s, "SELECT count(*) FROM instance_references r JOIN instances i ON i.id = r.target_id AND i.key_root_id = r.target_root_id AND i.key = r.target_key"));
            Assert.Equal("1", Scalar(s, "SELECT count(*) FROM instance_references WHERE target_id IS NULL"));
            Assert.Equal("d1", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
            Assert.Equal("host", Assert.Single(s.GetAssociatedInstances(InstancePath.Parse("Dev.Id=\"d1\"")))["Name"]);
        }
    }
}
