using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace CimLite.Bench;

/// <summary>
/// The no-op cmdlet of cmdlet.pipelineFloor (and the consumer of cmdlet.enumerate): takes every object from the
/// pipeline and does nothing with it but count; the count is its one output, at the end.
/// </summary>
[Cmdlet(VerbsData.Out, "BenchNull")]
public sealed class OutBenchNullCommand : PSCmdlet
{
    private long _count;

    /// <summary>The objects to drop.</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => _count++;

    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(_count);
}

/// <summary>
/// memory.pipelinePut1M's generator: writes <see cref="Count"/> hashtables (<see cref="Workload.Values"/>) to the
/// pipeline one at a time, made as they are asked for (nothing is held).
/// </summary>
[Cmdlet(VerbsCommon.New, "BenchHashtable")]
public sealed class NewBenchHashtableCommand : PSCmdlet
{
    /// <summary>How many.</summary>
    [Parameter(Mandatory = true)]
    public int Count { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        for (int i = 0; i < Count; i++) WriteObject(Workload.Values(i));
    }
}

/// <summary>Samples this process's peak working set and managed heap while something runs (memory figures).</summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _done;
    private long _peak, _managedPeak;

    public long Baseline { get; }
    public long ManagedBaseline { get; }

    public PeakSampler()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Baseline = _peak = process.WorkingSet64;
        ManagedBaseline = _managedPeak = GC.GetTotalMemory(false);
        _thread = new Thread(() =>
        {
            using var p = Process.GetCurrentProcess();
            while (!_done)
            {
                Sample(p);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    private void Sample(Process p)
    {
        p.Refresh();
        long ws = p.WorkingSet64, managed = GC.GetTotalMemory(false);
        if (ws > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, ws);
        if (managed > Interlocked.Read(ref _managedPeak)) Interlocked.Exchange(ref _managedPeak, managed);
    }

    /// <summary>Peak working-set growth over the baseline, in MB.</summary>
    public double GrowthMB => (Interlocked.Read(ref _peak) - Baseline) / 1048576.0;

    /// <summary>Peak managed-heap growth over the baseline, in MB.</summary>
    public double ManagedGrowthMB => (Interlocked.Read(ref _managedPeak) - ManagedBaseline) / 1048576.0;

    public void Dispose()
    {
        _done = true;
        _thread.Join();
        using var p = Process.GetCurrentProcess();
        Sample(p);
    }
}

public sealed partial class Bench
{
    /// <summary>
    /// The cmdlet figures (issue 17), in a runspace with the published module imported, one round after each round of
    /// the engine figures they are compared with (so that both are measured under the same machine conditions and
    /// heap), best of the rounds:
    /// <list type="bullet">
    /// <item>cmdlet.pipelinePut: N prebuilt hashtables piped into <c>Set-CimLiteInstance -ClassName</c> (a new file each round);</item>
    /// <item>cmdlet.enumerate: <c>Get-CimLiteInstance -ClassName</c> (deep, from the base class) into the no-op cmdlet;</item>
    /// <item>cmdlet.pipelineFloor: the same N hashtables piped into the no-op cmdlet: what the host's pipeline costs
    /// alone, so the ceiling of both figures above.</item>
    /// </list>
    /// The note of cmdlet.enumerate also gives the rate into a script block (<c>&amp; { process { … } }</c>, the
    /// figure's consumer before issue 17); <see cref="CmdletsDone"/> adds it after the last round.
    /// </summary>
    private void CmdletRound(int round)
    {
        // One runspace for every round (a runspace's first large pipeline is slower: round 1 warms it), the hashtables
        // for this round only, so that the engine round after it runs with the heap the engine rounds always had.
        var items = new List<Hashtable>(_n);
        for (int i = 0; i < _n; i++) items.Add(Workload.Values(i));
        if (_cmdletHost == null)
        {
            _cmdletHost = new HostedModule();
            _cmdletHost.Invoke("Import-Module -Assembly $a -ErrorAction Stop", ("a", typeof(OutBenchNullCommand).Assembly));
        }
        var host = _cmdletHost;
        var path = Path.Combine(_dir, $"cmdlets-{round}.db");
        using (var session = CimLiteSession.Open(path)) Workload.CreateSchema(session);
        host.Invoke("$global:s = New-CimLiteSession -Path $p", ("p", path));
        if (round == 1)
        {
            // Warm up every measured path (JIT, module caches), then settle the heap.
            var warm = items.GetRange(0, Math.Min(2_000, _n)).ConvertAll(h => (Hashtable)h.Clone());
            host.Invoke("$w | Set-CimLiteInstance -Session $s -ClassName Bench_Leaf; $null = Get-CimLiteInstance -Session $s -ClassName Bench_Leaf | Out-BenchNull; " +
                "$null = $w | Out-BenchNull; Get-CimLiteInstance -Session $s -ClassName Bench_Leaf | Remove-CimLiteInstance -Session $s", ("w", warm));
        }
        // The same pipeline into a scratch file first, outside the timing (WarmPass, as engine.bulkPut has), then timed.
        WarmPass("cmdlet.pipelinePut", $"cmdlets-{round}-warm.db", scratch =>
        {
            using (var session = CimLiteSession.Open(scratch)) Workload.CreateSchema(session);
            host.Invoke("$global:ws = New-CimLiteSession -Path $p", ("p", scratch));
            Settle();
            var first = Stopwatch.StartNew();
            host.Invoke("$items | Set-CimLiteInstance -Session $ws -ClassName Bench_Leaf", ("items", items));
            first.Stop();
            host.Invoke("$ws | Remove-CimLiteSession; $global:ws = $null");
            return Rate(_n, first);
        });
        Settle();
        long allocated = GC.GetTotalAllocatedBytes(), gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        long faults = MinorFaults(), committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var sw = Stopwatch.StartNew();
        host.Invoke("$items | Set-CimLiteInstance -Session $s -ClassName Bench_Leaf", ("items", items));
        sw.Stop();
        if (Environment.GetEnvironmentVariable("CIMLITE_BENCH_GC") == "1")
            Console.Error.WriteLine($"  gc: {(GC.GetTotalAllocatedBytes() - allocated) / _n:N0} bytes/item, gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:N0} of {sw.ElapsedMilliseconds} ms, minor faults {MinorFaults() - faults:N0}, committed {GC.GetGCMemoryInfo().TotalCommittedBytes >> 20} MB (was {committed >> 20}), heap {GC.GetGCMemoryInfo().HeapSizeBytes >> 20} MB");
        _report.Add(new Figure("cmdlet.pipelinePut", Rate(_n, sw), "instances/s", "engine.bulkPut",
            "prebuilt hashtables piped into Set-CimLiteInstance -ClassName (new file); target ≥ 0.6 × engine.bulkPut"));

        Settle();
        sw.Restart();
        host.Invoke("$global:c = [ref]0; Get-CimLiteInstance -Session $s -ClassName Bench_Base | & { process { $c.Value++ } }");
        sw.Stop();
        _scriptBlockRate = Math.Max(_scriptBlockRate, Rate(_n, sw));

        Settle();
        sw.Restart();
        var n = host.Invoke("Get-CimLiteInstance -Session $s -ClassName Bench_Base | Out-BenchNull");
        sw.Stop();
        if (Convert.ToInt64(n[0].BaseObject, CultureInfo.InvariantCulture) != _n) throw new InvalidOperationException("cmdlet.enumerate read " + n[0]);
        _report.Add(new Figure("cmdlet.enumerate", Rate(_n, sw), "instances/s", "engine.enumerate",
            "Get-CimLiteInstance -ClassName (deep) into a no-op cmdlet; target ≥ 0.4 × engine.enumerate"));

        Settle();
        sw.Restart();
        n = host.Invoke("$items | Out-BenchNull", ("items", items));
        sw.Stop();
        if (Convert.ToInt64(n[0].BaseObject, CultureInfo.InvariantCulture) != _n) throw new InvalidOperationException("cmdlet.pipelineFloor carried " + n[0]);
        _report.Add(new Figure("cmdlet.pipelineFloor", Rate(_n, sw), "objects/s", null,
            "prebuilt objects piped into a no-op cmdlet in the same host: the ceiling of cmdlet.enumerate and cmdlet.pipelinePut"));
        host.Invoke("$s | Remove-CimLiteSession; $global:items = $null; $global:w = $null");
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }

    /// <summary>This process's minor page faults so far (Linux; 0 elsewhere): a diagnostic of CIMLITE_BENCH_GC=1.</summary>
    internal static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            return long.Parse(stat.Substring(stat.LastIndexOf(')') + 2).Split(' ')[7], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    private HostedModule? _cmdletHost;
    private double _scriptBlockRate;

    /// <summary>After the last cmdlet round: the script block rate into cmdlet.enumerate's note, the runspace let go.</summary>
    private void CmdletsDone()
    {
        _cmdletHost?.Dispose();
        _cmdletHost = null;
        var enumerate = _report.Figures.Find(f => f.Name == "cmdlet.enumerate");
        if (enumerate == null) return;
        var at = _report.Figures.IndexOf(enumerate);
        _report.Figures[at] = enumerate with
        {
            Note = enumerate.Note + string.Create(CultureInfo.InvariantCulture, $"; into a script block (& {{ process {{ $c.Value++ }} }}) {_scriptBlockRate:N0}/s"),
        };
    }

    // ---------------------------------------------------------------- memory.pipelinePut1M

    /// <summary>
    /// The child side of memory.pipelinePut1M: in a fresh process, memory N hashtables made one by one by a cmdlet
    /// (New-BenchHashtable) and piped into Set-CimLiteInstance; prints "growthMB managedGrowthMB rate".
    /// </summary>
    public static int MeasurePipelinePutChild(string path, int count)
    {
        using var host = new HostedModule();
        host.Invoke("Import-Module -Assembly $a -ErrorAction Stop; $global:s = New-CimLiteSession -Path $p", ("a", typeof(NewBenchHashtableCommand).Assembly), ("p", path));
        // JIT the path with one instance outside the measured keys.
        host.Invoke("@{ Id = 'warm-up' } | Set-CimLiteInstance -Session $s -ClassName Bench_Leaf");
        Settle();
        var sw = Stopwatch.StartNew();
        double growth, managed;
        using (var sampler = new PeakSampler())
        {
            host.Invoke("New-BenchHashtable -Count $n | Set-CimLiteInstance -Session $s -ClassName Bench_Leaf", ("n", count));
            sw.Stop();
            sampler.Dispose();
            growth = sampler.GrowthMB;
            managed = sampler.ManagedGrowthMB;
        }
        host.Invoke("$s | Remove-CimLiteSession; $global:items = $null; $global:w = $null");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0:0.0} {1:0.0} {2:0}", growth, managed, count / sw.Elapsed.TotalSeconds));
        return 0;
    }

    private ProcessStartInfo ChildProcess(params string[] arguments)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Bench).Assembly.Location);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private void MemoryPipelinePut()
    {
        var path = Path.Combine(_dir, "memory-pipeline.db");
        using (var session = CimLiteSession.Open(path)) Workload.CreateSchema(session);
        SqliteConnection.ClearAllPools();
        using var child = Process.Start(ChildProcess("--measure-pipeline-put", path, _memoryN.ToString(CultureInfo.InvariantCulture)))!;
        child.StandardInput.Close();
        var output = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        if (child.ExitCode != 0 || output.Length != 3) throw new InvalidOperationException("memory.pipelinePut1M failed: " + string.Join(" ", output));
        long stored = 0;
        using (var session = CimLiteSession.Open(path))
            foreach (var _ in session.EnumerateInstances(Workload.Leaf, keysOnly: true)) stored++;
        if (stored != _memoryN + 1) throw new InvalidOperationException("memory.pipelinePut1M stored " + stored);
        double total = double.Parse(output[0], CultureInfo.InvariantCulture), managed = double.Parse(output[1], CultureInfo.InvariantCulture);
        double rate = double.Parse(output[2], CultureInfo.InvariantCulture);
        _report.Add(new Figure("memory.pipelinePut1M", total, "MB", null,
            $"peak working-set growth of a fresh process piping {_memoryN:N0} hashtables made one by one by a cmdlet into Set-CimLiteInstance at {rate:N0}/s; managed heap peak growth {managed:N1} MB; target ≤ 150 MB"));
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }

    // ---------------------------------------------------------------- concurrency.mixed4

    private const int MixedShared = 5;

    private const string MixedSetup = """
        $ErrorActionPreference = 'Stop'
        $s = New-CimLiteSession -Path $p
        $null = New-CimLiteClass -Session $s CC_Item -Key Id -Property @{ Id = 'string'; V = 'uint32' }
        $null = New-CimLiteClass -Session $s CC_Own -Key Id -Property @{ Id = 'string'; Count = 'uint32' }
        $null = New-CimLiteClass -Session $s CC_Shared -Key Id -Property @{ Id = 'string'; C0 = 'uint32'; C1 = 'uint32'; C2 = 'uint32'; C3 = 'uint32' }
        $null = New-CimLiteClass -Session $s CC_Evt -Indication -Property @{ From = 'uint32'; Seq = 'uint32' }
        foreach ($p in 0..3) { $null = Set-CimLiteInstance -Session $s CC_Own @{ Id = "p$p"; Count = 0 } }
        foreach ($j in 0..4) { $null = Set-CimLiteInstance -Session $s CC_Shared @{ Id = "s$j"; C0 = 0; C1 = 0; C2 = 0; C3 = 0 } }
        $s | Remove-CimLiteSession
        """;

    /// <summary>
    /// The mixed cycle of the reliability test (tests/Module.Tests/Reliability/ConcurrencyTests.cs): full puts, gets,
    /// partial updates of shared and own instances, deletes, indications posted and received; every operation its
    /// own durable transaction on the default repository ($env:CIMLITE_REPOSITORY). A lost update or a bad read is
    /// an error (the run fails).
    /// </summary>
    private const string MixedWorker = """
        $ErrorActionPreference = 'Stop'
        function global:Invoke-Mixed([int]$p, [int]$from, [int]$to) {
            for ($i = $from; $i -lt $to; $i++) {
                $j = [int][Math]::Floor($i / 10) % 5
                switch ($i % 10) {
                    0 { $null = Set-CimLiteInstance CC_Item @{ Id = "$p-$i"; V = $i } }
                    1 {
                        $got = Get-CimLiteInstance -Path ('CC_Item.Id="' + $p + '-' + ($i - 1) + '"')
                        if ($got.V -ne ($i - 1)) { throw "BAD get $p-$($i - 1) $($got.V)" }
                    }
                    2 {
                        $s = Get-CimLiteInstance -Path "CC_Shared.Id=`"s$j`""
                        if ($s."C$p" -ne $global:last[$j]) { throw "LOST s$j C$p has $($s."C$p") expected $($global:last[$j])" }
                    }
                    3 { $null = Set-CimLiteInstance CC_Shared -Key @{ Id = "s$j" } -Property @{ "C$p" = $global:last[$j] + 1 }; $global:last[$j]++ }
                    4 { $null = Set-CimLiteInstance CC_Own -Key @{ Id = "p$p" } -Property @{ Count = $global:own + 1 }; $global:own++ }
                    5 { Remove-CimLiteInstance -Path ('CC_Item.Id="' + $p + '-' + ($i - 5) + '"') }
                    6 { $null = New-CimLiteInstance CC_Evt @{ From = $p; Seq = $i } }
                    7 { $null = Receive-CimLitePosted CC_Evt -First 3 }
                    8 { $null = Set-CimLiteInstance CC_Item @{ Id = "$p-$i"; V = $i } }
                    9 { $null = New-CimLiteInstance CC_Evt @{ From = $p; Seq = $i } }
                }
            }
        }
        $global:own = 0
        $global:last = [int[]]::new(5)
        """;

    /// <summary>
    /// The child side of concurrency.mixed4: process <paramref name="p"/> runs a warm-up cycle of 20 operations, says
    /// "ready", waits for a line on stdin, runs <paramref name="operations"/> more and prints "done startTicks endTicks".
    /// </summary>
    public static int MixedWorkerChild(int p, int operations)
    {
        using var host = new HostedModule();
        host.Invoke(MixedWorker);
        host.Invoke("Invoke-Mixed $p 0 20", ("p", p));
        Console.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadLine();
        long start = DateTime.UtcNow.Ticks;
        host.Invoke("Invoke-Mixed $p 20 $to", ("p", p), ("to", 20 + operations));
        long end = DateTime.UtcNow.Ticks;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {start} {end}"));
        return 0;
    }

    /// <summary>Starts the workers, releases them together once all are ready, and returns the wall time of their measured parts.</summary>
    private TimeSpan RunMixed(string path, int processes, int operations)
    {
        var children = new List<Process>();
        try
        {
            for (int p = 0; p < processes; p++)
            {
                var start = ChildProcess("--mixed-worker", p.ToString(CultureInfo.InvariantCulture), operations.ToString(CultureInfo.InvariantCulture));
                start.Environment["CIMLITE_REPOSITORY"] = path;
                children.Add(Process.Start(start)!);
            }
            foreach (var c in children)
                if (c.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException("concurrency.mixed4: a worker failed to start");
            foreach (var c in children) c.StandardInput.WriteLine("go");
            foreach (var c in children) c.StandardInput.Flush();
            long first = long.MaxValue, last = 0;
            foreach (var c in children)
            {
                var line = c.StandardOutput.ReadToEnd().Trim();
                c.WaitForExit();
                var parts = line.Split(' ');
                if (c.ExitCode != 0 || parts.Length != 3 || parts[0] != "done") throw new InvalidOperationException("concurrency.mixed4: a worker failed: " + line);
                first = Math.Min(first, long.Parse(parts[1], CultureInfo.InvariantCulture));
                last = Math.Max(last, long.Parse(parts[2], CultureInfo.InvariantCulture));
            }
            return TimeSpan.FromTicks(last - first);
        }
        finally
        {
            foreach (var c in children)
            {
                if (!c.HasExited) c.Kill();
                c.Dispose();
            }
        }
    }

    /// <summary>
    /// concurrency.mixed4: 4 processes × <see cref="MixedOperations"/> operations of the reliability test's mixed
    /// cycle on one file, in operations per second of wall time (each process warmed up first, all released
    /// together); the note gives one process doing all 4 × that work alone, and the ratio of the two rates.
    /// </summary>
    private void ConcurrencyMixed()
    {
        string Fresh(string name)
        {
            var path = Path.Combine(_dir, name);
            using var host = new HostedModule();
            host.Invoke(MixedSetup, ("p", path));
            return path;
        }
        int ops = MixedOperations;
        var four = RunMixed(Fresh("mixed4.db"), 4, ops);
        var one = RunMixed(Fresh("mixed1.db"), 1, 4 * ops);
        double rate4 = 4 * ops / four.TotalSeconds, rate1 = 4 * ops / one.TotalSeconds;
        _report.Add(new Figure("concurrency.mixed4", rate4, "ops/s", null, string.Create(CultureInfo.InvariantCulture,
            $"4 processes × {ops:N0} mixed operations (each durable) on one file in {four.TotalSeconds:0.0} s; one process doing the {4 * ops:N0} alone: {rate1:N0} ops/s in {one.TotalSeconds:0.0} s; ratio {rate4 / rate1:0.00}")));
        SqliteConnection.ClearAllPools();
    }

    /// <summary>concurrency.mixed4: operations per process.</summary>
    public int MixedOperations { get; init; } = 500;
}
