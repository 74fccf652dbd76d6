using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CimLite.Tests.TestUtilities;
using Xunit;
using Xunit.Abstractions;

namespace CimLite.Tests.Reliability
{
    /// <summary>
    /// Issue 6, concurrency: 4 `cimlite -Command` processes × 5,000 mixed operations (full puts, partial updates,
    /// gets, deletes, indications posted and received without -Keep) on one repository file. No busy/locked error
    /// may reach a process (every one runs with $ErrorActionPreference = 'Stop', so any error ends it on stderr),
    /// no update may be lost, and every acknowledged write must be found at the end, every posted indication
    /// received exactly once.
    /// </summary>
    /// <remarks>
    /// Lost updates are checked without relying on a (non-atomic) get-then-put across processes: every process
    /// only partial-updates its own property (C0..C3) of five shared instances, which all four processes update at
    /// the same time. Before each update it reads the instance back and checks that its own property still holds
    /// the value it last wrote there (nobody else writes it, so any other value is a lost or overwritten update),
    /// and at the end each property must equal that process's final value.
    /// </remarks>
    [Collection(ReliabilityCollection.Name)]
    [Trait("Category", "Reliability")]
    public sealed class ConcurrencyTests : IDisposable
    {
        private const int Processes = 4;
        private const int Operations = 5000;
        private const int SharedInstances = 5;

        private readonly ITestOutputHelper _output;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-concurrency-" + Guid.NewGuid().ToString("N"));

        public ConcurrencyTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        private static readonly string Setup = $$"""
            $ErrorActionPreference = 'Stop'
            $null = New-CimLiteClass CC_Item -Key Id -Property @{ Id = 'string'; V = 'uint32' }
            $null = New-CimLiteClass CC_Own -Key Id -Property @{ Id = 'string'; Count = 'uint32' }
            $null = New-CimLiteClass CC_Shared -Key Id -Property @{ Id = 'string'; C0 = 'uint32'; C1 = 'uint32'; C2 = 'uint32'; C3 = 'uint32' }
            $null = New-CimLiteClass CC_Evt -Indication -Property @{ From = 'uint32'; Seq = 'uint32' }
            foreach ($p in 0..{{Processes - 1}}) { $null = Set-CimLiteInstance CC_Own @{ Id = "p$p"; Count = 0 } }
            foreach ($j in 0..{{SharedInstances - 1}}) { $null = Set-CimLiteInstance CC_Shared @{ Id = "s$j"; C0 = 0; C1 = 0; C2 = 0; C3 = 0 } }
            'ready'
            """;

        /// <summary>
        /// The worker: one engine call per operation, in a cycle of ten. What it acknowledges (an operation that
        /// returned without error) is collected and printed at the end, one fact a line.
        /// </summary>
        private static string Worker(int p, int operations) => $$"""
            $ErrorActionPreference = 'Stop'
            $p = {{p}}
            $own = 0
            $last = [int[]]::new({{SharedInstances}})
            $out = [System.Text.StringBuilder]::new()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt {{operations}}; $i++) {
                $j = [int][Math]::Floor($i / 10) % {{SharedInstances}}
                switch ($i % 10) {
                    0 { $null = Set-CimLiteInstance CC_Item @{ Id = "$p-$i"; V = $i }; $null = $out.AppendLine("put $p-$i $i") }
                    1 {
                        $got = Get-CimLiteInstance -Path ('CC_Item.Id="' + $p + '-' + ($i - 1) + '"')
                        if ($got.V -ne ($i - 1)) { $null = $out.AppendLine("BAD get $p-$($i - 1) $($got.V)") }
                    }
                    2 {
                        $s = Get-CimLiteInstance -Path "CC_Shared.Id=`"s$j`""
                        if ($s."C$p" -ne $last[$j]) { $null = $out.AppendLine("LOST s$j C$p has $($s."C$p") expected $($last[$j])") }
                    }
                    3 { $null = Set-CimLiteInstance CC_Shared -Key @{ Id = "s$j" } -Property @{ "C$p" = $last[$j] + 1 }; $last[$j]++ }
                    4 { $null = Set-CimLiteInstance CC_Own -Key @{ Id = "p$p" } -Property @{ Count = $own + 1 }; $own++ }
                    5 { Remove-CimLiteInstance -Path ('CC_Item.Id="' + $p + '-' + ($i - 5) + '"'); $null = $out.AppendLine("deleted $p-$($i - 5)") }
                    6 { $null = New-CimLiteInstance CC_Evt @{ From = $p; Seq = $i }; $null = $out.AppendLine("posted $p $i") }
                    7 { foreach ($e in Receive-CimLitePosted CC_Evt -First 3) { $null = $out.AppendLine("recv $($e.From) $($e.Seq)") } }
                    8 { $null = Set-CimLiteInstance CC_Item @{ Id = "$p-$i"; V = $i }; $null = $out.AppendLine("put $p-$i $i") }
                    9 { $null = New-CimLiteInstance CC_Evt @{ From = $p; Seq = $i }; $null = $out.AppendLine("posted $p $i") }
                }
            }
            $null = $out.AppendLine("own $own")
            foreach ($k in 0..{{SharedInstances - 1}}) { $null = $out.AppendLine("shared s$k $($last[$k])") }
            $null = $out.AppendLine("ops {{operations}} ms $($clock.ElapsedMilliseconds)")
            [Console]::Out.Write($out.ToString())
            """;

