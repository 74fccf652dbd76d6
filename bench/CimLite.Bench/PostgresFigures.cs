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
/// server, in alternating blocks (see PostgresRound), plus <c>pg.concurrent8</c> against <c>pg.concurrent1</c>. Run
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
            PostgresRound(connectionString, tag + "warm_", Math.Min(PostgresN, 2_000), report: false);
            PostgresRound(connectionString, tag + "round_", PostgresN, report: true);
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

    // ---------------------------------------------------------------- raw Npgsql against the engine, interleaved

    /// <summary>Blocks of raw and engine work alternate, so both see the same machine conditions (a shared 2-core machine swings by 4 × within a minute).</summary>
    private const int PostgresBlock = 500;

    /// <summary>
    /// One round: raw.pg.insert/lookup/scan (plain Npgsql on a table of the shape of CimLite's <c>instances</c>: same
    /// columns, <c>UNIQUE(key_root_id, key)</c>, the by-class index, data as JSON text; no foreign keys), as a competent
    /// hand-written client does it, mirroring raw.insert/lookup/scan of SQLite: a prepared INSERT per row in one
    /// transaction; a prepared point SELECT per key in random order; one SELECT of the class in id order with each row's
    /// JSON decoded into typed values. Against them, in the same round: pg.bulkPut (one batch of CreateOnly puts, one
    /// transaction), pg.getByPath (random gets by path), pg.enumerate (deep, from the top class). Inserts and lookups run
    /// in alternating blocks of <see cref="PostgresBlock"/> (the raw transaction and the engine's batch are open side by
    /// side, in schemas of their own); scans alternate whole passes, best of three each.
    /// </summary>
    private void PostgresRound(string connectionString, string tag, int n, bool report)
    {
        using var c = new NpgsqlConnection(SchemaConnection(connectionString, tag + "raw"));
        c.Open();
        using (var ddl = new NpgsqlCommand("CREATE SCHEMA " + tag + "raw; SET search_path = " + tag + "raw; " +
            "CREATE TABLE instances(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, class_id bigint NOT NULL, key_root_id bigint NOT NULL, " +
            "key text COLLATE \"C\" NOT NULL, data text NOT NULL, qualifiers text, CONSTRAINT instances_identity UNIQUE(key_root_id, key)); " +
            "CREATE INDEX instances_by_class ON instances(class_id, id)", c))
            ddl.ExecuteNonQuery();
        using var session = PostgresBackend.OpenSession(SchemaConnection(connectionString, tag + "engine"));
        Workload.CreateSchema(session);
        const long classId = 3, keyRoot = 1;
        var keys = new string[n];
        for (int i = 0; i < n; i++) keys[i] = Workload.Key(i).ToUpperInvariant();
        var instances = Instances(session, 0, n, 0);
        var sb = new StringBuilder(256);

        // raw.pg.insert against pg.bulkPut.
        var rawTime = new Stopwatch();
        var engineTime = new Stopwatch();
        var create = new PutOptions { Mode = PutMode.CreateOnly };
        using (var insert = new NpgsqlCommand("INSERT INTO instances(class_id, key_root_id, key, data) VALUES ($1, $2, $3, $4)", c))
        {
            insert.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = classId });
            insert.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = keyRoot });
            var pk = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            var pd = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            insert.Parameters.Add(pk);
            insert.Parameters.Add(pd);
            Settle();
            rawTime.Start();
            var tx = c.BeginTransaction();
            insert.Transaction = tx;
            insert.Prepare();
            rawTime.Stop();
            engineTime.Start();
            var batch = session.BeginPutBatch();
            engineTime.Stop();
            for (int from = 0; from < n; from += PostgresBlock)
            {
                int to = Math.Min(n, from + PostgresBlock);
                rawTime.Start();
                for (int i = from; i < to; i++)
                {
                    pk.TypedValue = keys[i];
                    pd.TypedValue = Workload.Json(i, sb);
                    insert.ExecuteNonQuery();
                }
                rawTime.Stop();
                engineTime.Start();
                for (int i = from; i < to; i++)
                    if (!batch.Add(instances[i], create).Succeeded) throw new InvalidOperationException("pg.bulkPut failed: " + batch.Results[^1].Error!.Message);
                engineTime.Stop();
            }
            rawTime.Start();
            tx.Commit();
            rawTime.Stop();
            tx.Dispose();
            engineTime.Start();
            batch.Commit();
            engineTime.Stop();
            batch.Dispose();
        }
        instances = Array.Empty<CimLiteInstance>();
        if (report)
        {
            _report.Add(new Figure("raw.pg.insert", n / rawTime.Elapsed.TotalSeconds, "rows/s", null, $"{n:N0} rows, prepared INSERT per row, one transaction"));
            _report.Add(new Figure("pg.bulkPut", n / engineTime.Elapsed.TotalSeconds, "instances/s", "raw.pg.insert", $"{n:N0} CreateOnly puts, one batch; target ≥ 0.5 × raw.pg.insert"));
        }
        using (var analyze = new NpgsqlCommand("ANALYZE instances", c)) analyze.ExecuteNonQuery();

        // raw.pg.lookup (the row's data read, not decoded) against pg.getByPath, the same random order.
        var order = Shuffled(n, 1);
        var lookups = new string[n];
        var paths = new InstancePath[n];
        for (int i = 0; i < n; i++)
        {
            lookups[i] = keys[order[i] % n];
            paths[i] = InstancePath.Parse(Workload.Leaf + ".Id=\"" + Workload.Key(order[i] % n) + "\"");
        }
        rawTime.Reset();
        engineTime.Reset();
        using (var select = new NpgsqlCommand("SELECT data FROM instances WHERE key_root_id = $1 AND key = $2", c))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = keyRoot });
            var pk = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
            select.Parameters.Add(pk);
            select.Prepare();
            Settle();
            long chars = 0, found = 0;
            for (int from = 0; from < n; from += PostgresBlock)
            {
                int to = Math.Min(n, from + PostgresBlock);
                rawTime.Start();
                for (int i = from; i < to; i++)
                {
                    pk.TypedValue = lookups[i];
                    using var r = select.ExecuteReader();
                    if (r.Read()) chars += r.GetString(0).Length;
                }
                rawTime.Stop();
                engineTime.Start();
                for (int i = from; i < to; i++)
                    if (session.GetInstance(paths[i])["Id"] != null) found++;
                engineTime.Stop();
            }
            if (chars == 0 || found != n) throw new InvalidOperationException("raw.pg.lookup read " + chars + " characters, pg.getByPath found " + found);
        }
        if (report)
        {
            _report.Add(new Figure("raw.pg.lookup", n / rawTime.Elapsed.TotalSeconds, "lookups/s", null));
            _report.Add(new Figure("pg.getByPath", n / engineTime.Elapsed.TotalSeconds, "instances/s", "raw.pg.lookup", "target ≥ 0.6 × raw.pg.lookup"));
        }

        // raw.pg.scan (JSON decoded into typed CLR values with Utf8JsonReader) against pg.enumerate (values read).
        double bestRaw = 0, bestEngine = 0;
        using (var scan = new NpgsqlCommand("SELECT data FROM instances WHERE class_id = $1 ORDER BY id", c))
        {
            scan.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = classId });
            scan.Prepare();
            for (int pass = 0; pass < 3; pass++)
            {
                long rows = 0, checksum = 0;
                Settle();
                var sw = Stopwatch.StartNew();
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
                bestRaw = Math.Max(bestRaw, Rate(n, sw));
                Settle();
                long count = 0;
                sw.Restart();
                foreach (var instance in session.EnumerateInstances(Workload.Base, deep: true))
                    if (instance["Id"] != null) count++;
                sw.Stop();
                if (count != n) throw new InvalidOperationException("pg.enumerate read " + count);
                bestEngine = Math.Max(bestEngine, Rate(count, sw));
            }
        }
        if (report)
        {
            _report.Add(new Figure("raw.pg.scan", bestRaw, "rows/s", null));
            _report.Add(new Figure("pg.enumerate", bestEngine, "instances/s", "raw.pg.scan", "deep, from Bench_Base; target ≥ 0.4 × raw.pg.scan"));
        }
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
