using System.Collections.Generic;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// The posted and posted_taken tables. Namespaces and class names compare as SQLite's NOCASE does (ASCII letters
    /// folded: <c>lower(x COLLATE "C")</c>, which the indexes carry). A take reads un-leased rows with
    /// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent readers skip the rows another transaction is leasing instead of
    /// waiting for it; id lists are bound as one bigint[] (<c>= ANY($n)</c>), never spliced.
    /// </summary>
    internal sealed class PostgresPostedStore : IPostedStore
    {
        private readonly PostgresRepository _repository;

        public PostgresPostedStore(PostgresRepository repository) { _repository = repository; }

        /// <summary>
        /// Appends an indication. Concurrent PostgreSQL transactions could otherwise commit their posts out of id order
        /// (a post taking id 7 commits while the one that took id 6 is still open), and a subscriber or a paging reader
        /// that had moved past 7 would never see 6. So a posting transaction first takes the repository's posting lock
        /// (<c>pg_advisory_xact_lock</c>, held to its end; taken before the id is drawn, since the subquery is not
        /// flattened into the insert): posts then commit in id order, and "every id up to the last one visible is final"
        /// holds as with SQLite's single writer. The same statement notifies the schema's channel (delivered at commit;
        /// duplicates within a transaction are folded), which wakes waiting readers (<see cref="WaitForPost"/>).
        /// </summary>
        public void Insert(string ns, string className, string data, string? qualifiers, string postedAt) =>
            _repository.NonQuery(InsertSql, ns, className, data, qualifiers, postedAt, _repository.PostingLockKey, _repository.PostChannel);

        private const string InsertSql =
            "INSERT INTO posted(namespace, class_name, data, qualifiers, posted_at) SELECT $1, $2, $3, $4::text, $5 " +
            "FROM (SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext($6)) AS locked, pg_catalog.pg_notify($7, '') AS notified OFFSET 0) AS posting";

        /// <summary>Waits on the schema's notification channel (LISTEN from the first call on; see <see cref="PostgresRepository.WaitForNotification"/>).</summary>
        public bool WaitForPost(System.TimeSpan timeout, System.Threading.CancellationToken cancellation) =>
            _repository.WaitForNotification(timeout, cancellation);

        public bool HearsPosts => true;

        private const string PeekSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND id > $2 ORDER BY id LIMIT $3";

        private const string PeekByClassSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND id > $2 AND lower(class_name COLLATE \"C\") IN (SELECT lower(c COLLATE \"C\") FROM unnest($4::text[]) AS c) ORDER BY id LIMIT $3";

        private const string TakeSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND id > $2 AND lease_owner IS NULL ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED";

        private const string TakeByClassSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND id > $2 AND lease_owner IS NULL AND lower(class_name COLLATE \"C\") IN (SELECT lower(c COLLATE \"C\") FROM unnest($4::text[]) AS c) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED";

        public List<StoredPosted> Take(string ns, long afterId, int size, IReadOnlyList<string>? classes, bool includeLeased)
        {
            if (classes == null)
                return _repository.Rows(includeLeased ? PeekSql : TakeSql, ReadPosted, ns, afterId, size);
            var names = new string[classes.Count];
            for (int i = 0; i < names.Length; i++) names[i] = classes[i];
            return _repository.Rows(includeLeased ? PeekByClassSql : TakeByClassSql, ReadPosted, ns, afterId, size, names);
        }

        /// <summary>
        /// Leases rows to an owner. The owner's process id means nothing to clients on other machines, so the lease names
        /// this session's server connection instead (<c>pg_backend_pid()</c> and the connection's start in Unix ms): the
        /// lease lives as long as that connection (or until it expires), see <see cref="OtherLeaseHolders"/>.
        /// </summary>
        public void Lease(IReadOnlyList<long> ids, string owner, long pid, long startedMs, long expiresMs) =>
            _repository.NonQuery(LeaseSql, owner, expiresMs, Ids(ids, 0, ids.Count));

        private const string LeaseSql =
            "UPDATE posted SET lease_owner = $1, lease_pid = pg_backend_pid(), " +
            "lease_started = (SELECT (extract(epoch FROM a.backend_start) * 1000)::bigint FROM pg_catalog.pg_stat_activity a WHERE a.pid = pg_backend_pid()), " +
            "lease_expires = $2 WHERE id = ANY($3)";

        /// <summary>
        /// The other owners whose server connection is gone (a client that crashed, was killed or lost the network: the
        /// server ended its connection), each with process id 0, which the engine takes for "dead" and frees. Owners whose
        /// connection is still open are not listed: their leases stay until they free them or the lease expires.
        /// </summary>
        public List<LeaseHolder> OtherLeaseHolders(string me) =>
            _repository.Rows(DeadOwnersSql, r => new LeaseHolder { Owner = r.GetString(0), Pid = 0, Started = 0 }, me);

        private const string DeadOwnersSql =
            "SELECT DISTINCT p.lease_owner FROM posted p WHERE p.lease_owner IS NOT NULL AND p.lease_owner <> $1 AND NOT EXISTS (" +
            "SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = p.lease_pid AND (extract(epoch FROM a.backend_start) * 1000)::bigint = p.lease_started)";

        public void FreeExpired(long nowMs) =>
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner IS NOT NULL AND lease_expires <= $1", nowMs);


        public void Renew(string owner, long expiresMs) =>
            _repository.NonQuery("UPDATE posted SET lease_expires = $1 WHERE lease_owner = $2", expiresMs, owner);

        public void FreeAll(string owner) =>
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner = $1", owner);

        public void DeleteLeased(string owner, IReadOnlyList<long> ids, int from, int count, long takenMs)
        {
            if (count <= 0) return;
            var list = Ids(ids, from, count);
            _repository.NonQuery(KeepTakenSql, owner, list, takenMs);
            _repository.NonQuery("DELETE FROM posted WHERE lease_owner = $1 AND id = ANY($2)", owner, list);
        }

        /// <summary>Copies the rows a consumer takes to posted_taken (same id), for subscribers that have not observed them yet.</summary>
        private const string KeepTakenSql =
            "INSERT INTO posted_taken(id, namespace, class_name, data, qualifiers, posted_at, taken_ms) " +
            "SELECT id, namespace, class_name, data, qualifiers, posted_at, $3 FROM posted WHERE lease_owner = $1 AND id = ANY($2) " +
            "ON CONFLICT (id) DO UPDATE SET namespace = EXCLUDED.namespace, class_name = EXCLUDED.class_name, data = EXCLUDED.data, " +
            "qualifiers = EXCLUDED.qualifiers, posted_at = EXCLUDED.posted_at, taken_ms = EXCLUDED.taken_ms";

        /// <summary>What a subscriber observes: a range of ids of both tables, in order.</summary>
        private const string ObserveSql =
            "SELECT id, class_name, data, qualifiers, posted_at FROM posted WHERE id > $2 AND id <= $3 AND lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") " +
            "UNION ALL SELECT id, class_name, data, qualifiers, posted_at FROM posted_taken WHERE id > $2 AND id <= $3 AND lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") " +
            "ORDER BY id LIMIT $4";

        public void ReleaseLeased(string owner, IReadOnlyList<long> ids, int from, int count)
        {
            if (count <= 0) return;
            _repository.NonQuery("UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL WHERE lease_owner = $1 AND id = ANY($2)",
                owner, Ids(ids, from, count));
        }

        public void DeleteByClass(string ns, string className)
        {
            _repository.NonQuery("DELETE FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND lower(class_name COLLATE \"C\") = lower($2 COLLATE \"C\")", ns, className);
            _repository.NonQuery("DELETE FROM posted_taken WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND lower(class_name COLLATE \"C\") = lower($2 COLLATE \"C\")", ns, className);
        }

        public long CountByClass(string ns, string className) =>
            _repository.ScalarInt64("SELECT count(*) FROM posted WHERE lower(namespace COLLATE \"C\") = lower($1 COLLATE \"C\") AND lower(class_name COLLATE \"C\") = lower($2 COLLATE \"C\")", ns, className);

        public void PurgeTaken(long cutoffMs) => _repository.NonQuery("DELETE FROM posted_taken WHERE taken_ms <= $1", cutoffMs);

        public long LastSequence() =>
            _repository.ScalarInt64("SELECT greatest(coalesce((SELECT max(id) FROM posted), 0), coalesce((SELECT max(id) FROM posted_taken), 0))");

        public List<StoredPosted> Observe(string ns, long afterId, long upToId, int size)
        {
            if (upToId <= afterId) return new List<StoredPosted>();
            return _repository.Rows(ObserveSql, ReadPosted, ns, afterId, upToId, size);
        }

        private static StoredPosted ReadPosted(Npgsql.NpgsqlDataReader r) => new StoredPosted
        {
            Id = r.GetInt64(0),
            ClassName = r.GetString(1),
            Data = r.GetString(2),
            Qualifiers = r.IsDBNull(3) ? null : r.GetString(3),
            PostedAt = r.GetString(4),
        };

        private static long[] Ids(IReadOnlyList<long> ids, int from, int count)
        {
            int n = System.Math.Max(0, System.Math.Min(count, ids.Count - from));
            var result = new long[n];
            for (int i = 0; i < n; i++) result[i] = ids[from + i];
            return result;
        }
    }
}
