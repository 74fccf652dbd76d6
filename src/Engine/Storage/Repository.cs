using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage
{
    /// <summary>
    /// One SQLite connection to a repository file (or memory): opening with format checks, prepared
    /// statements, and write transactions (BEGIN IMMEDIATE; one per engine operation).
    /// </summary>
    internal sealed class Repository : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new Dictionary<string, SqliteCommand>();
        private readonly Dictionary<string, RawStatement> _statements = new Dictionary<string, RawStatement>();
        private SqliteTransaction? _transaction;
        private int _busyTimeoutMs = 10000;

        private Repository(SqliteConnection connection, string path, bool readOnly)
        {
            _connection = connection;
            Path = path;
            IsReadOnly = readOnly;
        }

        public string Path { get; }

        public bool IsReadOnly { get; }

        public bool InTransaction => _transaction != null;

        /// <summary>The connection, for registering SQL functions and collations (queries).</summary>
        internal SqliteConnection Connection => _connection;

        /// <summary>Counts write transactions begun on this connection (lets caches trust what they read inside one).</summary>
        public long TransactionSerial { get; private set; }

        /// <summary>The format of the open file (a read-only session cannot migrate an older one).</summary>
        public int FormatVersion { get; private set; } = RepositorySchema.FormatVersion;

        /// <summary>Applies the numbered migrations from <paramref name="from"/> up to the current format, inside the caller's transaction.</summary>
        private void Migrate(int from)
        {
            for (int version = from; version < RepositorySchema.FormatVersion; version++)
            {
                Execute(RepositorySchema.Migrations[version - 1]);
                Execute("UPDATE cimlite_format SET value = $v WHERE name = 'format'", ("$v", (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Execute("PRAGMA user_version = " + (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public static Repository OpenInMemory()
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            var repository = new Repository(connection, ":memory:", false);
            repository.Initialize(isFile: false);
            return repository;
        }

        public static Repository OpenFile(string path, bool readOnly, TimeSpan busyTimeout)
        {
            string fullPath = path;
            try
            {
                fullPath = System.IO.Path.GetFullPath(path);
                if (Directory.Exists(fullPath))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(fullPath, "it is a folder."));
                if (!File.Exists(fullPath))
                {
                    if (readOnly) throw new CimLiteException(CimStatus.NotFound, Messages.RepositoryNotFound(fullPath));
                    CreateOwnerOnlyFile(fullPath);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                // A path the file system refuses (NUL, too long, a missing drive, no permission): an argument error naming it.
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(fullPath, e.Message), innerException: e);
            }
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
                Pooling = false,
                // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout too: keep both in step.
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
            };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                var repository = new Repository(connection, fullPath, readOnly) { _busyTimeoutMs = (int)Math.Min(int.MaxValue, Math.Max(0, busyTimeout.TotalMilliseconds)) };
                repository.Initialize(isFile: true);
                return repository;
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                if (e.SqliteErrorCode == 26) throw new CimLiteException(CimStatus.Failed, Messages.NotADatabase(fullPath), innerException: e);
                throw new CimLiteException(CimStatus.Failed, Messages.CannotOpen(fullPath, e.Message), innerException: e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        private void Initialize(bool isFile)
        {
            Execute("PRAGMA busy_timeout = " + _busyTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var appId = Convert.ToInt32(Scalar("PRAGMA application_id"));
            var version = Convert.ToInt32(Scalar("PRAGMA user_version"));
            var objects = Convert.ToInt64(Scalar("SELECT count(*) FROM sqlite_master"));
            if (objects == 0 && appId == 0 && version == 0)
            {
                if (IsReadOnly) throw new CimLiteException(CimStatus.Failed, Messages.EmptyReadOnly(Path));
                if (isFile) Execute("PRAGMA journal_mode = WAL");
                using (var tx = BeginWrite())
                {
                    Execute(RepositorySchema.CreateV1);
                    Execute("INSERT INTO cimlite_format(name, value) VALUES ('format', '1'), ('schema_generation', '0'), ('created_by', $by)",
                        ("$by", "CimLite " + typeof(Repository).Assembly.GetName().Version));
                    Execute("PRAGMA application_id = " + RepositorySchema.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Migrate(1);
                    tx.Commit();
                }
            }
            else
            {
                if (appId != RepositorySchema.ApplicationId)
                    throw new CimLiteException(CimStatus.Failed, Messages.ForeignDatabase(Path));
                if (version > RepositorySchema.FormatVersion)
                    throw new CimLiteException(CimStatus.Failed, Messages.NewerFormat(Path, version, RepositorySchema.FormatVersion));
                if (isFile && !IsReadOnly) Execute("PRAGMA journal_mode = WAL");
                if (version < RepositorySchema.FormatVersion && !IsReadOnly)
                {
                    using (var tx = BeginWrite())
                    {
                        // Re-read under the write lock: another process may have migrated meanwhile.
                        var current = Convert.ToInt32(Scalar("PRAGMA user_version"));
                        if (current < RepositorySchema.FormatVersion) Migrate(current);
                        tx.Commit();
                    }
                }
                FormatVersion = IsReadOnly ? version : RepositorySchema.FormatVersion;
            }
            Execute("PRAGMA foreign_keys = ON");
            if (isFile) Execute("PRAGMA synchronous = FULL");
        }

        /// <summary>Creates an empty file readable and writable by its owner only (0600) on Unix, its folder 0700 if new.</summary>
        private static void CreateOwnerOnlyFile(string fullPath)
        {
            var directory = System.IO.Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                SetUnixMode(directory!, 0x1C0); // 0700
            }
            using (new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            SetUnixMode(fullPath, 0x180); // 0600
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod(string path, uint mode);

        internal static void SetUnixMode(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            // .NET 7+ has File.SetUnixFileMode; netstandard2.0 cannot name it, so reach it by reflection.
            var modeType = Type.GetType("System.IO.UnixFileMode");
            var method = modeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), modeType }, null);
            if (method != null)
            {
                method.Invoke(null, new[] { path, Enum.ToObject(modeType!, mode) });
                return;
            }
            Chmod(path, (uint)mode);
        }

        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }
            command.Transaction = _transaction;
            return command;
        }

        /// <summary>A statement prepared once on the native handle and reused (see <see cref="RawStatement"/>); reset it after each use.</summary>
        public RawStatement Statement(string sql)
        {
            if (!_statements.TryGetValue(sql, out var statement))
            {
                statement = new RawStatement(_connection.Handle!, sql);
                _statements[sql] = statement;
            }
            return statement;
        }

        /// <summary>Sets a parameter of a cached command, reusing its parameter object (no per-call allocation or rebinding by name lookup in .NET).</summary>
        public static void Set(SqliteCommand command, string name, object? value)
        {
            var parameters = command.Parameters;
            for (int i = 0; i < parameters.Count; i++)
            {
                if (ReferenceEquals(parameters[i].ParameterName, name) || parameters[i].ParameterName == name)
                {
                    parameters[i].Value = value ?? DBNull.Value;
                    return;
                }
            }
            parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        /// <summary>A command of its own, for readers that stay open while other statements run (streaming).</summary>
        public SqliteCommand NewCommand(string sql)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _transaction;
            return command;
        }

        public int Execute(string sql, params (string Name, object? Value)[] parameters)
        {
            using (var command = NewCommand(sql))
            {
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                return command.ExecuteNonQuery();
            }
        }

        public object? Scalar(string sql)
        {
            using (var command = NewCommand(sql))
            {
                var v = command.ExecuteScalar();
                return v is DBNull ? null : v;
            }
        }

        public WriteTransaction BeginWrite()
        {
            if (IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            if (_transaction != null) throw new InvalidOperationException("A write transaction is already open on this repository.");
            try
            {
                _transaction = _connection.BeginTransaction(deferred: false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 5 || e.SqliteErrorCode == 6)
            {
                throw new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(Path), innerException: e);
            }
            TransactionSerial++;
            return new WriteTransaction(this);
        }

        internal void EndTransaction(bool commit)
        {
            var tx = _transaction;
            _transaction = null;
            if (tx == null) return;
            try
            {
                if (commit) tx.Commit();
                else tx.Rollback();
            }
            finally
            {
                tx.Dispose();
            }
        }

        public void Dispose()
        {
            foreach (var c in _commands.Values) c.Dispose();
            _commands.Clear();
            foreach (var s in _statements.Values) s.Dispose();
            _statements.Clear();
            _transaction?.Dispose();
            _transaction = null;
            _connection.Dispose();
        }
    }

    /// <summary>A write transaction: committed by <see cref="Commit"/>, rolled back when disposed without it.</summary>
    internal sealed class WriteTransaction : IDisposable
    {
        private Repository? _repository;

        internal WriteTransaction(Repository repository) { _repository = repository; }

        public void Commit()
        {
            var r = _repository;
            _repository = null;
            r?.EndTransaction(commit: true);
        }

        public void Dispose()
        {
            var r = _repository;
            _repository = null;
            r?.EndTransaction(commit: false);
        }
    }
}
