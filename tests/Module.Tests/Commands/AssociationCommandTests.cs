using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>Issue 13: Get-CimLiteAssociatedInstance, Remove-CimLiteInstance -IncludeAssociations and the WQL association queries through the cmdlets.</summary>
public sealed class AssociationCommandTests : CommandTestBase
{
    public AssociationCommandTests() : base(withSchema: false)
    {
        Run("""
            $s = New-CimLiteSession -InMemory
            $t = New-CimLiteSession -InMemory
            foreach ($x in $s, $t) {
                $null = New-CimLiteClass -Session $x -ClassName Sys -Key Name -Property @{ Name = 'string' }
                $null = New-CimLiteClass -Session $x -ClassName Dev -Key Id -Property @{ Id = 'string'; Size = 'uint64' }
                $null = New-CimLiteClass -Session $x -ClassName Disk -Superclass Dev
                $null = New-CimLiteClass -Session $x -ClassName Port -Superclass Dev
                $null = New-CimLiteClass -Session $x -ClassName SysDev -Key Owner, Part -Property @{ Owner = 'ref:Sys'; Part = 'ref:Dev' } -Qualifier @{ Association = $true }
                $null = New-CimLiteInstance -Session $x -ClassName Sys -Property @{ Name = 'host' }
                $null = New-CimLiteInstance -Session $x -ClassName Disk -Property @{ Id = 'd1'; Size = 5 }
                $null = New-CimLiteInstance -Session $x -ClassName Port -Property @{ Id = 'p1' }
            }
            $null = New-CimLiteInstance -Session $s -ClassName SysDev -Property @{ Owner = 'Sys.Name="host"'; Part = 'Disk.Id="d1"' }
            $null = New-CimLiteInstance -Session $s -ClassName SysDev -Property @{ Owner = 'Sys.Name="host"'; Part = 'Port.Id="p1"' }
            """);
    }

