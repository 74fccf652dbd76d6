using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace CimLite.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/CimLite.Bench [-- --quick] [-- --json PATH]</c>: raw SQLite, the
/// engine, the cmdlets and memory, measured side by side in one run.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "--measure-memory")
            return Bench.MeasureMemoryChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        if (args.Length == 3 && args[0] == "--measure-pipeline-put")
            return Bench.MeasurePipelinePutChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        if (args.Length == 3 && args[0] == "--mixed-worker")
            return Bench.MixedWorkerChild(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        bool quick = false;
        string? json = null;
        string? only = null;
        int repeat = 0;
        string? pg = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--json": json = args[++i]; break;
                case "--only": only = args[++i]; break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pg": pg = args[++i]; break;
                case "-h": case "--help":
                    Console.WriteLine("CimLite.Bench [--quick] [--json PATH] [--only PREFIX[,PREFIX]] [--repeat K (engine.bulkPut against raw.insert, K times)] [--pg CONNECTION-STRING (pg.* figures; --only pg without it starts a throwaway server)]");
                    return 0;
                default:
                    Console.Error.WriteLine("Unknown argument: " + args[i]);
                    return 2;
            }
        }
        var bench = new Bench(quick ? 10_000 : 100_000, quick ? 100_000 : 1_000_000, quick ? 200 : 2_000, only, quick ? 1 : 3)
        {
            // engine.postDrain: queue lengths compared, and items taken from each.
            DrainSmall = quick ? 1_000 : 10_000,
            DrainLarge = quick ? 20_000 : 1_000_000,
            DrainTake = quick ? 500 : 5_000,
            MixedOperations = quick ? 200 : 500,
            PostgresConnectionString = pg,
            PostgresN = quick ? 2_000 : 20_000,
            PostgresClientOperations = quick ? 100 : 1_000,
        };
        if (repeat > 0) return bench.RepeatBulkPut(repeat);
        var report = bench.Run();
        Console.WriteLine();
        Console.WriteLine(report.Table());
        if (json != null)
        {
            report.WriteJson(json);
            Console.WriteLine("JSON written to " + Path.GetFullPath(json));
        }
        return 0;
    }
}

public sealed partial class Bench
{
    private readonly int _n, _memoryN, _durableN;
    private readonly string[]? _only;
    private readonly string _dir;
    private readonly Report _report = new();

    private readonly int _rounds;

    /// <summary>engine.postDrain: the short queue, the long queue, and how many items are received from each.</summary>
    public int DrainSmall { get; init; } = 10_000;
    public int DrainLarge { get; init; } = 1_000_000;
    public int DrainTake { get; init; } = 5_000;

