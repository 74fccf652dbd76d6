using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using Shell = CimLite.Tests.TestUtilities.ShellProcess;

namespace CimLite.Tests.Reliability
{
    /// <summary>
    /// Issue 6, crash: `cimlite -Command` processes that write (single puts, a bulk pipeline put) or receive from the
    /// posted queue are killed with SIGKILL at random moments, many times over ONE repository per scenario, so kills
    /// also land during WAL recovery and checkpoints of the previous kill. After each kill the next process opens the
    /// repository, runs PRAGMA integrity_check (through the module's own Microsoft.Data.Sqlite, read-only) and checks
    /// what the killed process acknowledged; a last process checks everything.
    ///
    /// What "acknowledged" means here: a line the killed process printed after the cmdlet returned. For a single
    /// put that is after Set-CimLiteInstance committed; for a bulk pipeline put it is the -PassThru output of the
    /// item, which the cmdlet writes only after the batch (one transaction of up to 1000 puts) holding the item
    /// committed; for Receive-CimLitePosted it is the item reaching the end of the pipeline.
    /// </summary>
    [Collection(ReliabilityCollection.Name)]
    [Trait("Category", "Reliability")]
    public sealed class CrashTests : IDisposable
    {
        private const int Kills = 30;
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
        private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

        private readonly ITestOutputHelper _output;
        private readonly string _dir;
        private readonly string _repository;
        private readonly Random _random;
        private readonly int _seed;

        public CrashTests(ITestOutputHelper output)
        {
            _output = output;
            _dir = Path.Combine(Path.GetTempPath(), "cimlite-crash-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            _repository = Path.Combine(_dir, "repository.db");
            _seed = Environment.TickCount;
            _random = new Random(_seed);
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        // ---- scripts ----

        /// <summary>Opens the file with the module's SQLite, read-only, before any session does, and prints the integrity check.</summary>
        private const string IntegrityCheck = """
            $null = [System.Reflection.Assembly]::LoadFrom((Join-Path (Get-Module CimLite).ModuleBase 'Microsoft.Data.Sqlite.dll'))
            $c = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=' + $env:CIMLITE_REPOSITORY + ';Mode=ReadOnly;Pooling=False')
            $c.Open()
            $q = $c.CreateCommand()
            $q.CommandText = 'PRAGMA integrity_check'
            [Console]::Out.WriteLine('integrity ' + $q.ExecuteScalar())
            $c.Dispose()

            """;

        /// <summary>
        /// Checks the instances of <paramref name="className"/> with Id in [from, to] (read through the engine): prints each
        /// one whose values do not all come from one put ("mixed"), the acknowledged keys in [from, ackTo] that are
        /// missing, and how many instances the range holds and the highest Id.
        /// </summary>
        private static string InstanceCheck(string className, IEnumerable<(long From, long AckTo, long To)> ranges) =>
            "$ranges = [System.Collections.Generic.List[object]]::new()\n"
            + string.Concat(ranges.Select(r => $"$ranges.Add(@({r.From}, {r.AckTo}, {r.To}))\n")) + $$"""
            foreach ($r in $ranges) {
                $have = [System.Collections.Generic.HashSet[uint32]]::new()
                $max = 0
                foreach ($i in Get-CimLiteInstance -ClassName {{className}} -Filter ('Id >= ' + $r[0] + ' AND Id <= ' + $r[2])) {
                    $n = [uint64]$i.Seq
                    if ($i.Id -ne $n -or $i.Text -cne (('v' + $n) * 5) -or $i.Sum -ne $n * 7) {
                        [Console]::Out.WriteLine('mixed ' + $i.Id + ' ' + $i.Seq + ' ' + $i.Text + ' ' + $i.Sum)
                    }
                    [void]$have.Add([uint32]$i.Id)
                    if ($i.Id -gt $max) { $max = $i.Id }
                }
                if ($r[1] -ge $r[0]) {
                    foreach ($k in $r[0]..$r[1]) { if (-not $have.Contains([uint32]$k)) { [Console]::Out.WriteLine('missing ' + $k) } }
                }
                [Console]::Out.WriteLine('range ' + $r[0] + ' count ' + $have.Count + ' max ' + $max)
            }
            [Console]::Out.WriteLine('checked')

            """;

        private const string ItemClass = "$null = New-CimLiteClass -ClassName {0} -Key Id -Property @{{ Id = 'uint32'; Seq = 'uint32'; Text = 'string'; Sum = 'uint64' }}; 'ready'";

        // ---- helpers ----

        private static List<long> Numbers(IEnumerable<string> lines, string prefix) =>
            lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))
                 .Select(l => long.Parse(l.Substring(prefix.Length + 1), CultureInfo.InvariantCulture)).ToList();

