using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Providers;

/// <summary>DESIGN §2 item 5: hierarchy-chained puts and deletes (A, then B, then C; never subclasses), all or nothing.</summary>
public sealed class ProviderChainTests : SessionFixture
{
    private readonly List<string> _log = new();

    public ProviderChainTests()
    {
        // A (abstract, key Id) <- B <- C <- D; Evt is an indication class providers post to.
        Class("A").Abstract().Key("Id").Prop("Name", "string").Create();
        Class("B", "A").Prop("BOnly", "uint32").Create();
        Class("C", "B").Prop("COnly", "string").Create();
        Class("D", "C").Prop("DOnly", "boolean").Create();
        Class("Evt").Indication().Prop("Text", "string").Create();
    }

    private TestProvider Provide(string className)
    {
        var p = new TestProvider(className, _log);
        Session.Providers.Register(className, p);
        return p;
    }

    private CimLiteInstance NewC(string id = "1", string name = "n") => New("C", ("Id", id), ("Name", name), ("COnly", "c"));

    private List<string> Queue() => Session.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => (string)p.Instance["Text"]!).ToList();

    private long StoredInstances()
    {
        using var c = Session.Sqlite().NewCommand("SELECT count(*) FROM instances");
        return Convert.ToInt64(c.ExecuteScalar());
    }

    // ---- order ----

    [Fact]
    public void Put_of_a_C_instance_calls_the_providers_of_A_then_B_then_C()
    {
        var a = Provide("A"); var b = Provide("B"); var c = Provide("C");
        Session.PutInstance(NewC());
        Assert.Equal(new[] { "A:Put:C", "B:Put:C", "C:Put:C" }, _log);
        Assert.Equal("A", a.Contexts.Single().ClassName);
        Assert.Equal("B", b.Contexts.Single().ClassName);
        Assert.Equal("C", c.Contexts.Single().ClassName);
        Assert.All(new[] { a, b, c }, p => Assert.Equal(CimOperation.PutInstance, p.Contexts.Single().Operation));
        Assert.All(new[] { a, b, c }, p => Assert.Equal("root/cimv2", p.Contexts.Single().Namespace));
    }

    [Fact]
    public void Put_of_a_C_instance_never_calls_the_provider_of_subclass_D()
    {
        Provide("A"); Provide("B"); Provide("C"); Provide("D");
        Session.PutInstance(NewC());
        Assert.Equal(new[] { "A:Put:C", "B:Put:C", "C:Put:C" }, _log);
    }

    [Fact]
    public void Put_of_a_B_instance_calls_the_providers_of_A_and_B_only()
    {
        Provide("A"); Provide("B"); Provide("C");
        Session.PutInstance(New("B", ("Id", "1")));
        Assert.Equal(new[] { "A:Put:B", "B:Put:B" }, _log);
    }

    [Fact]
    public void Put_skips_levels_without_a_provider_and_keeps_the_order_of_the_others()
    {
        Provide("A"); Provide("C"); Provide("D");
        Session.PutInstance(New("D", ("Id", "1")));
        Assert.Equal(new[] { "A:Put:D", "C:Put:D", "D:Put:D" }, _log);
    }

    [Fact]
    public void Each_provider_of_the_chain_gets_the_full_instance_with_the_callers_values()
    {
        var seen = new List<string>();
        foreach (var name in new[] { "A", "B", "C" })
            Provide(name).OnPut = (ctx, i) => seen.Add(ctx.ClassName + "=" + i["Id"] + "/" + i["Name"] + "/" + i["COnly"]);
        Session.PutInstance(NewC("7", "seven"));
        Assert.Equal(new[] { "A=7/seven/c", "B=7/seven/c", "C=7/seven/c" }, seen);
    }

    [Fact]
    public void A_provider_changing_the_instance_it_was_given_changes_neither_later_providers_nor_what_is_stored()
    {
        Provide("B").OnPut = (ctx, i) => i["Name"] = "changed by B";
        string? seenByC = null;
        Provide("C").OnPut = (ctx, i) => seenByC = (string)i["Name"];
        Session.PutInstance(NewC("1", "original"));
        Assert.Equal("original", seenByC);
        Assert.Equal("original", Get("C.Id=\"1\"")["Name"]);
    }

    // ---- put mode and property list ----

    [Fact]
    public void Providers_see_the_put_mode_and_an_empty_property_list_for_a_full_put()
    {
        var b = Provide("B"); var c = Provide("C");
        Session.PutInstance(NewC(), new PutOptions { Mode = PutMode.CreateOnly });
        Assert.All(new[] { b, c }, p =>
        {
            Assert.Equal(PutMode.CreateOnly, p.Puts.Single().Mode);
            Assert.Empty(p.Puts.Single().PropertyList);
        });
    }

    [Fact]
    public void Providers_see_the_property_list_and_mode_of_a_partial_put()
    {
        // A has no provider: the repository serves it and holds the instance the partial put updates.
        var b = Provide("B"); var c = Provide("C");
        Session.PutInstance(NewC("1", "before"));
        Session.PutInstance(New("C", ("Id", "1"), ("Name", "after")), new PutOptions { Mode = PutMode.UpdateOnly, PropertyList = new[] { "name" } });
        Assert.All(new[] { b, c }, p =>
        {
            var request = p.Puts[1];
            Assert.Equal(PutMode.UpdateOnly, request.Mode);
            Assert.Equal(new[] { "Name" }, request.PropertyList);
        });
        var stored = Get("C.Id=\"1\"");
        Assert.Equal("after", stored["Name"]);
        Assert.Equal("c", stored["COnly"]);
    }

    [Fact]
    public void A_provider_refusing_a_partial_put_with_NotSupported_fails_the_put_with_NotSupported_naming_its_class()
    {
        Provide("A");
        var b = Provide("B");
        b.OnPut = (ctx, i) =>
        {
            if (b.Puts.Last().PropertyList.Count > 0) throw new CimLiteException(CimStatus.NotSupported, "partial puts are not supported");
        };
        Provide("C");
        Session.PutInstance(NewC("1", "before"));
        _log.Clear();
        var ex = Fails(CimStatus.NotSupported,
            () => Session.PutInstance(New("C", ("Id", "1"), ("Name", "after")), new PutOptions { PropertyList = new[] { "Name" } }),
            "'B'", "partial puts are not supported");
        Assert.Equal("B", ex.ClassName);
        Assert.Equal(new[] { "A:Put:C", "B:Put:C" }, _log);
    }

    [Fact]
    public void A_provider_refusing_a_mode_it_does_not_support_fails_the_put_with_NotSupported_naming_its_class()
    {
        var c = Provide("C");
        c.OnPut = (ctx, i) =>
        {
            if (c.Puts.Last().Mode == PutMode.UpdateOnly) throw new CimLiteException(CimStatus.NotSupported, "UpdateOnly is not supported", ctx.ClassName);
        };
        Put("C", ("Id", "1"));
        var ex = Fails(CimStatus.NotSupported, () => Session.PutInstance(NewC("1"), new PutOptions { Mode = PutMode.UpdateOnly }), "'C'", "UpdateOnly");
        Assert.Equal("C", ex.ClassName);
    }

    [Fact]
    public void A_provider_that_does_not_override_PutInstance_refuses_with_NotSupported_naming_its_class()
    {
        Session.Providers.Register("B", new GetOnlyProvider());
        var ex = Fails(CimStatus.NotSupported, () => Session.PutInstance(NewC()), "'B'", "PutInstance");
        Assert.Equal("B", ex.ClassName);
    }

    private sealed class GetOnlyProvider : CimLiteProvider
    {
        public override void GetInstance(ICimLiteContext context, GetInstanceRequest request) { }
    }

    private sealed class PutOnlyProvider : CimLiteProvider
    {
        public int Puts;

        public override void PutInstance(ICimLiteContext context, PutInstanceRequest request) => Puts++;
    }

    [Fact]
    public void A_provider_that_serves_only_puts_leaves_get_and_enumerate_to_the_repository()
    {
        var validator = new PutOnlyProvider();
        Session.Providers.Register("C", validator);
        Session.PutInstance(NewC("1", "stored"));
        Assert.Equal(1, validator.Puts);
        Assert.Equal("stored", Get("C.Id=\"1\"")["Name"]);
        Assert.Equal(new[] { "stored" }, Session.EnumerateInstances("C").Select(i => (string)i["Name"]!));
        var sink = new RecordingSink();
        Session.EnumerateInstances("A", sink);
        Assert.Equal(new[] { "stored" }, sink.Instances.Select(i => (string)i["Name"]!));
        Assert.Null(Session.FindInstance(InstancePath.Parse("C.Id=\"2\"")));
    }

    // ---- failures in the middle of the chain ----

    [Fact]
    public void A_middle_provider_throwing_a_plain_exception_fails_with_ProviderFailure_naming_its_class_and_changes_nothing()
    {
        Put("C", ("Id", "0"), ("Name", "kept"));
        Session.PostIndication(New("Evt", ("Text", "before")));
        Provide("A").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "from A")));
        Provide("B").OnPut = (ctx, i) => throw new InvalidOperationException("disk on fire");
        Provide("C");
        var ex = Fails(CimStatus.ProviderFailure, () => Session.PutInstance(NewC("1")), "'B'", "disk on fire");
        Assert.Equal("B", ex.ClassName);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(new[] { "A:Put:C", "B:Put:C" }, _log);
        Assert.Equal(new[] { "before" }, Queue());
        Assert.Null(Find("C.Id=\"1\""));
    }

    [Fact]
    public void A_middle_provider_throwing_a_CimLiteException_keeps_its_status_names_its_class_and_changes_nothing()
    {
        Put("C", ("Id", "1"), ("Name", "old"));
        Provide("A").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "from A")));
        Provide("B").OnPut = (ctx, i) => throw new CimLiteException(CimStatus.AccessDenied, "only admins may change this");
        Provide("C");
        var ex = Fails(CimStatus.AccessDenied, () => Session.PutInstance(NewC("1", "new")), "'B'", "only admins may change this");
        Assert.Equal("B", ex.ClassName);
        Assert.Empty(Queue());
        Assert.Equal("old", Get("C.Id=\"1\"")["Name"]);
    }

    [Fact]
    public void A_failure_of_the_last_provider_rolls_back_indications_posted_by_all_earlier_ones()
    {
        Provide("A").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "A")));
        Provide("B").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "B")));
        Provide("C").OnPut = (ctx, i) => throw new Exception("no");
        Fails(CimStatus.ProviderFailure, () => Session.PutInstance(NewC()), "'C'");
        Assert.Empty(Queue());
    }

    [Fact]
    public void Indications_posted_by_the_providers_of_a_successful_put_are_queued_in_chain_order()
    {
        Provide("A").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "A")));
        Provide("B").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "B")));
        Provide("C").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "C")));
        Session.PutInstance(NewC());
        Assert.Equal(new[] { "A", "B", "C" }, Queue());
    }

    [Fact]
    public void Messages_and_progress_of_providers_that_ran_reach_the_sink_even_when_the_put_fails()
    {
        Provide("A").OnPut = (ctx, i) =>
        {
            ctx.WriteMessage(CimMessageChannel.Verbose, "A checked");
            ctx.WriteProgress("Checking", "A", 33);
        };
        Provide("B").OnPut = (ctx, i) =>
        {
            ctx.WriteMessage(CimMessageChannel.Warning, "B is unhappy");
            throw new Exception("B refuses");
        };
        Provide("C").OnPut = (ctx, i) => ctx.WriteMessage(CimMessageChannel.Verbose, "C ran");
        var sink = new RecordingSink();
        Fails(CimStatus.ProviderFailure, () => Session.PutInstance(NewC(), new PutOptions { Sink = sink }), "'B'", "B refuses");
        Assert.Equal(new[] { "Verbose:A checked", "Warning:B is unhappy" }, sink.Messages);
        Assert.Equal(new[] { "Checking:A:33" }, sink.Progress);
    }

    [Fact]
    public void PostError_in_a_put_fails_the_put_with_that_status_naming_the_class_and_changes_nothing()
    {
        Provide("A").OnPut = (ctx, i) => ctx.PostIndication(New("Evt", ("Text", "A")));
        Provide("B").OnPut = (ctx, i) => ctx.PostError(CimStatus.InvalidParameter, "Name must not be 'n'");
        var c = Provide("C");
        var ex = Fails(CimStatus.InvalidParameter, () => Session.PutInstance(NewC()), "'B'", "Name must not be 'n'");
        Assert.Equal("B", ex.ClassName);
        Assert.Empty(c.Contexts);
        Assert.Empty(Queue());
    }

    [Fact]
    public void A_put_that_fails_the_engines_own_checks_calls_no_provider()
    {
        Provide("B"); Provide("C");
        Fails(CimStatus.NotFound, () => Session.PutInstance(NewC("1"), new PutOptions { PropertyList = new[] { "Name" } }), "C.Id=\"1\"");
        Fails(CimStatus.NotFound, () => Session.PutInstance(NewC("1"), new PutOptions { Mode = PutMode.UpdateOnly }), "C.Id=\"1\"");
        Fails(CimStatus.NoSuchProperty, () => Session.PutInstance(NewC("1"), new PutOptions { PropertyList = new[] { "Nope" } }), "Nope");
        Put("C", ("Id", "1"));
        _log.Clear();
        Fails(CimStatus.AlreadyExists, () => Session.PutInstance(NewC("1"), new PutOptions { Mode = PutMode.CreateOnly }), "C.Id=\"1\"");
        Fails(CimStatus.AlreadyExists, () => Session.PutInstance(New("D", ("Id", "1"))), "C");
        Assert.Empty(_log);
    }

    // ---- who stores what ----

    [Fact]
    public void When_every_level_has_a_provider_the_repository_stores_nothing_and_get_and_enumerate_ask_the_providers()
    {
        var store = new Dictionary<string, CimLiteInstance>();
        Provide("A"); Provide("B");
        var c = Provide("C");
        c.OnPut = (ctx, i) => store[(string)i["Id"]] = i;
        c.OnGet = (ctx, path) =>
        {
            if (store.TryGetValue((string)path.Keys.Single().Value, out var i)) ctx.PostInstance(i);
        };
        c.OnEnumerate = ctx => { foreach (var i in store.Values) ctx.PostInstance(i); };
        Session.PutInstance(NewC("1", "one"));
        Session.PutInstance(NewC("2", "two"));
        Assert.Equal(0, StoredInstances());
        Assert.Equal("one", Get("C.Id=\"1\"")["Name"]);
        Assert.Equal("two", Get("A.Id=\"2\"")["Name"]);
        Assert.Null(Find("C.Id=\"3\""));
        _log.Clear();
        Assert.Equal(new[] { "one", "two" }, Session.EnumerateInstances("C").Select(i => (string)i["Name"]).OrderBy(n => n));
        Assert.Equal(new[] { "C:Enumerate:C" }, _log);
    }

    [Fact]
    public void Classes_without_a_provider_are_served_by_the_repository()
    {
        var b = Provide("B");
        Session.PutInstance(NewC("1", "stored"));
        Assert.Equal(new[] { "B:Put:C" }, _log);
        Assert.Equal(1, StoredInstances());
        _log.Clear();
        Assert.Equal("stored", Get("C.Id=\"1\"")["Name"]);
        Assert.Equal("stored", Get("A.Id=\"1\"")["Name"]);
        Assert.Empty(_log); // found in the repository: no provider asked
    }

    [Fact]
    public void A_put_of_a_class_with_no_provider_anywhere_in_its_hierarchy_calls_none()
    {
        Provide("D");
        Session.PutInstance(NewC());
        Assert.Empty(_log);
        Assert.Equal(1, StoredInstances());
    }

    // ---- deletes ----

    [Fact]
    public void Delete_of_a_C_instance_calls_the_providers_of_A_then_B_then_C_and_never_D()
    {
        Put("C", ("Id", "1"));
        Provide("A"); Provide("B"); Provide("C"); Provide("D");
        Session.DeleteInstance(InstancePath.Parse("C.Id=\"1\""));
        Assert.Equal(new[] { "A:Delete:C", "B:Delete:C", "C:Delete:C" }, _log);
        Assert.Equal(0, StoredInstances());
    }

    [Fact]
    public void Delete_by_a_superclass_path_chains_down_to_the_instances_own_class()
    {
        Put("C", ("Id", "1"));
        var a = Provide("A"); Provide("B"); Provide("C"); Provide("D");
        Session.DeleteInstance(InstancePath.Parse("A.Id=\"1\""));
        Assert.Equal(new[] { "A:Delete:C", "B:Delete:C", "C:Delete:C" }, _log);
        Assert.Equal(CimOperation.DeleteInstance, a.Contexts.Single().Operation);
        Assert.Equal(0, StoredInstances());
    }

    [Fact]
    public void A_middle_provider_failing_a_delete_names_its_class_and_leaves_repository_and_queue_unchanged()
    {
        Put("C", ("Id", "1"));
        Provide("A").OnDelete = (ctx, p) => ctx.PostIndication(New("Evt", ("Text", "A deleting")));
        Provide("B").OnDelete = (ctx, p) => throw new IOException("locked");
        var c = Provide("C");
        var ex = Fails(CimStatus.ProviderFailure, () => Session.DeleteInstance(InstancePath.Parse("C.Id=\"1\"")), "'B'", "locked");
        Assert.Equal("B", ex.ClassName);
        Assert.Empty(c.Contexts);
        Assert.Empty(Queue());
        Assert.NotNull(Find("C.Id=\"1\""));
    }

    [Fact]
    public void Delete_of_a_missing_instance_served_by_the_repository_fails_with_NotFound_and_calls_no_provider()
    {
        Provide("B");
        Fails(CimStatus.NotFound, () => Session.DeleteInstance(InstancePath.Parse("C.Id=\"9\"")), "C.Id=\"9\"");
        Assert.Empty(_log);
    }

    [Fact]
    public void When_every_level_has_a_provider_a_delete_is_passed_down_the_chain_and_the_providers_decide()
    {
        Provide("A"); Provide("B"); Provide("C");
        Session.DeleteInstance(InstancePath.Parse("C.Id=\"1\""));
        Assert.Equal(new[] { "A:Delete:C", "B:Delete:C", "C:Delete:C" }, _log);
        Session.Providers.Unregister("C");
        _log.Clear();
        Provide("C").OnDelete = (ctx, p) => throw new CimLiteException(CimStatus.NotFound, "no such C: " + p, ctx.ClassName);
        var ex = Fails(CimStatus.NotFound, () => Session.DeleteInstance(InstancePath.Parse("C.Id=\"2\"")), "no such C", "C.Id=\"2\"");
        Assert.Equal("C", ex.ClassName);
    }
}
