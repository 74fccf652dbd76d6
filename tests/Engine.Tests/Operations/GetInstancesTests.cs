using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

/// <summary>GetInstances (issue 17): many paths in one call, each answered exactly as GetInstance answers it.</summary>
public sealed class GetInstancesTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Class("Ssd", "Disk").Create();
        Put("Disk", ("DeviceId", "C:"), ("Size", 1UL));
        Put("Ssd", ("DeviceId", "S:"), ("Size", 2UL));
    }

    private static InstancePath P(string text) => InstancePath.Parse(text);

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void GetInstances_returns_one_result_per_path_in_order(string backend)
    {
        Use(backend);
        var results = Session.GetInstances(new[] { P("Disk.DeviceId=\"S:\""), P("Disk.DeviceId=\"C:\""), P("Ssd.DeviceId=\"S:\"") });
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(new[] { "Ssd", "Disk", "Ssd" }, results.Select(r => r.Instance!.ClassName));
        Assert.Equal(new object?[] { "S:", "C:", "S:" }, results.Select(r => r.Instance!["DeviceId"]));
        Assert.Equal("Disk.DeviceId=\"C:\"", results[1].Path.ToString());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void GetInstances_reports_each_failure_as_GetInstance_throws_it(string backend)
    {
        Use(backend);
        string[] paths = { "Disk.DeviceId=\"Z:\"", "Ssd.DeviceId=\"C:\"", "Nope.DeviceId=\"C:\"", "Disk.Size=1", "Disk.DeviceId=\"C:\"" };
        var results = Session.GetInstances(paths.Select(P));
        Assert.Equal(paths.Length, results.Count);
        for (int i = 0; i < paths.Length; i++)
        {
            CimLiteException? single = null;
            try { Session.GetInstance(P(paths[i])); } catch (CimLiteException e) { single = e; }
            if (single == null)
            {
                Assert.True(results[i].Succeeded);
                continue;
            }
            var batched = results[i].Error;
            Assert.NotNull(batched);
            Assert.Null(results[i].Instance);
            Assert.Equal(single.Status, batched!.Status);
            Assert.Equal(single.Message, batched.Message);
            Assert.Equal(single.InstancePath, batched.InstancePath);
            Assert.Equal(single.ClassName, batched.ClassName);
        }
        Assert.Equal(CimStatus.NotFound, results[0].Error!.Status);
        Assert.Equal(CimStatus.NotFound, results[1].Error!.Status);
        Assert.Equal(CimStatus.InvalidClass, results[2].Error!.Status);
        Assert.True(results[4].Succeeded);
    }

    [Fact]
    public void GetInstances_of_no_paths_is_empty_and_a_null_path_is_rejected()
    {
        Assert.Empty(Session.GetInstances(Array.Empty<InstancePath>()));
        Assert.Throws<ArgumentNullException>(() => Session.GetInstances(new InstancePath[] { P("Disk.DeviceId=\"C:\""), null! }));
        Assert.Throws<ArgumentNullException>(() => Session.GetInstances(null!));
    }
}
