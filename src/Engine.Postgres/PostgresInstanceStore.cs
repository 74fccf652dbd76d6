using System.Collections.Generic;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// The instances table (UNIQUE(key_root_id, key)) and the reference index. An insert whose identity is taken is
    /// <c>ON CONFLICT DO NOTHING</c>, never an error: a failed statement would abort the whole PostgreSQL transaction
    /// (a put batch goes on after a refused item). At READ COMMITTED it waits for a concurrent uncommitted insert of the
    /// same identity and then reports the key taken (that writer committed) or inserts (it rolled back): one creator
    /// wins. <see cref="FindForWrite"/> inside an instance write locks the row it returns (<c>FOR UPDATE</c>).
    /// </summary>
    internal sealed class PostgresInstanceStore : IInstanceStore
    {
        private readonly PostgresRepository _repository;

        public PostgresInstanceStore(PostgresRepository repository) { _repository = repository; }

        public StoredInstance? Find(long keyRootId, string key)
        {
            long answered = ((PostgresClassStore)_repository.Classes).TakeUnchecked();
            if (answered >= 0) return FindChecked(keyRootId, key, answered);
            var rows = _repository.Rows("SELECT id, class_id, data, qualifiers FROM instances WHERE key_root_id = $1 AND key = $2",
                ReadRow, keyRootId, PostgresKeys.Stored(key));
            return Row(rows);
        }

        /// <summary>
        /// Inside an instance write the row is locked until commit: a concurrent writer of the same instance waits, then
        /// reads the committed version (READ COMMITTED rereads a locked row that changed), so no partial update is lost and
        /// a delete and a put of one instance come one after the other.
        /// </summary>
        public StoredInstance? FindForWrite(long keyRootId, string key) => !_repository.LocksInstanceRows ? Find(keyRootId, key) :
            Row(_repository.Rows("SELECT id, class_id, data, qualifiers FROM instances WHERE key_root_id = $1 AND key = $2 FOR UPDATE", ReadRow, keyRootId, PostgresKeys.Stored(key)));

        private static StoredInstance ReadRow(Npgsql.NpgsqlDataReader r) =>
            new StoredInstance { Id = r.GetInt64(0), ClassId = r.GetInt64(1), Data = r.GetString(2), Qualifiers = r.IsDBNull(3) ? null : r.GetString(3) };

        private static StoredInstance? Row(List<StoredInstance> rows) => rows.Count == 0 ? null : rows[0];

        /// <summary>
        /// Find with the schema generation read in the same statement (one round trip: IDeferredGenerationCheck). When it
        /// differs from the generation the engine was answered, the read fails as "busy" and the busy retry reruns it.
        /// </summary>
        private StoredInstance? FindChecked(long keyRootId, string key, long answered)
        {
            var rows = _repository.Rows("SELECT g.value::bigint, i.id, i.class_id, i.data, i.qualifiers FROM cimlite_format g LEFT JOIN instances i ON i.key_root_id = $1 AND i.key = $2 WHERE g.name = 'schema_generation'",
                r => (Generation: r.GetInt64(0), Row: r.IsDBNull(1) ? null : new StoredInstance { Id = r.GetInt64(1), ClassId = r.GetInt64(2), Data = r.GetString(3), Qualifiers = r.IsDBNull(4) ? null : r.GetString(4) }),
                keyRootId, PostgresKeys.Stored(key));
            long generation = rows.Count == 0 ? -1 : rows[0].Generation;
            ((PostgresClassStore)_repository.Classes).Seen(generation);
            if (generation != answered)
                throw new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(_repository.Path)) { IsStorageFailure = true, IsStorageBusy = true };
            return rows[0].Row;
        }

        public bool TryInsert(long classId, long keyRootId, string key, string data, string? qualifiers, IReadOnlyList<StoredReference>? references)
        {
            var ids = _repository.Rows("INSERT INTO instances(class_id, key_root_id, key, data, qualifiers) VALUES ($1, $2, $3, $4, $5::text) ON CONFLICT ON CONSTRAINT instances_identity DO NOTHING RETURNING id",
                r => r.GetInt64(0), classId, keyRootId, PostgresKeys.Stored(key), data, qualifiers);
            if (ids.Count == 0) return false;
            if (references != null && references.Count > 0) InsertReferences(ids[0], classId, references);
            return true;
        }

        public void Update(long id, long classId, string data, string? qualifiers, IReadOnlyList<StoredReference>? references)
        {
            _repository.NonQuery("UPDATE instances SET data = $1, qualifiers = $2::text WHERE id = $3", data, qualifiers, id);
            if (references != null) SetReferences(id, classId, references);
        }

        public void Delete(long id)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id = $1", id);
            _repository.NonQuery("DELETE FROM instances WHERE id = $1", id);
        }

        public long DeleteByClass(long classId)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id IN (SELECT id FROM instances WHERE class_id = $1)", classId);
            return _repository.NonQuery("DELETE FROM instances WHERE class_id = $1", classId);
        }

        public void SetReferences(long id, long classId, IReadOnlyList<StoredReference> references)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id = $1", id);
            if (references.Count > 0) InsertReferences(id, classId, references);
        }

        /// <summary>All references of one instance in one statement: the columns bound as arrays and unnested.</summary>
        private void InsertReferences(long id, long classId, IReadOnlyList<StoredReference> references)
        {
            var properties = new string[references.Count];
            var roots = new long[references.Count];
            var keys = new string[references.Count];
            for (int i = 0; i < references.Count; i++)
            {
                properties[i] = references[i].Property;
                roots[i] = references[i].TargetRootId;
                keys[i] = PostgresKeys.Stored(references[i].TargetKey);
            }
            _repository.NonQuery(_repository.FormatVersion >= PostgresSchema.TargetIdFormat
                    ? "INSERT INTO instance_references(instance_id, property, class_id, target_root_id, target_key, target_id) SELECT $1, p, $2, r, k, (SELECT i.id FROM instances i WHERE i.key_root_id = r AND i.key = k) FROM unnest($3::text[], $4::bigint[], $5::text[]) AS t(p, r, k)"
                    : "INSERT INTO instance_references(instance_id, property, class_id, target_root_id, target_key) SELECT $1, p, $2, r, k FROM unnest($3::text[], $4::bigint[], $5::text[]) AS t(p, r, k)",
                id, classId, properties, roots, keys);
        }

        public List<StoredReferrer> FindReferrers(long targetRootId, string targetKey) =>
            _repository.Rows("SELECT i.id, i.class_id, n.name, r.property, i.data, i.qualifiers FROM instance_references r JOIN instances i ON i.id = r.instance_id JOIN classes c ON c.id = i.class_id JOIN namespaces n ON n.id = c.namespace_id WHERE r.target_root_id = $1 AND r.target_key = $2 ORDER BY i.id",
                r => new StoredReferrer
                {
                    Id = r.GetInt64(0),
                    ClassId = r.GetInt64(1),
                    Namespace = r.GetString(2),
                    Property = r.GetString(3),
                    Data = r.GetString(4),
                    Qualifiers = r.IsDBNull(5) ? null : r.GetString(5),
                },
                targetRootId, PostgresKeys.Stored(targetKey));

        private const string AssociatesHead = "SELECT r1.class_id, an.name, r1.property, r2.property, t.id, t.class_id, tn.name, t.data, t.qualifiers FROM instance_references r1 JOIN classes ac ON ac.id = r1.class_id JOIN namespaces an ON an.id = ac.namespace_id JOIN instance_references r2 ON r2.instance_id = r1.instance_id AND lower(r2.property COLLATE \"C\") <> lower(r1.property COLLATE \"C\") ";
        private const string AssociatesTail = "JOIN classes tc ON tc.id = t.class_id JOIN namespaces tn ON tn.id = tc.namespace_id WHERE r1.target_root_id = $1 AND r1.target_key = $2 ORDER BY r1.instance_id, lower(r2.property COLLATE \"C\")";

        private const string AssociatesSql = AssociatesHead + "JOIN instances t ON t.key_root_id = r2.target_root_id AND t.key = r2.target_key " + AssociatesTail;

        // As the SQLite store: the target by its id hint when that row still has the reference's key, else by key.
        private const string AssociatesByHintSql = AssociatesHead + "JOIN instances t ON t.id = COALESCE((SELECT h.id FROM instances h WHERE h.id = r2.target_id AND h.key_root_id = r2.target_root_id AND h.key = r2.target_key), (SELECT k.id FROM instances k WHERE k.key_root_id = r2.target_root_id AND k.key = r2.target_key)) " + AssociatesTail;

        public List<StoredAssociate> FindAssociates(long targetRootId, string targetKey) =>
            _repository.Rows(_repository.FormatVersion >= PostgresSchema.TargetIdFormat ? AssociatesByHintSql : AssociatesSql,
                r => new StoredAssociate
                {
                    AssociationClassId = r.GetInt64(0),
                    AssociationNamespace = r.GetString(1),
                    Role = r.GetString(2),
                    ResultRole = r.GetString(3),
                    Id = r.GetInt64(4),
                    ClassId = r.GetInt64(5),
                    Namespace = r.GetString(6),
                    Data = r.GetString(7),
                    Qualifiers = r.IsDBNull(8) ? null : r.GetString(8),
                },
                targetRootId, PostgresKeys.Stored(targetKey));

        public bool ReferenceIndexPending =>
            _repository.ScalarInt64("SELECT count(*) FROM cimlite_format WHERE name = 'references_pending'") != 0;

        public void ReferenceIndexBuilt() => _repository.NonQuery("DELETE FROM cimlite_format WHERE name = 'references_pending'");

        public List<StoredInstance> ReadClass(long classId) =>
            _repository.Rows("SELECT id, data, qualifiers FROM instances WHERE class_id = $1 ORDER BY id",
                r => new StoredInstance { Id = r.GetInt64(0), ClassId = classId, Data = r.GetString(1), Qualifiers = r.IsDBNull(2) ? null : r.GetString(2) },
                classId);

        public long CountByClass(long classId) => _repository.ScalarInt64("SELECT count(*) FROM instances WHERE class_id = $1", classId);

        public bool AnyOfClassOrKeyRoot(long classId) =>
            _repository.ScalarInt64("SELECT count(*) FROM (SELECT 1 FROM instances WHERE class_id = $1 OR key_root_id = $1 LIMIT 1) AS any", classId) != 0;

        public IStoredRows ScanClass(long classId) =>
            new PostgresStoredRows(_repository, "SELECT id, data, qualifiers FROM instances WHERE class_id = $3 AND id > $1 ORDER BY id LIMIT $2", new object?[] { classId });
    }
}
