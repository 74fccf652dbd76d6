using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// Repository care on SQLite (issue 16): PRAGMA integrity_check and foreign_key_check, the file's identity and
    /// schema objects, raw rows for CimLite's invariant checks, counts, an online copy through SQLite's backup API
    /// inside one read transaction (a state that existed at one moment), and checkpoint + VACUUM + ANALYZE. Works on a
    /// session's connection, or on a connection of its own opened read-only (checks of a file nobody opened: the file's
    /// bytes never change, and SQLite never checkpoints through it).
    /// </summary>
    internal sealed class SqliteMaintenance : IRepositoryMaintenance
    {
        private readonly SqliteConnection? _connection;
        private SqliteRepository? _repository;
        private readonly bool _ownsConnection;
        private readonly CimLiteRepositoryProblem? _openProblem;
        private SqliteTransaction? _snapshot;

        private SqliteMaintenance(string path, SqliteConnection? connection, SqliteRepository? repository, bool owns, CimLiteRepositoryProblem? openProblem)
        {
            Path = path;
            _connection = connection;
            _repository = repository;
            _ownsConnection = owns;
            _openProblem = openProblem;
        }

        public string Path { get; }

        /// <summary>
        /// Care of an open repository, on its own connection (the caller holds the session). Care reads the whole
        /// file, so it runs as a scan (no memory map: <see cref="SqliteRepository.BeginScan"/>) until disposed.
        /// </summary>
        public static SqliteMaintenance Of(SqliteRepository repository)
        {
            repository.BeginScan();
            return new SqliteMaintenance(repository.Path, repository.Connection, repository, false, null);
        }

        /// <summary>
        /// Opens <paramref name="fullPath"/> read-only for checks. A header that rules the file out (not SQLite, foreign,
        /// newer, cut short) is reported by <see cref="CheckStorage"/> instead of thrown; nothing is ever written.
        /// </summary>
        public static SqliteMaintenance OpenReadOnly(string fullPath)
        {
            try
            {
                SqliteRepository.CheckHeaderOf(fullPath);
            }
            catch (CimLiteException e)
            {
                var kind = e.Message == Messages.ForeignDatabase(fullPath) ? CimLiteRepositoryProblemKind.Foreign
                    : e.Message.StartsWith("'" + fullPath + "' is a CimLite repository of format", StringComparison.Ordinal) ? CimLiteRepositoryProblemKind.Format
                    : CimLiteRepositoryProblemKind.Header;
                return new SqliteMaintenance(fullPath, null, null, false, new CimLiteRepositoryProblem(kind, e.Message));
            }
            var builder = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                int rc = SQLitePCL.raw.sqlite3_db_config(connection.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
                if (rc != SQLitePCL.raw.SQLITE_OK) throw new SqliteException("sqlite3_db_config(NO_CKPT_ON_CLOSE) failed", rc);
                Run(connection, null, "PRAGMA busy_timeout = 30000");
                Run(connection, null, "PRAGMA trusted_schema = OFF");
                return new SqliteMaintenance(fullPath, connection, null, true, null);
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                return new SqliteMaintenance(fullPath, null, null, false, new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Unreadable, Messages.CareCannotOpen(fullPath, e.Message)));
            }
        }

        private static void Run(SqliteConnection connection, SqliteTransaction? tx, string sql)
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                command.Transaction = tx;
                command.ExecuteNonQuery();
            }
        }

        private SqliteConnection Connection => _connection ?? throw new CimLiteException(CimStatus.Failed, _openProblem?.Message ?? Messages.CareCannotOpen(Path, ""));

        private SqliteCommand NewCommand(string sql)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _snapshot;
            return command;
        }

        private CimLiteException Translate(SqliteException e) =>
            _repository != null ? _repository.Translate(e) : new CimLiteException(CimStatus.Failed,
                SqliteRepository.IsDamage(e) ? Messages.RepositoryDamaged(Path, e.Message) : Messages.RepositoryError(Path, e.Message), innerException: e);

        public void BeginSnapshot()
        {
            if (_connection == null || _snapshot != null) return;
            if (_repository != null && _repository.InTransaction) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            try
            {
                _snapshot = _connection.BeginTransaction(deferred: true);
                // A deferred transaction reads its snapshot at its first read: take it now.
                using (var command = NewCommand("SELECT count(*) FROM sqlite_master")) command.ExecuteScalar();
            }
            catch (SqliteException)
            {
                // A file SQLite cannot read at all: the checks report it; reads run without a snapshot.
                EndSnapshot();
            }
        }

        public void EndSnapshot()
        {
            var tx = _snapshot;
            _snapshot = null;
            if (tx == null) return;
            try { tx.Rollback(); }
            catch (SqliteException) { }
            finally { tx.Dispose(); }
        }

        private static readonly Regex PageOf = new Regex(@"\bpage (\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public List<CimLiteRepositoryProblem> CheckStorage(out bool readable)
        {
            var problems = new List<CimLiteRepositoryProblem>();
            readable = false;
            if (_openProblem != null)
            {
                problems.Add(_openProblem);
                return problems;
            }
            // Identity and format.
            int appId, userVersion;
            var objects = new List<(string Type, string Name, string Table, string? Sql)>();
            try
            {
                using (var command = NewCommand("SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)"))
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    appId = reader.GetInt32(0);
                    userVersion = reader.GetInt32(1);
                }
                using (var command = NewCommand("SELECT type, name, tbl_name, sql FROM sqlite_master"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        objects.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
            catch (SqliteException e)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Unreadable, Messages.CareSchemaUnreadable(Path, e.Message)) { Table = "sqlite_master", Page = 1 });
                return problems;
            }
            if (appId == 0 && userVersion == 0 && objects.Count == 0)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Format, Messages.CareEmptyFile(Path)));
                return problems;
            }
            if (appId != RepositorySchema.ApplicationId)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Foreign, Messages.ForeignDatabase(Path)));
                return problems;
            }
            if (userVersion > RepositorySchema.FormatVersion || userVersion < 1)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Format, Messages.CareFormatUnknown(Path, userVersion, RepositorySchema.FormatVersion)));
                return problems;
            }
            // Schema objects: only CimLite's own, unchanged, all present.
            bool foreignObjects = false;
            var expected = RepositorySchema.ExpectedObjects(userVersion);
            var seen = new HashSet<(string, string)>();
            foreach (var (type, name, table, sql) in objects)
            {
                if (RepositorySchema.IsSqliteInternal(type, name)) continue;
                seen.Add((type, name));
                if (!expected.TryGetValue((type, name), out var want))
                {
                    foreignObjects = true;
                    problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.SchemaObject, Messages.ForeignSchemaObject(Path, type, name)) { Table = table });
                }
                else if (!string.Equals(want.Table, table, StringComparison.Ordinal) || want.Sql != RepositorySchema.Normalize(sql))
                {
                    foreignObjects = true;
                    problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.SchemaObject, Messages.ChangedSchemaObject(Path, type, name)) { Table = table });
                }
            }
            foreach (var pair in expected)
            {
                if (RepositorySchema.IsSqliteInternal(pair.Key.Type, pair.Key.Name)) continue;
                if (!seen.Contains(pair.Key))
                {
                    foreignObjects = true;
                    problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.SchemaObject, Messages.CareMissingSchemaObject(Path, pair.Key.Type, pair.Key.Name)) { Table = pair.Value.Table });
                }
            }
            try
            {
                using (var command = NewCommand("SELECT value FROM cimlite_format WHERE name = 'format'"))
                {
                    var stored = command.ExecuteScalar() as string;
                    if (stored != userVersion.ToString(CultureInfo.InvariantCulture))
                        problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Format, Messages.CareFormatMismatch(Path, stored ?? "", userVersion)) { Table = "cimlite_format" });
                }
            }
            catch (SqliteException e)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Unreadable, Messages.CareTableUnreadable(Path, "cimlite_format", e.Message)) { Table = "cimlite_format" });
            }
            // SQLite's own checks: pages, b-trees, indexes; then references between rows.
            try
            {
                using (var command = NewCommand("PRAGMA integrity_check(1000)"))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var text = reader.IsDBNull(0) ? "" : reader.GetString(0);
                        if (text == "ok") continue;
                        foreach (var line in text.Split('\n'))
                        {
                            if (line.Length == 0 || line.StartsWith("***", StringComparison.Ordinal)) continue;
                            var problem = new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Integrity, Messages.CareIntegrity(Path, line));
                            var page = PageOf.Match(line);
                            if (page.Success) problem.Page = long.Parse(page.Groups[1].Value, CultureInfo.InvariantCulture);
                            var index = Regex.Match(line, @"from index (\w+)");
                            if (index.Success) problem.Table = IndexTable(index.Groups[1].Value, expected);
                            problems.Add(problem);
                        }
                    }
                }
            }
            catch (SqliteException e)
            {
                problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Integrity, Messages.CareIntegrity(Path, e.Message)));
            }
            if (!foreignObjects)
            {
                try
                {
                    using (var command = NewCommand("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check"))
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                        {
                            string table = reader.GetString(0), parent = reader.GetString(2);
                            long? rowid = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
                            problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.ForeignKey, Messages.CareForeignKey(Path, table, rowid ?? 0, parent)) { Table = table, RowId = rowid });
                        }
                }
                catch (SqliteException e)
                {
                    problems.Add(new CimLiteRepositoryProblem(CimLiteRepositoryProblemKind.Integrity, Messages.CareIntegrity(Path, e.Message)));
                }
            }
            // Rows are read for the invariant checks only when no schema object could run anything or lie about a table.
            readable = !foreignObjects;
            return problems;
        }

        private static string? IndexTable(string index, Dictionary<(string Type, string Name), (string Table, string? Sql)> expected) =>
            expected.TryGetValue(("index", index), out var found) ? found.Table : null;

        public int FormatVersion()
        {
            if (_connection == null) return 0;
            try
            {
                using (var command = NewCommand("PRAGMA user_version")) return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException) { return 0; }
        }

        public Dictionary<long, string> Namespaces()
        {
            var result = new Dictionary<long, string>();
            try
            {
                using (var command = NewCommand("SELECT id, name FROM namespaces"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result[reader.GetInt64(0)] = reader.GetString(1);
            }
            catch (SqliteException e) { throw Translate(e); }
            return result;
        }

        public List<MaintenanceClassRow> ClassRows()
        {
            var result = new List<MaintenanceClassRow>();
            try
            {
                using (var command = NewCommand("SELECT id, namespace_id, name, superclass_id, definition, amended FROM classes ORDER BY id"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        result.Add(new MaintenanceClassRow
                        {
                            Id = reader.GetInt64(0),
                            NamespaceId = reader.GetInt64(1),
                            Name = reader.GetString(2),
                            SuperclassId = reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3),
                            Definition = reader.GetString(4),
                            Amended = reader.IsDBNull(5) ? null : reader.GetString(5),
                        });
            }
            catch (SqliteException e) { throw Translate(e); }
            return result;
        }

        public IEnumerable<MaintenanceInstanceRow> InstanceRows()
        {
            SqliteCommand command;
            SqliteDataReader reader;
            try
            {
                command = NewCommand("SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances ORDER BY id");
                reader = command.ExecuteReader();
            }
            catch (SqliteException e) { throw Translate(e); }
            using (command)
            using (reader)
            {
                while (true)
                {
                    MaintenanceInstanceRow row;
                    try
                    {
                        if (!reader.Read()) yield break;
                        row = new MaintenanceInstanceRow
                        {
                            Id = reader.GetInt64(0),
                            ClassId = reader.GetInt64(1),
                            KeyRootId = reader.GetInt64(2),
                            Key = reader.GetString(3),
                            Data = reader.GetString(4),
                            Qualifiers = reader.IsDBNull(5) ? null : reader.GetString(5),
                        };
                    }
                    catch (SqliteException e) { throw Translate(e); }
                    catch (InvalidCastException e) { throw new CimLiteException(CimStatus.Failed, Messages.RepositoryDamaged(Path, e.Message), innerException: e); }
                    yield return row;
                }
            }
        }

        public List<MaintenanceReferenceRow>? ReferenceRows()
        {
            if (FormatVersion() < 6) return null;
            var result = new List<MaintenanceReferenceRow>();
            try
            {
                using (var pending = NewCommand("SELECT EXISTS(SELECT 1 FROM cimlite_format WHERE name = 'references_pending')"))
                    if (Convert.ToInt64(pending.ExecuteScalar(), CultureInfo.InvariantCulture) != 0) return null;
                using (var command = NewCommand("SELECT instance_id, property, class_id, target_root_id, target_key FROM instance_references ORDER BY instance_id, property"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        result.Add(new MaintenanceReferenceRow
                        {
                            InstanceId = reader.GetInt64(0),
                            Property = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? "",
                            ClassId = reader.GetInt64(2),
                            TargetRootId = reader.GetInt64(3),
                            TargetKey = Convert.ToString(reader.GetValue(4), CultureInfo.InvariantCulture) ?? "",
                        });
            }
            catch (SqliteException e) { throw Translate(e); }
            catch (InvalidCastException e) { throw new CimLiteException(CimStatus.Failed, Messages.RepositoryDamaged(Path, e.Message), innerException: e); }
            return result;
        }

        public IEnumerable<MaintenanceLeaseRow> LeaseRows()
        {
            var result = new List<MaintenanceLeaseRow>();
            if (FormatVersion() < 4) return result;
            try
            {
                using (var command = NewCommand("SELECT id, lease_owner, lease_pid, lease_started, lease_expires FROM posted ORDER BY id"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        result.Add(new MaintenanceLeaseRow
                        {
                            Id = reader.GetInt64(0),
                            Owner = reader.IsDBNull(1) ? null : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture),
                            Pid = reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2),
                            Started = reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3),
                            Expires = reader.IsDBNull(4) ? (long?)null : reader.GetInt64(4),
                        });
            }
            catch (SqliteException e) { throw Translate(e); }
            return result;
        }

        public MaintenanceCounts Counts()
        {
            var counts = new MaintenanceCounts();
            try
            {
                int version = FormatVersion();
                using (var command = NewCommand("SELECT n.name, (SELECT count(*) FROM classes c WHERE c.namespace_id = n.id), (SELECT count(*) FROM instances i JOIN classes c ON c.id = i.class_id WHERE c.namespace_id = n.id) FROM namespaces n ORDER BY n.name"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) counts.PerNamespace.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
                if (version >= 2)
                    using (var command = NewCommand("SELECT count(*) FROM posted")) counts.PostedIndications = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (version >= 4)
                    using (var command = NewCommand("SELECT count(*) FROM posted WHERE lease_owner IS NOT NULL")) counts.LeasedIndications = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                using (var command = NewCommand("SELECT sqlite_version()")) counts.EngineVersion = (string)command.ExecuteScalar()!;
                counts.EngineName = "SQLite";
            }
            catch (SqliteException e) { throw Translate(e); }
            counts.SizeBytes = SizeOf(Path);
            counts.WalBytes = SizeOf(Path + "-wal");
            if (Path == ":memory:") counts.SizeBytes = PageBytes();
            return counts;
        }

        private long PageBytes()
        {
            try
            {
                using (var command = NewCommand("SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size)"))
                    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException e) { throw Translate(e); }
        }

        private static long SizeOf(string file)
        {
            try
            {
                var info = new FileInfo(file);
                return info.Exists ? info.Length : 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return 0;
            }
        }

        public long SizeBytes() => Path == ":memory:" ? PageBytes() : SizeOf(Path) + SizeOf(Path + "-wal");

        public void CopyTo(string destination, Action<long, long>? progress)
        {
            bool ownSnapshot = _snapshot == null;
            if (ownSnapshot) BeginSnapshot();
            try
            {
                SqliteRepository.CreateOwnerOnlyFileAt(destination);
                var builder = new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
                using (var target = new SqliteConnection(builder.ToString()))
                {
                    target.Open();
                    // The source is read inside this object's read transaction: every step copies the same snapshot,
                    // whatever other connections and processes commit meanwhile (the backup never restarts).
                    var backup = SQLitePCL.raw.sqlite3_backup_init(target.Handle!, "main", Connection.Handle!, "main");
                    if (backup == null || backup.IsInvalid) throw new SqliteException(SQLitePCL.raw.sqlite3_errmsg(target.Handle!).utf8_to_string(), SQLitePCL.raw.sqlite3_errcode(target.Handle!));
                    int rc;
                    try
                    {
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        for (int attempt = 1; ; attempt++)
                        {
                            rc = SQLitePCL.raw.sqlite3_backup_step(backup, 1024);
                            long total = SQLitePCL.raw.sqlite3_backup_pagecount(backup);
                            progress?.Invoke(total - SQLitePCL.raw.sqlite3_backup_remaining(backup), total);
                            if (rc == SQLitePCL.raw.SQLITE_OK) continue;
                            if ((rc == SQLitePCL.raw.SQLITE_BUSY || rc == SQLitePCL.raw.SQLITE_LOCKED) && watch.Elapsed < TimeSpan.FromSeconds(30))
                            {
                                SqliteRepository.Backoff(attempt, TimeSpan.FromSeconds(1));
                                continue;
                            }
                            break;
                        }
                    }
                    finally
                    {
                        SQLitePCL.raw.sqlite3_backup_finish(backup);
                    }
                    if (rc != SQLitePCL.raw.SQLITE_DONE) throw new SqliteException(SQLitePCL.raw.sqlite3_errstr(rc).utf8_to_string(), rc);
                    // The copy keeps the source's WAL flag; as a backup it is one self-contained file.
                    Run(target, null, "PRAGMA journal_mode = DELETE");
                }
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            finally
            {
                if (ownSnapshot) EndSnapshot();
            }
        }

        public void Optimize(Action<int, string>? progress)
        {
            var repository = _repository ?? throw new InvalidOperationException("Optimize needs an open repository.");
            if (repository.IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            if (repository.InTransaction) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            void Step(string sql)
            {
                repository.RetryWhileBusy(() =>
                {
                    using (var command = repository.NewCommand(sql))
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) { }
                    return 0;
                });
            }
            try
            {
                bool file = Path != ":memory:";
                progress?.Invoke(0, Messages.CareOptimizeCheckpoint);
                if (file) Step("PRAGMA wal_checkpoint(TRUNCATE)");
                progress?.Invoke(10, Messages.CareOptimizeVacuum);
                Step("VACUUM");
                progress?.Invoke(70, Messages.CareOptimizeAnalyze);
                Step("ANALYZE");
                Step("PRAGMA optimize");
                progress?.Invoke(90, Messages.CareOptimizeCheckpoint);
                if (file) Step("PRAGMA wal_checkpoint(TRUNCATE)");
                progress?.Invoke(100, Messages.CareOptimizeDone);
            }
            catch (SqliteException e)
            {
                throw repository.Translate(e);
            }
        }

        public void Dispose()
        {
            try
            {
                EndSnapshot();
                if (_ownsConnection) _connection?.Dispose();
            }
            finally
            {
                var repository = _repository;
                _repository = null;
                repository?.EndScan();
            }
        }
    }
}
