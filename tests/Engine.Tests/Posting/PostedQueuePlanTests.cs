using CimLite.Storage.Sqlite;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Posting;

/// <summary>
/// Issue 22 item 6: receiving from a long posted queue costs what it reads. Every statement of a take walks an
/// index (no full scan of the queue, no temporary B-tree sorting the namespace); the speed itself is measured by
/// the bench's engine.postDrain, not here.
/// </summary>
public sealed class PostedQueuePlanTests : SessionFixture
{
    // The leasing statements of SqlitePostedStore.cs besides the reads (TakeSql), as written there.
    private static readonly string[] LeaseStatements =
    {
        "UPDATE posted SET lease_owner = $me, lease_pid = $pid, lease_started = $started, lease_expires = $exp WHERE id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM posted WHERE lease_owner = $me AND id IN (SELECT value FROM json_each($ids))",
        "UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner = $me AND id IN (SELECT value FROM json_each($ids))",
        "UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner IS NOT NULL AND lease_expires <= $now",
        "SELECT DISTINCT lease_owner, lease_pid, lease_started FROM posted WHERE lease_owner IS NOT NULL AND lease_owner <> $me",
        "UPDATE posted SET lease_expires = $exp WHERE lease_owner = $me",
    };

    private List<string> Plan(string sql)
    {
        var lines = new List<string>();
        using var command = Session.Sqlite().NewCommand("EXPLAIN QUERY PLAN " + sql);
        using var reader = command.ExecuteReader();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return lines;
    }

    [Fact]
    public void Every_statement_of_a_take_walks_an_index_and_sorts_nothing()
    {
        Class("Evt").Indication().Prop("N", "uint32").Create();
        Class("OtherEvt").Indication().Prop("N", "uint32").Create();
        for (uint i = 0; i < 50; i++) Session.PostIndication(Session.NewInstance(i % 2 == 0 ? "Evt" : "OtherEvt", new Dictionary<string, object?> { ["N"] = i }));

        var reads = new[] { SqlitePostedStore.TakeSql(false, false), SqlitePostedStore.TakeSql(false, true), SqlitePostedStore.TakeSql(true, false), SqlitePostedStore.TakeSql(true, true) };
        foreach (var sql in reads)
        {
            var plan = Plan(sql);
            var text = sql + "\n  " + string.Join("\n  ", plan);
            Assert.DoesNotContain(plan, l => l.Contains("TEMP B-TREE", StringComparison.Ordinal));
            Assert.True(plan.Any(l => l.StartsWith("SEARCH posted USING INDEX posted_in_order (namespace=? AND id>?)", StringComparison.Ordinal)), text);
        }
        foreach (var sql in LeaseStatements)
        {
            // Each reaches rows by id or through the partial index of leased rows (a DISTINCT over those is bounded
            // by what is leased, not by the queue's length); none reads the whole queue or sorts it.
            var plan = Plan(sql);
            var text = sql + "\n  " + string.Join("\n  ", plan);
            Assert.False(plan.Any(l => l.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal)), text);
            Assert.False(plan.Any(l => l.StartsWith("SCAN posted", StringComparison.Ordinal) && !l.Contains("posted_leased", StringComparison.Ordinal)), text);
            Assert.True(plan.Any(l => l.Contains("posted_leased", StringComparison.Ordinal) || l.Contains("INTEGER PRIMARY KEY", StringComparison.Ordinal)), text);
        }
    }
}
