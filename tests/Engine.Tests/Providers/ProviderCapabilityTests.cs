using System.Collections;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Providers;

/// <summary>
/// Issue 21 item 2: providers are objects with capabilities (detected with <c>is</c>), called through one dispatcher
/// with a request object per call; the first interface shape still works; errors are re-wrapped by a flag, not by
/// searching their text.
/// </summary>
public sealed class ProviderCapabilityTests : SessionFixture
{
    private readonly List<string> _log = new();

    public ProviderCapabilityTests()
    {
        Class("A").Abstract().Key("Id").Prop("Name", "string").Create();
        Class("B", "A").Prop("BOnly", "uint32").Create();
        Class("C", "B").Prop("COnly", "string").Create();
    }

    private CimLiteInstance NewC(string id = "1") => New("C", ("Id", id), ("Name", "n"), ("COnly", "c"));

    // ---- registration ----

    private sealed class NoCapability
    {
        public void PutInstance(ICimLiteContext context, CimLiteInstance instance) { }
    }

    [Fact]
    public void Registering_an_object_with_no_capability_fails_with_InvalidParameter_naming_its_type_and_registers_nothing()
    {
        var ex = Fails(CimStatus.InvalidParameter, () => Session.Providers.Register("C", new NoCapability()), typeof(NoCapability).FullName!, "no provider capability");
        Assert.Equal("The provider object of type '" + typeof(NoCapability).FullName + "' implements no provider capability: implement CimLite.ICimLiteInstanceProvider (or derive from CimLite.CimLiteProvider).", ex.Message);
        Assert.Empty(Session.Providers.Registrations);
        Assert.Null(Session.Providers.Find(Session.DefaultNamespace, "C"));
        Session.PutInstance(NewC()); // nothing intercepts the put
        Assert.Equal("n", Get("C.Id=\"1\"")["Name"]);
    }

    [Fact]
    public void HasCapability_knows_both_instance_interfaces_and_nothing_else()
    {
        Assert.True(ProviderRegistry.HasCapability(typeof(TestProvider)));
        Assert.True(ProviderRegistry.HasCapability(typeof(FirstShapeProvider)));
        Assert.True(ProviderRegistry.HasCapability(typeof(ICimLiteInstanceProvider)));
        Assert.False(ProviderRegistry.HasCapability(typeof(NoCapability)));
        Assert.False(ProviderRegistry.HasCapability(typeof(object)));
    }

    [Fact]
    public void The_registration_keeps_the_object_as_registered()
    {
        var first = new FirstShapeProvider("B", _log);
        var registration = Session.Providers.Register("B", first);
        Assert.Same(first, registration.Provider);
        Assert.Same(first, Session.Providers.Find(Session.DefaultNamespace, "B"));
    }

    // ---- the first interface shape ----

    /// <summary>A provider written against the first shape of the interface (before request objects).</summary>
    private sealed class FirstShapeProvider : ICimLiteProvider
    {
        private readonly string _name;
        private readonly List<string> _log;

        public FirstShapeProvider(string name, List<string> log) { _name = name; _log = log; }

        public void GetInstance(ICimLiteContext context, InstancePath path)
        {
            _log.Add(_name + ":Get:" + path);
            context.PostInstance(context.NewInstance("C", new Hashtable { ["Id"] = "dyn", ["COnly"] = "from " + _name }));
        }

        public void EnumerateInstances(ICimLiteContext context)
        {
            _log.Add(_name + ":Enumerate:" + context.ClassName);
            context.PostInstance(context.NewInstance("C", new Hashtable { ["Id"] = "dyn", ["COnly"] = "from " + _name }));
        }

        public void PutInstance(ICimLiteContext context, CimLiteInstance instance) => _log.Add(_name + ":Put:" + instance["Id"]);

        public void DeleteInstance(ICimLiteContext context, InstancePath path) => _log.Add(_name + ":Delete:" + path.ClassName);
    }

    [Fact]
    public void A_first_shape_provider_is_served_for_every_operation_in_its_place_in_the_chain()
    {
        Session.Providers.Register("B", new FirstShapeProvider("B", _log));
        var c = new TestProvider("C", _log);
        Session.Providers.Register("C", c);

        Session.PutInstance(NewC("1"));
        Assert.Equal(new[] { "B:Put:1", "C:Put:C" }, _log);

        _log.Clear();
        var dyn = Session.GetInstance(InstancePath.Parse("B.Id=\"dyn\""));
        Assert.Equal("from B", dyn["COnly"]);
        Assert.Equal(new[] { "B:Get:root/cimv2:B.Id=\"dyn\"" }, _log);

        _log.Clear();
        var all = Session.EnumerateInstances("B").Select(i => (string)i["Id"]!).ToList();
        Assert.Equal(new[] { "dyn", "1" }, all); // B's rows (none), B's provider, then C's rows
        Assert.Contains("B:Enumerate:B", _log);

        _log.Clear();
        Session.DeleteInstance(InstancePath.Parse("C.Id=\"1\""));
        Assert.Equal(new[] { "B:Delete:C", "C:Delete:C" }, _log);
        Assert.Null(Find("C.Id=\"1\""));
    }

    // ---- requests ----

