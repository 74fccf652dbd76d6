using System.Collections.Concurrent;
using System.Diagnostics;
using CimLite.Storage.Postgres;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Xunit.Abstractions;

namespace CimLite.Tests.Storage;

/// <summary>
/// The load test of issue 18 item 4: client processes (tests/PgLoadClient) run mixed operations against one server and
/// one schema at once, and one more client is killed with SIGKILL inside a write transaction that holds row locks on
/// every counter and a lease of posted indications. Every client acknowledges an operation on stdout only after it
/// returned; the test then checks that no error reached any client, no update was lost (each client's counter
/// property equals its acknowledged increments), every acknowledged item is stored (and nothing else), and each posted
/// indication was received exactly once; the killed client lost nothing it acknowledged and blocked no one.
/// </summary>
public sealed class PostgresLoadTests : IDisposable
{
    private const int Clients = 8;
    private const int Operations = 2000;
    private const int Victim = Clients; // the killed client's index (its counter property is N8)

    private readonly List<PostgresTestSchema> _schemas = new();
    private readonly ITestOutputHelper _output;

    public PostgresLoadTests(ITestOutputHelper output) { _output = output; }

    public void Dispose()
    {
        foreach (var schema in _schemas) schema.Dispose();
    }

    /// <summary>The client program, built next to the tests (CimLite.Engine.Tests references its project).</summary>
    private static string ClientPath()
    {
        var testDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir)!);
        var root = Path.GetFullPath(Path.Combine(testDir, "..", "..", "..", ".."));
        return Path.Combine(root, "PgLoadClient", "bin", configuration, framework, "CimLite.PgLoadClient.dll");
    }

    private sealed class Client
    {
        public Process Process = null!;
        public readonly ConcurrentQueue<string> Lines = new();
        public readonly ConcurrentQueue<string> Errors = new();
        public int InTransaction;
    }

    private static Client Start(string connectionString, int index, int operations, string? mode = null)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ClientPath());
        info.ArgumentList.Add(connectionString);
        info.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(operations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add((1000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (mode != null) info.ArgumentList.Add(mode);
        var client = new Client();
        client.Process = new Process { StartInfo = info };
        client.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            client.Lines.Enqueue(e.Data);
            if (e.Data == "intx") Interlocked.Increment(ref client.InTransaction);
        };
        client.Process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) client.Errors.Enqueue(e.Data); };
        client.Process.Start();
        client.Process.BeginOutputReadLine();
        client.Process.BeginErrorReadLine();
        return client;
    }

    [PostgresFact]
    public void Eight_client_processes_and_one_killed_mid_transaction_lose_nothing_and_receive_each_indication_once()
    {
        Assert.True(File.Exists(ClientPath()), "the load client is not built: " + ClientPath());
        var schema = PostgresServer.Shared.NewSchema();
        _schemas.Add(schema);
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            var counter = SessionFixture.Class(setup, "Counter").Key("Id");
            for (int c = 0; c <= Victim; c++) counter.Prop("N" + c, "uint64");
            counter.Create();
            SessionFixture.Class(setup, "Item").Key("Id").Prop("Value", "uint64").Create();
            SessionFixture.Class(setup, "Evt").Indication().Prop("Client", "uint32").Prop("Seq", "uint32").Create();
            for (int k = 0; k < 5; k++)
            {
                var values = new Dictionary<string, object?> { ["Id"] = "k" + k };
                for (int c = 0; c <= Victim; c++) values["N" + c] = 0UL;
                setup.PutInstance(setup.NewInstance("Counter", values));
            }
        }

        var watch = Stopwatch.StartNew();
        var victim = Start(schema.ConnectionString, Victim, 0, "victim");
        var clients = Enumerable.Range(0, Clients).Select(i => Start(schema.ConnectionString, i, Operations)).ToList();
        // Killed inside its tenth batch (it wrote "intx" and sleeps before COMMIT, holding its row locks and a lease).
        var killBy = Stopwatch.StartNew();
        while (Volatile.Read(ref victim.InTransaction) < 10 && killBy.Elapsed < TimeSpan.FromSeconds(120) && !victim.Process.HasExited) Thread.Sleep(1);
        Assert.False(victim.Process.HasExited, "the victim ended by itself: " + string.Join(" | ", victim.Errors));
        victim.Process.Kill();
        victim.Process.WaitForExit();
        var killedAt = watch.Elapsed;
        foreach (var client in clients)
        {
            Assert.True(client.Process.WaitForExit(TimeSpan.FromSeconds(300)), "a client did not finish");
            client.Process.WaitForExit();
        }
        _output.WriteLine($"{Clients} clients x {Operations} operations: {watch.Elapsed.TotalSeconds:F1} s (victim killed at {killedAt.TotalSeconds:F1} s)");

        var all = clients.Append(victim).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Empty(all[i].Errors);
            Assert.DoesNotContain(all[i].Lines, l => l.StartsWith("ERR", StringComparison.Ordinal));
            if (i < Clients)
            {
                Assert.Equal(0, all[i].Process.ExitCode);
                Assert.Equal("done", all[i].Lines.Last());
            }
        }

        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        // No lost update: each client's property of each counter is its acknowledged increments; the victim's may
        // hold one more batch (committed, killed before it wrote the acknowledgements).
        var counters = check.EnumerateInstances("Counter").ToDictionary(c => (string)c["Id"]!);
        for (int k = 0; k < 5; k++)
            for (int c = 0; c <= Victim; c++)
            {
                long acked = all[c].Lines.Count(l => l == "inc " + k);
                var stored = (long)(ulong)counters["k" + k]["N" + c]!;
                if (c < Clients) Assert.True(acked == stored, $"counter k{k} N{c}: {stored} stored, {acked} acknowledged");
                else Assert.True(stored == acked || stored == acked + 1, $"counter k{k} of the killed client: {stored} stored, {acked} acknowledged");
            }

        // Items: exactly what each client acknowledged (created and not deleted); the killed client's acknowledged ones.
        var items = check.EnumerateInstances("Item").Select(i => (string)i["Id"]!).ToHashSet();
        for (int c = 0; c < Clients; c++)
        {
            var expected = all[c].Lines.Where(l => l.StartsWith("new ", StringComparison.Ordinal)).Select(l => l[4..]).ToHashSet();
            expected.ExceptWith(all[c].Lines.Where(l => l.StartsWith("del ", StringComparison.Ordinal)).Select(l => l[4..]));
            Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), items.Where(i => i.StartsWith("c" + c + "_", StringComparison.Ordinal)).OrderBy(x => x, StringComparer.Ordinal));
        }
        var victimItems = victim.Lines.Where(l => l.StartsWith("new ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        Assert.True(victimItems.Count >= 9, "the killed client acknowledged " + victimItems.Count + " batches");
        Assert.All(victimItems, id => Assert.Contains(id, items));
        Assert.InRange(items.Count(i => i.StartsWith("v", StringComparison.Ordinal)), victimItems.Count, victimItems.Count + 1);

        // Indications: what is left (the killed client's lease included: its connection is gone) is drained here; every
        // acknowledged post is received exactly once, and nothing else is.
        var received = all.SelectMany(c => c.Lines).Where(l => l.StartsWith("got ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        int fromClients = received.Count;
        received.AddRange(check.ReceivePosted(new ReceiveOptions { ClassName = "Evt" }).Select(e => e.Instance["Client"] + " " + e.Instance["Seq"]));
        var posted = all.SelectMany(c => c.Lines).Where(l => l.StartsWith("post ", StringComparison.Ordinal)).Select(l => l[5..]).ToList();
        _output.WriteLine($"{posted.Count} indications posted, {fromClients} received by the clients, {received.Count - fromClients} left for the drain");
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Equal(posted.OrderBy(x => x, StringComparer.Ordinal), received.OrderBy(x => x, StringComparer.Ordinal));
        Assert.True(fromClients > posted.Count / 2, "the clients received only " + fromClients + " of " + posted.Count);
    }
}
