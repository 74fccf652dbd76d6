using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>Copy-CimLiteRepository (issue 18 item 6) through a runspace: what it copies, -WhatIf, pipeline input, progress and errors.</summary>
public sealed class RepositoryCopyCommandTests : CommandTestBase
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cimlite-copy-cmd-" + Guid.NewGuid().ToString("N"));

    public RepositoryCopyCommandTests() : base(withSchema: false)
    {
        Directory.CreateDirectory(dir);
        Run("""
            $r = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $r -ClassName Disk -Key DeviceId -Property @{ DeviceId = 'string'; Size = 'uint64' }
            $null = New-CimLiteClass -Session $r -ClassName Evt -Indication -Property @{ N = 'uint32' }
            $null = New-CimLiteClass -Session $r -ClassName Share -Namespace root/other -Key Name -Property @{ Name = 'string' }
            1..2500 | ForEach-Object { @{ DeviceId = "disk$_"; Size = $_ } } | Set-CimLiteInstance -Session $r -ClassName Disk
            $null = New-CimLiteInstance -Session $r -ClassName Share -Namespace root/other -Property @{ Name = 'pub' }
            $m = New-CimLiteSession -InMemory
            """, Vars());
    }

    public override void Dispose()
    {
        Try("Get-CimLiteSession | Remove-CimLiteSession");
        base.Dispose();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private Hashtable Vars() => new() { ["f"] = Path.Combine(dir, "repo.db"), ["dir"] = dir };

    [Fact]
    public void Copies_classes_and_instances_of_every_namespace_with_progress_and_returns_what_it_copied()
    {
        var result = Run("$c = Copy-CimLiteRepository -Source $r -Destination $m; $c.GetType().FullName + ' ' + $c.Instances + ' ' + $c.Classes + ' ' + ($c.Namespaces -eq (Get-CimLiteRepository -Session $r).Namespaces.Count)");
        Assert.Equal("CimLite.CimLiteCopyResult 2501 3 True", result.Values.Single());
        Assert.Contains(result.Progress, p => p.PercentComplete > 0 && p.PercentComplete < 100);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal("2500 pub 2500", Text("'' + (Get-CimLiteInstance -Session $m -ClassName Disk).Count + ' ' + (Get-CimLiteInstance -Session $m -ClassName Share -Namespace root/other).Name + ' ' + (Get-CimLiteInstance -Session $m -ClassName Disk -Filter 'DeviceId = \"disk2500\"').Size"));
    }

    [Fact]
    public void WhatIf_copies_nothing_and_a_session_can_be_piped_as_the_source()
    {
        Run("Copy-CimLiteRepository $r $m -WhatIf");
        Assert.Equal("0", Text("'' + @(Get-CimLiteClass -Session $m -ClassName Disk -ErrorAction SilentlyContinue).Count"));
        Assert.Equal("2501", Text("'' + ($r | Copy-CimLiteRepository -Destination $m).Instances"));
    }

    [Fact]
    public void A_class_the_destination_has_is_an_AlreadyExists_error_naming_it_and_nothing_is_copied()
    {
        Run("$null = New-CimLiteClass -Session $m -ClassName Share -Namespace root/other -Key Name -Property @{ Name = 'string' }");
        var error = Host.InvokeExpectingError("Copy-CimLiteRepository -Source $r -Destination $m");
        Assert.Equal("CimLite.AlreadyExists,CimLite.Commands.CopyCimLiteRepositoryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("root/other:Share", error.Exception.Message);
        Assert.Equal("0", Text("'' + @(Get-CimLiteClass -Session $m -ClassName Disk -ErrorAction SilentlyContinue).Count"));
    }

    [Fact]
    public void Copying_into_the_same_repository_or_from_a_closed_session_is_refused()
    {
        var same = Host.InvokeExpectingError("Copy-CimLiteRepository -Source $r -Destination (New-CimLiteSession -Path $f)", Vars());
        Assert.Equal("CimLite.InvalidParameter,CimLite.Commands.CopyCimLiteRepositoryCommand", same.FullyQualifiedErrorId);
        Run("$c = New-CimLiteSession -InMemory; Remove-CimLiteSession -Session $c");
        var closed = Host.InvokeExpectingError("Copy-CimLiteRepository -Source $c -Destination $m");
        Assert.Equal("CimLite.SessionClosed,CimLite.Commands.CopyCimLiteRepositoryCommand", closed.FullyQualifiedErrorId);
    }
}