    private string[] Paths(string script) => Run(script).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!).OrderBy(v => v, StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_piped_instance_is_followed_in_its_own_session_and_the_results_remember_it()
    {
        // $t holds the same instances but no association: the piped instance's session ($s) must be used.
        Assert.Equal(new[] { "root/cimv2:Disk.Id=\"d1\"", "root/cimv2:Port.Id=\"p1\"" },
            Paths("Get-CimLiteInstance -Session $s -Path 'Sys.Name=\"host\"' | Get-CimLiteAssociatedInstance | ForEach-Object { $_.__PATH }"));
        Assert.Empty(Run("Get-CimLiteInstance -Session $t -Path 'Sys.Name=\"host\"' | Get-CimLiteAssociatedInstance").Values);
        // A result goes back through the pipeline to its own session.
        Assert.Equal(new[] { "host" }, Paths("Get-CimLiteInstance -Session $s -Path 'Sys.Name=\"host\"' | Get-CimLiteAssociatedInstance -ResultClassName Disk | Get-CimLiteAssociatedInstance | ForEach-Object { $_.Name }"));
    }

    [Fact]
    public void Filters_by_association_result_class_roles_and_keys_only()
    {
        Assert.Equal(new[] { "d1" }, Paths("Get-CimLiteAssociatedInstance -Session $s -Path 'Sys.Name=\"host\"' -ResultClassName Disk | ForEach-Object { $_.Id }"));
        Assert.Equal(new[] { "d1", "p1" }, Paths("Get-CimLiteAssociatedInstance -Session $s -Path 'Sys.Name=\"host\"' SysDev -ResultClassName Dev -Role Owner -ResultRole Part | ForEach-Object { $_.Id }"));
        Assert.Empty(Run("Get-CimLiteAssociatedInstance -Session $s -Path 'Sys.Name=\"host\"' -Role Part").Values);
        Assert.Equal("d1|", Text("$r = Get-CimLiteAssociatedInstance -Session $s -Path 'Sys.Name=\"host\"' -ResultClassName Disk -KeyOnly; \"$($r.Id)|$($r.Size)\""));
    }

    [Fact]
    public void A_missing_source_is_a_NotFound_error_naming_it_and_the_pipeline_goes_on()
    {
        var result = Try("'Sys.Name=\"nobody\"', 'Sys.Name=\"host\"' | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Get-CimLiteAssociatedInstance -Session $s | ForEach-Object { $_.Id }");
        var error = Assert.Single(result.Errors);
        AssertCimError(error, "NotFound", "GetCimLiteAssociatedInstanceCommand", ErrorCategory.ObjectNotFound);
        Assert.Contains("nobody", error.Exception.Message);
        Assert.Equal(2, result.Values.Count);
    }

    [Fact]
    public void AsJob_returns_a_job_whose_output_is_the_associated_instances()
    {
        Assert.Equal(new[] { "d1", "p1" }, Paths("$j = Get-CimLiteAssociatedInstance -Session $s -Path 'Sys.Name=\"host\"' -AsJob; $null = Wait-Job $j; Receive-Job $j | ForEach-Object { $_.Id }"));
    }

    [Fact]
    public void Remove_leaves_associations_unless_IncludeAssociations()
    {
        Run("Remove-CimLiteInstance -Session $s -Path 'Port.Id=\"p1\"'");
        Assert.Equal("2", Text("@(Get-CimLiteInstance -Session $s -ClassName SysDev).Count"));
        Run("Remove-CimLiteInstance -Session $s -Path 'Disk.Id=\"d1\"' -IncludeAssociations");
        Assert.Equal(new[] { "Port.Id=\"p1\"" }, Paths("Get-CimLiteInstance -Session $s -ClassName SysDev | ForEach-Object { $_.Part }"));
    }

    [Fact]
    public void Get_CimLiteInstance_Query_answers_ASSOCIATORS_OF_and_REFERENCES_OF_and_ClassDefsOnly_gives_classes()
    {
        Assert.Equal(new[] { "d1" }, Paths("Get-CimLiteInstance -Session $s -Query 'ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ResultClass = Disk' | ForEach-Object { $_.Id }"));
        Assert.Equal(new[] { "Disk.Id=\"d1\"", "Port.Id=\"p1\"" }, Paths("Get-CimLiteInstance -Session $s -Query 'REFERENCES OF {Sys.Name=\"host\"}' | ForEach-Object { $_.Part }"));
        Assert.Equal(new[] { "CimLite.CimLiteClass:Disk", "CimLite.CimLiteClass:Port" },
            Paths("Get-CimLiteInstance -Session $s -Query 'ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ClassDefsOnly' | ForEach-Object { $_.GetType().FullName + ':' + $_.ClassName }"));
        var error = SingleError("Get-CimLiteInstance -Session $s -Query 'ASSOCIATORS OF {Sys.Name=\"host\"} WHERE Role'");
        AssertCimError(error, "InvalidQuery", "GetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        Assert.Contains("position", error.Exception.Message);
    }

    [Fact]
    public void Remove_CimLiteInstance_Query_REFERENCES_OF_removes_the_association_instances_and_refuses_ASSOCIATORS_OF()
    {
        var error = SingleError("Remove-CimLiteInstance -Session $s -Query 'ASSOCIATORS OF {Sys.Name=\"host\"}'");
        var assembly = (System.Reflection.Assembly)Eval("(Get-Command Remove-CimLiteInstance).ImplementingType.Assembly")!;
        var sentence = (string)assembly.GetType("CimLite.Commands.Strings", throwOnError: true)!.GetProperty("RemoveQueryAssociators")!.GetValue(null)!;
        Assert.Equal(sentence, error.Exception.Message);
        Assert.Contains("REFERENCES OF", sentence);
        Assert.Equal("2", Text("@(Get-CimLiteInstance -Session $s -ClassName Dev).Count"));
        Run("Remove-CimLiteInstance -Session $s -Query 'REFERENCES OF {Disk.Id=\"d1\"}'");
        Assert.Equal(new[] { "Port.Id=\"p1\"" }, Paths("Get-CimLiteInstance -Session $s -ClassName SysDev | ForEach-Object { $_.Part }"));
        Assert.Equal("2", Text("@(Get-CimLiteInstance -Session $s -ClassName Dev).Count"));
    }

    [Fact]
    public void Associators_and_References_scriptblock_handlers_answer_with_the_stored_associations_and_get_the_filters()
    {
        // $t has no stored association: what the handlers post is the whole answer there.
        Run("""
            $global:seen = [System.Collections.Generic.List[string]]::new()
            $null = Register-CimLiteProvider -Session $t -ClassName SysDev -Associators {
                param($Context, $Instance, $AssocClass, $ResultClass, $Role, $ResultRole)
                $global:seen.Add("A $($Instance.Name) $AssocClass $ResultClass $Role $ResultRole")
                $Context.PostInstance($Context.NewInstance('Disk', @{ Id = 'd1'; Size = 5 }))
            } -References {
                param($Context, $Instance, $AssocClass, $ResultClass, $Role, $ResultRole)
                $global:seen.Add("R $($Instance.Name) [$AssocClass] $ResultClass $Role [$ResultRole]")
                $Context.PostInstance($Context.NewInstance('SysDev', @{ Owner = 'Sys.Name="host"'; Part = 'Disk.Id="d1"' }))
            }
            """);
        Assert.Equal(new[] { "d1" }, Paths("Get-CimLiteAssociatedInstance -Session $t -Path 'Sys.Name=\"host\"' SysDev -ResultClassName Disk -Role Owner -ResultRole Part | ForEach-Object { $_.Id }"));
        Assert.Equal("A host SysDev Disk Owner Part", Text("$global:seen[0]"));
        Assert.Equal(new[] { "Disk.Id=\"d1\"" }, Paths("Get-CimLiteInstance -Session $t -Query 'REFERENCES OF {Sys.Name=\"host\"} WHERE ResultClass = SysDev Role = Owner' | ForEach-Object { $_.Part }"));
        Assert.Equal("R host [] SysDev Owner []", Text("$global:seen[1]"));
        Assert.Equal("Associators, References", Text("(Get-CimLiteProvider -Session $t).Provider.Operations"));
    }

    [Fact]
    public void Without_an_Associators_handler_the_class_enumeration_is_followed()
    {
        Run("""
            $null = Register-CimLiteProvider -Session $t -ClassName SysDev -References { param($Context, $Instance) throw 'not called for associators' } -Enumerate {
                param($Context)
                $Context.PostInstance($Context.NewInstance('SysDev', @{ Owner = 'Sys.Name="host"'; Part = 'Port.Id="p1"' }))
            }
            """);
        Assert.Equal(new[] { "p1" }, Paths("Get-CimLiteAssociatedInstance -Session $t -Path 'Sys.Name=\"host\"' | ForEach-Object { $_.Id }"));
    }
}
