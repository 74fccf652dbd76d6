using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Posts an indication to the durable posted queue (what <c>New-CimLiteInstance</c> of an indication class
        /// does). The instance is snapshotted now; the snapshot is returned.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_CLASS when the class is not an indication class; ACCESS_DENIED in a read-only session.</exception>
        public CimLiteInstance PostIndication(CimLiteInstance indication)
        {
            if (indication == null) throw new ArgumentNullException(nameof(indication));
            var snapshot = indication.Clone();
            PostIndicationCore(snapshot);
            return snapshot;
        }

        /// <summary>Stores a snapshot in the posted queue: inside the open transaction if there is one, else in its own.</summary>
        internal void PostIndicationCore(CimLiteInstance snapshot)
        {
            var cimClass = _classes.RequireClass(snapshot.Namespace, snapshot.ClassName);
            if (!cimClass.IsIndication)
                throw new CimLiteException(CimStatus.InvalidClass, Messages.NotAnIndication(cimClass.ClassName), cimClass.ClassName);
            if (Repository.InTransaction)
            {
                InsertPosted(cimClass, snapshot);
                return;
            }
            using (var tx = BeginQueueWrite())
            {
                InsertPosted(cimClass, snapshot);
                tx.Commit();
            }
        }

        private void InsertPosted(CimLiteClass cimClass, CimLiteInstance snapshot)
        {
            var own = snapshot.OwnQualifiers;
            Repository.Posted.Insert(cimClass.Namespace, cimClass.ClassName, ValueCodec.EncodeValues(snapshot.Class, snapshot.Values),
                own.Count == 0 ? null : ValueCodec.EncodeQualifiers(own), DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// Takes indications from the durable posted queue in posting order, from any session or process.
        /// Without <see cref="ReceiveOptions.Keep"/> each batch is leased to this session in one transaction, handed
        /// out, and deleted once the consumer moved past it (in the transaction that leases the next batch, or when
        /// the enumeration ends): a reader that dies before that leaves its batch leased to a dead process, and the
        /// next reader takes it again (at-least-once across crashes; exactly once otherwise). A consumer that stops
        /// early keeps what it was handed (the current item included) and releases the rest.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_CLASS, INVALID_NAMESPACE; ACCESS_DENIED in a read-only session without Keep.</exception>
        public IEnumerable<PostedIndication> ReceivePosted(ReceiveOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            options = options ?? new ReceiveOptions();
            var (ns, classes) = ResolveReceive(options);
            return Receive(ns, classes, options, cancellationToken);
        }

        /// <summary>
        /// Leases one batch (at most <see cref="ReceiveOptions.First"/>, else <see cref="ReceiveOptions.BatchSize"/>
        /// indications, in posting order, after <see cref="ReceiveOptions.AfterSequence"/>) to this session without
        /// waiting; <see cref="ReceiveOptions.Keep"/> and <see cref="ReceiveOptions.Wait"/> are ignored. The caller
        /// hands the items out, then calls <see cref="PostedLease.Complete"/> with how many were taken (those are
        /// deleted, the rest released, in one transaction). Disposing an uncompleted lease releases every item.
        /// A lease the caller never completes (its process died) is reclaimed by the next reader.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_CLASS, INVALID_NAMESPACE; ACCESS_DENIED in a read-only session.</exception>
        public PostedLease LeasePosted(ReceiveOptions? options = null)
        {
            options = options ?? new ReceiveOptions();
            var (ns, classes) = ResolveReceive(options, forceTake: true);
            int size = (int)Math.Min(options.First ?? long.MaxValue, Math.Max(1, options.BatchSize));
            var rows = TakeBatch(ns, classes, size, keep: false, options.AfterSequence, acknowledge: null);
            var items = new List<PostedIndication>(rows.Count);
            foreach (var row in rows) items.Add(row.Item);
            return new PostedLease(this, items);
        }

        private (string Namespace, List<string>? Classes) ResolveReceive(ReceiveOptions options, bool forceTake = false)
        {
            // The queue is asked with the namespace as the repository spells it: SQLite's NOCASE folds ASCII only, while
            // namespaces compare as CIM names do everywhere else (root/ärger is root/Ärger).
            var ns = _classes.RequireNamespace(ResolveNamespace(options.Namespace)).Name;
            List<string>? classes = null;
            if (options.ClassName != null)
            {
                var cimClass = _classes.RequireClass(ns, options.ClassName);
                if (!cimClass.IsIndication)
                    throw new CimLiteException(CimStatus.InvalidClass, Messages.NotAnIndication(cimClass.ClassName), cimClass.ClassName);
                classes = new List<string> { cimClass.ClassName };
                foreach (var sub in _classes.Subclasses(cimClass, deep: true)) classes.Add(sub.ClassName);
            }
            if ((forceTake || !options.Keep) && IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            return (ns, classes);
        }

        private IEnumerable<PostedIndication> Receive(string ns, List<string>? classes, ReceiveOptions options, System.Threading.CancellationToken cancellation)
        {
            long remaining = options.First ?? long.MaxValue;
            long afterId = options.AfterSequence; // page forward: leased rows of other readers are not ours, kept rows stay
            bool any = false;
            var deadline = options.Timeout.HasValue ? DateTime.UtcNow + options.Timeout.Value : DateTime.MaxValue;
            int pause = 10;
            List<PostedRow>? taken = null; // the previous batch, handed out completely: deleted with the next lease
            try
            {
                while (remaining > 0 && !cancellation.IsCancellationRequested)
                {
                    var ack = taken;
                    taken = null;
                    var batch = TakeBatch(ns, classes, (int)Math.Min(remaining, Math.Max(1, options.BatchSize)), options.Keep, afterId, ack);
                    if (batch.Count > 0)
                    {
                        any = true;
                        afterId = batch[batch.Count - 1].Item.Sequence;
                        remaining -= batch.Count;
                        // If the caller stops early (disposes the enumerator, or throws while handling an item), it
                        // keeps what it was handed, the current item included; the rest is released at once.
                        int handedOut = 0;
                        bool complete = false;
                        try
                        {
                            for (; handedOut < batch.Count; handedOut++) yield return batch[handedOut].Item;
                            complete = true;
                        }
                        finally
                        {
                            if (!options.Keep && !complete) CompleteEarlyStop(Ids(batch), Math.Min(handedOut + 1, batch.Count));
                        }
                        if (!options.Keep) taken = batch;
                        continue;
                    }
                    if (any || !options.Wait || DateTime.UtcNow >= deadline) yield break;
                    // A backend that hears of posts (PostgreSQL: LISTEN/NOTIFY) wakes the wait at once and is only asked
                    // again every HeardPostPoll in case a notification was lost; otherwise poll with a growing pause.
                    var posted = Repository.Posted;
                    var wait = posted.HearsPosts ? HeardPostPoll : TimeSpan.FromMilliseconds(pause);
                    var left = deadline - DateTime.UtcNow;
                    if (left < wait) wait = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                    posted.WaitForPost(wait, cancellation);
                    pause = Math.Min(pause * 2, 200);
                }
            }
            finally
            {
                if (taken != null) CompleteLease(Ids(taken), taken.Count);
            }
        }

        /// <summary>
        /// The acknowledgement of a consumer that stopped early, which runs while the enumerator is disposed: maybe
        /// while the consumer's own exception propagates, which a failure here must not replace. If it fails (busy,
        /// damaged, another SQLite error) the batch stays leased to this session, and is delivered again once the
        /// session closes or the lease expires (at-least-once).
        /// </summary>
        private void CompleteEarlyStop(List<long> ids, int taken)
        {
            try
            {
                CompleteLease(ids, taken);
            }
            catch (CimLiteException)
            {
            }
        }

        private static List<long> Ids(List<PostedRow> rows)
        {
            var ids = new List<long>(rows.Count);
            foreach (var row in rows) ids.Add(row.Item.Sequence);
            return ids;
        }

        /// <summary>A taken row.</summary>
        private sealed class PostedRow
        {
            public PostedRow(PostedIndication item) { Item = item; }
            public PostedIndication Item { get; }
        }

        /// <summary>
        /// How often a waiting reader on a backend that hears of posts (<see cref="IPostedStore.HearsPosts"/>) takes again
        /// without having heard of one: a safety net for a lost notification (tests make it long to prove the wake-up).
        /// </summary>
        internal TimeSpan HeardPostPoll { get; set; } = TimeSpan.FromSeconds(2);

        // ---- leases ----

        /// <summary>How long a lease holds when its owner neither completes nor renews it (it renews with each batch it takes).</summary>
        internal static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

        private readonly string _leaseOwner = Guid.NewGuid().ToString("N");
        private bool _mayHoldLeases;
        private static long? _processStartedMs;

        /// <summary>This session's lease owner id (unique per session; the process id and start time are stored beside it).</summary>
        internal string LeaseOwner => _leaseOwner;

        private static long ProcessStartedMs
        {
            get
            {
                if (_processStartedMs == null)
                {
                    using (var self = Process.GetCurrentProcess())
                        _processStartedMs = ToUnixMs(self.StartTime);
                }
                return _processStartedMs.Value;
            }
        }

        private static int ProcessId
        {
            get { using (var self = Process.GetCurrentProcess()) return self.Id; }
        }

        private static long ToUnixMs(DateTime time) => new DateTimeOffset(time.ToUniversalTime()).ToUnixTimeMilliseconds();

        /// <summary>
        /// Whether the process that took a lease still runs: same process id and (within two seconds, the precision
        /// process start times are reported with) the same start time; a reused id with another start time is dead.
        /// Deliberately, an owner counts as dead only when the system says so (no such process id, the process has
        /// exited, or its start time differs); whenever the system will not tell (access denied to another user's
        /// process: Win32Exception; any other failure), it counts as alive and the lease's expiry decides.
        /// </summary>
        internal static bool LeaseOwnerAlive(long pid, long startedMs) => LeaseOwnerAlive(pid, startedMs, ProbeProcess);

        /// <summary>The probe: whether process <c>pid</c> has exited, and when it started (throws as <see cref="Process"/> does).</summary>
        internal static bool LeaseOwnerAlive(long pid, long startedMs, Func<int, (bool Exited, DateTime StartTime)> probe)
        {
            if (pid <= 0 || pid > int.MaxValue) return false;
            try
            {
                var (exited, startTime) = probe((int)pid);
                if (exited) return false;
                return Math.Abs(ToUnixMs(startTime) - startedMs) <= 2000;
            }
            catch (ArgumentException)
            {
                return false; // no such process
            }
            catch (Exception)
            {
                // InvalidOperationException may mean "exited meanwhile", but it is not the only cause: ask once more
                // whether the id exists at all. Anything else (Win32Exception: access denied) cannot tell.
                return ProcessIdExists((int)pid, probe);
            }
        }

        private static bool ProcessIdExists(int pid, Func<int, (bool Exited, DateTime StartTime)> probe)
        {
            try
            {
                return !probe(pid).Exited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (Exception)
            {
                return true;
            }
        }

        private static (bool Exited, DateTime StartTime) ProbeProcess(int pid)
        {
            using (var process = Process.GetProcessById(pid))
            {
                if (process.HasExited) return (true, default);
                return (false, process.StartTime);
            }
        }

        /// <summary>
        /// Inside the open transaction: frees leases that expired or whose owner process is gone, renews this
        /// session's, and purges taken indications older than <see cref="TakenRetention"/>.
        /// </summary>
        private void ReclaimLeases(long nowMs)
        {
            Repository.Posted.FreeExpired(nowMs);
            Repository.Posted.PurgeTaken(nowMs - (long)TakenRetention.TotalMilliseconds);

            var owners = Repository.Posted.OtherLeaseHolders(_leaseOwner);
            foreach (var owner in owners)
            {
                if (!LeaseOwnerAlive(owner.Pid, owner.Started)) FreeLeasesOf(owner.Owner);
            }

            if (_mayHoldLeases)
            {
                Repository.Posted.Renew(_leaseOwner, nowMs + (long)LeaseDuration.TotalMilliseconds);
            }
        }

        /// <summary>Inside the open transaction: frees every row leased by <paramref name="owner"/> (a dead owner's, or this session's on close).</summary>
        private void FreeLeasesOf(string owner)
        {
            Repository.Posted.FreeAll(owner);
        }

        /// <summary>
        /// Inside the open transaction: removes from the queue the rows of <paramref name="ids"/> this session still
        /// holds (kept as taken for subscribers, see <see cref="WatchPosted"/>).
        /// </summary>
        private void DeleteLeased(List<long> ids, int from, int count)
        {
            Repository.Posted.DeleteLeased(_leaseOwner, ids, from, count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        /// <summary>Inside the open transaction: gives back the rows of <paramref name="ids"/> this session still holds (same sequence numbers).</summary>
        private void ReleaseLeased(List<long> ids, int from, int count)
        {
            Repository.Posted.ReleaseLeased(_leaseOwner, ids, from, count);
        }

        /// <summary>
        /// Deletes the first <paramref name="taken"/> leased rows (the consumer has them) and releases the rest, in
        /// one transaction. Nothing happens once the session is closed (what it held is released with it, or
        /// reclaimed as the lease of a dead owner).
        /// </summary>
        internal void CompleteLease(List<long> ids, int taken)
        {
            if (IsClosed || ids.Count == 0) return;
            if (taken < 0) taken = 0;
            if (taken > ids.Count) taken = ids.Count;
            using (var tx = BeginQueueWrite())
            {
                DeleteLeased(ids, 0, taken);
                ReleaseLeased(ids, taken, ids.Count - taken);
                tx.Commit();
            }
        }

        /// <summary>Releases every lease this session holds (when it closes).</summary>
        private void ReleaseAllLeases()
        {
            if (!_mayHoldLeases || _repository == null || IsReadOnly || Repository.InTransaction) return;
            try
            {
                using (var tx = BeginQueueWrite())
                {
                    FreeLeasesOf(_leaseOwner);
                    tx.Commit();
                }
                _mayHoldLeases = false;
            }
            catch (Exception e) when (e is CimLiteException || e is InvalidOperationException)
            {
                // Busy, damaged, an I/O error, a file another process changed: closing must not fail because of it.
                // What this session still holds is reclaimed once this process is gone, or when the lease expires.
            }
        }

        private List<PostedRow> TakeBatch(string ns, List<string>? classes, int size, bool keep, long afterId, List<PostedRow>? acknowledge)
        {
            var result = new List<PostedRow>();
            // A format-1 file opened read-only (not migrated) has no posted queue: nothing was ever queued in it.
            if (Repository.FormatVersion < 2) return result;
            WriteTransaction? tx = keep ? null : BeginQueueWrite();
            try
            {
                var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (tx != null)
                {
                    if (acknowledge != null)
                    {
                        var ackIds = Ids(acknowledge);
                        DeleteLeased(ackIds, 0, ackIds.Count);
                    }
                    ReclaimLeases(nowMs);
                }
                var ids = new List<long>();
                foreach (var row in Repository.Posted.Take(ns, afterId, size, classes, includeLeased: keep))
                {
                    var cimClass = _classes.RequireClass(ns, row.ClassName);
                    var instance = Materialize(cimClass, row.Data, row.Qualifiers);
                    var postedAt = DateTimeOffset.Parse(row.PostedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                    result.Add(new PostedRow(new PostedIndication(row.Id, postedAt, instance)));
                    ids.Add(row.Id);
                }
                if (tx != null)
                {
                    if (result.Count > 0)
                    {
                        Repository.Posted.Lease(ids, _leaseOwner, ProcessId, ProcessStartedMs, nowMs + (long)LeaseDuration.TotalMilliseconds);
                        _mayHoldLeases = true;
                    }
                    tx.Commit();
                }
                return result;
            }
            finally
            {
                tx?.Dispose();
            }
        }
    }

    /// <summary>
    /// A batch of indications leased to one session by <see cref="CimLiteSession.LeasePosted"/>. Hand the items
    /// out, then <see cref="Complete"/> with how many were taken; disposing without completing releases them all.
    /// </summary>
    public sealed class PostedLease : IDisposable
    {
        private readonly CimLiteSession _session;
        private readonly List<long> _ids = new List<long>();
        private bool _done;

        internal PostedLease(CimLiteSession session, IReadOnlyList<PostedIndication> items)
        {
            _session = session;
            Items = items;
            foreach (var item in items) _ids.Add(item.Sequence);
            _done = items.Count == 0;
        }

        /// <summary>The leased indications, in posting order.</summary>
        public IReadOnlyList<PostedIndication> Items { get; }

        /// <summary>
        /// Deletes the first <paramref name="taken"/> items from the queue (the consumer has them) and releases the
        /// rest for any reader, in one transaction. Only the first call counts.
        /// </summary>
        public void Complete(int taken)
        {
            if (_done) return;
            _done = true;
            _session.CompleteLease(_ids, taken);
        }

        /// <summary>
        /// Releases every item unless <see cref="Complete"/> was called. Never throws: if the release fails (the
        /// repository is busy or damaged), the items stay leased until the session closes, its process ends, or the
        /// lease expires, and are then delivered again.
        /// </summary>
        public void Dispose()
        {
            try
            {
                Complete(0);
            }
            catch (CimLiteException)
            {
                // See above: the lease is reclaimed later; Complete(0) would lose nothing.
            }
        }
    }
}
