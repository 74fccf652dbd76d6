using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

public sealed class ClassTests : SessionFixture
{
    [Fact]
    public void CreateClass_with_a_superclass_inherits_its_properties_and_keys()
    {
        Class("Base").Key("Id").Prop("Name", "string").Create();
        var sub = Class("Sub", "base").Prop("Extra", "uint32").Create();
        Assert.Equal("Base", sub.Superclass);
        Assert.Equal(new[] { "Base" }, sub.Derivation);
        Assert.Equal(new[] { "Id", "Name", "Extra" }, sub.Properties.Select(p => p.Name));
        Assert.Equal("Id", Assert.Single(sub.KeyProperties).Name);
        Assert.Equal("Base", sub.KeyRootClass);
        Assert.Equal("Base", sub.FindProperty("Id").ClassOrigin);
        Assert.Equal("Sub", Session.GetClass("SUB").ClassName);
    }

    [Fact]
    public void CreateClass_creates_a_missing_namespace()
    {
        Class("X").Key("Id").Create("root/new\\deeper");
        Assert.Contains("root/new/deeper", Session.GetNamespaces());
        Assert.Equal("root/new/deeper", Session.GetClass("X", "root\\new\\deeper").Namespace);
    }

    [Fact]
    public void A_class_that_fails_validation_in_a_new_namespace_leaves_no_namespace_behind()
    {
        Fails(CimStatus.InvalidParameter, () => Class("Bad").Key("Id", "real64").Create("root/fresh"));
        Assert.DoesNotContain("root/fresh", Session.GetNamespaces());
    }

    [Fact]
    public void Classes_of_the_same_name_in_two_namespaces_are_independent_and_namespaces_are_case_insensitive()
    {
        Class("Disk").Key("Id").Prop("Size", "uint64").Create();
        Class("Disk").Key("Id").Prop("Label", "string").Create("root/other");
        Session.PutInstance(Session.NewInstance("Disk", Props(("Id", "x"), ("Label", "other")), "ROOT\\OTHER"));
        Put("Disk", ("Id", "x"), ("Size", 1));
        Assert.Equal("other", Session.EnumerateInstances("Disk", "Root/Other").Single()["Label"]);
        Assert.Equal(1UL, Session.EnumerateInstances("disk", "ROOT/CIMV2").Single()["Size"]);
        Assert.Equal("root/other", Get("root/other:Disk.Id=\"x\"").Namespace);
    }

    [Fact]
    public void CreateClass_fails_with_AlreadyExists_for_an_existing_name_in_any_case()
    {
        Class("Disk").Key("Id").Create();
        Fails(CimStatus.AlreadyExists, () => Class("DISK").Key("Id").Create(), "DISK");
    }

    [Fact]
    public void CreateClass_fails_with_InvalidSuperclass_when_the_superclass_does_not_exist()
    {
        Fails(CimStatus.InvalidSuperclass, () => Class("Sub", "Missing").Create(), "Sub", "Missing");
    }

    [Fact]
    public void GetClass_of_an_unknown_class_fails_with_InvalidClass_and_unknown_namespace_with_InvalidNamespace()
    {
        Fails(CimStatus.InvalidClass, () => Session.GetClass("Nope"), "Nope");
        Fails(CimStatus.InvalidNamespace, () => Session.GetClass("Nope", "root/nowhere"), "root/nowhere");
        Assert.Null(Session.FindClass("Nope"));
    }

    // ---- keys ----

    [Fact]
    public void A_subclass_may_not_add_keys_under_a_keyed_ancestor()
    {
        Class("Base").Abstract().Key("Id").Create();
        Fails(CimStatus.InvalidParameter, () => Class("Sub", "Base").Key("Other").Create(), "Sub", "Other", "Base");
    }

    [Fact]
    public void A_subclass_may_add_keys_when_all_ancestors_are_abstract_and_keyless()
    {
        Class("Root").Abstract().Prop("Common", "string").Create();
        Class("Mid", "Root").Abstract().Create();
        var leaf = Class("Leaf", "Mid").Key("Id").Create();
        Assert.Equal("Leaf", leaf.KeyRootClass);
        Put("Leaf", ("Id", "x"));
        Assert.Equal("Leaf", Get("Leaf.Id=\"x\"").ClassName);
    }

    [Fact]
    public void A_subclass_may_not_add_keys_when_a_keyless_ancestor_is_concrete()
    {
        Class("Single").Prop("V", "string").Create();
        Assert.True(Session.GetClass("Single").IsSingleton);
        Fails(CimStatus.InvalidParameter, () => Class("Sub", "Single").Key("Id").Create(), "Sub", "Id", "Single");
    }

