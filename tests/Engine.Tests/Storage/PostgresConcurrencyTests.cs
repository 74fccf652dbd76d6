using CimLite.Storage.Postgres;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Npgsql;

namespace CimLite.Tests.Storage;

/// <summary>
/// Many clients at once on PostgreSQL (issue 18 item 3): write transactions run at READ COMMITTED with explicit locks
/// (row locks on the instance a write reads, a shared/exclusive advisory lock per schema for instance/schema writers),
/// so a long write transaction never makes other clients' short puts fail, and enumerations read one snapshot.
/// </summary>
public sealed class PostgresConcurrencyTests : IDisposable
{
    private readonly List<PostgresTestSchema> _schemas = new();

    public void Dispose()
    {
        foreach (var schema in _schemas) schema.Dispose();
    }

    private PostgresTestSchema NewSchema()
    {
        var schema = PostgresServer.Shared.NewSchema();
        _schemas.Add(schema);
        return schema;
    }

    private static CimLiteInstance Disk(CimLiteSession session, string id, ulong size) =>
        session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = id, ["Size"] = size });

    /// <summary>
    /// The risk seen in CI: while one long write transaction stays open (a big batch), thousands of short puts of another
    /// client, in the same schema and in another schema of the server, all succeed. With SERIALIZABLE writes they met
    /// serialization failures (rw-conflicts with the open batch, and PostgreSQL's summarization of committed serializable
    /// transactions once its table of them fills) until the busy timeout.
    /// </summary>
    [PostgresFact]
    public void Short_puts_all_succeed_while_another_clients_long_write_transaction_is_open()
    {
        var schemaA = NewSchema();
        var schemaB = NewSchema();
        var options = new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(5) };
        using var batchSession = PostgresBackend.OpenSession(schemaA.ConnectionString, options);
        SessionFixture.Class(batchSession, "Disk").Key("Id").Prop("Size", "uint64").Create();
        using (var setupB = PostgresBackend.OpenSession(schemaB.ConnectionString, options))
            SessionFixture.Class(setupB, "Disk").Key("Id").Prop("Size", "uint64").Create();
        for (int i = 0; i < 50; i++) batchSession.PutInstance(Disk(batchSession, "shared" + i, 0));

        const int Clients = 4, Puts = 700;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using (var batch = batchSession.BeginPutBatch())
        {
            for (int i = 0; i < 500; i++) Assert.True(batch.Add(Disk(batchSession, "batch" + i, (ulong)i)).Succeeded);
            // The batch reads what the others write too (an update of every shared disk).
            for (int i = 0; i < 50; i++) Assert.True(batch.Add(Disk(batchSession, "shared" + i, 1), new PutOptions { Mode = PutMode.UpdateOnly }).Succeeded);
            // Clients at once, three in the batch's schema and one in another schema of the server, each putting and
            // partially updating instances of its own, each in a transaction of its own.
            var threads = Enumerable.Range(0, Clients).Select(t => new Thread(() =>
            {
                try
                {
                    using var session = PostgresBackend.OpenSession((t == Clients - 1 ? schemaB : schemaA).ConnectionString, options);
                    for (int i = 0; i < Puts && failures.Count < 5; i++)
                    {
                        try
                        {
                            session.PutInstance(Disk(session, "c" + t + "_" + i, (ulong)i));
                            if (i % 5 == 0) session.PutInstance(Disk(session, "c" + t + "_" + (i / 5), 7), new PutOptions { PropertyList = new[] { "Size" } });
                        }
                        catch (CimLiteException e)
                        {
                            failures.Enqueue(t + "/" + i + ": " + e.Message);
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.ToString());
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.True(failures.IsEmpty, failures.Count + " short puts failed while the batch was open; first: " + failures.FirstOrDefault());
            batch.Commit();
        }
        using var checkA = PostgresBackend.OpenSession(schemaA.ConnectionString);
        using var checkB = PostgresBackend.OpenSession(schemaB.ConnectionString);
        Assert.Equal(550L + (Clients - 1) * Puts, checkA.EnumerateInstances("Disk").LongCount());
        Assert.Equal((long)Puts, checkB.EnumerateInstances("Disk").LongCount());
        Assert.Equal(1UL, checkA.GetInstance(InstancePath.Parse("Disk.Id=\"shared7\""))["Size"]);
        Assert.Equal(7UL, checkB.GetInstance(InstancePath.Parse("Disk.Id=\"c3_7\""))["Size"]);
    }

    /// <summary>
    /// An enumeration reads its rows in id pages (64, then 256, then 1,024): rows that another client inserts or deletes
    /// between two pages, and this session's own puts between two items, do not change what it returns (one snapshot),
    /// and its snapshot blocks none of those writes. A query read in pages does the same.
    /// </summary>
    [PostgresFact]
    public void An_enumeration_sees_exactly_the_rows_at_its_start_while_others_insert_and_delete_between_pages() => EnumerationIsOneSnapshot(readOnly: false);

    [PostgresFact]
    public void A_read_only_sessions_enumeration_is_one_snapshot_too() => EnumerationIsOneSnapshot(readOnly: true);

    private void EnumerationIsOneSnapshot(bool readOnly)
    {
        var schema = NewSchema();
        using var writer = PostgresBackend.OpenSession(schema.ConnectionString);
        SessionFixture.Class(writer, "Disk").Key("Id").Prop("Size", "uint64").Create();
        using (var batch = writer.BeginPutBatch())
        {
            for (int i = 0; i < 600; i++) batch.Add(Disk(writer, "d" + i.ToString("D4"), (ulong)i));
            batch.Commit();
        }
        using var reader = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { ReadOnly = readOnly });

        foreach (var query in new[] { false, true })
        {
            // What is stored when the enumeration starts, in id order (the order both backends read in).
            var expected = reader.EnumerateInstances("Disk").Select(d => ((string)d["Id"]!, (ulong)d["Size"]!)).ToList();
            var seen = new List<(string, ulong)>();
            int n = 0;
            var items = query ? reader.ExecQuery("SELECT * FROM Disk WHERE Size >= 0") : reader.EnumerateInstances("Disk");
            foreach (var disk in items)
            {
                seen.Add(((string)disk["Id"]!, (ulong)disk["Size"]!));
                if (n == 1 || n == 70 || n == 300)
                {
                    // Another client, between pages: new rows (later ids), a row of a later page deleted, another updated.
                    for (int k = 0; k < 20; k++) writer.PutInstance(Disk(writer, "new" + n + "_" + k + (query ? "q" : ""), 1));
                    writer.DeleteInstance(InstancePath.Parse("Disk.Id=\"" + expected[expected.Count - 1 - n].Item1 + "\""));
                    writer.PutInstance(Disk(writer, expected[expected.Count - 2 - n].Item1, 999_999), new PutOptions { PropertyList = new[] { "Size" } });
                    // This session's own write between two items (Get | Set) runs, and is not seen by this enumeration either.
                    if (!readOnly) reader.PutInstance(Disk(reader, "own" + n + (query ? "q" : ""), 5));
                }
                n++;
            }
            Assert.Equal(expected, seen);
            // The next enumeration sees what was committed meanwhile.
            Assert.Equal(expected.Count + 3 * 20 - 3 + (readOnly ? 0 : 3), reader.EnumerateInstances("Disk").Count());
        }
    }

    /// <summary>
    /// Four clients put (create or update) the same new keys at once: every put succeeds (a create that loses the race
    /// to another client's create becomes an update, as it would have a moment later), one instance per key.
    /// </summary>
    [PostgresFact]
    public void Clients_creating_or_updating_the_same_new_keys_at_once_all_succeed()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
            SessionFixture.Class(setup, "Disk").Key("Id").Prop("Size", "uint64").Create();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
                for (int i = 0; i < 150; i++)
                {
                    int k = t % 2 == 0 ? i : 149 - i;
                    try
                    {
                        session.PutInstance(Disk(session, "k" + k, (ulong)t));
                    }
                    catch (CimLiteException e)
                    {
                        errors.Enqueue("k" + k + ": " + e.Message);
                    }
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e.ToString());
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        Assert.Equal(150, check.EnumerateInstances("Disk").Count());
    }

    /// <summary>
    /// One client creates subclasses, puts instances of them and deletes the classes again while another puts instances
    /// of the base class: every operation succeeds (schema writers and instance writers wait for one another instead of
    /// failing), and no instance is left whose class is gone.
    /// </summary>
    [PostgresFact]
    public void Class_changes_and_instance_puts_at_once_stay_consistent()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
            SessionFixture.Class(setup, "Disk").Key("Id").Prop("Size", "uint64").Create();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) };
        var classes = new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString, options);
                for (int c = 0; c < 15; c++)
                {
                    SessionFixture.Class(session, "Sub" + c, "Disk").Prop("Extra", "string").Create();
                    for (int i = 0; i < 5; i++)
                        session.PutInstance(session.NewInstance("Sub" + c, new Dictionary<string, object?> { ["Id"] = "s" + c + "_" + i, ["Size"] = 1UL }));
                    if (c % 3 != 0) session.DeleteClass("Sub" + c, null, force: true);
                }
            }
            catch (Exception e)
            {
                errors.Enqueue("classes: " + e.Message);
            }
        });
        var puts = new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString, options);
                for (int i = 0; i < 300; i++)
                {
                    session.PutInstance(Disk(session, "d" + (i % 50), (ulong)i));
                    if (i % 10 == 0) session.EnumerateInstances("Disk").Count();
                }
            }
            catch (Exception e)
            {
                errors.Enqueue("puts: " + e.Message);
            }
        });
        classes.Start();
        puts.Start();
        classes.Join();
        puts.Join();
        Assert.Empty(errors);
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        Assert.Equal(50 + 5 * 5, check.EnumerateInstances("Disk").Count());
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        using var orphans = new NpgsqlCommand("SELECT count(*) FROM instances i WHERE NOT EXISTS (SELECT 1 FROM classes c WHERE c.id = i.class_id)", connection);
        Assert.Equal(0L, (long)orphans.ExecuteScalar()!);
    }

    /// <summary>
    /// Two batches update the same two instances in opposite orders: PostgreSQL breaks the deadlock by failing one
    /// statement. That batch's Add throws the busy error and its Commit fails loudly with nothing of it kept (a
    /// PostgreSQL transaction with a failed statement can only roll back: never a silent loss of items it acknowledged);
    /// the other batch commits all of its puts.
    /// </summary>
    [PostgresFact]
    public void Two_batches_that_deadlock_one_commits_and_the_other_fails_loudly_with_nothing_kept()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            SessionFixture.Class(setup, "Disk").Key("Id").Prop("Size", "uint64").Create();
            setup.PutInstance(Disk(setup, "k1", 0));
            setup.PutInstance(Disk(setup, "k2", 0));
        }
        var both = new Barrier(2);
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        var threads = Enumerable.Range(1, 2).Select(t => new Thread(() =>
        {
            using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
            var partial = new PutOptions { PropertyList = new[] { "Size" } };
            using var batch = session.BeginPutBatch();
            Assert.True(batch.Add(Disk(session, t == 1 ? "k1" : "k2", (ulong)t), partial).Succeeded);
            Assert.True(batch.Add(Disk(session, "only" + t, (ulong)t)).Succeeded);
            both.SignalAndWait();
            try
            {
                Assert.True(batch.Add(Disk(session, t == 1 ? "k2" : "k1", (ulong)t), partial).Succeeded);
            }
            catch (CimLiteException e)
            {
                outcomes[t] = "add: " + (e.IsStorageBusy ? "busy" : e.Message);
            }
            try
            {
                batch.Commit();
                outcomes.AddOrUpdate(t, "committed", (_, v) => v + "; committed");
            }
            catch (CimLiteException e)
            {
                Assert.Contains("none of its puts were kept", e.Message);
                outcomes.AddOrUpdate(t, "commit failed", (_, v) => v + "; commit failed");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var committed = outcomes.Single(o => o.Value == "committed").Key;
        Assert.Equal("add: busy; commit failed", outcomes[3 - committed]);
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        Assert.Equal((ulong)committed, check.GetInstance(InstancePath.Parse("Disk.Id=\"k1\""))["Size"]);
        Assert.Equal((ulong)committed, check.GetInstance(InstancePath.Parse("Disk.Id=\"k2\""))["Size"]);
        Assert.Equal(new[] { "k1", "k2", "only" + committed }, check.EnumerateInstances("Disk").Select(d => (string)d["Id"]!).OrderBy(x => x, StringComparer.Ordinal));
    }

    /// <summary>
    /// A deep enumeration (and a query) over a class and its subclass reads the classes one after the other: the
    /// subclass's rows come from the snapshot taken when the enumeration began, not from when its turn came.
    /// </summary>
    [PostgresFact]
    public void A_deep_enumeration_reads_every_class_of_the_hierarchy_in_one_snapshot()
    {
        var schema = NewSchema();
        using var writer = PostgresBackend.OpenSession(schema.ConnectionString);
        SessionFixture.Class(writer, "Disk").Key("Id").Prop("Size", "uint64").Create();
        SessionFixture.Class(writer, "SubDisk", "Disk").Prop("Extra", "string").Create();
        for (int i = 0; i < 30; i++)
        {
            writer.PutInstance(Disk(writer, "d" + i, (ulong)i));
            writer.PutInstance(writer.NewInstance("SubDisk", new Dictionary<string, object?> { ["Id"] = "s" + i, ["Size"] = (ulong)i }));
        }
        using var reader = PostgresBackend.OpenSession(schema.ConnectionString);
        foreach (var query in new[] { false, true })
        {
            var expected = reader.EnumerateInstances("Disk").Select(d => ((string)d["Id"]!, (ulong)d["Size"]!)).ToList();
            var seen = new List<(string, ulong)>();
            var items = query ? reader.ExecQuery("SELECT * FROM Disk") : reader.EnumerateInstances("Disk");
            foreach (var disk in items)
            {
                if (seen.Count == 0)
                {
                    for (int k = 0; k < 5; k++)
                        writer.PutInstance(writer.NewInstance("SubDisk", new Dictionary<string, object?> { ["Id"] = "late" + k + query, ["Size"] = 1UL }));
                    writer.DeleteInstance(InstancePath.Parse("SubDisk.Id=\"s" + (query ? 3 : 2) + "\""));
                    writer.PutInstance(writer.NewInstance("SubDisk", new Dictionary<string, object?> { ["Id"] = "s" + (query ? 5 : 4), ["Size"] = 777UL }), new PutOptions { PropertyList = new[] { "Size" } });
                }
                seen.Add(((string)disk["Id"]!, (ulong)disk["Size"]!));
            }
            Assert.Equal(expected, seen);
        }
    }
}
