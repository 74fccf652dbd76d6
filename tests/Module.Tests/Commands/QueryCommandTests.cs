using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>Get-CimLiteInstance -Query / -ClassName -Filter and Remove-CimLiteInstance -Query / -ClassName -Filter.</summary>
public sealed class QueryCommandTests : CommandTestBase
{
    public QueryCommandTests()
    {
        Run("""
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'C:'; Caption = 'System'; Size = 100 }
            $null = New-CimLiteInstance -Session $s Disk @{ DeviceId = 'D:'; Caption = 'Data'; Size = 5 }
            $null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 'F:'; Size = 500; Wear = 3 }
            $null = New-CimLiteInstance -Session $s Nic @{ DeviceId = 'eth0'; Speed = 1000 }
            """);
    }

    private string[] Paths(string script) => Run(script).Output.Select(o => Convert.ToString(Prop(o, "__PATH"))!).ToArray();

    [Fact]
    public void Query_IsDeep_AndFilters()
    {
        Assert.Equal(new[] { "root/cimv2:Disk.DeviceId=\"C:\"", "root/cimv2:Ssd.DeviceId=\"F:\"" },
            Paths("Get-CimLiteInstance -Session $s -Query \"SELECT * FROM Base WHERE Size > 50\""));
        Assert.Equal(new[] { "root/cimv2:Nic.DeviceId=\"eth0\"" },
            Paths("Get-CimLiteInstance -Session $s -Query \"SELECT * FROM Base WHERE Speed IS NOT NULL\""));
    }

    [Fact]
    public void Query_Projection_KeepsSelectedAndKeys()
    {
        var o = Obj("Get-CimLiteInstance -Session $s -Query \"SELECT Size FROM Disk WHERE DeviceId = 'c:'\"");
        Assert.Equal(100UL, Prop(o, "Size"));
        Assert.Equal("C:", Prop(o, "DeviceId"));
        Assert.Null(Prop(o, "Caption"));
        Assert.Equal("Disk", Prop(o, "__CLASS"));
    }

    [Fact]
    public void Filter_WithClassName_Shallow_KeyOnly()
    {
        Assert.Equal(2, Paths("Get-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size >= 100'").Length);
        Assert.Single(Paths("Get-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size >= 100' -Shallow"));
        var k = Obj("Get-CimLiteInstance -Session $s Disk -Filter \"Caption LIKE 'sys%'\" -KeyOnly");
        Assert.Null(Prop(k, "Caption"));
        Assert.Equal("C:", Prop(k, "DeviceId"));
    }

    [Fact]
    public void MalformedQuery_IsInvalidQuery_WithPosition()
    {
        var e = SingleError("Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk WHERE Size >'");
        AssertCimError(e, "InvalidQuery", "GetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        Assert.Contains("position 31", e.Exception.Message);
        var f = SingleError("Get-CimLiteInstance -Session $s Disk -Filter 'Size ='");
        AssertCimError(f, "InvalidQuery", "GetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void UnknownClass_IsInvalidClass_UnknownProperty_IsInvalidQuery()
    {
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Nope'"), "InvalidClass", "GetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        var e = SingleError("Get-CimLiteInstance -Session $s -Query \"SELECT * FROM Disk WHERE Colour = 'red'\"");
        AssertCimError(e, "InvalidQuery", "GetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        Assert.Contains("Colour", e.Exception.Message);
    }

    [Fact]
    public void Remove_Query_RemovesEachMatch()
    {
        Run("Remove-CimLiteInstance -Session $s -Query \"SELECT * FROM Base WHERE Size > 50\"");
        Assert.Equal(new[] { "root/cimv2:Disk.DeviceId=\"D:\"", "root/cimv2:Nic.DeviceId=\"eth0\"" }, Paths("Get-CimLiteInstance -Session $s Base"));
    }

    [Fact]
    public void Remove_ClassNameFilter_WhatIf_ChangesNothing()
    {
        var before = Dump();
        Run("Remove-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size > 1' -WhatIf");
        Assert.Equal(before, Dump());
        Run("Remove-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size > 1' -Confirm:$false");
        Assert.Equal(new[] { "root/cimv2:Nic.DeviceId=\"eth0\"" }, Paths("Get-CimLiteInstance -Session $s Base"));
    }

    [Fact]
    public void Remove_ShouldProcess_PerInstance()
    {
        var result = Run("Remove-CimLiteInstance -Session $s -Query \"SELECT * FROM Disk\" -WhatIf -Verbose 4>&1 | Out-Null; $i = 0; Remove-CimLiteInstance -Session $s -ClassName Disk -Filter \"DeviceId <> 'D:'\" -WhatIf; 'done'");
        Assert.Contains("done", result.Values);
        Assert.Equal(3, Paths("Get-CimLiteInstance -Session $s Disk").Length);
    }

    [Fact]
    public void Remove_CallsTheProviderChain()
    {
        Run("Register-CimLiteProvider -Session $s -ClassName Disk -Enumerate { param($Context) } -Delete { param($Context, $Instance) $global:deleted += @([string]$Instance) }; $global:deleted = @()");
        Run("Remove-CimLiteInstance -Session $s -ClassName Disk -Filter 'Size < 10'");
        Assert.Equal("root/cimv2:Disk.DeviceId=\"D:\"", Text("$global:deleted -join ';'"));
    }

    [Fact]
    public void Remove_MalformedQuery_IsInvalidQuery_AndChangesNothing()
    {
        var before = Dump();
        var e = SingleError("Remove-CimLiteInstance -Session $s -Query \"SELECT * FROM Disk WHERE Size > '; DROP TABLE instances; --\"");
        AssertCimError(e, "InvalidQuery", "RemoveCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        Assert.Equal(before, Dump());
    }

    [Fact]
    public void Query_WithAsJob_IsRefused()
    {
        TerminatingError("Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk' -AsJob");
    }
}
