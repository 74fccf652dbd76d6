using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// Salvage of a damaged SQLite repository (winmgmt /salvagerepository), first step: everything SQLite's own reader
    /// still gives, table by table and rowid range by rowid range (a range that fails is halved until single rowids), is
    /// copied with its ids into a new repository; the damaged file is opened read-only and never changed. Rows that no
    /// longer fit (a class whose superclass or namespace was lost, an instance whose class was lost) are left out and
    /// reported. Not done: reading b-tree pages directly where SQLite's reader gives up (a damaged schema page or an
    /// interior page hides whole subtrees from this reader).
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

        /// <summary>Copies what can be read of <paramref name="damaged"/> into the new repository file <paramref name="destination"/>.</summary>
        public static Outcome Salvage(string damaged, string destination, Action<string, long>? progress)
        {
            var outcome = new Outcome();
            // The new repository, created by the engine's own open (format, identity, 0600), then filled on a plain connection.
            using (SqliteRepository.OpenFile(destination, readOnly: false, TimeSpan.FromSeconds(10))) { }
            // A file cut short is read from a copy padded with zeros to the size its header records (SQLite refuses the
            // short file as a whole; the missing pages then fail one by one). The damaged file itself is only read.
            string? padded = PaddedCopy(damaged, destination);
            try
            {
                return Copy(padded ?? damaged, destination, outcome, progress);
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
            if (pageSize < 512 || pages * pageSize <= length) return null;
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

        private static Outcome Copy(string damaged, string destination, Outcome outcome, Action<string, long>? progress)
        {
            var sourceBuilder = new SqliteConnectionStringBuilder { DataSource = damaged, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using (var source = new SqliteConnection(sourceBuilder.ToString()))
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
            {
                target.Open();
                using (var off = Command(target, "PRAGMA foreign_keys = OFF")) off.ExecuteNonQuery();
                try
                {
                    source.Open();
                    SQLitePCL.raw.sqlite3_db_config(source.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
                    using (var schema = Command(source, "PRAGMA trusted_schema = OFF")) schema.ExecuteNonQuery();
                    using (var probe = Command(source, "SELECT count(*) FROM sqlite_master")) probe.ExecuteScalar();
                }
                catch (SqliteException e)
                {
                    outcome.Notes.Add(Messages.SalvageSchemaUnreadable(damaged, e.Message));
                    return outcome;
                }
                using (var tx = target.BeginTransaction())
                {
                    using (var clear = Command(target, "DELETE FROM namespaces")) { clear.Transaction = tx; clear.ExecuteNonQuery(); }
                    foreach (var table in Tables)
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
                        long storedRows = 0;
                        using (var insert = Command(target, Insert(table)))
                        {
                            insert.Transaction = tx;
                            void Store(List<object?[]> rows)
                            {
                                foreach (var row in rows)
                                {
                                    insert.Parameters.Clear();
                                    for (int i = 0; i < row.Length; i++) insert.Parameters.AddWithValue("$" + i.ToString(CultureInfo.InvariantCulture), row[i] ?? DBNull.Value);
                                    if (insert.ExecuteNonQuery() > 0)
                                    {
                                        storedRows++;
                                        if (table == "instances") outcome.Recovered++;
                                    }
                                }
                            }
                            void Range(long a, long b)
                            {
                                try
                                {
                                    Store(Read(source, table, a, b));
                                }
                                catch (SqliteException)
                                {
                                    if (b - a <= 1)
                                    {
                                        if (table == "instances") outcome.UnreadableRowIds++;
                                        return;
                                    }
                                    long mid = a + (b - a) / 2;
                                    Range(a, mid);
                                    Range(mid, b);
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
                                    long stored = storedRows;
                                    Range(a, a + Step);
                                    quiet = storedRows == stored ? quiet + 1 : 0;
                                    progress?.Invoke(table, a);
                                }
                            }
                        }
                    }
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
