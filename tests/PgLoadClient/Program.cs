using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CimLite.Storage.Postgres;

namespace CimLite.PgLoadClient
{
    /// <summary>
    /// A load-test client: <c>CimLite.PgLoadClient connectionString client operations seed [victim]</c>. It runs a
    /// seeded mix of operations on the classes the test created (Counter: one uint64 property per client, N0..N9;
    /// Item; the indication class Evt) and writes one line per acknowledged operation, only after it returned:
    /// "inc K" (its own property of counter K incremented), "new ID" / "del ID" (its items), "post C S" (an Evt
    /// posted), "got C S" (an Evt received and taken), "ERR message" for any error, "done" at the end. A victim
    /// (killed by the test) loops over batches that each increment every counter and create an item, holding them open
    /// with a lease of posted indications, and writes "intx" while it is inside such a transaction.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            var connectionString = args[0];
            int me = int.Parse(args[1], CultureInfo.InvariantCulture);
            int operations = int.Parse(args[2], CultureInfo.InvariantCulture);
            var random = new Random(int.Parse(args[3], CultureInfo.InvariantCulture));
            bool victim = args.Length > 4 && args[4] == "victim";
            using var session = PostgresBackend.OpenSession(connectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(60) });
            Console.Out.WriteLine("ready");
            return victim ? Victim(session, me) : Mix(session, me, operations, random);
        }

        private static string Counter(int k) => "Counter.Id=\"k" + k.ToString(CultureInfo.InvariantCulture) + "\"";

        private static int Mix(CimLiteSession session, int me, int operations, Random random)
        {
            var mine = new List<string>();
            string property = "N" + me.ToString(CultureInfo.InvariantCulture);
            int posted = 0;
            for (int n = 0; n < operations; n++)
            {
                int r = random.Next(100);
                try
                {
                    if (r < 30)
                    {
                        // Only this client writes its property: read, add one, partial update of that property alone.
                        int k = random.Next(5);
                        var counter = session.GetInstance(InstancePath.Parse(Counter(k)));
                        var value = (ulong)counter[property]! + 1;
                        session.PutInstance(session.NewInstance("Counter", new Dictionary<string, object?> { ["Id"] = "k" + k, [property] = value }),
                            new PutOptions { PropertyList = new[] { property } });
                        Console.Out.WriteLine("inc " + k);
                    }
                    else if (r < 45)
                    {
                        var id = "c" + me + "_" + n;
                        session.PutInstance(session.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = id, ["Value"] = (ulong)n }), new PutOptions { Mode = PutMode.CreateOnly });
                        mine.Add(id);
                        Console.Out.WriteLine("new " + id);
                    }
                    else if (r < 52 && mine.Count > 0)
                    {
                        int at = random.Next(mine.Count);
                        var id = mine[at];
                        mine.RemoveAt(at);
                        session.DeleteInstance(InstancePath.Parse("Item.Id=\"" + id + "\""));
                        Console.Out.WriteLine("del " + id);
                    }
                    else if (r < 62 && mine.Count > 0)
                    {
                        var id = mine[random.Next(mine.Count)];
                        var item = session.GetInstance(InstancePath.Parse("Item.Id=\"" + id + "\""));
                        if ((string)item["Id"]! != id) Console.Out.WriteLine("ERR got " + item["Id"] + " for " + id);
                    }
                    else if (r < 67)
                    {
                        int count = session.EnumerateInstances("Counter").Count();
                        if (count != 5) Console.Out.WriteLine("ERR " + count + " counters");
                    }
                    else if (r < 72)
                    {
                        var id = mine.Count > 0 ? mine[random.Next(mine.Count)] : "none";
                        int count = session.ExecQuery("SELECT * FROM Item WHERE Id = '" + id + "' OR Value > 1990").Count(i => (string)i["Id"]! == id);
                        if (mine.Count > 0 && count != 1) Console.Out.WriteLine("ERR query found " + count + " of " + id);
                    }
                    else if (r < 87)
                    {
                        posted++;
                        session.PostIndication(session.NewInstance("Evt", new Dictionary<string, object?> { ["Client"] = (uint)me, ["Seq"] = (uint)posted }));
                        Console.Out.WriteLine("post " + me + " " + posted);
                    }
                    else
                    {
                        foreach (var e in session.ReceivePosted(new ReceiveOptions { ClassName = "Evt", First = 1 + random.Next(4) }))
                            Console.Out.WriteLine("got " + e.Instance["Client"] + " " + e.Instance["Seq"]);
                    }
                }
                catch (Exception e)
                {
                    Console.Out.WriteLine("ERR " + n + " " + e.GetType().Name + ": " + e.Message.Replace('\n', ' '));
                }
            }
            Console.Out.WriteLine("done");
            return 0;
        }

        /// <summary>Batches that stay open a moment with row locks on every counter and a lease of posted indications, until killed.</summary>
        private static int Victim(CimLiteSession session, int me)
        {
            string property = "N" + me.ToString(CultureInfo.InvariantCulture);
            var values = new ulong[5];
            for (int round = 0; ; round++)
            {
                try
                {
                    using var lease = session.LeasePosted(new ReceiveOptions { ClassName = "Evt", First = 3 });
                    var id = "v" + me + "_" + round;
                    using (var batch = session.BeginPutBatch())
                    {
                        for (int k = 0; k < 5; k++)
                        {
                            var counter = session.GetInstance(InstancePath.Parse(Counter(k)));
                            values[k] = (ulong)counter[property]! + 1;
                            var result = batch.Add(session.NewInstance("Counter", new Dictionary<string, object?> { ["Id"] = "k" + k, [property] = values[k] }),
                                new PutOptions { PropertyList = new[] { property } });
                            if (!result.Succeeded) Console.Out.WriteLine("ERR " + result.Error!.Message);
                        }
                        batch.Add(session.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = id, ["Value"] = 0UL }));
                        Console.Out.WriteLine("intx");
                        Thread.Sleep(30);
                        batch.Commit();
                    }
                    for (int k = 0; k < 5; k++) Console.Out.WriteLine("inc " + k);
                    Console.Out.WriteLine("new " + id);
                    // The leased indications go back to the queue (never taken by the victim).
                }
                catch (Exception e)
                {
                    Console.Out.WriteLine("ERR victim " + e.GetType().Name + ": " + e.Message.Replace('\n', ' '));
                }
            }
        }
    }
}
