using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage
{
    /// <summary>The repository's tables, its format version and the identity CimLite stamps on its files.</summary>
    internal static class RepositorySchema
    {
        /// <summary>The format this version of CimLite writes. Raise it with a numbered migration.</summary>
        public const int FormatVersion = 8;

        /// <summary>
        /// The first format with the posted_taken table (taken indications kept for subscribers for a while). Its
        /// own constant so that renumbering the migration (when another one lands first) changes one line here.
        /// </summary>
        public const int TakenTableFormat = 7;

        /// <summary>
        /// The first format whose reference rows carry <c>target_id</c>: the id the referenced instance had when the
        /// reference was written (NULL when it did not exist), a hint that lets following an association read the
        /// target's row by id instead of searching the key index (engine.associatorsScaling). Only a hint: a reader
        /// takes it only when that row still has the reference's key root and key, and searches the key otherwise.
        /// </summary>
        public const int TargetIdFormat = 8;

        /// <summary>PRAGMA application_id of CimLite repositories: 'CIML'.</summary>
        public const int ApplicationId = 0x43494D4C;

        public const string CreateV1 = @"
CREATE TABLE cimlite_format(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE namespaces(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE classes(
    id INTEGER PRIMARY KEY,
    namespace_id INTEGER NOT NULL REFERENCES namespaces(id),
    name TEXT NOT NULL COLLATE NOCASE,
    superclass_id INTEGER REFERENCES classes(id),
    definition TEXT NOT NULL,
    amended TEXT,
    UNIQUE(namespace_id, name));
CREATE TABLE instances(
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    key_root_id INTEGER NOT NULL REFERENCES classes(id),
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    qualifiers TEXT,
    UNIQUE(key_root_id, key));
CREATE INDEX instances_by_class ON instances(class_id, id);
INSERT INTO namespaces(name) VALUES ('root'), ('root/cimv2');
";

        /// <summary>
        /// Numbered migrations: <c>Migrations[i]</c> takes a repository from format <c>i + 1</c> to <c>i + 2</c>.
        /// A new repository is created at format 1 and migrated, so every path is exercised.
        /// </summary>
        public static readonly string[] Migrations =
        {
            // 1 -> 2: the durable posted queue (indications in posting order; AUTOINCREMENT never reuses ids).
            @"
CREATE TABLE posted(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace TEXT NOT NULL COLLATE NOCASE,
    class_name TEXT NOT NULL COLLATE NOCASE,
    data TEXT NOT NULL,
    qualifiers TEXT,
    posted_at TEXT NOT NULL);
CREATE INDEX posted_by_class ON posted(namespace, class_name, id);
",
            // 2 -> 3 (MOF): qualifier declarations per namespace (type, default, scopes, flavors as JSON).
            @"
CREATE TABLE qualifier_types(
    id INTEGER PRIMARY KEY,
    namespace_id INTEGER NOT NULL REFERENCES namespaces(id),
    name TEXT NOT NULL COLLATE NOCASE,
    definition TEXT NOT NULL,
    UNIQUE(namespace_id, name));
",
            // 3 -> 4: leases on the posted queue. A reader leases a batch (owner: its session id, process id and
            // process start time; expiry in Unix milliseconds), hands it out, then deletes what was taken; a lease
            // whose owner process is gone or whose expiry passed is reclaimed by the next reader.
            @"
ALTER TABLE posted ADD COLUMN lease_owner TEXT;
ALTER TABLE posted ADD COLUMN lease_pid INTEGER;
ALTER TABLE posted ADD COLUMN lease_started INTEGER;
ALTER TABLE posted ADD COLUMN lease_expires INTEGER;
CREATE INDEX posted_leased ON posted(lease_owner) WHERE lease_owner IS NOT NULL;
",
            // 4 -> 5: the queue in posting order per namespace. A take reads the next batch after the last sequence it
            // read by walking this index, instead of sorting the namespace's rows (posted_by_class) for every batch.
            @"
CREATE INDEX posted_in_order ON posted(namespace, id);
",
            // 5 -> 6 (associations): the reference index. One row per reference property value of a stored instance,
            // naming the referenced instance by its identity (key-defining class, key text), so that following an
            // association is an index lookup. The values already stored are indexed by the engine when the session
            // opens (it knows the classes and key rules); the marker row says that is still to do. WITHOUT ROWID,
            // clustered by instance: an instance's references sit together, and the target index (which carries the
            // primary key) covers the lookup of the referring instances; class_id (the referring instance's class)
            // spares reading the instance row to filter by association class.
            @"
CREATE TABLE instance_references(
    instance_id INTEGER NOT NULL,
    property TEXT NOT NULL COLLATE NOCASE,
    class_id INTEGER NOT NULL,
    target_root_id INTEGER NOT NULL,
    target_key TEXT NOT NULL,
    PRIMARY KEY(instance_id, property)) WITHOUT ROWID;
CREATE INDEX instance_references_by_target ON instance_references(target_root_id, target_key);
INSERT INTO cimlite_format(name, value) SELECT 'references_pending', '1' WHERE EXISTS (SELECT 1 FROM instances);
",
            // 6 -> 7 (indication subscriptions, Register-CimLiteIndicationEvent): what a consumer takes from the posted
            // queue moves here, same id, with the time it was taken (Unix ms), and is purged after a retention window.
            // Subscribers observe both tables by id (their high-water mark), so a consumer in another process that
            // takes an indication before a subscriber polled does not hide it from the subscriber.
            @"
CREATE TABLE posted_taken(
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL COLLATE NOCASE,
    class_name TEXT NOT NULL COLLATE NOCASE,
    data TEXT NOT NULL,
    qualifiers TEXT,
    posted_at TEXT NOT NULL,
    taken_ms INTEGER NOT NULL);
CREATE INDEX posted_taken_by_time ON posted_taken(taken_ms);
",
            // 7 -> 8: the reference rows' target id hint (TargetIdFormat), filled for the references already stored.
            @"
ALTER TABLE instance_references ADD COLUMN target_id INTEGER;
UPDATE instance_references SET target_id = (SELECT i.id FROM instances i WHERE i.key_root_id = instance_references.target_root_id AND i.key = instance_references.target_key);
",
        };

        private static readonly Dictionary<int, Dictionary<(string Type, string Name), (string Table, string? Sql)>> Expected =
            new Dictionary<int, Dictionary<(string Type, string Name), (string Table, string? Sql)>>();

        /// <summary>
        /// The schema objects (type, name → table, normalized SQL) a repository of format <paramref name="version"/>
        /// holds: read from a scratch in-memory database built by the same statements (CreateV1, then the
        /// migrations), so they are exactly what this SQLite library records for them. Built once per format.
        /// </summary>
        public static Dictionary<(string Type, string Name), (string Table, string? Sql)> ExpectedObjects(int version)
        {
            lock (Expected)
            {
                if (Expected.TryGetValue(version, out var known)) return known;
                var objects = new Dictionary<(string, string), (string, string?)>();
                using (var scratch = new SqliteConnection("Data Source=:memory:"))
                {
                    scratch.Open();
                    void Run(string sql)
                    {
                        using (var command = scratch.CreateCommand())
                        {
                            command.CommandText = sql;
                            command.ExecuteNonQuery();
                        }
                    }
                    Run(CreateV1);
                    for (int v = 1; v < version && v <= Migrations.Length; v++) Run(Migrations[v - 1]);
                    using (var command = scratch.CreateCommand())
                    {
                        command.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master";
                        using (var reader = command.ExecuteReader())
                            while (reader.Read())
                                objects[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), Normalize(reader.IsDBNull(3) ? null : reader.GetString(3)));
                    }
                }
                Expected[version] = objects;
                return objects;
            }
        }

        /// <summary>SQLite's own tables, which it creates by itself (AUTOINCREMENT, ANALYZE): allowed in any repository.</summary>
        public static bool IsSqliteInternal(string type, string name) =>
            type == "table" && (name == "sqlite_sequence" || Regex.IsMatch(name, "^sqlite_stat[1-4]$"));

        /// <summary>Schema SQL with runs of white space made one space (how it was laid out does not matter, what it says does).</summary>
        public static string? Normalize(string? sql) => sql == null ? null : Regex.Replace(sql, @"\s+", " ").Trim();
    }
}