        /// <summary>Waits for the first acknowledgement, then a random moment, then SIGKILL. Returns the killed process's lines.</summary>
        private List<string> RunAndKill(string script, string ackPrefix, int maxDelayMs, out int delayMs)
        {
            using var shell = Shell.Start(_repository, script);
            bool acked = shell.WaitForLines(l => l.StartsWith(ackPrefix + " ", StringComparison.Ordinal), 1, StartTimeout);
            Assert.True(acked, "no acknowledgement before the kill; stdout: " + string.Join(" | ", shell.LinesSoFar.Take(20)) + "; stderr: " + shell.StdErrSoFar);
            delayMs = _random.Next(0, maxDelayMs + 1);
            Thread.Sleep(delayMs);
            shell.Kill();
            var result = shell.Finish(ExitTimeout);
            // 128 + SIGKILL: the process was running (its loop never ends) and died by the kill, not by an error.
            Assert.True(result.ExitCode == 137, "exit code " + result.ExitCode + "; stderr: " + result.StdErr);
            Assert.True(result.StdErr.Trim().Length == 0, "the killed process wrote errors: " + result.StdErr);
            return result.Lines;
        }

        private static void AssertIntegrity(List<string> lines, string stage)
        {
            Assert.True(lines.Contains("integrity ok"), stage + ": integrity check not ok: " + string.Join(" | ", lines.Where(l => l.StartsWith("integrity", StringComparison.Ordinal))));
        }

        /// <summary>The check's verdict for each range: count and max per range; fails on any mixed or missing instance.</summary>
        private static List<(long Count, long Max)> AssertChecked(List<string> lines, string stage)
        {
            Assert.True(lines.Contains("checked"), stage + ": the check did not complete: " + string.Join(" | ", lines.Take(20)));
            var mixed = lines.Where(l => l.StartsWith("mixed ", StringComparison.Ordinal)).ToList();
            Assert.True(mixed.Count == 0, stage + ": instances mixing two puts: " + string.Join(" | ", mixed.Take(10)));
            var missing = Numbers(lines, "missing");
            Assert.True(missing.Count == 0, stage + ": acknowledged puts missing: " + string.Join(",", missing.Take(20)) + (missing.Count > 20 ? $" (+{missing.Count - 20})" : ""));
            return lines.Where(l => l.StartsWith("range ", StringComparison.Ordinal)).Select(l =>
            {
                var parts = l.Split(' ');
                return (long.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[5], CultureInfo.InvariantCulture));
            }).ToList();
        }

        private static void AssertAcknowledgedInOrder(List<long> acked, long from, string stage)
        {
            Assert.Equal(Enumerable.Range(0, acked.Count).Select(i => from + i), acked);
        }

        // ---- (a) single puts ----

