using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// The cmdlets on a PostgreSQL repository (issue 18): <c>New-CimLiteSession -ConnectionString</c> and every cmdlet that
/// is not file-specific, with the same results and the same ErrorRecord ids as on SQLite; the file-only cmdlets'
/// NOT_SUPPORTED; passwords shown nowhere; the default session from <c>$env:CIMLITE_CONNECTION_STRING</c> in the real
/// shell (which loads the backend from the module folder's postgres/ alone). Each test has a schema of its own on the
/// test process's server (<see cref="PostgresServer"/>); without a server the tests are skipped with the reason, unless
/// <c>CIMLITE_REQUIRE_POSTGRES=1</c>.
/// </summary>
public sealed class PostgresCommandTests : CommandTestBase
{
    /// <summary>A password no message may show (the test server trusts every local connection, so it is never checked).</summary>
    private const string Secret = "Zq9PgSecretXk";

    private readonly List<PostgresTestSchema> _schemas = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-pg-cmd-" + Guid.NewGuid().ToString("N"));

    public PostgresCommandTests() : base(withSchema: false)
    {
        if (!PostgresServer.ShouldTest) return; // every test is skipped
        Directory.CreateDirectory(_dir);
        // The schema of CommandTestBase, on a server session with a password in its connection string.
        Run(CommandTestBase.SchemaScript.Replace("New-CimLiteSession -InMemory", "New-CimLiteSession -ConnectionString $cs"), new Hashtable { ["cs"] = NewConnectionString() });
    }

    private string NewConnectionString(bool withPassword = true)
    {
        var schema = PostgresServer.Shared.NewSchema();
        _schemas.Add(schema);
        return schema.ConnectionString + (withPassword ? ";Password=" + Secret : "");
    }

    public override void Dispose()
    {
        if (PostgresServer.ShouldTest) Try("Get-CimLiteSession | Remove-CimLiteSession");
        base.Dispose();
        foreach (var schema in _schemas) schema.Dispose();
        try { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Everything an error record tells: its text, exception chain, target, category, details, formatted views.</summary>
    private string Everything(ErrorRecord error) =>
        string.Join("\n", error.ToString(), error.Exception.ToString(), Convert.ToString(error.TargetObject, System.Globalization.CultureInfo.InvariantCulture),
            error.CategoryInfo.ToString(), error.CategoryInfo.TargetName, error.FullyQualifiedErrorId, error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction,
            string.Concat(Run("$e | Format-List * -Force | Out-String -Width 400; $e | Out-String -Width 400; $e.Exception | Format-List * -Force | Out-String -Width 400", new Hashtable { ["e"] = error }).Values));

    // ---- New-CimLiteSession -ConnectionString ------------------------------------------------------------

    [PostgresFact]
    public void ConnectionString_opens_a_session_named_by_server_and_schema_and_the_password_is_shown_nowhere()
    {
        var result = Run("""
            $p = New-CimLiteSession -ConnectionString $cs -Verbose
            $p.Path
            $p.IsInMemory
            "$p"
            $p | Out-String -Width 400
            $p | Format-List * -Force | Out-String -Width 400
            Get-CimLiteSession | Out-String -Width 400
            """, new Hashtable { ["cs"] = NewConnectionString() });
        var path = (string)result.Values[0]!;
        Assert.Matches(@"^127\.0\.0\.1:\d+/postgres, schema cimlite_t_[0-9a-f]{16}$", path);
        Assert.Equal(false, result.Values[1]);
        Assert.Equal(path, result.Values[2]);
        Assert.Contains(path, (string)result.Values[3]!);
        Assert.Single(result.Verbose);
        Assert.Contains("127.0.0.1", result.Verbose[0]);
        var everything = string.Join("\n", result.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)).Concat(result.Verbose));
        Assert.DoesNotContain(Secret, everything);
        // Get-CimLiteRepository is file-only: its error names the server, never the password.
        var info = Host.InvokeExpectingError("Get-CimLiteRepository -Session $s");
        Assert.Equal("CimLite.NotSupported,CimLite.Commands.GetCimLiteRepositoryCommand", info.FullyQualifiedErrorId);
        Assert.DoesNotContain(Secret, Everything(info));
    }

