using System;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>The instances table: one row per instance, UNIQUE(key_root_id, key). Statements are prepared once per connection.</summary>
    internal sealed class SqliteInstanceStore : IInstanceStore
    {
        private const int SqliteConstraint = 19;
        private const int SqliteConstraintUnique = 2067;
        private readonly SqliteRepository _repository;

        public SqliteInstanceStore(SqliteRepository repository) { _repository = repository; }

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

        public bool TryInsert(long classId, long keyRootId, string key, string data, string? qualifiers)
        {
            try
            {
                var insert = _repository.Statement("INSERT INTO instances(class_id, key_root_id, key, data, qualifiers) VALUES (?1, ?2, ?3, ?4, ?5)");
                try
                {
                    insert.Bind(1, classId);
                    insert.Bind(2, keyRootId);
                    insert.Bind(3, key);
                    insert.Bind(4, data);
                    insert.Bind(5, qualifiers);
                    insert.Step();
                    return true;
                }
                catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint && e.SqliteExtendedErrorCode == SqliteConstraintUnique)
                {
                    // The only constraint an insert can break is the identity's UNIQUE(key_root_id, key).
                    return false;
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

        public void Update(long id, string data, string? qualifiers)
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
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void Delete(long id) => _repository.NonQuery("DELETE FROM instances WHERE id = $id", ("$id", id));

        public long DeleteByClass(long classId) => _repository.NonQuery("DELETE FROM instances WHERE class_id = $c", ("$c", classId));

        public long CountByClass(long classId) => _repository.ScalarInt64("SELECT count(*) FROM instances WHERE class_id = $c", ("$c", classId));

        public bool AnyOfClassOrKeyRoot(long classId) =>
            _repository.ScalarInt64("SELECT EXISTS(SELECT 1 FROM instances WHERE class_id = $id OR key_root_id = $id)", ("$id", classId)) != 0;

        public IStoredRows ScanClass(long classId) =>
            SqliteStoredRows.Start(_repository, _repository.NewCommand("SELECT data, qualifiers FROM instances WHERE class_id = $c ORDER BY id"),
                command => command.Parameters.AddWithValue("$c", classId));
    }
}
