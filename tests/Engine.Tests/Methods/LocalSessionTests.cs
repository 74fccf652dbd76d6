using System.Collections;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Methods;

/// <summary>
/// Issue 14, items 5 and 6: the transactional local session (a method's or put's writes are one transaction with the
/// call, indications included; unusable after the call; re-entry refused) and the storage rule of put-only chains.
/// </summary>
public sealed class LocalSessionTests : BackendSessionFixture
{
    private readonly List<string> _log = new();

    protected override void Arrange()
    {
        Session.ImportMofText("""
            class L_Svc { [Key] string Name; uint32 State; uint32 Start([In] boolean Fail); uint32 Nest([In] uint32 Depth); };
            class L_Log { [Key] string Id; string Text; };
            [Indication] class L_Evt { string Text; };
            """);
        Put("L_Svc", ("Name", "a"), ("State", 0u));
    }

    private static InstancePath P(string text) => InstancePath.Parse(text);

    private List<string> Queue() => Session.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => (string)p.Instance["Text"]!).ToList();

    private MethodProvider StartWrites()
    {
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) =>
        {
            var local = ctx.LocalSession;
            Assert.True(local.IsLocal);
            var svc = local.GetInstance(r.Instance!.GetPath());
            svc["State"] = 1u;
            local.PutInstance(svc);
            local.PutInstance(local.NewInstance("L_Log", new Hashtable { ["Id"] = "1", ["Text"] = "started" }));
            local.PostIndication(local.NewInstance("L_Evt", new Hashtable { ["Text"] = "started" }));
            // What the call wrote is visible inside it.
            Assert.Equal(1u, local.GetInstance(P("L_Svc.Name=\"a\""))["State"]);
            if ((bool)r.Arguments["Fail"]!) throw new InvalidOperationException("failed after writing");
            return 0;
        };
        Session.Providers.Register("L_Svc", p);
        return p;
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_methods_writes_through_the_local_session_are_kept_when_it_succeeds(string backend)
    {
        Use(backend);
        StartWrites();
        Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start", new Hashtable { ["Fail"] = false });
        Assert.Equal(1u, Get("L_Svc.Name=\"a\"")["State"]);
        Assert.Equal("started", Get("L_Log.Id=\"1\"")["Text"]);
        Assert.Equal(new[] { "started" }, Queue());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_failing_method_rolls_back_everything_it_wrote_through_the_local_session_indications_included(string backend)
    {
        Use(backend);
        StartWrites();
        var before = Snapshot();
        Fails(CimStatus.ProviderFailure, () => Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start", new Hashtable { ["Fail"] = true }), "failed after writing");
        Assert.Equal(0u, Get("L_Svc.Name=\"a\"")["State"]);
        Assert.Null(Find("L_Log.Id=\"1\""));
        Assert.Empty(Queue());
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_result_that_does_not_fit_rolls_back_the_methods_writes_too()
    {
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) =>
        {
            ctx.LocalSession.PutInstance(ctx.LocalSession.NewInstance("L_Log", new Hashtable { ["Id"] = "1" }));
            return new Hashtable { ["ReturnValue"] = 0, ["Undeclared"] = 1 };
        };
        Session.Providers.Register("L_Svc", p);
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start"), "'Undeclared'");
        Assert.Null(Find("L_Log.Id=\"1\""));
    }

    private sealed class LoggingPut : CimLiteProvider
    {
        public Action<ICimLiteContext, PutInstanceRequest>? OnPut { get; set; }

        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request) => OnPut?.Invoke(context, request);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_put_providers_writes_through_the_local_session_roll_back_when_the_put_fails_later(string backend)
    {
        Use(backend);
        Session.Providers.Register("L_Svc", new LoggingPut
        {
            OnPut = (ctx, r) =>
            {
                ctx.LocalSession.PutInstance(ctx.LocalSession.NewInstance("L_Log", new Hashtable { ["Id"] = (string)r.Instance["Name"]! }));
                ctx.LocalSession.PostIndication(ctx.LocalSession.NewInstance("L_Evt", new Hashtable { ["Text"] = "put " + r.Instance["Name"] }));
            },
        });
        Put("L_Svc", ("Name", "b"));
        Assert.NotNull(Find("L_Log.Id=\"b\""));
        Assert.Equal(new[] { "put b" }, Queue());
        // The put itself fails after the provider wrote (CreateOnly of an existing instance is checked first, so use a Required rule via a second level).
        Session.Providers.Register("L_Log", new LoggingPut { OnPut = (ctx, r) => throw new CimLiteException(CimStatus.AccessDenied, "no logs today") });
        Fails(CimStatus.AccessDenied, () => Put("L_Svc", ("Name", "c")), "no logs today");
        Assert.Null(Find("L_Svc.Name=\"c\""));
        Assert.Null(Find("L_Log.Id=\"c\""));
        Assert.Equal(new[] { "put b" }, Queue());
    }

    [Fact]
    public void A_local_operation_that_fails_is_undone_alone_when_the_provider_catches_its_error()
    {
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) =>
        {
            var local = ctx.LocalSession;
            local.PutInstance(local.NewInstance("L_Log", new Hashtable { ["Id"] = "kept" }));
            Assert.Throws<CimLiteException>(() => local.PutInstance(local.NewInstance("L_Log", new Hashtable { ["Id"] = "kept" }), new PutOptions { Mode = PutMode.CreateOnly }));
            return 0;
        };
        Session.Providers.Register("L_Svc", p);
        Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start");
        Assert.NotNull(Find("L_Log.Id=\"kept\""));
    }

    [Fact]
    public void The_local_session_cannot_be_used_after_the_call_returned()
    {
        CimLiteSession? kept = null;
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) => { kept = ctx.LocalSession; return 0; };
        Session.Providers.Register("L_Svc", p);
        Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start");
        Assert.NotNull(kept);
        Fails(CimStatus.InvalidOperation, () => kept!.PutInstance(kept.NewInstance("L_Log", new Hashtable { ["Id"] = "late" })), "no longer usable");
        Fails(CimStatus.InvalidOperation, () => kept!.GetInstance(P("L_Svc.Name=\"a\"")), "no longer usable");
        Assert.Null(Find("L_Log.Id=\"late\""));
        Assert.False(Session.IsClosed);
    }

    [Fact]
    public void A_get_or_enumerate_provider_has_no_local_session()
    {
        var provider = new TestProvider("L_Log", _log) { OnEnumerate = ctx => _ = ctx.LocalSession };
        Session.Providers.Register("L_Log", provider);
        Fails(CimStatus.InvalidOperation, () => Session.EnumerateInstances("L_Log").ToList(), "local session");
    }

    [Fact]
    public void A_put_handler_putting_the_same_instance_is_refused_as_a_re_entry_and_nothing_is_stored()
    {
        Session.Providers.Register("L_Log", new LoggingPut { OnPut = (ctx, r) => ctx.LocalSession.PutInstance(r.Instance) });
        Fails(CimStatus.InvalidOperation, () => Put("L_Log", ("Id", "x")), "re-entered", "L_Log.Id=\"x\"");
        Assert.Null(Find("L_Log.Id=\"x\""));
    }

    [Fact]
    public void A_method_calling_itself_on_the_same_instance_is_refused_as_a_re_entry()
    {
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) => ctx.LocalSession.InvokeMethod(r.Instance!.GetPath(), "Start").ReturnValue;
        Session.Providers.Register("L_Svc", p);
        Fails(CimStatus.InvalidOperation, () => Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start"), "re-entered", "InvokeMethod");
    }

    [Fact]
    public void Providers_nesting_through_local_sessions_stop_at_a_depth_limit_with_a_clear_error_and_nothing_kept()
    {
        // Each put of a log entry puts the next one: an endless chain of different instances.
        Session.Providers.Register("L_Log", new LoggingPut
        {
            OnPut = (ctx, r) =>
            {
                var next = int.Parse((string)r.Instance["Id"]!) + 1;
                ctx.LocalSession.PutInstance(ctx.LocalSession.NewInstance("L_Log", new Hashtable { ["Id"] = next.ToString() }));
            },
        });
        Fails(CimStatus.InvalidOperation, () => Put("L_Log", ("Id", "0")), "nested more than " + CimLiteSession.MaxProviderDepth);
        Assert.Empty(Session.EnumerateInstances("L_Log"));
    }

    [Fact]
    public void Calling_the_session_itself_from_a_provider_is_a_clear_error_not_a_deadlock()
    {
        var p = new MethodProvider("L_Svc", _log);
        p.Handlers["Start"] = (ctx, r) => { Session.PutInstance(Session.NewInstance("L_Log", new Hashtable { ["Id"] = "outer" })); return 0; };
        Session.Providers.Register("L_Svc", p);
        Fails(CimStatus.InvalidOperation, () => Session.InvokeMethod(P("L_Svc.Name=\"a\""), "Start"), "LocalSession");
        Assert.Null(Find("L_Log.Id=\"outer\""));
    }

    // ---- item 6: the storage rule ----

    private sealed class PutOnly : CimLiteProvider
    {
        public int Puts;

        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request) => Puts++;
    }

    private sealed class PutAndGet : CimLiteProvider
    {
        public int Puts;

        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request) => Puts++;

        public override void GetInstance(ICimLiteContext context, GetInstanceRequest request) { }
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_put_accepted_by_a_chain_of_put_only_providers_is_stored(string backend)
    {
        Use(backend);
        var validator = new PutOnly();
        Session.Providers.Register("L_Log", validator);
        Put("L_Log", ("Id", "1"), ("Text", "kept"));
        Assert.Equal(1, validator.Puts);
        Assert.Equal("kept", Get("L_Log.Id=\"1\"")["Text"]);
        Assert.Equal(new[] { "kept" }, Session.EnumerateInstances("L_Log").Select(i => (string)i["Text"]!));
        Assert.Equal(1, Session.CountInstances("L_Log"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_put_is_not_stored_when_the_classs_own_provider_serves_reads(string backend)
    {
        Use(backend);
        var dynamic = new PutAndGet();
        Session.Providers.Register("L_Log", dynamic);
        Put("L_Log", ("Id", "1"), ("Text", "not stored"));
        Assert.Equal(1, dynamic.Puts);
        Assert.Null(Find("L_Log.Id=\"1\""));
        Assert.Equal(0, Session.CountInstances("L_Log", null, deep: true));
    }
}
