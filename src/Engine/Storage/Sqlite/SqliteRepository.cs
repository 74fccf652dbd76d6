using System;
using System.Globalization;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// One SQLite connection to a repository file (or memory): opening with format checks, prepared
    /// statements, and write transactions (BEGIN IMMEDIATE; one per engine operation).
    /// </summary>
    internal sealed class SqliteRepository : IRepository
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new Dictionary<string, SqliteCommand>();
        private readonly Dictionary<string, RawStatement> _statements = new Dictionary<string, RawStatement>();
        private SqliteTransaction? _transaction;
        private int _busyTimeoutMs = 10000;

        // The deadline of the running operation (Stopwatch timestamp; 0: none) and its length, for the message.
        private long _deadline;
        private TimeSpan _deadlineLimit;
        private int _appliedBusyMs = -1;
        private int _savedDefaultTimeout = -1;

        private SqliteRepository(SqliteConnection connection, string path, bool readOnly)
        {
            _connection = connection;
            Path = path;
            IsReadOnly = readOnly;
        }

        public string Path { get; }

        private SqliteInstanceStore? _instances;
        private SqliteClassStore? _classStore;
        private SqlitePostedStore? _posted;
        private SqliteQueryTranslator? _queries;

        /// <summary>The stored instances.</summary>
        public IInstanceStore Instances => _instances ?? (_instances = new SqliteInstanceStore(this));

        /// <summary>The stored namespaces, classes and qualifier declarations.</summary>
        public IClassStore Classes => _classStore ?? (_classStore = new SqliteClassStore(this));

        /// <summary>The durable queue of posted indications.</summary>
        public IPostedStore Posted => _posted ?? (_posted = new SqlitePostedStore(this));

        /// <summary>WQL conditions as SQL, and the reads that run them (registers its SQL functions on first use).</summary>
        public IQueryTranslator Queries => _queries ?? (_queries = new SqliteQueryTranslator(this));

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

        public static SqliteRepository OpenInMemory()
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            var repository = new SqliteRepository(connection, ":memory:", false);
            repository.Initialize(isFile: false);
            return repository;
        }

        /// <summary>
        /// A private in-memory copy of this repository as it is now (one consistent snapshot, read through SQLite's
        /// backup API: the source is only read, so this works on read-only sessions and writes no WAL). What-if
        /// operations run on it and throw it away.
        /// </summary>
        public SqliteRepository SnapshotInMemory()
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            try
            {
                _connection.BackupDatabase(connection);
                var copy = new SqliteRepository(connection, ":memory:", false);
                copy.Initialize(isFile: false);
                return copy;
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw Translate(e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        IRepository? IRepository.SnapshotInMemory() => SnapshotInMemory();

        public static SqliteRepository OpenFile(string path, bool readOnly, TimeSpan busyTimeout, bool allowSharedFile = false, List<string>? warnings = null)
        {
            string fullPath = path;
            try
            {
                fullPath = System.IO.Path.GetFullPath(path);
                if (Directory.Exists(fullPath))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(fullPath, Messages.PathIsFolder));
                // Before anything is created or read: a file or folder that another user controls is refused, unless
                // allowed; read-only, it is opened with a warning (nothing of ours can be changed through it).
                string? untrusted = allowSharedFile ? null : FileTrust.Problem(fullPath);
                if (untrusted != null)
                {
                    if (!readOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.SharedFileRefused(fullPath, untrusted));
                    warnings?.Add(Messages.SharedFileReadOnly(fullPath, untrusted));
                }
                if (!File.Exists(fullPath))
                {
                    if (readOnly) throw new CimLiteException(CimStatus.NotFound, Messages.RepositoryNotFound(fullPath));
                    CreateOwnerOnlyFile(fullPath);
                }
                else
                {
                    // Before SQLite sees the file: SQLite would roll back another database's hot journal or
                    // checkpoint its WAL when the connection closes, both writes to a file that is not ours.
                    CheckHeader(fullPath);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                // A path the file system refuses (NUL, too long, a missing drive, no permission): an argument error naming it.
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(fullPath, e.Message), innerException: e);
            }
            try
            {
                return Connect(fullPath, fullPath, readOnly, busyTimeout);
            }
            catch (CimLiteException e) when (readOnly && e.InnerException is SqliteException sqlite
                && (sqlite.SqliteErrorCode == SqliteCantOpen || sqlite.SqliteErrorCode == SqliteReadOnly)
                && !HasContent(fullPath + "-wal") && !File.Exists(fullPath + "-journal"))
            {
                // A read-only session of a file in a folder it cannot write: SQLite cannot create the WAL index
                // (-shm). With nothing in a WAL, the file alone is the whole repository: open it immutable (no
                // locks, no -shm, no writes of any kind), and say that changes by others will not be seen.
                var repository = Connect(fullPath, new Uri(fullPath).AbsoluteUri + "?immutable=1", readOnly, busyTimeout);
                warnings?.Add(Messages.OpenedImmutable(fullPath));
                return repository;
            }
        }

        private static bool HasContent(string path)
        {
            try
            {
                return File.Exists(path) && new FileInfo(path).Length > 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return true;
            }
        }

        private static SqliteRepository Connect(string fullPath, string dataSource, bool readOnly, TimeSpan busyTimeout)
        {
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = dataSource,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
                Pooling = false,
                // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout too: keep both in step.
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
            };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                var repository = new SqliteRepository(connection, fullPath, readOnly) { _busyTimeoutMs = (int)Math.Min(int.MaxValue, Math.Max(0, busyTimeout.TotalMilliseconds)) };
                var watch = System.Diagnostics.Stopwatch.StartNew();
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        repository.Initialize(isFile: true);
                        repository.Register();
                        return repository;
                    }
                    catch (SqliteException e) when (IsBusy(e) && !repository.InTransaction && watch.Elapsed < repository.BusyTimeout)
                    {
                        // Opening met another process's lock (WAL switch, recovery, migration): start over.
                        Backoff(attempt, repository.BusyTimeout - watch.Elapsed);
                    }
                }
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                if (IsBusy(e)) throw new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(fullPath), innerException: e);
                if (e.SqliteErrorCode == SqliteNotADatabase) throw new CimLiteException(CimStatus.Failed, Messages.NotADatabase(fullPath), innerException: e);
                if (readOnly && e.SqliteErrorCode == SqliteReadOnly && File.Exists(fullPath + "-journal"))
                    throw new CimLiteException(CimStatus.Failed, Messages.HotJournalReadOnly(fullPath, fullPath + "-journal"), innerException: e);
                if (e.SqliteErrorCode == SqliteCorrupt) throw new CimLiteException(CimStatus.Failed, Messages.RepositoryDamaged(fullPath, e.Message), innerException: e);
                throw new CimLiteException(CimStatus.Failed, Messages.CannotOpen(fullPath, e.Message), innerException: e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        private const int SqliteReadOnly = 8;
        private const int SqliteInterrupt = 9;
        private const int SqliteCantOpen = 14;
        private const int SqliteCorrupt = 11;
        private const int SqliteNotADatabase = 26;

        /// <summary>
        /// The SQLite error of a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) as a CimLiteException naming the
        /// repository; null for any other error. Operations translate what surfaces after the open with it.
        /// </summary>
        internal CimLiteException? TranslateDamage(Exception e)
        {
            if (IsDamage(e))
            {
                var sqlite = (SqliteException)e;
                // A damaged file (or a WAL that belongs to another file) must not be made worse by the
                // checkpoint SQLite runs when the connection closes: leave both files for a restore.
                if (!IsReadOnly && Path != ":memory:")
                {
                    try { SetCheckpointOnClose(false); }
                    catch (SqliteException) { }
                }
                return new CimLiteException(CimStatus.Failed, Messages.RepositoryDamaged(Path, sqlite.Message), innerException: e);
            }
            return null;
        }

        /// <summary>
        /// Any SQLite error as the CimLiteException a public operation reports: damage as <see cref="TranslateDamage"/>,
        /// BUSY/LOCKED as the "repository busy" error, anything else (I/O error, disk full, ...) as FAILED naming the
        /// repository; null when <paramref name="e"/> is not a SqliteException.
        /// </summary>
        internal CimLiteException? TranslateSqlite(Exception e)
        {
            if (!(e is SqliteException sqlite)) return null;
            if (IsDamage(e)) return TranslateDamage(e);
            if (IsBusy(sqlite)) return BusyFailure(e);
            if (sqlite.SqliteErrorCode == SqliteInterrupt)
                return new CimLiteException(CimStatus.Failed, DeadlinePassed ? Messages.OperationTimedOut(Path, _deadlineLimit.TotalSeconds) : Messages.OperationStopped(Path), innerException: e);
            return new CimLiteException(CimStatus.Failed, Messages.RepositoryError(Path, sqlite.Message), innerException: e);
        }

        /// <summary>
        /// A SQLite error met by a store as the CimLiteException the store throws instead (see <see cref="TranslateSqlite"/>).
        /// A BUSY/LOCKED one is marked, so that <see cref="RetryWhileBusy{T}"/> retries the attempt it ends as it
        /// retries a raw BUSY (and no other "repository busy" error, such as an inner retry that gave up).
        /// </summary>
        internal CimLiteException Translate(SqliteException e)
        {
            var translated = TranslateSqlite(e)!;
            translated.IsStorageFailure = true;
            translated.IsStorageBusy = IsBusy(e);
            return translated;
        }

        /// <summary>True for SQLITE_CORRUPT and SQLITE_NOTADB (cheap: for exception filters).</summary>
        internal static bool IsDamage(Exception e) =>
            e is SqliteException sqlite && (sqlite.SqliteErrorCode == SqliteCorrupt || sqlite.SqliteErrorCode == SqliteNotADatabase);

        /// <summary>
        /// Reads the 100-byte SQLite header of an existing file without SQLite, and rejects what is certainly not
        /// an openable CimLite repository: not SQLite at all, another application's identity, a newer format, or a
        /// file shorter than the size its header records (truncated). An empty file passes (it becomes a new repository).
        /// </summary>
        private static void CheckHeader(string fullPath)
        {
            var header = new byte[100];
            long length;
            int read = 0;
            using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                length = stream.Length;
                while (read < header.Length)
                {
                    int n = stream.Read(header, read, header.Length - read);
                    if (n <= 0) break;
                    read += n;
                }
            }
            if (length == 0) return;
            var magic = System.Text.Encoding.ASCII.GetBytes("SQLite format 3\0");
            if (read < header.Length) throw new CimLiteException(CimStatus.Failed, Messages.NotADatabase(fullPath));
            for (int i = 0; i < magic.Length; i++)
                if (header[i] != magic[i]) throw new CimLiteException(CimStatus.Failed, Messages.NotADatabase(fullPath));
            long pageSize = (header[16] << 8) | header[17];
            if (pageSize == 1) pageSize = 65536;
            // Fields every SQLite 3 file has: a power-of-two page size of 512..65536, payload fractions 64/32/32.
            if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0 || header[21] != 64 || header[22] != 32 || header[23] != 32)
                throw new CimLiteException(CimStatus.Failed, Messages.NotADatabase(fullPath));
            int applicationId = BigEndian(header, 68);
            bool wal = header[18] == 2 && header[19] == 2;
            // A CimLite repository is in WAL mode from its creation, and its identity only sits in the main file once
            // a checkpoint copied it there; a rollback-journal database with a schema and no identity is someone else's.
            if ((applicationId != 0 && applicationId != RepositorySchema.ApplicationId) || (applicationId == 0 && !wal && BigEndian(header, 40) != 0))
                throw new CimLiteException(CimStatus.Failed, Messages.ForeignDatabase(fullPath));
            int userVersion = BigEndian(header, 60);
            if (applicationId == RepositorySchema.ApplicationId && userVersion > RepositorySchema.FormatVersion)
                throw new CimLiteException(CimStatus.Failed, Messages.NewerFormat(fullPath, userVersion, RepositorySchema.FormatVersion));
            // Page size: 1 means 65536. The in-header page count is valid when the change counter equals the
            // version-valid-for number. The main file is never shorter than that unless cut (a WAL holds only
            // pages beyond it or newer copies of pages within it).
            long pages = (uint)BigEndian(header, 28);
            var walFile = new FileInfo(fullPath + "-wal");
            bool walHasFrames = walFile.Exists && walFile.Length > 32;
            if (!walHasFrames && BigEndian(header, 24) == BigEndian(header, 92) && pages > 0 && pages * pageSize > length)
                throw new CimLiteException(CimStatus.Failed, Messages.RepositoryTruncated(fullPath, length, pages * pageSize));
        }

        /// <summary>The header check of <see cref="OpenFile"/>, for repository care (Test, Restore).</summary>
        internal static void CheckHeaderOf(string fullPath) => CheckHeader(fullPath);

        /// <summary>Creates a new empty file (and its folder) readable and writable by its owner only, as a repository is.</summary>
        internal static void CreateOwnerOnlyFileAt(string fullPath) => CreateOwnerOnlyFile(fullPath);

        private static readonly Dictionary<string, int> OpenFiles = new Dictionary<string, int>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        /// <summary>How many repositories of this process have <paramref name="fullPath"/> open now.</summary>
        internal static int OpenCount(string fullPath)
        {
            lock (OpenFiles) return OpenFiles.TryGetValue(fullPath, out var n) ? n : 0;
        }

        private bool _registered;

        private void Register()
        {
            lock (OpenFiles) OpenFiles[Path] = (OpenFiles.TryGetValue(Path, out var n) ? n : 0) + 1;
            _registered = true;
        }

        private void Unregister()
        {
            if (!_registered) return;
            _registered = false;
            lock (OpenFiles)
            {
                if (OpenFiles.TryGetValue(Path, out var n) && n > 1) OpenFiles[Path] = n - 1;
                else OpenFiles.Remove(Path);
            }
        }

        /// <summary>Repository care on this connection (checks, counts, copy, optimize).</summary>
        public IRepositoryMaintenance Maintenance() => SqliteMaintenance.Of(this);

        private static int BigEndian(byte[] bytes, int offset) =>
            (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

        private void Initialize(bool isFile)
        {
            // Until the file is known to be a CimLite repository of a format we understand, closing the connection
            // must not checkpoint a WAL into it (SQLite does so when the last connection to a WAL database closes).
            if (isFile && !IsReadOnly) SetCheckpointOnClose(false);
            Execute("PRAGMA busy_timeout = " + _busyTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Functions CimLite registers (LIKE, time conversions) must never be callable from a schema object
            // (trigger, view, index expression, default) that a file brings along.
            Execute("PRAGMA trusted_schema = OFF");
            // One statement, so one snapshot: a process creating the file commits its tables, application_id and
            // user_version at once, and separate reads could straddle that commit (seeing, say, no tables and no id
            // but the new user_version: a "foreign" file that is really a repository being created).
            long objects;
            int appId, version;
            using (var identity = NewCommand("SELECT (SELECT count(*) FROM sqlite_master), (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)"))
            using (var reader = identity.ExecuteReader())
            {
                reader.Read();
                objects = reader.GetInt64(0);
                appId = reader.GetInt32(1);
                version = reader.GetInt32(2);
            }
            if (objects == 0 && appId == 0 && version == 0)
            {
                if (IsReadOnly) throw new CimLiteException(CimStatus.Failed, Messages.EmptyReadOnly(Path));
                if (isFile) Execute("PRAGMA journal_mode = WAL");
                using (var tx = BeginWrite())
                {
                    // Re-check under the write lock: another process may have created the repository meanwhile.
                    if (Convert.ToInt64(Scalar("SELECT count(*) FROM sqlite_master")) != 0)
                    {
                        tx.Dispose();
                        Initialize(isFile);
                        return;
                    }
                    Execute(RepositorySchema.CreateV1);
                    Execute("INSERT INTO cimlite_format(name, value) VALUES ('format', '1'), ('schema_generation', '0'), ('created_by', $by)",
                        ("$by", "CimLite " + typeof(SqliteRepository).Assembly.GetName().Version));
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
                // Before anything runs against it (journal mode, migrations, the first statement that could fire a trigger).
                CheckSchemaObjects();
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
            _checkedSchemaVersion = SchemaVersion();
            if (isFile) Execute("PRAGMA synchronous = FULL");
            // A page cache of up to 8 MiB (SQLite's default is 2 MB): it holds the pages a write transaction changes
            // and what scans read; point reads go through the memory map below, so a larger cache would only cost
            // memory and allocation (it was 64 MiB before the map: bulk puts paid for its fresh pages, and reading a
            // whole repository grew the process by the cache). See ARCHITECTURE.md, performance notes.
            if (isFile) Execute("PRAGMA cache_size = -" + PageCacheKiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Point reads (a get by path, an associator's hops, a put's key lookup) read the file's pages through a
            // memory map instead of copying each into the page cache: with more instances than the cache holds, a
            // random get costs one mapped page instead of a pread and a copy (scale.getByPath). Scans turn the map off
            // while they run (BeginScan), so that reading a whole class does not map the whole file. 64-bit only: a
            // 32-bit process (Windows PowerShell x86) has no address space to spare. SQLite caps the size it maps.
            if (isFile && Environment.Is64BitProcess) _mappedBytes = Convert.ToInt64(Scalar("PRAGMA mmap_size = " + MapLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
            if (isFile && !IsReadOnly) SetCheckpointOnClose(true);
        }

        /// <summary>The page cache of a file repository, in KiB (PRAGMA cache_size takes it negative).</summary>
        internal const int PageCacheKiB = 8192;

        /// <summary>How much of a repository file point reads may map (SQLite lowers it to its own compile-time limit).</summary>
        internal const long MapLimit = 1L << 32;

        // The map size in effect for point reads (0: no map: in memory, 32-bit, or SQLite built without it), and how
        // many scans are open (the map is off while any is).
        private long _mappedBytes;
        private int _scans;

        /// <summary>
        /// A read of many rows (a class's instances, a query's scan, repository care) begins: until the matching
        /// <see cref="EndScan"/>, pages are read into the page cache instead of the memory map, and the map is
        /// released when no mapped page is in use, so that a scan's memory stays the cache's (memory.enumerate1M)
        /// instead of the whole file. Scans nest.
        /// </summary>
        internal void BeginScan()
        {
            if (_mappedBytes == 0 || _scans++ > 0) return;
            SetMap(0);
        }

        /// <summary>Ends a scan begun by <see cref="BeginScan"/>: the last one turns the memory map back on.</summary>
        internal void EndScan()
        {
            if (_mappedBytes == 0 || _scans == 0 || --_scans > 0) return;
            SetMap(_mappedBytes);
        }

        private void SetMap(long bytes)
        {
            // A closed connection (the rows of a scan disposed after the session) has nothing to map.
            if (_connection.State != System.Data.ConnectionState.Open) return;
            try
            {
                Bound("PRAGMA mmap_size = " + bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Array.Empty<(string, object?)>()).ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Only how pages are read changes (an interrupted operation's connection, say): every read stays
                // correct either way, so a scan is not failed for it, and the next scan or its end sets it again.
            }
        }

        /// <summary>The schema cookie (PRAGMA schema_version) last seen to hold only CimLite's own objects.</summary>
        private long _checkedSchemaVersion = -1;

        private long SchemaVersion() => Convert.ToInt64(Scalar("PRAGMA schema_version"), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// Refuses a file holding a schema object CimLite did not create: a trigger, view, table or index that the
        /// statements of its format do not make, or one of theirs with other SQL (SQLite's own sqlite_sequence and
        /// sqlite_stat tables are allowed). Data must never make anyone run code: a trigger would run with the user's
        /// rights on every write. The list and the format are read in one statement (one snapshot).
        /// </summary>
        private void CheckSchemaObjects()
        {
            var rows = new List<(string Type, string Name, string Table, string? Sql)>();
            int version = 0;
            using (var command = NewCommand("SELECT type, name, tbl_name, sql, (SELECT user_version FROM pragma_user_version) FROM sqlite_master"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
                    version = reader.GetInt32(4);
                }
            }
            if (rows.Count == 0) return;
            var expected = RepositorySchema.ExpectedObjects(Math.Min(Math.Max(version, 1), RepositorySchema.FormatVersion));
            foreach (var (type, name, table, sql) in rows)
            {
                if (RepositorySchema.IsSqliteInternal(type, name)) continue;
                if (!expected.TryGetValue((type, name), out var want))
                    throw new CimLiteException(CimStatus.Failed, Messages.ForeignSchemaObject(Path, type, name));
                if (!string.Equals(want.Table, table, StringComparison.Ordinal) || want.Sql != RepositorySchema.Normalize(sql))
                    throw new CimLiteException(CimStatus.Failed, Messages.ChangedSchemaObject(Path, type, name));
            }
        }

        private void SetCheckpointOnClose(bool enabled)
        {
            int rc = SQLitePCL.raw.sqlite3_db_config(_connection.Handle!, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, enabled ? 0 : 1, out _);
            if (rc != SQLitePCL.raw.SQLITE_OK) throw new SqliteException("sqlite3_db_config(NO_CKPT_ON_CLOSE) failed", rc);
        }

        /// <summary>
        /// Creates an empty file readable and writable by its owner only (0600) on Unix, its folder 0700 if new. On
        /// .NET 7+ both are created with that mode (no moment in which another user could open them under the
        /// default umask); elsewhere they are created, then chmodded. The mode is set exactly afterwards either way.
        /// </summary>
        private static void CreateOwnerOnlyFile(string fullPath)
        {
            var directory = System.IO.Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                if (!TryCreateDirectoryWithMode(directory!, 0x1C0)) Directory.CreateDirectory(directory!);
                SetUnixMode(directory!, 0x1C0); // 0700
            }
            try
            {
                // Shared, not exclusive: CreateNew alone decides who creates it, and an exclusive handle (an flock
                // on Unix) would make a racing opener's header read fail with "used by another process".
                if (!TryCreateFileWithMode(fullPath, 0x180))
                    using (new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
            }
            catch (IOException) when (File.Exists(fullPath))
            {
                return; // another process created it first (and set its mode): open theirs
            }
            SetUnixMode(fullPath, 0x180); // 0600
        }

        /// <summary>
        /// On Unix with .NET 7+: creates a new file (FileMode.CreateNew) with <paramref name="mode"/> given to open(2)
        /// (FileStreamOptions.UnixCreateMode, reached by reflection from netstandard2.0), and returns true. False when
        /// the platform or runtime has no such option (nothing was created). Throws as FileStream does.
        /// </summary>
        internal static bool TryCreateFileWithMode(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
            var modeType = Type.GetType("System.IO.UnixFileMode");
            var optionsType = Type.GetType("System.IO.FileStreamOptions");
            var createMode = optionsType?.GetProperty("UnixCreateMode");
            var constructor = optionsType == null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), optionsType });
            if (modeType == null || createMode == null || constructor == null) return false;
            var options = Activator.CreateInstance(optionsType!)!;
            optionsType!.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            optionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            optionsType.GetProperty("Share")!.SetValue(options, FileShare.ReadWrite | FileShare.Delete);
            createMode.SetValue(options, Enum.ToObject(modeType, mode));
            FileStream stream;
            try
            {
                stream = (FileStream)constructor.Invoke(new[] { path, options });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            stream.Dispose();
            return true;
        }

        /// <summary>
        /// On Unix with .NET 7+: creates <paramref name="path"/> (and missing parents) with <paramref name="mode"/>
        /// given to mkdir(2) (Directory.CreateDirectory(string, UnixFileMode), by reflection), and returns true; else false.
        /// </summary>
        internal static bool TryCreateDirectoryWithMode(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
            var modeType = Type.GetType("System.IO.UnixFileMode");
            var method = modeType == null ? null : typeof(Directory).GetMethod("CreateDirectory", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), modeType }, null);
            if (method == null) return false;
            try
            {
                method.Invoke(null, new[] { path, Enum.ToObject(modeType!, mode) });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            return true;
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
                try
                {
                    method.Invoke(null, new[] { path, Enum.ToObject(modeType!, mode) });
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    // The caller handles IOException/UnauthorizedAccessException, not reflection's wrapper.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                    throw;
                }
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
            if (_deadline != 0) ApplyDeadline(command);
            else command.CommandTimeout = _connection.DefaultTimeout;
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
            if (_deadline != 0) ApplyDeadline(command);
            else command.CommandTimeout = _connection.DefaultTimeout;
            return command;
        }

        /// <summary>
        /// Runs a cached statement that returns no rows, with named parameters (null binds NULL), and returns how many
        /// rows it changed; a SQLite error comes out as its <see cref="CimLiteException"/> (<see cref="Translate"/>).
        /// </summary>
        public int NonQuery(string sql, params (string Name, object? Value)[] parameters)
        {
            try
            {
                return Bound(sql, parameters).ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
        }

        /// <summary>Runs a cached statement whose first column of the first row is an integer (a count, an id), as <see cref="NonQuery"/>.</summary>
        public long ScalarInt64(string sql, params (string Name, object? Value)[] parameters)
        {
            try
            {
                return Convert.ToInt64(Bound(sql, parameters).ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
        }

        private SqliteCommand Bound(string sql, (string Name, object? Value)[] parameters)
        {
            var command = Command(sql);
            command.Parameters.Clear();
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
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

        /// <summary>How long an operation may wait for the file's locks, in total (the session's busy timeout).</summary>
        public TimeSpan BusyTimeout => TimeSpan.FromMilliseconds(_busyTimeoutMs);

        /// <summary>True for SQLITE_BUSY and SQLITE_LOCKED, whatever their extended code (BUSY_SNAPSHOT, BUSY_RECOVERY, ...).</summary>
        public static bool IsBusy(SqliteException e) => (e.SqliteErrorCode & 0xFF) == 5 || (e.SqliteErrorCode & 0xFF) == 6
            || (e.SqliteExtendedErrorCode & 0xFF) == 5 || (e.SqliteExtendedErrorCode & 0xFF) == 6;

        /// <summary>The "repository busy" failure, keeping SQLite's error as the inner exception.</summary>
        public CimLiteException BusyFailure(Exception? inner) => DeadlinePassed
            ? new CimLiteException(CimStatus.Failed, Messages.OperationTimedOut(Path, _deadlineLimit.TotalSeconds), innerException: inner)
            : new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(Path), innerException: inner);

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        /// <summary>True while an operation deadline is set and spent.</summary>
        public bool DeadlinePassed => _deadline != 0 && System.Diagnostics.Stopwatch.GetTimestamp() >= _deadline;

        /// <summary>What is left of the operation's deadline (<see cref="TimeSpan.MaxValue"/> without one; never negative).</summary>
        private TimeSpan DeadlineLeft
        {
            get
            {
                if (_deadline == 0) return TimeSpan.MaxValue;
                long left = _deadline - System.Diagnostics.Stopwatch.GetTimestamp();
                return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(left / (double)System.Diagnostics.Stopwatch.Frequency);
            }
        }

        /// <summary>
        /// Sets (a positive <paramref name="limit"/>) or clears (null) the deadline of the operation about to run: every
        /// wait for a lock (SQLite's busy handler, Microsoft.Data.Sqlite's retry of a busy statement, <see cref="RetryWhileBusy{T}"/>)
        /// then ends by it, and a busy failure after it is the "timed out" error instead of "busy".
        /// </summary>
        public void SetDeadline(TimeSpan? limit)
        {
            if (limit == null)
            {
                _deadline = 0;
                if (_appliedBusyMs != -1 && _connection.Handle != null)
                    SQLitePCL.raw.sqlite3_busy_timeout(_connection.Handle, _busyTimeoutMs);
                _appliedBusyMs = -1;
                if (_savedDefaultTimeout != -1) _connection.DefaultTimeout = _savedDefaultTimeout;
                _savedDefaultTimeout = -1;
                return;
            }
            if (_savedDefaultTimeout == -1) _savedDefaultTimeout = _connection.DefaultTimeout;
            _deadlineLimit = limit.Value;
            _deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(limit.Value.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            if (_deadline == 0) _deadline = 1;
            ApplyDeadline(null);
        }

        /// <summary>Caps SQLite's busy wait (and a command's busy retry) at what is left of the deadline.</summary>
        private void ApplyDeadline(SqliteCommand? command)
        {
            var left = DeadlineLeft;
            int ms = (int)Math.Min(_busyTimeoutMs, Math.Ceiling(left.TotalMilliseconds));
            if (ms != _appliedBusyMs && _connection.Handle != null)
            {
                SQLitePCL.raw.sqlite3_busy_timeout(_connection.Handle, ms);
                _appliedBusyMs = ms;
            }
            // Microsoft.Data.Sqlite retries a busy statement (its own commands too, such as BEGIN) for the command
            // timeout, in whole seconds (0 would mean for ever): at least one.
            var seconds = CommandTimeoutFor(ms);
            if (_connection.DefaultTimeout != seconds) _connection.DefaultTimeout = seconds;
            if (command != null) command.CommandTimeout = seconds;
        }

        private static int CommandTimeoutFor(int busyMs) => Math.Max(1, (int)Math.Ceiling(busyMs / 1000.0));

        [ThreadStatic] private static Random? _jitter;

        /// <summary>Sleeps a small random time before retry number <paramref name="attempt"/> (1-based), at most <paramref name="left"/>.</summary>
        public static void Backoff(int attempt, TimeSpan left)
        {
            var random = _jitter ?? (_jitter = new Random(Guid.NewGuid().GetHashCode()));
            int ceiling = Math.Min(100, 2 << Math.Min(attempt, 6)); // 4, 8, 16, ... 100 ms
            int ms = random.Next(1, ceiling + 1);
            if (ms > left.TotalMilliseconds) ms = Math.Max(0, (int)left.TotalMilliseconds);
            if (ms > 0) System.Threading.Thread.Sleep(ms);
        }

        /// <summary>
        /// Runs <paramref name="attempt"/>, and again after a small random backoff whenever it fails with BUSY/LOCKED,
        /// until the busy timeout is spent or <paramref name="mayRetry"/> (asked after a failed attempt) says no; then
        /// fails with the "repository busy" error.
        /// </summary>
        public T RetryWhileBusy<T>(Func<T> attempt, Func<bool>? mayRetry = null)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int n = 1; ; n++)
            {
                try
                {
                    if (_deadline != 0) ApplyDeadline(null);
                    return attempt();
                }
                catch (SqliteException e) when (IsBusy(e))
                {
                    var left = Min(BusyTimeout - watch.Elapsed, DeadlineLeft);
                    if (left <= TimeSpan.Zero || (mayRetry != null && !mayRetry())) throw BusyFailure(e);
                    Backoff(n, left);
                }
                catch (CimLiteException e) when (e.IsStorageBusy)
                {
                    // A store met BUSY/LOCKED and threw its translation: the same as a raw BUSY above.
                    var left = Min(BusyTimeout - watch.Elapsed, DeadlineLeft);
                    if (left <= TimeSpan.Zero || (mayRetry != null && !mayRetry())) throw BusyFailure(e.InnerException);
                    Backoff(n, left);
                }
            }
        }

        /// <summary>
        /// Begins a write transaction (BEGIN IMMEDIATE: the write lock is taken here, before anything runs). A busy
        /// file is waited for by SQLite's busy handler; a BUSY/LOCKED that still comes back (a stale WAL snapshot,
        /// recovery by another process, a busy handler that gave up early) is retried with a small random backoff
        /// until the busy timeout is spent, and only then fails with the "repository busy" error.
        /// </summary>
        public WriteTransaction BeginWrite()
        {
            if (IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            if (_transaction != null) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            try
            {
                _transaction = RetryWhileBusy(() => _connection.BeginTransaction(deferred: false));
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            TransactionSerial++;
            var tx = new WriteTransaction(this);
            try
            {
                // Another connection may have added a schema object since it was last checked: check again before
                // this transaction writes anything (a trigger would fire on its first insert).
                long schemaVersion = SchemaVersion();
                if (schemaVersion != _checkedSchemaVersion)
                {
                    CheckSchemaObjects();
                    _checkedSchemaVersion = schemaVersion;
                }
            }
            catch (SqliteException e)
            {
                tx.Dispose();
                throw Translate(e);
            }
            catch
            {
                tx.Dispose();
                throw;
            }
            return tx;
        }

        /// <summary>A deferred transaction whose snapshot is taken at once (its first read); rolled back when disposed.</summary>
        public ReadSnapshot BeginReadSnapshot()
        {
            if (_transaction != null) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            try
            {
                _transaction = _connection.BeginTransaction(deferred: true);
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            TransactionSerial++;
            var snapshot = new ReadSnapshot(this);
            try
            {
                Scalar("SELECT count(*) FROM sqlite_master");
            }
            catch (SqliteException e)
            {
                snapshot.Dispose();
                throw Translate(e);
            }
            catch
            {
                snapshot.Dispose();
                throw;
            }
            return snapshot;
        }

        /// <summary>A posted-queue write transaction: the same as <see cref="BeginWrite"/> (SQLite has one writer at a time).</summary>
        public WriteTransaction BeginQueueWrite() => BeginWrite();

        /// <summary>Each scan is one statement, one snapshot: nothing to hold.</summary>
        public IDisposable HoldPagedReads() => NoHold.Instance;

        private sealed class NoHold : IDisposable
        {
            public static readonly NoHold Instance = new NoHold();

            public void Dispose() { }
        }

        /// <summary>One writer at a time already: the same as <see cref="BeginWrite"/>.</summary>
        public WriteTransaction BeginSchemaWrite() => BeginWrite();

        /// <summary>Opens a savepoint inside the write transaction: <see cref="ReleaseSavepoint"/> keeps its changes, <see cref="RollbackSavepoint"/> undoes them.</summary>
        public void BeginSavepoint() => Run("SAVEPOINT cimlite_put");

        public void ReleaseSavepoint() => Run("RELEASE cimlite_put");

        /// <summary>Undoes everything since <see cref="BeginSavepoint"/> and closes it.</summary>
        public void RollbackSavepoint()
        {
            Run("ROLLBACK TO cimlite_put");
            Run("RELEASE cimlite_put");
        }

        private void Run(string sql)
        {
            try
            {
                Command(sql).ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
        }

        public void EndTransaction(bool commit)
        {
            var tx = _transaction;
            _transaction = null;
            if (tx == null) return;
            try
            {
                if (commit) tx.Commit();
                // An interrupted write (or an error that ends the transaction) has been rolled back by SQLite already.
                else if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0) tx.Rollback();
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            finally
            {
                tx.Dispose();
            }
        }

        /// <summary>
        /// Makes the statement running on this connection (on any thread) stop as soon as it can, with SQLITE_INTERRUPT;
        /// a write transaction it belonged to is rolled back. Safe to call from another thread, and when nothing runs.
        /// </summary>
        public void Interrupt()
        {
            var handle = _connection.Handle;
            if (handle != null && !handle.IsInvalid) SQLitePCL.raw.sqlite3_interrupt(handle);
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
            Unregister();
        }
    }
}
