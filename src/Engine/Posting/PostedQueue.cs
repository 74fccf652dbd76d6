using System;
using System.Collections.Generic;
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
        private CimLiteInstance PostIndicationUnguarded(CimLiteInstance indication)
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
            using (var tx = BeginWrite())
            {
                InsertPosted(cimClass, snapshot);
                tx.Commit();
            }
        }

        private void InsertPosted(CimLiteClass cimClass, CimLiteInstance snapshot)
        {
            var own = snapshot.OwnQualifiers;
            var insert = Repository.Command("INSERT INTO posted(namespace, class_name, data, qualifiers, posted_at) VALUES ($ns, $c, $d, $q, $t)");
            insert.Parameters.Clear();
            insert.Parameters.Add(P("$ns", cimClass.Namespace));
            insert.Parameters.Add(P("$c", cimClass.ClassName));
            insert.Parameters.Add(P("$d", ValueCodec.EncodeValues(snapshot.Class, snapshot.Values)));
            insert.Parameters.Add(P("$q", own.Count == 0 ? null : ValueCodec.EncodeQualifiers(own)));
            insert.Parameters.Add(P("$t", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture)));
            insert.ExecuteNonQuery();
        }

        /// <summary>
        /// Takes indications from the durable posted queue in posting order, from any session or process.
        /// Each batch is read (and, without <see cref="ReceiveOptions.Keep"/>, removed) in one transaction and
        /// handed out only after it committed: a reader that dies before the commit loses nothing.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_CLASS, INVALID_NAMESPACE; ACCESS_DENIED in a read-only session without Keep.</exception>
        private IEnumerable<PostedIndication> ReceivePostedUnguarded(ReceiveOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            options = options ?? new ReceiveOptions();
            var ns = ResolveNamespace(options.Namespace);
            string? classes = null;
            _classes.RequireNamespace(ns);
            if (options.ClassName != null)
            {
                var cimClass = _classes.RequireClass(ns, options.ClassName);
                if (!cimClass.IsIndication)
                    throw new CimLiteException(CimStatus.InvalidClass, Messages.NotAnIndication(cimClass.ClassName), cimClass.ClassName);
                var names = new StringBuilder("[");
                Json.WriteString(names, cimClass.ClassName);
                foreach (var sub in _classes.Subclasses(cimClass, deep: true))
                {
                    names.Append(',');
                    Json.WriteString(names, sub.ClassName);
                }
                classes = names.Append(']').ToString();
            }
            if (!options.Keep && IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            return Receive(ns, classes, options, cancellationToken);
        }

        private IEnumerable<PostedIndication> Receive(string ns, string? classes, ReceiveOptions options, System.Threading.CancellationToken cancellation)
        {
            long remaining = options.First ?? long.MaxValue;
            long afterId = options.AfterSequence; // with Keep, page forward instead of removing
            bool any = false;
            var deadline = options.Timeout.HasValue ? DateTime.UtcNow + options.Timeout.Value : DateTime.MaxValue;
            int pause = 10;
            while (remaining > 0 && !cancellation.IsCancellationRequested)
            {
                var batch = TakeBatch(ns, classes, (int)Math.Min(remaining, Math.Max(1, options.BatchSize)), options.Keep, afterId);
                if (batch.Count > 0)
                {
                    any = true;
                    afterId = batch[batch.Count - 1].Item.Sequence;
                    remaining -= batch.Count;
                    // The batch is already removed (committed). If the caller stops early (disposes the
                    // enumerator, or throws while handling an item), what it never received goes back, under
                    // its own sequence numbers, so nothing taken but not returned is lost.
                    int handedOut = 0;
                    try
                    {
                        for (; handedOut < batch.Count; handedOut++) yield return batch[handedOut].Item;
                    }
                    finally
                    {
                        if (!options.Keep && handedOut < batch.Count - 1) PutBack(batch, handedOut + 1);
                    }
                    continue;
                }
                if (any || !options.Wait || DateTime.UtcNow >= deadline) yield break;
                var wait = TimeSpan.FromMilliseconds(pause);
                var left = deadline - DateTime.UtcNow;
                if (left < wait) wait = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                cancellation.WaitHandle.WaitOne(wait);
                pause = Math.Min(pause * 2, 200);
            }
        }

        /// <summary>A taken row: the indication and what it was stored as (to put it back unchanged).</summary>
        private sealed class PostedRow
        {
            public PostedRow(PostedIndication item, string ns, string className, string data, string? qualifiers, string postedAt)
            {
                Item = item; Namespace = ns; ClassName = className; Data = data; Qualifiers = qualifiers; PostedAt = postedAt;
            }
            public PostedIndication Item { get; }
            public string Namespace { get; }
            public string ClassName { get; }
            public string Data { get; }
            public string? Qualifiers { get; }
            public string PostedAt { get; }
        }

        /// <summary>Returns rows taken from the queue but never handed out, with their original ids (so in posting order).</summary>
        private void PutBack(List<PostedRow> batch, int from)
        {
            if (IsClosed) return;
            using (var tx = BeginWrite())
            {
                var insert = Repository.Command("INSERT INTO posted(id, namespace, class_name, data, qualifiers, posted_at) VALUES ($id, $ns, $c, $d, $q, $t)");
                for (int i = from; i < batch.Count; i++)
                {
                    var row = batch[i];
                    insert.Parameters.Clear();
                    insert.Parameters.Add(P("$id", row.Item.Sequence));
                    insert.Parameters.Add(P("$ns", row.Namespace));
                    insert.Parameters.Add(P("$c", row.ClassName));
                    insert.Parameters.Add(P("$d", row.Data));
                    insert.Parameters.Add(P("$q", row.Qualifiers));
                    insert.Parameters.Add(P("$t", row.PostedAt));
                    insert.ExecuteNonQuery();
                }
                tx.Commit();
            }
        }

        private List<PostedRow> TakeBatch(string ns, string? classes, int size, bool keep, long afterId)
        {
            var result = new List<PostedRow>();
            // A format-1 file opened read-only (not migrated) has no posted queue: nothing was ever queued in it.
            if (Repository.FormatVersion < 2) return result;
            var sql = classes == null
                ? "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after ORDER BY id LIMIT $n"
                : "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after AND class_name IN (SELECT value FROM json_each($classes)) ORDER BY id LIMIT $n";
            WriteTransaction? tx = keep ? null : BeginWrite();
            try
            {
                var ids = new StringBuilder("[");
                var select = Repository.Command(sql);
                select.Parameters.Clear();
                select.Parameters.Add(P("$ns", ns));
                select.Parameters.Add(P("$after", afterId));
                select.Parameters.Add(P("$n", size));
                if (classes != null) select.Parameters.Add(P("$classes", classes));
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var id = reader.GetInt64(0);
                        var className = reader.GetString(1);
                        var data = reader.GetString(2);
                        var qualifiers = reader.IsDBNull(3) ? null : reader.GetString(3);
                        var postedAtText = reader.GetString(4);
                        var cimClass = _classes.RequireClass(ns, className);
                        var instance = Materialize(cimClass, data, qualifiers);
                        var postedAt = DateTimeOffset.Parse(postedAtText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                        result.Add(new PostedRow(new PostedIndication(id, postedAt, instance), ns, className, data, qualifiers, postedAtText));
                        if (ids.Length > 1) ids.Append(',');
                        ids.Append(id.ToString(CultureInfo.InvariantCulture));
                    }
                }
                if (tx != null)
                {
                    if (result.Count > 0)
                    {
                        var delete = Repository.Command("DELETE FROM posted WHERE id IN (SELECT value FROM json_each($ids))");
                        delete.Parameters.Clear();
                        delete.Parameters.Add(P("$ids", ids.Append(']').ToString()));
                        delete.ExecuteNonQuery();
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
}