    [Fact]
    public void Each_level_of_a_chain_gets_a_request_naming_its_level_and_its_own_copy_of_the_instance()
    {
        var b = new TestProvider("B", _log);
        var c = new TestProvider("C", _log);
        Session.Providers.Register("B", b);
        Session.Providers.Register("C", c);
        b.OnPut = (ctx, i) => i["Name"] = "changed by B";
        Session.PutInstance(NewC("1"), new PutOptions { Mode = PutMode.CreateOnly });

        var rb = b.Puts.Single();
        var rc = c.Puts.Single();
        Assert.Equal(("root/cimv2", "B", PutMode.CreateOnly), (rb.Namespace, rb.ClassName, rb.Mode));
        Assert.Equal(("root/cimv2", "C", PutMode.CreateOnly), (rc.Namespace, rc.ClassName, rc.Mode));
        Assert.NotSame(rb.Instance, rc.Instance);
        Assert.Equal("n", rc.Instance["Name"]); // B's change to its copy reached neither C nor the store
        Assert.Equal("n", Get("C.Id=\"1\"")["Name"]);

        Session.DeleteInstance(InstancePath.Parse("A.Id=\"1\""));
        var deletes = c.Requests.OfType<DeleteInstanceRequest>().Single();
        Assert.Equal("C", deletes.ClassName);
        Assert.Equal("C", deletes.Path.ClassName); // the path names the instance's own class
    }

    [Fact]
    public void Get_and_enumerate_requests_name_the_class_asked_and_the_full_path()
    {
        var c = new TestProvider("C", _log);
        Session.Providers.Register("C", c);
        Session.FindInstance(InstancePath.Parse("C.Id=\"x\""));
        _ = Session.EnumerateInstances("C").ToList();
        var get = c.Requests.OfType<GetInstanceRequest>().Single();
        Assert.Equal("root/cimv2:C.Id=\"x\"", get.Path.ToString());
        Assert.Equal("C", get.ClassName);
        var enumerate = c.Requests.OfType<EnumerateInstancesRequest>().Single();
        Assert.Equal(("root/cimv2", "C"), (enumerate.Namespace, enumerate.ClassName));
    }

    // ---- the dispatcher: order, first failure stops the chain, rollback, busy-retry accounting ----

    [Fact]
    public void The_dispatcher_stops_at_the_first_failing_level_and_the_put_leaves_nothing()
    {
        var b = new TestProvider("B", _log);
        var c = new TestProvider("C", _log);
        Session.Providers.Register("B", b);
        Session.Providers.Register("C", c);
        b.OnPut = (ctx, i) => throw new InvalidOperationException("disk full");
        var ex = Fails(CimStatus.ProviderFailure, () => Session.PutInstance(NewC("1")), "The provider of class 'B' failed: disk full");
        Assert.Equal("B", ex.ClassName);
        Assert.Equal(new[] { "B:Put:C" }, _log);
        Assert.Empty(c.Puts);
    }

    [Fact]
    public void Every_provider_call_is_counted_for_the_busy_retry()
    {
        Session.Providers.Register("B", new TestProvider("B", _log));
        Session.Providers.Register("C", new TestProvider("C", _log));
        long before = ProviderCalls(Session);
        Session.PutInstance(NewC("1"));
        Assert.Equal(before + 2, ProviderCalls(Session));
        Session.FindInstance(InstancePath.Parse("C.Id=\"none\""));
        Assert.Equal(before + 3, ProviderCalls(Session));
    }

    private static long ProviderCalls(CimLiteSession session) =>
        (long)typeof(CimLiteSession).GetField("_providerCalls", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(session)!;

    // ---- re-wrapping errors by a flag, not by their text ----

    [Fact]
    public void An_error_about_the_providers_class_is_prefixed_unless_flagged_as_naming_it()
    {
        var c = new TestProvider("C", _log);
        Session.Providers.Register("C", c);

        // The message happens to contain the class name: it is still prefixed (no text search any more).
        c.OnPut = (ctx, i) => throw new CimLiteException(CimStatus.AccessDenied, "C is locked", "C");
        var ex = Fails(CimStatus.AccessDenied, () => Session.PutInstance(NewC("1")));
        Assert.Equal("The provider of class 'C' failed: C is locked", ex.Message);

        // Flagged: passed on as it is.
        c.OnPut = (ctx, i) => throw new CimLiteException(CimStatus.AccessDenied, "Class C is locked today.", "C") { MessageNamesClass = true };
        ex = Fails(CimStatus.AccessDenied, () => Session.PutInstance(NewC("1")));
        Assert.Equal("Class C is locked today.", ex.Message);

        // Flagged but about another class: prefixed with the provider's class.
        c.OnPut = (ctx, i) => throw new CimLiteException(CimStatus.AccessDenied, "Class B is locked.", "B") { MessageNamesClass = true };
        ex = Fails(CimStatus.AccessDenied, () => Session.PutInstance(NewC("1")));
        Assert.Equal("The provider of class 'C' failed: Class B is locked.", ex.Message);
        Assert.Equal("C", ex.ClassName);
    }

    [Fact]
    public void The_engines_own_errors_raised_through_the_context_or_an_instance_pass_on_unprefixed()
    {
        var c = new TestProvider("C", _log);
        Session.Providers.Register("C", c);
        c.OnPut = (ctx, i) => ctx.NewInstance("C", new Hashtable { ["Nope"] = 1 });
        var viaContext = Fails(CimStatus.NoSuchProperty, () => Session.PutInstance(NewC("1")));
        var direct = Assert.Throws<CimLiteException>(() => Session.NewInstance("C", new Hashtable { ["Nope"] = 1 }));
        Assert.Equal(direct.Message, viaContext.Message);

        c.OnPut = (ctx, i) => i["BOnly"] = "not a number";
        var viaSetter = Fails(CimStatus.TypeMismatch, () => Session.PutInstance(NewC("1")));
        Assert.DoesNotContain("The provider of class", viaSetter.Message);
        Assert.Equal("BOnly", viaSetter.PropertyName);
    }
}
