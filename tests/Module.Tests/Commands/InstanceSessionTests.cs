using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Issue 15 item 1: an instance remembers the session that produced it. Set-, Get- and Remove-CimLiteInstance given
/// such an instance without -Session act on that session (in memory or a file), never on the default repository; an
/// explicit -Session wins; an instance of a closed session is an error naming it; -ClientOnly instances have none.
/// The default repository is pointed at a file that must never come to exist.
/// </summary>
[Collection(DefaultSessionCollection.Name)]
public sealed class InstanceSessionTests : CommandTestBase
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-instance-session-" + Guid.NewGuid().ToString("N"));
    private readonly string? _savedRepository = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
    private readonly string _default;

    public InstanceSessionTests() : base(withSchema: false)
    {
        Directory.CreateDirectory(_dir);
        _default = Path.Combine(_dir, "default-untouched.db");
        Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", _default);
        Run("""
            $m = New-CimLiteSession -InMemory
            $f = New-CimLiteSession -Path $file
            foreach ($x in $m, $f) {
                $null = New-CimLiteClass -Session $x -ClassName Disk -Key Id -Property @{ Id = 'string'; Size = 'uint64' }
                $null = New-CimLiteInstance -Session $x -ClassName Disk -Property @{ Id = 'C:'; Size = 1 }
                $null = New-CimLiteInstance -Session $x -ClassName Disk -Property @{ Id = 'D:'; Size = 2 }
            }
            """, new Hashtable { ["file"] = Path.Combine(_dir, "file.db") });
    }

    public override void Dispose()
    {
        try
        {
            Assert.False(File.Exists(_default), "the default repository was used");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CIMLITE_REPOSITORY", _savedRepository);
            base.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("$m")]
    [InlineData("$f")]
    public void Remove_of_piped_instances_acts_on_their_session(string session)
    {
        Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | Remove-CimLiteInstance");
        Assert.Empty(Run($"Get-CimLiteInstance -Session {session} -ClassName Disk").Output);
        var other = session == "$m" ? "$f" : "$m";
        Assert.Equal(2, Run($"Get-CimLiteInstance -Session {other} -ClassName Disk").Output.Count);
        Assert.False(File.Exists(_default));
    }

    [Theory]
    [InlineData("$m")]
    [InlineData("$f")]
    public void Set_and_Get_of_piped_instances_act_on_their_session(string session)
    {
        Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | Set-CimLiteInstance -Property @{{ Size = 9 }}");
        Assert.Equal(new object?[] { 9UL, 9UL }, Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | Sort-Object Id | ForEach-Object Size").Values);
        // Whole instances changed in the pipeline and put back, and -PassThru output that remembers its session too.
        Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | ForEach-Object {{ $_.Size = 5; $_ }} | Set-CimLiteInstance -PassThru | Set-CimLiteInstance -Property @{{ Size = 6 }}");
        Assert.Equal(new object?[] { 6UL, 6UL }, Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | Get-CimLiteInstance | Sort-Object Id | ForEach-Object Size").Values);
        // New-CimLiteInstance and query output remember theirs.
        Run($"New-CimLiteInstance -Session {session} -ClassName Disk -Property @{{ Id = 'E:' }} | Remove-CimLiteInstance");
        Run($"Get-CimLiteInstance -Session {session} -Query \"SELECT * FROM Disk WHERE Id = 'C:'\" | Remove-CimLiteInstance");
        Assert.Equal(new object?[] { "D:" }, Run($"Get-CimLiteInstance -Session {session} -ClassName Disk | ForEach-Object Id").Values);
    }

    [Fact]
    public void An_explicit_Session_wins_over_the_instance_s_own()
    {
        Run("Get-CimLiteInstance -Session $m -ClassName Disk | Where-Object Id -eq 'C:' | Remove-CimLiteInstance -Session $f");
        Assert.Equal(new object?[] { "D:" }, Run("Get-CimLiteInstance -Session $f -ClassName Disk | ForEach-Object Id").Values);
        Assert.Equal(2, Run("Get-CimLiteInstance -Session $m -ClassName Disk").Output.Count);
    }

    [Fact]
    public void An_instance_of_a_closed_session_is_an_error_naming_it_and_nothing_falls_back_to_the_default()
    {
        var e = TerminatingError("$i = Get-CimLiteInstance -Session $f -ClassName Disk | Select-Object -First 1; Remove-CimLiteSession $f; $i | Remove-CimLiteInstance");
        Assert.Equal("CimLite.SessionClosed,CimLite.Commands.RemoveCimLiteInstanceCommand", e.FullyQualifiedErrorId);
        Assert.Contains("file.db", e.Exception.Message);
        Assert.Contains("closed", e.Exception.Message);
        foreach (var command in new[] { "Set-CimLiteInstance -Property @{ Size = 3 }", "Get-CimLiteInstance" })
            Assert.Equal("CimLite.SessionClosed", TerminatingError("$i | " + command).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void A_ClientOnly_instance_has_no_session_of_its_own()
    {
        // Built from $m's class but never stored: without -Session it goes to the default repository, which has no Disk.
        var e = Try("New-CimLiteInstance -Session $m -ClassName Disk -Property @{ Id = 'Z:' } -ClientOnly | Set-CimLiteInstance");
        Assert.Contains(e.Errors, r => r.FullyQualifiedErrorId.StartsWith("CimLite.InvalidClass", StringComparison.Ordinal));
        Run("Get-CimLiteSession -Default | Remove-CimLiteSession");
        File.Delete(_default); // the default repository was opened on purpose here
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(_default + suffix);
        Assert.Equal(2, Run("Get-CimLiteInstance -Session $m -ClassName Disk").Output.Count);
    }
}
