using System;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using CimLite.Storage.Postgres;
using CimLite.Testing;
using Npgsql;
using NpgsqlTypes;

namespace CimLite.Bench;

/// <summary>
/// The PostgreSQL figures (issue 18 item 5): <c>raw.pg.*</c> (plain Npgsql on a table of the shape of CimLite's
/// <c>instances</c>) and <c>pg.*</c> (the engine on the PostgreSQL backend), measured in the same run against the same
/// server, in alternating rounds (best of each kept), plus <c>pg.concurrent8</c> against <c>pg.concurrent1</c>. Run
/// only when a server is at hand: <c>--pg "connection string"</c>, or <c>--only pg</c> without one, which starts a
/// throwaway server the way the tests do (<see cref="PostgresServer"/>) and stops it at the end. Everything is made in
/// schemas of its own (<c>cimlite_bench_…</c>), dropped afterwards.
/// </summary>
public sealed partial class Bench
{
    /// <summary>The server of the pg.* figures (<c>--pg</c>); null: a throwaway one when pg is asked for by <c>--only</c>.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Instances of the pg.* figures (a network round trip per statement: fewer than the SQLite figures' N).</summary>
    public int PostgresN { get; init; } = 20_000;

    /// <summary>Operations of each client of pg.concurrent8 (and 8 times as many for the one client of pg.concurrent1).</summary>
    public int PostgresClientOperations { get; init; } = 1_000;

    /// <summary>True when the pg figures are to be measured: a server was given (and pg not left out by --only), or --only names pg.</summary>
    private bool PostgresWanted => PostgresConnectionString != null ? Wanted("pg") : _only != null && Wanted("pg");

    private void Postgres()
    {
        PostgresServer? throwaway = null;
        var connectionString = PostgresConnectionString;
        var sw = Stopwatch.StartNew();
        if (connectionString == null)
        {
            throwaway = PostgresServer.StartThrowaway();
            connectionString = throwaway.ConnectionString;
            Console.Error.WriteLine($"  pg: throwaway server started in {sw.Elapsed.TotalSeconds:0.0} s (fsync off, as the tests' server)");
        }
        var tag = "cimlite_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "_";
        try
        {
            using (var c = new NpgsqlConnection(connectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')", c);
                using var r = cmd.ExecuteReader();
                r.Read();
                _report.Machine["postgres"] = r.GetString(0) + (throwaway != null ? " (throwaway server)" : " (given server)") +
                    ", fsync " + r.GetString(1) + ", synchronous_commit " + r.GetString(2);
                _report.Machine["pgN"] = PostgresN;
            }
            Console.Error.WriteLine($"  pg: N = {PostgresN:N0}, {PostgresClientOperations:N0} operations per client");
            RawPostgres(connectionString, tag + "warm", Math.Min(PostgresN, 2_000), report: false);
            EnginePostgres(connectionString, tag + "warmengine", Math.Min(PostgresN, 2_000), report: false);
            for (int round = 1; round <= 2; round++)
            {
                RawPostgres(connectionString, tag + "raw" + round.ToString(CultureInfo.InvariantCulture), PostgresN, report: true);
                EnginePostgres(connectionString, tag + "engine" + round.ToString(CultureInfo.InvariantCulture), PostgresN, report: true);
            }
            ConcurrentPostgres(connectionString, tag + "concurrent");
            Console.Error.WriteLine($"  pg: done in {sw.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                DropBenchSchemas(connectionString, tag);
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine("  pg: could not drop the bench schemas: " + e.Message);
            }
            throwaway?.Stop();
        }
    }

    private static string SchemaConnection(string connectionString, string schema) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema, Pooling = false }.ConnectionString;

