using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Register-, Get- and Unregister-CimLiteProvider and scriptblock/.NET providers in a hosted runspace
/// (DESIGN §1 Provider, §2.5 chained providers, §3 copy-on-post; issue 3). Schema: see <see cref="CommandTestBase"/>,
/// plus the indication class <c>Evt</c> (Seq uint32, Msg string).
/// </summary>
public sealed class ProviderCommandTests : CommandTestBase
{
    private const string DiskC = "root/cimv2:Disk.DeviceId=\"C:\"";

    public ProviderCommandTests()
    {
        Run("$null = New-CimLiteClass -Session $s -ClassName Evt -Indication -Property @{ Seq = 'uint32'; Msg = 'string' }");
    }

    private string PostedDump() =>
        Text("(@(Receive-CimLitePosted -Session $s -Keep) | ForEach-Object { $_.__CLASS + ':' + $_.Seq + ':' + $_.Msg }) -join ','");

    // ---- handler calling convention -------------------------------------------------------------------

    [Fact]
    public void PutHandler_GetsNamedContextAndInstance_AndSeesCallerVariables()
    {
        var result = Run("""
            $callerValue = 'from-caller'
            $global:seen = [System.Collections.Generic.List[string]]::new()
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Instance, $Context)   # order reversed on purpose: named parameters
                $global:seen.Add($Context.ClassName + '|' + $Context.Operation + '|' + $Instance.DeviceId + '|' + $Instance.Size + '|' + $callerValue)
            }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 5 }
            $global:seen
            """);
        Assert.Equal(new object?[] { "Disk|PutInstance|C:|5|from-caller" }, result.Values);
        Assert.Contains(DiskC, Dump()); // Base has no provider: the repository serves that level and stores the instance.
    }

