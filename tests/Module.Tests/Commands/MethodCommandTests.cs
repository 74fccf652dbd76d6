using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Issue 14 in the module: New-CimLiteClass -Method, class objects' Methods, Invoke-CimLiteMethod (every target form,
/// -WhatIf, -AsJob, errors), Register-CimLiteProvider -Method and the scriptblock handler's $Context.LocalSession.
/// Schema: <see cref="CommandTestBase"/> plus <c>Svc</c> (key Name, State) with methods Start, Create (static), Stop.
/// </summary>
public sealed class MethodCommandTests : CommandTestBase
{
    public MethodCommandTests()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Svc -Key Name -Property @{ Name = 'string'; State = 'uint32' } -Method ([ordered]@{
                Start = @{ ReturnType = 'uint32'; Parameters = [ordered]@{ TimeoutSec = 'uint32'; Message = @{ Type = 'string'; Out = $true }; Tags = 'string[]' } }
                Create = @{ ReturnType = 'uint32'; Static = $true; Parameters = [ordered]@{ A = 'sint32'; Msg = @{ Type = 'string'; Out = $true; Required = $false }; Name = @{ Type = 'string'; Required = $true } } }
                Stop = 'uint8'
            })
            $null = New-CimLiteClass -Session $s -ClassName SvcLog -Key Id -Property @{ Id = 'string'; Text = 'string' }
            $null = New-CimLiteClass -Session $s -ClassName SvcEvt -Indication -Property @{ Text = 'string' }
            Set-CimLiteInstance -Session $s -ClassName Svc -Property @{ Name = 'a'; State = 0 }
            Set-CimLiteInstance -Session $s -ClassName Svc -Property @{ Name = 'b'; State = 0 }
            """);
    }

    private const string Handlers = """
        $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{
            Start = {
                param($Context, $Instance, $Arguments)
                $Context.WriteMessage('Verbose', 'starting ' + $Instance.Name)
                @{ ReturnValue = 0; Message = 'started ' + $Instance.Name + ' within ' + $Arguments.TimeoutSec }
            }
            Create = {
                param($Context, $Instance, $Arguments)
                if ($null -ne $Instance) { throw 'static call got an instance' }
                $Arguments.A * 2
            }
        }
        """;

    [Fact]
    public void NewClass_Method_declares_methods_listed_on_the_class_object()
    {
        var text = Text("""
            $c = Get-CimLiteClass -Session $s -ClassName Svc
            ($c.Methods | ForEach-Object {
                $_.Name + ':' + $_.ReturnType + ':' + $_.IsStatic + '(' + (($_.Parameters | ForEach-Object { $_.Name + ' ' + $_.CimType + $(if ($_.IsArray) { '[]' }) + ' in=' + $_.IsIn + ' out=' + $_.IsOut + ' req=' + $_.IsRequired }) -join ', ') + ')'
            }) -join ' | '
            """);
        Assert.Equal("Start:uint32:False(TimeoutSec UInt32 in=True out=False req=False, Message String in=False out=True req=False, Tags String[] in=True out=False req=False)"
            + " | Create:uint32:True(A SInt32 in=True out=False req=False, Msg String in=False out=True req=False, Name String in=True out=False req=True)"
            + " | Stop:uint8:False()", text);
    }

    [Fact]
    public void NewClass_Method_with_an_unknown_setting_fails_naming_the_method()
    {
        var e = SingleError("New-CimLiteClass -Session $s -ClassName Bad -Method @{ Go = @{ ReturnType = 'uint32'; Sttic = $true } }").Exception;
        Assert.Contains("Method 'Go': 'Sttic' is not a method setting", e.Message);
        var p = SingleError("New-CimLiteClass -Session $s -ClassName Bad -Method @{ Go = @{ ReturnType = 'uint32'; Parameters = @{ X = @{ Out = $true } } } }").Exception;
        Assert.Contains("Parameter 'X' of method 'Go'", p.Message);
    }

    [Fact]
    public void Invoke_static_method_by_class_name_writes_ReturnValue_outs_MethodName_and_path()
    {
        Run(Handlers);
        var r = Obj("Invoke-CimLiteMethod -Session $s -ClassName Svc -MethodName Create -Arguments @{ A = '21'; Name = 'x' }");
        Assert.Equal(42u, r.Properties["ReturnValue"].Value);
        Assert.Null(r.Properties["Msg"].Value);
        Assert.Equal("Create", r.Properties["MethodName"].Value);
        Assert.Equal("root/cimv2:Svc", r.Properties["__PATH"].Value);
        Assert.Equal(new[] { "ReturnValue", "Msg", "MethodName", "__PATH" }, r.Properties.Select(p => p.Name));
    }

    [Fact]
    public void Invoke_on_piped_instances_uses_their_session_and_writes_one_result_each()
    {
        Run(Handlers);
        // No -Session: the instances remember theirs (the default session has no class Svc).
        var result = Run("Get-CimLiteInstance -Session $s -ClassName Svc | Invoke-CimLiteMethod -MethodName Start -Arguments @{ TimeoutSec = 5 } -Verbose 4>&1");
        var texts = result.Output.Select(o => o.BaseObject is VerboseRecord v ? "V:" + v.Message : o.Properties["__PATH"].Value + "=" + o.Properties["Message"].Value).ToArray();
        Assert.Contains("V:starting a", texts);
        Assert.Contains("root/cimv2:Svc.Name=\"a\"=started a within 5", texts);
        Assert.Contains("root/cimv2:Svc.Name=\"b\"=started b within 5", texts);
    }

    [Fact]
    public void Invoke_by_path_and_by_query()
    {
        Run(Handlers);
        Assert.Equal("started b within 1", Text("(Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"b\"' -MethodName Start -Arguments @{ TimeoutSec = 1 }).Message"));
        Assert.Equal("started a within 2,started b within 2",
            Text("(@(Invoke-CimLiteMethod -Session $s -Query 'SELECT * FROM Svc' -MethodName Start -Arguments @{ TimeoutSec = 2 }) | ForEach-Object Message | Sort-Object) -join ','"));
    }

    [Fact]
    public void Invoke_WhatIf_names_the_target_and_method_and_calls_nothing()
    {
        Run("""
            $global:called = 0
            $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{ Stop = { $global:called++; 0 }; Create = { 0 } }
            """);
        var result = Run("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Stop -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal("0", Text("$global:called"));
        var verbose = Run("$null = Invoke-CimLiteMethod -Session $s -ClassName Svc -MethodName Create -Arguments @{ Name = 'n' } -Verbose");
        Assert.Contains("Performing the operation \"Invoke method\" on target \"root/cimv2:Svc.Create()\".", verbose.Verbose);
    }

    [Fact]
    public void Invoke_errors_are_ErrorRecords_with_the_status_id_and_nothing_is_called()
    {
        Run("""
            $global:called = 0
            $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{ Start = { $global:called++; 0 }; Create = { $global:called++; 0 }; Stop = { $global:called++; 0 } }
            """);
        Assert.Equal("CimLite.MethodNotFound,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -ClassName Svc -MethodName Nope").FullyQualifiedErrorId);
        Assert.Equal("CimLite.NotFound,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -ClassName Svc -MethodName Stop").FullyQualifiedErrorId);
        Assert.Equal("CimLite.NotFound,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"zz\"' -MethodName Stop").FullyQualifiedErrorId);
        var notIn = SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Start -Arguments @{ Message = 'x' }");
        Assert.Equal("CimLite.InvalidParameter,CimLite.Commands.InvokeCimLiteMethodCommand", notIn.FullyQualifiedErrorId);
        Assert.Contains("'Message'", notIn.Exception.Message);
        Assert.Equal("CimLite.TypeMismatch,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Start -Arguments @{ TimeoutSec = 'soon' }").FullyQualifiedErrorId);
        Assert.Equal("CimLite.InvalidParameter,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -ClassName Svc -MethodName Create -Arguments @{ A = 1 }").FullyQualifiedErrorId);
        Assert.Equal("0", Text("$global:called"));
        Run("Unregister-CimLiteProvider -Session $s -ClassName Svc");
        Assert.Equal("CimLite.NotSupported,CimLite.Commands.InvokeCimLiteMethodCommand",
            SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Stop").FullyQualifiedErrorId);
    }

    [Fact]
    public void Invoke_AsJob_returns_a_job_whose_output_is_the_results()
    {
        Run(Handlers);
        Assert.Equal("started a within 3", Text("""
            $j = Invoke-CimLiteMethod -Session $s -Path 'Svc.Name="a"' -MethodName Start -Arguments @{ TimeoutSec = 3 } -AsJob
            $null = Wait-Job $j -Timeout 60
            (Receive-Job $j).Message
            """));
    }

    [Fact]
    public void A_handlers_writes_through_the_local_session_are_kept_with_the_call_or_rolled_back_with_it()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{
                Start = {
                    param($Context, $Instance, $Arguments)
                    $null = Set-CimLiteInstance -Session $Context.LocalSession -ClassName Svc -Property @{ Name = $Instance.Name; State = 1 }
                    $null = New-CimLiteInstance -Session $Context.LocalSession -ClassName SvcEvt -Property @{ Text = 'started ' + $Instance.Name }
                    if ($Arguments.TimeoutSec -eq 0) { throw 'timeout zero' }
                    0
                }
            }
            """);
        Run("$null = Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Start -Arguments @{ TimeoutSec = 9 }");
        var e = SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"b\"' -MethodName Start -Arguments @{ TimeoutSec = 0 }");
        Assert.Contains("timeout zero", e.Exception.Message);
        Assert.Equal("a=1,b=0", Text("(Get-CimLiteInstance -Session $s -ClassName Svc | Sort-Object Name | ForEach-Object { $_.Name + '=' + $_.State }) -join ','"));
        Assert.Equal("started a", Text("(@(Receive-CimLitePosted -Session $s) | ForEach-Object Text) -join ','"));
    }

    [Fact]
    public void The_local_session_kept_past_the_call_is_refused()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{ Stop = { param($Context) $global:kept = $Context.LocalSession; 0 } }
            $null = Invoke-CimLiteMethod -Session $s -Path 'Svc.Name="a"' -MethodName Stop
            """);
        var e = SingleError("Set-CimLiteInstance -Session $global:kept -ClassName SvcLog -Property @{ Id = 'late' }");
        Assert.Equal("CimLite.InvalidOperation,CimLite.Commands.SetCimLiteInstanceCommand", e.FullyQualifiedErrorId);
        Assert.Contains("no longer usable", e.Exception.Message);
    }

    [Fact]
    public void A_put_handler_putting_the_same_instance_gets_a_clear_error()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $s -ClassName SvcLog -Put {
                param($Context, $Instance)
                Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance
            }
            """);
        var e = SingleError("Set-CimLiteInstance -Session $s -ClassName SvcLog -Property @{ Id = 'x' }");
        Assert.Contains("re-entered", e.Exception.Message);
        Assert.Equal("0", Text("@(Get-CimLiteInstance -Session $s -ClassName SvcLog).Count"));
    }

    [Fact]
    public void A_put_only_scriptblock_provider_on_every_level_no_longer_loses_the_data()
    {
        Run("$null = Register-CimLiteProvider -Session $s -ClassName SvcLog -Put { param($Context, $Instance) }");
        Run("Set-CimLiteInstance -Session $s -ClassName SvcLog -Property @{ Id = '1'; Text = 'kept' }");
        Assert.Equal("kept", Text("(Get-CimLiteInstance -Session $s -ClassName SvcLog).Text"));
        // With -Get the class is served by its provider: the put is not stored.
        Run("Unregister-CimLiteProvider -Session $s -ClassName SvcLog; $null = Register-CimLiteProvider -Session $s -ClassName SvcLog -Put { } -Get { }");
        Run("Set-CimLiteInstance -Session $s -ClassName SvcLog -Property @{ Id = '2'; Text = 'dynamic' }");
        Assert.Equal("1", Text("(@(Get-CimLiteInstance -Session $s -ClassName SvcLog) | ForEach-Object Id) -join ','"));
    }

    [Fact]
    public void Register_Method_needs_scriptblocks_and_a_method_only_provider_leaves_puts_to_the_repository()
    {
        var e = SingleError("Register-CimLiteProvider -Session $s -ClassName Svc -Method @{ Start = 'not a block' }").Exception;
        Assert.Contains("'Start' must be a scriptblock", e.Message);
        Run(Handlers);
        Run("Set-CimLiteInstance -Session $s -ClassName Svc -Property @{ Name = 'c'; State = 3 }");
        Assert.Equal("3", Text("(Get-CimLiteInstance -Session $s -Path 'Svc.Name=\"c\"').State"));
        Assert.Contains("Method Start", Text("(Get-CimLiteProvider -Session $s).Provider.Operations"));
    }

    [Fact]
    public void A_handler_result_that_does_not_fit_is_FAILED_naming_the_method()
    {
        Run("$null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{ Stop = { @{ ReturnValue = 0; Extra = 1 } } }");
        var e = SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Stop");
        Assert.Equal("CimLite.Failed,CimLite.Commands.InvokeCimLiteMethodCommand", e.FullyQualifiedErrorId);
        Assert.Contains("'Svc.Stop'", e.Exception.Message);
        Assert.Contains("'Extra'", e.Exception.Message);
    }
}

