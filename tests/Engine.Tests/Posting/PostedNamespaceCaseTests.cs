using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Posting;

/// <summary>
/// Issue 22 item 10: namespaces fold case the same way everywhere. SQLite's NOCASE folds ASCII only, so the posted
/// queue (and the class-change guard counting it) must be asked with the namespace as the repository spells it.
/// </summary>
public sealed class PostedNamespaceCaseTests : SessionFixture
{
    [Theory]
    [InlineData("root/ärger")]
    [InlineData("ROOT/ÄRGER")]
    [InlineData("root/Ärger")]
    public void Receiving_finds_items_posted_to_a_namespace_spelled_with_other_non_ASCII_case(string asked)
    {
        Class("Evt").Indication().Prop("N", "uint32").Create("root/Ärger");
        Session.PostIndication(Session.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 1u }, "root/Ärger"));
        Assert.NotNull(Session.FindClass("Evt", asked)); // the class is found under either spelling…
        Assert.Single(Session.ReceivePosted(new ReceiveOptions { Namespace = asked, Keep = true })); // …and so is the queue
        Assert.Single(Session.ReceivePosted(new ReceiveOptions { Namespace = asked, ClassName = "Evt" }));
        Assert.Empty(Session.ReceivePosted(new ReceiveOptions { Namespace = "root/Ärger", Keep = true }));
    }

    [Fact]
    public void A_class_change_counts_queued_items_whatever_the_namespace_spelling_of_the_import()
    {
        Session.ImportMofText("#pragma namespace(\"root/Ärger\")\n[Indication] class Evt { uint32 N; };");
        Session.PostIndication(Session.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = 1u }, "root/Ärger"));
        var e = Assert.Throws<CimLiteException>(() =>
            Session.ImportMofText("#pragma namespace(\"root/ärger\")\n[Indication] class Evt { string N; };", "x.mof", new MofImportOptions { Force = true }));
        Assert.Equal(CimStatus.ClassHasInstances, e.Status);
        Assert.Equal(1u, Session.ReceivePosted(new ReceiveOptions { Namespace = "root/ärger" }).Single().Instance["N"]);
    }
}
