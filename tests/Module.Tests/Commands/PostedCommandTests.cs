using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// The durable posted queue (DESIGN §3): New-CimLiteInstance of an indication class and Receive-CimLitePosted.
/// Indication classes: <c>Evt</c> (Seq uint32, Msg string), <c>SubEvt : Evt</c> (Extra string), <c>Other</c> (N uint32).
/// </summary>
public sealed class PostedCommandTests : CommandTestBase
{
    public PostedCommandTests()
    {
        Run("""
            $null = New-CimLiteClass -Session $s -ClassName Evt -Indication -Property @{ Seq = 'uint32'; Msg = 'string' }
            $null = New-CimLiteClass -Session $s -ClassName SubEvt -Superclass Evt -Property @{ Extra = 'string' }
            $null = New-CimLiteClass -Session $s -ClassName Other -Indication -Property @{ N = 'uint32' }
            """);
    }

    private string Seqs(string receive) =>
        Text("(@(" + receive + ") | ForEach-Object { $_.__CLASS + $_.Seq + $_.N }) -join ','");

    private void PostEvents() => Run("""
        $null = New-CimLiteInstance -Session $s Evt @{ Seq = 1; Msg = 'a' }
        $null = New-CimLiteInstance -Session $s Other @{ N = 2 }
        $null = New-CimLiteInstance -Session $s SubEvt @{ Seq = 3; Extra = 'x' }
        $null = New-CimLiteInstance -Session $s Evt @{ Seq = 4 }
        """);

    [Fact]
    public void NewInstance_OfIndicationClass_PostsAndOutputsTheSnapshot_StoresNothing()
    {
        var before = Dump();
        var i = Obj("New-CimLiteInstance -Session $s Evt @{ Seq = 1; Msg = 'hello' }");
        Assert.Equal("Evt", Prop(i, "__CLASS"));
        Assert.Equal(1U, Prop(i, "Seq"));
        Assert.Equal("hello", Prop(i, "Msg"));
        Assert.Equal(before, Dump());
        Assert.Equal("Evt1", Seqs("Receive-CimLitePosted -Session $s -Keep"));
    }

    [Fact]
    public void NewInstance_OfIndicationClass_WhatIf_PostsNothing()
    {
        Run("New-CimLiteInstance -Session $s Evt @{ Seq = 1 } -WhatIf");
        Assert.Equal("", Seqs("Receive-CimLitePosted -Session $s"));
    }

    [Fact]
    public void Set_OfIndicationClass_IsInvalidOperation()
    {
        var e = SingleError("Set-CimLiteInstance -Session $s -ClassName Evt -Property @{ Seq = 1 }");
        AssertCimError(e, "InvalidOperation", "SetCimLiteInstanceCommand", ErrorCategory.InvalidOperation);
        Assert.Equal("", Seqs("Receive-CimLitePosted -Session $s"));
    }

    [Fact]
    public void Receive_ReturnsInPostingOrder_WithSequenceAndTime_AndRemoves()
    {
        PostEvents();
        var result = Run("""
            $r = @(Receive-CimLitePosted -Session $s)
            ($r | ForEach-Object { $_.__CLASS }) -join ','
            $r[0].PostedSequence -lt $r[1].PostedSequence -and $r[1].PostedSequence -lt $r[2].PostedSequence -and $r[2].PostedSequence -lt $r[3].PostedSequence
            $r[0].PostedSequence.GetType().Name
            $r[0].PostedAt.GetType().Name
            [Math]::Abs(([DateTimeOffset]::UtcNow - $r[0].PostedAt).TotalMinutes) -lt 5
            @(Receive-CimLitePosted -Session $s).Count
            """);
        Assert.Equal(new object?[] { "Evt,Other,SubEvt,Evt", true, "Int64", "DateTimeOffset", true, 0 }, result.Values);
    }

