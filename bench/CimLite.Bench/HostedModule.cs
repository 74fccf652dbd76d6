using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CimLite.Bench;

/// <summary>A runspace with the published module (beside the bench, in CimLite/) imported, as a user would.</summary>
public sealed class HostedModule : IDisposable
{
    private readonly Runspace _runspace;

    public HostedModule()
    {
        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows()) iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        var manifest = Path.Combine(AppContext.BaseDirectory, "CimLite", "CimLite.psd1");
        Invoke("Import-Module -Name $m -ErrorAction Stop", ("m", manifest));
    }

    public Collection<PSObject> Invoke(string script, params (string Name, object? Value)[] variables)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        var output = ps.Invoke();
        if (ps.Streams.Error.Count > 0)
            throw new InvalidOperationException("The script wrote errors: " + string.Join("; ", ps.Streams.Error.Take(3).Select(e => e.ToString())));
        return output;
    }

    public void Dispose() => _runspace.Dispose();
}
