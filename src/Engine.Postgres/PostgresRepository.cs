using System;
using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// A repository in one schema of a PostgreSQL database, through one Npgsql connection per session: opening with the
    /// schema's identity and format checks (created on first use), write transactions (READ COMMITTED with explicit locks; deadlocks
    /// and lock timeouts count as "busy" and are retried as whole transactions where the engine
    /// retries SQLITE_BUSY), savepoints, interrupt (a cancel request), and the translation of every Npgsql error into
    /// <see cref="CimLiteException"/>. Values are always bound as parameters ($1, $2, ...); the only text built here is
    /// the schema's name in CREATE SCHEMA, checked against <see cref="SchemaNamePattern"/> first.
    /// </summary>
    internal sealed class PostgresRepository : IRepository, IDeferredGenerationCheck
    {
        private readonly NpgsqlConnection _connection;
        private readonly string _connectionString;
        private readonly Dictionary<string, NpgsqlCommand> _commands = new Dictionary<string, NpgsqlCommand>();
        private NpgsqlTransaction? _transaction;
        private volatile NpgsqlCommand? _running;
        private readonly TimeSpan _busyTimeout;
        private long _deadline;
        private TimeSpan _deadlineLimit;

        private PostgresInstanceStore? _instances;
        private PostgresClassStore? _classStore;
        private PostgresPostedStore? _posted;
        private PostgresQueryTranslator? _queries;

        private PostgresRepository(NpgsqlConnection connection, string path, string schema, bool readOnly, TimeSpan busyTimeout)
        {
            _connection = connection;
            _connectionString = connection.ConnectionString;
            Path = path;
            Schema = schema;
            IsReadOnly = readOnly;
            _busyTimeout = busyTimeout;
        }

        /// <summary>"host:port/database, schema S": what messages call the repository (never the password).</summary>
        public string Path { get; }

        /// <summary>The process id of this session's server connection (<c>pg_backend_pid()</c>), which leases name.</summary>
        internal int BackendProcessId => _connection.ProcessID;

        /// <summary>The schema that holds the repository.</summary>
        public string Schema { get; }

        public bool IsReadOnly { get; }

        public int FormatVersion { get; private set; } = PostgresSchema.FormatVersion;

        public bool InTransaction => _transaction != null;

        public long TransactionSerial { get; private set; }

        public IInstanceStore Instances => _instances ?? (_instances = new PostgresInstanceStore(this));

        public IClassStore Classes => _classStore ?? (_classStore = new PostgresClassStore(this));

        public IPostedStore Posted => _posted ?? (_posted = new PostgresPostedStore(this));

        public IQueryTranslator Queries => _queries ?? (_queries = new PostgresQueryTranslator(this));

        /// <summary>An unquoted PostgreSQL identifier (what CREATE SCHEMA may be given without quoting rules of its own).</summary>
        private static readonly Regex SchemaNamePattern = new Regex(@"^[A-Za-z_][A-Za-z0-9_$]{0,62}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Opens (or creates, in an empty or missing schema) the repository a connection string names: the schema is the
        /// first of its Search Path, default <c>cimlite</c>. A schema holding anything CimLite did not create, or a newer
        /// format, is refused without a change.
        /// </summary>
        public static PostgresRepository Open(string connectionString, bool readOnly, TimeSpan busyTimeout)
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is InvalidCastException)
            {
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.CannotOpen("PostgreSQL", e.Message), innerException: e);
            }
            string schema = SchemaOf(builder.SearchPath);
            builder.SearchPath = "\"" + schema + "\"";
            if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
            if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "CimLite";
            string path = (builder.Host ?? "localhost") + ":" + builder.Port.ToString(CultureInfo.InvariantCulture) + "/" +
                          (builder.Database ?? builder.Username ?? "") + ", schema " + schema;
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                connection.Open();
            }
            catch (Exception e) when (e is NpgsqlException || e is InvalidOperationException || e is ArgumentException)
            {
                connection.Dispose();
                throw new CimLiteException(CimStatus.Failed, Messages.CannotOpen(path, e.Message), innerException: e);
            }
            var repository = new PostgresRepository(connection, path, schema, readOnly, busyTimeout);
            try
            {
                repository.Initialize();
                return repository;
            }
            catch
            {
                repository.Dispose();
                throw;
            }
        }

        /// <summary>The repository's schema: the first name of a Search Path (unquoted names fold to lower case, as PostgreSQL folds them).</summary>
        internal static string SchemaOf(string? searchPath)
        {
            if (string.IsNullOrWhiteSpace(searchPath)) return PostgresSchema.DefaultSchema;
            var text = searchPath!.Trim();
            string first;
            if (text.StartsWith("\"", StringComparison.Ordinal))
            {
                int end = 1;
                var name = new System.Text.StringBuilder();
                while (end < text.Length)
                {
                    if (text[end] == '"')
                    {
                        if (end + 1 < text.Length && text[end + 1] == '"') { name.Append('"'); end += 2; continue; }
                        break;
                    }
                    name.Append(text[end++]);
                }
                first = name.ToString();
            }
            else
            {
                int comma = text.IndexOf(',');
                first = (comma >= 0 ? text.Substring(0, comma) : text).Trim().ToLowerInvariant();
            }
            if (!SchemaNamePattern.IsMatch(first)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.PostgresBadSchemaName(first));
            return first;
        }

        /// <summary>What the schema holds, read in one statement (one snapshot).</summary>
        private sealed class SchemaState
        {
            public bool Exists;
            public List<string> Relations = new List<string>();
            public List<string> Foreign = new List<string>();
        }

        private const string SchemaStateSql =
            "SELECT n.oid IS NOT NULL, " +
            "coalesce((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid), '{}'), " +
            "coalesce((SELECT array_agg('function ' || p.proname::text) FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid), '{}') || " +
            "coalesce((SELECT array_agg('type ' || t.typname::text) FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0 AND t.typelem = 0), '{}') || " +
            "coalesce((SELECT array_agg('trigger ' || tg.tgname::text) FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid WHERE c.relnamespace = n.oid AND NOT tg.tgisinternal), '{}') || " +
            "coalesce((SELECT array_agg('rule ' || r.rulename::text) FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = n.oid), '{}') || " +
            "coalesce((SELECT array_agg('policy ' || pol.polname::text) FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = n.oid), '{}') " +
            "FROM (SELECT $1::text AS name) s LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = s.name";

        private SchemaState ReadSchemaState()
        {
            return Run(SchemaStateSql, new object?[] { Schema }, command =>
            {
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    var state = new SchemaState { Exists = reader.GetBoolean(0) };
                    state.Relations.AddRange(reader.GetFieldValue<string[]>(1));
                    state.Foreign.AddRange(reader.GetFieldValue<string[]>(2));
                    return state;
                }
            });
        }

        private void Initialize()
        {
            // Keys and conditions rely on UTF-8 text (\uXXXX escapes in json, every character storable).
            var encoding = Rows("SELECT pg_catalog.current_setting('server_encoding')", r => r.GetString(0))[0];
            if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
                throw new CimLiteException(CimStatus.Failed, Messages.PostgresNotUtf8(Path, encoding));
            var state = ReadSchemaState();
            if (state.Relations.Count == 0 && state.Foreign.Count == 0)
            {
                if (IsReadOnly) throw new CimLiteException(CimStatus.Failed, Messages.EmptyReadOnly(Path));
                CreateRepository();
                state = ReadSchemaState();
            }
            CheckSchema(state);
            Run("SELECT pg_catalog.set_config('lock_timeout', $1, false)", new object?[] { LockTimeoutText(_busyTimeout) }, c => c.ExecuteNonQuery());
            if (IsReadOnly) Run("SELECT pg_catalog.set_config('default_transaction_read_only', 'on', false)", Array.Empty<object?>(), c => c.ExecuteNonQuery());
        }

        private static string LockTimeoutText(TimeSpan wait) =>
            Math.Max(1, (long)Math.Ceiling(Math.Min(wait.TotalMilliseconds, int.MaxValue))).ToString(CultureInfo.InvariantCulture) + "ms";

        /// <summary>
        /// Creates the schema (if missing) and the tables, in one transaction that first takes an advisory lock on the
        /// schema's name, so that sessions creating the same repository at once wait for one another; the second finds the
        /// tables made and creates nothing.
        /// </summary>
        private void CreateRepository()
        {
            using (var tx = BeginSchemaWrite())
            {
                Run("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('cimlite:' || $1))", new object?[] { Schema }, c => c.ExecuteNonQuery());
                var state = ReadSchemaState();
                if (state.Relations.Count == 0 && state.Foreign.Count == 0)
                {
                    // The name passed SchemaNamePattern: letters, digits, '_' and '$' only.
                    if (!state.Exists) Execute("CREATE SCHEMA \"" + Schema + "\"");
                    Execute(PostgresSchema.Create);
                    NonQuery("INSERT INTO cimlite_format(name, value) VALUES ('identity', $1), ('format', $2), ('schema_generation', '0'), ('created_by', $3)",
                        PostgresSchema.Identity, PostgresSchema.FormatVersion.ToString(CultureInfo.InvariantCulture),
                        "CimLite " + typeof(PostgresRepository).Assembly.GetName().Version);
                }
                tx.Commit();
            }
        }

        /// <summary>Refuses a schema that holds anything CimLite did not create, a newer format, or an incomplete repository.</summary>
        private void CheckSchema(SchemaState state)
        {
            if (state.Foreign.Count > 0) throw new CimLiteException(CimStatus.Failed, Messages.PostgresForeignSchema(Path, state.Foreign[0]));
            if (!state.Relations.Contains("cimlite_format"))
                throw new CimLiteException(CimStatus.Failed, Messages.PostgresForeignSchema(Path, "relation '" + state.Relations[0] + "'"));
            string? identity = null, format = null;
            try
            {
                Run("SELECT name, value FROM cimlite_format WHERE name IN ('identity', 'format')", Array.Empty<object?>(), command =>
                {
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                        {
                            if (reader.GetString(0) == "identity") identity = reader.GetString(1);
                            else format = reader.GetString(1);
                        }
                    return 0;
                });
            }
            catch (CimLiteException e) when (e.IsStorageFailure && !e.IsStorageBusy)
            {
                // A table of that name with other columns: someone else's.
                throw new CimLiteException(CimStatus.Failed, Messages.PostgresForeignSchema(Path, "table 'cimlite_format' of another shape"), innerException: e);
            }
            if (identity != PostgresSchema.Identity || !int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
                throw new CimLiteException(CimStatus.Failed, Messages.PostgresForeignSchema(Path, "table 'cimlite_format' without CimLite's identity"));
            if (version > PostgresSchema.FormatVersion)
                throw new CimLiteException(CimStatus.Failed, Messages.PostgresNewerFormat(Path, version, PostgresSchema.FormatVersion));
            foreach (var relation in state.Relations)
                if (!PostgresSchema.Relations.Contains(relation))
                    throw new CimLiteException(CimStatus.Failed, Messages.PostgresForeignSchema(Path, "relation '" + relation + "'"));
            foreach (var relation in PostgresSchema.Relations)
                if (!state.Relations.Contains(relation))
                    throw new CimLiteException(CimStatus.Failed, Messages.RepositoryDamaged(Path, "relation '" + relation + "' is missing"));
            FormatVersion = version;
        }

        // ---- statements -------------------------------------------------------------------------------------------

        /// <summary>A prepared-on-use command for a statement text (one per text per connection), bound to the open transaction.</summary>

        // ---- enumeration snapshots (a second connection) ------------------------------------------------------------

        private NpgsqlConnection? _reader;
        private NpgsqlTransaction? _readerTransaction;
        private readonly Dictionary<string, NpgsqlCommand> _readerCommands = new Dictionary<string, NpgsqlCommand>();
        private int _readerUsers;

        /// <summary>
        /// Begins a paged read (an enumeration or a query read in id pages). Inside a transaction of this session it
        /// reads there (a write sees its own changes; a read snapshot is one moment already) and returns false. Otherwise
        /// it reads on the session's reader connection (opened on first use) in a REPEATABLE READ, READ ONLY transaction
        /// shared by the paged reads open at once and ended with the last of them (<see cref="EndPagedRead"/>): every page
        /// sees the moment the first began, while this session's own puts and deletes (between two enumerated items) and
        /// other clients' go on: a read-only transaction takes no lock that a write waits for. Returns true then.
        /// </summary>
        internal bool BeginPagedRead()
        {
            if (_transaction != null) return false;
            if (_readerUsers == 0)
            {
                try
                {
                    if (_reader == null)
                    {
                        var reader = new NpgsqlConnection(_connectionString);
                        reader.Open();
                        _reader = reader;
                    }
                    _readerTransaction = _reader.BeginTransaction(IsolationLevel.RepeatableRead);
                    ReaderRun("SET TRANSACTION READ ONLY", Array.Empty<object?>(), c => c.ExecuteNonQuery());
                }
                catch (Exception e) when (e is NpgsqlException || e is InvalidOperationException)
                {
                    DropReader();
                    throw Translate(e);
                }
            }
            _readerUsers++;
            return true;
        }

        /// <summary>
        /// Holds the reader's snapshot until disposed (a deep enumeration or a query over a hierarchy: its classes are
        /// read one after the other, all in the snapshot taken here). Inside a transaction of this session: nothing.
        /// </summary>
        public IDisposable HoldPagedReads() => BeginPagedRead() ? new PagedReadHold(this) : (IDisposable)new PagedReadHold(null);

        private sealed class PagedReadHold : IDisposable
        {
            private PostgresRepository? _repository;

            public PagedReadHold(PostgresRepository? repository) { _repository = repository; }

            public void Dispose()
            {
                var repository = _repository;
                _repository = null;
                repository?.EndPagedRead();
            }
        }

        /// <summary>Ends one paged read begun with <see cref="BeginPagedRead"/> returning true; the last one ends the reader's transaction.</summary>
        internal void EndPagedRead()
        {
            if (_readerUsers == 0) return;
            if (--_readerUsers > 0) return;
            var tx = _readerTransaction;
            _readerTransaction = null;
            try
            {
                tx?.Commit();
            }
            catch (Exception e) when (e is NpgsqlException || e is InvalidOperationException)
            {
                // A broken reader connection: opened afresh by the next paged read.
                DropReader();
            }
            finally
            {
                tx?.Dispose();
            }
        }

        private void DropReader()
        {
            Close(_readerCommands, _readerTransaction, _reader);
            _readerTransaction = null;
            _readerUsers = 0;
            _reader = null;
        }

        /// <summary>Reads every row of one statement on the reader connection, in its snapshot (<see cref="BeginPagedRead"/>).</summary>
        internal List<T> ReaderRows<T>(string sql, Func<NpgsqlDataReader, T> row, params object?[] values) => ReaderRun(sql, values, c =>
        {
            var result = new List<T>();
            using (var reader = c.ExecuteReader())
                while (reader.Read()) result.Add(row(reader));
            return result;
        });

        private T ReaderRun<T>(string sql, object?[] values, Func<NpgsqlCommand, T> body) =>
            Statement(_reader ?? throw new InvalidOperationException("no paged read is open"), _readerCommands, _readerTransaction, sql, values, body, main: false);

        /// <summary>
        /// Runs a statement with positional parameters ($1 = values[0], ...; null binds NULL) through <paramref name="body"/>;
        /// any Npgsql error comes out as its <see cref="CimLiteException"/> (<see cref="Translate"/>).
        /// </summary>
        internal T Run<T>(string sql, object?[] values, Func<NpgsqlCommand, T> body) =>
            Statement(_connection, _commands, _transaction, sql, values, body, main: true);

        /// <summary>
        /// Runs a statement on one of the session's connections (the main one, or the reader of paged reads): the
        /// connection's prepared command for that text, in its open transaction, with the values bound; errors translated.
        /// A failed statement on the main connection is noted (it aborted the open transaction, see <see cref="NoteFailedStatement"/>).
        /// </summary>
        private T Statement<T>(NpgsqlConnection connection, Dictionary<string, NpgsqlCommand> commands, NpgsqlTransaction? transaction,
            string sql, object?[] values, Func<NpgsqlCommand, T> body, bool main)
        {
            if (!commands.TryGetValue(sql, out var command))
            {
                command = new NpgsqlCommand(sql, connection);
                commands[sql] = command;
            }
            command.Transaction = transaction;
            var parameters = command.Parameters;
            parameters.Clear();
            foreach (var value in values) parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            _running = command;
            try
            {
                return body(command);
            }
            catch (NpgsqlException e)
            {
                if (main) NoteFailedStatement();
                throw Translate(e);
            }
            catch (OperationCanceledException e)
            {
                // Npgsql reports a statement cancelled by Interrupt (57014) as OperationCanceledException.
                if (main) NoteFailedStatement();
                throw Translate(e);
            }
            catch (InvalidOperationException e) when (!connection.FullState.HasFlag(ConnectionState.Open))
            {
                throw Translate(e);
            }
            finally
            {
                _running = null;
            }
        }

        /// <summary>Runs a statement that returns no rows and returns how many rows it changed.</summary>
        internal int NonQuery(string sql, params object?[] values) => Run(sql, values, c => c.ExecuteNonQuery());

        /// <summary>Runs a statement whose first column of the first row is an integer (a count, an id); 0 when there is no row.</summary>
        internal long ScalarInt64(string sql, params object?[] values) => Run(sql, values, c =>
        {
            var v = c.ExecuteScalar();
            return v == null || v is DBNull ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);
        });

        /// <summary>Runs a statement and reads every row with <paramref name="row"/>.</summary>
        internal List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> row, params object?[] values) => Run(sql, values, c =>
        {
            var result = new List<T>();
            using (var reader = c.ExecuteReader())
                while (reader.Read()) result.Add(row(reader));
            return result;
        });

        /// <summary>Runs constant text without parameters (the schema's DDL; several statements allowed).</summary>
        private void Execute(string sql)
        {
            using (var command = new NpgsqlCommand(sql, _connection, _transaction))
            {
                _running = command;
                try
                {
                    command.ExecuteNonQuery();
                }
                catch (Exception e) when (e is NpgsqlException || e is OperationCanceledException)
                {
                    throw Translate(e);
                }
                finally
                {
                    _running = null;
                }
            }
        }

        // ---- errors -----------------------------------------------------------------------------------------------

        /// <summary>serialization_failure, deadlock_detected, lock_not_available: another session's work; the whole transaction may be retried.</summary>
        internal static bool IsBusy(Exception e) =>
            e is PostgresException p && (p.SqlState == PostgresErrorCodes.SerializationFailure || p.SqlState == PostgresErrorCodes.DeadlockDetected || p.SqlState == PostgresErrorCodes.LockNotAvailable);

        /// <summary>
        /// An Npgsql error as the CimLiteException a store throws: busy conditions as the "repository busy" error marked
        /// <see cref="CimLiteException.IsStorageBusy"/>, a cancelled statement as "stopped" (or "timed out" past the
        /// deadline), anything else as FAILED naming the repository; always marked <see cref="CimLiteException.IsStorageFailure"/>.
        /// </summary>
        internal CimLiteException Translate(Exception e)
        {
            CimLiteException translated;
            if (IsBusy(e)) translated = BusyFailure(e);
            else if ((e is PostgresException p && p.SqlState == PostgresErrorCodes.QueryCanceled) || e is OperationCanceledException)
                translated = new CimLiteException(CimStatus.Failed, DeadlinePassed ? Messages.OperationTimedOut(Path, _deadlineLimit.TotalSeconds) : Messages.OperationStopped(Path), innerException: e);
            else translated = new CimLiteException(CimStatus.Failed, Messages.RepositoryError(Path, e is PostgresException pg ? pg.SqlState + ": " + pg.MessageText : e.Message), innerException: e);
            translated.IsStorageFailure = true;
            translated.IsStorageBusy = IsBusy(e);
            return translated;
        }

        private CimLiteException BusyFailure(Exception? inner) => DeadlinePassed
            ? new CimLiteException(CimStatus.Failed, Messages.OperationTimedOut(Path, _deadlineLimit.TotalSeconds), innerException: inner)
            : new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(Path), innerException: inner);

        // ---- transactions -----------------------------------------------------------------------------------------

        /// <summary>What the open transaction is: it decides the locks a statement takes.</summary>
        private enum TransactionKind
        {
            None,
            Snapshot,
            Queue,
            Instances,
            Schema,
        }

        private TransactionKind _kind;

        /// <summary>
        /// True inside an instance write transaction (shared schema lock): a point read of an instance locks its row
        /// (<c>FOR UPDATE</c>), so that what the write decides from it stays true until commit. Under the exclusive schema
        /// lock no other writer runs, and queue or read transactions never lock instances.
        /// </summary>
        internal bool LocksInstanceRows => _kind == TransactionKind.Instances;

        /// <summary>The advisory lock (64-bit key space) that instance writers hold shared and schema writers exclusive, per schema.</summary>
        private string WritersLockName => "cimlite writers:" + Schema;

        /// <summary>
        /// An instance write (put, delete, batch, invoke): READ COMMITTED, holding the schema's writers lock shared, so
        /// that any number of them run at once while no class, namespace or qualifier declaration changes under them.
        /// WMI's rules come from explicit locks, not from serializable checks (see <see cref="PostgresInstanceStore"/>).
        /// </summary>
        public WriteTransaction BeginWrite() => Begin(TransactionKind.Instances);

        /// <summary>A schema write (classes, namespaces, qualifier declarations; MOF import; a copy into this repository): READ COMMITTED, holding the schema's writers lock exclusive.</summary>
        public WriteTransaction BeginSchemaWrite() => Begin(TransactionKind.Schema);

        /// <summary>
        /// A posted-queue transaction at READ COMMITTED: its takes lock their rows (<c>FOR UPDATE SKIP LOCKED</c>), its
        /// updates name rows by id or by owner, so readers never get the same row. It takes no schema lock (it touches
        /// only the queue's tables).
        /// </summary>
        public WriteTransaction BeginQueueWrite() => Begin(TransactionKind.Queue);

        /// <summary>
        /// Called before a schema change (a class store write): a transaction begun as an instance write takes the
        /// writers lock exclusive now (waiting for the other writers; two such upgrades at once end in a deadlock that
        /// PostgreSQL breaks, which is "busy" and reruns the whole transaction). The engine begins schema changes with
        /// <see cref="BeginSchemaWrite"/>, so this is only a safety net.
        /// </summary>
        internal void RequireSchemaLock()
        {
            if (_kind != TransactionKind.Instances) return;
            NonQuery("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))", WritersLockName);
            _kind = TransactionKind.Schema;
        }

        /// <summary>
        /// A REPEATABLE READ, READ ONLY transaction whose snapshot is taken at once (by a first statement): every read
        /// until it is disposed sees one moment; rolled back when disposed. Allowed on a read-only session.
        /// </summary>
        public ReadSnapshot BeginReadSnapshot()
        {
            if (_transaction != null) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            try
            {
                _transaction = _connection.BeginTransaction(IsolationLevel.RepeatableRead);
            }
            catch (NpgsqlException e)
            {
                throw Translate(e);
            }
            _kind = TransactionKind.Snapshot;
            TransactionSerial++;
            var snapshot = new ReadSnapshot(this);
            try
            {
                Run("SET TRANSACTION READ ONLY", Array.Empty<object?>(), c => c.ExecuteNonQuery());
                Run("SELECT 1", Array.Empty<object?>(), c => c.ExecuteScalar());
            }
            catch
            {
                snapshot.Dispose();
                throw;
            }
            return snapshot;
        }

        private WriteTransaction Begin(TransactionKind kind)
        {
            if (IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            if (_transaction != null) throw new InvalidOperationException(Messages.WriteTransactionOpen);
            try
            {
                _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
            }
            catch (NpgsqlException e)
            {
                throw Translate(e);
            }
            _kind = kind;
            TransactionSerial++;
            var tx = new WriteTransaction(this);
            try
            {
                if (_deadline != 0)
                    Run("SELECT pg_catalog.set_config('lock_timeout', $1, true)", new object?[] { LockTimeoutText(Min(_busyTimeout, DeadlineLeft)) }, c => c.ExecuteNonQuery());
                if (kind == TransactionKind.Instances)
                    NonQuery("SELECT pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtextextended($1, 0))", WritersLockName);
                else if (kind == TransactionKind.Schema)
                    NonQuery("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))", WritersLockName);
            }
            catch
            {
                tx.Dispose();
                throw;
            }
            return tx;
        }

        public void EndTransaction(bool commit)
        {
            var tx = _transaction;
            _transaction = null;
            _kind = TransactionKind.None;
            bool aborted = _failedAtDepth >= 0;
            _failedAtDepth = -1;
            _savepointDepth = 0;
            if (tx == null) return;
            try
            {
                if (commit && aborted)
                {
                    if (_connection.FullState == ConnectionState.Open) tx.Rollback();
                    var failure = new CimLiteException(CimStatus.Failed, Messages.RepositoryError(Path, Messages.PostgresTransactionAborted));
                    failure.IsStorageFailure = true;
                    throw new CimLiteException(CimStatus.Failed, failure.Message, innerException: failure) { IsStorageFailure = true };
                }
                if (commit) tx.Commit();
                else if (_connection.FullState == ConnectionState.Open) tx.Rollback();
            }
            catch (NpgsqlException e)
            {
                throw Translate(e);
            }
            finally
            {
                tx.Dispose();
            }
        }

        private const string SavepointName = "cimlite_put";

        // A failed statement aborts the PostgreSQL transaction (SQLite undoes just the statement): until a rollback to a
        // savepoint opened before it, nothing more runs, and COMMIT would quietly roll back. The depth of savepoints at
        // the first failure (-1: none failed) lets a rollback to that savepoint (or an outer one) heal it, and makes a
        // commit of a transaction that stays aborted fail loudly instead of losing its writes in silence.
        private int _savepointDepth;
        private int _failedAtDepth = -1;

        private void NoteFailedStatement()
        {
            if (_transaction != null && _failedAtDepth < 0) _failedAtDepth = _savepointDepth;
        }

        public void BeginSavepoint()
        {
            Savepoint(t => t.Save(SavepointName));
            _savepointDepth++;
        }

        public void ReleaseSavepoint()
        {
            Savepoint(t => t.Release(SavepointName));
            _savepointDepth--;
        }

        public void RollbackSavepoint()
        {
            Savepoint(t =>
            {
                t.Rollback(SavepointName);
                t.Release(SavepointName);
            });
            if (_failedAtDepth >= _savepointDepth) _failedAtDepth = -1;
            _savepointDepth--;
        }

        private void Savepoint(Action<NpgsqlTransaction> action)
        {
            var tx = _transaction ?? throw new InvalidOperationException("no write transaction is open");
            try
            {
                action(tx);
            }
            catch (NpgsqlException e)
            {
                throw Translate(e);
            }
        }

        // ---- busy retry and deadlines ------------------------------------------------------------------------------

        public T RetryWhileBusy<T>(Func<T> attempt, Func<bool>? mayRetry = null)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int n = 1; ; n++)
            {
                try
                {
                    return attempt();
                }
                catch (CimLiteException e) when (e.IsStorageBusy)
                {
                    var left = Min(_busyTimeout - watch.Elapsed, DeadlineLeft);
                    if (left <= TimeSpan.Zero || (mayRetry != null && !mayRetry())) throw BusyFailure(e.InnerException);
                    Backoff(n, left);
                }
                catch (PostgresException e) when (IsBusy(e))
                {
                    var left = Min(_busyTimeout - watch.Elapsed, DeadlineLeft);
                    if (left <= TimeSpan.Zero || (mayRetry != null && !mayRetry())) throw BusyFailure(e);
                    Backoff(n, left);
                }
            }
        }

        [ThreadStatic] private static Random? _jitter;

        private static void Backoff(int attempt, TimeSpan left)
        {
            var random = _jitter ?? (_jitter = new Random(Guid.NewGuid().GetHashCode()));
            int ceiling = Math.Min(100, 2 << Math.Min(attempt, 6));
            int ms = random.Next(1, ceiling + 1);
            if (ms > left.TotalMilliseconds) ms = Math.Max(0, (int)left.TotalMilliseconds);
            if (ms > 0) System.Threading.Thread.Sleep(ms);
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        public void SetDeadline(TimeSpan? limit)
        {
            if (limit == null)
            {
                _deadline = 0;
                return;
            }
            _deadlineLimit = limit.Value;
            _deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(limit.Value.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            if (_deadline == 0) _deadline = 1;
        }

        public bool DeadlinePassed => _deadline != 0 && System.Diagnostics.Stopwatch.GetTimestamp() >= _deadline;

        private TimeSpan DeadlineLeft
        {
            get
            {
                if (_deadline == 0) return TimeSpan.MaxValue;
                long left = _deadline - System.Diagnostics.Stopwatch.GetTimestamp();
                return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(left / (double)System.Diagnostics.Stopwatch.Frequency);
            }
        }

        // ---- the schema generation checked by the key read (PostgresClassStore, PostgresInstanceStore.Find) --------

        public IDisposable DeferGenerationCheck() => ((PostgresClassStore)Classes).Defer();

        public bool GenerationChanged() => ((PostgresClassStore)Classes).GenerationChanged();

        // ---- not yet on PostgreSQL ---------------------------------------------------------------------------------

        /// <summary>No copy of its own: the engine copies the repository into memory from one read snapshot (what-if runs).</summary>
        public IRepository? SnapshotInMemory() => null;

        /// <summary>Repository care (issue 16) on PostgreSQL is still to be written (amcheck, pg_dump, VACUUM).</summary>
        public IRepositoryMaintenance Maintenance() =>
            throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresUnavailableFeature(Path, "Repository care (check, backup, optimize)"));

        /// <summary>Cancels the statement running on this connection (a cancel request to the server; any thread; safe when idle).</summary>
        public void Interrupt()
        {
            var command = _running;
            if (command == null) return;
            try
            {
                command.Cancel();
            }
            catch (Exception e) when (e is NpgsqlException || e is InvalidOperationException || e is System.Net.Sockets.SocketException)
            {
                // Nothing runs any more, or the server cannot be reached: nothing to stop.
            }
        }

        // ---- notifications of posts (Receive-CimLitePosted -Wait) ----

        private bool _listening;
        private int _heard;

        /// <summary>The text whose hash keys the posting lock of this repository (see <see cref="PostgresPostedStore.Insert"/>).</summary>
        internal string PostingLockKey => "cimlite posting:" + Schema;

        /// <summary>
        /// The notification channel of this repository's posts: <c>cimlite_posted_</c> and the MD5 of the schema's name in
        /// lower-case hex (a channel is an identifier of at most 63 bytes; a schema name may already be 63; hex needs no quoting).
        /// </summary>
        internal string PostChannel => _postChannel ?? (_postChannel = ChannelOf(Schema));

        private string? _postChannel;

        internal static string ChannelOf(string schema)
        {
            using (var md5 = System.Security.Cryptography.MD5.Create())
            {
                var hash = md5.ComputeHash(System.Text.Encoding.UTF8.GetBytes(schema));
                var text = new System.Text.StringBuilder("cimlite_posted_", 47);
                foreach (var b in hash) text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                return text.ToString();
            }
        }

        /// <summary>
        /// Waits for a notification on <see cref="PostChannel"/>: true when one came (a post was committed), false when
        /// <paramref name="timeout"/> passed or <paramref name="cancellation"/> fired. The first call starts listening
        /// (<c>LISTEN</c>, outside any transaction) and returns true at once, so that the caller takes again: a post
        /// committed before the listening began is not waited for. Inside a transaction (a notification cannot arrive
        /// before it ends) it only sleeps. Waits in slices of at most a quarter second to notice cancellation.
        /// </summary>
        internal bool WaitForNotification(TimeSpan timeout, System.Threading.CancellationToken cancellation)
        {
            if (_transaction != null)
            {
                cancellation.WaitHandle.WaitOne(timeout);
                return false;
            }
            if (!_listening)
            {
                _connection.Notification += OnNotification;
                try
                {
                    Run(ListenPrefix + PostChannel, Array.Empty<object?>(), c => c.ExecuteNonQuery());
                }
                catch
                {
                    _connection.Notification -= OnNotification;
                    throw;
                }
                _listening = true;
                return true;
            }
            var end = DateTime.UtcNow + timeout;
            while (true)
            {
                if (System.Threading.Interlocked.Exchange(ref _heard, 0) != 0) return true;
                var left = end - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || cancellation.IsCancellationRequested) return false;
                int slice = (int)Math.Min(250, Math.Ceiling(left.TotalMilliseconds));
                try
                {
                    _connection.Wait(slice);
                }
                catch (NpgsqlException e)
                {
                    throw Translate(e);
                }
                catch (InvalidOperationException e) when (!_connection.FullState.HasFlag(ConnectionState.Open))
                {
                    throw Translate(e);
                }
            }
        }

        private const string ListenPrefix = "LISTEN ";

        private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
        {
            if (e.Channel == PostChannel) System.Threading.Interlocked.Exchange(ref _heard, 1);
        }

        public void Dispose()
        {
            if (_listening) _connection.Notification -= OnNotification;
            DropReader();
            Close(_commands, _transaction, _connection);
            _transaction = null;
            _kind = TransactionKind.None;
        }

        /// <summary>Disposes a connection's prepared commands, its open transaction (if any) and the connection.</summary>
        private static void Close(Dictionary<string, NpgsqlCommand> commands, NpgsqlTransaction? transaction, NpgsqlConnection? connection)
        {
            foreach (var command in commands.Values) command.Dispose();
            commands.Clear();
            try
            {
                transaction?.Dispose();
            }
            catch (NpgsqlException)
            {
                // The connection is broken: closing it below ends the transaction on the server.
            }
            connection?.Dispose();
        }
    }
}
