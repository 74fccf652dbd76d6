using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Pester;

/// <summary>One It as Pester counts it (one per test case of -TestCases/-ForEach), from Invoke-CimLitePester.ps1.</summary>
public sealed record PesterTest(
    IReadOnlyList<string> Path,
    IReadOnlyList<string> ExpandedPath,
    string File,
    int Line,
    string Result,
    string Message)
{
    /// <summary>Describe &gt; Context &gt; It, placeholders filled in.</summary>
    public string FullName => string.Join(" > ", ExpandedPath);

    public override string ToString() => $"[{Result}] {FullName} ({System.IO.Path.GetFileName(File)}:{Line})" +
        (string.IsNullOrEmpty(Message) ? string.Empty : Environment.NewLine + "    " + Message.Replace("\n", Environment.NewLine + "    ", StringComparison.Ordinal));
}

/// <summary>What one Pester run (or discovery) of some files reported.</summary>
public sealed class PesterRun
{
    public PesterRun(string pesterVersion, IReadOnlyList<PesterTest> tests, IReadOnlyList<string> problems)
    {
        PesterVersion = pesterVersion;
        Tests = tests;
        Problems = problems;
        Keys = KeysOf(tests);
    }

    /// <summary>The version of the Pester module that ran.</summary>
    public string PesterVersion { get; }

    /// <summary>Every It, in Pester's order.</summary>
    public IReadOnlyList<PesterTest> Tests { get; }

    /// <summary>What failed outside any It: a file that failed discovery, a failing BeforeAll or AfterAll.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The key (see <see cref="KeysOf"/>) of each of <see cref="Tests"/>, same order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The tests of one file, with their keys.</summary>
    public IEnumerable<(string Key, PesterTest Test)> InFile(string fileName) =>
        Keys.Zip(Tests).Where(t => string.Equals(System.IO.Path.GetFileName(t.Second.File), fileName, StringComparison.Ordinal));

    public int Count(string result) => Tests.Count(t => t.Result == result);

    public override string ToString() =>
        $"Pester {PesterVersion}: {Count("Passed")} passed, {Count("Failed")} failed, {Count("Skipped")} skipped, " +
        $"{Tests.Count(t => t.Result is not ("Passed" or "Failed" or "Skipped"))} other" +
        Environment.NewLine + string.Join(Environment.NewLine, Tests.Select(t => t.ToString()).Concat(Problems.Select(p => "[problem] " + p)));

    /// <summary>
    /// A name for each It that is the same at discovery and at run time: the block and It names as written
    /// (data-driven names are expanded only when they run), numbered " #2", " #3" when a file has several
    /// Its of one such name (the cases of -TestCases/-ForEach, in Pester's order).
    /// </summary>
    private static List<string> KeysOf(IReadOnlyList<PesterTest> tests)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var test in tests)
        {
            var name = string.Join(" > ", test.Path);
            var count = seen.TryGetValue(test.File + "|" + name, out var n) ? n + 1 : 1;
            seen[test.File + "|" + name] = count;
            keys.Add(count == 1 ? name : $"{name} #{count}");
        }

        return keys;
    }
}

/// <summary>
/// Runs Pester files under the real Pester modules restored from NuGet (the Pester package's tools/ folder),
/// each run in its own CimLite.PesterHost process (a runspace hosted on the PowerShell SDK): Pester.dll of two
/// versions cannot be loaded into one process, and a file's process-wide changes (environment variables)
/// stay in its process. Discovery, and each file's run under each version, happen once and are cached.
/// </summary>
public static class RealPester
{
    private static readonly Lazy<IReadOnlyDictionary<string, PesterRun>> Discovered = new(DiscoverAll);
    private static readonly ConcurrentDictionary<(string Version, string File), Lazy<PesterRun>> Runs = new();

    /// <summary>The Pester file that needs a PostgreSQL server, and the variable that gives it one.</summary>
    private const string PostgresFile = "CimLite.Postgres.Tests.ps1";
    private const string PostgresVariable = "CIMLITE_PESTER_POSTGRES";

    /// <summary>The Pester versions the files run under (CimLitePesterVersions in the test project).</summary>
    public static IReadOnlyList<string> Versions => Metadata("CimLitePesterVersions").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>tests/Pester.</summary>
    public static string PesterFolder => System.IO.Path.Combine(RepositoryPaths.Root, "tests", "Pester");

    /// <summary>The tests/Pester/*.Tests.ps1 file names, sorted.</summary>
    public static IReadOnlyList<string> FileNames => Directory.EnumerateFiles(PesterFolder, "*.Tests.ps1")
        .Select(f => System.IO.Path.GetFileName(f)).OrderBy(f => f, StringComparer.Ordinal).ToList();

