using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Repository care cmdlets (issue 16): Test-, Get-, Backup-, Optimize-, Restore- and Repair-CimLiteRepository through a
/// runspace: parameter sets, -WhatIf, errors with their ids, progress, warnings and verbose, and the files they leave.
/// </summary>
public sealed class RepositoryCareCommandTests : CommandTestBase
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cimlite-care-cmd-" + Guid.NewGuid().ToString("N"));

    public RepositoryCareCommandTests() : base(withSchema: false)
    {
        Directory.CreateDirectory(dir);
        Run("""
            $r = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $r -ClassName Disk -Key DeviceId -Property @{ DeviceId = 'string'; Size = 'uint64' }
            $null = New-CimLiteClass -Session $r -ClassName Evt -Indication -Property @{ N = 'uint32' }
            foreach ($n in 1..30) { $null = New-CimLiteInstance -Session $r -ClassName Disk -Property @{ DeviceId = "disk$n"; Size = $n } }
            """, Vars());
    }

    public override void Dispose()
    {
        Try("Get-CimLiteSession | Remove-CimLiteSession");
        base.Dispose();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string F(string name) => Path.Combine(dir, name);

    private Hashtable Vars() => new() { ["f"] = F("repo.db"), ["dir"] = dir };

    /// <summary>Runs one statement on the repository file behind the engine's back (SQLite as the module ships it).</summary>
    private void Sql(string sql)
    {
        var v = Vars();
        v["sql"] = sql;
        Run("""
            $null = [System.Reflection.Assembly]::Load('Microsoft.Data.Sqlite')
            $c = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=' + $f + ';Pooling=False')
            $c.Open()
            $q = $c.CreateCommand()
            $q.CommandText = $sql
            $null = $q.ExecuteNonQuery()
            $c.Dispose()
            """, v);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Test_is_true_for_a_sound_repository_by_session_and_by_path()
    {
        Assert.Equal(true, Eval("Test-CimLiteRepository -Session $r"));
        Run("Remove-CimLiteSession -Session $r");
        var before = Hash(F("repo.db"));
        Assert.Equal(true, Eval("Test-CimLiteRepository -Path $f", Vars()));
        Assert.Equal("CimLite.CimLiteRepositoryReport True 30 0", Text("$d = Test-CimLiteRepository $f -Detailed; $d.GetType().FullName + ' ' + $d.IsHealthy + ' ' + $d.Instances + ' ' + $d.Problems.Count", Vars()));
        Assert.Equal(before, Hash(F("repo.db")));
    }

    [Fact]
    public void Test_is_false_for_a_damaged_file_and_says_why_in_verbose()
    {
        File.WriteAllText(F("text.db"), "this is not a database but plain text, long enough for a header");
        var before = Hash(F("text.db"));
        var result = Run("Test-CimLiteRepository -Path (Join-Path $dir text.db) -Verbose", Vars());
        Assert.Equal(false, result.Values.Single());
        Assert.Contains(result.Verbose, v => v.StartsWith("Header: ", StringComparison.Ordinal) && v.Contains("text.db"));
        Assert.Equal(before, Hash(F("text.db")));
    }

    [Fact]
    public void Test_of_a_missing_file_is_an_error_and_Path_with_Session_conflict()
    {
        var missing = Host.InvokeExpectingError("Test-CimLiteRepository -Path (Join-Path $dir none.db)", Vars());
        Assert.Equal("CimLite.NotFound,CimLite.Commands.TestCimLiteRepositoryCommand", missing.FullyQualifiedErrorId);
        Assert.False(File.Exists(F("none.db")));
        var conflict = Host.InvokeExpectingError("Test-CimLiteRepository -Path $f -Session $r", Vars());
        Assert.Equal("CimLite.ConflictingParameters,CimLite.Commands.TestCimLiteRepositoryCommand", conflict.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_counts_by_session_and_by_path()
    {
        Assert.Equal("30 2 8 " + F("repo.db"), Text("$i = Get-CimLiteRepository -Session $r; '' + $i.Instances + ' ' + $i.Classes + ' ' + $i.FormatVersion + ' ' + $i.Path"));
        Assert.Equal("30", Text("'' + ((Get-CimLiteRepository $f).Namespaces | Where-Object Name -eq 'root/cimv2').Instances", Vars()));
    }

    [Fact]
    public void Backup_writes_a_sound_copy_refuses_an_existing_file_without_Force_and_honours_WhatIf()
    {
        var target = F("b.db");
        var whatIf = Run("Backup-CimLiteRepository -Session $r -Destination (Join-Path $dir b.db) -WhatIf", Vars());
        Assert.Empty(whatIf.Output);
        Assert.False(File.Exists(target));
        var result = Run("Backup-CimLiteRepository -Session $r -Destination (Join-Path $dir b.db)", Vars());
        Assert.Equal(30L, Convert.ToInt64(result.Output.Single().Properties["Instances"].Value));
        Assert.Equal(target, result.Output.Single().Properties["Destination"].Value);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal(true, Eval("Test-CimLiteRepository -Path (Join-Path $dir b.db)", Vars()));
        var hash = Hash(target);
        var exists = Host.InvokeExpectingError("Backup-CimLiteRepository -Session $r -Destination (Join-Path $dir b.db)", Vars());
        Assert.Equal("CimLite.AlreadyExists,CimLite.Commands.BackupCimLiteRepositoryCommand", exists.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);
        Assert.Equal(hash, Hash(target));
        Run("$null = New-CimLiteInstance -Session $r -ClassName Disk -Property @{ DeviceId = 'extra' }");
        Assert.Equal("31", Text("'' + (Backup-CimLiteRepository -Path $f -Destination (Join-Path $dir b.db) -Force).Instances", Vars()));
    }

    [Fact]
    public void Optimize_reports_sizes_and_WhatIf_changes_nothing()
    {
        Run("foreach ($n in 100..400) { $null = New-CimLiteInstance -Session $r -ClassName Disk -Property @{ DeviceId = ('x' * 800) + $n; Size = $n } }");
        Run("Get-CimLiteInstance -Session $r -ClassName Disk | Where-Object Size -gt 2 | Remove-CimLiteInstance");
        Run("Remove-CimLiteSession -Session $r");
        var before = Hash(F("repo.db"));
        var whatIf = Run("Optimize-CimLiteRepository -Path $f -WhatIf", Vars());
        Assert.Empty(whatIf.Output);
        Assert.Equal(before, Hash(F("repo.db")));
        var result = Run("Optimize-CimLiteRepository -Path $f", Vars());
        var optimized = result.Output.Single();
        Assert.True(Convert.ToInt64(optimized.Properties["SizeAfterBytes"].Value) < Convert.ToInt64(optimized.Properties["SizeBeforeBytes"].Value));
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("VACUUM"));
        Assert.Equal(2L, Convert.ToInt64(Eval("(Get-CimLiteRepository -Path $f).Instances", Vars())));
    }

    [Fact]
    public void Restore_refuses_while_a_session_has_the_file_open_then_replaces_it_and_keeps_the_old_one()
    {
        Run("$null = Backup-CimLiteRepository -Session $r -Destination (Join-Path $dir b.db)", Vars());
        Run("$null = New-CimLiteInstance -Session $r -ClassName Disk -Property @{ DeviceId = 'after' }");
        var inUse = Host.InvokeExpectingError("Restore-CimLiteRepository -Path (Join-Path $dir b.db) -Destination $f", Vars());
        Assert.Equal("CimLite.Failed,CimLite.Commands.RestoreCimLiteRepositoryCommand", inUse.FullyQualifiedErrorId);
        Assert.Contains("session(s) of this process", inUse.Exception.Message);
        Run("Remove-CimLiteSession -Session $r");
        var whatIf = Run("Restore-CimLiteRepository -Path (Join-Path $dir b.db) -Destination $f -WhatIf", Vars());
        Assert.Empty(whatIf.Output);
        Assert.False(File.Exists(F("repo.db.before-restore")));
        Assert.Equal(F("repo.db.before-restore"), Text("(Restore-CimLiteRepository (Join-Path $dir b.db) $f).PreviousKeptAs", Vars()));
        Assert.Equal(30L, Convert.ToInt64(Eval("(Get-CimLiteRepository -Path $f).Instances", Vars())));
        Assert.Equal(31L, Convert.ToInt64(Eval("(Get-CimLiteRepository -Path (Join-Path $dir repo.db.before-restore)).Instances", Vars())));
    }

    [Fact]
    public void Restore_refuses_a_damaged_backup_and_leaves_the_destination_byte_identical()
    {
        Run("Remove-CimLiteSession -Session $r");
        File.WriteAllText(F("bad.db"), "garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage");
        var before = Hash(F("repo.db"));
        var error = Host.InvokeExpectingError("Restore-CimLiteRepository -Path (Join-Path $dir bad.db) -Destination $f -Force", Vars());
        Assert.Equal("CimLite.Failed,CimLite.Commands.RestoreCimLiteRepositoryCommand", error.FullyQualifiedErrorId);
        Assert.Contains("bad.db", error.Exception.Message);
        Assert.Equal(before, Hash(F("repo.db")));
    }

    [Fact]
    public void Repair_recovers_every_instance_behind_a_damaged_schema_page_and_warns_what_the_page_reader_did()
    {
        Run("Remove-CimLiteSession -Session $r");
        Sql("PRAGMA wal_checkpoint(TRUNCATE)");
        var bytes = File.ReadAllBytes(F("repo.db"));
        int pageSize = (bytes[16] << 8) | bytes[17];
        new Random(5).NextBytes(bytes.AsSpan(100, pageSize - 100));
        File.WriteAllBytes(F("repo.db"), bytes);
        var before = Hash(F("repo.db"));
        Assert.Equal(false, Eval("Test-CimLiteRepository -Path $f", Vars()));
        var result = Run("Repair-CimLiteRepository -Path $f -Destination (Join-Path $dir salvaged.db) | ForEach-Object { '' + $_.Recovered + ' ' + $_.Lost }", Vars());
        Assert.Equal("30 0", result.Values.Single());
        Assert.Contains(result.Warnings, w => w.StartsWith("The page reader read", StringComparison.Ordinal) && w.Contains("that SQLite's reader could not reach"));
        Assert.Equal(before, Hash(F("repo.db")));
        Assert.Equal(true, Eval("Test-CimLiteRepository -Path (Join-Path $dir salvaged.db)", Vars()));
        Assert.Equal("disk1 disk10 disk11", Text("$s = New-CimLiteSession -Path (Join-Path $dir salvaged.db) -ReadOnly; ((Get-CimLiteInstance -Session $s -ClassName Disk).DeviceId | Sort-Object | Select-Object -First 3) -join ' '; Remove-CimLiteSession $s", Vars()));
    }

    [Fact]
    public void Restore_removes_what_a_killed_restore_left_and_says_so_in_verbose()
    {
        Run("$null = Backup-CimLiteRepository -Session $r -Destination (Join-Path $dir b.db); Remove-CimLiteSession -Session $r", Vars());
        var leftover = F("repo.db.restoring-00c0ffee");
        File.WriteAllBytes(leftover, new byte[4096]);
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-2));
        var result = Run("(Restore-CimLiteRepository -Path (Join-Path $dir b.db) -Destination $f -Force -Verbose).RemovedLeftovers", Vars());
        Assert.Equal(leftover, result.Values.Single());
        Assert.Contains(result.Verbose, v => v.Contains(leftover) && v.Contains("did not finish"));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void Test_Detailed_names_a_reference_index_entry_that_is_missing()
    {
        Run("""
            $null = New-CimLiteClass -Session $r -ClassName Link -Key Id -Property @{ Id = 'string'; To = 'ref:Disk' }
            $null = New-CimLiteInstance -Session $r -ClassName Link -Property @{ Id = 'l1'; To = 'Disk.DeviceId="disk1"' }
            Remove-CimLiteSession -Session $r
            """, Vars());
        Assert.Equal(true, Eval("Test-CimLiteRepository -Path $f", Vars()));
        Sql("DELETE FROM instance_references");
        Assert.Equal("ReferenceIndex Link instance_references", Text("$p = (Test-CimLiteRepository -Path $f -Detailed).Problems; '' + $p.Count + ' ' + $p[0].Kind + ' ' + $p[0].ClassName + ' ' + $p[0].Table", Vars()).Substring(2));
    }
}
