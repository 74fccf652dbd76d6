using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using Shell = CimLite.Tests.TestUtilities.ShellProcess;

namespace CimLite.Tests.Reliability
{
    /// <summary>
    /// Repository care under other processes (issue 16): backups taken while four `cimlite` processes write hold whole
    /// transactions only; a restore killed with SIGKILL at random moments leaves the old repository or the new one at the
    /// destination, byte for byte, never a mix.
    /// </summary>
    [Collection(ReliabilityCollection.Name)]
    [Trait("Category", "Reliability")]
    public sealed class RepositoryCareReliabilityTests : IDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
        private readonly ITestOutputHelper _output;
        private readonly string _dir;
        private readonly string _repository;

        public RepositoryCareReliabilityTests(ITestOutputHelper output)
        {
            _output = output;
            _dir = Path.Combine(Path.GetTempPath(), "cimlite-care-rel-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            _repository = Path.Combine(_dir, "repository.db");
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

        private const int Writers = 4;
        private const int PerBatch = 25;

        [Fact]
        public void Backups_taken_while_four_processes_write_hold_whole_transactions_only()
        {
            var setup = Shell.Run(_repository, "$null = New-CimLiteClass -ClassName CB_Row -Key Id -Property @{ Id = 'string'; Writer = 'uint32'; Batch = 'uint32'; Pad = 'string' }; 'ready'");
            Assert.True(setup.ExitCode == 0, setup.StdErr);
            var writers = new List<Shell>();
            try
            {
                for (int w = 0; w < Writers; w++)
                {
                    writers.Add(Shell.Start(_repository, $$"""
                        for ($b = 0; $true; $b++) {
                            0..{{PerBatch - 1}} | ForEach-Object { @{ Id = 'w{{w}}-' + $b + '-' + $_; Writer = [uint32]{{w}}; Batch = [uint32]$b; Pad = 'p' * 200 } } | Set-CimLiteInstance -ClassName CB_Row
                            [Console]::Out.WriteLine('ack ' + $b)
                        }
                        """));
                }
                foreach (var writer in writers)
                    Assert.True(writer.WaitForLines(l => l.StartsWith("ack ", StringComparison.Ordinal), 3, StartTimeout), "a writer did not start: " + writer.StdErrSoFar);

                var backups = Enumerable.Range(0, 3).Select(n => Path.Combine(_dir, "backup" + n + ".db")).ToList();
                var script = string.Concat(backups.Select(b => $$"""
                    $r = Backup-CimLiteRepository -Destination '{{b}}'
                    [Console]::Out.WriteLine('backup ' + $r.Instances)
                    Start-Sleep -Milliseconds 200

                    """)) + string.Concat(backups.Select((b, n) => $$"""
                    [Console]::Out.WriteLine('test {{n}} ' + (Test-CimLiteRepository -Path '{{b}}'))
                    $c = New-CimLiteSession -Path '{{b}}' -ReadOnly
                    Get-CimLiteInstance -Session $c -ClassName CB_Row | Group-Object Writer, Batch | ForEach-Object { [Console]::Out.WriteLine('group {{n}} ' + $_.Name.Replace(', ', ' ') + ' ' + $_.Count) }
                    Remove-CimLiteSession $c

                    """));
                var check = Shell.Run(_repository, script);
                Assert.True(check.ExitCode == 0, check.StdErr);
                Assert.True(check.StdErr.Trim().Length == 0, check.StdErr);
                for (int n = 0; n < backups.Count; n++)
                {
                    Assert.Contains("test " + n + " True", check.Lines);
                    var groups = check.Lines.Where(l => l.StartsWith("group " + n + " ", StringComparison.Ordinal))
                        .Select(l => l.Split(' ').Skip(2).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToList();
                    Assert.All(groups, g => Assert.True(g[2] == PerBatch, $"backup {n}: writer {g[0]} batch {g[1]} has {g[2]} of {PerBatch} rows"));
                    for (int w = 0; w < Writers; w++)
                    {
                        var batches = groups.Where(g => g[0] == w).Select(g => g[1]).OrderBy(b => b).ToList();
                        Assert.True(batches.Count >= 3, $"backup {n}: writer {w} has only {batches.Count} batches");
                        Assert.Equal(Enumerable.Range(0, batches.Count), batches); // each writer's batches are a prefix: no gaps
                    }
                    _output.WriteLine($"backup {n}: {groups.Count} whole batches of {PerBatch}");
                }
                var totals = check.Lines.Where(l => l.StartsWith("backup ", StringComparison.Ordinal)).Select(l => long.Parse(l.Substring(7), CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(3, totals.Count);
                Assert.True(totals[2] > totals[0], "the writers did not write between the backups: " + string.Join(",", totals));
            }
            finally
            {
                foreach (var writer in writers) { writer.Kill(); writer.Dispose(); }
            }
        }

        [Fact]
        public void A_restore_killed_at_random_moments_leaves_the_old_or_the_new_repository()
        {
            var backup = Path.Combine(_dir, "backup.db");
            // The new content (the backup) is large, so that the copy takes a while; the old one is small.
            var make = Shell.Run(_repository, $$"""
                $null = New-CimLiteClass -ClassName KR_Row -Key Id -Property @{ Id = 'uint32'; Text = 'string' }
                1..20000 | ForEach-Object { @{ Id = [uint32]$_; Text = 'n' * 500 } } | Set-CimLiteInstance -ClassName KR_Row
                $null = Backup-CimLiteRepository -Destination '{{backup}}'
                'made'
                """);
            Assert.True(make.ExitCode == 0 && make.Lines.Contains("made"), make.StdErr);
            foreach (var file in Directory.GetFiles(_dir, "repository.db*")) File.Delete(file);
            var small = Shell.Run(_repository, "$null = New-CimLiteClass -ClassName KR_Row -Key Id -Property @{ Id = 'uint32'; Text = 'string' }; 1..10 | ForEach-Object { @{ Id = [uint32]$_; Text = 'o' } } | Set-CimLiteInstance -ClassName KR_Row; $null = Optimize-CimLiteRepository; 'small'");
            Assert.True(small.ExitCode == 0 && small.Lines.Contains("small"), small.StdErr);
            var old = Path.Combine(_dir, "old.db");
            File.Copy(_repository, old);
            foreach (var companion in new[] { "-wal", "-shm" }) if (File.Exists(_repository + companion)) File.Delete(_repository + companion);
            string oldHash = Hash(old), newHash = Hash(backup);
            Assert.NotEqual(oldHash, newHash);

            const string Restore = "[Console]::Out.WriteLine('start'); $w = [Diagnostics.Stopwatch]::StartNew(); $null = Restore-CimLiteRepository -Path '{0}' -Destination '{1}'; [Console]::Out.WriteLine('restored ' + $w.ElapsedMilliseconds); Start-Sleep 30";
            var script = string.Format(CultureInfo.InvariantCulture, Restore, backup, _repository);
            // One whole restore first: how long it takes decides where the kills land.
            long duration;
            using (var full = Shell.Start(_repository, script))
            {
                Assert.True(full.WaitForLines(l => l.StartsWith("restored ", StringComparison.Ordinal), 1, StartTimeout), full.StdErrSoFar);
                duration = long.Parse(full.LinesSoFar.First(l => l.StartsWith("restored ", StringComparison.Ordinal)).Substring(9), CultureInfo.InvariantCulture);
                full.Kill();
            }
            Assert.Equal(newHash, Hash(_repository));

            var random = new Random();
            int sawOld = 0, sawNew = 0, leftovers = 0;
            const int Kills = 12;
            int kills = 0;
            void KillAfter(int delay)
            {
                int kill = kills++;
                // The kept file of the previous round, then the old repository again. A copy a kill interrupted stays: the
                // next restore removes it (nobody has it open any more).
                foreach (var leftover in Directory.GetFiles(_dir).Where(f => Path.GetFileName(f).StartsWith("repository.db.", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("repository.db.restoring-", StringComparison.Ordinal))) File.Delete(leftover);
                File.Copy(old, _repository, overwrite: true);
                using var shell = Shell.Start(_repository, script);
                Assert.True(shell.WaitForLines(l => l == "start", 1, StartTimeout), shell.StdErrSoFar);
                Thread.Sleep(delay);
                shell.Kill();
                shell.Finish(TimeSpan.FromSeconds(60));
                var hash = Hash(_repository);
                Assert.True(hash == oldHash || hash == newHash, $"kill {kill} after {delay} ms: the repository is neither the old nor the new one");
                Assert.False(File.Exists(_repository + "-wal") && new FileInfo(_repository + "-wal").Length > 0, "a log beside the restored file");
                if (hash == oldHash) sawOld++; else sawNew++;
                if (File.Exists(_repository + ".before-restore")) Assert.Equal(oldHash, Hash(_repository + ".before-restore"));
                int copies = Directory.GetFiles(_dir, "repository.db.restoring-*").Length;
                leftovers += copies;
                // Only the copy of this round's kill, and one of the round before when this kill landed before its cleanup.
                Assert.True(copies <= 2, $"kill {kill}: {copies} interrupted copies beside the repository; earlier ones were not cleaned up");
            }
            // Spread over the measured duration and a little past it.
            for (int kill = 0; kill < Kills; kill++) KillAfter((int)(duration * kill / (Kills - 2)) + random.Next(0, 5));
            // A loaded machine can make the killed restores slower than the measured one, so that no kill lands after the
            // rename: then later kills, each twice as late, until one does (a restore left alone ends in `duration`).
            for (int extra = 1; sawNew == 0 && extra <= 6; extra++) KillAfter((int)(duration * (1 << extra)) + random.Next(0, 5));
            for (int extra = 0; sawOld == 0 && extra < 3; extra++) KillAfter(random.Next(0, 5));
            // A whole restore removes every copy the kills left.
            File.Copy(old, _repository, overwrite: true);
            foreach (var leftover in Directory.GetFiles(_dir).Where(f => Path.GetFileName(f).StartsWith("repository.db.before-restore", StringComparison.Ordinal))) File.Delete(leftover);
            var last = Shell.Run(_repository, string.Format(CultureInfo.InvariantCulture, "$r = Restore-CimLiteRepository -Path '{0}' -Destination '{1}'; 'removed ' + $r.RemovedLeftovers.Count", backup, _repository));
            Assert.True(last.ExitCode == 0, last.StdErr);
            Assert.Empty(Directory.GetFiles(_dir, "repository.db.restoring-*"));
            Assert.Equal(newHash, Hash(_repository));
            var test = Shell.Run(_repository, $"Test-CimLiteRepository -Path '{_repository}'");
            Assert.Contains("True", test.Lines);
            _output.WriteLine($"restore of {new FileInfo(backup).Length} bytes takes {duration} ms; {kills} SIGKILLs: {sawOld} left the old repository, {sawNew} the new one; interrupted copies seen after kills: {leftovers}; {string.Join(" ", last.Lines)}");
            Assert.True(sawOld > 0 && sawNew > 0, $"the kills did not land on both sides of the rename (old {sawOld}, new {sawNew})");
        }
    }
}
