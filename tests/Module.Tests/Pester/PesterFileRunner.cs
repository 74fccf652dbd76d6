using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace CimLite.Tests.Pester;

/// <summary>Outcome of one Pester <c>It</c>.</summary>
public enum PesterOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>Result of one <c>It</c> (or a synthetic entry for a failing AfterAll / discovery).</summary>
public sealed record PesterTestResult(
    IReadOnlyList<string> Path,
    PesterOutcome Outcome,
    string? Message,
    string? File,
    int Line,
    string? StackTrace)
{
    /// <summary>The It name (placeholders expanded).</summary>
    public string Name => Path.Count == 0 ? string.Empty : Path[^1];

    /// <summary>Describe &gt; Context &gt; It.</summary>
    public string FullName => string.Join(" > ", Path);

    public override string ToString()
    {
        var where = File is null ? string.Empty : $" ({System.IO.Path.GetFileName(File)}:{Line})";
        return Outcome == PesterOutcome.Failed
            ? $"[-] {FullName}{where}{Environment.NewLine}    {Message?.Replace("\n", Environment.NewLine + "    ", StringComparison.Ordinal)}"
            : $"[{(Outcome == PesterOutcome.Passed ? "+" : "!")}] {FullName}";
    }
}

/// <summary>All results of one test file.</summary>
public sealed class PesterFileResult
{
    public PesterFileResult(string filePath, IReadOnlyList<PesterTestResult> tests, IReadOnlyList<string> hostErrors)
    {
        FilePath = filePath;
        Tests = tests;
        HostErrors = hostErrors;
    }

    public string FilePath { get; }

    public IReadOnlyList<PesterTestResult> Tests { get; }

    /// <summary>Non-terminating errors written to the host pipeline's error stream (informational).</summary>
    public IReadOnlyList<string> HostErrors { get; }

    public IEnumerable<PesterTestResult> Passed => Tests.Where(t => t.Outcome == PesterOutcome.Passed);

    public IEnumerable<PesterTestResult> Failed => Tests.Where(t => t.Outcome == PesterOutcome.Failed);

    public IEnumerable<PesterTestResult> Skipped => Tests.Where(t => t.Outcome == PesterOutcome.Skipped);

    public PesterTestResult Single(string fullName) => Tests.Single(t => t.FullName == fullName);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(FilePath).Append(": ")
          .Append(Passed.Count()).Append(" passed, ")
          .Append(Failed.Count()).Append(" failed, ")
          .Append(Skipped.Count()).AppendLine(" skipped");
        foreach (var t in Tests)
        {
            sb.AppendLine(t.ToString());
        }

        foreach (var e in HostErrors)
        {
            sb.Append("[host error] ").AppendLine(e);
        }

        return sb.ToString();
    }
}

/// <summary>Options for <see cref="PesterFileRunner.Run(string, PesterRunOptions?)"/>.</summary>
public sealed class PesterRunOptions
{
    /// <summary>Module paths or names imported (global scope) before the file runs, e.g. the built CimLite.psd1.</summary>
    public IList<string> ModulesToImport { get; } = new List<string>();

    /// <summary>Global variables defined before the file runs.</summary>
    public IDictionary<string, object?> Variables { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Called with the opened runspace before anything else runs in it.</summary>
    public Action<Runspace>? Prepare { get; set; }

    /// <summary>Called on the session state before the runspace is opened.</summary>
    public Action<InitialSessionState>? ConfigureSessionState { get; set; }
}

/// <summary>
/// Runs one Pester 5 file (<c>*.Tests.ps1</c>) in a fresh runspace with the Pester subset of DESIGN.md section 7
/// (<c>Pester/PesterSubset.psm1</c>, copied to the output folder).
/// </summary>
public static class PesterFileRunner
{
    private const string RunScript =
        "param($__psubPath) " +
        "Invoke-PesterSubset -Path $__psubPath -Bridge { param($__psubCallback, $__psubArg) " +
        "if ($__psubCallback -is [string]) { & $__psubCallback } " +
        "else { & $__psubCallback $__psubArg $ExecutionContext.SessionState } }";

    /// <summary>Path of PesterSubset.psm1 next to the test assembly.</summary>
    public static string SubsetModulePath => System.IO.Path.Combine(AppContext.BaseDirectory, "Pester", "PesterSubset.psm1");

    public static PesterFileResult Run(string testFile, PesterRunOptions? options = null)
    {
        options ??= new PesterRunOptions();
        var fullPath = System.IO.Path.GetFullPath(testFile);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException("Pester test file not found.", fullPath);
        }

        if (!File.Exists(SubsetModulePath))
        {
            throw new FileNotFoundException("PesterSubset.psm1 was not copied to the output folder.", SubsetModulePath);
        }

        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        foreach (var kv in options.Variables)
        {
            iss.Variables.Add(new SessionStateVariableEntry(kv.Key, kv.Value, description: null));
        }

        options.ConfigureSessionState?.Invoke(iss);

        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        options.Prepare?.Invoke(runspace);

        foreach (var module in options.ModulesToImport.Append(SubsetModulePath))
        {
            using var import = PowerShell.Create();
            import.Runspace = runspace;
            import.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("Force").AddParameter("ErrorAction", "Stop");
            import.Invoke();
        }

        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(RunScript).AddArgument(fullPath);
        Collection<PSObject> output = ps.Invoke();

        var results = new List<PesterTestResult>();
        foreach (var item in output)
        {
            if (item?.BaseObject is null)
            {
                continue;
            }

            results.Add(ToResult(item));
        }

        var errors = ps.Streams.Error.Select(e => e.ToString()).ToList();
        return new PesterFileResult(fullPath, results, errors);
    }

    private static PesterTestResult ToResult(PSObject item)
    {
        object? Get(string name)
        {
            var value = item.Properties[name]?.Value;
            return value is PSObject pso ? pso.BaseObject : value;
        }

        var path = new List<string>();
        if (Get("Path") is IEnumerable seq and not string)
        {
            foreach (var p in seq)
            {
                path.Add((p is PSObject po ? po.BaseObject : p)?.ToString() ?? string.Empty);
            }
        }
        else if (Get("Path") is string single)
        {
            path.Add(single);
        }

        var outcome = Enum.Parse<PesterOutcome>(Get("Result")?.ToString() ?? nameof(PesterOutcome.Failed), ignoreCase: true);
        var line = Get("Line") is { } l ? Convert.ToInt32(l, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new PesterTestResult(
            path,
            outcome,
            NullIfEmpty(Get("Message")?.ToString()),
            NullIfEmpty(Get("File")?.ToString()),
            line,
            NullIfEmpty(Get("StackTrace")?.ToString()));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
