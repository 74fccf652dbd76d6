using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>New-, Get- and Remove-CimLiteClass in a hosted runspace.</summary>
public sealed class ClassCommandTests : CommandTestBase
{
    private string[] Strings(string script) => Run(script).Values.Select(v => v?.ToString() ?? "").ToArray();

    // ---- New-CimLiteClass ---------------------------------------------------------------------------

    [Fact]
    public void New_WritesTheClass_WithItsShape()
    {
        var c = Obj("New-CimLiteClass -Session $s -ClassName Disk2 -Superclass Base -Property @{ Size = 'uint64'; Tags = 'string[]'; Parent = 'ref:Disk' } -Qualifier @{ Description = 'A disk' }");
        Assert.Equal("Disk2", Prop(c, "ClassName"));
        Assert.Equal("Base", Prop(c, "Superclass"));
        Assert.Equal("root/cimv2", Prop(c, "Namespace"));
        Assert.Equal(false, Prop(c, "IsAbstract"));
        var props = Strings("(Get-CimLiteClass -Session $s Disk2).Properties | ForEach-Object { $_.Name + ':' + $_.TypeName + ':' + $_.IsKey }");
        Assert.Equal(new[] { "DeviceId:string:True", "Caption:string:False", "Parent:ref:Disk:False", "Size:uint64:False", "Tags:string[]:False" }.OrderBy(x => x), props.OrderBy(x => x));
        Assert.Equal("UInt64", Text("((Get-CimLiteClass -Session $s Disk2).Properties | Where-Object Name -eq Size).CimType.ToString()"));
        Assert.Equal("Key=True", Text("(((Get-CimLiteClass -Session $s Disk2).Properties | Where-Object Name -eq DeviceId).Qualifiers | ForEach-Object { $_.Name + '=' + $_.Value }) -join ','"));
        Assert.Contains("Description=A disk", Strings("(Get-CimLiteClass -Session $s Disk2).Qualifiers | ForEach-Object { $_.Name + '=' + $_.Value }"));
    }

    [Fact]
    public void New_Abstract_IsAbstract()
    {
        Assert.Equal(true, Eval("(New-CimLiteClass -Session $s -ClassName A -Abstract -Key K -Property @{ K = 'string' }).IsAbstract"));
        Assert.Equal(true, Eval("(Get-CimLiteClass -Session $s Base).IsAbstract"));
    }

    [Fact]
    public void New_Indication_IsIndication_AndHasNoStoredInstances()
    {
        Assert.Equal(true, Eval("(New-CimLiteClass -Session $s -ClassName Ev -Indication -Property @{ Msg = 'string' }).IsIndication"));
        var e = SingleError("Set-CimLiteInstance -Session $s -ClassName Ev -Property @{ Msg = 'hi' }");
        AssertCimError(e, "InvalidOperation", "SetCimLiteInstanceCommand", ErrorCategory.InvalidOperation, "Ev");
    }