    [Fact]
    public void Receive_Keep_LeavesTheQueueAsItWas()
    {
        PostEvents();
        Assert.Equal("Evt1,Other2,SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s -Keep"));
        Assert.Equal("Evt1,Other2,SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s -Keep"));
        Assert.Equal("Evt1,Other2,SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s"));
        Assert.Equal("", Seqs("Receive-CimLitePosted -Session $s -Keep"));
    }

    [Fact]
    public void Receive_First_TakesOnlyThatMany()
    {
        PostEvents();
        Assert.Equal("Evt1,Other2", Seqs("Receive-CimLitePosted -Session $s -First 2 -Keep"));
        Assert.Equal("Evt1,Other2", Seqs("Receive-CimLitePosted -Session $s -First 2"));
        Assert.Equal("SubEvt3", Seqs("Receive-CimLitePosted -Session $s -First 1"));
        Assert.Equal("Evt4", Seqs("Receive-CimLitePosted -Session $s -First 5"));
    }

    [Fact]
    public void Receive_DownstreamFailure_RemovesOnlyWhatWasDelivered_AndLeavesNothingLeased()
    {
        // Evt1 and Other2 went through the whole pipeline; SubEvt3 made the consumer fail, Evt4 was never written.
        PostEvents();
        Assert.Equal("Evt1,Other2|failed", Text("""
            $seen = @()
            $outcome = try {
                Receive-CimLitePosted -Session $s | ForEach-Object { if ($_.Seq -eq 3) { throw 'consumer failed' }; $seen += $_.__CLASS + $_.Seq + $_.N }
                'completed'
            } catch { 'failed' }
            ($seen -join ',') + '|' + $outcome
            """));
        Assert.Equal("SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s -Keep"));
        Assert.Equal("SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s"));
        Assert.Equal("", Seqs("Receive-CimLitePosted -Session $s -Keep"));
    }

    [Fact]
    public void Receive_ClassName_IncludesSubclasses_AndLeavesOthersQueued()
    {
        PostEvents();
        Assert.Equal("Evt1,SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s -ClassName Evt"));
        Assert.Equal("Other2", Seqs("Receive-CimLitePosted -Session $s -Keep"));
        Assert.Equal("", Seqs("Receive-CimLitePosted -Session $s SubEvt"));
    }

    [Fact]
    public void Receive_SubclassName_ExcludesTheSuperclass()
    {
        PostEvents();
        Assert.Equal("SubEvt3", Seqs("Receive-CimLitePosted -Session $s -ClassName SubEvt"));
        Assert.Equal("Evt1,Other2,Evt4", Seqs("Receive-CimLitePosted -Session $s -Keep"));
    }

    [Fact]
    public void Receive_KeepWithMoreThanOneBatch_ReturnsEverythingOnce()
    {
        Run("foreach ($n in 1..1200) { $null = New-CimLiteInstance -Session $s Other @{ N = $n } }");
        var result = Run("$r = @(Receive-CimLitePosted -Session $s -Keep); $r.Count; ($r | ForEach-Object { $_.N }) -join ','; @(Receive-CimLitePosted -Session $s).Count");
        Assert.Equal(1200, result.Values[0]);
        Assert.Equal(string.Join(",", Enumerable.Range(1, 1200)), result.Values[1]);
        Assert.Equal(1200, result.Values[2]);
    }

    [Fact]
    public void Receive_WaitTimeout_OnEmptyQueue_ReturnsNothingAfterTheTimeout()
    {
        var clock = Stopwatch.StartNew();
        var result = Run("@(Receive-CimLitePosted -Session $s -Wait -Timeout 1).Count");
        clock.Stop();
        Assert.Equal(0, result.Values.Single());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public void Receive_Wait_ReturnsWhatArrivesWhileWaiting()
    {
        // A second runspace on the same repository file posts while this one waits.
        var folder = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimlite-wait-" + Guid.NewGuid().ToString("N"))).FullName; // not /tmp itself: shared folders are refused
        var file = System.IO.Path.Combine(folder, "wait.db");
        try
        {
            Run("$f = New-CimLiteSession -Path $file; $null = New-CimLiteClass -Session $f -ClassName W -Indication -Property @{ N = 'uint32' }",
                new System.Collections.Hashtable { ["file"] = file });
            using var poster = new TestUtilities.HostedRunspace();
            Exception? posterError = null;
            var post = new System.Threading.Thread(() =>
            {
                System.Threading.Thread.Sleep(700);
                try { poster.Invoke("$p = New-CimLiteSession -Path $file; $null = New-CimLiteInstance -Session $p W @{ N = 9 }; Remove-CimLiteSession $p",
                    new System.Collections.Hashtable { ["file"] = file }).ThrowIfErrors(); }
                catch (Exception e) { posterError = e; }
            });
            post.Start();
            var clock = Stopwatch.StartNew();
            var result = Run("(@(Receive-CimLitePosted -Session $f -Wait -Timeout 20) | ForEach-Object { $_.N }) -join ','");
            post.Join();
            Assert.Null(posterError);
            Assert.Equal("9", result.Values.Single());
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 15);
            Run("Remove-CimLiteSession $f");
        }
        finally
        {
            try { System.IO.Directory.Delete(folder, recursive: true); } catch (System.IO.IOException) { }
        }
    }

    [Fact]
    public void Receive_UnknownClass_IsInvalidClass()
    {
        var e = SingleError("Receive-CimLitePosted -Session $s -ClassName NoSuch");
        AssertCimError(e, "InvalidClass", "ReceiveCimLitePostedCommand", ErrorCategory.MetadataError);
    }

    [Fact]
    public void Receive_NonIndicationClass_IsInvalidClass_AndTakesNothing()
    {
        PostEvents();
        var e = SingleError("Receive-CimLitePosted -Session $s -ClassName Disk");
        AssertCimError(e, "InvalidClass", "ReceiveCimLitePostedCommand", ErrorCategory.MetadataError);
        Assert.Contains("'Disk' is not an indication class", e.Exception.Message);
        Assert.Equal("Evt1,Other2,SubEvt3,Evt4", Seqs("Receive-CimLitePosted -Session $s -Keep"));
    }

    [Fact]
    public void PostedSnapshot_IsAValue_ChangingItChangesNothingQueued()
    {
        Run("$e = New-CimLiteInstance -Session $s Evt @{ Seq = 1; Msg = 'orig' }; $e.Msg = 'changed'");
        Assert.Equal("orig", Text("(Receive-CimLitePosted -Session $s).Msg"));
    }
}
