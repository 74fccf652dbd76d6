using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Associations;

/// <summary>Issue 13: reference typing on put, the reference index, associators, references and deletes, per backend.</summary>
public sealed class AssociationTests : BackendSessionFixture
{
    private static readonly CimQualifier KeyQ = new("Key", true);

    /// <summary>
    /// Sys (key Name); Dev (key Id) with Disk : Dev and Port : Dev; Link (association: Owner ref:Sys, Part ref:Dev);
    /// DiskLink : Link narrowing Part to ref:Disk; Other (association: Owner ref:Sys, Part ref:Dev).
    /// </summary>
    protected override void Arrange()
    {
        Class("Sys").Key("Name").Create();
        Class("Dev").Key("Id").Prop("Size", "uint32").Create();
        Class("Disk", "Dev").Create();
        Class("Port", "Dev").Create();
        Class("Link").Qualifier("Association", true).Prop("Owner", "ref:Sys", null, KeyQ).Prop("Part", "ref:Dev", null, KeyQ).Create();
        Class("DiskLink", "Link").Prop("Part", "ref:Disk", null, new CimQualifier("Override", "Part")).Create();
        Class("Other").Qualifier("Association", true).Qualifier("Special", true).Prop("Owner", "ref:Sys", null, KeyQ).Prop("Part", "ref:Dev", null, KeyQ).Create();
        Put("Sys", ("Name", "host"));
        Put("Sys", ("Name", "other"));
        Put("Disk", ("Id", "d1"), ("Size", 1));
        Put("Disk", ("Id", "d2"), ("Size", 2));
        Put("Port", ("Id", "p1"), ("Size", 3));
    }

    private const string Host = "Sys.Name=\"host\"";

    private InstancePath Link(string owner, string part, string cls = "Link") => Put(cls, ("Owner", owner), ("Part", part));

    private static string[] Ids(IEnumerable<CimLiteInstance> instances) =>
        instances.Select(i => i.ClassName + ":" + (i.Class.FindProperty("Id") != null ? i["Id"] : i["Name"])).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    private IReadOnlyList<CimLiteInstance> Assoc(string source, AssociationFilter? filter = null) => Session.GetAssociatedInstances(InstancePath.Parse(source), filter);

    private IReadOnlyList<CimLiteInstance> Refs(string source) => Session.GetReferencingInstances(InstancePath.Parse(source));