    [PostgresFact]
    public void Errors_opening_a_server_never_show_the_password()
    {
        var port = new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.Shared.ConnectionString).Port;
        var cases = new (string ConnectionString, string Id)[]
        {
            // Nothing listens on port 1: the server cannot be reached.
            ("Host=127.0.0.1;Port=1;Username=cimlite;Database=postgres;Timeout=3;Password=" + Secret, "CimLite.Failed"),
            // Malformed: a port that is no number, an unknown keyword, a schema name PostgreSQL would need quoted.
            ("Host=127.0.0.1;Password=" + Secret + ";Port=abc", "CimLite.InvalidParameter"),
            ("Host=127.0.0.1;Password=" + Secret + ";NoSuchKeyword=" + Secret, "CimLite.InvalidParameter"),
            ("Host=127.0.0.1;Port=" + port + ";Username=cimlite;Database=postgres;Password=" + Secret + ";Search Path=\"a b\"", "CimLite.InvalidParameter"),
            // Not even a connection string.
            ("Password=\"" + Secret, "CimLite.InvalidParameter"),
        };
        foreach (var (connectionString, id) in cases)
        {
            var error = Host.InvokeExpectingError("New-CimLiteSession -ConnectionString $bad -Verbose", new Hashtable { ["bad"] = connectionString });
            Assert.Equal(id + ",CimLite.Commands.NewCimLiteSessionCommand", error.FullyQualifiedErrorId);
            Assert.DoesNotContain(Secret, Everything(error));
        }
    }

    [PostgresFact]
    public void ConnectionString_is_a_parameter_set_of_its_own()
    {
        var error = Host.InvokeExpectingError("New-CimLiteSession -ConnectionString $cs -Path x.db", new Hashtable { ["cs"] = "Host=127.0.0.1" });
        Assert.Equal("AmbiguousParameterSet,CimLite.Commands.NewCimLiteSessionCommand", error.FullyQualifiedErrorId);
        var both = Host.InvokeExpectingError("New-CimLiteSession -ConnectionString $cs -InMemory", new Hashtable { ["cs"] = "Host=127.0.0.1" });
        Assert.Equal("AmbiguousParameterSet,CimLite.Commands.NewCimLiteSessionCommand", both.FullyQualifiedErrorId);
        var shared = Host.InvokeExpectingError("New-CimLiteSession -ConnectionString $cs -AllowSharedFile", new Hashtable { ["cs"] = "Host=127.0.0.1" });
        Assert.Equal("AmbiguousParameterSet,CimLite.Commands.NewCimLiteSessionCommand", shared.FullyQualifiedErrorId);
    }

    [PostgresFact]
    public void ReadOnly_reads_and_refuses_writes_with_AccessDenied_leaving_the_repository_unchanged()
    {
        var cs = NewConnectionString();
        Run("""
            $w = New-CimLiteSession -ConnectionString $cs
            $null = New-CimLiteClass -Session $w -ClassName Vol -Key Name -Property @{ Name = 'string'; Note = 'string' }
            $null = New-CimLiteInstance -Session $w -ClassName Vol -Property @{ Name = 'a'; Note = 'x' }
            $r = New-CimLiteSession -ConnectionString $cs -ReadOnly
            """, new Hashtable { ["cs"] = cs });
        Assert.Equal("True a x", Text("'' + $r.IsReadOnly + ' ' + (Get-CimLiteInstance -Session $r -ClassName Vol).Name + ' ' + (Get-CimLiteInstance -Session $r -Query 'SELECT * FROM Vol WHERE Name = \"a\"').Note"));
        var put = SingleError("New-CimLiteInstance -Session $r -ClassName Vol -Property @{ Name = 'b' }");
        AssertCimError(put, "AccessDenied", "NewCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        var set = SingleError("Set-CimLiteInstance -Session $r -ClassName Vol -Property @{ Name = 'a'; Note = 'changed' }");
        AssertCimError(set, "AccessDenied", "SetCimLiteInstanceCommand", ErrorCategory.PermissionDenied);
        var cls = SingleError("New-CimLiteClass -Session $r -ClassName Other -Key Id -Property @{ Id = 'string' }");
        AssertCimError(cls, "AccessDenied", "NewCimLiteClassCommand", ErrorCategory.PermissionDenied);
        Assert.Equal("1 x", Text("'' + @(Get-CimLiteInstance -Session $w -ClassName Vol).Count + ' ' + (Get-CimLiteInstance -Session $w -ClassName Vol).Note"));
        // A read-only session on an empty schema is refused (it would have to create the repository).
        var empty = Host.InvokeExpectingError("New-CimLiteSession -ConnectionString $cs -ReadOnly", new Hashtable { ["cs"] = NewConnectionString() });
        Assert.Equal("CimLite.Failed,CimLite.Commands.NewCimLiteSessionCommand", empty.FullyQualifiedErrorId);
    }

    // ---- Instances, classes, queries ---------------------------------------------------------------------

    [PostgresFact]
    public void New_Set_Get_Remove_instance_as_on_SQLite()
    {
        var created = Obj("New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Caption = 'System'; Size = 100; Tags = 'ssd', 'boot' }");
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", Prop(created, "__PATH"));
        Assert.Equal(100UL, Prop(created, "Size"));
        // -ClassName -Property replaces the whole instance (Caption and Tags become null), as on SQLite; a piped one changes what -Property names.
        Run("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'c:'; Size = 200; Tags = 'ssd', 'boot' }");
        Run("Get-CimLiteInstance -Session $s -ClassName Disk | Set-CimLiteInstance -Property @{ Caption = 'Boot' }");
        Assert.Equal("200 Boot ssd,boot", Text("$d = Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"C:\"'; '' + $d.Size + ' ' + $d.Caption + ' ' + ($d.Tags -join ',')"));
        Run("1..20 | ForEach-Object { @{ DeviceId = \"n$_\"; Size = $_ } } | Set-CimLiteInstance -Session $s -ClassName Ssd");
        Assert.Equal("21 20", Text("'' + @(Get-CimLiteInstance -Session $s -ClassName Base).Count + ' ' + @(Get-CimLiteInstance -Session $s -ClassName Ssd).Count"));
        Run("Get-CimLiteInstance -Session $s -ClassName Ssd -Filter 'Size > 10' | Remove-CimLiteInstance");
        Run("Remove-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"C:\"' -WhatIf");
        Assert.Equal("11", Text("'' + @(Get-CimLiteInstance -Session $s -ClassName Base).Count"));
        Run("Remove-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"C:\"'");
        Assert.Equal("10", Text("'' + @(Get-CimLiteInstance -Session $s -ClassName Base).Count"));
    }

    [PostgresFact]
    public void Bad_input_gives_the_same_error_records_as_on_SQLite_and_changes_nothing()
    {
        Run("$null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 1 }");
        var before = Dump();
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 2 }"),
            "AlreadyExists", "NewCimLiteInstanceCommand", ErrorCategory.ResourceExists, "root/cimv2:Disk.DeviceId=\"C:\"");
        // The same key through a subclass: WMI's "no moving" rule.
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Ssd -Property @{ DeviceId = 'c:' }"),
            "AlreadyExists", "NewCimLiteInstanceCommand", ErrorCategory.ResourceExists);
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:'; Size = -1 }"),
            "TypeMismatch", "NewCimLiteInstanceCommand", ErrorCategory.InvalidType);
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:'; Nope = 1 }"),
            "NoSuchProperty", "NewCimLiteInstanceCommand", ErrorCategory.MetadataError);
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Base -Property @{ DeviceId = 'E:' }"),
            "InvalidOperation", "NewCimLiteInstanceCommand", ErrorCategory.InvalidOperation);
        AssertCimError(SingleError("New-CimLiteInstance -Session $s -ClassName Vol -Property @{ Name = 'v' }"),
            "IllegalNull", "NewCimLiteInstanceCommand", ErrorCategory.InvalidData);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s -Path 'Disk.DeviceId=\"Z:\"'"),
            "NotFound", "GetCimLiteInstanceCommand", ErrorCategory.ObjectNotFound);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s -ClassName NoSuchClass"),
            "InvalidClass", "GetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk WHERE'"),
            "InvalidQuery", "GetCimLiteInstanceCommand", ErrorCategory.InvalidArgument);
        AssertCimError(SingleError("Remove-CimLiteClass -Session $s -ClassName Disk"),
            "ClassHasChildren", "RemoveCimLiteClassCommand", ErrorCategory.MetadataError);
        AssertCimError(SingleError("New-CimLiteClass -Session $s -ClassName Disk -Key Id -Property @{ Id = 'string' }"),
            "AlreadyExists", "NewCimLiteClassCommand", ErrorCategory.ResourceExists);
        AssertCimError(SingleError("Get-CimLiteInstance -Session $s -ClassName Disk -Namespace root/none"),
            "InvalidNamespace", "GetCimLiteInstanceCommand", ErrorCategory.MetadataError);
        Assert.Equal(before, Dump());
    }

    [PostgresFact]
    public void New_Get_Remove_class_and_WQL_queries()
    {
        Run("$null = New-CimLiteClass -Session $s -ClassName Share -Namespace root/other -Key Name -Property @{ Name = 'string'; Users = 'uint32'; Path = 'string' }");
        Assert.Equal("root/other Share Name,Path,Users", Text("$c = Get-CimLiteClass -Session $s -ClassName Share -Namespace root/other; $c.Namespace + ' ' + $c.ClassName + ' ' + (($c.Properties.Name | Sort-Object) -join ',')"));
        Run("""
            1..30 | ForEach-Object { @{ Name = "s$_"; Users = $_; Path = "/srv/$_" } } | Set-CimLiteInstance -Session $s -ClassName Share -Namespace root/other
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'A:'; Size = 5; Caption = 'Floppy' }
            $null = New-CimLiteInstance -Session $s -ClassName Ssd -Property @{ DeviceId = 'B:'; Size = 500; Wear = 3 }
            """);
        Assert.Equal("s25,s26,s27,s28,s29,s30", Text("(Get-CimLiteInstance -Session $s -Namespace root/other -Query 'SELECT Name FROM Share WHERE Users > 24 AND Path LIKE \"/srv/%\"' | ForEach-Object Name | Sort-Object { [int]$_.Substring(1) }) -join ','"));
        Assert.Equal("B:", Text("(Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Disk WHERE Size >= 100' | ForEach-Object DeviceId) -join ','"));
        Assert.Equal("A:", Text("(Get-CimLiteInstance -Session $s -Query \"SELECT * FROM Base WHERE Caption = 'floppy'\" | ForEach-Object DeviceId) -join ','"));
        Assert.Equal("A:,B:", Text("(Get-CimLiteInstance -Session $s -Query 'SELECT * FROM Base WHERE __CLASS = \"Disk\" OR Wear IS NOT NULL' | ForEach-Object DeviceId | Sort-Object) -join ','"));
        Run("Get-CimLiteInstance -Session $s -ClassName Share -Namespace root/other | Remove-CimLiteInstance; Remove-CimLiteClass -Session $s -ClassName Share -Namespace root/other");
        AssertCimError(SingleError("Get-CimLiteClass -Session $s -ClassName Share -Namespace root/other"), "InvalidClass", "GetCimLiteClassCommand", ErrorCategory.MetadataError);
    }

    [PostgresFact]
    public void Associated_instances_follow_references_on_the_server()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Sys -Key Name -Property @{ Name = 'string' }
            $null = New-CimLiteClass -Session $s -ClassName SysDev -Key Owner, Part -Property @{ Owner = 'ref:Sys'; Part = 'ref:Base' } -Qualifier @{ Association = $true }
            $null = New-CimLiteInstance -Session $s -ClassName Sys -Property @{ Name = 'host' }
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'd1' }
            $null = New-CimLiteInstance -Session $s -ClassName Nic -Property @{ DeviceId = 'n1' }
            $null = New-CimLiteInstance -Session $s -ClassName SysDev -Property @{ Owner = 'Sys.Name="host"'; Part = 'Disk.DeviceId="d1"' }
            $null = New-CimLiteInstance -Session $s -ClassName SysDev -Property @{ Owner = 'Sys.Name="host"'; Part = 'Nic.DeviceId="n1"' }
            """);
        Assert.Equal("root/cimv2:Disk.DeviceId=\"d1\",root/cimv2:Nic.DeviceId=\"n1\"",
            Text("(Get-CimLiteInstance -Session $s -Path 'Sys.Name=\"host\"' | Get-CimLiteAssociatedInstance | ForEach-Object __PATH | Sort-Object) -join ','"));
        Assert.Equal("n1", Text("(Get-CimLiteInstance -Session $s -Path 'Sys.Name=\"host\"' | Get-CimLiteAssociatedInstance -ResultClassName Nic).DeviceId"));
        Assert.Equal("host", Text("(Get-CimLiteInstance -Session $s -Query 'ASSOCIATORS OF {Disk.DeviceId=\"d1\"}').Name"));
        Run("Get-CimLiteInstance -Session $s -Path 'Sys.Name=\"host\"' | Remove-CimLiteInstance -IncludeAssociations");
        Assert.Equal("0 2", Text("'' + @(Get-CimLiteInstance -Session $s -ClassName SysDev).Count + ' ' + @(Get-CimLiteInstance -Session $s -ClassName Base).Count"));
    }

    [PostgresFact]
    public void Invoke_method_runs_the_registered_handler_and_its_local_session_writes_to_the_server()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Svc -Key Name -Property @{ Name = 'string'; State = 'uint32' } -Method ([ordered]@{
                Start = @{ ReturnType = 'uint32'; Parameters = [ordered]@{ TimeoutSec = 'uint32'; Message = @{ Type = 'string'; Out = $true } } }
            })
            Set-CimLiteInstance -Session $s -ClassName Svc -Property @{ Name = 'a'; State = 0 }
            $null = Register-CimLiteProvider -Session $s -ClassName Svc -Method @{
                Start = {
                    param($Context, $Instance, $Arguments)
                    $null = Set-CimLiteInstance -Session $Context.LocalSession -ClassName Svc -Property @{ Name = $Instance.Name; State = 1 }
                    @{ ReturnValue = 0; Message = 'started ' + $Instance.Name + ' within ' + $Arguments.TimeoutSec }
                }
            }
            """);
        Assert.Equal("0 started a within 5 1", Text("$r = Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Start -Arguments @{ TimeoutSec = 5 }; '' + $r.ReturnValue + ' ' + $r.Message + ' ' + (Get-CimLiteInstance -Session $s -Path 'Svc.Name=\"a\"').State"));
        AssertCimError(SingleError("Invoke-CimLiteMethod -Session $s -Path 'Svc.Name=\"a\"' -MethodName Nope"), "MethodNotFound", "InvokeCimLiteMethodCommand", ErrorCategory.MetadataError);
    }

    [PostgresFact]
    public void Posted_indications_are_received_once_in_order()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Evt -Indication -Property @{ Seq = 'uint32' }
            1..5 | ForEach-Object { $null = New-CimLiteInstance -Session $s -ClassName Evt -Property @{ Seq = $_ } }
            """);
        Assert.Equal("1,2", Text("(Receive-CimLitePosted -Session $s -ClassName Evt -Keep -First 2 | ForEach-Object Seq) -join ','"));
        Assert.Equal("1,2,3,4,5", Text("(Receive-CimLitePosted -Session $s -ClassName Evt | ForEach-Object Seq) -join ','"));
        Assert.Equal("", Text("(Receive-CimLitePosted -Session $s -ClassName Evt | ForEach-Object Seq) -join ','"));
    }

    [PostgresFact]
    public void Copy_repository_from_a_file_to_the_server_and_back_through_the_cmdlets()
    {
        var vars = new Hashtable { ["f"] = Path.Combine(_dir, "a.db"), ["g"] = Path.Combine(_dir, "b.db"), ["cs"] = NewConnectionString() };
        Run("""
            $a = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $a -ClassName Disk -Key DeviceId -Property @{ DeviceId = 'string'; Size = 'uint64' }
            $null = New-CimLiteClass -Session $a -ClassName Evt -Indication -Property @{ N = 'uint32' }
            $null = New-CimLiteClass -Session $a -ClassName Share -Namespace root/other -Key Name -Property @{ Name = 'string' }
            1..300 | ForEach-Object { @{ DeviceId = "disk$_"; Size = $_ } } | Set-CimLiteInstance -Session $a -ClassName Disk
            $null = New-CimLiteInstance -Session $a -ClassName Share -Namespace root/other -Property @{ Name = 'pub' }
            $null = New-CimLiteInstance -Session $a -ClassName Evt -Property @{ N = 7 }
            $p = New-CimLiteSession -ConnectionString $cs
            $b = New-CimLiteSession -Path $g
            """, vars);
        var toServer = Run("$c = Copy-CimLiteRepository -Source $a -Destination $p; '' + $c.Instances + ' ' + $c.Classes");
        Assert.Equal("301 3", toServer.Values.Single());
        Assert.Contains(toServer.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal("301 3", Text("$c = $p | Copy-CimLiteRepository -Destination $b; '' + $c.Instances + ' ' + $c.Classes"));
        Assert.Equal(Text("Get-RepoDump $a"), Text("Get-RepoDump $b"));
        Assert.Equal(Text("Get-RepoDump $a"), Text("Get-RepoDump $p"));
        Assert.Equal("7", Text("(Receive-CimLitePosted -Session $b -ClassName Evt).N"));
        // Copying again into the server: the class is there, nothing is copied.
        var again = Host.InvokeExpectingError("Copy-CimLiteRepository -Source $a -Destination $p");
        Assert.Equal("CimLite.AlreadyExists,CimLite.Commands.CopyCimLiteRepositoryCommand", again.FullyQualifiedErrorId);
    }

    // ---- File-only cmdlets --------------------------------------------------------------------------------

    [PostgresFact]
    public void File_only_cmdlets_give_NotSupported_on_a_server_session_naming_the_server()
    {
        var before = Dump();
        var path = Text("$s.Path");
        foreach (var (script, command) in new[]
        {
            ("Test-CimLiteRepository -Session $s", "TestCimLiteRepositoryCommand"),
            ("Get-CimLiteRepository -Session $s", "GetCimLiteRepositoryCommand"),
            ("Backup-CimLiteRepository -Session $s -Destination (Join-Path $dir 'x.db')", "BackupCimLiteRepositoryCommand"),
            ("Optimize-CimLiteRepository -Session $s", "OptimizeCimLiteRepositoryCommand"),
        })
        {
            var error = Host.InvokeExpectingError(script, new Hashtable { ["dir"] = _dir });
            AssertCimError(error, "NotSupported", command, ErrorCategory.NotImplemented);
            Assert.Contains(path, error.Exception.Message);
            Assert.DoesNotContain(Secret, Everything(error));
        }
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));
        Assert.Equal(before, Dump());
    }

    // ---- The real shell: the default session and the module folder's postgres/ --------------------------

    [PostgresFact]
    public void The_shell_loads_the_backend_from_the_module_folder_and_CIMLITE_CONNECTION_STRING_is_the_default_session()
    {
        Assert.True(File.Exists(Path.Combine(HostedRunspace.ModuleDirectory, "postgres", "CimLite.Engine.Postgres.dll")));
        Assert.True(File.Exists(Path.Combine(HostedRunspace.ModuleDirectory, "postgres", "Npgsql.dll")));
        Assert.False(File.Exists(Path.Combine(HostedRunspace.ModuleDirectory, "Npgsql.dll")));
        var cs = NewConnectionString();
        var env = new Dictionary<string, string> { ["CIMLITE_CONNECTION_STRING"] = cs };
        // No $env:CIMLITE_REPOSITORY: the server is the default session.
        var result = ShellProcess.Run("", """
            $null = New-CimLiteClass -ClassName Thing -Key Id -Property @{ Id = 'string' }
            $null = New-CimLiteInstance -ClassName Thing -Property @{ Id = 'one' }
            'path=' + (Get-CimLiteSession -Default).Path
            'ids=' + ((Get-CimLiteInstance -ClassName Thing).Id -join ',')
            'loaded=' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' } | ForEach-Object { $_.Location })
            try { Restore-CimLiteRepository -Path nothing.db -Confirm:$false -ErrorAction Stop } catch { 'restore=' + $_.FullyQualifiedErrorId }
            """, env);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains(result.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^path=127\.0\.0\.1:\d+/postgres, schema cimlite_t_"));
        Assert.Contains("ids=one", result.Lines);
        var loaded = result.Lines.Single(l => l.StartsWith("loaded=", StringComparison.Ordinal));
        Assert.EndsWith(Path.Combine("postgres", "Npgsql.dll"), loaded);
        Assert.Contains("restore=CimLite.NotSupported,CimLite.Commands.RestoreCimLiteRepositoryCommand", result.Lines);
        Assert.DoesNotContain(Secret, result.StdOut + result.StdErr);
        // $env:CIMLITE_REPOSITORY wins: the file is the default session.
        var file = Path.Combine(_dir, "default.db");
        var withFile = ShellProcess.Run(file, "'path=' + (Get-CimLiteSession -Default).Path", env);
        Assert.Contains("path=" + file, withFile.Lines);
        // A module folder without postgres/: NOT_SUPPORTED saying the backend is not installed.
        var copy = Path.Combine(_dir, "CimLite");
        foreach (var moduleFile in Directory.GetFiles(HostedRunspace.ModuleDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(HostedRunspace.ModuleDirectory, moduleFile);
            if (relative.StartsWith("postgres" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(moduleFile, Path.Combine(copy, relative));
        }
        var missing = ShellProcess.Run(Path.Combine(_dir, "unused.db"), "Import-Module '" + Path.Combine(copy, "CimLite.psd1") + "'; try { New-CimLiteSession -ConnectionString $env:CIMLITE_CONNECTION_STRING -ErrorAction Stop } catch { 'id=' + $_.FullyQualifiedErrorId; 'message=' + $_.Exception.Message }",
            new Dictionary<string, string> { ["CIMLITE_CONNECTION_STRING"] = cs, ["CIMLITE_SHELL_NOIMPORT"] = "1" });
        Assert.Contains("id=CimLite.NotSupported,CimLite.Commands.NewCimLiteSessionCommand", missing.Lines);
        Assert.Contains(missing.Lines, l => l.StartsWith("message=The PostgreSQL backend is not installed", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, missing.StdOut + missing.StdErr);
        // A file user never loads Npgsql.
        var fileOnly = ShellProcess.Run(file, "'loaded=' + @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Npgsql', 'CimLite.Engine.Postgres' }).Count");
        Assert.Contains("loaded=0", fileOnly.Lines);
    }
}
