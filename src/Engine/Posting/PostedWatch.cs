using System;
using System.Collections.Generic;
using System.Globalization;
using CimLite.Query;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// How long an indication a consumer took stays observable by subscribers (kept in the taken table, purged
        /// by the next take after that). A subscriber that polls less often than this (its process was suspended
        /// longer) misses taken indications; queued ones it always sees.
        /// </summary>
        internal TimeSpan TakenRetention { get; set; } = DefaultTakenRetention;

        /// <summary>The default <see cref="TakenRetention"/>: one minute.</summary>
        internal static readonly TimeSpan DefaultTakenRetention = TimeSpan.FromMinutes(1);

        /// <summary>
        /// The sequence of the last indication posted (queued or recently taken, from any session or process), 0 when
        /// none: where a subscription that starts now begins. Cheap: one look at the end of each table's primary key.
        /// </summary>
        public long LastPostedSequence()
        {
            if (Repository.InTransaction) throw new InvalidOperationException(Messages.WatchInTransaction);
            return Repository.Posted.LastSequence();
        }

        /// <summary>
        /// Starts observing the posted queue (what <c>Register-CimLiteIndicationEvent</c> does): the returned watch
        /// reads, by sequence, the indications posted after <paramref name="fromSequence"/> (default: the last one
        /// posted now) that match the class or query, without leasing or removing them, so consumers
        /// (<see cref="ReceivePosted"/>) keep taking every indication once while every watch sees each one.
        /// </summary>
        /// <exception cref="CimLiteException">
        /// INVALID_PARAMETER (neither or both of class and query), INVALID_QUERY, INVALID_CLASS (unknown, or not an
        /// indication class), INVALID_NAMESPACE.
        /// </exception>
        public PostedWatch WatchPosted(WatchOptions options, long? fromSequence = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            bool byClass = !string.IsNullOrEmpty(options.ClassName), byQuery = !string.IsNullOrEmpty(options.Query);
            if (byClass == byQuery) throw new CimLiteException(CimStatus.InvalidParameter, Messages.WatchNeedsClassOrQuery, options.Query ?? options.ClassName);
            string className;
            WqlExpression? where = null;
            IReadOnlyList<WqlProperty>? selected = null;
            if (byQuery)
            {
                var query = WqlParser.Parse(options.Query!);
                className = query.ClassName;
                where = query.Where;
                selected = query.Properties;
            }
            else className = options.ClassName!;
            var ns = _classes.RequireNamespace(ResolveNamespace(options.Namespace)).Name;
            var root = _classes.RequireClass(ns, className);
            if (!root.IsIndication)
                throw new CimLiteException(CimStatus.InvalidClass, Messages.NotAnIndication(root.ClassName), root.ClassName);
            var watch = new PostedWatch(this, ns, root, where, selected);
            watch.Prepare();
            watch.HighWater = fromSequence ?? LastPostedSequence();
            return watch;
        }

        /// <summary>Prepares the in-memory filter of a watch: one plan per class (the watched class and its subclasses).</summary>
        internal Dictionary<CimLiteClass, (Bound Predicate, bool[]? Keep)> PrepareWatch(CimLiteClass root, WqlExpression? where, IReadOnlyList<WqlProperty>? selected)
        {
            var prepared = PrepareQuery(root.ClassName, where, selected, root.Namespace, deep: true, new QueryOptions { EvaluateInMemory = true });
            var plans = new Dictionary<CimLiteClass, (Bound, bool[]?)>();
            foreach (var plan in prepared.Plans) plans[plan.Class] = (plan.Predicate, plan.Keep);
            return plans;
        }

        /// <summary>One poll of a watch (see <see cref="PostedWatch.Poll"/>).</summary>
        internal List<PostedIndication> PollWatch(PostedWatch watch, int size)
        {
            var result = new List<PostedIndication>();
            // The session's own open transaction is not committed yet: what it posted may still be rolled back.
            if (Repository.InTransaction) return result;
            var last = Repository.Posted.LastSequence();
            if (last <= watch.HighWater) return result;
            var rows = Repository.Posted.Observe(watch.Namespace, watch.HighWater, last, size);
            foreach (var row in rows)
            {
                var cimClass = _classes.FindClass(watch.Namespace, row.ClassName);
                if (cimClass == null) continue; // the class was deleted since
                if (!watch.Plans.TryGetValue(cimClass, out var plan))
                {
                    if (!cimClass.IsA(watch.Root.ClassName)) continue;
                    watch.Prepare(); // a subclass made (or the schema reloaded) since the watch started
                    if (!watch.Plans.TryGetValue(cimClass, out plan)) continue;
                }
                CimLiteInstance instance;
                try
                {
                    instance = Materialize(cimClass, row.Data, row.Qualifiers);
                }
                catch (CimLiteException)
                {
                    // A taken row the class no longer reads (changed with -Force since it was taken; queued rows are
                    // protected by ClassChangeGuard): skipped, so that the watch never stops on it.
                    continue;
                }
                if (!plan.Predicate.Evaluate(instance)) continue;
                if (plan.Keep != null)
                {
                    var values = (object?[])instance.Values.Clone();
                    for (int i = 0; i < values.Length; i++) if (!plan.Keep[i]) values[i] = null;
                    instance = new CimLiteInstance(instance.Class, values, instance.OwnQualifiers) { ValueUnwrapper = instance.ValueUnwrapper };
                }
                var postedAt = DateTimeOffset.Parse(row.PostedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                result.Add(new PostedIndication(row.Id, postedAt, instance));
            }
            // Everything up to `last` was read unless the batch was full; then the rest waits for the next poll.
            watch.HighWater = rows.Count >= size ? rows[rows.Count - 1].Id : last;
            return result;
        }
    }

    /// <summary>What <see cref="CimLiteSession.WatchPosted"/> observes: a class (and its subclasses) or a WQL query, in a namespace.</summary>
    public sealed class WatchOptions
    {
        /// <summary>Indications of this class and its subclasses (or give <see cref="Query"/>).</summary>
        public string? ClassName { get; set; }

        /// <summary><c>SELECT * | p1, p2 FROM IndicationClass [WHERE …]</c> (or give <see cref="ClassName"/>).</summary>
        public string? Query { get; set; }

        /// <summary>The namespace; the session's default when null.</summary>
        public string? Namespace { get; set; }
    }

    /// <summary>
    /// An observation of the posted queue from a sequence on (a subscriber's high-water mark): each
    /// <see cref="Poll"/> returns the matching indications posted since the last poll, whether still queued, leased
    /// or already taken by a consumer (within <see cref="CimLiteSession.TakenRetention"/>), and removes nothing.
    /// Not thread-safe: serialise polls with every other use of the session, as for any session call.
    /// </summary>
    public sealed class PostedWatch
    {
        private readonly CimLiteSession _session;
        private readonly WqlExpression? _where;
        private readonly IReadOnlyList<WqlProperty>? _selected;

        internal PostedWatch(CimLiteSession session, string ns, CimLiteClass root, WqlExpression? where, IReadOnlyList<WqlProperty>? selected)
        {
            _session = session;
            Namespace = ns;
            Root = root;
            _where = where;
            _selected = selected;
        }

        /// <summary>The namespace observed (as the repository spells it).</summary>
        public string Namespace { get; }

        /// <summary>The class observed (with its subclasses).</summary>
        public string ClassName => Root.ClassName;

        internal CimLiteClass Root { get; private set; }

        internal Dictionary<CimLiteClass, (Bound Predicate, bool[]? Keep)> Plans { get; private set; } = new Dictionary<CimLiteClass, (Bound, bool[]?)>();

        /// <summary>The sequence of the last indication observed (matching or not): the next poll reads after it.</summary>
        public long HighWater { get; internal set; }

        internal void Prepare()
        {
            Root = _session.ClassCache.RequireClass(Namespace, Root.ClassName);
            Plans = _session.PrepareWatch(Root, _where, _selected);
        }

        /// <summary>
        /// The matching indications posted since the last poll, in posting order, at most <paramref name="size"/>
        /// read per call (then the next poll goes on). Cheap when nothing is new: one lookup of the last sequence.
        /// Inside the session's own open transaction it returns nothing (what it posted is not committed yet).
        /// </summary>
        /// <exception cref="ObjectDisposedException">The session is closed.</exception>
        public IReadOnlyList<PostedIndication> Poll(int size = 1000) => _session.PollWatch(this, Math.Max(1, size));
    }
}
