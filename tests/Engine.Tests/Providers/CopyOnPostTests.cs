using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Providers;

/// <summary>DESIGN §3: posting takes a deep snapshot at once; results stream; posts after completion fail.</summary>
public sealed class CopyOnPostTests : SessionFixture
{
    private readonly List<string> _log = new();

    public CopyOnPostTests()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Prop("Tags", "string[]").Create();
        Class("Small").Key("Id", "uint32").Create();
        Class("Evt").Indication().Prop("Text", "string").Prop("Tags", "string[]").Create();
    }

    private TestProvider Provide(string className)
    {
        var p = new TestProvider(className, _log);
        Session.Providers.Register(className, p);
        return p;
    }

    private CimLiteInstance NewDisk(string id = "C:") =>
        New("Disk", ("DeviceId", id), ("Size", 10), ("Tags", new[] { "sys", "boot" }));

    /// <summary>A provider that posts one disk, then changes it in every way it can.</summary>
    private static void PostThenMutate(ICimLiteContext ctx, CimLiteInstance disk)
    {
        var qualifierValue = new[] { "q1", "q2" };
        disk.SetQualifier(new CimQualifier("Description", "before"));
        disk.SetQualifier(new CimQualifier("Labels", qualifierValue));
        ctx.PostInstance(disk);
        disk["Size"] = 99;
        ((string[])disk["Tags"]!)[0] = "CHANGED";
        disk.SetQualifier(new CimQualifier("Description", "after"));
        disk.SetQualifier(new CimQualifier("Added", true));
        qualifierValue[0] = "CHANGED";
        ((object[])disk.OwnQualifiers.Single(q => q.Name == "Labels").Value!)[1] = "CHANGED";
        disk["DeviceId"] = "Z:";
    }

    private static void AssertOriginal(CimLiteInstance seen)
    {
        Assert.Equal("C:", seen["DeviceId"]);
        Assert.Equal(10UL, seen["Size"]);
        Assert.Equal(new[] { "sys", "boot" }, (string[])seen["Tags"]!);
        Assert.Equal(new[] { "Description", "Labels" }, seen.OwnQualifiers.Select(q => q.Name));
        Assert.Equal("before", seen.OwnQualifiers[0].Value);
        Assert.Equal(new object[] { "q1", "q2" }, (object[])seen.OwnQualifiers[1].Value!);
    }

    [Fact]
    public void Changing_an_instance_after_PostInstance_changes_nothing_the_sink_received()
    {
        Provide("Disk").OnEnumerate = ctx => PostThenMutate(ctx, NewDisk());
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        AssertOriginal(Assert.Single(sink.Instances));
    }

    [Fact]
    public void Changing_an_instance_after_PostInstance_changes_nothing_the_pull_enumeration_returns()
    {
        Provide("Disk").OnEnumerate = ctx => PostThenMutate(ctx, NewDisk());
        AssertOriginal(Assert.Single(Session.EnumerateInstances("Disk")));
    }

    [Fact]
    public void Changing_an_instance_after_PostInstance_changes_nothing_GetInstance_returns()
    {
        Provide("Disk").OnGet = (ctx, path) => PostThenMutate(ctx, NewDisk());
        AssertOriginal(Get("Disk.DeviceId=\"C:\""));
    }

    [Fact]
    public void Posting_the_same_object_twice_with_a_change_in_between_delivers_two_different_snapshots()
    {
        Provide("Disk").OnEnumerate = ctx =>
        {
            var d = NewDisk();
            ctx.PostInstance(d);
            d["DeviceId"] = "D:";
            ((string[])d["Tags"]!)[1] = "data";
            ctx.PostInstance(d);
            d["DeviceId"] = "E:";
        };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        Assert.Equal(new[] { "C:", "D:" }, sink.Instances.Select(i => (string)i["DeviceId"]!));
        Assert.Equal(new[] { "sys", "boot" }, (string[])sink.Instances[0]["Tags"]!);
        Assert.Equal(new[] { "sys", "data" }, (string[])sink.Instances[1]["Tags"]!);
    }

    [Fact]
    public void Changing_an_indication_after_PostIndication_changes_nothing_in_the_posted_queue()
    {
        Provide("Disk").OnEnumerate = ctx =>
        {
            var e = New("Evt", ("Text", "original"), ("Tags", new[] { "a", "b" }));
            e.SetQualifier(new CimQualifier("Description", "before"));
            ctx.PostIndication(e);
            e["Text"] = "changed";
            ((string[])e["Tags"]!)[0] = "CHANGED";
            e.SetQualifier(new CimQualifier("Description", "after"));
        };
        Session.EnumerateInstances("Disk", new RecordingSink());
        var posted = Assert.Single(Session.ReceivePosted()).Instance;
        Assert.Equal("original", posted["Text"]);
        Assert.Equal(new[] { "a", "b" }, (string[])posted["Tags"]!);
        Assert.Equal("before", posted.OwnQualifiers.Single().Value);
    }

    [Fact]
    public void Session_PostIndication_returns_a_snapshot_that_later_changes_to_the_original_do_not_reach()
    {
        var e = New("Evt", ("Text", "original"), ("Tags", new[] { "a" }));
        var snapshot = Session.PostIndication(e);
        e["Text"] = "changed";
        ((string[])e["Tags"]!)[0] = "CHANGED";
        Assert.Equal("original", snapshot["Text"]);
        Assert.Equal(new[] { "a" }, (string[])snapshot["Tags"]!);
        var posted = Assert.Single(Session.ReceivePosted()).Instance;
        Assert.Equal("original", posted["Text"]);
        Assert.Equal(new[] { "a" }, (string[])posted["Tags"]!);
    }

    // ---- streaming ----

    private sealed class CountingSink : RecordingSink
    {
        private readonly Func<long> _postedSoFar;
        public CountingSink(Func<long> postedSoFar) { _postedSoFar = postedSoFar; }
        public long Count;
        public long PostedWhenFirstArrived = -1;
        public long Baseline = GC.GetTotalMemory(true);
        public long MaxGrowth;

        public override void OnInstance(CimLiteInstance instance)
        {
            if (Count == 0) PostedWhenFirstArrived = _postedSoFar();
            Count++;
            if (Count % 100_000 == 0) MaxGrowth = Math.Max(MaxGrowth, GC.GetTotalMemory(true) - Baseline);
        }
    }

    [Fact]
    public void A_provider_posting_a_million_instances_streams_them_to_the_sink_without_the_engine_holding_them()
    {
        const int total = 1_000_000;
        long posted = 0;
        bool finished = false;
        var sink = new CountingSink(() => posted);
        Provide("Small").OnEnumerate = ctx =>
        {
            var i = New("Small", ("Id", 0));
            for (uint n = 0; n < total; n++)
            {
                i["Id"] = n;
                ctx.PostInstance(i);
                posted++;
            }
            finished = true;
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Session.EnumerateInstances("Small", sink);
        watch.Stop();
        Assert.True(finished);
        Assert.Equal(total, sink.Count);
        Assert.Equal(0, sink.PostedWhenFirstArrived); // delivered during the first post, long before the provider finished
        Assert.True(sink.MaxGrowth < 200L * 1024 * 1024, $"managed memory grew by {sink.MaxGrowth / (1024 * 1024)} MB while streaming");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"streaming {total} instances took {watch.Elapsed}");
    }

    // ---- completion, errors, cancellation ----

    [Fact]
    public void Posting_after_the_request_completed_fails_with_Failed_and_changes_nothing()
    {
        ICimLiteContext? kept = null;
        Provide("Disk").OnEnumerate = ctx => { kept = ctx; ctx.PostInstance(NewDisk()); };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        Assert.Single(sink.Instances);
        Fails(CimStatus.Failed, () => kept!.PostInstance(NewDisk("D:")), "'Disk'", "completed");
        Fails(CimStatus.Failed, () => kept!.PostIndication(New("Evt", ("Text", "late"))), "'Disk'", "completed");
        Fails(CimStatus.Failed, () => kept!.PostError(CimStatus.NotFound, "late"), "'Disk'", "completed");
        Assert.Single(sink.Instances);
        Assert.Empty(Session.ReceivePosted(new ReceiveOptions { Keep = true }));
    }

    [Fact]
    public void Posting_after_a_put_completed_fails_with_Failed()
    {
        ICimLiteContext? kept = null;
        Provide("Disk").OnPut = (ctx, i) => kept = ctx;
        Session.PutInstance(NewDisk());
        Fails(CimStatus.Failed, () => kept!.PostInstance(NewDisk()), "completed");
    }

    [Fact]
    public void Posting_from_another_thread_after_the_request_completed_fails_with_Failed()
    {
        var started = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        Exception? late = null;
        Thread? thread = null;
        Provide("Disk").OnEnumerate = ctx =>
        {
            thread = new Thread(() =>
            {
                started.Set();
                release.Wait();
                try { ctx.PostInstance(NewDisk()); } catch (Exception e) { late = e; }
            });
            thread.Start();
            started.Wait();
        };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        release.Set();
        thread!.Join();
        AssertStatus(Assert.IsType<CimLiteException>(late), CimStatus.Failed, "completed");
        Assert.Empty(sink.Instances);
    }

    [Fact]
    public void PostError_ends_the_request_with_that_status_naming_the_class()
    {
        bool postAfterErrorFailed = false;
        Provide("Disk").OnEnumerate = ctx =>
        {
            ctx.PostInstance(NewDisk());
            ctx.PostError(CimStatus.AccessDenied, "you may not list disks");
            try { ctx.PostInstance(NewDisk("D:")); } catch (CimLiteException e) when (e.Status == CimStatus.Failed) { postAfterErrorFailed = true; }
        };
        var sink = new RecordingSink();
        var ex = Fails(CimStatus.AccessDenied, () => Session.EnumerateInstances("Disk", sink), "'Disk'", "you may not list disks");
        Assert.Equal("Disk", ex.ClassName);
        Assert.True(postAfterErrorFailed);
        Assert.Single(sink.Instances); // what was posted before the error was already delivered
    }

    [Fact]
    public void PostError_with_Ok_is_still_a_failure()
    {
        Provide("Disk").OnGet = (ctx, p) => ctx.PostError(CimStatus.Ok, "confused");
        Fails(CimStatus.Failed, () => Get("Disk.DeviceId=\"C:\""), "'Disk'", "confused");
    }

    [Fact]
    public void PostError_in_GetInstance_fails_the_get_with_that_status()
    {
        Provide("Disk").OnGet = (ctx, p) => ctx.PostError(CimStatus.NotFound, "no such disk here");
        var ex = Fails(CimStatus.NotFound, () => Get("Disk.DeviceId=\"C:\""), "'Disk'", "no such disk here");
        Assert.Equal("Disk", ex.ClassName);
    }

    [Fact]
    public void A_posted_instance_with_a_null_key_fails_the_post_with_Failed()
    {
        CimLiteException? seen = null;
        Provide("Disk").OnEnumerate = ctx =>
        {
            try { ctx.PostInstance(New("Disk", ("Size", 1))); }
            catch (CimLiteException e) { seen = e; }
            ctx.PostInstance(NewDisk());
        };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        AssertStatus(seen!, CimStatus.Failed, "'Disk'", "DeviceId");
        Assert.Equal("C:", Assert.Single(sink.Instances)["DeviceId"]);
    }

    [Fact]
    public void A_null_key_post_the_provider_does_not_catch_fails_the_enumeration_with_Failed_naming_the_class()
    {
        Provide("Disk").OnEnumerate = ctx => ctx.PostInstance(New("Disk", ("Size", 1)));
        var ex = Fails(CimStatus.Failed, () => Session.EnumerateInstances("Disk", new RecordingSink()), "'Disk'", "DeviceId");
        Assert.Equal("Disk", ex.ClassName);
    }

    [Fact]
    public void GetInstance_through_a_provider_returns_only_the_first_posted_instance_with_matching_keys()
    {
        Provide("Disk").OnGet = (ctx, path) =>
        {
            var other = NewDisk("D:");
            ctx.PostInstance(other);
            var first = NewDisk("C:");
            first["Size"] = 1;
            ctx.PostInstance(first);
            var second = NewDisk("c:");
            second["Size"] = 2;
            ctx.PostInstance(second);
        };
        var disk = Get("Disk.DeviceId=\"C:\"");
        Assert.Equal(1UL, disk["Size"]);
        Assert.Null(Find("Disk.DeviceId=\"X:\""));
    }

    [Fact]
    public void GetInstance_through_a_provider_that_posts_nothing_fails_with_NotFound()
    {
        Provide("Disk");
        Fails(CimStatus.NotFound, () => Get("Disk.DeviceId=\"C:\""), "Disk.DeviceId=\"C:\"");
    }

    [Fact]
    public void Posts_to_a_cancelled_request_are_ignored_and_the_provider_sees_IsCancelled()
    {
        using var cts = new CancellationTokenSource();
        bool sawCancelled = false;
        int posts = 0;
        Provide("Small").OnEnumerate = ctx =>
        {
            for (uint n = 0; n < 10; n++)
            {
                ctx.PostInstance(New("Small", ("Id", n)));
                posts++;
                if (n == 2) cts.Cancel();
            }
            sawCancelled = ctx.IsCancelled;
        };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Small", sink, cancellationToken: cts.Token);
        Assert.Equal(10, posts);
        Assert.True(sawCancelled);
        Assert.Equal(new uint[] { 0, 1, 2 }, sink.Instances.Select(i => (uint)i["Id"]!));
    }

    [Fact]
    public void Indications_posted_to_a_cancelled_request_are_ignored()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Provide("Disk").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "ignored")));
        Session.PutInstance(NewDisk(), new PutOptions { CancellationToken = cts.Token });
        Assert.Empty(Session.ReceivePosted(new ReceiveOptions { Keep = true }));
    }

    [Fact]
    public void PostIndication_of_an_instance_that_is_not_an_indication_fails_with_InvalidClass()
    {
        Provide("Disk").OnEnumerate = ctx => ctx.PostIndication(NewDisk());
        var ex = Fails(CimStatus.InvalidClass, () => Session.EnumerateInstances("Disk", new RecordingSink()), "Disk", "not an indication class");
        Fails(CimStatus.InvalidClass, () => Session.PostIndication(NewDisk()), "Disk", "not an indication class");
    }

    [Fact]
    public void Messages_and_progress_reach_the_sink_in_order_and_prompts_are_answered_by_it()
    {
        bool? process = null, proceed = null;
        Provide("Disk").OnEnumerate = ctx =>
        {
            ctx.WriteMessage(CimMessageChannel.Debug, "starting");
            ctx.WriteProgress("Listing", "disks", 50);
            process = ctx.ShouldProcess("C:", "list");
            proceed = ctx.ShouldContinue("really?", "caption");
            ctx.WriteMessage(CimMessageChannel.Verbose, "done");
        };
        var sink = new RecordingSink();
        Session.EnumerateInstances("Disk", sink);
        Assert.Equal(new[] { "Debug:starting", "Verbose:done" }, sink.Messages);
        Assert.Equal(new[] { "Listing:disks:50" }, sink.Progress);
        Assert.True(process);
        Assert.True(proceed);
    }
}