    [Fact]
    public void New_PropertySettingsHashtable_TypeDefaultKeyRequiredQualifier()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Rich -Property @{
                Id    = @{ Type = 'uint32'; Key = $true }
                Label = @{ Type = 'string'; Required = $true; Qualifier = @{ Description = 'the label' } }
                Level = @{ Type = 'uint8'; Default = 3 }
            }
            """);
        Assert.Equal("Id", Text("((Get-CimLiteClass -Session $s Rich).Properties | Where-Object IsKey).Name"));
        Assert.Contains("Required", Strings("((Get-CimLiteClass -Session $s Rich).Properties | Where-Object Name -eq Label).Qualifiers | ForEach-Object { $_.Name }"));
        Assert.Contains("Description", Strings("((Get-CimLiteClass -Session $s Rich).Properties | Where-Object Name -eq Label).Qualifiers | ForEach-Object { $_.Name }"));
        Assert.Equal((byte)3, Eval("(New-CimLiteInstance -Session $s Rich @{ Id = 1; Label = 'x' }).Level"));
        var e = SingleError("New-CimLiteInstance -Session $s Rich @{ Id = 2 }");
        AssertCimError(e, "IllegalNull", "NewCimLiteInstanceCommand", ErrorCategory.InvalidData);
    }

    [Fact]
    public void New_KeyOrder_FollowsKeyParameter()
    {
        Run("$null = New-CimLiteClass -Session $s -ClassName Two -Key B, A -Property @{ A = 'string'; B = 'uint32' }");
        Assert.Equal("Two.B=3,A=\"x\"", Text("(New-CimLiteInstance -Session $s Two @{ A = 'x'; B = 3 }).__RELPATH"));
    }

    [Fact]
    public void New_Namespace_CreatesTheNamespace()
    {
        Assert.Equal("root/other", Text("(New-CimLiteClass -Session $s -Namespace 'root\\other' -ClassName K -Key N -Property @{ N = 'string' }).Namespace"));
        Assert.Equal("K", Text("(Get-CimLiteClass -Session $s -Namespace root/other).ClassName"));
        Assert.Empty(Run("Get-CimLiteClass -Session $s K -ErrorAction SilentlyContinue").Output);
    }

    [Fact]
    public void New_Existing_IsAlreadyExists()
    {
        var e = SingleError("New-CimLiteClass -Session $s -ClassName Disk -Superclass Base");
        AssertCimError(e, "AlreadyExists", "NewCimLiteClassCommand", ErrorCategory.ResourceExists, "Disk");
        Assert.Equal("Disk", e.TargetObject);
    }

    [Fact]
    public void New_MissingSuperclass_IsInvalidSuperclass()
    {
        var e = SingleError("New-CimLiteClass -Session $s -ClassName Q -Superclass Nope");
        AssertCimError(e, "InvalidSuperclass", "NewCimLiteClassCommand", ErrorCategory.MetadataError, "Q");
    }

    [Fact]
    public void New_BadTypeName_IsATerminatingError()
    {
        var e = TerminatingError("New-CimLiteClass -Session $s -ClassName Q -Property @{ A = 'bogus' }");
        Assert.StartsWith("CimLite.", e.FullyQualifiedErrorId);
        Assert.EndsWith(",CimLite.Commands.NewCimLiteClassCommand", e.FullyQualifiedErrorId);
        Assert.Contains("bogus", e.Exception.Message);
    }

    [Fact]
    public void New_KeyNotInProperty_IsATerminatingParameterError()
    {
        var e = TerminatingError("New-CimLiteClass -Session $s -ClassName Q -Key Missing -Property @{ A = 'string' }");
        Assert.Equal("CimLite.InvalidParameter,CimLite.Commands.NewCimLiteClassCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
    }

    [Fact]
    public void New_WhatIf_CreatesNothing()
    {
        var before = Dump();
        var result = Run("New-CimLiteClass -Session $s -ClassName W -Key N -Property @{ N = 'string' } -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal(before, Dump());
        Assert.Single(Try("Get-CimLiteClass -Session $s W").Errors);
    }

    // ---- Get-CimLiteClass ---------------------------------------------------------------------------

    [Fact]
    public void Get_All_ByName_CaseInsensitive()
    {
        Assert.Equal(new[] { "Base", "Disk", "Nic", "Ssd", "Vol" }, Strings("Get-CimLiteClass -Session $s | ForEach-Object { $_.ClassName }").OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal("Disk", Text("(Get-CimLiteClass -Session $s -ClassName disk).ClassName"));
        Assert.Equal(new[] { "Disk", "Vol" }, Strings("Get-CimLiteClass -Session $s Disk, Vol | ForEach-Object { $_.ClassName }"));
        Assert.Equal(new[] { "Disk", "Nic" }, Strings("'Disk', 'Nic' | Get-CimLiteClass -Session $s | ForEach-Object { $_.ClassName }"));
    }

    [Fact]
    public void Get_Wildcards()
    {
        Assert.Equal(new[] { "Disk" }, Strings("Get-CimLiteClass -Session $s 'D*' | ForEach-Object { $_.ClassName }"));
        Assert.Equal(new[] { "Ssd", "Vol" }, Strings("Get-CimLiteClass -Session $s '?s?', 'v*' | ForEach-Object { $_.ClassName }"));
        Assert.Equal(5, Run("Get-CimLiteClass -Session $s '*'").Output.Count);
        Assert.Equal(new[] { "Disk", "Ssd" }, Strings("Get-CimLiteClass -Session $s '*s*' | ForEach-Object { $_.ClassName }").Where(n => n != "Base").OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Get_NoMatch_IsInvalidClass_NonTerminating()
    {
        var result = Try("Get-CimLiteClass -Session $s 'Zz*', 'Nope', 'Disk' | ForEach-Object { $_.ClassName }");
        Assert.Equal(new object?[] { "Disk" }, result.Values);
        Assert.Equal(2, result.Errors.Count);
        AssertCimError(result.Errors[0], "InvalidClass", "GetCimLiteClassCommand", ErrorCategory.MetadataError, "Zz*");
        Assert.Equal("Zz*", result.Errors[0].TargetObject);
        AssertCimError(result.Errors[1], "InvalidClass", "GetCimLiteClassCommand", ErrorCategory.MetadataError, "Nope");
    }

    [Fact]
    public void Get_Namespace_MissingNamespace_IsAnError()
    {
        var result = Try("Get-CimLiteClass -Session $s -Namespace root/none Disk");
        Assert.Empty(result.Output);
        var e = Assert.Single(result.Errors);
        Assert.StartsWith("CimLite.Invalid", e.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_UseAmendedQualifiers_IncludesAmendedQualifiers()
    {
        Run("$null = New-CimLiteClass -Session $s -ClassName Am -Key N -Property @{ N = 'string' } -Qualifier @{ Description = @{ Value = 'localized'; Flavor = 'Amended' }; Version = '1' }");
        Assert.DoesNotContain("Description", Strings("(Get-CimLiteClass -Session $s Am).Qualifiers | ForEach-Object { $_.Name }"));
        Assert.Contains("Version", Strings("(Get-CimLiteClass -Session $s Am).Qualifiers | ForEach-Object { $_.Name }"));
        Assert.Contains("Description=localized", Strings("(Get-CimLiteClass -Session $s Am -UseAmendedQualifiers).Qualifiers | ForEach-Object { $_.Name + '=' + $_.Value }"));
    }

    // ---- Remove-CimLiteClass ------------------------------------------------------------------------

    [Fact]
    public void Remove_WithChildren_IsClassHasChildren_UnlessForce()
    {
        var before = Dump();
        var e = SingleError("Remove-CimLiteClass -Session $s Disk");
        AssertCimError(e, "ClassHasChildren", "RemoveCimLiteClassCommand", ErrorCategory.MetadataError, "Disk");
        Assert.Equal(before, Dump());
        Run("$null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 's' }; Remove-CimLiteClass -Session $s Disk -Force");
        Assert.Equal(new[] { "Base", "Nic", "Vol" }, Strings("Get-CimLiteClass -Session $s | ForEach-Object { $_.ClassName }").OrderBy(x => x, StringComparer.Ordinal));
        Assert.Empty(Run("Get-CimLiteInstance -Session $s Base").Output);
    }

    [Fact]
    public void Remove_WithInstances_IsClassHasInstances_UnlessForce()
    {
        Run("$null = New-CimLiteInstance -Session $s Vol @{ Name = 'v'; Label = 'L' }");
        var before = Dump();
        var e = SingleError("Remove-CimLiteClass -Session $s Vol");
        AssertCimError(e, "ClassHasInstances", "RemoveCimLiteClassCommand", ErrorCategory.MetadataError, "Vol");
        Assert.Equal(before, Dump());
        Run("Remove-CimLiteClass -Session $s Vol -Force");
        Assert.DoesNotContain("Vol", Dump());
        // The name is free again, with no leftover instances.
        Run("$null = New-CimLiteClass -Session $s -ClassName Vol -Key Name -Property @{ Name = 'string' }");
        Assert.Empty(Run("Get-CimLiteInstance -Session $s Vol").Output);
    }

    [Fact]
    public void Remove_EmptyLeafClass_AndByPipeline()
    {
        Run("Remove-CimLiteClass -Session $s Nic");
        Run("Get-CimLiteClass -Session $s Vol | Remove-CimLiteClass -Session $s");
        Assert.Equal(new[] { "Base", "Disk", "Ssd" }, Strings("Get-CimLiteClass -Session $s | ForEach-Object { $_.ClassName }").OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Remove_Force_Cascade_WritesProgressPerClass_ThenCompleted()
    {
        var r = Run("$null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 's' }; Remove-CimLiteClass -Session $s Disk -Force");
        Assert.All(r.Progress, p => Assert.Equal("Removing class root/cimv2:Disk", p.Activity));
        Assert.Equal(new[] { "0 of 2 classes", "1 of 2 classes: removed Ssd", "2 of 2 classes: removed Disk", "2 of 2 classes: removed Disk" },
            r.Progress.Select(p => p.StatusDescription).ToArray());
        Assert.Equal(new[] { 0, 50, 100 }, r.Progress.Take(3).Select(p => p.PercentComplete).ToArray());
        Assert.Equal(ProgressRecordType.Completed, r.Progress[^1].RecordType);
    }

    [Fact]
    public void Remove_Force_OneClass_WritesProgressOnlyAboveAThousandInstances()
    {
        Assert.Empty(Run("$null = New-CimLiteInstance -Session $s Nic @{ DeviceId = 'n' }; Remove-CimLiteClass -Session $s Nic -Force").Progress);
        Assert.Empty(Run("1..1000 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol; Remove-CimLiteClass -Session $s Vol -Force").Progress);
        Run("$null = New-CimLiteClass -Session $s -ClassName Vol -Key Name -Property @{ Name = 'string'; Label = 'string' }");
        var r = Run("1..1001 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol; Remove-CimLiteClass -Session $s Vol -Force");
        Assert.Equal(new[] { "0 of 1 classes", "1 of 1 classes: removed Vol", "1 of 1 classes: removed Vol" }, r.Progress.Select(p => p.StatusDescription).ToArray());
        Assert.Equal(ProgressRecordType.Completed, r.Progress[^1].RecordType);
    }

    [Fact]
    public void Remove_Missing_IsInvalidClass()
    {
        var e = SingleError("Remove-CimLiteClass -Session $s Nope");
        AssertCimError(e, "InvalidClass", "RemoveCimLiteClassCommand", ErrorCategory.MetadataError, "Nope");
    }

    [Fact]
    public void Remove_Namespace()
    {
        Run("$null = New-CimLiteClass -Session $s -Namespace root/other -ClassName Disk -Key N -Property @{ N = 'string' }");
        Run("Remove-CimLiteClass -Session $s -Namespace root/other Disk");
        Assert.Empty(Run("Get-CimLiteClass -Session $s -Namespace root/other").Output);
        Assert.Equal("Disk", Text("(Get-CimLiteClass -Session $s Disk).ClassName"));
    }

    [Fact]
    public void Remove_WhatIf_RemovesNothing()
    {
        Run("$null = New-CimLiteInstance -Session $s Ssd @{ DeviceId = 's' }");
        var before = Dump();
        Run("Remove-CimLiteClass -Session $s Disk -Force -WhatIf; Remove-CimLiteClass -Session $s Nic -WhatIf");
        Assert.Equal(before, Dump());
    }
}
