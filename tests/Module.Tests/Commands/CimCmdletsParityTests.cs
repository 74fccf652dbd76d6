using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Issue 15 item 2: datetime values come out as CimCmdlets gives them ([datetime] of kind Local, the same instant;
/// intervals as [TimeSpan]) while the repository keeps the stored offset; input still takes DateTime, DateTimeOffset,
/// TimeSpan and CIM datetime text.
/// </summary>
public sealed class DateTimeValueTests : CommandTestBase
{
    public DateTimeValueTests()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Ev -Key Id -Property @{ Id = 'string'; When = 'datetime'; Span = 'datetime'; Stamps = 'datetime[]' }
            $plus2 = [DateTimeOffset]::new(2024, 5, 6, 7, 8, 9, [TimeSpan]::FromHours(2))
            $null = New-CimLiteInstance -Session $s Ev @{ Id = 'a'; When = $plus2; Span = [TimeSpan]::FromMinutes(90); Stamps = @($plus2, $plus2.AddDays(1)) }
            """);
    }

    [Fact]
    public void A_timestamp_comes_back_as_a_local_datetime_of_the_same_instant_and_the_stored_offset_is_kept()
    {
        var r = Run("""
            $i = Get-CimLiteInstance -Session $s Ev
            $i.When -is [datetime]
            $i.When.Kind.ToString()
            $i.When.ToUniversalTime().ToString('o')
            ([datetime]$i.When).ToUniversalTime().ToString('o')
            ($i.When - (Get-Date)) -is [TimeSpan]
            (New-TimeSpan -Start $i.When -End $i.When.AddHours(3)).TotalHours
            $i.PSObject.BaseObject['When'].Offset.TotalHours
            $i.Stamps[1] -is [datetime]
            $i.Stamps[1].ToUniversalTime().ToString('o')
            """);
        Assert.Equal(new object?[]
        {
            true, "Local", "2024-05-06T05:08:09.0000000Z", "2024-05-06T05:08:09.0000000Z", true, 3.0, 2.0, true, "2024-05-07T05:08:09.0000000Z",
        }, r.Values);
    }

    [Fact]
    public void An_interval_comes_back_as_a_TimeSpan()
    {
        Assert.Equal(new object?[] { true, 90.0 }, Run("$i = Get-CimLiteInstance -Session $s Ev; $i.Span -is [TimeSpan]; $i.Span.TotalMinutes").Values);
    }

    [Fact]
    public void Input_takes_DateTime_DateTimeOffset_TimeSpan_and_CIM_text_and_a_read_value_puts_back_as_the_same_instant()
    {
        var r = Run("""
            $null = New-CimLiteInstance -Session $s Ev @{ Id = 'text'; When = '20240506070809.000000+120'; Span = '00000000013000.000000:000' }
            $null = New-CimLiteInstance -Session $s Ev @{ Id = 'dt'; When = [datetime]::SpecifyKind([datetime]'2024-05-06T05:08:09', 'Utc') }
            $t = Get-CimLiteInstance -Session $s -Path 'Ev.Id="text"'
            $t.When.ToUniversalTime().ToString('o'); $t.Span.TotalMinutes
            (Get-CimLiteInstance -Session $s -Path 'Ev.Id="dt"').When.ToUniversalTime().ToString('o')
            $a = Get-CimLiteInstance -Session $s -Path 'Ev.Id="a"'
            Set-CimLiteInstance -Session $s -InputObject $a -Property @{ When = $a.When.AddMinutes(1) }
            (Get-CimLiteInstance -Session $s -Path 'Ev.Id="a"').When.ToUniversalTime().ToString('o')
            $a.When = $a.When.AddMinutes(2); Set-CimLiteInstance -Session $s -InputObject $a
            (Get-CimLiteInstance -Session $s -Path 'Ev.Id="a"').When.ToUniversalTime().ToString('o')
            @(Get-CimLiteInstance -Session $s Ev -Filter "When = '20240506051009.000000+000'").Count
            """);
        Assert.Equal(new object?[]
        {
            "2024-05-06T05:08:09.0000000Z", 90.0, "2024-05-06T05:08:09.0000000Z", "2024-05-06T05:09:09.0000000Z", "2024-05-06T05:10:09.0000000Z", 1,
        }, r.Values);
    }
}

/// <summary>
/// Issue 15 item 3: CimCmdlets' parameter names. -CimSession on every cmdlet with -Session; -Property, -QueryDialect,
/// -OperationTimeoutSec on Get-CimLiteInstance; Set-CimLiteInstance -Query -Property; -ComputerName and -ResourceUri
/// bind and are refused with NOT_SUPPORTED naming them.
/// </summary>
public sealed class CimCmdletsParameterTests : CommandTestBase
{
    public CimCmdletsParameterTests()
    {
        Run("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Caption = 'System'; Size = 100 }
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'D:'; Caption = 'Data'; Size = 5 }
            $null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 'F:'; Caption = 'Fast'; Size = 500; Wear = 3 }
            """);
    }

    [Fact]
    public void Every_cmdlet_with_Session_has_the_CimSession_alias()
    {
        var r = Run("""
            $with = @(Get-Command -Module CimLite -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Session') })
            $with.Count -gt 10
            @($with | Where-Object { -not $_.Parameters['Session'].Aliases.Contains('CimSession') } | ForEach-Object Name) -join ','
            """);
        Assert.Equal(new object?[] { true, "" }, r.Values);
        Assert.Equal(3, Run("Get-CimLiteInstance -CimSession $s -ClassName Disk").Output.Count);
    }

    [Fact]
    public void A_function_written_for_CimCmdlets_forwards_its_bound_parameters_unchanged()
    {
        var r = Run("""
            function Get-Disks {
                [CmdletBinding()]
                param($CimSession, [string]$ClassName, [string]$Filter, [string[]]$Property, [string]$QueryDialect, [uint32]$OperationTimeoutSec)
                Get-CimLiteInstance @PSBoundParameters
            }
            $d = @(Get-Disks -CimSession $s -ClassName Disk -Filter 'Size >= 100' -Property Size -QueryDialect WQL -OperationTimeoutSec 30)
            $d.Count
            ($d | Sort-Object DeviceId | ForEach-Object { $_.DeviceId + '=' + $_.Size + '/' + [string]::IsNullOrEmpty($_.Caption) }) -join ','
            $p = @{ CimSession = $s; Query = "SELECT * FROM Disk WHERE Size < 50"; QueryDialect = 'WQL'; Property = @{ Caption = 'small' } }
            Set-CimLiteInstance @p
            (Get-CimLiteInstance -CimSession $s -Path 'Disk.DeviceId="D:"').Caption
            """);
        Assert.Equal(new object?[] { 2, "C:=100/True,F:=500/True", "small" }, r.Values);
    }

    [Fact]
    public void Property_projects_keeping_keys_and_system_properties_and_nulling_the_rest()
    {
        var o = Obj("Get-CimLiteInstance -Session $s -ClassName Disk -Property Size -Filter \"DeviceId = 'C:'\"");
        Assert.Equal(100UL, Prop(o, "Size"));
        Assert.Equal("C:", Prop(o, "DeviceId"));
        Assert.Null(Prop(o, "Caption"));
        Assert.Equal("Disk", Prop(o, "__CLASS"));
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", Prop(o, "__PATH"));
        // Without -Filter too (a projection of the whole class, deep), and an unknown name is refused.
        var all = Run("Get-CimLiteInstance -Session $s -ClassName Disk -Property Caption").Output;
        Assert.Equal(3, all.Count);
        Assert.All(all, i => Assert.Null(Prop(i, "Size")));
        Assert.Contains("Fast", all.Select(i => Prop(i, "Caption")));
        var bad = SingleError("Get-CimLiteInstance -Session $s -ClassName Disk -Property NoSuch");
        Assert.Contains("NoSuch", bad.Exception.Message);
    }

    [Theory]
    [InlineData("Get-CimLiteInstance -Session $s -ClassName Disk -QueryDialect CQL", "GetCimLiteInstanceCommand")]
    [InlineData("Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk' -QueryDialect CQL", "GetCimLiteInstanceCommand")]
    [InlineData("Remove-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk' -QueryDialect CQL", "RemoveCimLiteInstanceCommand")]
    [InlineData("Set-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk' -QueryDialect CQL -Property @{ Caption = 'x' }", "SetCimLiteInstanceCommand")]
    public void A_query_dialect_other_than_WQL_is_refused_and_nothing_changes(string call, string command)
    {
        var before = Dump();
        var error = TerminatingError(call);
        AssertCimError(error, "QueryLanguageNotSupported", command, ErrorCategory.NotImplemented);
        Assert.Contains("'CQL'", error.Exception.Message);
        Assert.Equal(before, Dump());
        Assert.Equal(3, Run("Get-CimLiteInstance -Session $s -ClassName Disk -QueryDialect wql").Output.Count);
    }

    [Theory]
    [InlineData("Get-CimLiteInstance -Session $s -ClassName Disk", "GetCimLiteInstanceCommand")]
    [InlineData("Set-CimLiteInstance -Session $s Disk @{ DeviceId = 'Z:' }", "SetCimLiteInstanceCommand")]
    [InlineData("Remove-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size > 0'", "RemoveCimLiteInstanceCommand")]
    [InlineData("New-CimLiteInstance -Session $s Disk @{ DeviceId = 'Z:' }", "NewCimLiteInstanceCommand")]
    public void ComputerName_and_ResourceUri_bind_and_are_refused_naming_the_parameter(string call, string command)
    {
        var before = Dump();
        foreach (var (parameter, value) in new[] { ("ComputerName", "server1"), ("ResourceUri", "'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/Win32_Service'") })
        {
            var error = TerminatingError(call + " -" + parameter + " " + value);
            AssertCimError(error, "NotSupported", command, ErrorCategory.NotImplemented);
            Assert.Contains("-" + parameter, error.Exception.Message);
        }
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void Set_with_Query_and_Property_updates_every_selected_instance_and_only_those()
    {
        var r = Run("""
            $out = @(Set-CimLiteInstance -CimSession $s -Query "SELECT * FROM Disk WHERE Size >= 100" -Property @{ Caption = 'big' } -PassThru)
            $out.Count
            (Get-CimLiteInstance -Session $s -ClassName Disk | Sort-Object DeviceId | ForEach-Object { $_.DeviceId + '=' + $_.Caption + '/' + $_.Size }) -join ','
            """);
        Assert.Equal(new object?[] { 2, "C:=big/100,D:=Data/5,F:=big/500" }, r.Values);
        Assert.Equal(3L, Convert.ToInt64(Eval("@(Get-CimLiteInstance -Session $s -ClassName Ssd)[0].Wear")));
        // -WhatIf changes nothing; a property the class lacks is NO_SUCH_PROPERTY per instance.
        var before = Dump();
        Run("Set-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk' -Property @{ Caption = 'no' } -WhatIf");
        Assert.Equal(before, Dump());
        var errors = Try("Set-CimLiteInstance -Session $s -Query \"SELECT * FROM Disk WHERE DeviceId = 'D:'\" -Property @{ Nope = 1 }").Errors;
        AssertCimError(Assert.Single(errors), "NoSuchProperty", "SetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void OperationTimeoutSec_ends_a_slow_enumeration_with_a_timeout_failure()
    {
        var r = Try("""
            $null = New-CimLiteClass -Session $s -ClassName Slow -Key Id -Property @{ Id = 'uint32' }
            $global:posted = 0
            $null = Register-CimLiteProvider -Session $s -ClassName Slow -Enumerate {
                param($Context)
                for ($n = 0; $n -lt 30 -and -not $Context.IsCancelled; $n++) {
                    Start-Sleep -Milliseconds 100
                    $Context.PostInstance($Context.NewInstance('Slow', @{ Id = $n }))
                    $global:posted++
                }
            }
            $got = @(Get-CimLiteInstance -Session $s -ClassName Slow -OperationTimeoutSec 1)
            'done'
            $got.Count -lt 30
            $global:posted -lt 30
            """);
        var error = Assert.Single(r.Errors);
        AssertCimError(error, "Failed", "GetCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.Contains("time limit of 1 s", error.Exception.Message);
        Assert.Contains("-OperationTimeoutSec", error.Exception.Message);
        Assert.Equal(new object?[] { "done", true, true }, r.Values);
        // Without a limit the same call completes with every instance.
        Assert.Equal(30, Run("@(Get-CimLiteInstance -Session $s -ClassName Slow -Filter 'Id >= 0').Count").Values.Single());
    }
}

/// <summary>
/// -OperationTimeoutSec bounds waits for another process's write lock too: with a busy timeout far longer than the
/// hold, the write fails with the timeout error at the limit instead of waiting, and writes nothing.
/// </summary>
public sealed class OperationTimeoutBusyTests : CommandTestBase
{
    public OperationTimeoutBusyTests() : base(withSchema: false) { }

    [Fact]
    public void A_write_blocked_by_another_process_fails_at_the_time_limit_not_after_the_busy_timeout()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cimlite-timeout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var v = new Hashtable { ["f"] = Path.Combine(dir, "r.db") };
            Run("$w = New-CimLiteSession -Path $f; foreach ($c in 'K', 'L') { $null = New-CimLiteClass -Session $w -ClassName $c -Key N -Property @{ N = 'string' } }; $null = New-CimLiteInstance -Session $w K @{ N = 'old' }; Remove-CimLiteSession $w", v);
            // Another process holds the write lock for 8 s: its provider (of class L) runs inside its put's transaction.
            using var holder = ShellProcess.Start((string)v["f"]!, """
                $null = Register-CimLiteProvider -ClassName L -Put { [Console]::Out.WriteLine('holding'); [System.Threading.Thread]::Sleep(8000) }
                $null = Set-CimLiteInstance L @{ N = 'held' }
                [Console]::Out.WriteLine('released')
                """);
            Assert.True(holder.WaitForLines(l => l == "holding", 1, TimeSpan.FromSeconds(90)), "holder never took the lock: " + holder.StdErrSoFar);

            var r = Try("""
                $b = New-CimLiteSession -Path $f -BusyTimeout 60
                $null = New-CimLiteInstance -Session $b K @{ N = 'new' } -OperationTimeoutSec 1
                Remove-CimLiteInstance -Session $b -Path 'K.N="old"' -OperationTimeoutSec 1
                Set-CimLiteInstance -Session $b K @{ N = 'set' } -OperationTimeoutSec 1
                'after'
                """, v);
            Assert.True(r.Errors.Count == 3, string.Join(" | ", r.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)) + " / " + string.Join(",", r.Values));
            AssertCimError(r.Errors[0], "Failed", "NewCimLiteInstanceCommand", ErrorCategory.NotSpecified);
            AssertCimError(r.Errors[1], "Failed", "RemoveCimLiteInstanceCommand", ErrorCategory.NotSpecified);
            AssertCimError(r.Errors[2], "Failed", "SetCimLiteInstanceCommand", ErrorCategory.NotSpecified);
            foreach (var e in r.Errors)
            {
                Assert.Contains("time limit of 1 s", e.Exception.Message);
                Assert.DoesNotContain("busy", e.Exception.Message);
            }
            Assert.True(holder.WaitForLines(l => l == "released", 1, TimeSpan.FromSeconds(120)), "the holder did not finish: " + holder.StdErrSoFar);
            var done = holder.Finish(TimeSpan.FromSeconds(120));
            Assert.True(done.ExitCode == 0 && done.StdErr.Length == 0, done.StdErr);
            // Nothing of the timed-out writes happened; the session still works without a limit.
            Assert.Equal(new object?[] { "old" }, Run("$b = New-CimLiteSession -Path $f; foreach ($i in Get-CimLiteInstance -Session $b K) { $i.N }", v).Values);
            Run("$null = New-CimLiteInstance -Session $b K @{ N = 'later' } -OperationTimeoutSec 30", v);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>
/// Issue 15 item 4: -FilterHashtable on Get-, Remove- and Set-CimLiteInstance: equality on every name (AND), an array
/// means any of its values, $null means IS NULL; values are bound, never quoted; unknown names NO_SUCH_PROPERTY,
/// values of the wrong type TYPE_MISMATCH.
/// </summary>
public sealed class FilterHashtableTests : CommandTestBase
{
    public FilterHashtableTests()
    {
        Run("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Caption = "O'Brien"; Size = 5 }
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'D:'; Caption = "O'Brien"; Size = 6 }
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'E:'; Size = 5 }
            $null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 'F:'; Caption = 'x" OR 1=1 --'; Size = 5; Wear = 1 }
            $null = New-CimLiteInstance -Session $s Nic @{ DeviceId = 'eth0'; Caption = "O'Brien" }
            """);
    }

    private string Ids(string script) =>
        string.Join(",", Run(script).Output.Select(o => Convert.ToString(Prop(o, "DeviceId"))).OrderBy(x => x, StringComparer.Ordinal));

    [Fact]
    public void Equality_on_every_name_with_quotes_in_values_needs_no_escaping()
    {
        Assert.Equal("C:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Caption = \"O'Brien\"; Size = 5 }"));
        Assert.Equal("C:,D:,eth0", Ids("Get-CimLiteInstance -CimSession $s Base -FilterHashtable @{ Caption = \"o'brien\" }"));
        Assert.Equal("F:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Caption = 'x\" OR 1=1 --' }"));
        Assert.Equal("", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Caption = \"' OR 1=1 --\" }"));
        Assert.Equal("C:,D:,E:,F:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{}"));
    }

    [Fact]
    public void An_array_means_any_of_its_values_and_null_means_is_null()
    {
        Assert.Equal("C:,D:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Size = 6, 5; Caption = \"O'Brien\" }"));
        Assert.Equal("E:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Caption = $null }"));
        Assert.Equal("C:,E:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Caption = @($null, 'nothing', \"O'Brien\"); Size = [long]5 }"));
        // A property only a subclass has is null in the others (the WQL rule), with -Shallow too.
        Assert.Equal("F:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Wear = '1' }"));
        Assert.Equal("C:,D:,E:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Wear = $null }"));
        Assert.Equal("C:,D:,E:", Ids("Get-CimLiteInstance -Session $s Disk -Shallow -FilterHashtable @{ Size = 5, 6 }"));
    }

    [Fact]
    public void Unknown_names_and_values_of_the_wrong_type_are_refused()
    {
        var unknown = SingleError("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Nope = 1 }");
        AssertCimError(unknown, "NoSuchProperty", "GetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        Assert.Contains("'Nope'", unknown.Exception.Message);
        var mismatch = SingleError("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Size = 'big' }");
        AssertCimError(mismatch, "TypeMismatch", "GetCimLiteInstanceCommand", ErrorCategory.InvalidType);
        Assert.Contains("Size", mismatch.Exception.Message);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Size = -1 }"), "TypeMismatch", "GetCimLiteInstanceCommand", ErrorCategory.InvalidType);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Tags = 'a' }"), "TypeMismatch", "GetCimLiteInstanceCommand", ErrorCategory.InvalidType);
        var before = Dump();
        AssertCimError(SingleError("Remove-CimLiteInstance -Session $s -ClassName Disk -FilterHashtable @{ Nope = 1 }"), "NoSuchProperty", "RemoveCimLiteInstanceCommand", ErrorCategory.MetadataError);
        AssertCimError(SingleError("Set-CimLiteInstance -Session $s Disk -FilterHashtable @{ Size = 'big' } -Property @{ Caption = 'y' }"), "TypeMismatch", "SetCimLiteInstanceCommand", ErrorCategory.InvalidType);
        Assert.Equal(before, Dump());
        var both = TerminatingError("Get-CimLiteInstance -Session $s Disk -Filter 'Size = 5' -FilterHashtable @{ Size = 5 }");
        Assert.Contains("-FilterHashtable", both.Exception.Message);
    }

    [Fact]
    public void Remove_and_Set_act_on_the_selected_instances_only()
    {
        Run("Set-CimLiteInstance -CimSession $s Disk -FilterHashtable @{ Caption = \"O'Brien\" } -Property @{ Size = 7 }");
        Assert.Equal("C:,D:", Ids("Get-CimLiteInstance -Session $s Disk -FilterHashtable @{ Size = 7 }"));
        Assert.Equal("eth0", Ids("Get-CimLiteInstance -Session $s Nic -FilterHashtable @{ Caption = \"O'Brien\" }"));
        Run("Remove-CimLiteInstance -Session $s -ClassName Disk -FilterHashtable @{ Size = 7; Caption = \"O'Brien\" }");
        Assert.Equal("E:,F:", Ids("Get-CimLiteInstance -Session $s Disk"));
        Run("Remove-CimLiteInstance -Session $s -ClassName Base -FilterHashtable @{ Caption = $null }");
        Assert.Equal("F:", Ids("Get-CimLiteInstance -Session $s Disk"));
        Assert.Equal("eth0", Ids("Get-CimLiteInstance -Session $s Nic"));
    }
}
