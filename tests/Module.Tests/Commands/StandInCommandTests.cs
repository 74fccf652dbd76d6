using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Issue 15 item 5: Use-CimLiteForCimCmdlets makes code written for CimCmdlets run against a CimLite session. The
/// six functions take CimCmdlets' parameters, forward to the session (never the default repository, pointed here at a
/// file that must never come to exist), are found from inside a module, and -Remove takes away only them.
/// </summary>
[Collection(DefaultSessionCollection.Name)]
public sealed class StandInCommandTests : CommandTestBase
{
    private static readonly string[] Names =
    {
        "Get-CimInstance", "Set-CimInstance", "New-CimInstance", "Remove-CimInstance", "Invoke-CimMethod", "Get-CimAssociatedInstance",
    };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-standin-" + Guid.NewGuid().ToString("N"));
    private readonly string? _savedRepository = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
    private readonly string _default;

    public StandInCommandTests()
    {
        Directory.CreateDirectory(_dir);
        _default = Path.Combine(_dir, "default-untouched.db");
        Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", _default);
        Run("""
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 10; Caption = "O'Brien" }
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:'; Size = 20 }
            $null = New-CimLiteInstance -Session $s -ClassName Ssd -Property @{ DeviceId = 'E:'; Size = 30; Wear = 1 }
            """);
    }

    public override void Dispose()
    {
        try
        {
            Try("Use-CimLiteForCimCmdlets -Remove");
            Assert.False(File.Exists(_default), "the default repository was used");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", _savedRepository);
            base.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Defines_the_six_functions_with_the_parameters_of_CimCmdlets()
    {
        var defined = Run("Use-CimLiteForCimCmdlets -Session $s -PassThru").Values.Cast<FunctionInfo>().ToList();
        Assert.Equal(Names, defined.Select(f => f.Name));
        foreach (var name in Names)
        {
            var parameters = Run($"(Get-Command {name}).Parameters.Keys").Values.Cast<string>().ToList();
            Assert.Contains("CimSession", parameters);
            Assert.Contains("ComputerName", parameters);
            Assert.Contains("OperationTimeoutSec", parameters);
        }
        Assert.Equal(new[] { "ClassName", "Filter", "InputObject", "KeyOnly", "Namespace", "Property", "Query", "QueryDialect", "ResourceUri", "Shallow" },
            Run("(Get-Command Get-CimInstance).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters -and $_ -notin 'CimSession', 'ComputerName', 'OperationTimeoutSec' } | Sort-Object")
                .Values.Cast<string>());
        Assert.True((bool)Eval("(Get-Command Set-CimInstance).Parameters.ContainsKey('WhatIf')")!);
    }

    [Fact]
    public void Get_with_a_filter_reads_the_session_not_the_default_repository()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        Assert.Equal(new[] { "D:", "E:" }, Run("Get-CimInstance -ClassName Disk -Filter 'Size > 15' -ComputerName srv1 -CimSession $null | ForEach-Object DeviceId | Sort-Object").Values.Cast<string>());
        Assert.Equal(new[] { "D:" }, Run("Get-CimInstance -ClassName Disk -Shallow -Filter 'Size > 15' | ForEach-Object DeviceId").Values.Cast<string>());
        Assert.Equal("O'Brien", Text("(Get-CimInstance -Query \"SELECT * FROM Disk WHERE DeviceId = 'C:'\").Caption"));
    }

    [Fact]
    public void New_Set_and_Remove_change_the_session()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        Assert.Equal("F:", Text("(New-CimInstance -ClassName Disk -Property @{ DeviceId = 'F:'; Size = 5 } -Key DeviceId).DeviceId"));
        Run("Get-CimInstance -ClassName Disk -Filter \"DeviceId = 'F:'\" | Set-CimInstance -Property @{ Size = 99 }");
        Assert.Equal(99UL, Eval("(Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"F:\"').Size"));
        Run("Remove-CimInstance -Query \"SELECT * FROM Disk WHERE Size = 99\"");
        Assert.Empty(Run("Get-CimLiteInstance -Session $s -ClassName Disk -Filter \"DeviceId = 'F:'\"").Output);
        Run("Get-CimInstance -ClassName Disk -Filter \"DeviceId = 'D:'\" | Remove-CimInstance");
        Assert.Equal(new[] { "C:", "E:" }, Run("Get-CimLiteInstance -Session $s -ClassName Disk | ForEach-Object DeviceId | Sort-Object").Values.Cast<string>());
    }

    [Fact]
    public void Set_of_an_instance_updates_only_as_Set_CimInstance_does()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        var error = Assert.Single(Try("""
            $gone = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'Z:' } -ClientOnly
            $gone | Set-CimInstance -Property @{ Size = 1 }
            """).Errors);
        Assert.Equal("CimLite.NotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(Run("Get-CimLiteInstance -Session $s -ClassName Disk -Filter \"DeviceId = 'Z:'\"").Output);
    }

    [Fact]
    public void WhatIf_is_forwarded()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        var before = Dump();
        Run("Get-CimInstance -ClassName Disk | Remove-CimInstance -WhatIf; Get-CimInstance -ClassName Disk | Set-CimInstance -Property @{ Size = 1 } -WhatIf");
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void Code_in_a_module_calls_the_stand_in()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        Assert.Equal(3, Convert.ToInt32(Eval("""
            $m = New-Module -Name CodeUnderTest -ScriptBlock { function Get-DiskCount { @(Get-CimInstance -ClassName Disk).Count } }
            Get-DiskCount
            """)));
    }

    [Fact]
    public void A_parameter_the_CimLite_cmdlet_lacks_is_NOT_SUPPORTED_naming_it()
    {
        Run("Use-CimLiteForCimCmdlets -Session $s");
        // Get-CimLiteAssociatedInstance has no -ResourceUri: the stand-in refuses it itself.
        var error = TerminatingError("Get-CimInstance -ClassName Disk -Filter \"DeviceId = 'C:'\" | Get-CimAssociatedInstance -ResourceUri 'http://schemas.example/wbem/Disk'");
        Assert.Equal("CimLite.NotSupported", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Equal("The CimLite stand-in does not support -ResourceUri: its CimLite counterpart Get-CimLiteAssociatedInstance has no such parameter.", error.Exception.Message);

    }

    [Fact]
    public void A_function_of_the_user_is_kept_unless_Force_and_Remove_takes_only_the_stand_in()
    {
        Run("function global:Get-CimInstance { 'mine' }");
        var result = Try("Use-CimLiteForCimCmdlets -Session $s");
        var error = Assert.Single(result.Errors);
        Assert.Equal("CimLite.AlreadyExists", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("Get-CimInstance", error.TargetObject);
        Assert.Equal("mine", Text("Get-CimInstance"));

        Run("Use-CimLiteForCimCmdlets -Remove");
        Assert.Equal("mine", Text("Get-CimInstance"));
        foreach (var name in Names.Skip(1))
            Assert.False((bool)Eval($"[bool](Get-Command {name} -ErrorAction Ignore)")!, name + " was not removed");

        Run("Use-CimLiteForCimCmdlets -Session $s -Force");
        Assert.Equal("D:", Text("(Get-CimInstance -ClassName Disk -Shallow -Filter \"DeviceId = 'D:'\").DeviceId"));
        Run("Use-CimLiteForCimCmdlets -Remove");
        foreach (var name in Names)
            Assert.False((bool)Eval($"[bool](Get-Command {name} -ErrorAction Ignore)")!, name + " was not removed");
    }
}
