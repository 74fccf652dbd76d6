using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>The namespaces, classes and qualifier_types tables and the schema generation in cimlite_format.</summary>
    internal sealed class SqliteClassStore : IClassStore
    {
        private readonly SqliteRepository _repository;

        public SqliteClassStore(SqliteRepository repository) { _repository = repository; }

        public long SchemaGeneration()
        {
            try
            {
                var statement = _repository.Statement("SELECT CAST(value AS INTEGER) FROM cimlite_format WHERE name = 'schema_generation'");
                try
                {
                    return statement.Step() ? statement.Int64(0) : 0;
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

        public void BumpSchemaGeneration() =>
            _repository.NonQuery("UPDATE cimlite_format SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE name = 'schema_generation'");

        public List<KeyValuePair<long, string>> Namespaces()
        {
            try
            {
                var result = new List<KeyValuePair<long, string>>();
                using (var reader = _repository.Command("SELECT id, name FROM namespaces").ExecuteReader())
                    while (reader.Read())
                        result.Add(new KeyValuePair<long, string>(reader.GetInt64(0), reader.GetString(1)));
                return result;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public long InsertNamespace(string name) =>
            _repository.ScalarInt64("INSERT INTO namespaces(name) VALUES ($name) RETURNING id", ("$name", name));

        public List<StoredClass> Classes(long namespaceId)
        {
            try
            {
                var result = new List<StoredClass>();
                using (var command = _repository.NewCommand("SELECT id, name, superclass_id, definition, amended FROM classes WHERE namespace_id = $ns"))
                {
                    command.Parameters.AddWithValue("$ns", namespaceId);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                            result.Add(new StoredClass
                            {
                                Id = reader.GetInt64(0),
                                Name = reader.GetString(1),
                                SuperclassId = reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2),
                                Definition = reader.GetString(3),
                                Amended = reader.IsDBNull(4) ? null : reader.GetString(4),
                            });
                }
                return result;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public long InsertClass(long namespaceId, string name, long? superclassId, string definition, string? amended) =>
            _repository.ScalarInt64("INSERT INTO classes(namespace_id, name, superclass_id, definition, amended) VALUES ($ns, $name, $super, $def, $amended) RETURNING id",
                ("$ns", namespaceId), ("$name", name), ("$super", superclassId), ("$def", definition), ("$amended", amended));

        public void UpdateClass(long id, long? superclassId, string definition, string? amended) =>
            _repository.NonQuery("UPDATE classes SET superclass_id = $super, definition = $def, amended = $amended WHERE id = $id",
                ("$id", id), ("$super", superclassId), ("$def", definition), ("$amended", amended));

        public void DeleteClass(long id) => _repository.NonQuery("DELETE FROM classes WHERE id = $c", ("$c", id));

        public List<string> QualifierDeclarations(long namespaceId)
        {
            var result = new List<string>();
            // A format-1 or 2 file opened read-only (not migrated) has no qualifier_types table: it declares none.
            if (_repository.FormatVersion < 3) return result;
            try
            {
                using (var command = _repository.NewCommand("SELECT definition FROM qualifier_types WHERE namespace_id = $ns"))
                {
                    command.Parameters.AddWithValue("$ns", namespaceId);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) result.Add(reader.GetString(0));
                }
                return result;
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public void InsertQualifierDeclaration(long namespaceId, string name, string definition) =>
            _repository.NonQuery("INSERT INTO qualifier_types(namespace_id, name, definition) VALUES ($ns, $name, $def)",
                ("$ns", namespaceId), ("$name", name), ("$def", definition));

        public void UpdateQualifierDeclaration(long namespaceId, string name, string definition) =>
            _repository.NonQuery("UPDATE qualifier_types SET name = $name, definition = $def WHERE namespace_id = $ns AND name = $name",
                ("$ns", namespaceId), ("$name", name), ("$def", definition));
    }
}
