using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

public sealed class DeleteInstanceTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_removes_the_instance_and_nothing_else(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"));
        Put("Disk", ("DeviceId", "D:"));
        Session.DeleteInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""));
        Assert.Null(Find("Disk.DeviceId=\"C:\""));
        Assert.NotNull(Find("Disk.DeviceId=\"D:\""));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_fails_with_NotFound_when_the_instance_is_missing(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "D:"));
        Fails(CimStatus.NotFound, () => Session.DeleteInstance(InstancePath.Parse("Disk.DeviceId=\"C:\"")), "Disk", "C:");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_via_a_superclass_path_removes_the_subclass_instance(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("D", ("Id", "k"));
        Session.DeleteInstance(InstancePath.Parse("A.Id=\"k\""));
        Assert.Empty(Session.EnumerateInstances("A"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_via_a_sibling_class_path_fails_with_NotFound_and_keeps_the_instance(string backend)
    {
        Use(backend);
        DeclareAbcd();
        Put("B", ("Id", "k"));
        Fails(CimStatus.NotFound, () => Session.DeleteInstance(InstancePath.Parse("C.Id=\"k\"")));
        Fails(CimStatus.NotFound, () => Session.DeleteInstance(InstancePath.Parse("D.Id=\"k\"")));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_of_a_singleton_uses_the_Class_at_path(string backend)
    {
        Use(backend);
        Class("Settings").Prop("Level", "uint8").Create();
        Put("Settings", ("Level", 1));
        Session.DeleteInstance(InstancePath.Parse("Settings=@"));
        Assert.Empty(Session.EnumerateInstances("Settings"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_with_wrong_keys_fails_with_InvalidParameter_and_of_an_unknown_class_with_InvalidClass(string backend)
    {
        Use(backend);
        Put("Disk", ("DeviceId", "C:"));
        Fails(CimStatus.InvalidParameter, () => Session.DeleteInstance(InstancePath.Parse("Disk.Wrong=\"C:\"")));
        Fails(CimStatus.InvalidClass, () => Session.DeleteInstance(InstancePath.Parse("Nope.Id=1")), "Nope");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Delete_in_a_read_only_session_fails_with_AccessDenied(string backend)
    {
        Use(backend);
        using var ro = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ReadOnly = true });
        Fails(ro, CimStatus.AccessDenied, () => ro.DeleteInstance(InstancePath.Parse("Disk.DeviceId=\"C:\"")));
    }
}
