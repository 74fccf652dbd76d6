using System.Collections.Generic;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// The namespaces, classes and qualifier_types tables and the schema generation in cimlite_format. Every write first
    /// makes sure the transaction holds the schema's writers lock exclusive (<see cref="PostgresRepository.RequireSchemaLock"/>).
    /// </summary>
    internal sealed class PostgresClassStore : IClassStore
    {
        private readonly PostgresRepository _repository;

        public PostgresClassStore(PostgresRepository repository) { _repository = repository; }

        // The deferred generation check (IDeferredGenerationCheck): the generation last read, whether a scope is open,
        // and the generation answered in the scope without a read (-1: none), which the next Find checks.
        private long _known = -1;
        private bool _deferring;
        private long _answered = -1;

        public long SchemaGeneration()
        {
            if (_deferring && _known >= 0 && !_repository.InTransaction)
            {
                _answered = _known;
                return _known;
            }
            return _known = ReadGeneration();
        }

        private long ReadGeneration() =>
            _repository.ScalarInt64("SELECT value::bigint FROM cimlite_format WHERE name = 'schema_generation'");

        public void BumpSchemaGeneration()
        {
            _known = -1;
            _repository.RequireSchemaLock();
            _repository.NonQuery("UPDATE cimlite_format SET value = (value::bigint + 1)::text WHERE name = 'schema_generation'");
        }

        /// <summary>Opens the scope in which <see cref="SchemaGeneration"/> may answer the generation last read.</summary>
        internal System.IDisposable Defer()
        {
            _deferring = true;
            _answered = -1;
            return new Scope(this);
        }

        private sealed class Scope : System.IDisposable
        {
            private PostgresClassStore? _store;

            public Scope(PostgresClassStore store) { _store = store; }

            public void Dispose()
            {
                var store = _store;
                _store = null;
                if (store == null) return;
                store._deferring = false;
                store._answered = -1;
            }
        }

        /// <summary>The generation answered unchecked in the scope (then cleared), or -1 when none is pending: the next Find checks it.</summary>
        internal long TakeUnchecked()
        {
            if (_repository.InTransaction) return -1;
            var answered = _answered;
            _answered = -1;
            return answered;
        }

        /// <summary>What a Find that read the stored generation with its row saw.</summary>
        internal void Seen(long generation) => _known = generation;

        /// <summary>True when a generation answered unchecked differs from the stored one (read now).</summary>
        internal bool GenerationChanged()
        {
            var answered = TakeUnchecked();
            if (answered < 0) return false;
            _known = ReadGeneration();
            return _known != answered;
        }

        public List<KeyValuePair<long, string>> Namespaces() =>
            _repository.Rows("SELECT id, name FROM namespaces ORDER BY id", r => new KeyValuePair<long, string>(r.GetInt64(0), r.GetString(1)));

        public long InsertNamespace(string name)
        {
            _repository.RequireSchemaLock();
            return _repository.ScalarInt64("INSERT INTO namespaces(name) VALUES ($1) RETURNING id", name);
        }

        public List<StoredClass> Classes(long namespaceId) =>
            _repository.Rows("SELECT id, name, superclass_id, definition, amended FROM classes WHERE namespace_id = $1 ORDER BY id",
                r => new StoredClass
                {
                    Id = r.GetInt64(0),
                    Name = r.GetString(1),
                    SuperclassId = r.IsDBNull(2) ? (long?)null : r.GetInt64(2),
                    Definition = r.GetString(3),
                    Amended = r.IsDBNull(4) ? null : r.GetString(4),
                },
                namespaceId);

        public long InsertClass(long namespaceId, string name, long? superclassId, string definition, string? amended)
        {
            _repository.RequireSchemaLock();
            return _repository.ScalarInt64("INSERT INTO classes(namespace_id, name, superclass_id, definition, amended) VALUES ($1, $2, $3::bigint, $4, $5::text) RETURNING id",
                namespaceId, name, superclassId, definition, amended);
        }

        public void UpdateClass(long id, long? superclassId, string definition, string? amended)
        {
            _repository.RequireSchemaLock();
            _repository.NonQuery("UPDATE classes SET superclass_id = $1::bigint, definition = $2, amended = $3::text WHERE id = $4",
                superclassId, definition, amended, id);
        }

        public void DeleteClass(long id)
        {
            _repository.RequireSchemaLock();
            _repository.NonQuery("DELETE FROM classes WHERE id = $1", id);
        }

        public List<string> QualifierDeclarations(long namespaceId) =>
            _repository.Rows("SELECT definition FROM qualifier_types WHERE namespace_id = $1 ORDER BY id", r => r.GetString(0), namespaceId);

        public void InsertQualifierDeclaration(long namespaceId, string name, string definition)
        {
            _repository.RequireSchemaLock();
            _repository.NonQuery("INSERT INTO qualifier_types(namespace_id, name, definition) VALUES ($1, $2, $3)", namespaceId, name, definition);
        }

        public void UpdateQualifierDeclaration(long namespaceId, string name, string definition)
        {
            _repository.RequireSchemaLock();
            _repository.NonQuery("UPDATE qualifier_types SET name = $2, definition = $3 WHERE namespace_id = $1 AND lower(name COLLATE \"C\") = lower($2 COLLATE \"C\")",
                namespaceId, name, definition);
        }
    }
}
