using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// Salvage of a damaged SQLite repository (winmgmt /salvagerepository), with two readers. First everything SQLite's
    /// own reader still gives, table by table and rowid range by rowid range (a range that fails is halved until single
    /// rowids), is copied with its ids into a new repository. Then the page reader (<see cref="SqlitePageReader"/>) reads
    /// every table leaf page of the file's bytes and adds the rows SQLite's reader could not reach (behind a damaged
    /// schema page or interior page), recognised by the shape of their records. The damaged file is only read, never
    /// changed. Rows that no longer fit (a class whose superclass or namespace was lost, an instance whose class was
    /// lost) are left out and reported.
    /// </summary>
    internal static class SqliteSalvage
    {
        private static readonly string[] Tables = { "namespaces", "classes", "qualifier_types", "instances", "posted" };

        public sealed class Outcome
        {
            public long Recovered;
            public long UnreadableRowIds;
            public List<string> Notes = new List<string>();
            public List<(string ClassName, string? Key)> LostInstances = new List<(string, string?)>();
            public List<string> LostClasses = new List<string>();
        }

        private static SqliteCommand Command(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        private static string SelectRange(string table)
        {
            switch (table)
            {
                case "namespaces": return "SELECT id, name FROM namespaces WHERE id >= $a AND id < $b ORDER BY id";
                case "classes": return "SELECT id, namespace_id, name, superclass_id, definition, amended FROM classes WHERE id >= $a AND id < $b ORDER BY id";
                case "qualifier_types": return "SELECT id, namespace_id, name, definition FROM qualifier_types WHERE id >= $a AND id < $b ORDER BY id";
                case "instances": return "SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances WHERE id >= $a AND id < $b ORDER BY id";
                default: return "SELECT id, namespace, class_name, data, qualifiers, posted_at FROM posted WHERE id >= $a AND id < $b ORDER BY id";
            }
        }

        private static string SelectOne(string table)
        {
            switch (table)
            {
                case "namespaces": return "SELECT id, name FROM namespaces WHERE id = $a";
                case "classes": return "SELECT id, namespace_id, name, superclass_id, definition, amended FROM classes WHERE id = $a";
                case "qualifier_types": return "SELECT id, namespace_id, name, definition FROM qualifier_types WHERE id = $a";
                case "instances": return "SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances WHERE id = $a";
                default: return "SELECT id, namespace, class_name, data, qualifiers, posted_at FROM posted WHERE id = $a";
            }
        }

        private static string Insert(string table)
        {
            switch (table)
            {
                case "namespaces": return "INSERT OR IGNORE INTO namespaces(id, name) VALUES ($0, $1)";
                case "classes": return "INSERT OR IGNORE INTO classes(id, namespace_id, name, superclass_id, definition, amended) VALUES ($0, $1, $2, $3, $4, $5)";
                case "qualifier_types": return "INSERT OR IGNORE INTO qualifier_types(id, namespace_id, name, definition) VALUES ($0, $1, $2, $3)";
                case "instances": return "INSERT OR IGNORE INTO instances(id, class_id, key_root_id, key, data, qualifiers) VALUES ($0, $1, $2, $3, $4, $5)";
                default: return "INSERT OR IGNORE INTO posted(id, namespace, class_name, data, qualifiers, posted_at) VALUES ($0, $1, $2, $3, $4, $5)";
            }
        }

        private static string MaxId(string table)
        {
            switch (table)
            {
                case "namespaces": return "SELECT max(id) FROM namespaces";
                case "classes": return "SELECT max(id) FROM classes";
                case "qualifier_types": return "SELECT max(id) FROM qualifier_types";
                case "instances": return "SELECT max(id) FROM instances";
                default: return "SELECT max(id) FROM posted";
            }
        }

        /// <summary>Reads rows [a, b) whole, or throws.</summary>
        private static List<object?[]> Read(SqliteConnection source, string table, long a, long b)
        {
            var rows = new List<object?[]>();
            // One row is looked up by equality: a range scan would step to the next row (maybe on a damaged page) to end.
            using (var command = Command(source, b - a == 1 ? SelectOne(table) : SelectRange(table)))
            {
                command.Parameters.AddWithValue("$a", a);
                if (b - a != 1) command.Parameters.AddWithValue("$b", b);
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var row = new object?[reader.FieldCount];
                        for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        rows.Add(row);
                    }
            }
            return rows;
        }

        /// <summary>
        /// Copies what can be read of <paramref name="damaged"/> into the new repository file <paramref name="destination"/>:
        /// SQLite's reader first, then (unless <paramref name="pageReader"/> is false) the page reader for the rows it could
        /// not reach.
        /// </summary>
        public static Outcome Salvage(string damaged, string destination, Action<string, long>? progress, bool pageReader = true)
        {
            var outcome = new Outcome();
            // The new repository, created by the engine's own open (format, identity, 0600), then filled on a plain connection.
            using (SqliteRepository.OpenFile(destination, readOnly: false, TimeSpan.FromSeconds(10))) { }
            // A file cut short is read from a copy padded with zeros to the size its header records (SQLite refuses the
            // short file as a whole; the missing pages then fail one by one). The damaged file itself is only read.
            string? padded = PaddedCopy(damaged, destination);
            try
            {
                return Copy(padded ?? damaged, damaged, destination, outcome, progress, pageReader);
            }
            finally
            {
                if (padded != null) File.Delete(padded);
            }
        }

        private static string? PaddedCopy(string damaged, string destination)
        {
            var header = new byte[100];
            long length;
            using (var stream = new FileStream(damaged, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                length = stream.Length;
                if (stream.Read(header, 0, 100) < 100) return null;
            }
            long pageSize = (header[16] << 8) | header[17];
            if (pageSize == 1) pageSize = 65536;
            long pages = ((long)header[28] << 24) | ((long)header[29] << 16) | ((long)header[30] << 8) | header[31];
            // Only a header that is SQLite's (its magic, a possible page size) is believed: a damaged one could ask for
            // a copy of any size.
            if (System.Text.Encoding.ASCII.GetString(header, 0, 16) != "SQLite format 3\0" || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0) return null;
            if (pages * pageSize <= length || pages * pageSize > length * 4 + (64L << 20)) return null;
            string copy = destination + ".salvage-source";
            SqliteRepository.CreateOwnerOnlyFileAt(copy);
            using (var input = new FileStream(damaged, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var output = new FileStream(copy, FileMode.Open, FileAccess.Write))
            {
                input.CopyTo(output);
                output.SetLength(pages * pageSize);
            }
            return copy;
        }

        /// <summary>What the readers found, per table: the ids stored in the new file.</summary>
        private sealed class Found
        {
            public readonly Dictionary<string, HashSet<long>> Stored = new Dictionary<string, HashSet<long>>();
            /// <summary>Instance rowids SQLite's reader failed on, one by one.</summary>
            public readonly HashSet<long> Unreadable = new HashSet<long>();
            /// <summary>Instance rowids of cells the page reader found but could not decode.</summary>
            public readonly HashSet<long> Undecodable = new HashSet<long>();
            /// <summary>Instance rowids left out because their class was not recovered (named in the outcome).</summary>
            public readonly HashSet<long> Orphans = new HashSet<long>();
            /// <summary>The highest instance rowid SQLite's reader knows of (-1: not known).</summary>
            public long MaxInstanceId = -1;
            /// <summary>Instance rowid to class id, from the entries of the instances_by_class index the page reader read.</summary>
            public readonly Dictionary<long, long> IndexedClass = new Dictionary<long, long>();
            /// <summary>Instance rowid to (key root class id, key text) candidates, from unique-index entries of that shape.</summary>
            public readonly Dictionary<long, List<(long Root, string Key)>> IndexedKeys = new Dictionary<long, List<(long, string)>>();

            public HashSet<long> Of(string table)
            {
                if (!Stored.TryGetValue(table, out var ids)) Stored[table] = ids = new HashSet<long>();
                return ids;
            }
        }

        private static Outcome Copy(string readable, string original, string destination, Outcome outcome, Action<string, long>? progress, bool pageReader)
        {
            var sourceBuilder = new SqliteConnectionStringBuilder { DataSource = readable, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using (var source = new SqliteConnection(sourceBuilder.ToString()))
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
            {
                target.Open();
                using (var off = Command(target, "PRAGMA foreign_keys = OFF")) off.ExecuteNonQuery();
                bool sqliteReads = true;
                try
                {
                    source.Open();
                    SQLitePCL.raw.sqlite3_db_config(source.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
                    using (var schema = Command(source, "PRAGMA trusted_schema = OFF")) schema.ExecuteNonQuery();
                    using (var probe = Command(source, "SELECT count(*) FROM sqlite_master")) probe.ExecuteScalar();
                }
                catch (SqliteException e)
                {
                    outcome.Notes.Add(Messages.SalvageSchemaUnreadable(original, e.Message));
                    sqliteReads = false;
                }
                var found = new Found();
                using (var tx = target.BeginTransaction())
                {
                    using (var clear = Command(target, "DELETE FROM namespaces")) { clear.Transaction = tx; clear.ExecuteNonQuery(); }
                    if (sqliteReads)
                        foreach (var table in Tables) ThroughSqlite(source, target, tx, table, found, outcome, progress);
                    if (pageReader) ThroughPages(original, target, tx, found, outcome, progress);
                    Lost(target, tx, found, outcome);
                    // Leases belonged to readers of the damaged file: the salvaged queue starts unleased.
                    using (var free = Command(target, "UPDATE posted SET lease_owner = NULL, lease_pid = NULL, lease_started = NULL, lease_expires = NULL")) { free.Transaction = tx; free.ExecuteNonQuery(); }
                    using (var bump = Command(target, "UPDATE cimlite_format SET value = CAST(value AS INTEGER) + 1 WHERE name = 'schema_generation'")) { bump.Transaction = tx; bump.ExecuteNonQuery(); }
                    // The reference index is not copied: the first writable open of the salvaged file rebuilds it from the
                    // instances that were recovered (the marker a format-5 migration leaves, see RepositorySchema).
                    using (var pending = Command(target, "INSERT OR REPLACE INTO cimlite_format(name, value) SELECT 'references_pending', '1' WHERE EXISTS (SELECT 1 FROM instances)")) { pending.Transaction = tx; pending.ExecuteNonQuery(); }
                    tx.Commit();
                }
            }
            return outcome;
        }

        /// <summary>
        /// Lost, as far as it can be known: instance rowids neither reader could give (SQLite's reader failed on them, the
        /// page reader found their cell but could not decode it, or an index entry names them), up to the highest rowid
        /// known; named by class and key where the index entries tell them and the class was recovered, else counted.
        /// </summary>
        private static void Lost(SqliteConnection target, SqliteTransaction tx, Found found, Outcome outcome)
        {
            long bound = found.MaxInstanceId;
            foreach (var id in found.Of("instances")) bound = Math.Max(bound, id);
            foreach (var id in found.Undecodable) bound = Math.Max(bound, id);
            foreach (var id in found.IndexedClass.Keys) bound = Math.Max(bound, id);
            // When the index entries cover every recovered instance, the index is taken as whole: a rowid SQLite's reader
            // failed on that it does not name never existed (deleted, or a gap). Otherwise the index is partial too, and
            // every failed rowid counts.
            bool wholeIndex = found.IndexedClass.Count > 0;
            foreach (var id in found.Of("instances"))
                if (!found.IndexedClass.ContainsKey(id)) { wholeIndex = false; break; }
            var lost = new SortedSet<long>();
            foreach (var id in found.Unreadable) if (!wholeIndex || found.IndexedClass.ContainsKey(id)) lost.Add(id);
            lost.UnionWith(found.Undecodable);
            lost.UnionWith(found.IndexedClass.Keys);
            lost.ExceptWith(found.Of("instances"));
            lost.ExceptWith(found.Orphans);
            var classes = new Dictionary<long, (string Name, long? Super)>();
            using (var read = Command(target, "SELECT id, name, superclass_id FROM classes"))
            {
                read.Transaction = tx;
                using (var reader = read.ExecuteReader())
                    while (reader.Read()) classes[reader.GetInt64(0)] = (reader.GetString(1), reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2));
            }
            foreach (var id in lost)
            {
                // (CimLite's instance ids start at 1: a failed lookup of 0 or below is no row.)
                if (id < 1 || id > bound) continue;
                if (found.IndexedClass.TryGetValue(id, out var classId) && classes.TryGetValue(classId, out var cls))
                {
                    // The key: a unique-index entry for this rowid whose key root is the class or one of its superclasses.
                    string? key = null;
                    if (found.IndexedKeys.TryGetValue(id, out var candidates))
                        foreach (var (root, text) in candidates)
                        {
                            long? at = classId;
                            for (int depth = 0; at.HasValue && depth < 64 && key == null; depth++)
                            {
                                if (at.Value == root) key = text;
                                at = classes.TryGetValue(at.Value, out var c) ? c.Super : null;
                            }
                        }
                    outcome.LostInstances.Add((cls.Name, key));
                }
                else outcome.UnreadableRowIds++;
            }
        }

        /// <summary>Stores one row (id first) unless a row with its id or unique key is there; true when stored.</summary>
        private static bool Store(SqliteCommand insert, object?[] row)
        {
            insert.Parameters.Clear();
            for (int i = 0; i < row.Length; i++) insert.Parameters.AddWithValue("$" + i.ToString(CultureInfo.InvariantCulture), row[i] ?? DBNull.Value);
            return insert.ExecuteNonQuery() > 0;
        }

        /// <summary>SQLite's reader over one table, rowid range by rowid range (failed ranges halved down to single rowids).</summary>
        private static void ThroughSqlite(SqliteConnection source, SqliteConnection target, SqliteTransaction tx, string table, Found found, Outcome outcome, Action<string, long>? progress)
        {
            long max;
            try
            {
                using (var command = Command(source, MaxId(table)))
                {
                    var value = command.ExecuteScalar();
                    max = value == null || value is DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
                }
            }
            catch (SqliteException e)
            {
                // The rightmost pages are unreadable: walk forward until a long run of readable, empty ranges.
                outcome.Notes.Add(Messages.SalvageNoMaximum(table, e.Message));
                max = -1;
            }
            if (table == "instances") found.MaxInstanceId = max;
            var stored = found.Of(table);
            using (var insert = Command(target, Insert(table)))
            {
                insert.Transaction = tx;
                void Range(long a, long b)
                {
                    List<object?[]> rows;
                    try
                    {
                        rows = Read(source, table, a, b);
                    }
                    catch (SqliteException)
                    {
                        if (b - a <= 1)
                        {
                            if (table == "instances") found.Unreadable.Add(a);
                            return;
                        }
                        long mid = a + (b - a) / 2;
                        Range(a, mid);
                        Range(mid, b);
                        return;
                    }
                    foreach (var row in rows)
                    {
                        if (!Store(insert, row)) continue;
                        stored.Add(Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
                        if (table == "instances") outcome.Recovered++;
                    }
                }
                const long Step = 4096;
                if (max >= 0)
                {
                    for (long a = 0; a <= max; a += Step)
                    {
                        Range(a, Math.Min(max + 1, a + Step));
                        progress?.Invoke(table, a);
                    }
                }
                else
                {
                    // Stop after 16 ranges in a row that gave nothing (empty or unreadable).
                    long quiet = 0;
                    for (long a = 0; quiet < 16; a += Step)
                    {
                        int before = stored.Count;
                        Range(a, a + Step);
                        quiet = stored.Count == before ? quiet + 1 : 0;
                        progress?.Invoke(table, a);
                    }
                }
            }
        }

        /// <summary>
        /// The tables the page reader recognises by the shape of a record (column count and storage classes, the rowid
        /// alias stored as NULL), in the order they are stored: a table's rows before the rows that refer to them.
        /// </summary>
        private static string? TableOf(long[] types)
        {
            var k = new SqlitePageReader.Kind[types.Length];
            for (int i = 0; i < k.Length; i++) k[i] = SqlitePageReader.KindOf(types[i]);
            const SqlitePageReader.Kind Null = SqlitePageReader.Kind.Null, Int = SqlitePageReader.Kind.Integer, Text = SqlitePageReader.Kind.Text;
            bool Is(int i, SqlitePageReader.Kind kind) => k[i] == kind;
            bool Maybe(int i, SqlitePageReader.Kind kind) => k[i] == kind || k[i] == Null;
            if (k.Length == 0 || !Is(0, Null)) return null;
            // namespaces(id, name)
            if (k.Length == 2 && Is(1, Text)) return "namespaces";
            // classes(id, namespace_id, name, superclass_id, definition, amended)
            if (k.Length == 6 && Is(1, Int) && Is(2, Text) && Maybe(3, Int) && Is(4, Text) && Maybe(5, Text)) return "classes";
            // instances(id, class_id, key_root_id, key, data, qualifiers)
            if (k.Length == 6 && Is(1, Int) && Is(2, Int) && Is(3, Text) && Is(4, Text) && Maybe(5, Text)) return "instances";
            // qualifier_types(id, namespace_id, name, definition)
            if (k.Length == 4 && Is(1, Int) && Is(2, Text) && Is(3, Text)) return "qualifier_types";
            // posted(id, namespace, class_name, data, qualifiers, posted_at[, lease_owner, lease_pid, lease_started, lease_expires]):
            // rows written before format 4 keep six columns.
            if (k.Length >= 6 && k.Length <= 10 && Is(1, Text) && Is(2, Text) && Is(3, Text) && Maybe(4, Text) && Is(5, Text)
                && (k.Length < 7 || Maybe(6, Text)) && (k.Length < 8 || Maybe(7, Int)) && (k.Length < 9 || Maybe(8, Int)) && (k.Length < 10 || Maybe(9, Int)))
                return "posted";
            return null;
        }

        /// <summary>
        /// The page reader (<see cref="SqlitePageReader"/>) over the damaged file's own bytes: rows of table leaf pages that
        /// SQLite's reader could not reach (their ids are not stored yet) are stored; instances only when their class was
        /// recovered. Two passes: namespaces, classes and qualifier types first, then instances and the posted queue.
        /// </summary>
        private static void ThroughPages(string damaged, SqliteConnection target, SqliteTransaction tx, Found found, Outcome outcome, Action<string, long>? progress)
        {
            SqlitePageReader? reader;
            try
            {
                reader = SqlitePageReader.Open(damaged);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                outcome.Notes.Add(Messages.SalvagePagesUnreadable(damaged, e.Message));
                return;
            }
            if (reader == null) return;
            using (reader)
            {
                outcome.Notes.AddRange(reader.Notes);
                long rows = 0, undecodable = 0;
                var inserts = new Dictionary<string, SqliteCommand>();
                try
                {
                    foreach (var table in Tables)
                    {
                        var insert = Command(target, Insert(table));
                        insert.Transaction = tx;
                        inserts[table] = insert;
                    }
                    var classes = found.Of("classes");
                    for (int pass = 0; pass < 2; pass++)
                    {
                        foreach (var cell in reader.LeafCells(
                            (page, rowid) => { if (pass == 1) undecodable++; },
                            page => progress?.Invoke("pages", page)))
                        {
                            var table = TableOf(cell.SerialTypes);
                            if (table == null) continue;
                            bool late = table == "instances" || table == "posted";
                            if (late != (pass == 1)) continue;
                            var stored = found.Of(table);
                            if (stored.Contains(cell.RowId)) continue;
                            var values = cell.Values();
                            if (values == null)
                            {
                                undecodable++;
                                if (table == "instances") found.Undecodable.Add(cell.RowId);
                                continue;
                            }
                            if (table == "posted") Array.Resize(ref values, 6);
                            values[0] = cell.RowId;
                            if (table == "instances" && !classes.Contains((long)values[1]!))
                            {
                                if (found.Orphans.Add(cell.RowId)) outcome.LostInstances.Add(("#" + ((long)values[1]!).ToString(CultureInfo.InvariantCulture), values[3] as string));
                                continue;
                            }
                            if (!Store(inserts[table], values)) continue;
                            stored.Add(cell.RowId);
                            rows++;
                            if (table == "instances") outcome.Recovered++;
                        }
                    }
                }
                finally
                {
                    foreach (var insert in inserts.Values) insert.Dispose();
                }
                // Index entries: evidence of instances whose table pages are gone (instances_by_class: class id, id,
                // rowid; the unique index on key_root_id, key: key root, key text, rowid).
                foreach (var cell in reader.IndexCells())
                {
                    var types = cell.SerialTypes;
                    if (types.Length != 3 || SqlitePageReader.KindOf(types[0]) != SqlitePageReader.Kind.Integer || SqlitePageReader.KindOf(types[2]) != SqlitePageReader.Kind.Integer) continue;
                    var kind = SqlitePageReader.KindOf(types[1]);
                    if (kind != SqlitePageReader.Kind.Integer && kind != SqlitePageReader.Kind.Text) continue;
                    var values = cell.Values();
                    if (values == null) continue;
                    long rowid = (long)values[2]!;
                    if (kind == SqlitePageReader.Kind.Integer)
                    {
                        if ((long)values[1]! == rowid) found.IndexedClass[rowid] = (long)values[0]!;
                    }
                    else
                    {
                        if (!found.IndexedKeys.TryGetValue(rowid, out var list)) found.IndexedKeys[rowid] = list = new List<(long, string)>();
                        list.Add(((long)values[0]!, (string)values[1]!));
                    }
                }
                // Said only when it made a difference (each note is a warning of the cmdlet).
                if (rows > 0) outcome.Notes.Add(Messages.SalvagePagesRead(reader.Pages, rows, reader.FreePages));
                if (undecodable > 0) outcome.Notes.Add(Messages.SalvageUndecodableCells(undecodable));
            }
        }

        /// <summary>Deletes salvaged rows that do not fit (the checks found them) and records what they were.</summary>
        public static void Drop(string destination, List<(string Table, long RowId)> rows, Outcome outcome)
        {
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
            {
                target.Open();
                using (var tx = target.BeginTransaction())
                {
                    foreach (var (table, id) in rows)
                    {
                        if (table == "instances")
                        {
                            using (var read = Command(target, "SELECT (SELECT name FROM classes c WHERE c.id = i.class_id), key FROM instances i WHERE id = $id"))
                            {
                                read.Transaction = tx;
                                read.Parameters.AddWithValue("$id", id);
                                using (var reader = read.ExecuteReader())
                                    if (reader.Read()) outcome.LostInstances.Add((reader.IsDBNull(0) ? "#?" : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                            }
                            using (var delete = Command(target, "DELETE FROM instances WHERE id = $id")) { delete.Transaction = tx; delete.Parameters.AddWithValue("$id", id); if (delete.ExecuteNonQuery() > 0) outcome.Recovered--; }
                        }
                        else if (table == "classes")
                        {
                            using (var read = Command(target, "SELECT name FROM classes WHERE id = $id"))
                            {
                                read.Transaction = tx;
                                read.Parameters.AddWithValue("$id", id);
                                if (read.ExecuteScalar() is string name) outcome.LostClasses.Add(name);
                            }
                            using (var delete = Command(target, "DELETE FROM classes WHERE id = $id")) { delete.Transaction = tx; delete.Parameters.AddWithValue("$id", id); delete.ExecuteNonQuery(); }
                        }
                        else if (table == "posted")
                        {
                            using (var delete = Command(target, "DELETE FROM posted WHERE id = $id")) { delete.Transaction = tx; delete.Parameters.AddWithValue("$id", id); delete.ExecuteNonQuery(); }
                        }
                        else if (table == "qualifier_types")
                        {
                            using (var delete = Command(target, "DELETE FROM qualifier_types WHERE id = $id")) { delete.Transaction = tx; delete.Parameters.AddWithValue("$id", id); delete.ExecuteNonQuery(); }
                        }
                    }
                    tx.Commit();
                }
            }
        }
    }
}