    [Fact]
    public void EnumerateHandler_GetsOnlyContext_AndStreamsPostsInOrder()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                foreach ($n in 3, 1, 2) { $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = "eth$n"; Speed = $n })) }
            }
            Get-CimLiteInstance -Session $s -ClassName Nic | ForEach-Object { $_.DeviceId + '=' + $_.Speed }
            """);
        Assert.Equal(new object?[] { "eth3=3", "eth1=1", "eth2=2" }, result.Values);
    }

    [Fact]
    public void Enumerate_StreamsEachPost_BeforeTheHandlerReturns()
    {
        // The first result reaches the pipeline while the handler is still running (no buffering of the whole result).
        var result = Run("""
            $global:order = [System.Collections.Generic.List[string]]::new()
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                $global:order.Add('post1'); $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = 'a' }))
                $global:order.Add('post2'); $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = 'b' }))
                $global:order.Add('return')
            }
            Get-CimLiteInstance -Session $s -ClassName Nic | ForEach-Object { $global:order.Add('got ' + $_.DeviceId) }
            $global:order -join ','
            """);
        Assert.Equal("post1,got a,post2,got b,return", result.Values.Single());
    }

    [Fact]
    public void CopyOnPost_MutatingAfterPost_ChangesNothingTheClientSees()
    {
        var result = Run("""
            $null = New-CimLiteClass -Session $s -ClassName Msg -Key Id -Property @{ Id = 'string'; Text = 'string'; Tags = 'string[]' }
            $null = Register-CimLiteProvider -Session $s -ClassName Msg -Enumerate {
                param($Context)
                $i = $Context.NewInstance('Msg', @{ Id = 'm1'; Text = 'original'; Tags = @('a', 'b') })
                $Context.PostInstance($i)
                $i.Text = 'changed'
                $i.Tags = 'z'
                $i.Id = 'other'
            }
            $m = Get-CimLiteInstance -Session $s -ClassName Msg
            $m.Id; $m.Text; $m.Tags -join '|'
            """);
        Assert.Equal(new object?[] { "m1", "original", "a|b" }, result.Values);
    }

    [Fact]
    public void PostingAfterCompletion_Fails()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                $global:savedContext = $Context
                $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = 'a' }))
            }
            $null = Get-CimLiteInstance -Session $s -ClassName Nic
            try { $global:savedContext.PostInstance((New-CimLiteInstance -Session $s Nic @{ DeviceId = 'late' } -ClientOnly)); 'posted' }
            catch { $_.Exception.InnerException.StatusCode.ToString(); $_.Exception.InnerException.Message }
            """);
        Assert.Equal("Failed", result.Values[0]);
        Assert.Contains("after its request had completed", (string)result.Values[1]!);
    }

    [Fact]
    public void PostInstance_WithNullKey_FailsTheEnumeration()
    {
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                $Context.PostInstance($Context.NewInstance('Nic', @{ Speed = 1 }))
            }
            Get-CimLiteInstance -Session $s -ClassName Nic
            """);
        AssertCimError(e, "Failed", "GetCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.Contains("'Nic'", e.Exception.Message);
    }

    [Fact]
    public void GetHandler_AnswersGetByPath_WithKeyOnlyInstance()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Get {
                param($Context, $Instance)
                if ($Instance.DeviceId -eq 'eth0') {
                    $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = $Instance.DeviceId; Speed = 1000 }))
                }
            }
            (Get-CimLiteInstance -Session $s -Path 'Nic.DeviceId="eth0"').Speed
            """);
        Assert.Equal(1000U, result.Values.Single());
        var missing = SingleError("Get-CimLiteInstance -Session $s -Path 'Nic.DeviceId=\"eth9\"'");
        AssertCimError(missing, "NotFound", "GetCimLiteInstanceCommand", ErrorCategory.ObjectNotFound);
    }

    // ---- messages and progress ------------------------------------------------------------------------

    [Fact]
    public void WriteMessage_ReachesVerboseWarningAndDebugStreams()
    {
        var ps = PowerShell.Create();
        ps.Runspace = Host.Runspace;
        ps.AddScript("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Context, $Instance)
                $Context.WriteMessage('Verbose', 'v-text')
                $Context.WriteMessage('Warning', 'w-text')
                $Context.WriteMessage('Debug', 'd-text')
                $Context.WriteProgress('act', 'stat', 50)
            }
            $DebugPreference = 'Continue'
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -Verbose
            """);
        ps.Invoke();
        Assert.Empty(ps.Streams.Error);
        Assert.Contains("v-text", ps.Streams.Verbose.Select(v => v.Message));
        Assert.Contains("w-text", ps.Streams.Warning.Select(v => v.Message));
        Assert.Contains("d-text", ps.Streams.Debug.Select(v => v.Message));
        var progress = Assert.Single(ps.Streams.Progress, p => p.Activity == "act");
        Assert.Equal("stat", progress.StatusDescription);
        Assert.Equal(50, progress.PercentComplete);
        ps.Dispose();
    }

    [Fact]
    public void WriteMessage_Verbose_IsHiddenWithoutVerbose()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) $Context.WriteMessage('Verbose', 'v-text') }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            """);
        Assert.Empty(result.Verbose);
    }

    // ---- hierarchy chain ------------------------------------------------------------------------------

    [Fact]
    public void Put_CallsProvidersTopDown_NeverThoseOfSubclasses()
    {
        var result = Run("""
            $global:calls = [System.Collections.Generic.List[string]]::new()
            foreach ($c in 'Ssd', 'Base', 'Disk') {
                $null = Register-CimLiteProvider -Session $s -ClassName $c -Put { param($Context, $Instance) $global:calls.Add($Context.ClassName + ':' + $Instance.__CLASS) }
            }
            Set-CimLiteInstance -Session $s -ClassName Ssd -Property @{ DeviceId = 'S:'; Wear = 1 }
            $global:calls -join ','
            $global:calls.Clear()
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:' }
            $global:calls -join ','
            """);
        Assert.Equal(new object?[] { "Base:Ssd,Disk:Ssd,Ssd:Ssd", "Base:Disk,Disk:Disk" }, result.Values);
    }

    [Fact]
    public void Put_ProviderThrows_FailsNamingTheClass_AndLeavesRepositoryAndPostedQueueUnchanged()
    {
        Run("$null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Size = 1 }");
        var before = Dump();
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Base -Put {
                param($Context, $Instance)
                $Context.PostIndication($Context.NewInstance('Evt', @{ Seq = 1; Msg = 'from Base' }))
            }
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) throw 'disk says no' }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 2 }
            """);
        AssertCimError(e, "ProviderFailure", "SetCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.StartsWith("The provider of class 'Disk' failed: ", e.Exception.Message);
        Assert.Contains("disk says no", e.Exception.Message);
        Assert.Equal(before, Dump());
        Assert.Equal("", PostedDump());
    }

    [Fact]
    public void Put_ProviderThrowsCimLiteException_KeepsItsStatus()
    {
        var before = Dump();
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Context, $Instance)
                if ($Context.PropertyList.Count -gt 0) { throw [CimLite.CimLiteException]::new('NotSupported', 'no partial puts here') }
            }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            Set-CimLiteInstance -Session $s -ClassName Disk -Key @{ DeviceId = 'C:' } -Property @{ Size = 3 }
            """);
        AssertCimError(e, "NotSupported", "SetCimLiteInstanceCommand", ErrorCategory.NotImplemented);
        Assert.Contains("'Disk'", e.Exception.Message);
        Assert.Contains("no partial puts here", e.Exception.Message);
        Assert.NotEqual(before, Dump()); // the full put went through
        Assert.Equal("", Text("(Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"C:\"').Size"));
    }

    [Fact]
    public void Put_NonTerminatingErrorInHandler_FailsTheOperation()
    {
        var before = Dump();
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) Get-Command No-SuchCommand-Soft; $global:afterError = 'ran' }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            """);
        AssertCimError(e, "ProviderFailure", "SetCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.StartsWith("The provider of class 'Disk' failed: ", e.Exception.Message);
        Assert.Contains("No-SuchCommand-Soft", e.Exception.Message);
        Assert.Equal(before, Dump());
        Assert.Equal("", Text("\"$global:afterError\""));
    }

    [Fact]
    public void Put_ProviderPostedIndications_AreQueuedWhenThePutSucceeds()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Context, $Instance)
                $e = $Context.NewInstance('Evt', @{ Seq = 7; Msg = 'put ' + $Instance.DeviceId })
                $Context.PostIndication($e)
                $e.Msg = 'mutated'
            }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            """);
        Assert.Equal("Evt:7:put C:", PostedDump());
    }

    [Fact]
    public void EveryLevelServedByProviders_NothingStored_GetAndEnumerateGoToProviders()
    {
        var result = Run("""
            $global:store = [ordered]@{}
            $null = Register-CimLiteProvider -Session $s -ClassName Base -Put { param($Context, $Instance) }
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put {
                param($Context, $Instance)
                $global:store[$Instance.DeviceId] = $Instance.Size
            } -Get {
                param($Context, $Instance)
                if ($global:store.Contains($Instance.DeviceId)) {
                    $Context.PostInstance($Context.NewInstance('Disk', @{ DeviceId = $Instance.DeviceId; Size = $global:store[$Instance.DeviceId] }))
                }
            } -Enumerate {
                param($Context)
                foreach ($k in @($global:store.Keys)) { $Context.PostInstance($Context.NewInstance('Disk', @{ DeviceId = $k; Size = $global:store[$k] })) }
            }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 10 }
            (Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:'; Size = 20 } -PassThru).Size
            (Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId="C:"').Size
            (Get-CimLiteInstance -Session $s -ClassName Disk | ForEach-Object { $_.DeviceId + '=' + $_.Size }) -join ','
            """);
        Assert.Equal(new object?[] { 20UL, 10UL, "C:=10,D:=20" }, result.Values);
        // Nothing reached the repository: with the providers gone, the class is empty.
        Run("Unregister-CimLiteProvider -Session $s -ClassName Disk; Unregister-CimLiteProvider -Session $s -ClassName Base");
        Assert.Equal(0, Eval("@(Get-CimLiteInstance -Session $s -ClassName Disk).Count"));
        Assert.DoesNotContain("Disk.DeviceId", Dump());
    }

    [Fact]
    public void Delete_CallsDeleteHandler_ThrowRefuses()
    {
        Run("$null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:' }");
        var before = Dump();
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Delete { param($Context, $Instance) throw ('keep ' + $Instance.DeviceId) }
            Get-CimLiteInstance -Session $s -ClassName Disk | Remove-CimLiteInstance -Session $s
            """);
        AssertCimError(e, "ProviderFailure", "RemoveCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.Contains("keep C:", e.Exception.Message);
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void HandlerMissingForOperation_IsNotSupported()
    {
        var before = Dump();
        var e = SingleError("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Enumerate { param($Context) }
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            """);
        AssertCimError(e, "NotSupported", "SetCimLiteInstanceCommand", ErrorCategory.NotImplemented);
        Assert.Equal(before, Dump());
    }

    // ---- registration cmdlets -------------------------------------------------------------------------

    [Fact]
    public void GetProvider_ListsRegistrations_UnregisterRemoves_ThenRepositoryServes()
    {
        var result = Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) throw 'no' }
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate { param($Context) }
            (Get-CimLiteProvider -Session $s | ForEach-Object { $_.Namespace + ':' + $_.ClassName + '=' + $_.Provider.Operations }) -join ','
            (Get-CimLiteProvider -Session $s -ClassName 'N*').ClassName
            Unregister-CimLiteProvider -Session $s -ClassName Disk
            @(Get-CimLiteProvider -Session $s).ClassName -join ','
            Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            """);
        Assert.Equal(new object?[] { "root/cimv2:Disk=Put,root/cimv2:Nic=Enumerate", "Nic", "Nic" }, result.Values);
        Assert.Contains(DiskC, Dump());
    }

    [Fact]
    public void Register_OutputsTheRegistration()
    {
        var r = Obj("Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }");
        Assert.Equal("Disk", Prop(r, "ClassName"));
        Assert.Equal("root/cimv2", Prop(r, "Namespace"));
    }

    [Fact]
    public void Register_WithoutHandler_IsTerminatingParameterError()
    {
        var e = TerminatingError("Register-CimLiteProvider -Session $s -ClassName Disk");
        Assert.Equal("CimLite.ProviderNeedsHandler,CimLite.Commands.RegisterCimLiteProviderCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal(0, Eval("@(Get-CimLiteProvider -Session $s).Count"));
    }

    [Fact]
    public void Register_WhatIf_RegistersNothing()
    {
        var result = Run("Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) throw 'no' } -WhatIf; @(Get-CimLiteProvider -Session $s).Count");
        Assert.Equal(new object?[] { 0 }, result.Values);
        Run("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }");
    }

    [Fact]
    public void Register_Twice_IsAlreadyExists()
    {
        Run("$null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }");
        var e = SingleError("Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }");
        AssertCimError(e, "AlreadyExists", "RegisterCimLiteProviderCommand", ErrorCategory.ResourceExists);
    }

    [Fact]
    public void Register_UnknownClass_IsInvalidClass()
    {
        var e = SingleError("Register-CimLiteProvider -Session $s -ClassName NoSuch -Put { param($Context, $Instance) }");
        AssertCimError(e, "InvalidClass", "RegisterCimLiteProviderCommand", ErrorCategory.MetadataError);
    }

    [Fact]
    public void Unregister_NotRegistered_IsNotFound()
    {
        var e = SingleError("Unregister-CimLiteProvider -Session $s -ClassName Disk");
        AssertCimError(e, "NotFound", "UnregisterCimLiteProviderCommand", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void Unregister_WhatIf_KeepsTheProvider()
    {
        Run("$null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }");
        Assert.Equal(1, Eval("Unregister-CimLiteProvider -Session $s -ClassName Disk -WhatIf; @(Get-CimLiteProvider -Session $s).Count"));
    }

    [Fact]
    public void Registrations_LiveInTheSession_NotInTheRepository()
    {
        Assert.Equal(0, Eval("""
            $null = Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) }
            $other = New-CimLiteSession -InMemory
            @(Get-CimLiteProvider -Session $other).Count
            """));
    }

    // ---- .NET providers (-Type) ---------------------------------------------------------------------

    // The test assembly may not reference CimLite.Engine (the module must load everything from its own folder),
    // so the .NET provider is a PowerShell class: a real .NET type implementing CimLite.ICimLiteProvider,
    // compiled by PowerShell in the runspace after the module is loaded (no C# compiler needed).
    private const string DotNetProvider = """
        . ([scriptblock]::Create(@'
        class TestNicProvider : CimLite.ICimLiteProvider {
            static [System.Collections.Generic.List[string]] $Calls = [System.Collections.Generic.List[string]]::new()
            [void] GetInstance([CimLite.ICimLiteContext] $context, [CimLite.InstancePath] $path) {
                [TestNicProvider]::Calls.Add('Get')
                $context.PostInstance($context.NewInstance('Nic', @{ DeviceId = 'eth0'; Speed = 10 }))
            }
            [void] EnumerateInstances([CimLite.ICimLiteContext] $context) {
                [TestNicProvider]::Calls.Add('Enumerate')
                $context.WriteMessage([CimLite.CimMessageChannel]::Warning, 'dotnet-warning')
                foreach ($n in 0, 1) { $context.PostInstance($context.NewInstance('Nic', @{ DeviceId = "eth$n"; Speed = 10 })) }
            }
            [void] PutInstance([CimLite.ICimLiteContext] $context, [CimLite.CimLiteInstance] $instance) {
                [TestNicProvider]::Calls.Add('Put ' + $instance['DeviceId'])
                if ($instance['Speed'] -eq 0) { throw [CimLite.CimLiteException]::new([CimLite.CimStatus]::InvalidParameter, 'speed 0') }
            }
            [void] DeleteInstance([CimLite.ICimLiteContext] $context, [CimLite.InstancePath] $path) {
                [TestNicProvider]::Calls.Add('Delete')
            }
        }
        '@))
        """;

    [Fact]
    public void TypeProvider_ServesOperations()
    {
        var result = Run(DotNetProvider + """

            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Type ([TestNicProvider])
            (Get-CimLiteProvider -Session $s).Provider.GetType().Name
            (Get-CimLiteInstance -Session $s -ClassName Nic | ForEach-Object { $_.DeviceId }) -join ','
            Set-CimLiteInstance -Session $s -ClassName Nic -Property @{ DeviceId = 'eth5'; Speed = 1 }
            [TestNicProvider]::Calls -join ','
            """);
        Assert.Equal(new object?[] { "TestNicProvider", "eth0,eth1", "Enumerate,Put eth5" }, result.Values);
        Assert.Contains("dotnet-warning", result.Warnings);
        Assert.Contains("root/cimv2:Nic.DeviceId=\"eth5\"", Dump()); // Base has no provider: stored
    }

    [Fact]
    public void TypeProvider_ThrownCimLiteException_KeepsStatus_AndRollsBack()
    {
        Run(DotNetProvider + "\n$null = Register-CimLiteProvider -Session $s -ClassName Nic -Type ([TestNicProvider])");
        var before = Dump();
        var e = SingleError("Set-CimLiteInstance -Session $s -ClassName Nic -Property @{ DeviceId = 'eth5'; Speed = 0 }");
        AssertCimError(e, "InvalidParameter", "SetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        Assert.Contains("speed 0", e.Exception.Message);
        Assert.Contains("'Nic'", e.Exception.Message);
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void Type_NotAProvider_IsTerminatingParameterError()
    {
        var e = TerminatingError("Register-CimLiteProvider -Session $s -ClassName Nic -Type ([string])");
        Assert.Equal("CimLite.NotAProviderType,CimLite.Commands.RegisterCimLiteProviderCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal(0, Eval("@(Get-CimLiteProvider -Session $s).Count"));
    }
}
