using System.Diagnostics;
using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.Posting;

/// <summary>
/// Issue 6: leases on the posted queue. A reader leases a batch, hands it out, and deletes what was taken; what it
/// did not take is released; a lease whose owner process is gone or whose expiry passed is taken again by the next
/// reader (at-least-once across crashes).
/// </summary>
public sealed class PostedLeaseTests : TempFolderTests
{
    private readonly string _path;

    public PostedLeaseTests() : base("lease")
    {
        _path = Path.Combine(Folder, "queue.db");
        using var s = CimLiteSession.Open(_path);
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Create();
    }

    private static void Post(CimLiteSession s, int from, int count)
    {
        for (int n = from; n < from + count; n++)
            s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["N"] = n }));
    }

    private static List<uint> Ns(IEnumerable<PostedIndication> items) => items.Select(p => (uint)p.Instance["N"]!).ToList();

    private static List<uint> Range(int from, int count) => Enumerable.Range(from, count).Select(n => (uint)n).ToList();

    private static string Scalar(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        return Convert.ToString(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static void Exec(CimLiteSession s, string sql)
    {
        using var c = s.Sqlite().NewCommand(sql);
        c.ExecuteNonQuery();
    }

    private List<uint> Peek(CimLiteSession s) => Ns(s.ReceivePosted(new ReceiveOptions { Keep = true }));

    /// <summary>A process id that no running process has (the lease of a process that died).</summary>
    private static int DeadPid()
    {
        for (int pid = 4_000_000; pid > 1000; pid -= 7919)
        {
            try { using var p = Process.GetProcessById(pid); }
            catch (ArgumentException) { return pid; }
        }
        throw new InvalidOperationException("no free process id found");
    }

    [Fact]
    public void A_lease_holds_its_rows_in_the_queue_for_its_owner_and_hides_them_from_other_readers_only()
    {
        using var a = CimLiteSession.Open(_path);
        using var b = CimLiteSession.Open(_path);
        Post(a, 0, 10);
        using var lease = a.LeasePosted(new ReceiveOptions { First = 4 });
        Assert.Equal(Range(0, 4), Ns(lease.Items));
        Assert.Equal("4", Scalar(a, "SELECT count(*) FROM posted WHERE lease_owner = '" + a.LeaseOwner + "' AND lease_pid = " + Environment.ProcessId + " AND lease_expires > strftime('%s','now') * 1000"));
        Assert.Equal(Range(0, 10), Peek(b));                      // -Keep skips nothing, leased or not
        Assert.Equal(Range(4, 3), Ns(b.ReceivePosted(new ReceiveOptions { First = 3 })));
        Assert.Equal(Range(0, 4).Concat(Range(7, 3)), Peek(b));
    }

    [Fact]
    public void Complete_deletes_what_was_taken_and_releases_the_rest_under_the_same_sequences()
    {
        using var a = CimLiteSession.Open(_path);
        using var b = CimLiteSession.Open(_path);
        Post(a, 0, 6);
        var before = a.ReceivePosted(new ReceiveOptions { Keep = true }).Select(p => p.Sequence).ToList();
        var lease = a.LeasePosted(new ReceiveOptions { First = 5 });
        lease.Complete(2);
        lease.Complete(5);   // only the first call counts
        lease.Dispose();     // and disposing afterwards releases nothing more
        Assert.Equal("0", Scalar(a, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
        var rest = b.ReceivePosted().ToList();
        Assert.Equal(Range(2, 4), Ns(rest));
        Assert.Equal(before.Skip(2), rest.Select(p => p.Sequence));
    }

    [Fact]
    public void Disposing_an_uncompleted_lease_releases_every_item()
    {
        using var a = CimLiteSession.Open(_path);
        Post(a, 0, 3);
        using (var lease = a.LeasePosted()) Assert.Equal(3, lease.Items.Count);
        Assert.Equal("0", Scalar(a, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
        Assert.Equal(Range(0, 3), Ns(a.ReceivePosted()));
    }

    [Fact]
    public void The_lease_of_a_dead_owner_process_is_reclaimed_by_the_next_reader()
    {
        using (var dying = CimLiteSession.Open(_path))
        {
            Post(dying, 0, 5);
            var lease = dying.LeasePosted(new ReceiveOptions { First = 3 });
            Assert.Equal(3, lease.Items.Count);
            // The process "dies" holding the lease: its pid no longer runs; the session never completes or releases.
            Exec(dying, "UPDATE posted SET lease_pid = " + DeadPid() + " WHERE lease_owner IS NOT NULL");
            Exec(dying, "UPDATE posted SET lease_owner = 'gone' WHERE lease_owner IS NOT NULL");
        }
        using var next = CimLiteSession.Open(_path);
        Assert.Equal("3", Scalar(next, "SELECT count(*) FROM posted WHERE lease_owner = 'gone'"));
        Assert.Equal(Range(0, 5), Ns(next.ReceivePosted()));     // in posting order, the reclaimed ones first
        Assert.Equal("0", Scalar(next, "SELECT count(*) FROM posted"));
    }

    [Fact]
    public void A_reused_process_id_with_another_start_time_counts_as_dead()
    {
        using var a = CimLiteSession.Open(_path);
        Post(a, 0, 2);
        Exec(a, "UPDATE posted SET lease_owner = 'old', lease_pid = " + Environment.ProcessId + ", lease_started = 1000, lease_expires = 9000000000000");
        Assert.Equal(Range(0, 2), Ns(a.ReceivePosted()));
    }

    [Fact]
    public void A_live_owner_keeps_its_lease_until_the_expiry_passes()
    {
        using var owner = CimLiteSession.Open(_path);
        using var other = CimLiteSession.Open(_path);
        Post(owner, 0, 4);
        var lease = owner.LeasePosted(new ReceiveOptions { First = 2 });
        Assert.Equal(Range(2, 2), Ns(other.ReceivePosted()));    // the owner (this process) is alive
        Assert.Empty(other.ReceivePosted());
        Exec(owner, "UPDATE posted SET lease_expires = 1 WHERE lease_owner IS NOT NULL");
        Assert.Equal(Range(0, 2), Ns(other.ReceivePosted()));    // expired: reclaimed
        lease.Complete(2);                                       // too late: deletes nothing it no longer holds
        Assert.Equal("0", Scalar(other, "SELECT count(*) FROM posted"));
    }

    [Fact]
    public void Taking_a_new_batch_renews_the_owners_other_leases()
    {
        using var a = CimLiteSession.Open(_path);
        Post(a, 0, 4);
        var first = a.LeasePosted(new ReceiveOptions { First = 2 });
        Exec(a, "UPDATE posted SET lease_expires = strftime('%s','now') * 1000 + 5000 WHERE lease_owner IS NOT NULL");
        var second = a.LeasePosted(new ReceiveOptions { First = 2 });
        Assert.Equal("4", Scalar(a, "SELECT count(*) FROM posted WHERE lease_expires > strftime('%s','now') * 1000 + 60000"));
        first.Complete(2);
        second.Complete(2);
    }

    [Fact]
    public void Closing_a_session_releases_its_leases()
    {
        using (var a = CimLiteSession.Open(_path))
        {
            Post(a, 0, 3);
            _ = a.LeasePosted(); // never completed
        }
        using var b = CimLiteSession.Open(_path);
        Assert.Equal("0", Scalar(b, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
        Assert.Equal(Range(0, 3), Ns(b.ReceivePosted()));
    }

    [Fact]
    public void Two_sessions_holding_leases_at_once_get_disjoint_items()
    {
        using var a = CimLiteSession.Open(_path);
        using var b = CimLiteSession.Open(_path);
        Post(a, 0, 10);
        using var la = a.LeasePosted(new ReceiveOptions { First = 4 });
        using var lb = b.LeasePosted(new ReceiveOptions { First = 4 });
        Assert.Equal(Range(0, 4), Ns(la.Items));
        Assert.Equal(Range(4, 4), Ns(lb.Items));
        lb.Complete(4);
        la.Complete(1);
        Assert.Equal(Range(1, 3).Concat(Range(8, 2)), Ns(a.ReceivePosted()));
    }

    [Fact]
    public void Two_sessions_receiving_concurrently_get_disjoint_items_and_together_all()
    {
        const int total = 600;
        using (var w = CimLiteSession.Open(_path)) Post(w, 0, total);
        var lists = new List<uint>[2];
        Exception? failure = null;
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            try
            {
                using var s = CimLiteSession.Open(_path);
                var mine = new List<uint>();
                while (true)
                {
                    int before = mine.Count;
                    foreach (var item in s.ReceivePosted(new ReceiveOptions { First = 30, BatchSize = 7 }))
                    {
                        mine.Add((uint)item.Instance["N"]!);
                        if (mine.Count % 11 == 0) Thread.Yield();
                    }
                    if (mine.Count == before) break;
                }
                lists[t] = mine;
            }
            catch (Exception e) { failure = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Null(failure);
        Assert.Empty(lists[0].Intersect(lists[1]));
        Assert.Equal(Range(0, total), lists[0].Concat(lists[1]).OrderBy(n => n).ToList());
        Assert.All(lists, l => Assert.Equal(l.OrderBy(n => n), l));
    }

    [Fact]
    public void Acknowledging_costs_no_transaction_per_item()
    {
        using var a = CimLiteSession.Open(_path);
        Post(a, 0, 250);
        var serial = a.Repository.TransactionSerial;
        Assert.Equal(Range(0, 250), Ns(a.ReceivePosted(new ReceiveOptions { BatchSize = 50 })));
        // Five leases, each acknowledging the batch before it, and one last take that acknowledges the fifth.
        Assert.Equal(6, a.Repository.TransactionSerial - serial);
        Assert.Equal("0", Scalar(a, "SELECT count(*) FROM posted"));
    }

    [Fact]
    public void An_enumeration_that_stops_early_keeps_the_current_item_and_releases_the_rest_of_its_batch()
    {
        using var a = CimLiteSession.Open(_path);
        Post(a, 0, 10);
        var got = new List<uint>();
        foreach (var item in a.ReceivePosted(new ReceiveOptions { BatchSize = 6 }))
        {
            got.Add((uint)item.Instance["N"]!);
            if (got.Count == 8) break;
        }
        Assert.Equal(Range(0, 8), got);
        Assert.Equal("0", Scalar(a, "SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL"));
        Assert.Equal(Range(8, 2), Peek(a));
    }

    [Fact]
    public void A_reader_killed_before_acknowledging_gets_its_batch_delivered_again()
    {
        // A reader's process dies after handing out items but before its acknowledging transaction: its lease is
        // left to a dead process, so the batch comes back (the duplicates are those of the batch in flight only).
        using (var dying = CimLiteSession.Open(_path))
        {
            Post(dying, 0, 8);
            var handed = new List<uint>();
            using var e = dying.ReceivePosted(new ReceiveOptions { BatchSize = 3 }).GetEnumerator();
            for (int i = 0; i < 5; i++) { Assert.True(e.MoveNext()); handed.Add((uint)e.Current.Instance["N"]!); }
            Assert.Equal(Range(0, 5), handed);
            Exec(dying, "UPDATE posted SET lease_pid = " + DeadPid() + ", lease_owner = 'killed' WHERE lease_owner IS NOT NULL");
            // disposing the enumerator and closing the session find nothing of their own to acknowledge or release
        }
        using var next = CimLiteSession.Open(_path);
        Assert.Equal(Range(3, 5), Ns(next.ReceivePosted()));     // the first batch was acknowledged; the second comes again
    }
}