        [Fact]
        public void Single_puts_killed_at_random_moments_keep_every_acknowledged_put_whole()
        {
            const string cls = "CR_Item";
            var setup = Shell.Run(_repository, string.Format(CultureInfo.InvariantCulture, ItemClass, cls));
            Assert.True(setup.ExitCode == 0, setup.StdErr);

            var runs = new List<(long From, long AckTo, long To)>();
            long totalAcked = 0, committedUnacked = 0, delays = 0;
            for (int kill = 1; kill <= Kills; kill++)
            {
                long from = kill * 100_000L;
                var script = IntegrityCheck
                    + (runs.Count > 0 ? InstanceCheck(cls, new[] { runs[^1] }) : "")
                    + $$"""
                    for ($n = {{from}}; $true; $n++) {
                        Set-CimLiteInstance -ClassName {{cls}} -Property @{ Id = [uint32]$n; Seq = [uint32]$n; Text = ('v' + $n) * 5; Sum = [uint64]$n * 7 }
                        [Console]::Out.WriteLine('ack ' + $n)
                    }
                    """;
                var lines = RunAndKill(script, "ack", 400, out int delay);
                delays += delay;
                AssertIntegrity(lines, $"kill {kill}");
                if (runs.Count > 0)
                {
                    var (count, max) = AssertChecked(lines, $"after kill {kill - 1}").Single();
                    var previous = runs[^1];
                    // The previous run's puts form a prefix of its range: its acknowledged ones, plus at most the one
                    // put that committed before the process could print it.
                    Assert.Equal(max - previous.From + 1, count);
                    Assert.InRange(max, previous.AckTo, previous.AckTo + 1);
                    committedUnacked += max - previous.AckTo;
                }
                var acked = Numbers(lines, "ack");
                AssertAcknowledgedInOrder(acked, from, $"kill {kill}");
                totalAcked += acked.Count;
                runs.Add((from, acked[^1], from + 99_999));
            }

            var final = Shell.Run(_repository, IntegrityCheck + InstanceCheck(cls, runs));
            Assert.True(final.ExitCode == 0, final.StdErr);
            AssertIntegrity(final.Lines, "final");
            var verdicts = AssertChecked(final.Lines, "final");
            Assert.Equal(Kills, verdicts.Count);
            for (int i = 0; i < Kills; i++)
            {
                Assert.Equal(verdicts[i].Max - runs[i].From + 1, verdicts[i].Count);
                Assert.InRange(verdicts[i].Max, runs[i].AckTo, runs[i].AckTo + 1);
            }
            if (verdicts.Count > 0) committedUnacked += verdicts[^1].Max - runs[^1].AckTo;
            _output.WriteLine($"single puts: {Kills} SIGKILLs (seed {_seed}, mean delay after first ack {delays / Kills} ms), {totalAcked} acknowledged puts all present and whole, " +
                $"{verdicts.Sum(v => v.Count)} instances, {committedUnacked} committed but killed before printing");
        }

        // ---- (b) bulk pipeline put ----

        [Fact]
        public void Bulk_pipeline_puts_killed_at_random_moments_keep_every_acknowledged_batch_whole()
        {
            const string cls = "CR_Bulk";
            const int chunk = 1500; // one pipeline: a batch of 1000 puts (one transaction), then one of 500
            var setup = Shell.Run(_repository, string.Format(CultureInfo.InvariantCulture, ItemClass, cls));
            Assert.True(setup.ExitCode == 0, setup.StdErr);

            var runs = new List<(long From, long AckTo, long To)>();
            long totalAcked = 0, committedUnacked = 0, delays = 0;
            // Whole batches only: a range holds k pipelines of 1500, plus possibly the first batch (1000) of the next.
            static bool WholeBatches(long count) => count % chunk == 0 || count % chunk == 1000;
            for (int kill = 1; kill <= Kills; kill++)
            {
                long from = kill * 1_000_000L;
                var script = IntegrityCheck
                    + (runs.Count > 0 ? InstanceCheck(cls, new[] { runs[^1] }) : "")
                    + $$"""
                    for ($base = {{from}}; $true; $base += {{chunk}}) {
                        $base..($base + {{chunk - 1}}) | ForEach-Object { @{ Id = [uint32]$_; Seq = [uint32]$_; Text = ('v' + $_) * 5; Sum = [uint64]$_ * 7 } } |
                            Set-CimLiteInstance -ClassName {{cls}} -PassThru |
                            ForEach-Object { [Console]::Out.WriteLine('ack ' + $_.Id) }
                    }
                    """;
                var lines = RunAndKill(script, "ack", 500, out int delay);
                delays += delay;
                AssertIntegrity(lines, $"kill {kill}");
                if (runs.Count > 0)
                {
                    var (count, max) = AssertChecked(lines, $"after kill {kill - 1}").Single();
                    var previous = runs[^1];
                    Assert.Equal(max - previous.From + 1, count);                      // a prefix of the range
                    Assert.True(WholeBatches(count), $"after kill {kill - 1}: {count} puts stored, not whole batches");
                    Assert.True(max >= previous.AckTo);
                    committedUnacked += max - previous.AckTo;
                }
                var acked = Numbers(lines, "ack");
                AssertAcknowledgedInOrder(acked, from, $"kill {kill}");
                totalAcked += acked.Count;
                runs.Add((from, acked[^1], from + 999_999));
            }

            var final = Shell.Run(_repository, IntegrityCheck + InstanceCheck(cls, runs));
            Assert.True(final.ExitCode == 0, final.StdErr);
            AssertIntegrity(final.Lines, "final");
            var verdicts = AssertChecked(final.Lines, "final");
            Assert.Equal(Kills, verdicts.Count);
            for (int i = 0; i < Kills; i++)
            {
                Assert.Equal(verdicts[i].Max - runs[i].From + 1, verdicts[i].Count);
                Assert.True(WholeBatches(verdicts[i].Count), $"run {i + 1}: {verdicts[i].Count} puts stored, not whole batches");
            }
            committedUnacked += verdicts[^1].Max - runs[^1].AckTo;
            _output.WriteLine($"bulk pipeline puts: {Kills} SIGKILLs (seed {_seed}, mean delay after first ack {delays / Kills} ms), {totalAcked} acknowledged puts all present and whole, " +
                $"{verdicts.Sum(v => v.Count)} instances (whole batches only), {committedUnacked} committed but killed before printing");
        }

