using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

public sealed class GetInstanceTests : BackendSessionFixture
{
    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_by_path_returns_the_stored_values(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Put("Disk", ("DeviceId", "C:"), ("Size", 5));
        var disk = Get("root/cimv2:Disk.DeviceId=\"C:\"");
        Assert.Equal("Disk", disk.ClassName);
        Assert.Equal("C:", disk["DeviceId"]);
        Assert.Equal(5UL, disk["Size"]);
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", disk.GetPath().ToString());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_accepts_an_unnamed_single_key(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        Put("Disk", ("DeviceId", "C:"));
        Assert.Equal("C:", Get("Disk=\"C:\"")["DeviceId"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_accepts_key_names_and_string_keys_in_any_case(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        Put("Disk", ("DeviceId", "C:"));
        Assert.Equal("C:", Get("DISK.deviceid=\"c:\"")["DeviceId"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_accepts_backslash_and_server_namespace_forms(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        Put("Disk", ("DeviceId", "C:"));
        Assert.NotNull(Get("root\\cimv2:Disk.DeviceId=\"C:\""));
        Assert.NotNull(Get("//server/root/cimv2:Disk.DeviceId=\"C:\""));
        Assert.NotNull(Get("\\\\.\\root\\cimv2:Disk.DeviceId=\"C:\""));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_of_a_singleton_uses_the_Class_at_path(string backend)
    {
        Use(backend);
        Class("Settings").Prop("Level", "uint8").Create();
        Put("Settings", ("Level", 7));
        Assert.Equal((byte)7, Get("Settings=@")["Level"]);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_via_a_superclass_path_returns_the_subclass_instance_as_its_own_class(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("D", ("Id", "k"), ("Name", "n"), ("BOnly", 3), ("DOnly", true));
        foreach (var cls in new[] { "A", "B", "D" })
        {
            var got = Get(cls + ".Id=\"k\"");
            Assert.Equal("D", got.ClassName);
            Assert.Equal(3U, got["BOnly"]);
            Assert.Equal(true, got["DOnly"]);
            Assert.Equal("root/cimv2:D.Id=\"k\"", got.GetPath().ToString());
        }
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_via_a_sibling_or_subclass_path_fails_with_NotFound(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k"));
        Fails(CimStatus.NotFound, () => Get("C.Id=\"k\""), "k");
        Fails(CimStatus.NotFound, () => Get("D.Id=\"k\""), "k");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_of_a_missing_instance_fails_with_NotFound_naming_the_path(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        var ex = Fails(CimStatus.NotFound, () => Get("Disk.DeviceId=\"Z:\""), "Disk", "Z:");
        Assert.Null(Find("Disk.DeviceId=\"Z:\""));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_with_keys_that_do_not_fit_the_class_fails_with_InvalidParameter(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Create();
        Class("Two").Key("A").Key("B", "uint32").Create();
        Class("Settings").Prop("Level", "uint8").Create();
        Fails(CimStatus.InvalidParameter, () => Get("Disk.Wrong=\"C:\""), "Disk", "DeviceId");
        Fails(CimStatus.InvalidParameter, () => Get("Two.A=\"x\""), "Two");
        Fails(CimStatus.InvalidParameter, () => Get("Two.A=\"x\",B=1,C=2"), "Two");
        Fails(CimStatus.InvalidParameter, () => Get("Disk=@"), "Disk");
        Fails(CimStatus.InvalidParameter, () => Get("Settings.Level=1"), "Settings");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_with_a_key_value_of_the_wrong_type_fails_with_TypeMismatch(string backend)
    {
        Use(backend);
        Class("Num").Key("N", "uint8").Create();
        Fails(CimStatus.TypeMismatch, () => Get("Num.N=300"), "N", "300");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_with_multiple_keys_in_any_order_finds_the_instance(string backend)
    {
        Use(backend);
        Class("Two").Key("A").Key("B", "uint32").Create();
        Put("Two", ("A", "x"), ("B", 7));
        Assert.Equal(7U, Get("Two.B=7,A=\"x\"")["B"]);
        Assert.Equal("root/cimv2:Two.A=\"x\",B=7", Get("Two.B=7,A=\"x\"").GetPath().ToString());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Get_of_an_unknown_class_fails_with_InvalidClass_and_of_an_unknown_namespace_with_InvalidNamespace(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidClass, () => Get("Nope.Id=1"), "Nope");
        Fails(CimStatus.InvalidNamespace, () => Get("root/nowhere:Nope.Id=1"), "root/nowhere");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_returned_instance_is_a_value_changing_it_changes_nothing_stored(string backend)
    {
        Use(backend);
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Put("Disk", ("DeviceId", "C:"), ("Size", 5));
        var disk = Get("Disk.DeviceId=\"C:\"");
        disk["Size"] = 6;
        Assert.Equal(5UL, Get("Disk.DeviceId=\"C:\"")["Size"]);
    }
}