    /// <summary>Pester.psd1 of <paramref name="version"/> in the NuGet packages folder.</summary>
    public static string PesterManifest(string version)
    {
        var path = System.IO.Path.Combine(Metadata("NuGetPackageRoot"), "pester", version, "tools", "Pester.psd1");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Pester {version} is not restored (expected {path}); run dotnet restore.", path);
        return path;
    }

    /// <summary>Pester's discovery of every file under <paramref name="version"/> (no It runs).</summary>
    public static PesterRun Discovery(string version) =>
        Discovered.Value.TryGetValue(version, out var run) ? run : throw new ArgumentException("Not a configured Pester version: " + version, nameof(version));

    /// <summary>The run of tests/Pester/<paramref name="fileName"/> under <paramref name="version"/> (done once).</summary>
    public static PesterRun RunFile(string version, string fileName) =>
        Runs.GetOrAdd((version, fileName), key => new Lazy<PesterRun>(() =>
            Invoke(key.Version, new[] { System.IO.Path.Combine(PesterFolder, key.File) }, HostedRunspace.ManifestPath, discoverOnly: false))).Value;

    /// <summary>
    /// Runs CimLite.PesterHost: Pester <paramref name="version"/> on <paramref name="files"/>, with the CimLite
    /// module at <paramref name="moduleManifest"/> imported first (when given). Throws when the host fails.
    /// </summary>
    public static PesterRun Invoke(string version, IEnumerable<string> files, string? moduleManifest, bool discoverOnly)
    {
        var resultFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimlite-pester-" + Guid.NewGuid().ToString("N") + ".json");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = PesterFolder,
        };
        start.ArgumentList.Add(Metadata("CimLitePesterHostPath"));
        start.ArgumentList.Add("-PesterManifest");
        start.ArgumentList.Add(PesterManifest(version));
        foreach (var file in files)
        {
            start.ArgumentList.Add("-Path");
            start.ArgumentList.Add(file);
        }

        start.ArgumentList.Add("-ResultFile");
        start.ArgumentList.Add(resultFile);
        if (moduleManifest != null)
        {
            start.ArgumentList.Add("-ModuleManifest");
            start.ArgumentList.Add(moduleManifest);
        }

        if (discoverOnly)
            start.ArgumentList.Add("-DiscoverOnly");
        start.Environment["NO_COLOR"] = "1";
        // CimLite.Postgres.Tests.ps1 runs on this process's PostgreSQL server (issue 18; it skips without one).
        if (!discoverOnly && files.Any(f => System.IO.Path.GetFileName(f) == PostgresFile) && CimLite.Testing.PostgresServer.ShouldTest)
            start.Environment[PostgresVariable] = CimLite.Testing.PostgresServer.Shared.ConnectionString;

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("CimLite.PesterHost did not start.");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Pester {version} did not finish {string.Join(", ", files)} within 10 minutes.");
            }

            Task.WaitAll(stdout, stderr);
            if (process.ExitCode != 0 || !File.Exists(resultFile))
                throw new InvalidOperationException($"CimLite.PesterHost (Pester {version}) exited with {process.ExitCode}:{Environment.NewLine}{stderr.Result}{stdout.Result}");
            return Parse(File.ReadAllText(resultFile));
        }
        finally
        {
            File.Delete(resultFile);
        }
    }

    private static PesterRun Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        static IReadOnlyList<string> Strings(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Array => e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? string.Empty : x.ToString()).ToList(),
            JsonValueKind.Null or JsonValueKind.Undefined => Array.Empty<string>(),
            _ => new[] { e.ToString() },
        };
        static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : string.Empty;

        var tests = new List<PesterTest>();
        if (root.TryGetProperty("Tests", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in array.EnumerateArray())
            {
                tests.Add(new PesterTest(
                    Strings(t.GetProperty("Path")),
                    Strings(t.GetProperty("ExpandedPath")),
                    Text(t, "File"),
                    t.TryGetProperty("Line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : 0,
                    Text(t, "Result"),
                    Text(t, "Message")));
            }
        }

        return new PesterRun(Text(root, "PesterVersion"), tests, root.TryGetProperty("Problems", out var p) ? Strings(p) : Array.Empty<string>());
    }

    private static IReadOnlyDictionary<string, PesterRun> DiscoverAll()
    {
        var files = FileNames.Select(f => System.IO.Path.Combine(PesterFolder, f)).ToList();
        var tasks = Versions.ToDictionary(v => v, v => Task.Run(() => Invoke(v, files, moduleManifest: null, discoverOnly: true)));
        return tasks.ToDictionary(t => t.Key, t => t.Value.GetAwaiter().GetResult());
    }

    private static string Metadata(string key)
    {
        var value = typeof(RealPester).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
            throw new InvalidOperationException($"Assembly metadata {key} is missing (set by CimLite.Module.Tests.csproj).");
        return value;
    }

    /// <summary>The dotnet executable running this test process (DOTNET_HOST_PATH, else beside the runtime).</summary>
    private static string DotnetHost()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
            return fromEnvironment;
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
