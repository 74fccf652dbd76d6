using System.Collections;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Providers;

/// <summary>
/// Issue 21 item 2: a host's value unwrapper belongs to a session (the module sets one that unwraps PSObject on each
/// session it opens), not to the process. Two sessions side by side: only the one given the hook unwraps.
/// </summary>
public sealed class SessionValueUnwrapperTests : IDisposable
{
    /// <summary>A stand-in for PSObject: a host's wrapper around a plain value.</summary>
    private sealed class Wrapper
    {
        public Wrapper(object? value) { Value = value; }
        public object? Value { get; }
    }

    private static object? Unwrap(object? value) => value is Wrapper w ? w.Value : value;

    private readonly CimLiteSession _hooked = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ValueUnwrapper = Unwrap });
    private readonly CimLiteSession _plain = CimLiteSession.OpenInMemory();

    public SessionValueUnwrapperTests()
    {
        foreach (var s in new[] { _hooked, _plain })
            SessionFixture.Class(s, "Disk").Key("Id").Prop("Size", "uint64").Prop("Tags", "string[]").Create();
    }

    public void Dispose()
    {
        _hooked.Dispose();
        _plain.Dispose();
    }

    private static Hashtable Values() => new() { ["Id"] = new Wrapper("d1"), ["Size"] = new Wrapper(5), ["Tags"] = new object[] { new Wrapper("a"), "b" } };

    [Fact]
    public void The_hook_is_the_sessions_own()
    {
        Assert.NotNull(_hooked.ValueUnwrapper);
        Assert.Null(_plain.ValueUnwrapper);
    }

    [Fact]
    public void NewInstance_unwraps_only_in_the_session_given_the_hook()
    {
        var made = _hooked.NewInstance("Disk", Values());
        Assert.Equal("d1", made["Id"]);
        Assert.Equal(5UL, made["Size"]);
        Assert.Equal(new[] { "a", "b" }, (string[])made["Tags"]!);

        var ex = Assert.Throws<CimLiteException>(() => _plain.NewInstance("Disk", Values()));
        Assert.Equal(CimStatus.TypeMismatch, ex.Status);
    }

    [Fact]
    public void Setting_a_property_unwraps_on_instances_the_session_made_read_or_copied()
    {
        _hooked.PutInstance(_hooked.NewInstance("Disk", new Hashtable { ["Id"] = "d1" }));
        foreach (var instance in new[]
        {
            _hooked.NewInstance("Disk"),
            _hooked.GetInstance(InstancePath.Parse("Disk.Id=\"d1\"")),
            _hooked.EnumerateInstances("Disk").Single(),
            _hooked.ExecQuery("SELECT Id FROM Disk").Single(),
            _hooked.CreateKeyInstance(InstancePath.Parse("Disk.Id=\"d1\"")),
            _hooked.NewInstance("Disk").Clone(),
        })
        {
            instance["Size"] = new Wrapper(7);
            instance["Tags"] = new object[] { new Wrapper("x") };
            Assert.Equal(7UL, instance["Size"]);
            Assert.Equal(new[] { "x" }, (string[])instance["Tags"]!);
        }

        _plain.PutInstance(_plain.NewInstance("Disk", new Hashtable { ["Id"] = "d1" }));
        var plain = _plain.GetInstance(InstancePath.Parse("Disk.Id=\"d1\""));
        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() => plain["Size"] = new Wrapper(7)).Status);
        // A class's instance made without a session has no hook either.
        var bare = new CimLiteInstance(_hooked.GetClass("Disk"));
        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() => bare["Size"] = new Wrapper(7)).Status);
    }

    /// <summary>An instance holding wrapped values as they came (what a host hands the engine before conversion).</summary>
    private static CimLiteInstance Raw(CimLiteSession session) =>
        new(session.GetClass("Disk"), new object?[] { new Wrapper("d2"), new Wrapper(9), new object[] { new Wrapper("t") } }, null);

    [Fact]
    public void Puts_and_batches_convert_with_the_sessions_hook()
    {
        _hooked.PutInstance(Raw(_hooked));
        Assert.Equal(9UL, _hooked.GetInstance(InstancePath.Parse("Disk.Id=\"d2\""))["Size"]);
        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() => _plain.PutInstance(Raw(_plain))).Status);

        _hooked.DeleteInstance(InstancePath.Parse("Disk.Id=\"d2\""));
        var results = _hooked.PutInstances(new[] { Raw(_hooked) });
        Assert.Single(results);
        Assert.Equal(new[] { "t" }, (string[])_hooked.GetInstance(InstancePath.Parse("Disk.Id=\"d2\""))["Tags"]!);
    }

    [Fact]
    public void Path_keys_convert_with_the_sessions_hook()
    {
        _hooked.PutInstance(_hooked.NewInstance("Disk", new Hashtable { ["Id"] = "d1" }));
        var path = new InstancePath(null, "Disk", new[] { new KeyValuePair<string, object>("Id", new Wrapper("d1")) });
        Assert.Equal("d1", _hooked.GetInstance(path)["Id"]);
        _plain.PutInstance(_plain.NewInstance("Disk", new Hashtable { ["Id"] = "d1" }));
        Assert.Throws<CimLiteException>(() => _plain.GetInstance(path));
    }

    [Fact]
    public void A_provider_builds_and_fills_instances_with_the_sessions_hook()
    {
        foreach (var s in new[] { _hooked, _plain })
        {
            var p = new TestProvider("Disk", new List<string>());
            p.OnEnumerate = ctx => ctx.PostInstance(ctx.NewInstance("Disk", Values()));
            p.OnPut = (ctx, i) => i["Size"] = new Wrapper(1);
            s.Providers.Register("Disk", p);
        }
        Assert.Equal(5UL, _hooked.EnumerateInstances("Disk").Single()["Size"]);
        _hooked.PutInstance(_hooked.NewInstance("Disk", new Hashtable { ["Id"] = "d3" }));

        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() => _plain.EnumerateInstances("Disk").ToList()).Status);
        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() => _plain.PutInstance(_plain.NewInstance("Disk", new Hashtable { ["Id"] = "d3" }))).Status);
    }
}