    private static void DropBenchSchemas(string connectionString, string tag)
    {
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        c.Open();
        var names = new System.Collections.Generic.List<string>();
        using (var list = new NpgsqlCommand("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, $1)", c))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = tag });
            using var r = list.ExecuteReader();
            while (r.Read()) names.Add(r.GetString(0));
        }
        foreach (var name in names)
        {
            // Names made above: cimlite_bench_<pid>_<letters and digits>.
            using var drop = new NpgsqlCommand("DROP SCHEMA \"" + name.Replace("\"", "\"\"") + "\" CASCADE", c);
            drop.ExecuteNonQuery();
        }
    }

    // ---------------------------------------------------------------- raw Npgsql: the ceiling

    /// <summary>
    /// raw.pg.insert, raw.pg.lookup, raw.pg.scan: plain Npgsql on a table of the shape of CimLite's <c>instances</c>
    /// (same columns, <c>UNIQUE(key_root_id, key)</c>, the by-class index, data as JSON text; no foreign keys), as a
    /// competent hand-written client does it, mirroring raw.insert/lookup/scan of SQLite: a prepared INSERT per row in
    /// one transaction; a prepared point SELECT per key in random order; one SELECT of the class in id order with each
    /// row's JSON decoded into typed values.
    /// </summary>
    private void RawPostgres(string connectionString, string schema, int n, bool report)
    {
        using var c = new NpgsqlConnection(SchemaConnection(connectionString, schema));
        c.Open();
        using (var create = new NpgsqlCommand("CREATE SCHEMA " + schema + "; SET search_path = " + schema + "; " +
            "CREATE TABLE instances(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, class_id bigint NOT NULL, key_root_id bigint NOT NULL, " +
            "key text COLLATE \"C\" NOT NULL, data text NOT NULL, qualifiers text, CONSTRAINT instances_identity UNIQUE(key_root_id, key)); " +
            "CREATE INDEX instances_by_class ON instances(class_id, id)", c))
            create.ExecuteNonQuery();
        const long classId = 3, keyRoot = 1;
        var keys = new string[n];
        for (int i = 0; i < n; i++) keys[i] = Workload.Key(i).ToUpperInvariant();

        // raw.pg.insert: one transaction, a prepared parameterised INSERT, the stored JSON form built per row.
        var sb = new StringBuilder(256);
        Settle();
        var sw = Stopwatch.StartNew();
        using (var tx = c.BeginTransaction())
        using (var insert = new NpgsqlCommand("INSERT INTO instances(class_id, key_root_id, key, data) VALUES ($1, $2, $3, $4)", c, tx))
        {
            var pc = insert.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = classId });
            var pr = insert.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = keyRoot });
            var pk = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            var pd = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            insert.Parameters.Add(pk);
            insert.Parameters.Add(pd);
            insert.Prepare();
            for (int i = 0; i < n; i++)
            {
                pk.TypedValue = keys[i];
                pd.TypedValue = Workload.Json(i, sb);
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        sw.Stop();
        if (report) _report.Add(new Figure("raw.pg.insert", Rate(n, sw), "rows/s", null, $"{n:N0} rows, prepared INSERT per row, one transaction"));

        using (var analyze = new NpgsqlCommand("ANALYZE instances", c)) analyze.ExecuteNonQuery();

        // raw.pg.lookup: point lookups by (key_root_id, key), the row's data read (not decoded), random order.
        var order = Shuffled(n, 1);
        using (var select = new NpgsqlCommand("SELECT data FROM instances WHERE key_root_id = $1 AND key = $2", c))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = keyRoot });
            var pk = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            select.Parameters.Add(pk);
            select.Prepare();
            var lookups = new string[n];
            for (int i = 0; i < n; i++) lookups[i] = keys[order[i] % n];
            Settle();
            long chars = 0;
            sw.Restart();
            foreach (var key in lookups)
            {
                pk.TypedValue = key;
                using var r = select.ExecuteReader();
                if (r.Read()) chars += r.GetString(0).Length;
            }
            sw.Stop();
            if (chars == 0) throw new InvalidOperationException("raw.pg.lookup found nothing");
        }
        if (report) _report.Add(new Figure("raw.pg.lookup", Rate(n, sw), "lookups/s", null));

        // raw.pg.scan: every row of the class in id order, its JSON decoded into typed CLR values (Utf8JsonReader).
        using (var scan = new NpgsqlCommand("SELECT data FROM instances WHERE class_id = $1 ORDER BY id", c))
        {
            scan.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = classId });
            scan.Prepare();
            long rows = 0, checksum = 0;
            Settle();
            sw.Restart();
            using (var r = scan.ExecuteReader())
            {
                while (r.Read())
                {
                    checksum += DecodeRaw(r.GetFieldValue<byte[]>(0));
                    rows++;
                }
            }
            sw.Stop();
            if (rows != n || checksum == 0) throw new InvalidOperationException("raw.pg.scan read " + rows);
        }
        if (report) _report.Add(new Figure("raw.pg.scan", Rate(n, sw), "rows/s", null));
    }

    // ---------------------------------------------------------------- the engine on PostgreSQL

    private void EnginePostgres(string connectionString, string schema, int n, bool report)
    {
        using var session = PostgresBackend.OpenSession(SchemaConnection(connectionString, schema));
        Workload.CreateSchema(session);

        // pg.bulkPut: one batch of CreateOnly puts (one transaction).
        var instances = Instances(session, 0, n, 0);
        var sw = Stopwatch.StartNew();
        using (var batch = session.BeginPutBatch())
        {
            var create = new PutOptions { Mode = PutMode.CreateOnly };
            foreach (var instance in instances)
                if (!batch.Add(instance, create).Succeeded) throw new InvalidOperationException("pg.bulkPut failed: " + batch.Results[^1].Error!.Message);
            batch.Commit();
        }
        sw.Stop();
        instances = Array.Empty<CimLiteInstance>();
        if (report) _report.Add(new Figure("pg.bulkPut", Rate(n, sw), "instances/s", "raw.pg.insert", $"{n:N0} CreateOnly puts, one batch; target ≥ 0.5 × raw.pg.insert"));

        // pg.getByPath: random point reads by path.
        var order = Shuffled(n, 2);
        var paths = new InstancePath[n];
        for (int i = 0; i < n; i++) paths[i] = InstancePath.Parse(Workload.Leaf + ".Id=\"" + Workload.Key(order[i] % n) + "\"");
        Settle();
        long found = 0;
        sw.Restart();
        foreach (var p in paths) if (session.GetInstance(p)["Id"] != null) found++;
        sw.Stop();
        if (found != n) throw new InvalidOperationException("pg.getByPath found " + found);
        if (report) _report.Add(new Figure("pg.getByPath", Rate(n, sw), "instances/s", "raw.pg.lookup", "target ≥ 0.6 × raw.pg.lookup"));

        // pg.enumerate: a deep enumeration from the top of the hierarchy (values read).
        Settle();
        long count = 0;
        sw.Restart();
        foreach (var instance in session.EnumerateInstances(Workload.Base, deep: true))
            if (instance["Id"] != null) count++;
        sw.Stop();
        if (count != n) throw new InvalidOperationException("pg.enumerate read " + count);
        if (report) _report.Add(new Figure("pg.enumerate", Rate(count, sw), "instances/s", "raw.pg.scan", "deep, from Bench_Base; target ≥ 0.4 × raw.pg.scan"));
    }

    // ---------------------------------------------------------------- many clients

    /// <summary>
    /// pg.concurrent8: 8 clients (threads, each its own session and server connection) each doing
    /// <see cref="PostgresClientOperations"/> mixed operations on one repository (per operation, by a seeded random
    /// number: 60 % get by path of any instance, 30 % update of one of the client's own instances, 10 % create of a
    /// new instance; each put its own transaction), in operations per second; against pg.concurrent1, one client doing
    /// all 8 × that many alone on a fresh repository of the same content.
    /// </summary>
    private void ConcurrentPostgres(string connectionString, string schema)
    {
        const int clients = 8;
        int ops = PostgresClientOperations;
        int preload = Math.Min(PostgresN, 4_000);
        double Measure(string name, int threads, int opsPerThread)
        {
            var cs = SchemaConnection(connectionString, schema + name);
            using (var setup = PostgresBackend.OpenSession(cs))
            {
                Workload.CreateSchema(setup);
                using var batch = setup.BeginPutBatch();
                for (int i = 0; i < preload; i++) batch.Add(setup.NewInstance(Workload.Leaf, Workload.Values(i)), new PutOptions { Mode = PutMode.CreateOnly });
                batch.Commit();
            }
            var sessions = new CimLiteSession[threads];
            for (int t = 0; t < threads; t++)
            {
                sessions[t] = PostgresBackend.OpenSession(cs);
                sessions[t].GetClass(Workload.Leaf);
            }
            var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            using var start = new ManualResetEventSlim(false);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int client = t;
                workers[t] = new Thread(() =>
                {
                    var session = sessions[client];
                    var random = new Random(1000 + client);
                    int created = 0;
                    start.Wait();
                    try
                    {
                        for (int i = 0; i < opsPerThread; i++)
                        {
                            int dice = random.Next(100);
                            if (dice < 60)
                            {
                                var path = InstancePath.Parse(Workload.Leaf + ".Id=\"" + Workload.Key(random.Next(preload)) + "\"");
                                if (session.GetInstance(path)["Id"] == null) throw new InvalidOperationException("no Id");
                            }
                            else if (dice < 90)
                            {
                                // The client's own instances: those whose number modulo the clients is its number.
                                int own = random.Next(preload / clients) * clients + client % clients;
                                session.PutInstance(session.NewInstance(Workload.Leaf, Workload.Values(own, i + 1)), new PutOptions { Mode = PutMode.UpdateOnly });
                            }
                            else
                            {
                                int fresh = preload + 100_000 * (client + 1) + created++;
                                session.PutInstance(session.NewInstance(Workload.Leaf, Workload.Values(fresh)), new PutOptions { Mode = PutMode.CreateOnly });
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        errors.Enqueue(e);
                    }
                }) { IsBackground = true };
                workers[t].Start();
            }
            Settle();
            var sw = Stopwatch.StartNew();
            start.Set();
            foreach (var w in workers) w.Join();
            sw.Stop();
            foreach (var s in sessions) s.Dispose();
            if (!errors.IsEmpty) throw new InvalidOperationException(name + " failed: " + errors.TryPeek(out var first) + " " + first);
            return Rate((long)threads * opsPerThread, sw);
        }
        var one = Measure("one", 1, clients * ops);
        var eight = Measure("eight", clients, ops);
        _report.Add(new Figure("pg.concurrent1", one, "ops/s", null, $"one client, {clients * ops:N0} mixed operations (60 % get, 30 % update, 10 % create)"));
        _report.Add(new Figure("pg.concurrent8", eight, "ops/s", "pg.concurrent1",
            string.Create(CultureInfo.InvariantCulture, $"{clients} clients (threads, a session each) × {ops:N0} mixed operations; {eight / one:0.00} × one client on {Environment.ProcessorCount} processors shared with the server")));
    }
}
