using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// -AsJob on Set-, Get- and Remove-CimLiteInstance (DESIGN §2.7 semisynchronous calls): a CimLiteJob returned at once,
/// Wait-/Receive-/Remove-/Stop-Job, and scriptblock providers running in a runspace of their own.
/// </summary>
public sealed class JobTests : CommandTestBase
{
    private const string DiskC = "root/cimv2:Disk.DeviceId=\"C:\"";

    public JobTests()
    {
        Run("$null = New-CimLiteClass -Session $s -ClassName Evt -Indication -Property @{ Seq = 'uint32'; Msg = 'string' }");
    }

    [Fact]
    public void AsJob_handler_runs_in_the_language_mode_of_the_runspace_that_registered_it()
    {
        // Issue 22 item 3: a handler registered in ConstrainedLanguage ran in FullLanguage under -AsJob (it is
        // rebuilt from its text in a runspace of its own), so it could call any .NET method.
        string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimlite-clm-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = Try($$"""
                $ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'
                $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) [System.IO.File]::WriteAllText('{{file}}', 'escaped') }
                $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob
                $null = Wait-Job $j -Timeout 60
                "$($j.State)"
                "$($ExecutionContext.SessionState.LanguageMode)"
                """);
            Assert.Equal(new object?[] { "Failed", "ConstrainedLanguage" }, result.Values);
            Assert.False(System.IO.File.Exists(file), "the -AsJob handler ran a .NET method in a ConstrainedLanguage session");
            Assert.DoesNotContain(DiskC, Dump());
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void SetAsJob_ReturnsAJob_WhoseOutputIsThePath()
    {
        var result = Run("""
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 3 } -AsJob
            $j.GetType().FullName
            $j.PSJobTypeName
            $null = Wait-Job $j -Timeout 30
            $j.State.ToString()
            Receive-Job $j
            $j.HasMoreData
            """);
        Assert.Equal(new object?[] { "CimLite.Hosting.CimLiteJob", "CimLiteJob", "Completed", DiskC, false }, result.Values);
        Assert.Contains(DiskC, Dump());
    }

    [Fact]
    public void SetAsJob_PassThru_OutputsTheStoredInstance()
    {
        var result = Run("""
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 3 } -AsJob -PassThru
            $r = Receive-Job (Wait-Job $j -Timeout 30)
            $r.__PATH; $r.Size
            """);
        Assert.Equal(new object?[] { DiskC, 3UL }, result.Values);
    }

    [Fact]
    public void SetAsJob_ReturnsBeforeTheProviderFinishes()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) [System.Threading.Thread]::Sleep(1500) }
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob
            $clock.ElapsedMilliseconds -lt 1000
            $j.State.ToString()
            (Wait-Job $j -Timeout 60).State.ToString()
            """);
        Assert.Equal(new object?[] { true, "Running", "Completed" }, result.Values);
        Assert.Contains(DiskC, Dump());
    }

    [Fact]
    public void SetAsJob_FailingPut_EndsFailed_WithTheErrorInReceiveJob()
    {
        Run("$null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Size = 1 }");
        var before = Dump();
        var result = Try("""
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -CreateOnly -AsJob
            $null = Wait-Job $j -Timeout 30
            $j.State.ToString()
            Receive-Job $j -ErrorVariable jobErrors -ErrorAction SilentlyContinue
            $jobErrors.Count
            $jobErrors[0]
            """);
        Assert.Equal("Failed", result.Values[0]);
        Assert.Equal(1, result.Values[1]);
        var e = Assert.IsType<ErrorRecord>(result.Values[2]);
        Assert.Equal("CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, e.CategoryInfo.Category);
        Assert.Equal("AlreadyExists", StatusCode(e));
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void SetAsJob_ScriptBlockProvider_RunsInItsOwnRunspace_WithoutCallerVariables()
    {
        var result = Run("""
            $callerValue = 'caller'
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Context, $Instance)
                $Context.WriteMessage('Warning', 'seen=[' + $callerValue + '] module=' + [bool](Get-Module CimLite) + ' eap=' + $ErrorActionPreference)
                $Context.WriteMessage('Verbose', 'v-text')
                $Context.WriteProgress('act', 'stat', 40)
                $Context.PostIndication($Context.NewInstance('Evt', @{ Seq = 1; Msg = 'from job ' + $Instance.DeviceId }))
            }
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob
            $null = Wait-Job $j -Timeout 60
            $j.State.ToString()
            $j.Warning[0].Message
            $j.Verbose[0].Message
            $j.Progress[0].Activity
            (Receive-CimLitePosted -Session $s).Msg
            """);
        Assert.Equal(new object?[] { "Completed", "seen=[] module=True eap=Stop", "v-text", "act", "from job C:" }, result.Values);
        Assert.Contains(DiskC, Dump());
    }

    [Fact]
    public void SetAsJob_ScriptBlockProviderThrows_JobFails_NamingTheClass_NothingWrittenOrPosted()
    {
        var before = Dump();
        var result = Try("""
            $null = Register-CimLiteProvider -Session $s -ClassName Base -Put {
                param($Context, $Instance)
                $Context.PostIndication($Context.NewInstance('Evt', @{ Seq = 1 }))
            }
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) throw 'job says no' }
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob
            $null = Wait-Job $j -Timeout 60
            $j.State.ToString()
            $j.Error[0]
            @(Receive-CimLitePosted -Session $s -Keep).Count
            """);
        Assert.Equal("Failed", result.Values[0]);
        var e = Assert.IsType<ErrorRecord>(result.Values[1]);
        Assert.Equal("CimLite.ProviderFailure,CimLite.Commands.SetCimLiteInstanceCommand", e.FullyQualifiedErrorId);
        Assert.StartsWith("The provider of class 'Disk' failed: ", e.Exception.Message);
        Assert.Contains("job says no", e.Exception.Message);
        Assert.Equal(0, result.Values[2]);
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void GetAsJob_ByClass_OutputsInstancesInProviderPostingOrder()
    {
        var result = Run("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:' }
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                foreach ($n in 2, 1) { $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = "eth$n" })) }
            }
            $j = Get-CimLiteInstance -Session $s -ClassName Base -AsJob
            $j.GetType().Name
            (Receive-Job (Wait-Job $j -Timeout 60) | ForEach-Object { $_.__RELPATH }) -join ','
            """);
        Assert.Equal(new object?[] { "CimLiteJob", "Disk.DeviceId=\"C:\",Nic.DeviceId=\"eth2\",Nic.DeviceId=\"eth1\"" }, result.Values);
    }

    [Fact]
    public void GetAsJob_ByPath_MissingInstance_IsAJobError()
    {
        var result = Try("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Size = 4 }
            $j = Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId="C:"', 'Disk.DeviceId="Z:"' -AsJob
            $null = Wait-Job $j -Timeout 30
            $j.State.ToString()
            (Receive-Job $j -ErrorAction SilentlyContinue -ErrorVariable jobErrors).Size
            $jobErrors[0].FullyQualifiedErrorId
            """);
        Assert.Equal(new object?[] { "Failed", 4UL, "CimLite.NotFound,CimLite.Commands.GetCimLiteInstanceCommand" }, result.Values);
    }

    [Fact]
    public void RemoveAsJob_OutputsRemovedPaths_AndRemoves()
    {
        var result = Run("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:' }
            $j = Get-CimLiteInstance -Session $s -ClassName Disk | Remove-CimLiteInstance -Session $s -AsJob
            Receive-Job (Wait-Job $j -Timeout 30)
            @(Get-CimLiteInstance -Session $s -ClassName Disk).Count
            """);
        Assert.Equal(new object?[] { DiskC, 0 }, result.Values);
    }

    [Fact]
    public void AsJob_with_instances_of_two_sessions_piped_acts_on_each_in_its_own_session()
    {
        var result = Run("""
            $a = New-CimLiteSession -InMemory
            $b = New-CimLiteSession -InMemory
            foreach ($x in $a, $b) {
                $null = New-CimLiteClass -Session $x -ClassName Vol -Key Id -Property @{ Id = 'string'; Size = 'uint32' }
                $null = New-CimLiteInstance -Session $x -ClassName Vol -Property @{ Id = 'same'; Size = 1 }
                $null = New-CimLiteInstance -Session $x -ClassName Vol -Property @{ Id = 'x' + $x.GetHashCode(); Size = 1 }
            }
            $va = Get-CimLiteInstance -Session $a -ClassName Vol | Where-Object Id -eq 'same'
            $vb = Get-CimLiteInstance -Session $b -ClassName Vol | Where-Object Id -ne 'same'
            $va.Size = 5; $vb.Size = 7
            $null = Receive-Job (Wait-Job ($va, $vb | Set-CimLiteInstance -AsJob) -Timeout 30)
            (Receive-Job (Wait-Job ($va, $vb | Get-CimLiteInstance -AsJob) -Timeout 30) | ForEach-Object Size) -join ','
            $null = Receive-Job (Wait-Job ($va, $vb | Remove-CimLiteInstance -AsJob) -Timeout 30)
            (@(Get-CimLiteInstance -Session $a -ClassName Vol | Sort-Object Id | ForEach-Object { $_.Id.StartsWith('x') }) -join ',') + ' ' +
                (@(Get-CimLiteInstance -Session $b -ClassName Vol | ForEach-Object Id) -join ',')
            """);
        // Set: 5 in a's 'same', 7 in b's other; Get reads each back from its own session; Remove deletes those two only.
        Assert.Equal(new object?[] { "5,7", "True same" }, result.Values);
    }

    [Fact]
    public void RemoveAsJob_WhatIf_StartsNoJob_RemovesNothing()
    {
        Run("$null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:' }");
        var result = Run("@(Get-CimLiteInstance -Session $s -ClassName Disk | Remove-CimLiteInstance -Session $s -AsJob -WhatIf).Count");
        Assert.Equal(0, result.Values.Single());
        Assert.Contains(DiskC, Dump());
    }

    [Fact]
    public void Jobs_AreListedByGetJob_AndRemovedByRemoveJob()
    {
        var result = Run("""
            $j = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob
            $null = Wait-Job $j -Timeout 30
            @(Get-Job -Id $j.Id).Count
            Remove-Job $j
            @(Get-Job | Where-Object { $_.Id -eq $j.Id }).Count
            """);
        Assert.Equal(new object?[] { 1, 0 }, result.Values);
    }

    [Fact]
    public void StopJob_StopsAWaitingProvider()
    {
        var clock = Stopwatch.StartNew();
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                foreach ($n in 1..600) {
                    if ($Context.IsCancelled) { return }
                    $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = "eth$n" }))
                    [System.Threading.Thread]::Sleep(50)
                }
            }
            $j = Get-CimLiteInstance -Session $s -ClassName Nic -AsJob
            $wait = [System.Diagnostics.Stopwatch]::StartNew()
            while ($j.Output.Count -lt 2 -and $wait.Elapsed.TotalSeconds -lt 30) { [System.Threading.Thread]::Sleep(20) }
            Stop-Job $j
            $j.State.ToString()
            $n = @(Receive-Job $j).Count
            $n -gt 0 -and $n -lt 600
            """);
        Assert.Equal(new object?[] { "Stopped", true }, result.Values);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 40);
    }

    [Fact]
    public void SynchronousCallsStillWork_AfterAJobUsedTheSession()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }
            $null = Wait-Job (Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -AsJob) -Timeout 60
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:' }
            """);
        Assert.Equal(2, Eval("@(Get-CimLiteInstance -Session $s -ClassName Disk).Count"));
    }
}
