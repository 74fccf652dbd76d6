using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>The instances table: one row per instance, UNIQUE(key_root_id, key). Statements are prepared once per connection.</summary>
    internal sealed class SqliteInstanceStore : IInstanceStore
    {
        private readonly SqliteRepository _repository;

        public SqliteInstanceStore(SqliteRepository repository) { _repository = repository; }

        /// <summary>The one writer holds the file's write lock already: the same as <see cref="Find"/>.</summary>
        public StoredInstance? FindForWrite(long keyRootId, string key) => Find(keyRootId, key);

        public StoredInstance? Find(long keyRootId, string key)
        {
            try
            {
                var statement = _repository.Statement("SELECT id, class_id, data, qualifiers FROM instances WHERE key_root_id = ?1 AND key = ?2");
                try
                {
                    statement.Bind(1, keyRootId);
                    statement.Bind(2, key);
                    if (!statement.Step()) return null;
                    return new StoredInstance
                    {
                        Id = statement.Int64(0),
                        ClassId = statement.Int64(1),
                        Data = statement.Text(2) ?? "",
                        Qualifiers = statement.Text(3),
                    };
                }
                finally
                {
                    statement.Reset();
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public bool TryInsert(long classId, long keyRootId, string key, string data, string? qualifiers, IReadOnlyList<StoredReference>? references)
        {
            try
            {
                // The only constraint an insert can break is the identity's UNIQUE(key_root_id, key): a taken key inserts
                // nothing (no exception: a create-or-update that expected a new key falls back to an update cheaply).
                var insert = _repository.Statement("INSERT INTO instances(class_id, key_root_id, key, data, qualifiers) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
                try
                {
                    insert.Bind(1, classId);
                    insert.Bind(2, keyRootId);
                    insert.Bind(3, key);
                    insert.Bind(4, data);
                    insert.Bind(5, qualifiers);
                    insert.Step();
                    if (insert.Changes() == 0) return false;
                    if (references != null && references.Count > 0) InsertReferences(insert.LastInsertRowId(), classId, references);
                    return true;
                }
                finally
                {
                    insert.Reset();
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void Update(long id, long classId, string data, string? qualifiers, IReadOnlyList<StoredReference>? references)
        {
            try
            {
                var update = _repository.Statement("UPDATE instances SET data = ?1, qualifiers = ?2 WHERE id = ?3");
                try
                {
                    update.Bind(1, data);
                    update.Bind(2, qualifiers);
                    update.Bind(3, id);
                    update.Step();
                }
                finally
                {
                    update.Reset();
                }
                if (references != null) SetReferences(id, classId, references);
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void Delete(long id)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id = $id", ("$id", id));
            _repository.NonQuery("DELETE FROM instances WHERE id = $id", ("$id", id));
        }

        public long DeleteByClass(long classId)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id IN (SELECT id FROM instances WHERE class_id = $c)", ("$c", classId));
            return _repository.NonQuery("DELETE FROM instances WHERE class_id = $c", ("$c", classId));
        }

        public void SetReferences(long id, long classId, IReadOnlyList<StoredReference> references)
        {
            _repository.NonQuery("DELETE FROM instance_references WHERE instance_id = $id", ("$id", id));
            if (references.Count > 0) InsertReferences(id, classId, references);
        }

        private void InsertReferences(long id, long classId, IReadOnlyList<StoredReference> references)
        {
            try
            {
                // From format 8 the row notes the target's id as a hint (RepositorySchema.TargetIdFormat).
                var insert = _repository.Statement(_repository.FormatVersion >= RepositorySchema.TargetIdFormat
                    ? "INSERT INTO instance_references(instance_id, property, class_id, target_root_id, target_key, target_id) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT i.id FROM instances i WHERE i.key_root_id = ?4 AND i.key = ?5))"
                    : "INSERT INTO instance_references(instance_id, property, class_id, target_root_id, target_key) VALUES (?1, ?2, ?3, ?4, ?5)");
                foreach (var reference in references)
                {
                    try
                    {
                        insert.Bind(1, id);
                        insert.Bind(2, reference.Property);
                        insert.Bind(3, classId);
                        insert.Bind(4, reference.TargetRootId);
                        insert.Bind(5, reference.TargetKey);
                        insert.Step();
                    }
                    finally
                    {
                        insert.Reset();
                    }
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public List<StoredReferrer> FindReferrers(long targetRootId, string targetKey)
        {
            var result = new List<StoredReferrer>();
            try
            {
                var statement = _repository.Statement("SELECT i.id, i.class_id, n.name, r.property, i.data, i.qualifiers FROM instance_references r JOIN instances i ON i.id = r.instance_id JOIN classes c ON c.id = i.class_id JOIN namespaces n ON n.id = c.namespace_id WHERE r.target_root_id = ?1 AND r.target_key = ?2 ORDER BY i.id");
                try
                {
                    statement.Bind(1, targetRootId);
                    statement.Bind(2, targetKey);
                    while (statement.Step())
                        result.Add(new StoredReferrer
                        {
                            Id = statement.Int64(0),
                            ClassId = statement.Int64(1),
                            Namespace = statement.Text(2) ?? "",
                            Property = statement.Text(3) ?? "",
                            Data = statement.Text(4) ?? "",
                            Qualifiers = statement.Text(5),
                        });
                }
                finally
                {
                    statement.Reset();
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
            return result;
        }

        // The index joined to itself on the association instance (its other references), then to each target.
        private const string AssociatesHead = "SELECT r1.class_id, an.name, r1.property, r2.property, t.id, t.class_id, tn.name, t.data, t.qualifiers FROM instance_references r1 JOIN classes ac ON ac.id = r1.class_id JOIN namespaces an ON an.id = ac.namespace_id JOIN instance_references r2 ON r2.instance_id = r1.instance_id AND r2.property <> r1.property ";
        private const string AssociatesTail = "JOIN classes tc ON tc.id = t.class_id JOIN namespaces tn ON tn.id = tc.namespace_id WHERE r1.target_root_id = ?1 AND r1.target_key = ?2 ORDER BY r1.instance_id, r2.property";

        private const string AssociatesSql = AssociatesHead + "JOIN instances t ON t.key_root_id = r2.target_root_id AND t.key = r2.target_key " + AssociatesTail;

        // The same rows, each target read by its id hint when the row of that id still has the reference's key root
        // and key (one read by id), else found through the key index as above (no hint, a target deleted and made
        // again, an id reused). COALESCE evaluates the key search only when the hint fails.
        private const string AssociatesByHintSql = AssociatesHead + "JOIN instances t ON t.id = COALESCE((SELECT h.id FROM instances h WHERE h.id = r2.target_id AND h.key_root_id = r2.target_root_id AND h.key = r2.target_key), (SELECT k.id FROM instances k WHERE k.key_root_id = r2.target_root_id AND k.key = r2.target_key)) " + AssociatesTail;

        public List<StoredAssociate> FindAssociates(long targetRootId, string targetKey)
        {
            var result = new List<StoredAssociate>();
            try
            {
                var statement = _repository.Statement(_repository.FormatVersion >= RepositorySchema.TargetIdFormat ? AssociatesByHintSql : AssociatesSql);
                try
                {
                    statement.Bind(1, targetRootId);
                    statement.Bind(2, targetKey);
                    while (statement.Step())
                        result.Add(new StoredAssociate
                        {
                            AssociationClassId = statement.Int64(0),
                            AssociationNamespace = statement.Text(1) ?? "",
                            Role = statement.Text(2) ?? "",
                            ResultRole = statement.Text(3) ?? "",
                            Id = statement.Int64(4),
                            ClassId = statement.Int64(5),
                            Namespace = statement.Text(6) ?? "",
                            Data = statement.Text(7) ?? "",
                            Qualifiers = statement.Text(8),
                        });
                }
                finally
                {
                    statement.Reset();
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
            return result;
        }

        public bool ReferenceIndexPending =>
            _repository.ScalarInt64("SELECT EXISTS(SELECT 1 FROM cimlite_format WHERE name = 'references_pending')") != 0;

        public void ReferenceIndexBuilt() => _repository.NonQuery("DELETE FROM cimlite_format WHERE name = 'references_pending'");

        public List<StoredInstance> ReadClass(long classId)
        {
            var result = new List<StoredInstance>();
            _repository.BeginScan();
            try
            {
                using (var command = _repository.NewCommand("SELECT id, data, qualifiers FROM instances WHERE class_id = $c ORDER BY id"))
                {
                    command.Parameters.AddWithValue("$c", classId);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                            result.Add(new StoredInstance { Id = reader.GetInt64(0), ClassId = classId, Data = reader.GetString(1), Qualifiers = reader.IsDBNull(2) ? null : reader.GetString(2) });
                }
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
            finally
            {
                _repository.EndScan();
            }
            return result;
        }

        public long CountByClass(long classId) => _repository.ScalarInt64("SELECT count(*) FROM instances WHERE class_id = $c", ("$c", classId));

        public bool AnyOfClassOrKeyRoot(long classId) =>
            _repository.ScalarInt64("SELECT EXISTS(SELECT 1 FROM instances WHERE class_id = $id OR key_root_id = $id)", ("$id", classId)) != 0;

        public IStoredRows ScanClass(long classId) =>
            SqliteStoredRows.Start(_repository, _repository.NewCommand("SELECT data, qualifiers FROM instances WHERE class_id = $c ORDER BY id"),
                command => command.Parameters.AddWithValue("$c", classId), scan: true);
    }
}
