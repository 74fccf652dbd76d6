using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit;

namespace CimLite.Tests
{
    /// <summary>Runs bench/CimLite.Bench once with --quick so the bench keeps building and running. No timing assertions.</summary>
    public sealed class BenchSmokeTests
    {
        private static readonly string[] FigureNames =
        {
            "raw.insert", "raw.lookup", "raw.scan",
            "engine.bulkPut", "engine.bulkUpsert", "engine.singlePut", "engine.getByPath", "engine.enumerate", "engine.query",
            "engine.queryFilter", "engine.getBatch", "engine.partialUpdate",
            "engine.associators", "engine.associatorsScaling", "engine.postReceive",
            "cmdlet.pipelinePut", "cmdlet.enumerate", "cmdlet.pipelineFloor", // a cmdlet round after each engine round
            "engine.postDrain",
            "scale.bulkPut", "scale.getByPath",
            "memory.enumerate1M", "memory.pipelinePut1M",
            "concurrency.mixed4",
        };

        /// <summary>engine.mofImport is measured only where the DMTF schema is (CimSchemaLocation's rule, which the bench shares).</summary>
        private static string[] ExpectedFigures =>
            CimLite.Testing.CimSchemaLocation.RootFile == null ? FigureNames : FigureNames.Append("engine.mofImport").ToArray();

        [Fact]
        public async System.Threading.Tasks.Task Bench_quick_runs_and_writes_every_figure()
        {
            string bench = typeof(BenchSmokeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CimLiteBenchPath")?.Value ?? "";
            Assert.True(File.Exists(bench), "CimLite.Bench not built at " + bench);
            string json = Path.Combine(Path.GetTempPath(), "cimlite-bench-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add(bench);
                start.ArgumentList.Add("--quick");
                start.ArgumentList.Add("--json");
                start.ArgumentList.Add(json);
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                Assert.True(process.WaitForExit(180_000), "the bench did not finish");
                string output = await stdout, errors = await stderr;
                Assert.True(process.ExitCode == 0, "exit " + process.ExitCode + "\n" + output + "\n" + errors);
                Assert.Contains("| figure | value | unit | ratio to raw |", output);

                using var doc = JsonDocument.Parse(File.ReadAllText(json));
                Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("machine").ValueKind);
                var figures = doc.RootElement.GetProperty("figures").EnumerateArray().ToList();
                Assert.Equal(ExpectedFigures, figures.Select(f => f.GetProperty("name").GetString()).ToArray());
                if (CimLite.Testing.CimSchemaLocation.RootFile == null)
                    Assert.Contains("engine.mofImport: not measured (no DMTF schema; set CIMLITE_CIM_SCHEMA)", output);
                else
                    Assert.DoesNotContain("engine.mofImport: not measured", output);
                // The bulk-write figures are timed after an untimed first pass of the same work, whose rate their notes keep
                // (with the first passes' ratio where the figure has a counterpart); no other figure has one.
                foreach (var f in figures)
                {
                    string name = f.GetProperty("name").GetString()!, note = f.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                    if (name == "raw.insert") Assert.Matches(@"first pass \(untimed warm-up, same work, best of the rounds\) [0-9,]+/s$", note);
                    else if (name is "engine.bulkPut" or "cmdlet.pipelinePut") Assert.Matches(@"first pass .* [0-9,]+/s, [0-9.]+ × (raw\.insert|engine\.bulkPut)'s first pass$", note);
                    else Assert.DoesNotContain("first pass", note);
                }
                foreach (var f in figures)
                {
                    Assert.False(string.IsNullOrEmpty(f.GetProperty("unit").GetString()));
                    Assert.True(f.TryGetProperty("ratioToRaw", out _));
                    Assert.Equal(JsonValueKind.Number, f.GetProperty("value").ValueKind);
                }
            }
            finally
            {
                File.Delete(json);
            }
        }

        /// <summary>
        /// The PostgreSQL figures (issue 18 item 5): <c>--quick --only pg</c>, against the server CIMLITE_TEST_POSTGRES names
        /// (<c>--pg</c>) or a throwaway server the bench starts and stops itself. Nothing is run when there is neither a
        /// server nor the server binaries, unless CIMLITE_REQUIRE_POSTGRES=1. No timing assertions.
        /// </summary>
        [Fact]
        public async System.Threading.Tasks.Task Bench_quick_pg_writes_every_pg_figure_when_a_server_is_at_hand()
        {
            var given = Environment.GetEnvironmentVariable("CIMLITE_TEST_POSTGRES");
            bool binaries = Directory.Exists("/usr/lib/postgresql") && Directory.GetDirectories("/usr/lib/postgresql").Any(d => File.Exists(Path.Combine(d, "bin", "initdb")));
            if (string.IsNullOrEmpty(given) && !binaries && Environment.GetEnvironmentVariable("CIMLITE_REQUIRE_POSTGRES") != "1") return;
            string bench = typeof(BenchSmokeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CimLiteBenchPath")?.Value ?? "";
            Assert.True(File.Exists(bench), "CimLite.Bench not built at " + bench);
            string json = Path.Combine(Path.GetTempPath(), "cimlite-bench-pg-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in new[] { bench, "--quick", "--only", "pg", "--json", json }) start.ArgumentList.Add(a);
                if (!string.IsNullOrEmpty(given))
                {
                    start.ArgumentList.Add("--pg");
                    start.ArgumentList.Add(given);
                }
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                Assert.True(process.WaitForExit(180_000), "the bench did not finish");
                string output = await stdout, errors = await stderr;
                Assert.True(process.ExitCode == 0, "exit " + process.ExitCode + "\n" + output + "\n" + errors);
                using var doc = JsonDocument.Parse(File.ReadAllText(json));
                var figures = doc.RootElement.GetProperty("figures").EnumerateArray().ToList();
                Assert.Equal(new[] { "raw.pg.insert", "pg.bulkPut", "raw.pg.lookup", "pg.getByPath", "raw.pg.scan", "pg.enumerate", "pg.concurrent1", "pg.concurrent8" },
                    figures.Select(f => f.GetProperty("name").GetString()).ToArray());
                foreach (var f in figures)
                {
                    Assert.Equal(JsonValueKind.Number, f.GetProperty("value").ValueKind);
                    if (f.GetProperty("name").GetString()!.StartsWith("pg.", StringComparison.Ordinal) && f.GetProperty("name").GetString() != "pg.concurrent1")
                        Assert.Equal(JsonValueKind.Number, f.GetProperty("ratioToRaw").ValueKind);
                }
                Assert.Contains("postgres", doc.RootElement.GetProperty("machine").EnumerateObject().Select(p => p.Name));
            }
            finally
            {
                File.Delete(json);
            }
        }

        private static string DotnetHost()
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment)) return fromEnvironment;
            string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
            string candidate = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", exe));
            return File.Exists(candidate) ? candidate : exe;
        }
    }
}
