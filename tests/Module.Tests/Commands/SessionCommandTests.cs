using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CimLite.Tests.TestUtilities;
using Xunit;
using CimLite.Testing;

namespace CimLite.Tests.Commands;

/// <summary>
/// Tests that change the process-wide CIMLITE_REPOSITORY variable (the default session). xunit runs a
/// collection with DisableParallelization on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultSessionCollection
{
    public const string Name = "CimLite default session";
}

/// <summary>New-, Get- and Remove-CimLiteSession, read-only sessions and the default session.</summary>
[Collection(DefaultSessionCollection.Name)]
public sealed class SessionCommandTests : CommandTestBase
{
    private readonly string dir;

    public SessionCommandTests()
        : base(withSchema: false)
    {
        dir = Path.Combine(Path.GetTempPath(), "cimlite-session-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    private Hashtable Vars(string file = "repo.db") => new() { ["f"] = Path.Combine(dir, file), ["dir"] = dir };

    [Fact]
    public void New_InMemory()
    {
        var s = Obj("New-CimLiteSession -InMemory");
        Assert.Equal(":memory:", Prop(s, "Path"));
        Assert.Equal(true, Prop(s, "IsInMemory"));
        Assert.Equal(false, Prop(s, "IsReadOnly"));
        Assert.Equal(false, Prop(s, "IsClosed"));
        Assert.Equal("root/cimv2", Prop(s, "DefaultNamespace"));
        // Two in-memory sessions are separate repositories.
        Run("$a = New-CimLiteSession -InMemory; $b = New-CimLiteSession -InMemory; $null = New-CimLiteClass -Session $a -ClassName OnlyA");
        Assert.Empty(Run("Get-CimLiteClass -Session $b").Output);
    }

    [UnixFact("Unix only: Unix file modes (the refusal does not apply on Windows)")]
    public void New_Path_in_a_folder_everyone_can_write_is_refused_unless_AllowSharedFile_and_ReadOnly_warns()
    {
        var v = Vars();
        Run("$w = New-CimLiteSession -Path $f; Remove-CimLiteSession $w", v);
#pragma warning disable CA1416
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF); // 0777: another user could plant files here
#pragma warning restore CA1416
        var e = TerminatingError("New-CimLiteSession -Path $f");
        Assert.Equal("CimLite.AccessDenied,CimLite.Commands.NewCimLiteSessionCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, e.CategoryInfo.Category);
        Assert.Contains("0777", e.Exception.Message);
        var ro = Run("$r = New-CimLiteSession -Path $f -ReadOnly; $r.IsReadOnly", v);
        Assert.Equal(new object?[] { true }, ro.Values);
        Assert.Contains(ro.Warnings, w => w.Contains("0777", StringComparison.Ordinal));
        Assert.Equal(new object?[] { false }, Run("$a = New-CimLiteSession -Path $f -AllowSharedFile; $a.IsReadOnly; Remove-CimLiteSession $a, $r", v).Values);
    }

    [Fact]
    public void New_Path_CreatesTheFile_AndDataPersistsAcrossSessions()
    {
        var v = Vars();
        Run("$w = New-CimLiteSession -Path $f; $null = New-CimLiteClass -Session $w -ClassName K -Key N -Property @{ N = 'string' }; $null = New-CimLiteInstance -Session $w K @{ N = 'a' }; Remove-CimLiteSession $w", v);
        Assert.True(File.Exists((string)v["f"]!));
        Assert.Equal(Path.GetFullPath((string)v["f"]!), Text("$r = New-CimLiteSession $f; $r.Path"));
        Assert.Equal("a", Text("(Get-CimLiteInstance -Session $r K).N"));
    }

    [Fact]
    public void New_Path_RelativeToTheCurrentLocation()
    {
        var v = Vars();
        Assert.Equal(Path.Combine(dir, "rel.db"), Text("$null = $ExecutionContext.SessionState.Path.SetLocation($dir); (New-CimLiteSession -Path ./rel.db).Path", v));
        Assert.True(File.Exists(Path.Combine(dir, "rel.db")));
    }

    [Fact]
    public void New_Namespace_IsTheSessionDefault()
    {
        Run("$n = New-CimLiteSession -InMemory -Namespace root/test; $null = New-CimLiteClass -Session $n -ClassName K -Key N -Property @{ N = 'string' }");
        Assert.Equal("root/test", Text("$n.DefaultNamespace"));
        Assert.Equal("root/test", Text("(Get-CimLiteClass -Session $n K).Namespace"));
        Assert.Equal("root/test:K.N=\"a\"", Text("(New-CimLiteInstance -Session $n K @{ N = 'a' }).__PATH"));
    }

    [Fact]
    public void New_ForeignFile_IsATerminatingError_AndTheFileIsUnchanged()
    {
        var v = Vars("foreign.db");
        var content = string.Concat(Enumerable.Repeat("not a database, ", 300));
        File.WriteAllText((string)v["f"]!, content);
        var e = TerminatingError("New-CimLiteSession -Path $f".Replace("$f", "'" + v["f"] + "'"));
        Assert.Equal("CimLite.Failed,CimLite.Commands.NewCimLiteSessionCommand", e.FullyQualifiedErrorId);
        Assert.Contains("not a CimLite repository", e.Exception.Message);
        Assert.Equal(content, File.ReadAllText((string)v["f"]!));
    }

    [Fact]
    public void ReadOnly_RefusesEveryWrite_WithAccessDenied()
    {
        var v = Vars();
        Run("$w = New-CimLiteSession -Path $f; $null = New-CimLiteClass -Session $w -ClassName K -Key N -Property @{ N = 'string'; V = 'uint32' }; $null = New-CimLiteInstance -Session $w K @{ N = 'a'; V = 1 }; Remove-CimLiteSession $w", v);
        Run("$r = New-CimLiteSession -Path $f -ReadOnly", v);
        Assert.Equal(true, Eval("$r.IsReadOnly"));
        var before = Text("Get-RepoDump $r");
        Assert.Contains("K.N=\"a\"", before);

        AssertCimError(SingleError("New-CimLiteClass -Session $r -ClassName K2"), "AccessDenied", "NewCimLiteClassCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("Remove-CimLiteClass -Session $r K -Force"), "AccessDenied", "RemoveCimLiteClassCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("New-CimLiteInstance -Session $r K @{ N = 'b' }"), "AccessDenied", "NewCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("Set-CimLiteInstance -Session $r -ClassName K -Property @{ N = 'a'; V = 2 }"), "AccessDenied", "SetCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("Set-CimLiteInstance -Session $r -ClassName K -Key @{ N = 'a' } -Property @{ V = 2 }"), "AccessDenied", "SetCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        var rm = SingleError("Get-CimLiteInstance -Session $r K | Remove-CimLiteInstance -Session $r");
        AssertCimError(rm, "AccessDenied", "RemoveCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        Assert.Equal(before, Text("Get-RepoDump $r"));
    }

    [Fact]
    public void ReadOnly_InMemory_RefusesWrites()
    {
        Run("$r = New-CimLiteSession -InMemory -ReadOnly");
        AssertCimError(SingleError("New-CimLiteClass -Session $r -ClassName K"), "AccessDenied", "NewCimLiteClassCommand", ErrorCategory.PermissionDenied);
    }

    [Fact]
    public void ReadOnly_MissingFile_IsAnError_AndCreatesNothing()
    {
        var v = Vars("missing.db");
        var result = Try("try { New-CimLiteSession -Path $f -ReadOnly } catch { $_ }", v);
        var e = Assert.IsType<ErrorRecord>(result.Values.Single());
        Assert.StartsWith("CimLite.", e.FullyQualifiedErrorId);
        Assert.False(File.Exists((string)v["f"]!));
    }

    [Fact]
    public void Get_ListsOpenSessions_AndRemoveClosesThem()
    {
        var v = Vars();
        Run("$a = New-CimLiteSession -InMemory; $b = New-CimLiteSession -Path $f", v);
        Assert.Equal(2, Eval("@(Get-CimLiteSession | Where-Object { [object]::ReferenceEquals($_, $a) -or [object]::ReferenceEquals($_, $b) }).Count"));
        Run("$a | Remove-CimLiteSession");
        Assert.Equal(true, Eval("$a.IsClosed"));
        Assert.Equal(new object?[] { Path.GetFullPath((string)v["f"]!) }, Run("Get-CimLiteSession | ForEach-Object { $_.Path }").Values);
        Run("Remove-CimLiteSession -Session $b");
        Assert.Empty(Run("Get-CimLiteSession").Output);
        // Closing a closed session again is harmless.
        Run("Remove-CimLiteSession $a, $b");
    }

    [Fact]
    public void Remove_ClosedSession_LaterUseFailsClearly()
    {
        Run("$c = New-CimLiteSession -InMemory; $null = New-CimLiteClass -Session $c -ClassName K -Key N -Property @{ N = 'string' }; Remove-CimLiteSession $c");
        foreach (var command in new[]
        {
            "Get-CimLiteClass -Session $c",
            "New-CimLiteClass -Session $c -ClassName K2",
            "Remove-CimLiteClass -Session $c K",
            "Get-CimLiteInstance -Session $c K",
            "New-CimLiteInstance -Session $c K @{ N = 'a' }",
            "Set-CimLiteInstance -Session $c -ClassName K -Property @{ N = 'a' }",
            "Remove-CimLiteInstance -Session $c -Path 'K.N=\"a\"'",
        })
        {
            var e = TerminatingError(command);
            Assert.StartsWith("CimLite.SessionClosed,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("closed", e.Exception.Message);
        }
    }

    [Fact]
    public void Remove_WhatIf_LeavesTheSessionOpen()
    {
        Run("$c = New-CimLiteSession -InMemory; Remove-CimLiteSession $c -WhatIf");
        Assert.Equal(false, Eval("$c.IsClosed"));
        Run("$null = New-CimLiteClass -Session $c -ClassName K -Key N -Property @{ N = 'string' }");
    }

    [Fact]
    public void DefaultSession_UsesCimliteRepository_WhenNoSessionIsGiven()
    {
        var saved = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
        try
        {
            var v = Vars("default.db");
            Run("$env:CIMLITE_REPOSITORY = $f", v);
            Run("""
                $null = New-CimLiteClass -ClassName K -Key N -Property @{ N = 'string'; V = 'uint32' }
                $null = New-CimLiteInstance K @{ N = 'a'; V = 1 }
                Set-CimLiteInstance -ClassName K -Key @{ N = 'a' } -Property @{ V = 2 }
                $null = New-CimLiteInstance K @{ N = 'b' }
                Get-CimLiteInstance -Path 'K.N="b"' | Remove-CimLiteInstance
                """);
            Assert.Equal(Path.GetFullPath((string)v["f"]!), Text("(Get-CimLiteSession -Default).Path"));
            Assert.Contains(Path.GetFullPath((string)v["f"]!), Run("Get-CimLiteSession | ForEach-Object { $_.Path }").Values);
            Assert.True(File.Exists((string)v["f"]!));
            Assert.Equal("K", Text("(Get-CimLiteClass K).ClassName"));

            // Another session on the same file sees what the default session wrote.
            Assert.Equal("a=2", Text("$o = New-CimLiteSession -Path $f; (Get-CimLiteInstance -Session $o K | ForEach-Object { $_.N + '=' + $_.V }) -join ','; Remove-CimLiteSession $o"));

            // Pointing the variable elsewhere switches the default session.
            var other = Path.Combine(dir, "other.db");
            Run("$env:CIMLITE_REPOSITORY = $o2", new Hashtable { ["o2"] = other });
            Assert.Equal(other, Text("(Get-CimLiteSession -Default).Path"));
            Assert.Single(Try("Get-CimLiteClass K").Errors);
            Run("Remove-CimLiteClass -Session (Get-CimLiteSession -Default) -ClassName K -ErrorAction SilentlyContinue");
            Run("Remove-CimLiteClass K -Session (New-CimLiteSession -Path $f) -Force", v);
        }
        finally
        {
            Host.Invoke("Get-CimLiteSession | Remove-CimLiteSession");
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", saved);
        }
    }

    [Fact]
    public void DefaultSession_WhatIf_WritesNothingToTheDefaultRepository()
    {
        var saved = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
        try
        {
            Run("$env:CIMLITE_REPOSITORY = $f; $null = New-CimLiteClass -ClassName K -Key N -Property @{ N = 'string' }; $null = New-CimLiteInstance K @{ N = 'a' }", Vars("whatif.db"));
            Run("$s = Get-CimLiteSession -Default");
            var before = Dump();
            Run("""
                New-CimLiteClass -ClassName W -WhatIf
                New-CimLiteInstance K @{ N = 'b' } -WhatIf
                Set-CimLiteInstance -ClassName K -Property @{ N = 'c' } -WhatIf
                Get-CimLiteInstance K | Remove-CimLiteInstance -WhatIf
                Remove-CimLiteClass K -Force -WhatIf
                """);
            Assert.Equal(before, Dump());
        }
        finally
        {
            Host.Invoke("Get-CimLiteSession | Remove-CimLiteSession");
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", saved);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void New_BusyTimeout_InSeconds_DefaultsToTheEnvironmentVariableElseTenSeconds()
    {
        Assert.Equal("0.25", Text("(New-CimLiteSession -InMemory -BusyTimeout 0.25).BusyTimeout.TotalSeconds.ToString([cultureinfo]::InvariantCulture)"));
        Assert.Equal("10", Text("(New-CimLiteSession -InMemory).BusyTimeout.TotalSeconds.ToString([cultureinfo]::InvariantCulture)"));
        var bad = TerminatingError("New-CimLiteSession -InMemory -BusyTimeout -1");
        Assert.Contains("BusyTimeout", bad.FullyQualifiedErrorId + bad.Exception.Message);

        var saved = Environment.GetEnvironmentVariable("CIMLITE_BUSY_TIMEOUT");
        try
        {
            Environment.SetEnvironmentVariable("CIMLITE_BUSY_TIMEOUT", "2.5");
            Assert.Equal("2.5", Text("(New-CimLiteSession -InMemory).BusyTimeout.TotalSeconds.ToString([cultureinfo]::InvariantCulture)"));
            Assert.Equal("1", Text("(New-CimLiteSession -InMemory -BusyTimeout 1).BusyTimeout.TotalSeconds.ToString([cultureinfo]::InvariantCulture)"));
            Environment.SetEnvironmentVariable("CIMLITE_BUSY_TIMEOUT", "soon");
            var error = TerminatingError("New-CimLiteSession -InMemory");
            AssertCimError(error, "InvalidParameter", "NewCimLiteSessionCommand", ErrorCategory.InvalidArgument);
            Assert.Contains("CIMLITE_BUSY_TIMEOUT", error.Exception.Message);
            Assert.Contains("soon", error.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CIMLITE_BUSY_TIMEOUT", saved);
        }
    }

    [Fact]
    public void New_BusyTimeout_AWriteBlockedByAnotherProcessFailsAfterItAsBusy_AndWaitsWithTheDefault()
    {
        var v = Vars();
        Run("$w = New-CimLiteSession -Path $f; foreach ($c in 'K', 'L') { $null = New-CimLiteClass -Session $w -ClassName $c -Key N -Property @{ N = 'string' } }; Remove-CimLiteSession $w", v);
        // Another process holds the write lock for 4 s: its provider (of class L) runs inside its put's transaction.
        using var holder = ShellProcess.Start((string)v["f"]!, """
            $null = Register-CimLiteProvider -ClassName L -Put { [Console]::Out.WriteLine('holding'); [System.Threading.Thread]::Sleep(4000) }
            $null = Set-CimLiteInstance L @{ N = 'held' }
            [Console]::Out.WriteLine('released')
            """);
        Assert.True(holder.WaitForLines(l => l == "holding", 1, TimeSpan.FromSeconds(90)), "holder never took the lock: " + holder.StdErrSoFar);

        var error = Assert.Single(Try("$b = New-CimLiteSession -Path $f -BusyTimeout 0.3; $null = New-CimLiteInstance -Session $b K @{ N = 'quick' }", v).Errors);
        AssertCimError(error, "Failed", "NewCimLiteInstanceCommand", ErrorCategory.NotSpecified);
        Assert.Contains("busy", error.Exception.Message);
        Assert.DoesNotContain("locked", error.Exception.Message);

        // The default busy timeout (10 s) outlasts the hold: the same write waits and succeeds.
        Run("$c = New-CimLiteSession -Path $f; $null = New-CimLiteInstance -Session $c K @{ N = 'patient' }", v);
        var done = holder.Finish(TimeSpan.FromSeconds(120));
        Assert.True(done.ExitCode == 0 && done.StdErr.Length == 0, done.StdErr);
        Assert.Contains("released", done.Lines);
        Assert.Equal(new object?[] { "patient" }, Run("$r = New-CimLiteSession $f; foreach ($i in Get-CimLiteInstance -Session $r K) { $i.N }", v).Values);
    }
}
