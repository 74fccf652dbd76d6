using System.Collections;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Methods;

/// <summary>A method provider made of delegates, recording each call as "Class:Method:Target".</summary>
public sealed class MethodProvider : ICimLiteMethodProvider
{
    private readonly string _name;
    private readonly List<string> _log;

    public MethodProvider(string name, List<string> log) { _name = name; _log = log; }

    public Dictionary<string, Func<ICimLiteContext, InvokeMethodRequest, object?>> Handlers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<InvokeMethodRequest> Requests { get; } = new();

    public object? InvokeMethod(ICimLiteContext context, InvokeMethodRequest request)
    {
        if (!Handlers.TryGetValue(request.MethodName, out var handler)) throw request.NotHandled();
        Requests.Add(request);
        _log.Add(_name + ":" + request.MethodName + ":" + (request.Instance?.GetPath().RelativePath ?? "static"));
        return handler(context, request);
    }
}

/// <summary>Issue 14, items 2 to 4: checks before any provider runs, CIM dispatch, result conversion.</summary>
public sealed class InvokeMethodTests : BackendSessionFixture
{
    private readonly List<string> _log = new();

    private const string Mof = """
        class T_Svc {
            [Key] string Name;
            uint32 State;
            uint32 Start([In, Required] uint32 TimeoutSec, [Out] string Message, [In, Out] sint64 Counter, [In] string Tags[], [In] T_Svc REF Other);
            [Static] uint32 Create([In] string Name, [Out] T_Svc REF Created);
            uint32 Stop();
        };
        class T_Sub : T_Svc {
            uint32 Stop();
        };
        class T_Leaf : T_Sub {
        };
        [Indication] class T_Evt { string Text; };
        """;

    protected override void Arrange()
    {
        Session.ImportMofText(Mof);
        Put("T_Svc", ("Name", "a"), ("State", 0u));
        Put("T_Leaf", ("Name", "leaf"), ("State", 0u));
    }

    private MethodProvider Provide(string className)
    {
        var p = new MethodProvider(className, _log);
        Session.Providers.Register(className, p);
        return p;
    }