    // ---- 1. reference typing on put ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reference_takes_an_instance_object_or_a_path_with_or_without_namespace_and_reads_back_as_the_canonical_path(string backend)
    {
        Use(backend);
        var host = Get(Host);
        Put("Link", ("Owner", host), ("Part", "root/cimv2:Disk.Id=\"d1\""));
        Put("Link", ("Owner", "Sys.Name=\"host\""), ("Part", "Disk.Id=\"d2\""));
        var links = Session.EnumerateInstances("Link", deep: false).ToList();
        Assert.Equal(2, links.Count);
        Assert.Contains(links, l => (string)l["Owner"]! == "root/cimv2:Sys.Name=\"host\"" && (string)l["Part"]! == "root/cimv2:Disk.Id=\"d1\"");
        Assert.Contains(links, l => (string)l["Owner"]! == "Sys.Name=\"host\"" && (string)l["Part"]! == "Disk.Id=\"d2\"");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_reference_to_an_instance_of_the_wrong_class_is_TypeMismatch_naming_the_property_and_the_value(string backend)
    {
        Use(backend);
        var ex = Fails(CimStatus.TypeMismatch, () => Link("Sys.Name=\"host\"", "Sys.Name=\"other\""), "'Part'", "Sys.Name=\"other\"", "'Dev'");
        Assert.Equal("Part", ex.PropertyName);
        Fails(CimStatus.TypeMismatch, () => Put("Link", ("Owner", Get("Disk.Id=\"d1\"")), ("Part", "Disk.Id=\"d1\"")), "'Owner'", "Disk.Id=\"d1\"");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_malformed_reference_path_or_one_naming_an_unknown_class_or_wrong_keys_is_TypeMismatch(string backend)
    {
        Use(backend);
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Disk.Id=\"d1"), "'Part'");
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Nope.Id=\"d1\""), "'Part'", "Nope.Id");
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Disk.Name=\"d1\""), "'Part'", "Disk.Name");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_override_that_narrows_the_referenced_class_is_enforced_in_the_subclass_association(string backend)
    {
        Use(backend);
        Link(Host, "Port.Id=\"p1\""); // the base association takes any Dev
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Port.Id=\"p1\"", "DiskLink"), "'Part'", "'Disk'");
        Link("Sys.Name=\"other\"", "Disk.Id=\"d1\"", "DiskLink");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_dangling_reference_is_accepted_on_put_and_skipped_without_error_when_followed(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"gone\"");
        Link(Host, "Disk.Id=\"d1\"");
        Assert.Equal(new[] { "Disk:d1" }, Ids(Assoc(Host)));
        Assert.Equal(2, Session.GetReferencingInstances(InstancePath.Parse(Host)).Count);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_path_naming_a_superclass_and_the_exact_path_identify_the_same_instance(string backend)
    {
        Use(backend);
        Link(Host, "Dev.Id=\"d1\"");
        // From the disk, by its exact path, the association made with the superclass path is found, and back.
        Assert.Equal(new[] { "Sys:host" }, Ids(Assoc("Disk.Id=\"d1\"")));
        Assert.Equal(new[] { "Sys:host" }, Ids(Assoc("Dev.Id=\"d1\"")));
        Assert.Equal(new[] { "Disk:d1" }, Ids(Assoc(Host)));
        // The same link written with the exact path is the same association instance (keys unique under the key root)...
        Assert.Equal("Dev.Id=\"d1\"", (string)Assert.Single(Session.GetReferencingInstances(InstancePath.Parse("Disk.Id=\"d1\"")))["Part"]!);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_path_naming_a_superclass_of_the_referenced_class_is_accepted_only_when_the_stored_instance_is_of_that_class(string backend)
    {
        Use(backend);
        Link("Sys.Name=\"other\"", "Dev.Id=\"d2\"", "DiskLink"); // d2 is a Disk
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Dev.Id=\"p1\"", "DiskLink"), "'Part'"); // p1 is a Port
        Fails(CimStatus.TypeMismatch, () => Link(Host, "Dev.Id=\"none\"", "DiskLink"), "'Part'"); // nothing stored: cannot be a Disk
    }

    // ---- 2. associators ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Associators_return_every_other_end_once_each_as_its_own_class(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        Link(Host, "Port.Id=\"p1\"");
        Put("Other", ("Owner", Host), ("Part", "Disk.Id=\"d1\"")); // a second path to d1
        Link("Sys.Name=\"other\"", "Disk.Id=\"d2\"");
        var result = Assoc(Host);
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(result));
        Assert.Equal(1U, result.Single(r => r.ClassName == "Disk")["Size"]);
        Assert.Equal(new[] { "Sys:host", "Sys:other" }, Ids(Assoc("Disk.Id=\"d1\"").Concat(Assoc("Disk.Id=\"d2\""))));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Associators_filter_by_association_class_and_result_class_deeply(string backend)
    {
        Use(backend);
        Link(Host, "Port.Id=\"p1\"");
        Link(Host, "Disk.Id=\"d1\"", "DiskLink");
        Put("Other", ("Owner", Host), ("Part", "Disk.Id=\"d2\""));
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Assoc(Host, new AssociationFilter { AssociationClass = "Link" })));
        Assert.Equal(new[] { "Disk:d1" }, Ids(Assoc(Host, new AssociationFilter { AssociationClass = "DiskLink" })));
        Assert.Equal(new[] { "Disk:d1", "Disk:d2", "Port:p1" }, Ids(Assoc(Host, new AssociationFilter { ResultClass = "Dev" })));
        Assert.Equal(new[] { "Disk:d1", "Disk:d2" }, Ids(Assoc(Host, new AssociationFilter { ResultClass = "Disk" })));
        Assert.Equal(new[] { "Disk:d2" }, Ids(Assoc(Host, new AssociationFilter { RequiredAssociationQualifier = "Special" })));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Associators_filter_by_role_and_result_role(string backend)
    {
        Use(backend);
        Class("Peer").Qualifier("Association", true).Prop("Left", "ref:Sys", null, KeyQ).Prop("Right", "ref:Sys", null, KeyQ).Create();
        Put("Peer", ("Left", Host), ("Right", "Sys.Name=\"other\""));
        Assert.Equal(new[] { "Sys:other" }, Ids(Assoc(Host, new AssociationFilter { Role = "Left" })));
        Assert.Empty(Assoc(Host, new AssociationFilter { Role = "Right" }));
        Assert.Equal(new[] { "Sys:host" }, Ids(Assoc("Sys.Name=\"other\"", new AssociationFilter { ResultRole = "Left" })));
        Assert.Empty(Assoc("Sys.Name=\"other\"", new AssociationFilter { ResultRole = "Right" }));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Associators_keys_only_fill_only_the_keys(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        var only = Assert.Single(Assoc(Host, new AssociationFilter { KeysOnly = true }));
        Assert.Equal("d1", only["Id"]);
        Assert.Null(only["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Associators_of_a_missing_source_are_NotFound_and_of_an_unknown_filter_class_InvalidClass(string backend)
    {
        Use(backend);
        Fails(CimStatus.NotFound, () => Assoc("Sys.Name=\"nobody\""), "nobody");
        Fails(CimStatus.InvalidClass, () => Assoc(Host, new AssociationFilter { ResultClass = "Nope" }), "Nope");
        Fails(CimStatus.InvalidClass, () => Assoc(Host, new AssociationFilter { AssociationClass = "Nope" }), "Nope");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_n_ary_association_returns_every_other_end(string backend)
    {
        Use(backend);
        Class("Triple").Qualifier("Association", true).Prop("A", "ref:Sys", null, KeyQ).Prop("B", "ref:Dev", null, KeyQ).Prop("C", "ref:Dev", null, KeyQ).Create();
        Put("Triple", ("A", Host), ("B", "Disk.Id=\"d1\""), ("C", "Port.Id=\"p1\""));
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Assoc(Host)));
        Assert.Equal(new[] { "Port:p1", "Sys:host" }, Ids(Assoc("Disk.Id=\"d1\"")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void References_return_the_association_instances_filtered_by_class_and_role(string backend)
    {
        Use(backend);
        Link(Host, "Port.Id=\"p1\"");
        Link(Host, "Disk.Id=\"d1\"", "DiskLink");
        Put("Other", ("Owner", Host), ("Part", "Disk.Id=\"d2\""));
        var refs = Session.GetReferencingInstances(InstancePath.Parse(Host));
        Assert.Equal(new[] { "DiskLink", "Link", "Other" }, refs.Select(r => r.ClassName).OrderBy(s => s).ToArray());
        Assert.Equal(new[] { "DiskLink", "Link" }, Session.GetReferencingInstances(InstancePath.Parse(Host), new AssociationFilter { ResultClass = "Link" }).Select(r => r.ClassName).OrderBy(s => s).ToArray());
        Assert.Empty(Session.GetReferencingInstances(InstancePath.Parse(Host), new AssociationFilter { Role = "Part" }));
        Assert.Single(Session.GetReferencingInstances(InstancePath.Parse("Disk.Id=\"d1\""), new AssociationFilter { Role = "Part" }));
    }

    // ---- the index follows every write ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Updating_an_association_moves_its_index_entries_and_a_batch_indexes_each_put(string backend)
    {
        Use(backend);
        Class("Note").Qualifier("Association", true).Key("Id").Prop("About", "ref:Dev").Create();
        Put("Note", ("Id", "n"), ("About", "Disk.Id=\"d1\""));
        Put("Note", ("Id", "n"), ("About", "Disk.Id=\"d2\""));
        Assert.Empty(Refs("Disk.Id=\"d1\""));
        Assert.Equal(new[] { "Note:n" }, Ids(Refs("Disk.Id=\"d2\"")));
        Put(new PutOptions { PropertyList = new[] { "About" } }, "Note", ("Id", "n"), ("About", "Port.Id=\"p1\""));
        Assert.Empty(Refs("Disk.Id=\"d2\""));
        Assert.Equal(new[] { "Note:n" }, Ids(Refs("Port.Id=\"p1\"")));
        using (var batch = Session.BeginPutBatch())
        {
            batch.Add(New("Note", ("Id", "b1"), ("About", "Disk.Id=\"d1\"")));
            batch.Add(New("Note", ("Id", "b2"), ("About", "Disk.Id=\"d1\"")));
            batch.Commit();
        }
        Assert.Equal(new[] { "Note:b1", "Note:b2" }, Ids(Refs("Disk.Id=\"d1\"")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Deleting_a_class_with_its_instances_removes_their_index_entries(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        Session.DeleteClass("Link", null, force: true);
        Assert.Empty(Session.GetReferencingInstances(InstancePath.Parse(Host)));
        Assert.Empty(Snapshot().Split("## SELECT instance_id")[1].Trim().Split('\n').Skip(1));
    }

    // ---- 5. deletes ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Deleting_an_instance_leaves_the_associations_that_refer_to_it(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        Session.DeleteInstance(InstancePath.Parse("Disk.Id=\"d1\""));
        Assert.Single(Session.EnumerateInstances("Link"));
        Assert.Empty(Assoc(Host)); // now dangling
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Deleting_with_IncludeAssociations_removes_every_association_referring_to_the_instance_and_no_other(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        Put("Other", ("Owner", "Sys.Name=\"other\""), ("Part", "Dev.Id=\"d1\""));
        Link(Host, "Port.Id=\"p1\"");
        Session.DeleteInstance(InstancePath.Parse("Disk.Id=\"d1\""), new DeleteOptions { IncludeAssociations = true });
        Assert.Null(Find("Disk.Id=\"d1\""));
        Assert.Empty(Session.EnumerateInstances("Other"));
        var left = Assert.Single(Session.EnumerateInstances("Link"));
        Assert.Equal("Port.Id=\"p1\"", left["Part"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Deleting_with_IncludeAssociations_is_one_transaction_a_refusing_association_provider_keeps_everything(string backend)
    {
        Use(backend);
        Link(Host, "Disk.Id=\"d1\"");
        Session.Providers.Register("Link", new RefusingDelete());
        Fails(CimStatus.AccessDenied, () => Session.DeleteInstance(InstancePath.Parse("Disk.Id=\"d1\""), new DeleteOptions { IncludeAssociations = true }), "no");
        Assert.NotNull(Find("Disk.Id=\"d1\""));
    }

    private sealed class RefusingDelete : CimLiteProvider
    {
        public override void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request) => throw new CimLiteException(CimStatus.AccessDenied, "no");
    }

    // ---- 4. providers ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_association_served_by_an_enumerate_provider_is_followed_like_stored_ones(string backend)
    {
        Use(backend);
        Class("Served").Qualifier("Association", true).Prop("Owner", "ref:Sys", null, KeyQ).Prop("Part", "ref:Dev", null, KeyQ).Create();
        var provider = new ServingProvider();
        Session.Providers.Register("Served", provider);
        Link(Host, "Disk.Id=\"d1\"");
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Assoc(Host)));
        Assert.Equal(new[] { "Link", "Served" }, Session.GetReferencingInstances(InstancePath.Parse(Host)).Select(r => r.ClassName).OrderBy(s => s).ToArray());
        // copy-on-post: changing what was returned does not change what the provider posts next time
        var served = Session.GetReferencingInstances(InstancePath.Parse(Host)).Single(r => r.ClassName == "Served");
        served["Part"] = "Disk.Id=\"d2\"";
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Assoc(Host)));
    }

    private sealed class ServingProvider : CimLiteProvider
    {
        public override void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request)
        {
            var link = context.NewInstance("Served", new Dictionary<string, object?> { ["Owner"] = "Sys.Name=\"host\"", ["Part"] = "Port.Id=\"p1\"" });
            context.PostInstance(link);
        }
    }

    // ---- 3. WQL ----

    private List<CimLiteInstance> Q(string wql) => Session.ExecQuery(wql).ToList();

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Wql_associators_of_answers_with_every_clause(string backend)
    {
        Use(backend);
        Link(Host, "Port.Id=\"p1\"");
        Link(Host, "Disk.Id=\"d1\"", "DiskLink");
        Put("Other", ("Owner", Host), ("Part", "Disk.Id=\"d2\""));
        Assert.Equal(new[] { "Disk:d1", "Disk:d2", "Port:p1" }, Ids(Q("ASSOCIATORS OF {Sys.Name=\"host\"}")));
        Assert.Equal(new[] { "Disk:d1", "Disk:d2", "Port:p1" }, Ids(Q("associators of { root/cimv2:Sys.Name=\"host\" }")));
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE AssocClass = Link")));
        Assert.Equal(new[] { "Disk:d1", "Disk:d2" }, Ids(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ResultClass = Disk")));
        Assert.Equal(new[] { "Disk:d1" }, Ids(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE AssocClass = Link ResultClass = Disk Role = Owner ResultRole = Part")));
        Assert.Empty(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE Role = Part"));
        Assert.Empty(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ResultRole = Owner"));
        Assert.Equal(new[] { "Disk:d2" }, Ids(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE RequiredAssocQualifier = Special")));
        Assert.Empty(Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE RequiredQualifier = Special"));
        var keys = Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ResultClass = Disk KeysOnly");
        Assert.All(keys, k => Assert.Null(k["Size"]));
        var defs = Session.ExecAssociationQuery("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ClassDefsOnly");
        Assert.True(defs.ClassDefsOnly);
        Assert.Equal(new[] { "Disk", "Port" }, defs.Classes.Select(c => c.ClassName).OrderBy(n => n).ToArray());
        Assert.Empty(defs.Instances);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Wql_references_of_returns_the_association_instances(string backend)
    {
        Use(backend);
        Link(Host, "Port.Id=\"p1\"");
        Put("Other", ("Owner", Host), ("Part", "Disk.Id=\"d2\""));
        Assert.Equal(new[] { "Link", "Other" }, Q("REFERENCES OF {Sys.Name=\"host\"}").Select(i => i.ClassName).OrderBy(n => n).ToArray());
        Assert.Equal(new[] { "Other" }, Q("REFERENCES OF {Sys.Name=\"host\"} WHERE ResultClass = Other Role = Owner").Select(i => i.ClassName).ToArray());
        Assert.Equal(new[] { "Other" }, Q("REFERENCES OF {Sys.Name=\"host\"} WHERE RequiredQualifier = Special").Select(i => i.ClassName).ToArray());
        Assert.Empty(Q("REFERENCES OF {Sys.Name=\"host\"} WHERE Role = Part"));
        Assert.Equal(new[] { "Link", "Other" }, Session.ExecAssociationQuery("REFERENCES OF {Sys.Name=\"host\"} WHERE ClassDefsOnly").Classes.Select(c => c.ClassName).OrderBy(n => n).ToArray());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Wql_association_query_errors_are_InvalidQuery_with_a_position_InvalidClass_or_NotFound(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS {Sys.Name=\"host\"}"), "position 12", "OF");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF Sys.Name=\"host\""), "position 15");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\""), "'}'");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE AssocClass = Link AND Role = Owner"), "position 57");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE Role Owner"), "position 44", "'='");
        Fails(CimStatus.InvalidQuery, () => Q("REFERENCES OF {Sys.Name=\"host\"} WHERE AssocClass = Link"), "position 38");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE KeysOnly ClassDefsOnly"), "KeysOnly and ClassDefsOnly");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE Role = A Role = B"), "position 48");
        Fails(CimStatus.InvalidQuery, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ClassDefsOnly"), "ClassDefsOnly");
        Fails(CimStatus.InvalidClass, () => Q("ASSOCIATORS OF {Sys.Name=\"host\"} WHERE ResultClass = Nope"), "Nope");
        Fails(CimStatus.InvalidClass, () => Q("REFERENCES OF {Nope.Name=\"host\"}"), "Nope");
        Fails(CimStatus.NotFound, () => Q("REFERENCES OF {Sys.Name=\"nobody\"}"), "nobody");
    }

    // ---- 4. the association capability ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void An_association_provider_answers_AssociatorInstances_and_ReferenceInstances_itself_with_the_request_filters(string backend)
    {
        Use(backend);
        Class("Served").Qualifier("Association", true).Prop("Owner", "ref:Sys", null, KeyQ).Prop("Part", "ref:Dev", null, KeyQ).Create();
        var provider = new AnsweringProvider();
        Session.Providers.Register("Served", provider);
        Link(Host, "Disk.Id=\"d1\"");
        Assert.Equal(new[] { "Disk:d1", "Port:p1" }, Ids(Assoc(Host, new AssociationFilter { ResultClass = "Dev", Role = "Owner" })));
        var asked = Assert.IsType<AssociatorInstancesRequest>(provider.Requests.Single());
        Assert.Equal(("Served", "Dev", "Owner", (string?)null), (asked.ClassName, asked.ResultClass, asked.Role, asked.ResultRole));
        Assert.Equal("host", asked.Instance["Name"]);
        // Filters are checked again on what the provider posts: a Port is not a Disk.
        Assert.Equal(new[] { "Disk:d1" }, Ids(Assoc(Host, new AssociationFilter { ResultClass = "Disk" })));
        var refs = Session.GetReferencingInstances(InstancePath.Parse(Host));
        Assert.Equal(new[] { "Link", "Served" }, refs.Select(r => r.ClassName).OrderBy(n => n).ToArray());
        Assert.IsType<ReferenceInstancesRequest>(provider.Requests.Last());
        Assert.False(provider.Enumerated);
    }

    [Fact]
    public void An_object_with_only_the_association_capability_can_be_registered()
    {
        Class("Served").Qualifier("Association", true).Prop("Owner", "ref:Sys", null, KeyQ).Prop("Part", "ref:Dev", null, KeyQ).Create();
        Assert.True(ProviderRegistry.HasCapability(typeof(OnlyAssociations)));
        Session.Providers.Register("Served", new OnlyAssociations());
    }

    private sealed class OnlyAssociations : ICimLiteAssociationProvider
    {
        public void AssociatorInstances(ICimLiteContext context, AssociatorInstancesRequest request) { }

        public void ReferenceInstances(ICimLiteContext context, ReferenceInstancesRequest request) { }
    }

    private sealed class AnsweringProvider : CimLiteProvider
    {
        public List<AssociationRequest> Requests { get; } = new();

        public bool Enumerated { get; private set; }

        public override void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request) => Enumerated = true;

        public override void AssociatorInstances(ICimLiteContext context, AssociatorInstancesRequest request)
        {
            Requests.Add(request);
            context.PostInstance(context.NewInstance("Port", new Dictionary<string, object?> { ["Id"] = "p1" }));
        }

        public override void ReferenceInstances(ICimLiteContext context, ReferenceInstancesRequest request)
        {
            Requests.Add(request);
            context.PostInstance(context.NewInstance("Served", new Dictionary<string, object?> { ["Owner"] = "Sys.Name=\"host\"", ["Part"] = "Port.Id=\"p1\"" }));
        }
    }
}
