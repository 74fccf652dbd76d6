using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using Xunit;
using CimLite.Testing;

namespace CimLite.Tests.Commands;

/// <summary>
/// Access through the cmdlets (issue 6 item 5): the default per-user repository is owner-only, a -ReadOnly session
/// refuses every write (scriptblock providers included) with PermissionDenied, and a repository cannot make
/// anyone run a script. In the default-session collection because one test changes process environment variables.
/// </summary>
[Collection(DefaultSessionCollection.Name)]
public sealed class AccessCommandTests : CommandTestBase
{
    private readonly string dir;

    public AccessCommandTests()
        : base(withSchema: false)
    {
        dir = Path.Combine(Path.GetTempPath(), "cimlite-access-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    public override void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private Hashtable Vars(string file = "repo.db") => new() { ["f"] = Path.Combine(dir, file), ["dir"] = dir };

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [LinuxFact("Linux only: XDG_DATA_HOME decides the default folder on Linux only")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_default_per_user_repository_and_its_folder_are_created_owner_only()
    {
        var savedRepository = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
        var savedXdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var data = Path.Combine(dir, "xdg");
        try
        {
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", null);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", data);
            var expected = Path.Combine(data, "CimLite", "repository.db");
            Assert.Equal(expected, Text("$null = New-CimLiteClass -ClassName K -Key N -Property @{ N = 'string' }; (Get-CimLiteSession -Default).Path"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(expected));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "CimLite")));
        }
        finally
        {
            Try("Get-CimLiteSession -Default | Remove-CimLiteSession");
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", savedRepository);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", savedXdg);
        }
    }

    private void Populate(Hashtable v)
    {
        Run("""
            $w = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $w -ClassName K -Key N -Property @{ N = 'string'; V = 'uint32' }
            $null = New-CimLiteClass -Session $w -ClassName Evt -Indication -Property @{ Text = 'string' }
            $null = New-CimLiteClass -Session $w -ClassName Served -Key Id -Property @{ Id = 'string' }
            $null = New-CimLiteInstance -Session $w K @{ N = 'a'; V = 1 }
            $null = New-CimLiteInstance -Session $w Evt @{ Text = 'queued' }
            Remove-CimLiteSession $w
            """, v);
    }

    [Fact]
    public void ReadOnly_refuses_receiving_without_Keep_MOF_import_and_posting_with_PermissionDenied_and_the_file_is_unchanged()
    {
        var v = Vars();
        Populate(v);
        var before = Hash((string)v["f"]!);
        File.WriteAllText(Path.Combine(dir, "new.mof"), "class FromMof { [Key] string Id; };");
        Run("$r = New-CimLiteSession -Path $f -ReadOnly", v);
        AssertCimError(SingleError("Receive-CimLitePosted -Session $r"), "AccessDenied", "ReceiveCimLitePostedCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("Import-CimLiteMof -Session $r -LiteralPath '" + Path.Combine(dir, "new.mof") + "'"), "AccessDenied", "ImportCimLiteMofCommand", ErrorCategory.PermissionDenied);
        AssertCimError(SingleError("New-CimLiteInstance -Session $r Evt @{ Text = 'no' }"), "AccessDenied", "NewCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        Assert.Equal("queued", Text("(Receive-CimLitePosted -Session $r -Keep).Text"));
        Run("Remove-CimLiteSession $r");
        Assert.Equal(before, Hash((string)v["f"]!));
    }

    [Fact]
    public void ReadOnly_a_scriptblock_provider_cannot_write_from_a_read_and_a_put_never_reaches_it()
    {
        var v = Vars();
        Populate(v);
        var before = Hash((string)v["f"]!);
        Run("""
            $r = New-CimLiteSession -Path $f -ReadOnly
            $global:attempts = [System.Collections.Generic.List[string]]::new()
            $global:putCalled = $false
            $null = Register-CimLiteProvider -Session $r -ClassName Served -Enumerate {
                param($Context)
                try { $Context.PostIndication($Context.NewInstance('Evt', @{ Text = 'from a read' })); $global:attempts.Add('post: written') }
                catch { $global:attempts.Add('post: ' + $_.Exception.InnerException.Status) }
                try { $null = New-CimLiteInstance -Session $r K @{ N = 'p' } -ErrorAction Stop; $global:attempts.Add('new: written') }
                catch { $global:attempts.Add('new: ' + $_.CategoryInfo.Category) }
                try { $null = Receive-CimLitePosted -Session $r -ErrorAction Stop; $global:attempts.Add('receive: taken') }
                catch { $global:attempts.Add('receive: ' + $_.CategoryInfo.Category) }
                $Context.PostInstance($Context.NewInstance('Served', @{ Id = '1' }))
            } -Put { param($Context, $Instance) $global:putCalled = $true }
            """, v);
        Assert.Equal("1", Text("(Get-CimLiteInstance -Session $r Served).Id"));
        Assert.Equal("post: AccessDenied|new: PermissionDenied|receive: PermissionDenied", Text("$global:attempts -join '|'"));
        AssertCimError(SingleError("New-CimLiteInstance -Session $r Served @{ Id = '2' }"), "AccessDenied", "NewCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        Assert.Equal(false, Eval("$global:putCalled"));
        Run("Remove-CimLiteSession $r");
        Assert.Equal(before, Hash((string)v["f"]!));
    }

    [Fact]
    public void A_class_qualifier_naming_a_provider_script_never_runs_it()
    {
        var v = Vars();
        var marker = Path.Combine(dir, "marker.txt");
        var script = Path.Combine(dir, "provider.ps1");
        File.WriteAllText(script, "[System.IO.File]::WriteAllText('" + marker + "', 'ran')\n");
        v["script"] = script;
        Run("""
            $w = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $w -ClassName Claimed -Key Id -Property @{ Id = 'string' } -Qualifier @{ Provider = $script; ProviderScript = "& '$script'"; Dynamic = $true }
            $null = New-CimLiteInstance -Session $w Claimed @{ Id = 'a' }
            Remove-CimLiteSession $w
            """, v);
        foreach (var readOnly in new[] { "", " -ReadOnly" })
        {
            Assert.Equal("a", Text("$s2 = New-CimLiteSession -Path $f" + readOnly + "; (Get-CimLiteInstance -Session $s2 Claimed).Id", v));
            Assert.Empty(Run("Get-CimLiteProvider -Session $s2").Output);
            Assert.Equal(script, Text("((Get-CimLiteClass -Session $s2 Claimed).Qualifiers | Where-Object Name -eq Provider).Value"));
            Run("Remove-CimLiteSession $s2");
            Assert.False(File.Exists(marker), "the provider script ran");
        }
        // The script is real: run on purpose, it leaves the marker (so its absence above means it never ran).
        Run("& $script", v);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public void A_damaged_repository_gives_a_CimLite_error_naming_the_file_not_a_raw_SQLite_exception()
    {
        var v = Vars("damaged.db");
        var path = (string)v["f"]!;
        Run("""
            $w = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $w -ClassName K -Key N -Property @{ N = 'string'; T = 'string' }
            $pad = 'x' * 300
            foreach ($i in 1..200) { $null = New-CimLiteInstance -Session $w K @{ N = "n$i"; T = $pad } }
            Remove-CimLiteSession $w
            """, v);
        var length = new FileInfo(path).Length;
        Assert.True(length > 16 * 4096, "expected many pages: " + length);
        var garbage = new byte[length / 4096 / 2 * 4096];
        new Random(3).NextBytes(garbage);
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write)) { f.Position = length - garbage.Length; f.Write(garbage); }
        var before = Hash(path);
        var result = Try("try { $d = New-CimLiteSession -Path $f -ReadOnly; Get-CimLiteInstance -Session $d K } catch { $_ }", v);
        var errors = result.Errors.Concat(result.Values.OfType<ErrorRecord>()).ToList();
        Assert.NotEmpty(errors);
        foreach (var e in errors)
        {
            Assert.StartsWith("CimLite.Failed,", e.FullyQualifiedErrorId);
            Assert.Contains("damaged", e.Exception.Message);
            Assert.Contains(path, e.Exception.Message);
        }
        Assert.Equal(before, Hash(path));
    }
}