        // After every worker ended: the whole state, and the rest of the queue drained (also without -Keep).
        private const string Verify = """
            $ErrorActionPreference = 'Stop'
            foreach ($x in Get-CimLiteInstance CC_Item) { [Console]::Out.WriteLine('item ' + $x.Id + ' ' + $x.V) }
            foreach ($x in Get-CimLiteInstance CC_Own) { [Console]::Out.WriteLine('own ' + $x.Id + ' ' + $x.Count) }
            foreach ($x in Get-CimLiteInstance CC_Shared) { [Console]::Out.WriteLine('shared ' + $x.Id + ' ' + $x.C0 + ' ' + $x.C1 + ' ' + $x.C2 + ' ' + $x.C3) }
            do {
                $batch = @(Receive-CimLitePosted CC_Evt -First 1000)
                foreach ($e in $batch) { [Console]::Out.WriteLine('recv ' + $e.From + ' ' + $e.Seq) }
            } while ($batch.Count -gt 0)
            [Console]::Out.WriteLine('verified')
            """;

        [Fact]
        public void Four_processes_times_5000_mixed_operations_on_one_file_lose_nothing_and_never_see_busy()
        {
            var repository = Path.Combine(_dir, "repository.db");
            var setup = ShellProcess.Run(repository, Setup);
            Assert.True(setup.ExitCode == 0 && setup.Lines.Contains("ready"), "setup failed: " + setup.StdErr);

            var total = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Processes).Select(p => ShellProcess.Start(repository, Worker(p, Operations))).ToList();
            var results = new List<ShellResult>();
            try
            {
                foreach (var w in workers) results.Add(w.Finish(TimeSpan.FromMinutes(8)));
            }
            finally
            {
                foreach (var w in workers) w.Dispose();
            }
            total.Stop();

            for (int p = 0; p < Processes; p++)
            {
                var r = results[p];
                Assert.True(r.StdErr.Length == 0, $"process {p} wrote to stderr (exit {r.ExitCode}): {r.StdErr}");
                Assert.True(r.ExitCode == 0, $"process {p} exited with {r.ExitCode}");
                Assert.DoesNotContain(r.Lines, l => l.StartsWith("LOST", StringComparison.Ordinal) || l.StartsWith("BAD", StringComparison.Ordinal));
                var ms = r.Lines.Single(l => l.StartsWith("ops ", StringComparison.Ordinal)).Split(' ')[3];
                _output.WriteLine($"process {p}: {Operations} operations in {ms} ms ({Operations * 1000.0 / double.Parse(ms, CultureInfo.InvariantCulture):F0} ops/s)");
            }
            _output.WriteLine($"all {Processes} processes: {Processes * Operations} operations in {total.Elapsed.TotalSeconds:F1} s wall clock, process start included ({Processes * Operations / total.Elapsed.TotalSeconds:F0} ops/s)");

            var verify = ShellProcess.Run(repository, Verify);
            Assert.True(verify.ExitCode == 0 && verify.StdErr.Length == 0 && verify.Lines.Contains("verified"), "verify failed: " + verify.StdErr);

            // Every acknowledged put is there with its value, every acknowledged delete is gone, nothing else exists.
            var expectedItems = new Dictionary<string, string>();
            foreach (var line in results.SelectMany(r => r.Lines))
            {
                var parts = line.Split(' ');
                if (parts[0] == "put") expectedItems[parts[1]] = parts[2];
            }
            foreach (var line in results.SelectMany(r => r.Lines))
            {
                var parts = line.Split(' ');
                if (parts[0] == "deleted") Assert.True(expectedItems.Remove(parts[1]), "deleted an item never put: " + parts[1]);
            }
            var items = verify.Lines.Where(l => l.StartsWith("item ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(x => x[1], x => x[2]);
            Assert.Equal(Processes * Operations / 10, expectedItems.Count);
            Assert.Equal(expectedItems.OrderBy(x => x.Key, StringComparer.Ordinal), items.OrderBy(x => x.Key, StringComparer.Ordinal));

            // No lost update: each process's own counter and its own column of every shared instance hold its final values.
            for (int p = 0; p < Processes; p++)
            {
                var lines = results[p].Lines;
                Assert.Contains($"own p{p} " + lines.Single(l => l.StartsWith("own ", StringComparison.Ordinal)).Split(' ')[1], verify.Lines);
                Assert.Equal(Operations / 10, int.Parse(lines.Single(l => l.StartsWith("own ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture));
                int sum = 0;
                foreach (var shared in lines.Where(l => l.StartsWith("shared ", StringComparison.Ordinal)).Select(l => l.Split(' ')))
                {
                    var stored = verify.Lines.Single(l => l.StartsWith("shared " + shared[1] + " ", StringComparison.Ordinal)).Split(' ');
                    Assert.True(stored[2 + p] == shared[2], $"{shared[1]}.C{p} is {stored[2 + p]}, process {p} last wrote {shared[2]}");
                    sum += int.Parse(shared[2], CultureInfo.InvariantCulture);
                }
                Assert.Equal(Operations / 10, sum);
            }

            // Every posted indication received exactly once, by the workers or the final drain.
            var posted = results.SelectMany(r => r.Lines).Where(l => l.StartsWith("posted ", StringComparison.Ordinal)).Select(l => l.Substring(7)).ToList();
            var received = results.SelectMany(r => r.Lines).Concat(verify.Lines).Where(l => l.StartsWith("recv ", StringComparison.Ordinal)).Select(l => l.Substring(5)).ToList();
            Assert.Equal(Processes * Operations / 5, posted.Count);
            var duplicates = received.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, "received more than once: " + string.Join(", ", duplicates.Take(10)));
            Assert.Equal(posted.OrderBy(x => x, StringComparer.Ordinal), received.OrderBy(x => x, StringComparer.Ordinal));
            var byWorkers = results.Sum(r => r.Lines.Count(l => l.StartsWith("recv ", StringComparison.Ordinal)));
            _output.WriteLine($"items kept {items.Count}, indications posted {posted.Count}, received by workers {byWorkers}, by the final drain {received.Count - byWorkers}");
        }
    }
}
