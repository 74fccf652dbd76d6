using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>Queries over classes with providers: what providers post is filtered in memory (DESIGN §3).</summary>
public sealed class QueryProviderTests : SessionFixture
{
    private sealed class Posting : CimLiteProvider
    {
        public override void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request)
        {
            foreach (var (name, size) in new[] { ("p1", 10UL), ("p2", 200UL) })
                context.PostInstance(context.NewInstance("Dyn", new Dictionary<string, object?> { ["Name"] = name, ["Size"] = size }));
        }
    }

    public QueryProviderTests()
    {
        Class("Dyn").Key("Name").Prop("Size", "uint64").Prop("Note", "string").Create();
        Put("Dyn", ("Name", "r1"), ("Size", 300UL));
        Session.Providers.Register("Dyn", new Posting());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PostedInstances_AreFiltered_LikeStoredOnes(bool inMemory)
    {
        var options = new QueryOptions { EvaluateInMemory = inMemory };
        Assert.Equal(new[] { "r1", "p2" }, Session.ExecQuery("SELECT * FROM Dyn WHERE Size > 100", options: options).Select(i => (string)i["Name"]!));
        var projected = Session.ExecQuery("SELECT Name FROM Dyn WHERE Name = 'P1'", options: options).Single();
        Assert.Null(projected["Size"]);
    }
}
