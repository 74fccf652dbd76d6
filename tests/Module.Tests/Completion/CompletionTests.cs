using System.Collections;
using System.Linq;
using CimLite.Tests.Commands;
using Xunit;

namespace CimLite.Tests.Completion;

/// <summary>Argument completion through TabExpansion2, as an editor or the console would ask for it.</summary>
public class CompletionTests : CommandTestBase
{
    private string[] Complete(string input)
    {
        var script = "(TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }";
        return Run(script, new Hashtable { ["Line"] = input }).Values.Select(v => (string)v!).ToArray();
    }

    [Fact]
    public void ClassName_completes_the_classes_of_the_session()
    {
        Assert.Equal(new[] { "Disk" }, Complete("Get-CimLiteInstance -Session $s -ClassName Di"));
        Assert.Equal(new[] { "Base", "Disk", "Nic", "Ssd", "Vol" }, Complete("Get-CimLiteClass -Session $s -ClassName "));
        Assert.Equal(new[] { "Ssd" }, Complete("Remove-CimLiteClass -Session $s s"));
    }

    [Fact]
    public void ClassName_completion_uses_the_Namespace_given()
    {
        Run("$null = New-CimLiteClass -Session $s -Namespace root/other -ClassName OtherThing -Key Id -Property @{ Id = 'string' }");
        Assert.Equal(new[] { "OtherThing" }, Complete("Get-CimLiteInstance -Session $s -Namespace root/other -ClassName O"));
        Assert.Empty(Complete("Get-CimLiteInstance -Session $s -ClassName OtherT"));
    }

    [Fact]
    public void Superclass_completes_class_names()
    {
        Assert.Equal(new[] { "Base" }, Complete("New-CimLiteClass -Session $s -ClassName X -Superclass Ba"));
    }

    [Fact]
    public void Namespace_completes_the_namespaces_of_the_session()
    {
        Run("$null = New-CimLiteClass -Session $s -Namespace root/other -ClassName OtherThing -Key Id -Property @{ Id = 'string' }");
        Assert.Equal(new[] { "root/other" }, Complete("Get-CimLiteClass -Session $s -Namespace root/o"));
        Assert.Contains("root/cimv2", Complete("Get-CimLiteClass -Session $s -Namespace "));
    }

    [Fact]
    public void Property_completes_the_property_names_of_the_class()
    {
        Assert.Equal(new[] { "Size" }, Complete("New-CimLiteInstance -Session $s -ClassName Disk -Property Si"));
        Assert.Equal(new[] { "DeviceId" }, Complete("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ Size = 1 } -Key "));
    }

    [Fact]
    public void Completers_never_throw_and_offer_nothing_for_a_closed_session_or_unknown_class()
    {
        Run("$c = New-CimLiteSession -InMemory; Remove-CimLiteSession $c");
        Assert.Empty(Complete("Get-CimLiteInstance -Session $c -ClassName D"));
        Assert.Empty(Complete("New-CimLiteInstance -Session $s -ClassName NoSuchClass -Property Si"));
        Assert.Empty(Complete("Get-CimLiteClass -Session $s -Namespace 'bad//ns' -ClassName D"));
    }
}