    [Fact]
    public void A_subclass_may_redeclare_an_inherited_key_without_adding_one()
    {
        Class("Base").Key("Id").Create();
        var sub = Class("Sub", "Base").Key("Id").Create();
        Assert.Single(sub.KeyProperties);
    }

    [Theory]
    [InlineData("string[]")]
    [InlineData("uint32[]")]
    [InlineData("real32")]
    [InlineData("real64")]
    public void Keys_cannot_be_arrays_or_reals(string type)
    {
        Fails(CimStatus.InvalidParameter, () => Class("Bad").Key("Id", type).Create(), "Bad", "Id");
    }

    [Theory]
    [InlineData("string")]
    [InlineData("uint64")]
    [InlineData("sint8")]
    [InlineData("boolean")]
    [InlineData("char16")]
    [InlineData("datetime")]
    [InlineData("ref:Other")]
    public void Keys_may_be_scalar_non_real_types(string type)
    {
        Assert.Single(Class("Good").Key("Id", type).Create().KeyProperties);
    }

    // ---- overrides ----

    [Fact]
    public void A_property_override_cannot_change_the_type()
    {
        Class("Base").Key("Id").Prop("Size", "uint32").Create();
        Fails(CimStatus.TypeMismatch, () => Class("Sub", "Base").Prop("Size", "uint64").Create(), "Sub", "Size", "uint32", "uint64");
        Fails(CimStatus.TypeMismatch, () => Class("Sub", "Base").Prop("Size", "uint32[]").Create(), "Size");
    }

    [Fact]
    public void A_property_override_of_the_same_type_may_change_the_default_and_qualifiers()
    {
        Class("Base").Key("Id").Prop("Size", "uint32", 1).Create();
        var sub = Class("Sub", "Base").Prop("Size", "uint32", 2, new CimQualifier("Description", "sub")).Create();
        Assert.Equal(2U, sub.FindProperty("Size").DefaultValue);
        Assert.Equal("sub", sub.FindProperty("Size").Find("Description").Value);
        Assert.Equal(2U, Session.NewInstance("Sub")["Size"]);
        Assert.Equal(1U, Session.NewInstance("Base")["Size"]);
    }

    [Fact]
    public void A_DisableOverride_class_qualifier_cannot_be_overridden_with_another_value()
    {
        Class("Base").Key("Id").Qualifier("Version", "1.0", QualifierFlavor.DisableOverride).Create();
        Fails(CimStatus.InvalidParameter, () => Class("Sub", "Base").Qualifier("Version", "2.0").Create(), "Version", "Sub");
        Assert.Equal("1.0", Class("Same", "Base").Qualifier("Version", "1.0").Create().Find("Version").Value);
    }

    [Fact]
    public void A_DisableOverride_property_qualifier_cannot_be_overridden_with_another_value()
    {
        Class("Base").Key("Id").Prop("Size", "uint32", null, new CimQualifier("Units", "bytes", QualifierFlavor.DisableOverride)).Create();
        Fails(CimStatus.InvalidParameter, () => Class("Sub", "Base").Prop("Size", "uint32", null, new CimQualifier("Units", "KB")).Create(), "Units");
    }

    [Fact]
    public void A_DisableOverride_class_qualifier_cannot_be_overridden_on_an_instance()
    {
        Class("Base").Key("Id").Qualifier("Version", "1.0", QualifierFlavor.DisableOverride | QualifierFlavor.ToInstance).Create();
        var instance = New("Base", ("Id", "x"));
        Fails(CimStatus.InvalidParameter, () => instance.SetQualifier(new CimQualifier("Version", "2.0")), "Version");
    }

    // ---- abstract, indication, singleton ----

    [Fact]
    public void Abstract_is_not_inherited()
    {
        Class("Base").Abstract().Key("Id").Create();
        var sub = Class("Sub", "Base").Create();
        Assert.True(Session.GetClass("Base").IsAbstract);
        Assert.False(sub.IsAbstract);
        Assert.Null(sub.Find("Abstract"));
        Put("Sub", ("Id", "x"));
    }

    [Fact]
    public void Abstract_given_with_default_flavors_is_still_not_inherited()
    {
        Class("Base").Qualifier("Abstract", true).Key("Id").Create();
        var sub = Class("Sub", "Base").Create();
        Assert.True(Session.GetClass("Base").IsAbstract);
        Assert.False(sub.IsAbstract);
        Assert.Null(sub.Find("Abstract"));
    }

    [Fact]
    public void Indication_is_inherited()
    {
        Class("Event").Indication().Prop("When", "datetime").Create();
        var sub = Class("DiskEvent", "Event").Create();
        Assert.True(sub.IsIndication);
        Assert.NotNull(sub.Find("Indication"));
        Assert.Equal("DiskEvent", Session.NewInstance("DiskEvent").ClassName); // instances can be built (to post them)
    }