    public Bench(int n, int memoryN, int durableN, string? only, int rounds)
    {
        _rounds = rounds;
        _n = n;
        _memoryN = memoryN;
        _durableN = durableN;
        _only = only?.Split(',');
        _dir = Path.Combine(Path.GetTempPath(), "cimlite-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Whether a group of figures runs: every group without --only; else a group one of its entries is a prefix of
    /// (<c>engine</c> runs engine and engine.postDrain), or that one of its entries names a figure of
    /// (<c>engine.bulkPut</c> runs the engine group, whose rounds measure it).
    /// </summary>
    private bool Wanted(string group)
    {
        if (_only == null) return true;
        foreach (var o in _only)
            if (group.StartsWith(o, StringComparison.OrdinalIgnoreCase)
                || (o.StartsWith(group + ".", StringComparison.OrdinalIgnoreCase) && !Array.Exists(DottedGroups, g => o.StartsWith(g, StringComparison.OrdinalIgnoreCase))))
                return true;
        return false;
    }

    // Groups whose names hold a dot: naming them (or a prefix of them) runs only them, not the group before the dot.
    private static readonly string[] DottedGroups = { "engine.postDrain", "engine.care" };

    /// <summary>Whether --only names <paramref name="figure"/> itself (for figures that never run unasked).</summary>
    private bool Named(string figure) => _only != null && Array.Exists(_only, o => o.Equals(figure, StringComparison.OrdinalIgnoreCase));

    public Report Run()
    {
        Directory.CreateDirectory(_dir);
        try
        {
            Describe();
            Console.Error.WriteLine($"CimLite.Bench: N = {_n:N0}, durable ops = {_durableN:N0}, memory N = {_memoryN:N0}");
            // Raw, engine and cmdlet figures are measured in alternating rounds and the best of each kept, so that a
            // ratio compares the two under the same machine conditions (a shared 2-core machine is noisy) and with the
            // same heap (the later groups leave the process larger).
            for (int round = 1; round <= _rounds; round++)
            {
                Console.Error.WriteLine($"round {round} of {_rounds}");
                if (Wanted("raw")) Raw(round);
                if (Wanted("engine")) Engine(round);
                if (Wanted("cmdlet")) CmdletRound(round);
            }
            if (Wanted("cmdlet")) CmdletsDone();
            NoteFirstPasses();
            if (Wanted("engine.postDrain")) PostDrain();
            if (Wanted("scale")) Scale();
            if (Wanted("memory")) Memory();
            if (Wanted("memory")) MemoryPipelinePut();
            if (Wanted("concurrency")) ConcurrencyMixed();
            if (Wanted("engine")) MofImport();
            // Repository care (issue 16) only when asked for by name (--only engine.care): it fills a repository of
            // memory N instances (1,000,000) and times Backup, Optimize and Check on it.
            if (Named("engine.care")) Care();
            if (PostgresWanted) Postgres(); // PostgresFigures.cs
            _report.ComputeRatios();
            return _report;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void Describe()
    {
        var m = _report.Machine;
        m["os"] = RuntimeInformation.OSDescription;
        m["architecture"] = RuntimeInformation.OSArchitecture.ToString();
        m["processors"] = Environment.ProcessorCount;
        m["cpu"] = CpuModel();
        m["runtime"] = RuntimeInformation.FrameworkDescription;
        using (var c = new SqliteConnection("Data Source=:memory:"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT sqlite_version()";
            m["sqlite"] = cmd.ExecuteScalar();
        }
#if DEBUG
        m["configuration"] = "Debug";
#else
        m["configuration"] = "Release";
#endif
        m["n"] = _n;
        m["durableOperations"] = _durableN;
        m["memoryInstances"] = _memoryN;
        m["durability"] = "WAL, synchronous=FULL";
        m["date"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
    }

    private static string? CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line.Substring(line.IndexOf(':') + 1).Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private int[] Shuffled(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i % _n;
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static double Rate(long count, Stopwatch sw) => count / sw.Elapsed.TotalSeconds;

    // ---------------------------------------------------------------- raw SQLite: the ceiling

    private void Raw(int round)
    {
        if (round == 1) RawRun(Math.Min(_n, 3_000), "raw-warmup.db", report: false);
        RawRun(_n, $"raw-{round}.db", report: true);
    }

    private static SqliteConnection RawDatabase(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        Exec(c, "PRAGMA journal_mode = WAL");
        Exec(c, "PRAGMA synchronous = FULL");
        Exec(c, "CREATE TABLE raw(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, data TEXT NOT NULL)");
        return c;
    }

    /// <summary>raw.insert's work: <paramref name="n"/> rows in one transaction, timed from a settled heap.</summary>
    private static Stopwatch RawInsert(SqliteConnection c, int n)
    {
        var sb = new StringBuilder(256);
        Settle();
        var sw = Stopwatch.StartNew();
        using (var tx = c.BeginTransaction())
        using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO raw(key, data) VALUES ($k, $d)";
            var k = insert.Parameters.Add("$k", SqliteType.Text);
            var d = insert.Parameters.Add("$d", SqliteType.Text);
            insert.Prepare();
            for (int i = 0; i < n; i++)
            {
                k.Value = Workload.Key(i);
                d.Value = Workload.Json(i, sb);
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        sw.Stop();
        return sw;
    }

    /// <summary>raw.insert's untimed warm pass (<see cref="WarmPass"/>), into a scratch file.</summary>
    private void WarmRawInsert(int n, string file) => WarmPass("raw.insert", file, path =>
    {
        using var c = RawDatabase(path);
        return Rate(n, RawInsert(c, n));
    });

    /// <summary>
    /// Runs <paramref name="work"/> on a scratch repository (deleted after), outside the figure's timing, just before the
    /// figure does the same work timed. The three figures whose ratios compare bulk writes (raw.insert, engine.bulkPut,
    /// cmdlet.pipelinePut) each have one: the garbage collector sizes its allocation budget, and so how much fresh memory
    /// it takes, by the work before, and on this VM a first touch of a page costs ≈ 16 µs (docs/ARCHITECTURE.md,
    /// performance notes). Without it, the cmdlet round right after the engine figures took ≈ 30,000 page faults for
    /// 100,000 records, ≈ 5 µs per record. <paramref name="work"/> returns the rate of its pass; the best one of each
    /// figure goes into the figure's note (<see cref="NoteFirstPasses"/>), so the cold rate stays in view.
    /// </summary>
    private void WarmPass(string figure, string file, Func<string, double> work)
    {
        var path = Path.Combine(_dir, file);
        var rate = work(path);
        DeleteDatabase(path);
        _firstPasses[figure] = Math.Max(rate, _firstPasses.TryGetValue(figure, out var best) ? best : 0);
    }

    private readonly Dictionary<string, double> _firstPasses = new();

    /// <summary>engine.bulkPut's warm pass (<see cref="WarmPass"/>): the same batch into a scratch file.</summary>
    private void WarmBulkPut(string file) => WarmPass("engine.bulkPut", file, path =>
    {
        using var scratch = CimLiteSession.Open(path);
        Workload.CreateSchema(scratch);
        return TimedBulkPut(scratch, 0, _n);
    });

    /// <summary>After the rounds: each warmed figure's note gives its best first pass and that pass's ratio to its counterpart's.</summary>
    private void NoteFirstPasses()
    {
        for (int i = 0; i < _report.Figures.Count; i++)
        {
            var figure = _report.Figures[i];
            if (!_firstPasses.TryGetValue(figure.Name, out var first)) continue;
            var text = string.Create(CultureInfo.InvariantCulture, $"first pass (untimed warm-up, same work, best of the rounds) {first:N0}/s");
            if (figure.RawCounterpart != null && _firstPasses.TryGetValue(figure.RawCounterpart, out var counterpart) && counterpart > 0)
                text += string.Create(CultureInfo.InvariantCulture, $", {first / counterpart:0.00} × {figure.RawCounterpart}'s first pass");
            _report.Figures[i] = figure with { Note = figure.Note == null ? text : figure.Note + "; " + text };
        }
    }

    private static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }

    private void RawRun(int n, string file, bool report)
    {
        if (report) WarmRawInsert(n, Path.GetFileNameWithoutExtension(file) + "-warm.db");
        using var c = RawDatabase(Path.Combine(_dir, file));

        // raw.insert: one transaction, a prepared parameterised INSERT, the stored JSON form built per row.
        var sw = RawInsert(c, n);
        if (report) _report.Add(new Figure("raw.insert", Rate(n, sw), "rows/s", null));

        // raw.lookup: point lookups by key (the row's data read, not decoded), random order.
        var order = Shuffled(n, 1);
        using (var select = c.CreateCommand())
        {
            select.CommandText = "SELECT data FROM raw WHERE key = $k";
            var k = select.Parameters.Add("$k", SqliteType.Text);
            select.Prepare();
            var keys = new string[order.Length];
            for (int i = 0; i < keys.Length; i++) keys[i] = Workload.Key(order[i]);
            Settle();
            long chars = 0;
            sw.Restart();
            foreach (var key in keys)
            {
                k.Value = key;
                using var r = select.ExecuteReader();
                if (r.Read()) chars += r.GetString(0).Length;
            }
            sw.Stop();
            if (chars == 0) throw new InvalidOperationException("raw.lookup found nothing");
        }
        if (report) _report.Add(new Figure("raw.lookup", Rate(n, sw), "lookups/s", null));

        // raw.scan: every row, its JSON decoded into typed CLR values (System.Text.Json's Utf8JsonReader).
        using (var scan = c.CreateCommand())
        {
            scan.CommandText = "SELECT data FROM raw ORDER BY id";
            long rows = 0, checksum = 0;
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
            if (rows != n || checksum == 0) throw new InvalidOperationException("raw.scan read " + rows);
        }
        if (report) _report.Add(new Figure("raw.scan", Rate(n, sw), "rows/s", null));
    }

    /// <summary>Decodes one stored row into typed CLR values with System.Text.Json's Utf8JsonReader (the fastest stock reader).</summary>
    private static long DecodeRaw(byte[] utf8)
    {
        var values = new object?[10];
        var r = new Utf8JsonReader(utf8);
        r.Read(); // {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            int at = r.ValueTextEquals("Id"u8) ? 0 : r.ValueTextEquals("Name"u8) ? 1 : r.ValueTextEquals("Count"u8) ? 2 : r.ValueTextEquals("Size"u8) ? 3
                : r.ValueTextEquals("Ratio"u8) ? 4 : r.ValueTextEquals("Enabled"u8) ? 5 : r.ValueTextEquals("Created"u8) ? 6 : r.ValueTextEquals("Flags"u8) ? 7
                : r.ValueTextEquals("Offset"u8) ? 8 : r.ValueTextEquals("Owner"u8) ? 9 : -1;
            r.Read();
            switch (at)
            {
                case 0: case 1: case 9: values[at] = r.GetString(); break;
                case 2: values[2] = r.GetInt32(); break;
                case 3: values[3] = r.GetUInt64(); break;
                case 4: values[4] = r.GetDouble(); break;
                case 5: values[5] = r.GetBoolean(); break;
                case 6: values[6] = ParseCimDate(r.ValueSpan); break;
                case 7: values[7] = r.GetUInt16(); break;
                case 8: values[8] = r.GetInt64(); break;
                default: r.Skip(); break;
            }
        }
        return ((string)values[0]!).Length;
    }

    private static DateTimeOffset ParseCimDate(ReadOnlySpan<byte> t)
    {
        static int N(ReadOnlySpan<byte> s) { int v = 0; foreach (var b in s) v = v * 10 + (b - '0'); return v; }
        return new DateTimeOffset(N(t[..4]), N(t.Slice(4, 2)), N(t.Slice(6, 2)), N(t.Slice(8, 2)), N(t.Slice(10, 2)), N(t.Slice(12, 2)), TimeSpan.Zero)
            .AddTicks(N(t.Slice(15, 6)) * 10L);
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    // ---------------------------------------------------------------- engine

    /// <summary>The instances to put, made before timing and settled into the oldest GC generation so the timed loop does not pay for promoting them.</summary>
    private CimLiteInstance[] Instances(CimLiteSession session, int from, int count, int version)
    {
        var result = new CimLiteInstance[count];
        for (int i = 0; i < count; i++) result[i] = session.NewInstance(Workload.Leaf, Workload.Values(from + i, version));
        Settle();
        return result;
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Runs every measured engine path once on a scratch repository, so the figures time tiered-up code (raw gets the same).</summary>
    private void WarmUpEngine()
    {
        const int count = 3_000;
        using var session = CimLiteSession.Open(Path.Combine(_dir, "warmup.db"));
        Workload.CreateSchema(session);
        for (int round = 0; round < 2; round++)
        {
            using (var batch = session.BeginPutBatch())
            {
                var options = new PutOptions { Mode = round == 0 ? PutMode.CreateOnly : PutMode.CreateOrUpdate };
                foreach (var instance in Instances(session, 0, count, round)) batch.Add(instance, options);
                batch.Commit();
            }
        }
        for (int i = 0; i < count; i++) session.GetInstance(InstancePath.Parse(Workload.Leaf + ".Id=\"" + Workload.Key(i) + "\""));
        foreach (var instance in session.EnumerateInstances(Workload.Base)) _ = instance["Id"];
        WarmUpRound2(session, count);
    }

    private void Engine(int round)
    {
        if (round == 1) WarmUpEngine();
        var path = Path.Combine(_dir, $"engine-{round}.db");
        using var session = CimLiteSession.Open(path);
        Workload.CreateSchema(session);

        // engine.bulkPut: one batch of CreateOnly puts, after an untimed pass of the same batch into a scratch file
        // (WarmPass: the heap the figure runs on is the one this work grows, not what the figures before it left).
        WarmBulkPut($"engine-{round}-warm.db");
        var instances = Instances(session, 0, _n, 0);
        long faults = MinorFaults();
        var sw = BulkPut(session, instances);
        if (Environment.GetEnvironmentVariable("CIMLITE_BENCH_GC") == "1")
            Console.Error.WriteLine($"  gc: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms, bulkPut {sw.ElapsedMilliseconds} ms, heap {GC.GetTotalMemory(false) / 1048576} MB, minor faults {MinorFaults() - faults:N0}");
        _report.Add(new Figure("engine.bulkPut", Rate(_n, sw), "instances/s", "raw.insert"));

        // engine.bulkUpsert: CreateOrUpdate over the existing instances, one batch.
        instances = Instances(session, 0, _n, 1);
        sw.Restart();
        using (var batch = session.BeginPutBatch())
        {
            var upsert = new PutOptions { Mode = PutMode.CreateOrUpdate };
            foreach (var instance in instances)
                if (!batch.Add(instance, upsert).Succeeded) throw new InvalidOperationException("bulkUpsert failed: " + batch.Results[^1].Error!.Message);
            batch.Commit();
        }
        sw.Stop();
        _report.Add(new Figure("engine.bulkUpsert", Rate(_n, sw), "instances/s", "raw.insert"));
        instances = Array.Empty<CimLiteInstance>();

        // engine.singlePut: each put its own durable transaction (WAL, synchronous=FULL: one fsync per put).
        var singles = Instances(session, _n, _durableN, 0);
        sw.Restart();
        foreach (var instance in singles) session.PutInstance(instance);
        sw.Stop();
        if (round == 1) _report.Add(new Figure("engine.singlePut", Rate(_durableN, sw), "instances/s", "raw.insert", $"{_durableN:N0} durable puts"));

        // engine.getByPath: random point reads by path.
        var order = Shuffled(_n, 2);
        var paths = new InstancePath[order.Length];
        for (int i = 0; i < paths.Length; i++) paths[i] = InstancePath.Parse(Workload.Leaf + ".Id=\"" + Workload.Key(order[i]) + "\"");
        Settle();
        long found = 0;
        sw.Restart();
        foreach (var p in paths) if (session.GetInstance(p)["Id"] != null) found++;
        sw.Stop();
        if (found != _n) throw new InvalidOperationException("getByPath found " + found);
        var getByPath = _report.Add(new Figure("engine.getByPath", Rate(_n, sw), "instances/s", "raw.lookup"));

        // engine.enumerate: a deep enumeration from the top of the hierarchy.
        paths = Array.Empty<InstancePath>();
        Settle();
        long count = 0;
        sw.Restart();
        foreach (var instance in session.EnumerateInstances(Workload.Base, deep: true))
            if (instance["Id"] != null) count++;
        sw.Stop();
        if (count != _n + _durableN) throw new InvalidOperationException("enumerate read " + count);
        var enumerate = _report.Add(new Figure("engine.enumerate", Rate(count, sw), "instances/s", "raw.scan"));

        _report.Add(MeasureQuery(session, getByPath.Value ?? 0));
        EngineRound2(session, enumerate.Value ?? 0);

        // engine.associators and its scaling check (issue 13): the same lookups among 1,000 and 100,000 associations.
        var large = MeasureAssociators(100_000, round);
        var small = MeasureAssociators(1_000, round);
        _report.Add(new Figure("engine.associators", large, "results/s", "raw.lookup",
            "associators of random instances, 5 associated each, among 100,000 association instances; target ≥ 0.3 × raw.lookup"));
        _report.Add(new Figure("engine.associatorsScaling", small > 0 ? large / small : null, "× (100k/1k)", null,
            $"associators rate with 100,000 associations over the rate with 1,000 ({small:N0} results/s); target ≥ 0.7"));

        // engine.postReceive: indications posted (each durable) and received (and removed) through the queue.
        if (round != 1) return;
        var events = new CimLiteInstance[_durableN];
        for (int i = 0; i < events.Length; i++)
            events[i] = session.NewInstance(Workload.Event, new Hashtable { ["Sequence"] = (uint)i, ["Message"] = "event " + i.ToString(CultureInfo.InvariantCulture) });
        sw.Restart();
        foreach (var e in events) session.PostIndication(e);
        long received = 0;
        foreach (var _ in session.ReceivePosted(new ReceiveOptions { ClassName = Workload.Event })) received++;
        sw.Stop();
        if (received != _durableN) throw new InvalidOperationException("postReceive received " + received);
        _report.Add(new Figure("engine.postReceive", Rate(_durableN, sw), "indications/s", null, $"{_durableN:N0} durable posts, then received"));
    }

    /// <summary>
    /// engine.postDrain (issue 22): the cost per item of receiving (taking) from the head of a long posted queue,
    /// in microseconds, at <see cref="DrainLarge"/> queued, compared with <see cref="DrainSmall"/> queued. Each queue
    /// is filled with one SQL statement (posting a million indications one durable transaction each would take
    /// hours), in the engine's stored form, then reopened and <see cref="DrainTake"/> items are received without a
    /// class (all of the namespace) and as many more with <c>ClassName</c> (the class filter's statement). Target:
    /// the per-item cost at the long queue is at most twice that at the short one. Best of the rounds.
    /// </summary>
    /// <summary>engine.care: backup, optimize and check times of a file repository of memory N instances (issue 16).</summary>
    private void Care()
    {
        var path = Path.Combine(_dir, "care.db");
        int n = _memoryN;
        using var session = CimLiteSession.Open(path);
        Workload.CreateSchema(session);
        var sw = Stopwatch.StartNew();
        const int chunk = 50_000;
        for (int from = 0; from < n; from += chunk)
        {
            var instances = Instances(session, from, Math.Min(chunk, n - from), 0);
            using var batch = session.BeginPutBatch();
            foreach (var instance in instances)
                if (!batch.Add(instance).Succeeded) throw new InvalidOperationException("care fill failed: " + batch.Results[^1].Error!.Message);
            batch.Commit();
        }
        Console.Error.WriteLine($"  care: {n:N0} instances filled in {sw.Elapsed.TotalSeconds:N1} s");
        Settle();
        sw.Restart();
        var backup = CimLiteRepository.Backup(session, path + ".bak", overwrite: true);
        sw.Stop();
        _report.Add(new Figure("engine.careBackup", sw.Elapsed.TotalSeconds, "s", null, $"{backup.Instances:N0} instances, {backup.SizeBytes:N0} bytes, copy and check"));
        Settle();
        sw.Restart();
        var optimized = CimLiteRepository.Optimize(session);
        sw.Stop();
        _report.Add(new Figure("engine.careOptimize", sw.Elapsed.TotalSeconds, "s", null, $"{optimized.SizeBeforeBytes:N0} -> {optimized.SizeAfterBytes:N0} bytes"));
        Settle();
        sw.Restart();
        var report = CimLiteRepository.Check(session);
        sw.Stop();
        if (!report.IsHealthy) throw new InvalidOperationException("care: the repository is not healthy: " + report.Problems[0]);
        _report.Add(new Figure("engine.careCheck", sw.Elapsed.TotalSeconds, "s", null, $"{report.Instances:N0} instances checked"));
    }

    private void PostDrain()
    {
        (double All, double ByClass) Measure(int queued)
        {
            var path = Path.Combine(_dir, $"drain-{queued}.db");
            using (var session = CimLiteSession.Open(path)) Workload.CreateSchema(session);
            using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                c.Open();
                using var fill = c.CreateCommand();
                fill.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " +
                    "INSERT INTO posted(namespace, class_name, data, posted_at) " +
                    "SELECT 'root/cimv2', $class, '{\"Sequence\":' || i || ',\"Message\":\"event ' || i || '\"}', '2026-01-01T00:00:00.0000000+00:00' FROM n";
                fill.Parameters.AddWithValue("$count", queued);
                fill.Parameters.AddWithValue("$class", Workload.Event);
                fill.ExecuteNonQuery();
            }
            try
            {
                using var session = CimLiteSession.Open(path);
                Settle();
                var sw = Stopwatch.StartNew();
                uint expected = 1;
                foreach (var item in session.ReceivePosted(new ReceiveOptions { First = DrainTake }))
                    if ((uint)item.Instance["Sequence"]! != expected++) throw new InvalidOperationException("postDrain: out of order at " + expected);
                sw.Stop();
                double all = sw.Elapsed.TotalMilliseconds * 1000.0 / DrainTake;
                sw.Restart();
                long taken = 0;
                foreach (var _ in session.ReceivePosted(new ReceiveOptions { First = DrainTake, ClassName = Workload.Event })) taken++;
                sw.Stop();
                if (expected != DrainTake + 1 || taken != DrainTake) throw new InvalidOperationException("postDrain received " + (expected - 1) + " and " + taken);
                return (all, sw.Elapsed.TotalMilliseconds * 1000.0 / DrainTake);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
            }
        }
        Measure(DrainSmall); // warm-up: the first take JITs the receive path
        // Best of the rounds for each length (a shared machine's fsyncs are noisy), each on a freshly filled queue;
        // the two lengths alternate, so that both see the same machine conditions.
        var small = (All: double.MaxValue, ByClass: double.MaxValue);
        var large = small;
        for (int round = 0; round < Math.Max(3, _rounds); round++)
        {
            var s = Measure(DrainSmall);
            small = (Math.Min(small.All, s.All), Math.Min(small.ByClass, s.ByClass));
            var l = Measure(DrainLarge);
            large = (Math.Min(large.All, l.All), Math.Min(large.ByClass, l.ByClass));
        }
        var ratio = large.All / small.All;
        _report.Add(new Figure("engine.postDrain", large.All, "µs/item", null,
            string.Create(CultureInfo.InvariantCulture, $"{DrainTake:N0} received from {DrainLarge:N0} queued; {small.All:0.0} µs/item from {DrainSmall:N0} queued: ratio {ratio:0.00} (target ≤ 2); with -ClassName {large.ByClass:0.0} vs {small.ByClass:0.0} µs/item")));
    }

    /// <summary>
    /// engine.associators: a repository (a file, like the other engine figures) of <paramref name="associations"/>
    /// association instances (Bench_Link: Owner ref:Bench_Node, Part ref:Bench_Part), five per node, each to its own
    /// part; then GetAssociatedInstances of random nodes, in results (associated instances) per second.
    /// </summary>
    private double MeasureAssociators(int associations, int round)
    {
        var path = Path.Combine(_dir, $"assoc-{associations}-{round}.db");
        using var session = CimLiteSession.Open(path);
        var key = new CimQualifier("Key", true);
        var node = new CimClassDefinition("Bench_Node");
        node.Properties.Add(new CimPropertyDefinition("Id", CimTypeInfo.Parse("string")) { Qualifiers = { key } });
        session.CreateClass(node);
        var part = new CimClassDefinition("Bench_Part");
        part.Properties.Add(new CimPropertyDefinition("Id", CimTypeInfo.Parse("string")) { Qualifiers = { key } });
        part.Properties.Add(new CimPropertyDefinition("Size", CimTypeInfo.Parse("uint64")));
        session.CreateClass(part);
        var link = new CimClassDefinition("Bench_Link") { Qualifiers = { new CimQualifier("Association", true) } };
        link.Properties.Add(new CimPropertyDefinition("Owner", CimTypeInfo.Parse("ref:Bench_Node")) { Qualifiers = { key } });
        link.Properties.Add(new CimPropertyDefinition("Part", CimTypeInfo.Parse("ref:Bench_Part")) { Qualifiers = { key } });
        session.CreateClass(link);
        int nodes = associations / 5;
        using (var batch = session.BeginPutBatch())
        {
            var create = new PutOptions { Mode = PutMode.CreateOnly };
            for (int i = 0; i < nodes; i++)
                batch.Add(session.NewInstance("Bench_Node", new Hashtable { ["Id"] = "n" + i.ToString(CultureInfo.InvariantCulture) }), create);
            for (int i = 0; i < associations; i++)
            {
                var p = "p" + i.ToString(CultureInfo.InvariantCulture);
                batch.Add(session.NewInstance("Bench_Part", new Hashtable { ["Id"] = p, ["Size"] = (ulong)i }), create);
                batch.Add(session.NewInstance("Bench_Link", new Hashtable
                {
                    ["Owner"] = "Bench_Node.Id=\"n" + (i % nodes).ToString(CultureInfo.InvariantCulture) + "\"",
                    ["Part"] = "Bench_Part.Id=\"" + p + "\"",
                }), create);
            }
            batch.Commit();
        }
        // The same number of lookups at both sizes (random nodes, repeats allowed), after a warm-up of as many lookups
        // of other random nodes: the steady state of a repository in use, not its first reads after the bulk load.
        const int lookups = 10_000;
        var random = new Random(13);
        var sources = new InstancePath[lookups];
        for (int i = 0; i < lookups; i++) sources[i] = InstancePath.Parse("Bench_Node.Id=\"n" + random.Next(nodes).ToString(CultureInfo.InvariantCulture) + "\"");
        var warmUp = new Random(31);
        for (int i = 0; i < lookups; i++)
            session.GetAssociatedInstances(InstancePath.Parse("Bench_Node.Id=\"n" + warmUp.Next(nodes).ToString(CultureInfo.InvariantCulture) + "\""));
        Settle();
        long results = 0;
        var sw = Stopwatch.StartNew();
        foreach (var source in sources) results += session.GetAssociatedInstances(source).Count;
        sw.Stop();
        if (results != 5L * lookups) throw new InvalidOperationException("engine.associators found " + results);
        return Rate(results, sw);
    }

    /// <summary>
    /// engine.query: key-equality WQL queries (<c>SELECT * FROM Bench_Leaf WHERE Id = '…'</c>), one per random key,
    /// each parsed, planned and answered through the UNIQUE(key_root_id, key) index. The note gives the ratio to
    /// engine.getByPath measured in the same round (issue 4 asks for it).
    /// </summary>
    private Figure MeasureQuery(CimLiteSession session, double getByPathRate)
    {
        int queries = Math.Min(_n, 20_000);
        var order = Shuffled(_n, 3);
        var texts = new string[queries];
        for (int i = 0; i < queries; i++) texts[i] = "SELECT * FROM " + Workload.Leaf + " WHERE Id = '" + Workload.Key(order[i]) + "'";
        Settle();
        long found = 0;
        var sw = Stopwatch.StartNew();
        foreach (var wql in texts)
            foreach (var instance in session.ExecQuery(wql)) if (instance["Id"] != null) found++;
        sw.Stop();
        if (found != queries) throw new InvalidOperationException("engine.query found " + found);
        var rate = Rate(queries, sw);
        var ratio = getByPathRate > 0 ? rate / getByPathRate : 0;
        return new Figure("engine.query", rate, "queries/s", "raw.lookup",
            $"{queries:N0} key-equality queries; time per query = {(ratio > 0 ? 1 / ratio : 0):0.00} × getByPath");
    }

    /// <summary>
    /// engine.mofImport: the whole DMTF CIM Schema (found by CimSchemaLocation: $CIMLITE_CIM_SCHEMA, else
    /// ../shared/data/cim-schema-2.32.0 beside the repository) imported into a new in-memory repository, in
    /// seconds (issue 8's target: under 5 s). Without a schema the figure is left out (and the run fails when
    /// $CIMLITE_REQUIRE_CIM_SCHEMA is 1).
    /// </summary>
    private void MofImport()
    {
        var schema = CimLite.Testing.CimSchemaLocation.RootFile;
        if (schema == null)
        {
            if (CimLite.Testing.CimSchemaLocation.Required) CimLite.Testing.CimSchemaLocation.RequireRootFile();
            Console.WriteLine("engine.mofImport: not measured (no DMTF schema; set CIMLITE_CIM_SCHEMA)");
            return;
        }
        using (var warm = CimLiteSession.OpenInMemory()) warm.ImportMof(new[] { schema });
        Settle();
        using var session = CimLiteSession.OpenInMemory();
        var sw = Stopwatch.StartNew();
        var result = session.ImportMof(new[] { schema });
        sw.Stop();
        _report.Add(new Figure("engine.mofImport", sw.Elapsed.TotalSeconds, "s", null, "DMTF CIM Schema " + Path.GetFileNameWithoutExtension(schema).Substring("cim_schema_".Length) + ", whole, into memory"));
        _ = result;
    }

    // ---------------------------------------------------------------- cmdlets in a hosted runspace: CmdletFigures.cs

    // ---------------------------------------------------------------- memory

    /// <summary>The child side of memory.enumerate1M: prints "growthMB managedGrowthMB rate".</summary>
    public static int MeasureMemoryChild(string path, int expected)
    {
        using var session = CimLiteSession.Open(path);
        session.GetClass(Workload.Base);
        foreach (var i in session.EnumerateInstances(Workload.Base)) { _ = i["Id"]; break; } // JIT the path
        Settle();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long baseline = process.WorkingSet64, managedBaseline = GC.GetTotalMemory(false);
        long peak = baseline, managedPeak = managedBaseline;
        bool done = false;
        var sampler = new Thread(() =>
        {
            using var p = Process.GetCurrentProcess();
            while (!Volatile.Read(ref done))
            {
                p.Refresh();
                long ws = p.WorkingSet64, managed = GC.GetTotalMemory(false);
                if (ws > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, ws);
                if (managed > Interlocked.Read(ref managedPeak)) Interlocked.Exchange(ref managedPeak, managed);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();
        long count = 0;
        var sw = Stopwatch.StartNew();
        foreach (var instance in session.EnumerateInstances(Workload.Base, deep: true))
            if (instance["Id"] != null) count++;
        sw.Stop();
        Volatile.Write(ref done, true);
        sampler.Join();
        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
        if (count != expected) { Console.WriteLine("read " + count); return 1; }
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0:0.0} {1:0.0} {2:0}",
            (peak - baseline) / 1048576.0, (managedPeak - managedBaseline) / 1048576.0, count / sw.Elapsed.TotalSeconds));
        return 0;
    }

    private void Memory()
    {
        var path = Path.Combine(_dir, "memory.db");
        using (var session = CimLiteSession.Open(path))
        {
            Workload.CreateSchema(session);
            const int chunk = 20_000;
            for (int from = 0; from < _memoryN; from += chunk)
            {
                using var batch = session.BeginPutBatch();
                var create = new PutOptions { Mode = PutMode.CreateOnly };
                for (int i = from; i < Math.Min(_memoryN, from + chunk); i++)
                    batch.Add(session.NewInstance(Workload.Leaf, Workload.Values(i)), create);
                batch.Commit();
            }
        }
        // Measured in a fresh process, so the baseline is not the heap this process grew while writing.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Bench).Assembly.Location);
        start.ArgumentList.Add("--measure-memory");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(_memoryN.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        if (child.ExitCode != 0 || output.Length != 3) throw new InvalidOperationException("memory measurement failed: " + string.Join(" ", output));
        double total = double.Parse(output[0], CultureInfo.InvariantCulture), managed = double.Parse(output[1], CultureInfo.InvariantCulture);
        double rate = double.Parse(output[2], CultureInfo.InvariantCulture);
        _report.Add(new Figure("memory.enumerate1M", total, "MB", null,
            $"peak working-set growth over a fresh process enumerating {_memoryN:N0} instances at {rate:N0}/s; managed heap peak growth {managed:N1} MB"));
    }
}