        // ---- (c) Receive-CimLitePosted ----

        /// <summary>A run's printed sequence as ranges (e.g. "61-80,81-95").</summary>
        private static string Describe(List<long> seqs)
        {
            var parts = new List<string>();
            for (int i = 0; i < seqs.Count;)
            {
                int j = i;
                while (j + 1 < seqs.Count && seqs[j + 1] == seqs[j] + 1) j++;
                parts.Add(i == j ? seqs[i].ToString(CultureInfo.InvariantCulture) : seqs[i] + "-" + seqs[j]);
                i = j + 1;
            }
            return parts.Count == 0 ? "(none)" : string.Join(",", parts);
        }

        [Fact]
        public void Readers_killed_at_random_moments_lose_nothing_they_received()
        {
            const int batch = 20;       // -First: one lease per Receive-CimLitePosted call
            const int initial = 1500;
            const int topUp = 500;
            var setup = Shell.Run(_repository, "$null = New-CimLiteClass -ClassName CR_Evt -Indication -Property @{ Seq = 'uint32' }; " +
                $"foreach ($n in 1..{initial}) {{ $null = New-CimLiteInstance CR_Evt @{{ Seq = $n }} }}; 'posted'");
            Assert.True(setup.ExitCode == 0 && setup.Lines.Contains("posted"), setup.StdErr);
            long posted = initial;

            var printedPerRun = new List<List<long>>();
            var distinct = new HashSet<long>();
            var acknowledged = new HashSet<long>();   // printed before its Receive-CimLitePosted call returned ('done')
            var inFlight = new HashSet<long>();       // printed by a killed reader after its last 'done': may come again
            long delays = 0, duplicates = 0, maxDuplicatesInRun = 0;

            // Checks one reader's output: in posting order, nothing twice, and what comes again is only what a killed
            // reader had printed but not acknowledged (its lease was reclaimed), at most one batch, and first.
            List<long> Account(List<string> lines, string stage)
            {
                var printed = Numbers(lines, "seq");
                Assert.Equal(printed.OrderBy(x => x), printed);
                Assert.Equal(printed.Count, printed.Distinct().Count());
                var again = printed.Where(distinct.Contains).ToList();
                Assert.True(again.All(inFlight.Contains), $"{stage}: delivered again although acknowledged or never in flight: {string.Join(",", again.Where(a => !inFlight.Contains(a)))}; "
                    + "runs so far: " + string.Join("; ", printedPerRun.Select((p, i) => $"{i + 1}: {Describe(p)}")) + $"; this run: {Describe(printed)}");
                Assert.True(again.Count <= batch, $"{stage}: more than one batch delivered again: {again.Count}");
                Assert.Equal(again, printed.Take(again.Count));
                Assert.True(!again.Any(acknowledged.Contains), $"{stage}: an acknowledged item came again");
                duplicates += again.Count;
                maxDuplicatesInRun = Math.Max(maxDuplicatesInRun, again.Count);
                var pending = new List<long>();
                foreach (var line in lines)
                {
                    if (line.StartsWith("seq ", StringComparison.Ordinal)) pending.Add(long.Parse(line.Substring(4), CultureInfo.InvariantCulture));
                    else if (line == "done")
                    {
                        foreach (var a in pending) { acknowledged.Add(a); inFlight.Remove(a); }
                        pending.Clear();
                    }
                }
                foreach (var a in pending) inFlight.Add(a);
                foreach (var a in printed) distinct.Add(a);
                return printed;
            }

            for (int kill = 1; kill <= Kills; kill++)
            {
                // Keep the queue from running dry: the reader tops it up itself when fewer than 300 are queued (a
                // peek), numbering on from what was posted so far, and says so before it starts receiving.
                string post = $$"""
                    if (@(Receive-CimLitePosted CR_Evt -Keep -First 300).Count -lt 300) {
                        foreach ($n in {{posted + 1}}..{{posted + topUp}}) { $null = New-CimLiteInstance CR_Evt @{ Seq = $n } }
                        [Console]::Out.WriteLine('posted {{posted + topUp}}')
                    }

                    """;
                // 'done' after each call: the call returned, so it has deleted what it delivered.
                var script = IntegrityCheck + post + $$"""
                    while ($true) {
                        Receive-CimLitePosted CR_Evt -First {{batch}} -Wait -Timeout 1 |
                            ForEach-Object { [Console]::Out.WriteLine('seq ' + $_.Seq); [System.Threading.Thread]::Sleep(3) }
                        [Console]::Out.WriteLine('done')
                    }
                    """;
                var lines = RunAndKill(script, "seq", 400, out int delay);
                delays += delay;
                AssertIntegrity(lines, $"kill {kill}");
                if (lines.Contains("posted " + (posted + topUp))) posted += topUp;
                printedPerRun.Add(Account(lines, $"kill {kill}"));
            }
            int inFlightAtLastKill = inFlight.Count;

            // Drain what is left (no kill), then peek: the queue must be empty.
            var drain = Shell.Run(_repository, IntegrityCheck + """
                while ($true) {
                    $got = 0
                    Receive-CimLitePosted CR_Evt -First 500 | ForEach-Object { [Console]::Out.WriteLine('seq ' + $_.Seq); $got++ }
                    [Console]::Out.WriteLine('done')
                    if ($got -eq 0) { break }
                }
                [Console]::Out.WriteLine('left ' + @(Receive-CimLitePosted CR_Evt -Keep).Count)
                """);
            Assert.True(drain.ExitCode == 0, drain.StdErr);
            AssertIntegrity(drain.Lines, "drain");
            Assert.Contains("left 0", drain.Lines);
            var drained = Account(drain.Lines, "drain");

            // Nothing received-and-lost: every posted indication was printed by some reader.
            var lost = Enumerable.Range(1, (int)posted).Select(n => (long)n).Where(n => !distinct.Contains(n)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} posted indications never printed (received and lost): {string.Join(",", lost.Take(40))}");
            Assert.Equal(posted, distinct.Count);

            long printedByKilled = printedPerRun.Sum(p => p.Count);
            _output.WriteLine($"receive: {Kills} SIGKILLs of readers (seed {_seed}, mean delay after first item {delays / Kills} ms), {posted} posted, " +
                $"{printedByKilled} printed by killed readers, {drained.Count} by the final drain, none lost; {duplicates} delivered twice " +
                $"(at most {maxDuplicatesInRun} after one kill, batch size {batch}; {inFlightAtLastKill} printed but unacknowledged after the last kill)");
        }
    }
}
