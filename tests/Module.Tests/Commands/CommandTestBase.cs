using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// A hosted runspace with CimLite imported, an in-memory session in <c>$s</c> and a small schema:
/// <c>Base</c> (abstract, key DeviceId, Caption), <c>Disk : Base</c> (Size uint64, Tags string[]),
/// <c>Ssd : Disk</c> (Wear uint8), <c>Nic : Base</c> (Speed uint32), <c>Vol</c> (key Name, Label Required, Note).
/// Also defines <c>Get-RepoDump $session</c>: every class and every stored value as text, for -WhatIf checks.
/// </summary>
public abstract class CommandTestBase : IDisposable
{
    public const string SchemaScript = """
        $s = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $s -ClassName Base -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $s -ClassName Disk -Superclass Base -Property @{ Size = 'uint64'; Tags = 'string[]' }
        $null = New-CimLiteClass -Session $s -ClassName Ssd -Superclass Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $s -ClassName Nic -Superclass Base -Property @{ Speed = 'uint32' }
        $null = New-CimLiteClass -Session $s -ClassName Vol -Key Name -Property @{ Name = 'string'; Label = @{ Type = 'string'; Required = $true }; Note = 'string' }
        """;

    public const string DumpFunction = """
        function global:Get-RepoDump($Session) {
            $lines = [System.Collections.Generic.List[string]]::new()
            foreach ($c in @(Get-CimLiteClass -Session $Session)) {
                $lines.Add('class ' + $c.Namespace + ':' + $c.ClassName + ' : ' + $c.Superclass + ' ' + (($c.Properties | ForEach-Object { $_.Name + '=' + $_.TypeName }) -join ','))
                if ($c.IsAbstract -or $c.IsIndication) { continue }
                foreach ($i in @(Get-CimLiteInstance -Session $Session -ClassName $c.ClassName -Shallow)) {
                    $values = foreach ($p in $c.Properties) { $p.Name + '=' + ((@($i.($p.Name)) | ForEach-Object { "$_" }) -join '|') }
                    $quals = foreach ($q in $i.Qualifiers) { $q.Name + '=' + $q.Value }
                    $lines.Add('  ' + $i.__PATH + ' ' + ($values -join ';') + ' q:' + ($quals -join ';'))
                }
            }
            $lines.Sort([System.StringComparer]::Ordinal)
            $lines -join "`n"
        }
        """;

    /// <summary>
    /// The variable that runs these tests on PostgreSQL (issue 18: the module tests that are not file-specific, on both
    /// backends from one set of tests): with <c>postgres</c>, <c>$s</c> is a session on a schema of its own of the test
    /// process's server (<see cref="PostgresServer.Shared"/>) instead of an in-memory repository. `.ci/run` runs the
    /// classes listed there a second time with it.
    /// </summary>
    public const string BackendVariable = "CIMLITE_MODULE_TESTS_BACKEND";

    /// <summary>True when this test process runs the command tests on PostgreSQL (see <see cref="BackendVariable"/>).</summary>
    public static bool OnServer => Environment.GetEnvironmentVariable(BackendVariable) == "postgres";

    private CimLite.Testing.PostgresTestSchema? _serverSchema;

    protected CommandTestBase(bool withSchema = true)
    {
        Host = new HostedRunspace();
        Run(DumpFunction);
        if (withSchema)
        {
            if (OnServer)
            {
                _serverSchema = CimLite.Testing.PostgresServer.Shared.NewSchema();
                Run(SchemaScript.Replace("New-CimLiteSession -InMemory", "New-CimLiteSession -ConnectionString $cs"), new Hashtable { ["cs"] = _serverSchema.ConnectionString });
            }
            else
            {
                Run(SchemaScript);
            }
        }
    }

    protected HostedRunspace Host { get; }

    /// <summary>Runs a script that must not write errors.</summary>
    protected HostedResult Run(string script, IDictionary? variables = null) => Host.Invoke(script, variables).ThrowIfErrors();

    /// <summary>Runs a script, errors allowed.</summary>
    protected HostedResult Try(string script, IDictionary? variables = null) => Host.Invoke(script, variables);

    /// <summary>The single output value of a script (base object).</summary>
    protected object? Eval(string script, IDictionary? variables = null) => Run(script, variables).Values.Single();

    /// <summary>The single output object of a script, as the PSObject the runspace adapted (CIM properties visible).</summary>
    protected PSObject Obj(string script) => Run(script).Output.Single();

    protected string Text(string script, IDictionary? variables = null) => Convert.ToString(Eval(script, variables), System.Globalization.CultureInfo.InvariantCulture) ?? "";

    protected string Dump() => Text("Get-RepoDump $s");

    /// <summary>Runs a script expected to write exactly one non-terminating error and returns it.</summary>
    protected ErrorRecord SingleError(string script)
    {
        var result = Try(script);
        return Assert.Single(result.Errors);
    }

    /// <summary>
    /// Runs <paramref name="statement"/> inside try/catch followed by a marker: returns the ErrorRecord when
    /// the error was terminating (the marker never ran), fails the test when it was not.
    /// </summary>
    protected ErrorRecord TerminatingError(string statement)
    {
        var result = Try("try { " + statement + "; 'not-terminated' } catch { 'terminated'; $_ }");
        Assert.DoesNotContain("not-terminated", result.Values);
        Assert.Equal("terminated", result.Values[0]);
        return Assert.IsType<ErrorRecord>(result.Values[1]);
    }

    public static string StatusCode(ErrorRecord error) =>
        Convert.ToString(PSObject.AsPSObject(error.Exception).Properties["StatusCode"]?.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>Asserts id, category, status code and (when given) the target name of a CimLite error.</summary>
    public static void AssertCimError(ErrorRecord error, string status, string command, ErrorCategory category, string? targetName = null)
    {
        Assert.Equal("CimLite." + status + ",CimLite.Commands." + command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(status, StatusCode(error));
        Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
        if (targetName != null)
        {
            Assert.Equal(targetName, error.CategoryInfo.TargetName);
        }
    }

    /// <summary>A property of an adapted object (pass a PSObject from the runspace: the CimLite adapter lives there).</summary>
    protected static object? Prop(PSObject value, string name)
    {
        var v = value.Properties[name]?.Value;
        return v is PSObject p ? p.BaseObject : v;
    }

    /// <summary>The target object of an error when it is an instance: its path (CimLiteInstance.ToString()).</summary>
    protected static string InstanceTarget(ErrorRecord error)
    {
        Assert.Equal("CimLite.CimLiteInstance", error.TargetObject?.GetType().FullName);
        return error.TargetObject!.ToString()!;
    }

    public virtual void Dispose()
    {
        // A server session holds connections (and maybe an open snapshot) until it is closed: close them before the
        // schema is dropped.
        if (_serverSchema != null) Host.Invoke("Get-CimLiteSession | Remove-CimLiteSession");
        Host.Dispose();
        _serverSchema?.Dispose();
        GC.SuppressFinalize(this);
    }
}
