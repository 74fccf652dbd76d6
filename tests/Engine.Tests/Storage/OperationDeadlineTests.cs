using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>
/// CimLiteSession.BeginDeadline (-OperationTimeoutSec, issue 15 item 3): within a deadline every wait for another
/// session's write lock ends by it (not by the much longer busy timeout) with the "time limit" error and writes
/// nothing; once the deadline is disposed the session's own busy timeout applies again.
/// </summary>
public sealed class OperationDeadlineTests : TempFolderTests
{
    public OperationDeadlineTests() : base("deadline") { }

    private static CimLiteInstance Item(CimLiteSession s, string id) =>
        s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = id });

    [Fact]
    public void A_write_waiting_for_a_held_lock_fails_at_the_deadline_and_waits_again_once_it_is_disposed()
    {
        var path = Path.Combine(Folder, "d.db");
        using var holder = CimLiteSession.Open(path);
        SessionFixture.Class(holder, "Item").Key("Id").Create();
        holder.PutInstance(Item(holder, "old"));
        using var blocked = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(60) });

        using var taken = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var hold = new Thread(() =>
        {
            using (holder.Repository.BeginWrite())
            {
                taken.Set();
                release.Wait();
            }
        }) { IsBackground = true };
        hold.Start();
        try
        {
            Assert.True(taken.Wait(TimeSpan.FromSeconds(30)));
            foreach (var (name, run) in new (string, Action)[]
            {
                ("put", () => blocked.PutInstance(Item(blocked, "new"))),
                ("delete", () => blocked.DeleteInstance(InstancePath.Parse("Item.Id=\"old\""))),
            })
            {
                using var deadline = blocked.BeginDeadline(TimeSpan.FromMilliseconds(700));
                var e = Assert.Throws<CimLiteException>(run);
                Assert.True(e.Status == CimStatus.Failed, name + ": " + e.Status);
                Assert.Contains("time limit of 0.7 s", e.Message);
                Assert.DoesNotContain("busy", e.Message);
                Assert.True(deadline.IsExpired, name);
            }
            // Disposed: the 60 s busy timeout applies again, so a put waits for the release and succeeds.
            var releaser = new Thread(() => { Thread.Sleep(800); release.Set(); }) { IsBackground = true };
            releaser.Start();
            blocked.PutInstance(Item(blocked, "later"));
            releaser.Join();
        }
        finally
        {
            release.Set();
            hold.Join();
        }
        Assert.Null(holder.FindInstance(InstancePath.Parse("Item.Id=\"new\"")));
        Assert.NotNull(holder.FindInstance(InstancePath.Parse("Item.Id=\"old\"")));
        Assert.NotNull(holder.FindInstance(InstancePath.Parse("Item.Id=\"later\"")));
        Assert.Throws<ArgumentOutOfRangeException>(() => blocked.BeginDeadline(TimeSpan.Zero));
    }
}