/// <summary>
/// Issue 14 item 7: New-CimLiteProviderType writes C# that compiles for a DMTF class with methods (CIM_Service) and
/// for an indication class; a provider derived from it is registered with -Type and serves a method call.
/// </summary>
public sealed class ProviderTypeCommandTests : CommandTestBase
{
    [CimLite.Testing.CimSchemaFact]
    public void Generated_typed_provider_compiles_registers_and_serves_a_method_with_typed_posts()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimlite-gen-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var output = Run("""
                $null = Import-CimLiteMof -Session $s -Path $schema
                $null = New-CimLiteClass -Session $s -ClassName PG_Service -Superclass CIM_Service -Property @{ Port = 'uint16' }
                $null = New-CimLiteClass -Session $s -ClassName PG_Started -Indication -Property @{ ServiceName = 'string'; Count = 'uint32'; When = 'datetime'; Tags = 'string[]' }
                $svc = New-CimLiteProviderType -Session $s -ClassName CIM_Service -Path (Join-Path $folder 'svc.cs')
                $evt = New-CimLiteProviderType -Session $s -ClassName PG_Started -Path (Join-Path $folder 'evt.cs') -TypeNamespace PG.Events
                $user = @'
                public class PgServiceProvider : CimLite.Generated.CIM_ServiceProviderBase
                {
                    protected override StartServiceResult StartService(CimLite.ICimLiteContext context, CimLite.InvokeMethodRequest request, CimLite.Generated.CIM_Service target, StartServiceArguments arguments)
                    {
                        var e = PG.Events.PG_Started.Create(context);
                        e.@ServiceName = target.@Name;
                        e.@Count = 1;
                        e.@Tags = new[] { "a", "b" };
                        e.PostIndication(context);
                        return new StartServiceResult { ReturnValue = target.@Started == true ? 1u : 0u };
                    }

                    protected override RequestStateChangeResult RequestStateChange(CimLite.ICimLiteContext context, CimLite.InvokeMethodRequest request, CimLite.Generated.CIM_Service target, RequestStateChangeArguments arguments)
                    {
                        return new RequestStateChangeResult { ReturnValue = 4096, Job = "root/cimv2:CIM_ConcreteJob.InstanceID=\"j" + arguments.@RequestedState + "\"" };
                    }
                }
                '@
                $sources = (Get-Content -Raw $svc.FullName), (Get-Content -Raw $evt.FullName), $user
                Add-Type -TypeDefinition ($sources -join "`n") -ReferencedAssemblies ([CimLite.CimLiteSession].Assembly.Location), 'netstandard', 'System.Collections'
                $null = Register-CimLiteProvider -Session $s -ClassName PG_Service -Type ([PgServiceProvider])
                $null = New-CimLiteInstance -Session $s -ClassName PG_Service -Property @{ SystemCreationClassName = 'S'; SystemName = 'h'; CreationClassName = 'PG_Service'; Name = 'web' }
                $r = Invoke-CimLiteMethod -Session $s -Path 'PG_Service.SystemCreationClassName="S",SystemName="h",CreationClassName="PG_Service",Name="web"' -MethodName StartService
                $j = Invoke-CimLiteMethod -Session $s -Path 'PG_Service.SystemCreationClassName="S",SystemName="h",CreationClassName="PG_Service",Name="web"' -MethodName RequestStateChange -Arguments @{ RequestedState = 3 }
                $p = @(Receive-CimLitePosted -Session $s)
                "$($r.ReturnValue)|$($j.ReturnValue)|$($j.Job)|$($p.Count)|$($p[0].ServiceName)|$($p[0].Count)|$($p[0].Tags -join ',')"
                (Get-Content -Raw $svc.FullName) -match 'public class CIM_Service : CIM_EnabledLogicalElement'
                (Get-Content -Raw $evt.FullName) -match 'public void PostIndication'
                """, new System.Collections.Hashtable { ["schema"] = CimLite.Testing.CimSchemaLocation.RootFile, ["folder"] = folder });
            Assert.Equal(new object?[] { "0|4096|root/cimv2:CIM_ConcreteJob.InstanceID=\"j3\"|1|web|1|a,b", true, true }, output.Values);
        }
        finally
        {
            try { System.IO.Directory.Delete(folder, true); } catch (System.IO.IOException) { }
        }
    }
}
