using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CimLite.Tests.Help;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests;

/// <summary>The house rules every cmdlet follows, checked over the cmdlets the module really exports.</summary>
public class ConventionTests
{
    /// <summary>Verbs whose cmdlets change state and so must support -WhatIf/-Confirm.</summary>
    private static readonly string[] StateChangingVerbs = { "New", "Set", "Remove", "Register", "Unregister", "Import", "Export" };

    /// <summary>Exceptions, with the reason: New-CimLiteSession opens a connection (like New-CimSession/New-PSSession, no ShouldProcess).</summary>
    private static readonly string[] ShouldProcessExempt = { "New-CimLiteSession" };

    private static CmdletInfo[] Cmdlets()
    {
        using var host = new HostedRunspace();
        return host.Invoke("Get-Command -Module CimLite -CommandType Cmdlet").ThrowIfErrors().Values.Cast<CmdletInfo>().ToArray();
    }

    [Fact]
    public void Every_cmdlet_is_sealed_named_VerbNounCommand_and_declares_OutputType()
    {
        foreach (var cmdlet in Cmdlets())
        {
            var type = cmdlet.ImplementingType;
            Assert.True(type.IsSealed, cmdlet.Name + " is not sealed");
            Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", type.Name);
            Assert.Equal("CimLite.Commands", type.Namespace);
            Assert.True(type.GetCustomAttributes(typeof(OutputTypeAttribute), false).Length > 0, cmdlet.Name + " has no [OutputType]");
        }
    }

    [Fact]
    public void State_changing_cmdlets_support_ShouldProcess()
    {
        foreach (var cmdlet in Cmdlets().Where(c => StateChangingVerbs.Contains(c.Verb) && !ShouldProcessExempt.Contains(c.Name)))
        {
            var attribute = (CmdletAttribute)cmdlet.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Single();
            Assert.True(attribute.SupportsShouldProcess, cmdlet.Name + " does not support ShouldProcess");
        }
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_of_the_assembly()
    {
        using var host = new HostedRunspace();
        var assembly = host.Invoke("[CimLite.Commands.GetCimLiteClassCommand].Assembly").ThrowIfErrors().Values.Single() as System.Reflection.Assembly;
        var discovered = assembly!.GetTypes()
            .Select(t => (Type: t, Attribute: (CmdletAttribute?)t.GetCustomAttributes(typeof(CmdletAttribute), false).SingleOrDefault()))
            .Where(x => x.Attribute != null && !x.Type.IsAbstract)
            .Select(x => x.Attribute!.VerbName + "-" + x.Attribute.NounName)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        var ast = Parser.ParseFile(System.IO.Path.Combine(HelpPages.RepositoryRoot(), "CimLite.psd1"), out _, out ParseError[] errors);
        Assert.Empty(errors);
        var manifest = (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)!).SafeGetValue();
        var exported = ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(n => n, StringComparer.Ordinal).ToList();

        Assert.Equal(discovered, exported);
        Assert.Equal(discovered, Cmdlets().Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
    }
}