    [Fact]
    public void A_concrete_class_without_keys_is_a_singleton_and_an_abstract_one_is_not()
    {
        Assert.True(Class("Settings").Prop("V", "string").Create().IsSingleton);
        Assert.False(Class("AbstractNoKeys").Abstract().Create().IsSingleton);
        Assert.False(Class("Keyed").Key("Id").Create().IsSingleton);
    }

    // ---- amended ----

    [Fact]
    public void GetClass_without_amended_qualifiers_omits_Amended_class_and_property_qualifiers()
    {
        Class("Disk")
            .Key("Id")
            .Prop("Size", "uint64", null, new CimQualifier("Description", "size text", QualifierFlavor.Amended), new CimQualifier("Units", "bytes"))
            .Qualifier("Description", "a disk", QualifierFlavor.Amended)
            .Qualifier("Version", "1")
            .Create();
        var full = Session.GetClass("Disk");
        Assert.Equal("a disk", full.Find("Description").Value);
        Assert.Equal("size text", full.FindProperty("Size").Find("Description").Value);

        var basic = Session.GetClass("Disk", useAmendedQualifiers: false);
        Assert.Null(basic.Find("Description"));
        Assert.Null(basic.FindProperty("Size").Find("Description"));
        Assert.Equal("1", basic.Find("Version").Value);
        Assert.Equal("bytes", basic.FindProperty("Size").Find("Units").Value);
        Assert.True(basic.FindProperty("Id").IsKey);

        Assert.Null(Session.GetClasses(useAmendedQualifiers: false).Single(c => c.ClassName == "Disk").Find("Description"));
    }

    [Fact]
    public void Amended_qualifiers_survive_a_reload_of_the_class_cache()
    {
        Class("Disk").Key("Id").Qualifier("Description", "a disk", QualifierFlavor.Amended).Create();
        Class("Other").Create(); // bumps the schema generation and reloads the cache
        var c = Session.GetClass("Disk");
        Assert.Equal("a disk", c.Find("Description").Value);
        Assert.True(c.Find("Description").IsAmended);
    }

    // ---- delete ----

    [Fact]
    public void DeleteClass_fails_with_ClassHasChildren_unless_forced()
    {
        Class("Base").Key("Id").Create();
        Class("Sub", "Base").Create();
        Fails(CimStatus.ClassHasChildren, () => Session.DeleteClass("Base"), "Base", "Sub");
    }

    [Fact]
    public void DeleteClass_fails_with_ClassHasInstances_unless_forced()
    {
        Class("Disk").Key("Id").Create();
        Put("Disk", ("Id", "x"));
        Fails(CimStatus.ClassHasInstances, () => Session.DeleteClass("Disk"), "Disk", "1");
    }

    [Fact]
    public void DeleteClass_removes_a_class_without_children_or_instances()
    {
        Class("Disk").Key("Id").Create();
        Assert.Equal(0, Session.DeleteClass("Disk"));
        Assert.Null(Session.FindClass("Disk"));
        Class("Disk").Key("Other").Create(); // the name is free again
    }

    [Fact]
    public void DeleteClass_with_force_removes_subclasses_and_all_their_instances()
    {
        DeclareAbcd();
        Class("Unrelated").Key("Id").Create();
        Put("B", ("Id", "b"));
        Put("C", ("Id", "c"));
        Put("D", ("Id", "d"));
        Put("Unrelated", ("Id", "u"));
        Assert.Equal(3, Session.DeleteClass("A", force: true));
        foreach (var c in new[] { "A", "B", "C", "D" }) Assert.Null(Session.FindClass(c));
        Assert.Single(Session.EnumerateInstances("Unrelated"));
        Assert.Equal(1L, Convert.ToInt64(Scalar("SELECT count(*) FROM instances")));
    }

    [Fact]
    public void DeleteClass_reports_progress_per_class_removed_children_first_and_counts_instances()
    {
        DeclareAbcd();
        Put("B", ("Id", "b"));
        Put("C", ("Id", "c"));
        Put("D", ("Id", "d"));
        Assert.Equal(3L, Session.CountInstances("A"));
        Assert.Equal(1L, Session.CountInstances("B", deep: false));
        var calls = new List<(int Done, int Total, string Name)>();
        Assert.Equal(3, Session.DeleteClass("A", null, true, (done, total, name) => calls.Add((done, total, name))));
        Assert.Equal(Enumerable.Range(0, 5).ToArray(), calls.Select(c => c.Done).ToArray());
        Assert.All(calls, c => Assert.Equal(4, c.Total));
        Assert.Equal("A", calls[^1].Name);
        Assert.Equal(new[] { "A", "B", "C", "D" }, calls.Skip(1).Select(c => c.Name).OrderBy(n => n).ToArray());
    }

