using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// The durable queue of posted indications: appended in posting order (the row id is the sequence number),
    /// read in batches from a sequence on, leased to one session (owner id, process id and start, expiry) and
    /// removed once acknowledged: moved to the taken table, where subscribers can still observe it for a retention
    /// window (<see cref="Observe"/>), then purged. Every call runs inside the caller's transaction, if any.
    /// </summary>
    internal interface IPostedStore
    {
        /// <summary>Appends an indication.</summary>
        void Insert(string ns, string className, string data, string? qualifiers, string postedAt);

        /// <summary>Reads at most <paramref name="size"/> queued rows of a namespace after a sequence, in order; only rows nobody leases unless <paramref name="includeLeased"/>; only those classes when given.</summary>
        List<StoredPosted> Take(string ns, long afterId, int size, IReadOnlyList<string>? classes, bool includeLeased);

        /// <summary>Leases the rows of <paramref name="ids"/> to an owner until <paramref name="expiresMs"/>.</summary>
        void Lease(IReadOnlyList<long> ids, string owner, long pid, long startedMs, long expiresMs);

        /// <summary>Frees every lease that expired at <paramref name="nowMs"/>.</summary>
        void FreeExpired(long nowMs);

        /// <summary>
        /// The owners other than <paramref name="me"/> that hold leases, with the process they named (the engine frees the
        /// leases of owners whose process is gone). A backend that knows by itself which owners are gone (PostgreSQL: the
        /// owner's server connection ended) lists only those, with process id 0 ("gone").
        /// </summary>
        List<LeaseHolder> OtherLeaseHolders(string me);

        /// <summary>Moves the expiry of every lease of an owner.</summary>
        void Renew(string owner, long expiresMs);

        /// <summary>Frees every lease of an owner.</summary>
        void FreeAll(string owner);

        /// <summary>
        /// Removes from the queue the rows of ids[from .. from+count) that the owner still leases, keeping them (same
        /// id, taken at <paramref name="takenMs"/>) in the taken table for subscribers until <see cref="PurgeTaken"/>.
        /// </summary>
        void DeleteLeased(string owner, IReadOnlyList<long> ids, int from, int count, long takenMs);

        /// <summary>Frees the rows of ids[from .. from+count) that the owner still leases.</summary>
        void ReleaseLeased(string owner, IReadOnlyList<long> ids, int from, int count);

        /// <summary>Deletes the queued indications of one class (stored spelling).</summary>
        void DeleteByClass(string ns, string className);

        /// <summary>How many indications of one class (stored spelling) are queued.</summary>
        long CountByClass(string ns, string className);

        /// <summary>Deletes the taken indications taken at or before <paramref name="cutoffMs"/> (Unix ms).</summary>
        void PurgeTaken(long cutoffMs);

        /// <summary>The highest sequence posted and not yet purged, queued or taken (0 when none): one look at each table's last id.</summary>
        long LastSequence();

        /// <summary>
        /// Reads, without leasing or removing anything, at most <paramref name="size"/> indications of a namespace
        /// with <paramref name="afterId"/> &lt; id &lt;= <paramref name="upToId"/>, queued (leased or not) or taken, in
        /// posting order (what a subscriber observes).
        /// </summary>
        List<StoredPosted> Observe(string ns, long afterId, long upToId, int size);

        /// <summary>
        /// Waits, outside any transaction, until something may have been posted (a backend that hears of posts: true
        /// as soon as one is committed) or <paramref name="timeout"/> passed or <paramref name="cancellation"/> fired
        /// (false). A backend that cannot hear of posts simply sleeps and returns false: the caller polls again.
        /// The first call may return at once (true), having just started to listen: the caller takes again before
        /// waiting, so nothing posted before the listening began is waited for.
        /// </summary>
        bool WaitForPost(System.TimeSpan timeout, System.Threading.CancellationToken cancellation);

        /// <summary>Whether <see cref="WaitForPost"/> wakes on posts (so the caller may wait long) or only sleeps (the caller polls with a short pause).</summary>
        bool HearsPosts { get; }
    }

    /// <summary>One queued indication as stored.</summary>
    internal sealed class StoredPosted
    {
        public long Id;
        public string ClassName = "";
        public string Data = "";
        public string? Qualifiers;
        public string PostedAt = "";
    }

    /// <summary>A lease owner and the process it named.</summary>
    internal struct LeaseHolder
    {
        public string Owner;
        public long Pid;
        public long Started;
    }
}
