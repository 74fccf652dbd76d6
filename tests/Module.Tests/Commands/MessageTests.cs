using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// The module's user-facing sentences have one home, the internal <c>CimLite.Commands.Strings</c>: representative
/// errors carry exactly the message it makes (read from the imported module by reflection, as the tests load
/// the published module and do not reference it).
/// </summary>
public sealed class MessageTests : CommandTestBase
{
    /// <summary>The sentence <c>Strings.<paramref name="name"/>(<paramref name="args"/>)</c> of the imported module.</summary>
    private string Strings(string name, params object?[] args)
    {
        var assembly = (Assembly)Eval("(Get-Command Set-CimLiteInstance).ImplementingType.Assembly")!;
        var type = assembly.GetType("CimLite.Commands.Strings", throwOnError: true)!;
        if (args.Length == 0 && type.GetProperty(name, BindingFlags.Public | BindingFlags.Static) is PropertyInfo property)
            return (string)property.GetValue(null)!;
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters().Length == args.Length
                && m.GetParameters().Zip(args, (p, a) => a == null || p.ParameterType.IsInstanceOfType(a)).All(ok => ok));
        return (string)method.Invoke(null, args)!;
    }

    [Fact]
    public void Conflicting_parameters_say_which_two()
    {
        var e = TerminatingError("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -CreateOnly -UpdateOnly");
        Assert.Equal(Strings("ConflictingParameters", "CreateOnly", "UpdateOnly"), e.Exception.Message);
        Assert.Equal("The parameters -CreateOnly and -UpdateOnly cannot be used together.", e.Exception.Message);
    }

    [Fact]
    public void StrictNulls_without_a_partial_update_says_how_to_use_it()
    {
        var e = TerminatingError("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' } -StrictNulls");
        Assert.Equal(Strings("StrictNullsNeedsPartial"), e.Exception.Message);
    }

    [Fact]
    public void A_partial_update_of_an_unknown_property_names_class_and_property()
    {
        Run("$null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }");
        var e = SingleError("$d = Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"C:\"'; Set-CimLiteInstance -Session $s -InputObject $d -Property @{ Bogus = 1 }");
        AssertCimError(e, "NoSuchProperty", "SetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        Assert.Equal(Strings("NoSuchProperty", "Disk", "Bogus"), e.Exception.Message);
        Assert.Equal("Class 'Disk' has no property 'Bogus'.", e.Exception.Message);
    }

    [Fact]
    public void A_closed_session_says_how_to_get_a_new_one()
    {
        var e = TerminatingError("$c = New-CimLiteSession -InMemory; Remove-CimLiteSession $c; Get-CimLiteInstance -Session $c -ClassName Disk");
        Assert.Equal("CimLite.SessionClosed,CimLite.Commands.GetCimLiteInstanceCommand", e.FullyQualifiedErrorId);
        Assert.Equal(Strings("SessionClosed"), e.Exception.Message);
    }

    [Fact]
    public void A_wildcard_matching_no_class_names_pattern_and_namespace()
    {
        var e = SingleError("Get-CimLiteClass -Session $s -ClassName 'Zz*'");
        Assert.Equal(Strings("NoClassMatches", "Zz*", "root/cimv2"), e.Exception.Message);
    }

    [Fact]
    public void Setting_a_system_property_says_it_is_read_only()
    {
        var e = TerminatingError("$d = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }; $d.__PATH = 'x'");
        var messages = Chain(e.Exception).Select(x => x.Message).ToList();
        Assert.Contains(Strings("ReadOnlyProperty", "__PATH"), messages);
    }

    private static System.Collections.Generic.IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e != null; e = e.InnerException) yield return e;
    }
}