    [Fact]
    public void DeleteClass_progress_that_throws_rolls_the_cascade_back()
    {
        DeclareAbcd();
        Put("D", ("Id", "d"));
        Assert.Throws<InvalidOperationException>(() => Session.DeleteClass("A", null, true, (done, total, name) => { if (done == 2) throw new InvalidOperationException(); }));
        foreach (var c in new[] { "A", "B", "C", "D" }) Assert.NotNull(Session.FindClass(c));
        Assert.Single(Session.EnumerateInstances("D"));
    }

    [Fact]
    public void DeleteClass_with_force_of_a_middle_class_keeps_its_ancestors_and_their_instances()
    {
        DeclareAbcd();
        Put("B", ("Id", "b"));
        Put("C", ("Id", "c"));
        Put("D", ("Id", "d"));
        Assert.Equal(2, Session.DeleteClass("B", force: true));
        Assert.NotNull(Session.FindClass("A"));
        Assert.Null(Session.FindClass("D"));
        Assert.Equal(new[] { "c" }, Session.EnumerateInstances("A").Select(i => (string)i["Id"]));
        Put("C", ("Id", "b")); // the key is free now
    }

    [Fact]
    public void DeleteClass_of_an_unknown_class_fails_with_InvalidClass()
    {
        Fails(CimStatus.InvalidClass, () => Session.DeleteClass("Nope"), "Nope");
    }

    private object? Scalar(string sql)
    {
        using var c = Session.Sqlite().NewCommand(sql);
        return c.ExecuteScalar();
    }

    // ---- names ----

    [Theory]
    [InlineData("__Reserved")]
    [InlineData("1Disk")]
    [InlineData("Disk-Drive")]
    [InlineData("Disk Drive")]
    [InlineData("")]
    public void Reserved_and_invalid_class_names_are_rejected(string name)
    {
        Fails(CimStatus.InvalidParameter, () => Class(name).Create());
    }

    [Theory]
    [InlineData("__PATH")]
    [InlineData("9lives")]
    [InlineData("a.b")]
    public void Reserved_and_invalid_property_names_are_rejected(string name)
    {
        var ex = Fails(CimStatus.InvalidParameter, () => Class("Ok").Prop(name, "string").Create(), name);
        Assert.Equal("Ok", ex.ClassName);
    }

    [Fact]
    public void A_property_declared_twice_is_rejected()
    {
        Fails(CimStatus.InvalidParameter, () => Class("Ok").Prop("A", "string").Prop("a", "uint8").Create(), "Ok", "a");
    }

    [Fact]
    public void A_default_value_that_does_not_fit_the_type_fails_with_TypeMismatch()
    {
        Fails(CimStatus.TypeMismatch, () => Class("Ok").Prop("Small", "uint8", 300).Create(), "Small", "300");
    }

    [Fact]
    public void Class_names_with_unicode_letters_and_underscores_are_valid()
    {
        Assert.Equal("_Ärger_1", Class("_Ärger_1").Key("Id").Create().ClassName);
    }

    [Fact]
    public void Invalid_namespace_names_are_rejected_with_InvalidNamespace()
    {
        Fails(CimStatus.InvalidNamespace, () => Class("X").Create("root/bad name"), "root/bad name");
        Fails(CimStatus.InvalidNamespace, () => Class("X").Create(""));
    }

    [Fact]
    public void CreateClass_in_a_read_only_session_fails_with_AccessDenied()
    {
        using var ro = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ReadOnly = true });
        Fails(ro, CimStatus.AccessDenied, () => Class(ro, "X").Create());
        Fails(ro, CimStatus.AccessDenied, () => ro.DeleteClass("X"));
    }

    [Fact]
    public void Unknown_CIM_type_names_are_rejected_with_TypeMismatch()
    {
        var ex = Assert.Throws<CimLiteException>(() => CimTypeInfo.Parse("uint128"));
        AssertStatus(ex, CimStatus.TypeMismatch, "uint128");
    }

    [Fact]
    public void Every_status_carries_its_WMI_HRESULT()
    {
        foreach (var (status, hr) in WmiHResults)
            Assert.True(unchecked((int)hr) == CimStatusInfo.ToHResult(status), $"{status}: expected 0x{hr:X8}, got 0x{CimStatusInfo.ToHResult(status):X8}");
        Assert.Equal("ALREADY_EXISTS", CimStatusInfo.ToConstantName(CimStatus.AlreadyExists));
        Assert.Equal("ILLEGAL_NULL", CimStatusInfo.ToConstantName(CimStatus.IllegalNull));
        Assert.Equal(11, (int)CimStatus.AlreadyExists);
        Assert.Equal(1000, (int)CimStatus.IllegalNull);
    }
}
