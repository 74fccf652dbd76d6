using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>Set-CimLiteInstance puts pipeline input in batches: per-item errors, order and -WhatIf stay as for single puts.</summary>
public sealed class PipelineBatchTests : CommandTestBase
{
    [Fact]
    public void A_bad_item_fails_alone_and_outputs_and_errors_keep_pipeline_order()
    {
        var result = Try("""
            @(@{ Name = 'a'; Label = 'A' }, @{ Name = 'a'; Label = 'again' }, @{ Name = 'b' }, @{ Name = 'c'; Label = 'C'; Bogus = 1 }, @{ Name = 'd'; Label = 'D' }) |
                Set-CimLiteInstance -Session $s -ClassName Vol -CreateOnly -PassThru | ForEach-Object Name
            """);
        Assert.Equal(new object?[] { "a", "d" }, result.Values.ToArray());
        Assert.Equal(new[] { "CimLite.AlreadyExists", "CimLite.IllegalNull", "CimLite.NoSuchProperty" },
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        Assert.Equal("again", ((System.Collections.IDictionary)result.Errors[0].TargetObject)["Label"]);
        Assert.Equal(new object?[] { "a", "d" }, Run("Get-CimLiteInstance -Session $s -ClassName Vol | ForEach-Object Name").Values.OrderBy(v => (string)v!).ToArray());
    }

    [Fact]
    public void More_items_than_a_batch_are_all_put()
    {
        var result = Run("1..2500 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol; @(Get-CimLiteInstance -Session $s -ClassName Vol).Count");
        Assert.Equal(2500, (int)result.Values.Single()!);
    }

    [Fact]
    public void WhatIf_puts_nothing_from_the_pipeline()
    {
        Run("@(@{ Name = 'a'; Label = 'A' }, @{ Name = 'b'; Label = 'B' }) | Set-CimLiteInstance -Session $s -ClassName Vol -WhatIf");
        Assert.Equal(0, (int)Run("@(Get-CimLiteInstance -Session $s -ClassName Vol).Count").Values.Single()!);
    }

    [Fact]
    public void WhatIfPreference_puts_nothing_from_the_pipeline()
    {
        Run("& { $WhatIfPreference = $true; @(@{ Name = 'a'; Label = 'A' }, @{ Name = 'b'; Label = 'B' }) | Set-CimLiteInstance -Session $s -ClassName Vol }");
        Assert.Equal(0, (int)Run("@(Get-CimLiteInstance -Session $s -ClassName Vol).Count").Values.Single()!);
    }

    [Fact]
    public void Verbose_names_each_piped_put_with_its_path_and_puts_it()
    {
        // ShouldProcess is skipped only when it would say yes without a word (issue 17): -Verbose makes it write the
        // operation and its target.
        var result = Run("@(@{ Name = 'a'; Label = 'A' }, @{ Name = 'b'; Label = 'B' }) | Set-CimLiteInstance -Session $s -ClassName Vol -Verbose");
        Assert.Equal(new[] { "a", "b" }.Select(n => $"Performing the operation \"Put instance (CreateOrUpdate)\" on target \"root/cimv2:Vol.Name=\"{n}\"\"."),
            result.Verbose.Where(v => v.StartsWith("Performing", StringComparison.Ordinal)));
        result = Run("@{ Name = 'c'; Label = 'C' } | Set-CimLiteInstance -Session $s -ClassName Vol -CreateOnly -Verbose");
        Assert.Contains("Performing the operation \"Put instance (CreateOnly)\" on target \"root/cimv2:Vol.Name=\"c\"\".", result.Verbose);
        Assert.Equal(new object?[] { "a", "b", "c" }, Run("Get-CimLiteInstance -Session $s -ClassName Vol | ForEach-Object Name").Values.OrderBy(v => (string)v!).ToArray());
    }

    [Fact]
    public void A_put_that_must_be_confirmed_asks_first_and_puts_nothing_unanswered()
    {
        // Set-CimLiteInstance's ConfirmImpact is Medium: $ConfirmPreference = 'Medium' or -Confirm asks before each put.
        // This runspace has no interactive host, so the question fails and nothing is stored.
        foreach (var script in new[]
        {
            "& { $ConfirmPreference = 'Medium'; @{ Name = 'a'; Label = 'A' }, @{ Name = 'b'; Label = 'B' } | Set-CimLiteInstance -Session $s -ClassName Vol }",
            "@{ Name = 'a'; Label = 'A' }, @{ Name = 'b'; Label = 'B' } | Set-CimLiteInstance -Session $s -ClassName Vol -Confirm",
        })
        {
            // The failed question stops the command at the first item.
            var asked = Assert.Single(Try(script).Errors);
            Assert.Contains("Performing the operation \"Put instance (CreateOrUpdate)\" on target \"root/cimv2:Vol.Name=\"a\"\".", asked.Exception.Message);
        }
        Assert.Equal(0, (int)Run("@(Get-CimLiteInstance -Session $s -ClassName Vol).Count").Values.Single()!);
        // -Confirm:$false and the default preference put without asking.
        Run("& { $ConfirmPreference = 'Low'; @{ Name = 'c'; Label = 'C' } | Set-CimLiteInstance -Session $s -ClassName Vol -Confirm:$false }");
        Run("@{ Name = 'd'; Label = 'D' } | Set-CimLiteInstance -Session $s -ClassName Vol");
        Assert.Equal(new object?[] { "c", "d" }, Run("Get-CimLiteInstance -Session $s -ClassName Vol | ForEach-Object Name").Values.OrderBy(v => (string)v!).ToArray());
    }

    [Fact]
    public void PowerShell_still_tells_whether_ShouldProcess_would_say_yes_unasked()
    {
        // Set-CimLiteInstance asks PowerShell's internal MshCommandRuntime.CalculatePossibleShouldProcessOptimization (by
        // reflection) to skip the path text and ShouldProcess of each piped put. If a PowerShell release drops it, the
        // module falls back to calling ShouldProcess every time (correct, slower): this test says so.
        var runtime = typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.MshCommandRuntime");
        Assert.NotNull(runtime);
        var method = runtime!.GetMethod("CalculatePossibleShouldProcessOptimization",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, Type.EmptyTypes, null);
        Assert.NotNull(method);
        Assert.True(method!.ReturnType.IsEnum);
        Assert.Contains("AutoYes_CanSkipShouldProcessCall", Enum.GetNames(method.ReturnType));
    }

    [Fact]
    public void ErrorAction_Stop_stops_at_the_first_failure_with_earlier_items_stored()
    {
        Assert.ThrowsAny<RuntimeException>(() => Host.Invoke("""
            @(@{ Name = 'a'; Label = 'A' }, @{ Name = 'b' }, @{ Name = 'c'; Label = 'C' }) | Set-CimLiteInstance -Session $s -ClassName Vol -ErrorAction Stop
            """));
        Assert.Equal(new object?[] { "a" }, Run("Get-CimLiteInstance -Session $s -ClassName Vol | ForEach-Object Name").Values.ToArray());
    }

    [Fact]
    public void A_pipeline_that_fails_upstream_still_stores_the_queued_items()
    {
        // The upstream throw ends the pipeline before Set-CimLiteInstance's end: the two confirmed, queued puts are
        // committed when the cmdlet is disposed, as single puts would already have been.
        Assert.ThrowsAny<RuntimeException>(() => Host.Invoke("""
            & { @{ Name = 'a'; Label = 'A' }; @{ Name = 'b'; Label = 'B' }; throw 'upstream failed' } | Set-CimLiteInstance -Session $s -ClassName Vol
            """));
        Assert.Equal(new object?[] { "a", "b" }, Run("Get-CimLiteInstance -Session $s -ClassName Vol | ForEach-Object Name").Values.OrderBy(v => (string)v!).ToArray());
    }

    [Fact]
    public void A_class_changed_between_piped_hashtables_is_seen_by_the_next_one()
    {
        // Set-CimLiteInstance reuses the class of the previous record within a batch; a record that the reused class
        // refuses (here: a property added meanwhile) is made again with a fresh lookup, as without the reuse.
        var result = Try("""
            $null = New-CimLiteClass -Session $s -ClassName Tmp -Key Name -Property @{ Name = 'string' }
            & {
                @{ Name = 'a' }
                $null = Remove-CimLiteClass -Session $s -ClassName Tmp
                $null = New-CimLiteClass -Session $s -ClassName Tmp -Key Name -Property @{ Name = 'string'; Extra = 'string' }
                @{ Name = 'b'; Extra = 'x' }
                @{ Name = 'c'; Bogus = 1 }
            } | Set-CimLiteInstance -Session $s -ClassName Tmp
            """);
        Assert.Equal(new[] { "CimLite.NoSuchProperty" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        Assert.Equal("Class 'Tmp' has no property 'Bogus'.", result.Errors[0].Exception.Message);
        Assert.Equal(new object?[] { "a:", "b:x" },
            Run("Get-CimLiteInstance -Session $s -ClassName Tmp | ForEach-Object { $_.Name + ':' + $_.Extra }").Values.OrderBy(v => (string)v!).ToArray());
    }

    [Fact]
    public void More_than_2000_items_write_progress_with_a_completed_record_at_the_end()
    {
        var result = Run("1..2500 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol");
        var records = result.Progress.Where(p => p.Activity == "Putting instances").ToList();
        Assert.Equal(new[] { "2500 instances", "2500 instances" }, records.Select(p => p.StatusDescription).ToArray());
        Assert.Equal(ProgressRecordType.Processing, records[0].RecordType);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
    }

    [Fact]
    public void Past_the_threshold_each_full_batch_reports_and_the_completed_record_has_the_total()
    {
        var result = Run("1..3500 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol");
        var records = result.Progress.Where(p => p.Activity == "Putting instances").ToList();
        Assert.Equal(new[] { "3000 instances", "3500 instances" }, records.Select(p => p.StatusDescription).ToArray());
        Assert.Equal(new[] { ProgressRecordType.Processing, ProgressRecordType.Completed }, records.Select(p => p.RecordType).ToArray());
    }

    [Fact]
    public void Up_to_2000_items_write_no_progress()
    {
        var result = Run("1..2000 | ForEach-Object { @{ Name = \"v$_\"; Label = 'x' } } | Set-CimLiteInstance -Session $s -ClassName Vol");
        Assert.Empty(result.Progress);
    }
}
