using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CimLite.PesterHost;

/// <summary>
/// <c>CimLite.PesterHost &lt;arguments of Invoke-CimLitePester.ps1&gt;</c>: runs that script (beside this
/// assembly) in a fresh runspace with the SDK's default session state, like <c>pwsh -NoProfile -File</c>.
/// The script's errors go to standard error; the exit code is 0 only when it wrote none.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Invoke-CimLitePester.ps1");
        // Setting InitialSessionState.ExecutionPolicy throws on Linux; on Windows a hosted runspace would
        // otherwise refuse the unsigned Pester and CimLite scripts.
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable("PSExecutionPolicyPreference", "Bypass");
        }

        var iss = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand(script);
        // pwsh -File style: "-Name value" binds a parameter, "-Name" alone a switch; a repeated name binds an array.
        var named = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<string>>(StringComparer.OrdinalIgnoreCase);
        var order = new System.Collections.Generic.List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!IsName(args[i]))
            {
                Console.Error.WriteLine($"Unexpected argument '{args[i]}': expected -Name [value].");
                return 2;
            }

            var name = args[i][1..];
            if (!named.TryGetValue(name, out var values))
            {
                named[name] = values = new System.Collections.Generic.List<string>();
                order.Add(name);
            }

            if (i + 1 < args.Length && !IsName(args[i + 1]))
            {
                values.Add(args[++i]);
            }
        }

        foreach (var name in order)
        {
            var values = named[name];
            if (values.Count == 0)
            {
                ps.AddParameter(name);
            }
            else if (values.Count == 1)
            {
                ps.AddParameter(name, values[0]);
            }
            else
            {
                ps.AddParameter(name, values.ToArray());
            }
        }

        try
        {
            foreach (var item in ps.Invoke())
            {
                Console.Out.WriteLine(item?.ToString());
            }
        }
        catch (RuntimeException e)
        {
            Console.Error.WriteLine(e.ErrorRecord?.ToString() ?? e.Message);
            Console.Error.WriteLine(e.ErrorRecord?.ScriptStackTrace);
            return 2;
        }

        foreach (var error in ps.Streams.Error)
        {
            Console.Error.WriteLine(error.ToString());
            Console.Error.WriteLine(error.ScriptStackTrace);
        }

        return ps.Streams.Error.Count > 0 ? 1 : 0;
    }

    private static bool IsName(string arg) => arg.Length > 1 && arg[0] == '-' && char.IsLetter(arg[1]);
}
