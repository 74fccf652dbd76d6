using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

public sealed class PutInstanceTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Prop("Label", "string").Prop("Tags", "string[]").Create();
        Class("Strict").Key("Id", "uint32").Required("Owner", "string").Prop("Note", "string").Create();
    }

    private static PutOptions Mode(PutMode mode) => new() { Mode = mode };

    // ---- modes ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_CreateOrUpdate_creates_a_missing_instance_then_updates_it(string backend)
    {
        Use(backend);
        var path = Put("Disk", ("DeviceId", "C:"), ("Size", 10));
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", path.ToString());
        Assert.Equal(10UL, Get("Disk.DeviceId=\"C:\"")["Size"]);

        Put("Disk", ("DeviceId", "C:"), ("Size", 20));
        Assert.Equal(20UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
        Assert.Single(Session.EnumerateInstances("Disk"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_full_update_replaces_every_property_including_with_null(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 10), ("Label", "sys"));
        Put("Disk", ("DeviceId", "C:"), ("Size", 11));
        var disk = Get("Disk.DeviceId=\"C:\"");
        Assert.Equal(11UL, disk["Size"]);
        Assert.Null(disk["Label"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_CreateOnly_creates_a_missing_instance(string backend)
    {
        Use(backend);
        Put(Mode(PutMode.CreateOnly), "Disk", ("DeviceId", "C:"), ("Size", 1));
        Assert.Equal(1UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_CreateOnly_fails_with_AlreadyExists_when_the_instance_exists(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 1));
        var ex = Fails(CimStatus.AlreadyExists, () => Put(Mode(PutMode.CreateOnly), "Disk", ("DeviceId", "C:"), ("Size", 2)), "Disk", "C:");
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", ex.InstancePath);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_CreateOnly_treats_string_keys_case_insensitively(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "c:"));
        Fails(CimStatus.AlreadyExists, () => Put(Mode(PutMode.CreateOnly), "Disk", ("DeviceId", "C:")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_UpdateOnly_updates_an_existing_instance(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 1));
        Put(Mode(PutMode.UpdateOnly), "Disk", ("DeviceId", "C:"), ("Size", 2));
        Assert.Equal(2UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_UpdateOnly_fails_with_NotFound_when_the_instance_is_missing(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "D:"));
        Fails(CimStatus.NotFound, () => Put(Mode(PutMode.UpdateOnly), "Disk", ("DeviceId", "C:")), "Disk", "C:");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_CreateOnly_with_a_property_list_fails_with_InvalidParameter(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"));
        Fails(CimStatus.InvalidParameter, () => Session.PutInstance(New("Disk", ("DeviceId", "C:")),
            new PutOptions { Mode = PutMode.CreateOnly, PropertyList = new[] { "Size" } }), "CreateOnly");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_returns_the_path_and_the_stored_instance_is_a_copy_not_the_callers_object(string backend)
    {
        Use(backend);
        var disk = New("Disk", ("DeviceId", "C:"), ("Size", 1), ("Tags", new[] { "a" }));
        Session.PutInstance(disk);
        disk["Size"] = 2;
        ((string[])disk["Tags"])[0] = "changed";
        var stored = Get("Disk.DeviceId=\"C:\"");
        Assert.Equal(1UL, stored["Size"]);
        Assert.Equal(new[] { "a" }, stored["Tags"]);
    }

    // ---- class and namespace ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_InvalidClass_when_the_class_does_not_exist(string backend)
    {
        Use(backend);
        using var other = CimLiteSession.OpenInMemory();
        Class(other, "Ghost").Key("Id").Create();
        var ghost = other.NewInstance("Ghost", Props(("Id", "x")));
        Fails(CimStatus.InvalidClass, () => Session.PutInstance(ghost), "Ghost");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_InvalidNamespace_when_the_namespace_does_not_exist(string backend)
    {
        Use(backend);
        using var other = CimLiteSession.OpenInMemory();
        Class(other, "Disk").Key("DeviceId").Create("root/elsewhere");
        var instance = other.NewInstance("Disk", Props(("DeviceId", "x")), "root/elsewhere");
        Fails(CimStatus.InvalidNamespace, () => Session.PutInstance(instance), "root/elsewhere");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_InvalidOperation_naming_the_class_when_it_is_abstract(string backend)
    {
        Use(backend);
        Class("Base").Abstract().Key("Id").Create();
        using var other = CimLiteSession.OpenInMemory();
        Class(other, "Base").Key("Id").Create(); // concrete there, so an instance can be built
        var instance = other.NewInstance("Base", Props(("Id", "1")));
        Fails(CimStatus.InvalidOperation, () => Session.PutInstance(instance), "Base", "abstract");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void NewInstance_of_an_abstract_class_fails_with_InvalidOperation_naming_the_class(string backend)
    {
        Use(backend);
        Class("Base").Abstract().Key("Id").Create();
        Fails(CimStatus.InvalidOperation, () => Session.NewInstance("Base"), "Base", "abstract");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_of_an_indication_class_instance_fails_with_InvalidOperation_because_indications_are_posted(string backend)
    {
        Use(backend);
        Class("DiskEvent").Indication().Prop("What", "string").Create();
        var e = Session.NewInstance("DiskEvent", Props(("What", "boom")));
        Fails(CimStatus.InvalidOperation, () => Session.PutInstance(e), "DiskEvent", "indication");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_of_a_subclass_of_an_indication_class_fails_too_because_Indication_is_inherited(string backend)
    {
        Use(backend);
        Class("DiskEvent").Indication().Prop("What", "string").Create();
        Class("DiskFull", "DiskEvent").Create();
        Assert.True(Session.GetClass("DiskFull").IsIndication);
        Fails(CimStatus.InvalidOperation, () => Session.PutInstance(Session.NewInstance("DiskFull")), "DiskFull");
    }

    // ---- keys, required, properties ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_IllegalNull_naming_the_key_when_a_key_is_missing(string backend)
    {
        Use(backend);
        var ex = Fails(CimStatus.IllegalNull, () => Put("Disk", ("Size", 1)), "Disk", "DeviceId");
        Assert.Equal("DeviceId", ex.PropertyName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_IllegalNull_when_a_key_is_explicitly_null(string backend)
    {
        Use(backend);
        Fails(CimStatus.IllegalNull, () => Put("Disk", ("DeviceId", null), ("Size", 1)), "DeviceId");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_IllegalNull_when_a_Required_property_is_null_on_a_full_put(string backend)
    {
        Use(backend);
        Fails(CimStatus.IllegalNull, () => Put("Strict", ("Id", 1)), "Strict", "Owner");
        Put("Strict", ("Id", 1), ("Owner", "me"));
        Fails(CimStatus.IllegalNull, () => Put("Strict", ("Id", 1), ("Note", "x")), "Owner");
        Assert.Equal("me", Get("Strict.Id=1")["Owner"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Not_Null_qualifier_counts_as_Required(string backend)
    {
        Use(backend);
        Class("NN").Key("Id").Prop("V", "string", null, new CimQualifier("Not_Null", true)).Create();
        Fails(CimStatus.IllegalNull, () => Put("NN", ("Id", "1")), "V");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void NewInstance_fails_with_NoSuchProperty_naming_class_and_property_for_an_unknown_name(string backend)
    {
        Use(backend);
        var ex = Fails(CimStatus.NoSuchProperty, () => New("Disk", ("DeviceId", "C:"), ("Bogus", 1)), "Disk", "Bogus");
        Assert.Equal("Bogus", ex.PropertyName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void NewInstanceOf_a_class_makes_what_NewInstance_by_name_makes_and_fails_alike(string backend)
    {
        Use(backend);
        var disk = Session.GetClass("Disk");
        var byClass = Session.NewInstanceOf(disk, Props(("DeviceId", "C:"), ("Size", 5)));
        var byName = Session.NewInstance("Disk", Props(("DeviceId", "C:"), ("Size", 5)));
        Assert.Same(disk, byClass.Class);
        Assert.Equal(byName.GetPath().ToString(), byClass.GetPath().ToString());
        Assert.Equal(byName["Size"], byClass["Size"]);
        Assert.Equal(Session.PutInstance(byName).ToString(), Session.PutInstance(byClass).ToString());
        var ex = Fails(CimStatus.NoSuchProperty, () => Session.NewInstanceOf(disk, Props(("DeviceId", "C:"), ("Bogus", 1))), "Disk", "Bogus");
        Assert.Equal("Bogus", ex.PropertyName);
        Class("Base").Abstract().Key("Id").Create();
        Fails(CimStatus.InvalidOperation, () => Session.NewInstanceOf(Session.GetClass("Base")), "Base", "abstract");
    }

    [Fact]
    public void NewInstanceOf_reads_each_key_by_its_name_whatever_keys_came_before_in_that_position()
    {
        // The class remembers, per entry position, the last key string and its property (one hashtable literal piped
        // many times): a key in another position, the same name spelled in another case or made anew, a non-string key
        // and a key of the right text at a remembered position must each still find their own property.
        Use(TestBackends.SqliteMemory);
        var disk = Session.GetClass("Disk");
        string Show(CimLiteInstance i) => $"{i["DeviceId"]}|{i["Size"]}|{i["Label"]}";
        var first = new System.Collections.Specialized.OrderedDictionary { ["DeviceId"] = "C:", ["Size"] = 1, ["Label"] = "a" };
        Assert.Equal("C:|1|a", Show(Session.NewInstanceOf(disk, first)));
        Assert.Equal("C:|1|a", Show(Session.NewInstanceOf(disk, first))); // remembered strings, same positions
        var swapped = new System.Collections.Specialized.OrderedDictionary { ["Label"] = "b", ["DeviceId"] = "D:", ["Size"] = 2 };
        Assert.Equal("D:|2|b", Show(Session.NewInstanceOf(disk, swapped)));
        var otherCase = new System.Collections.Specialized.OrderedDictionary { ["SIZE"] = 3, ["label"] = "c", [new string("DeviceId".ToCharArray())] = "E:" };
        Assert.Equal("E:|3|c", Show(Session.NewInstanceOf(disk, otherCase)));
        Assert.Equal("D:|2|b", Show(Session.NewInstanceOf(disk, swapped)));
        var bogus = new System.Collections.Specialized.OrderedDictionary { ["Label"] = "d" };
        bogus.Add(42, 1);
        Assert.Equal("42", Fails(CimStatus.NoSuchProperty, () => Session.NewInstanceOf(disk, bogus), "Disk", "42").PropertyName);
        Assert.Equal("C:|1|a", Show(Session.NewInstanceOf(disk, first)));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Setting_an_unknown_property_on_an_instance_fails_with_NoSuchProperty(string backend)
    {
        Use(backend);
        var disk = New("Disk", ("DeviceId", "C:"));
        Fails(CimStatus.NoSuchProperty, () => disk["Bogus"] = 1, "Bogus");
        Fails(CimStatus.NoSuchProperty, () => _ = disk["Bogus"], "Bogus");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_with_a_property_list_naming_an_unknown_property_fails_with_NoSuchProperty(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 1));
        Fails(CimStatus.NoSuchProperty, () => Session.PutInstance(New("Disk", ("DeviceId", "C:"), ("Size", 2)),
            new PutOptions { PropertyList = new[] { "Size", "Bogus" } }), "Disk", "Bogus");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_of_an_instance_built_against_an_older_class_shape_fails_with_NoSuchProperty_for_a_dropped_property(string backend)
    {
        Use(backend);
        using var other = CimLiteSession.OpenInMemory();
        Class(other, "Disk").Key("DeviceId").Prop("Gone", "string").Create();
        var instance = other.NewInstance("Disk", Props(("DeviceId", "C:"), ("Gone", "x")));
        Fails(CimStatus.NoSuchProperty, () => Session.PutInstance(instance), "Gone");
    }

    [Theory]
    [InlineData("Size", -1, "-1")]
    [InlineData("Size", "abc", "abc")]
    [InlineData("Size", 1.5, "1.5")]
    public void Type_mismatches_fail_with_TypeMismatch_naming_class_property_and_value(string property, object value, string shown)
    {
        var ex = Fails(CimStatus.TypeMismatch, () => New("Disk", ("DeviceId", "C:"), (property, value)), property, shown, "Disk");
        Assert.Equal(property, ex.PropertyName);
        Assert.Equal("Disk", ex.ClassName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_TypeMismatch_when_a_stale_instance_holds_a_value_the_current_type_rejects(string backend)
    {
        Use(backend);
        using var other = CimLiteSession.OpenInMemory();
        Class(other, "Disk").Key("DeviceId").Prop("Size", "sint64").Create();
        var instance = other.NewInstance("Disk", Props(("DeviceId", "C:"), ("Size", -5)));
        Fails(CimStatus.TypeMismatch, () => Session.PutInstance(instance), "Size", "-5");
    }

    // ---- no moving ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_AlreadyExists_when_a_sibling_class_holds_the_key(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k1"));
        var ex = Fails(CimStatus.AlreadyExists, () => Put("C", ("Id", "k1")), "C", "k1", "'B'");
        Assert.NotNull(ex.RecommendedAction);
        Assert.Contains("B", ex.RecommendedAction);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void CreateOnly_put_fails_with_AlreadyExists_naming_the_sibling_class_that_holds_the_key(string backend)
    {
        Use(backend);
        // CreateOnly without providers inserts first and looks the key up only when the index refuses it:
        // the error must be the same as on the checked path.
        DeclareAbcd();
        Put("B", ("Id", "k1"));
        var ex = Fails(CimStatus.AlreadyExists, () => Session.PutInstance(New("C", ("Id", "k1")), new PutOptions { Mode = PutMode.CreateOnly }), "C", "k1", "'B'");
        Assert.Contains("B", ex.RecommendedAction);
        var same = Fails(CimStatus.AlreadyExists, () => Session.PutInstance(New("B", ("Id", "K1")), new PutOptions { Mode = PutMode.CreateOnly }), "already exists");
        Assert.Null(same.RecommendedAction);
        Session.PutInstance(New("C", ("Id", "k2")), new PutOptions { Mode = PutMode.CreateOnly });
        Assert.Equal("C", Session.GetInstance(InstancePath.Parse("A.Id=\"k2\"")).ClassName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_AlreadyExists_when_a_child_class_instance_would_take_a_parent_class_instances_key(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k1"));
        Fails(CimStatus.AlreadyExists, () => Put("D", ("Id", "k1")), "k1", "'B'");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_AlreadyExists_when_a_parent_class_instance_would_take_a_child_class_instances_key(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("D", ("Id", "k1"));
        Fails(CimStatus.AlreadyExists, () => Put("B", ("Id", "k1")), "k1", "'D'");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_fails_with_AlreadyExists_for_another_class_of_the_hierarchy_even_in_UpdateOnly_mode(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k1"));
        Fails(CimStatus.AlreadyExists, () => Put(Mode(PutMode.UpdateOnly), "C", ("Id", "k1")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void No_moving_compares_string_keys_case_insensitively(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "key"));
        Fails(CimStatus.AlreadyExists, () => Put("C", ("Id", "KEY")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_of_the_other_class_succeeds_after_the_holder_of_the_key_is_deleted(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k1"));
        Fails(CimStatus.AlreadyExists, () => Put("C", ("Id", "k1")));
        Session.DeleteInstance(InstancePath.Parse("B.Id=\"k1\""));
        Put("C", ("Id", "k1"), ("COnly", "now C"));
        var got = Get("A.Id=\"k1\"");
        Assert.Equal("C", got.ClassName);
        Assert.Equal("now C", got["COnly"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_of_a_child_fails_with_AlreadyExists_when_a_concrete_keyed_parent_holds_the_key_and_vice_versa(string backend)
    {
        Use(backend);
        Class("P").Key("Id").Prop("V", "string").Create();
        Class("Q", "P").Prop("W", "string").Create();
        Put("P", ("Id", "p"));
        Put("Q", ("Id", "q"));
        Fails(CimStatus.AlreadyExists, () => Put("Q", ("Id", "p")), "'P'");
        Fails(CimStatus.AlreadyExists, () => Put("P", ("Id", "q")), "'Q'");
        Assert.Equal("Q", Get("P.Id=\"q\"").ClassName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Keys_in_unrelated_hierarchies_do_not_collide(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Class("Other").Key("Id").Create();
        Put("B", ("Id", "k"));
        Put("Other", ("Id", "k"));
        Assert.Equal("B", Get("A.Id=\"k\"").ClassName);
        Assert.Equal("Other", Get("Other.Id=\"k\"").ClassName);
    }

    // ---- partial update ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_changes_only_the_named_properties(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 10), ("Label", "sys"), ("Tags", new[] { "a", "b" }));
        Session.PutInstance(New("Disk", ("DeviceId", "C:"), ("Size", 99), ("Label", "IGNORED")), new PutOptions { PropertyList = new[] { "size" } });
        var disk = Get("Disk.DeviceId=\"C:\"");
        Assert.Equal(99UL, disk["Size"]);
        Assert.Equal("sys", disk["Label"]);
        Assert.Equal(new[] { "a", "b" }, disk["Tags"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_without_StrictNulls_leaves_a_property_whose_new_value_is_null(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 10), ("Label", "sys"));
        var before = Snapshot();
        Session.PutInstance(New("Disk", ("DeviceId", "C:")), new PutOptions { PropertyList = new[] { "Label", "Size" } });
        Assert.Equal("sys", Get("Disk.DeviceId=\"C:\"")["Label"]);
        Assert.Equal(10UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
        Assert.Equal(before, Snapshot());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_with_StrictNulls_sets_a_null_property_to_null(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"), ("Size", 10), ("Label", "sys"));
        Session.PutInstance(New("Disk", ("DeviceId", "C:"), ("Size", 11)), new PutOptions { PropertyList = new[] { "Label", "Size" }, StrictNulls = true });
        var disk = Get("Disk.DeviceId=\"C:\"");
        Assert.Null(disk["Label"]);
        Assert.Equal(11UL, disk["Size"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_with_StrictNulls_of_a_Required_property_fails_with_IllegalNull_and_changes_nothing(string backend)
    {
        Use(backend);
        Put("Strict", ("Id", 1), ("Owner", "me"), ("Note", "n"));
        Fails(CimStatus.IllegalNull, () => Session.PutInstance(New("Strict", ("Id", 1), ("Note", "changed")),
            new PutOptions { PropertyList = new[] { "Note", "Owner" }, StrictNulls = true }), "Strict", "Owner");
        Assert.Equal("n", Get("Strict.Id=1")["Note"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_without_StrictNulls_may_leave_a_Required_property_out(string backend)
    {
        Use(backend);
        Put("Strict", ("Id", 1), ("Owner", "me"));
        Session.PutInstance(New("Strict", ("Id", 1), ("Note", "x")), new PutOptions { PropertyList = new[] { "Note", "Owner" } });
        Assert.Equal("me", Get("Strict.Id=1")["Owner"]);
        Assert.Equal("x", Get("Strict.Id=1")["Note"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_of_a_missing_instance_fails_with_NotFound(string backend)
    {
        Use(backend);
        Fails(CimStatus.NotFound, () => Session.PutInstance(New("Disk", ("DeviceId", "C:"), ("Size", 1)),
            new PutOptions { PropertyList = new[] { "Size" } }), "C:");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_is_update_only_even_in_CreateOrUpdate_mode_with_an_empty_list(string backend)
    {
        Use(backend);
        Fails(CimStatus.NotFound, () => Session.PutInstance(New("Disk", ("DeviceId", "C:")),
            new PutOptions { PropertyList = Array.Empty<string>() }));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_keeps_the_stored_instance_qualifiers(string backend)
    {
        Use(backend);
        var disk = New("Disk", ("DeviceId", "C:"));
        disk.SetQualifier(new CimQualifier("Note", "kept"));
        Session.PutInstance(disk);
        Session.PutInstance(New("Disk", ("DeviceId", "C:"), ("Size", 1)), new PutOptions { PropertyList = new[] { "Size" } });
        Assert.Contains(Get("Disk.DeviceId=\"C:\"").OwnQualifiers, q => q.Name == "Note" && (string)q.Value == "kept");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Partial_put_addressed_to_a_parent_class_cannot_modify_a_child_class_instance(string backend)
    {
        Use(backend);
        Class("P").Key("Id").Prop("V", "string").Create();
        Class("Q", "P").Prop("W", "string").Create();
        Put("Q", ("Id", "q"), ("V", "v0"));
        Fails(CimStatus.AlreadyExists, () => Session.PutInstance(New("P", ("Id", "q"), ("V", "v1")), new PutOptions { PropertyList = new[] { "V" } }));
        Session.PutInstance(New("Q", ("Id", "q"), ("V", "v1")), new PutOptions { PropertyList = new[] { "V" } });
        Assert.Equal("v1", Get("P.Id=\"q\"")["V"]);
    }

    // ---- amended qualifiers ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Instance_qualifiers_are_stored_including_Amended_ones_by_default(string backend)
    {
        Use(backend);
        var disk = New("Disk", ("DeviceId", "C:"));
        disk.SetQualifier(new CimQualifier("Description", "localized", QualifierFlavor.Amended));
        disk.SetQualifier(new CimQualifier("Plain", 42));
        Session.PutInstance(disk);
        var stored = Get("Disk.DeviceId=\"C:\"");
        var description = Assert.Single(stored.OwnQualifiers, q => q.Name == "Description");
        Assert.Equal("localized", description.Value);
        Assert.True(description.IsAmended);
        Assert.Equal(42L, Assert.Single(stored.OwnQualifiers, q => q.Name == "Plain").Value);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Instance_qualifiers_with_the_Amended_flavor_are_not_stored_with_UseAmendedQualifiers_but_others_are(string backend)
    {
        Use(backend);
        var disk = New("Disk", ("DeviceId", "C:"));
        disk.SetQualifier(new CimQualifier("Description", "localized", QualifierFlavor.Amended | QualifierFlavor.ToInstance));
        disk.SetQualifier(new CimQualifier("Plain", "kept"));
        Session.PutInstance(disk, new PutOptions { UseAmendedQualifiers = true });
        var stored = Get("Disk.DeviceId=\"C:\"");
        Assert.DoesNotContain(stored.OwnQualifiers, q => q.Name == "Description");
        Assert.Equal("kept", Assert.Single(stored.OwnQualifiers, q => q.Name == "Plain").Value);
    }

    // ---- singletons ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Singleton_class_holds_at_most_one_instance_with_path_Class_at(string backend)
    {
        Use(backend);
        Class("Settings").Prop("Level", "uint8").Create();
        var path = Put("Settings", ("Level", 1));
        Assert.Equal("root/cimv2:Settings=@", path.ToString());
        Put("Settings", ("Level", 2));
        Assert.Equal((byte)2, Assert.Single(Session.EnumerateInstances("Settings"))["Level"]);
        Fails(CimStatus.AlreadyExists, () => Put(Mode(PutMode.CreateOnly), "Settings", ("Level", 3)), "Settings=@");
        Assert.Equal((byte)2, Get("Settings=@")["Level"]);
    }

    // ---- read-only ----

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Put_in_a_read_only_session_fails_with_AccessDenied(string backend)
    {
        Use(backend);
        using var ro = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ReadOnly = true });
        Fails(ro, CimStatus.AccessDenied, () => ro.CreateClass(new CimClassDefinition("X")), "read-only");
    }
}
