using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using CimLite.Tests.Reliability;
using CimLite.Tests.TestUtilities;
using Shell = CimLite.Tests.TestUtilities.ShellProcess;

namespace CimLite.Tests
{
    /// <summary>
    /// The durable posted queue across processes (DESIGN §3): `cimlite -Command` processes on one repository file
    /// (CIMLITE_REPOSITORY), one posting, others receiving; and a reader killed while receiving.
    /// </summary>
    [Collection(ReliabilityCollection.Name)]
    [Trait("Category", "Reliability")]
    public sealed class MultiProcessPostedTests
    {
        private const int N = 500;
        private readonly ITestOutputHelper _output;

        public MultiProcessPostedTests(ITestOutputHelper output) { _output = output; }

        private const string CreateClass = "$null = New-CimLiteClass -ClassName MP_Evt -Indication -Property @{ Seq = 'uint32' }; 'ready'";

        private static readonly string Post =
            "foreach ($n in 1.." + N + ") { $null = New-CimLiteInstance MP_Evt @{ Seq = $n } }; 'posted'";

        // Prints each sequence as soon as it is received ([Console]::Out is not buffered by the host's formatter).
        private static string Receive(int want, int first, int sleepMs) => $$"""
            $got = 0
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while ($got -lt {{want}} -and $clock.Elapsed.TotalSeconds -lt 120) {
                foreach ($e in @(Receive-CimLitePosted MP_Evt -Wait -Timeout 2 -First {{first}})) {
                    [Console]::Out.WriteLine('seq ' + $e.Seq)
                    $got++
                    if ({{sleepMs}} -gt 0) { [System.Threading.Thread]::Sleep({{sleepMs}}) }
                }
            }
            [Console]::Out.WriteLine('done ' + $got)
            """;

        private static string NewRepository(out string dir)
        {
            dir = Path.Combine(Path.GetTempPath(), "cimlite-mp-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return Path.Combine(dir, "repository.db");
        }

        [Fact]
        public void TwoProcesses_PostAndReceive_AllExactlyOnce_InOrder()
        {
            var repository = NewRepository(out var dir);
            try
            {
                var setup = Shell.Run(repository, CreateClass);
                Assert.True(setup.ExitCode == 0, setup.StdErr);

                using var reader = Shell.Start(repository, Receive(N, 100, 0));
                using var poster = Shell.Start(repository, Post);
                var posted = poster.Finish(TimeSpan.FromSeconds(240));
                var received = reader.Finish(TimeSpan.FromSeconds(240));
                Assert.True(posted.ExitCode == 0, posted.StdErr);
                Assert.True(received.ExitCode == 0, received.StdErr);
                Assert.Equal("", posted.StdErr.Trim());

                var seqs = Sequences(received.Lines);
                Assert.Equal(Enumerable.Range(1, N), seqs);
                Assert.Contains("done " + N, received.Lines);

                var rest = Shell.Run(repository, "@(Receive-CimLitePosted MP_Evt).Count");
                Assert.Equal("0", rest.StdOut.Trim());
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        // A reader that prints each item inside the pipeline: Receive-CimLitePosted's WriteObject returns only after
        // the line is printed, and the call deletes what it delivered before it returns ('done').
        private static string PipelineReceive(int first, int sleepMs) => $$"""
            while ($true) {
                Receive-CimLitePosted MP_Evt -Wait -Timeout 2 -First {{first}} |
                    ForEach-Object { [Console]::Out.WriteLine('seq ' + $_.Seq); [System.Threading.Thread]::Sleep({{sleepMs}}) }
                [Console]::Out.WriteLine('done')
            }
            """;

        /// <summary>
        /// A reader killed while receiving loses nothing: each batch is leased, printed, and deleted only after the
        /// cmdlet's WriteObject returned for it. Its batches are small (-First 10) and it pauses after each printed
        /// item, so the kill usually lands while a batch is being printed: that batch stays leased to the dead process
        /// and the next reader takes it again. The assertion: printed and still-queued items together are all of 1..N;
        /// what is both printed and queued again is only the batch in flight (printed after the last 'done', at most
        /// one batch, right after the acknowledged ones). Each run's redelivered count is written to the test output.
        /// </summary>
        [Fact]
        public void ReaderKilledWhileReceiving_LosesNothing_RedeliversOnlyTheBatchInFlight()
        {
            const int batch = 10;
            int runsWithRedelivery = 0;
            for (int run = 1; run <= 3; run++)
            {
                var repository = NewRepository(out var dir);
                try
                {
                    Assert.Equal(0, Shell.Run(repository, CreateClass).ExitCode);
                    var posted = Shell.Run(repository, Post);
                    Assert.True(posted.ExitCode == 0, posted.StdErr);

                    using var reader = Shell.Start(repository, PipelineReceive(batch, 3));
                    Assert.True(reader.WaitForLines(l => l.StartsWith("seq ", StringComparison.Ordinal), 60 + run * 37, TimeSpan.FromSeconds(120)),
                        "reader printed too little: " + reader.StdErrSoFar);
                    reader.Kill();
                    var killed = reader.Finish(TimeSpan.FromSeconds(30));
                    var printed = Sequences(killed.Lines);
                    int lastDone = killed.Lines.LastIndexOf("done");
                    var acknowledged = Sequences(killed.Lines.Take(lastDone + 1));

                    var rest = Shell.Run(repository, "foreach ($e in @(Receive-CimLitePosted MP_Evt)) { 'seq ' + $e.Seq }");
                    Assert.True(rest.ExitCode == 0, rest.StdErr);
                    var remaining = Sequences(rest.Lines);

                    Assert.Equal(Enumerable.Range(1, printed.Count), printed);          // printed in order, from the start
                    Assert.Equal(remaining.OrderBy(x => x), remaining);                // the queue kept its order
                    Assert.Equal(Enumerable.Range(1, N), printed.Union(remaining).OrderBy(x => x)); // nothing lost
                    var again = printed.Intersect(remaining).ToList();
                    Assert.Empty(acknowledged.Intersect(remaining));                   // acknowledged: gone for good
                    Assert.True(again.Count <= batch, "more than one batch delivered again: " + string.Join(",", again));
                    if (again.Count > 0)
                    {
                        Assert.Equal(Enumerable.Range(acknowledged.Count + 1, again.Count), again); // the batch in flight
                        runsWithRedelivery++;
                    }

                    _output.WriteLine($"run {run}: printed {printed.Count} (acknowledged {acknowledged.Count}), still queued {remaining.Count}, printed and delivered again {again.Count}" +
                        (again.Count > 0 ? " [" + string.Join(",", again) + "]" : ""));
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            }

            _output.WriteLine($"runs where the kill fell between printing a batch and acknowledging it: {runsWithRedelivery} of 3");
        }

        private static List<int> Sequences(IEnumerable<string> lines) =>
            lines.Where(l => l.StartsWith("seq ", StringComparison.Ordinal)).Select(l => int.Parse(l.Substring(4), System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
