using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// The posted table. Reads walk the posted_in_order index (namespace, id) from the last sequence read, so a
    /// batch costs what it reads whatever the queue's length; leased rows are found through the partial index
    /// posted_leased; id lists are bound as one JSON array (json_each), never spliced.
    /// </summary>
    internal sealed class SqlitePostedStore : IPostedStore
    {
        private readonly SqliteRepository _repository;

        public SqlitePostedStore(SqliteRepository repository) { _repository = repository; }


        private static SqliteParameter P(string name, object? value) => new SqliteParameter(name, value ?? DBNull.Value);

        public void Insert(string ns, string className, string data, string? qualifiers, string postedAt)
        {
            try
            {
                var insert = _repository.Command("INSERT INTO posted(namespace, class_name, data, qualifiers, posted_at) VALUES ($ns, $c, $d, $q, $t)");
                insert.Parameters.Clear();
                insert.Parameters.Add(P("$ns", ns));
                insert.Parameters.Add(P("$c", className));
                insert.Parameters.Add(P("$d", data));
                insert.Parameters.Add(P("$q", qualifiers));
                insert.Parameters.Add(P("$t", postedAt));
                insert.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        /// <summary>
        /// The statement that reads the next batch: keep (peek) reads every queued row, leased or not; taking reads
        /// only rows nobody holds. The class filter is kept off the index (<c>+class_name</c>) so that SQLite does
        /// not collect and sort every row of the classes.
        /// </summary>
        internal static string TakeSql(bool keep, bool byClass)
        {
            if (keep)
                return byClass
                    ? "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after AND +class_name IN (SELECT value FROM json_each($classes)) ORDER BY id LIMIT $n"
                    : "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after ORDER BY id LIMIT $n";
            return byClass
                ? "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after AND lease_owner IS NULL AND +class_name IN (SELECT value FROM json_each($classes)) ORDER BY id LIMIT $n"
                : "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE namespace = $ns AND id > $after AND lease_owner IS NULL ORDER BY id LIMIT $n";
        }

        public List<StoredPosted> Take(string ns, long afterId, int size, IReadOnlyList<string>? classes, bool includeLeased)
        {
            var result = new List<StoredPosted>();
            // A format-1 file opened read-only (not migrated) has no posted queue: nothing was ever queued in it.
            if (_repository.FormatVersion < 2) return result;
            try
            {
                string sql = TakeSql(includeLeased, classes != null);
                var select = _repository.Command(sql);
                select.Parameters.Clear();
                select.Parameters.Add(P("$ns", ns));
                select.Parameters.Add(P("$after", afterId));
                select.Parameters.Add(P("$n", size));
                if (classes != null) select.Parameters.Add(P("$classes", NameList(classes)));
                ReadRows(select, result);
                return result;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void Lease(IReadOnlyList<long> ids, string owner, long pid, long startedMs, long expiresMs) =>
            _repository.NonQuery("UPDATE posted SET lease_owner = $me, lease_pid = $pid, lease_started = $started, lease_expires = $exp WHERE id IN (SELECT value FROM json_each($ids))",
                ("$me", owner), ("$pid", pid), ("$started", startedMs), ("$exp", expiresMs), ("$ids", IdList(ids, 0, ids.Count)));

        public void FreeExpired(long nowMs) =>
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner IS NOT NULL AND lease_expires <= $now",
                ("$now", nowMs));

        public List<LeaseHolder> OtherLeaseHolders(string me)
        {
            try
            {
                var owners = new List<LeaseHolder>();
                var select = _repository.Command("SELECT DISTINCT lease_owner, lease_pid, lease_started FROM posted WHERE lease_owner IS NOT NULL AND lease_owner <> $me");
                select.Parameters.Clear();
                select.Parameters.Add(P("$me", me));
                using (var reader = select.ExecuteReader())
                    while (reader.Read())
                        owners.Add(new LeaseHolder { Owner = reader.GetString(0), Pid = reader.IsDBNull(1) ? 0 : reader.GetInt64(1), Started = reader.IsDBNull(2) ? 0 : reader.GetInt64(2) });
                return owners;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void Renew(string owner, long expiresMs) =>
            _repository.NonQuery("UPDATE posted SET lease_expires = $exp WHERE lease_owner = $me", ("$exp", expiresMs), ("$me", owner));

        public void FreeAll(string owner) =>
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner = $o", ("$o", owner));

        public void DeleteLeased(string owner, IReadOnlyList<long> ids, int from, int count, long takenMs)
        {
            if (count <= 0) return;
            var list = IdList(ids, from, count);
            // Writable files are always at the current format (migrated on open); the check keeps an older file valid anyway.
            if (_repository.FormatVersion >= RepositorySchema.TakenTableFormat)
                _repository.NonQuery(KeepTakenSql, ("$me", owner), ("$ids", list), ("$now", takenMs));
            _repository.NonQuery("DELETE FROM posted WHERE lease_owner = $me AND id IN (SELECT value FROM json_each($ids))",
                ("$me", owner), ("$ids", list));
        }

        /// <summary>Copies the rows a consumer takes to posted_taken (same id), for subscribers that have not observed them yet.</summary>
        internal const string KeepTakenSql =
            "INSERT OR REPLACE INTO posted_taken(id, namespace, class_name, data, qualifiers, posted_at, taken_ms) " +
            "SELECT id, namespace, class_name, data, qualifiers, posted_at, $now FROM posted WHERE lease_owner = $me AND id IN (SELECT value FROM json_each($ids))";

        /// <summary>Purges taken rows older than the retention window (through posted_taken_by_time).</summary>
        internal const string PurgeTakenSql = "DELETE FROM posted_taken WHERE taken_ms <= $cutoff";

        /// <summary>The last id of each table: two lookups at the end of the primary keys.</summary>
        internal const string LastSequenceSql = "SELECT max(coalesce((SELECT max(id) FROM posted), 0), coalesce((SELECT max(id) FROM posted_taken), 0))";

        /// <summary>What a subscriber observes: a range of ids of both tables (primary-key ranges), in order.</summary>
        internal const string ObserveSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE id > $after AND id <= $upto AND namespace = $ns " +
            "UNION ALL SELECT id, class_name, data, qualifiers, posted_at FROM posted_taken WHERE id > $after AND id <= $upto AND namespace = $ns " +
            "ORDER BY id LIMIT $n";

        /// <summary>The same for a file older than the taken table (opened read-only, not migrated).</summary>
        internal const string ObserveQueueOnlySql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE id > $after AND id <= $upto AND namespace = $ns ORDER BY id LIMIT $n";

        public void PurgeTaken(long cutoffMs)
        {
            if (_repository.FormatVersion < RepositorySchema.TakenTableFormat) return;
            _repository.NonQuery(PurgeTakenSql, ("$cutoff", cutoffMs));
        }

        public long LastSequence()
        {
            if (_repository.FormatVersion < 2) return 0;
            return _repository.FormatVersion >= RepositorySchema.TakenTableFormat
                ? _repository.ScalarInt64(LastSequenceSql)
                : _repository.ScalarInt64("SELECT coalesce(max(id), 0) FROM posted");
        }

        public List<StoredPosted> Observe(string ns, long afterId, long upToId, int size)
        {
            var result = new List<StoredPosted>();
            if (_repository.FormatVersion < 2 || upToId <= afterId) return result;
            try
            {
                string sql = _repository.FormatVersion >= RepositorySchema.TakenTableFormat ? ObserveSql : ObserveQueueOnlySql;
                var select = _repository.Command(sql);
                select.Parameters.Clear();
                select.Parameters.Add(P("$ns", ns));
                select.Parameters.Add(P("$after", afterId));
                select.Parameters.Add(P("$upto", upToId));
                select.Parameters.Add(P("$n", size));
                ReadRows(select, result);
                return result;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void ReleaseLeased(string owner, IReadOnlyList<long> ids, int from, int count)
        {
            if (count <= 0) return;
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner = $me AND id IN (SELECT value FROM json_each($ids))",
                ("$me", owner), ("$ids", IdList(ids, from, count)));
        }

        public void DeleteByClass(string ns, string className)
        {
            _repository.NonQuery("DELETE FROM posted WHERE namespace = $ns AND class_name = $name", ("$ns", ns), ("$name", className));
            if (_repository.FormatVersion >= RepositorySchema.TakenTableFormat)
                _repository.NonQuery("DELETE FROM posted_taken WHERE namespace = $ns AND class_name = $name", ("$ns", ns), ("$name", className));
        }

        public long CountByClass(string ns, string className) =>
            // A format-1 file opened read-only (not migrated) has no posted queue.
            _repository.FormatVersion < 2 ? 0
                : _repository.ScalarInt64("SELECT count(*) FROM posted WHERE namespace = $ns AND class_name = $name", ("$ns", ns), ("$name", className));

        private static string IdList(IReadOnlyList<long> ids, int from, int count)
        {
            var text = new StringBuilder("[");
            for (int i = from; i < from + count && i < ids.Count; i++)
            {
                if (text.Length > 1) text.Append(',');
                text.Append(ids[i].ToString(CultureInfo.InvariantCulture));
            }
            return text.Append(']').ToString();
        }

        private static string NameList(IReadOnlyList<string> names)
        {
            var text = new StringBuilder("[");
            for (int i = 0; i < names.Count; i++)
            {
                if (i > 0) text.Append(',');
                Json.WriteString(text, names[i]);
            }
            return text.Append(']').ToString();
        }

        // The rows of a take or an observe statement: id, class name, data, qualifiers, posted at.
        private static void ReadRows(SqliteCommand select, List<StoredPosted> result)
        {
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    result.Add(new StoredPosted
                    {
                        Id = reader.GetInt64(0),
                        ClassName = reader.GetString(1),
                        Data = reader.GetString(2),
                        Qualifiers = reader.IsDBNull(3) ? null : reader.GetString(3),
                        PostedAt = reader.GetString(4),
                    });
                }
            }
        }

        /// <summary>SQLite has no notifications: another process's post is seen by the caller's next poll.</summary>
        public bool WaitForPost(System.TimeSpan timeout, System.Threading.CancellationToken cancellation)
        {
            cancellation.WaitHandle.WaitOne(timeout);
            return false;
        }

        public bool HearsPosts => false;
    }
}