    private static Hashtable Args(params (string, object?)[] values)
    {
        var h = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in values) h[k] = v;
        return h;
    }

    private static InstancePath P(string text) => InstancePath.Parse(text);

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_instance_method_runs_with_the_stored_instance_and_converted_arguments_and_returns_converted_results(string backend)
    {
        Use(backend);
        var svc = Provide("T_Svc");
        svc.Handlers["Start"] = (ctx, r) =>
        {
            Assert.Equal(CimOperation.InvokeMethod, ctx.Operation);
            Assert.Equal(0u, r.Instance!["State"]);
            Assert.IsType<uint>(r.Arguments["TimeoutSec"]);
            Assert.Equal(new[] { "x", "y" }, (string[])r.Arguments["tags"]!);
            Assert.False(r.Arguments.ContainsKey("Counter"));
            Assert.Throws<NotSupportedException>(() => ((IDictionary<string, object?>)r.Arguments)["X"] = 1);
            return new Hashtable { ["ReturnValue"] = 7, ["Message"] = 42, ["Counter"] = "9" };
        };
        var result = Session.InvokeMethod(P("T_Svc.Name=\"a\""), "start", Args(("TimeoutSec", "30"), ("Tags", new object[] { "x", "y" })));
        Assert.Equal(7u, result.ReturnValue);
        Assert.Equal("Start", result.MethodName);
        Assert.Equal("root/cimv2:T_Svc.Name=\"a\"", result.Path);
        Assert.Equal(new[] { "Message", "Counter" }, result.OutParameters.Select(o => o.Key));
        Assert.Equal("42", result["Message"]);
        Assert.Equal(9L, result["Counter"]);
        Assert.Equal(new[] { "T_Svc:Start:T_Svc.Name=\"a\"" }, _log);
    }

    [Fact]
    public void A_static_method_is_called_by_class_name_with_a_null_instance_and_may_return_just_its_value()
    {
        Provide("T_Svc").Handlers["Create"] = (ctx, r) =>
        {
            Assert.Null(r.Instance);
            Assert.True(r.IsStatic);
            return 5;
        };
        var result = Session.InvokeMethod("T_Svc", "Create", Args(("Name", "n")));
        Assert.Equal(5u, result.ReturnValue);
        Assert.Null(result["Created"]);
        Assert.Equal("root/cimv2:T_Svc", result.Path);
    }

    // ---- checks before any provider runs ----

    [Fact]
    public void An_unknown_method_is_METHOD_NOT_FOUND_naming_class_and_method()
    {
        Provide("T_Svc");
        Fails(CimStatus.MethodNotFound, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Explode"), "'T_Svc'", "'Explode'");
        Assert.Empty(_log);
    }

    [Fact]
    public void An_instance_method_called_by_class_name_is_NOT_FOUND()
    {
        var p = Provide("T_Svc");
        p.Handlers["Stop"] = (c, r) => 0;
        Fails(CimStatus.NotFound, () => Session.InvokeMethod("T_Svc", "Stop"), "'Stop'", "not static");
        Assert.Empty(_log);
    }

    [Fact]
    public void A_missing_target_instance_is_NOT_FOUND()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => 0;
        Fails(CimStatus.NotFound, () => Session.InvokeMethod(P("T_Svc.Name=\"nobody\""), "Stop"), "T_Svc.Name=\"nobody\"");
        Assert.Empty(_log);
    }

    [Fact]
    public void An_argument_that_is_not_an_In_parameter_is_INVALID_PARAMETER_naming_method_and_parameter()
    {
        Provide("T_Svc").Handlers["Start"] = (c, r) => 0;
        var ex = Fails(CimStatus.InvalidParameter, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", 1), ("Message", "out only"))), "'T_Svc.Start'", "'Message'");
        Assert.Equal("Message", ex.PropertyName);
        Fails(CimStatus.InvalidParameter, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", 1), ("Nope", 1))), "'T_Svc.Start'", "'Nope'");
        Assert.Empty(_log);
    }

    [Fact]
    public void A_value_that_does_not_convert_is_TYPE_MISMATCH_naming_method_and_parameter()
    {
        Provide("T_Svc").Handlers["Start"] = (c, r) => 0;
        Fails(CimStatus.TypeMismatch, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", -1))), "'T_Svc.Start'", "'TimeoutSec'");
        Fails(CimStatus.TypeMismatch, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", 1), ("Counter", "many"))), "'Counter'");
        Assert.Empty(_log);
    }

    [Fact]
    public void A_missing_Required_In_parameter_is_INVALID_PARAMETER()
    {
        Provide("T_Svc").Handlers["Start"] = (c, r) => 0;
        Fails(CimStatus.InvalidParameter, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("Counter", 1))), "Required", "'TimeoutSec'");
        Fails(CimStatus.InvalidParameter, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", null))), "Required", "'TimeoutSec'");
        Assert.Empty(_log);
    }

    [Fact]
    public void A_method_no_provider_serves_is_NOT_SUPPORTED()
    {
        Fails(CimStatus.NotSupported, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop"), "'Stop'", "'T_Svc'");
        // A provider without a handler for the method does not serve it either.
        Provide("T_Svc").Handlers["Start"] = (c, r) => 0;
        Fails(CimStatus.NotSupported, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop"), "'Stop'");
        Assert.Empty(_log);
    }

    // ---- dispatch ----

    [Fact]
    public void Dispatch_goes_to_the_instances_own_class_provider_first_and_calls_no_other()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => 1;
        Provide("T_Sub").Handlers["Stop"] = (c, r) => 2;
        Provide("T_Leaf").Handlers["Stop"] = (c, r) => 3;
        Assert.Equal(3u, Session.InvokeMethod(P("T_Svc.Name=\"leaf\""), "Stop").ReturnValue);
        Assert.Equal(new[] { "T_Leaf:Stop:T_Leaf.Name=\"leaf\"" }, _log);
    }

    [Fact]
    public void Dispatch_falls_back_to_the_nearest_ancestor_with_a_handler()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => 1;
        Provide("T_Sub").Handlers["Stop"] = (c, r) => 2;
        Provide("T_Leaf").Handlers["Start"] = (c, r) => 3; // a provider, but no Stop handler
        var result = Session.InvokeMethod(P("T_Leaf.Name=\"leaf\""), "Stop");
        Assert.Equal(2u, result.ReturnValue);
        Assert.Equal(new[] { "T_Sub:Stop:T_Leaf.Name=\"leaf\"" }, _log);
        Assert.Equal("T_Leaf", result.ClassName);
    }

    [Fact]
    public void A_CimLiteProvider_that_does_not_override_InvokeMethod_leaves_the_call_to_an_ancestor()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => 1;
        Session.Providers.Register("T_Leaf", new InstanceOnly());
        Assert.Equal(1u, Session.InvokeMethod(P("T_Leaf.Name=\"leaf\""), "Stop").ReturnValue);
    }

    private sealed class InstanceOnly : CimLiteProvider
    {
        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request) { }
    }

    // ---- results ----

    [Fact]
    public void A_result_with_an_undeclared_name_fails_with_FAILED_naming_the_method()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => new Hashtable { ["ReturnValue"] = 0, ["Bogus"] = 1 };
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop"), "'T_Svc.Stop'", "'Bogus'");
    }

    [Fact]
    public void A_result_value_that_does_not_convert_fails_with_FAILED_naming_the_method()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => new Hashtable { ["ReturnValue"] = -5 };
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop"), "'T_Svc.Stop'", "ReturnValue");
        Provide("T_Sub").Handlers["Stop"] = (c, r) => "not a number";
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("T_Leaf.Name=\"leaf\""), "Stop"), "'T_Leaf.Stop'");
    }

    [Fact]
    public void A_missing_ReturnValue_fails_with_FAILED_naming_the_method()
    {
        Provide("T_Svc").Handlers["Start"] = (c, r) => new Hashtable { ["Message"] = "hi" };
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Start", Args(("TimeoutSec", 1))), "'T_Svc.Start'", "no ReturnValue");
        Provide("T_Sub").Handlers["Stop"] = (c, r) => null;
        Fails(CimStatus.Failed, () => Session.InvokeMethod(P("T_Leaf.Name=\"leaf\""), "Stop"), "'T_Leaf.Stop'", "no ReturnValue");
    }

    [Fact]
    public void A_provider_error_fails_the_call_naming_the_class_and_keeps_its_status()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) => throw new CimLiteException(CimStatus.AccessDenied, "no way");
        Fails(CimStatus.AccessDenied, () => Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop"), "'T_Svc'", "no way");
        Provide("T_Sub").Handlers["Stop"] = (c, r) => throw new InvalidOperationException("boom");
        Fails(CimStatus.ProviderFailure, () => Session.InvokeMethod(P("T_Leaf.Name=\"leaf\""), "Stop"), "'T_Sub'", "boom");
    }

    [Fact]
    public void A_handler_posts_messages_progress_and_indications_through_its_context()
    {
        Provide("T_Svc").Handlers["Stop"] = (c, r) =>
        {
            c.WriteMessage(CimMessageChannel.Verbose, "stopping");
            c.WriteProgress("Stop", "half", 50);
            c.PostIndication(c.NewInstance("T_Evt", new Hashtable { ["Text"] = "stopped" }));
            return 0;
        };
        var sink = new RecordingSink();
        Session.InvokeMethod(P("T_Svc.Name=\"a\""), "Stop", null, new OperationOptions { Sink = sink });
        Assert.Equal(new[] { "Verbose:stopping" }, sink.Messages);
        Assert.Equal(new[] { "Stop:half:50" }, sink.Progress);
        Assert.Equal(new[] { "stopped" }, Session.ReceivePosted().Select(p => (string)p.Instance["Text"]!));
    }

    [Fact]
    public void A_method_only_provider_leaves_the_instances_to_the_repository()
    {
        var p = new MethodProvider("T_Sub", _log);
        p.Handlers["Stop"] = (c, r) => 0;
        Session.Providers.Register("T_Sub", p);
        Put("T_Sub", ("Name", "s"), ("State", 1u));
        Assert.Equal(1u, Get("T_Sub.Name=\"s\"")["State"]);
    }
}
