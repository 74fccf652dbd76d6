using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>Options for opening a session.</summary>
    public sealed class CimLiteSessionOptions
    {
        /// <summary>Open the repository read-only: every write fails with ACCESS_DENIED.</summary>
        public bool ReadOnly { get; set; }

        /// <summary>How long a write waits for another session's or process's write lock before failing. Default 10 s.</summary>
        public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>The namespace used when an operation names none. Default <c>root/cimv2</c>.</summary>
        public string DefaultNamespace { get; set; } = CimLiteSession.DefaultNamespaceName;

        /// <summary>
        /// Use a repository file even when another user owns or can write it or its folder (Unix). Without it such a
        /// file is refused (ACCESS_DENIED), or opened read-only with a warning in <see cref="CimLiteSession.OpenWarnings"/>.
        /// </summary>
        public bool AllowSharedFile { get; set; }

        /// <summary>
        /// A host's function that strips its own wrappers from values before they are converted to CIM types (the
        /// PowerShell module sets one that unwraps PSObject on every session it opens). It applies to this session
        /// only: to its puts and batches, <see cref="CimLiteSession.NewInstance"/>, the instances it returns and makes
        /// for providers (setting their properties), and the keys of instance paths. Null: values are taken as they are.
        /// </summary>
        public Func<object?, object?>? ValueUnwrapper { get; set; }
    }

    /// <summary>
    /// An open repository plus defaults. Every operation is a method of this class and runs as one storage
    /// transaction. A session is used from one thread at a time.
    /// </summary>
    public sealed partial class CimLiteSession : IDisposable
    {
        /// <summary>The namespace used when none is given: <c>root/cimv2</c>.</summary>
        public const string DefaultNamespaceName = "root/cimv2";

        private IRepository? _repository;
        private readonly ClassCache _classes;
        private readonly string _path;

        private CimLiteSession(IRepository repository, CimLiteSessionOptions options)
        {
            _repository = repository;
            _path = repository.Path;
            _classes = new ClassCache(repository);
            Providers = new ProviderRegistry(this);
            DefaultNamespace = CimName.NormalizeNamespace(options.DefaultNamespace);
            BusyTimeout = options.BusyTimeout;
            ValueUnwrapper = options.ValueUnwrapper;
        }

        /// <summary>The host's value unwrapper this session was opened with (<see cref="CimLiteSessionOptions.ValueUnwrapper"/>), or null.</summary>
        public Func<object?, object?>? ValueUnwrapper { get; }

        /// <summary>How long an operation waits for (and retries against) another session's or process's lock before failing as busy.</summary>
        public TimeSpan BusyTimeout { get; }

        /// <summary>Opens (or creates) a repository file.</summary>
        /// <exception cref="CimLiteException">FAILED for a file that is not a CimLite repository or is of a newer format (the file is not changed); NOT_FOUND for a missing file opened read-only.</exception>
        public static CimLiteSession Open(string path, CimLiteSessionOptions? options = null)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException(Messages.RepositoryPathRequired, nameof(path));
            options = options ?? new CimLiteSessionOptions();
            var warnings = new List<string>();
            var session = new CimLiteSession(Backends.OpenSqliteFile(path, options.ReadOnly, options.BusyTimeout, options.AllowSharedFile, warnings), options);
            session.OpenWarnings = warnings;
            try
            {
                session.BuildPendingReferenceIndex();
            }
            catch
            {
                session.Dispose();
                throw;
            }
            return session;
        }

        /// <summary>
        /// Opens (or creates) a repository on a PostgreSQL server (issue 18). <paramref name="connectionString"/> is an
        /// Npgsql connection string (<c>Host=…;Port=…;Username=…;Database=…[;Search Path=schema]</c>); the repository
        /// lives in the first schema of Search Path (default <c>cimlite</c>), created with its tables on first use. A
        /// password comes from the string, <c>PGPASSWORD</c> or the pgpass file (Npgsql reads them) and is never part
        /// of a message or of <see cref="Path"/> (<c>host:port/database, schema S</c>). <see cref="CimLiteSessionOptions.ReadOnly"/>
        /// opens read-only transactions. The backend (<c>CimLite.Engine.Postgres</c>, Npgsql) is loaded on first use
        /// from this engine's folder or its <c>postgres/</c> folder.
        /// </summary>
        /// <exception cref="CimLiteException">NOT_SUPPORTED on .NET Framework (Windows PowerShell 5.1) or when the backend is
        /// not installed; INVALID_PARAMETER for a malformed connection string; FAILED for a server that cannot be reached
        /// or a schema that is not a CimLite repository (nothing changed).</exception>
        public static CimLiteSession OpenServer(string connectionString, CimLiteSessionOptions? options = null)
        {
            if (string.IsNullOrWhiteSpace(connectionString)) throw new ArgumentException(Messages.ConnectionStringRequired, nameof(connectionString));
            options = options ?? new CimLiteSessionOptions();
            return OpenOn(Backends.OpenServer(connectionString, options.ReadOnly, options.BusyTimeout), options);
        }

        /// <summary>
        /// Opens a session on a repository that a backend outside this assembly opened (the PostgreSQL backend, issue 18:
        /// <see cref="OpenServer"/>); the session owns <paramref name="repository"/> from here on.
        /// </summary>
        internal static CimLiteSession OpenOn(IRepository repository, CimLiteSessionOptions options)
        {
            CimLiteSession session;
            try
            {
                session = new CimLiteSession(repository, options);
            }
            catch
            {
                repository.Dispose();
                throw;
            }
            try
            {
                session.BuildPendingReferenceIndex();
            }
            catch
            {
                session.Dispose();
                throw;
            }
            return session;
        }

        /// <summary>Opens a new empty repository in memory (for tests and scratch work).</summary>
        public static CimLiteSession OpenInMemory(CimLiteSessionOptions? options = null)
        {
            options = options ?? new CimLiteSessionOptions();
            var session = new CimLiteSession(Backends.OpenSqliteInMemory(), options);
            session.IsReadOnlyInMemory = options.ReadOnly;
            return session;
        }

        private bool IsReadOnlyInMemory { get; set; }

        /// <summary>What the user should know about how the repository was opened (e.g. a file another user can write, opened read-only).</summary>
        public IReadOnlyList<string> OpenWarnings { get; private set; } = Array.Empty<string>();

        /// <summary>The repository file's full path, or <c>:memory:</c> (still readable once the session is closed).</summary>
        public string Path => _path;

        /// <summary>True for an in-memory repository.</summary>
        public bool IsInMemory => _path == ":memory:";

        /// <summary>True when the session refuses writes.</summary>
        public bool IsReadOnly => Repository.IsReadOnly || IsReadOnlyInMemory;

        /// <summary>The namespace used when an operation names none.</summary>
        public string DefaultNamespace { get; }

        /// <summary>The providers registered in this session (never stored in the repository).</summary>
        public ProviderRegistry Providers { get; }

        /// <summary>True once the session is disposed.</summary>
        public bool IsClosed => _repository == null;

        internal IRepository Repository => _scope == null ? _repository ?? throw new ObjectDisposedException(nameof(CimLiteSession), Messages.SessionClosed) : CheckedRepository();

        internal ClassCache ClassCache => _classes;

        /// <summary>The namespaces of the repository.</summary>
        public IReadOnlyList<string> GetNamespaces() => _classes.NamespaceNames();

        internal string ResolveNamespace(string? ns) => ns == null ? DefaultNamespace : CimName.NormalizeNamespace(ns);

        internal WriteTransaction BeginWrite()
        {
            if (IsReadOnlyInMemory) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            return BeginWriteCore(WriteKind.Instances);
        }

        /// <summary>
        /// The write transaction of an operation that changes the schema (classes, namespaces, qualifier declarations):
        /// a backend may keep every other writer out meanwhile (see <see cref="IRepository.BeginSchemaWrite"/>).
        /// </summary>
        internal WriteTransaction BeginSchemaWrite()
        {
            if (IsReadOnlyInMemory) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            return BeginWriteCore(WriteKind.Schema);
        }

        /// <summary>
        /// The write transaction of a posted-queue operation (post, take, lease, acknowledge), which reads and writes only
        /// the queue's tables: a backend may run it under row locks rather than its general isolation (see
        /// <see cref="IRepository.BeginQueueWrite"/>).
        /// </summary>
        internal WriteTransaction BeginQueueWrite()
        {
            if (IsReadOnlyInMemory) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(Path));
            return BeginWriteCore(WriteKind.Queue);
        }

        /// <summary>
        /// Closes the repository: releases the posted-queue leases this session holds (best effort: what cannot be
        /// released now is reclaimed once this process is gone or the lease expires), disposes the registered
        /// providers, and closes the file even when one of those steps fails.
        /// </summary>
        public void Dispose()
        {
            var repository = _repository;
            if (repository == null) return;
            if (_scope != null)
            {
                // A local session borrows its caller's connection: closing it closes nothing else.
                _repository = null;
                return;
            }
            try
            {
                ReleaseAllLeases();
                foreach (var registration in Providers.Registrations)
                    (registration.Provider as IDisposable)?.Dispose();
            }
            finally
            {
                _repository = null;
                repository.Dispose();
            }
        }

        /// <summary>
        /// Stops the operation that this session is running on another thread (a pipeline stop, Ctrl+C) within
        /// moments: a running SQLite statement ends with "the operation was stopped" and a write is rolled back whole.
        /// Does nothing when the session is closed or idle.
        /// </summary>
        public void Interrupt() => Root._repository?.Interrupt();

        /// <inheritdoc />
        public override string ToString() => Path;
    }
}
