using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Operations;

/// <summary>
/// Issue 22 item 10: properties are found by name with a hash lookup (Set-CimLiteInstance -Property on a class of
/// 20,000 properties was quadratic: 4 s per put; see the README's Reliability table). Names still fold case, an
/// override keeps its inherited position, and a wide class round-trips every value.
/// </summary>
public sealed class WideClassTests : SessionFixture
{
    [Fact]
    public void A_class_of_20000_properties_puts_and_partially_updates_every_value_by_name()
    {
        const int n = 20_000;
        var builder = Class("Wide").Key("Id");
        for (int i = 0; i < n; i++) builder.Prop("P" + i, "uint32");
        builder.Create();
        var values = new Dictionary<string, object> { ["Id"] = "a" };
        for (int i = 0; i < n; i++) values["p" + i] = (uint)i; // names in another case
        var path = Session.PutInstance(Session.NewInstance("Wide", values));

        var update = Session.NewInstance("Wide", new Dictionary<string, object> { ["Id"] = "a" });
        var names = new List<string>();
        for (int i = 0; i < n; i += 2) { update["P" + i] = (uint)(i + 1); names.Add("P" + i); }
        Session.PutInstance(update, new PutOptions { Mode = PutMode.UpdateOnly, PropertyList = names });

        var stored = Session.GetInstance(path);
        for (int i = 0; i < n; i++) Assert.Equal((uint)(i % 2 == 0 ? i + 1 : i), stored["P" + i]);
    }

    [Fact]
    public void An_overridden_property_keeps_its_inherited_position_and_is_found_in_any_case()
    {
        Class("Base").Key("Id").Prop("A", "string").Prop("B", "uint32").Create();
        Class("Child", "Base").Prop("C", "string").Create();
        var c = Session.GetClass("Child");
        Assert.Equal(c.Properties.Select(p => p.Name).ToList().IndexOf("B"), c.PropertyIndex("b"));
        Assert.Equal(-1, c.PropertyIndex("Nope"));
        var i = Session.NewInstance("Child", new Dictionary<string, object> { ["ID"] = "x", ["b"] = 7u, ["c"] = "y" });
        Assert.Equal(7u, i["B"]);
        Assert.Equal(CimStatus.NoSuchProperty, Assert.Throws<CimLiteException>(() => i["Nope"] = 1).Status);
    }
}
