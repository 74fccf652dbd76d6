using System;

namespace CimLite.Storage
{
    /// <summary>
    /// One open storage backend: everything a <see cref="CimLiteSession"/> needs from where its repository lives.
    /// The four stores read and write; write transactions (one per engine operation) and savepoints (one per put
    /// of a batch) group their calls; busy retry, the in-memory snapshot (what-if runs) and interrupt are the
    /// backend's own. Every member throws only <see cref="CimLiteException"/> (the backend translates its errors).
    /// The SQLite backend is <c>Storage/Sqlite/SqliteRepository</c>; <see cref="Backends"/> opens one.
    /// </summary>
    internal interface IRepository : IDisposable
    {
        /// <summary>The stored instances.</summary>
        IInstanceStore Instances { get; }

        /// <summary>The stored namespaces, classes and qualifier declarations.</summary>
        IClassStore Classes { get; }

        /// <summary>The durable queue of posted indications.</summary>
        IPostedStore Posted { get; }

        /// <summary>WQL conditions pushed down to the store, and the reads that run them.</summary>
        IQueryTranslator Queries { get; }

        /// <summary>What the repository is called in messages: a file's full path, or <c>:memory:</c>.</summary>
        string Path { get; }

        /// <summary>True when the backend was opened read-only (every write transaction is refused).</summary>
        bool IsReadOnly { get; }

        /// <summary>The format of the open repository (a read-only session cannot migrate an older one).</summary>
        int FormatVersion { get; }

        /// <summary>True while a write transaction is open.</summary>
        bool InTransaction { get; }

        /// <summary>Counts write transactions begun (lets caches trust what they read inside one).</summary>
        long TransactionSerial { get; }

        /// <summary>Begins the write transaction of one operation: committed by <see cref="WriteTransaction.Commit"/>, rolled back when disposed without it.</summary>
        WriteTransaction BeginWrite();

        /// <summary>
        /// Begins a read transaction: everything this backend reads until the snapshot is disposed belongs to one
        /// moment, while other sessions go on writing (no write is possible on this backend meanwhile).
        /// </summary>
        ReadSnapshot BeginReadSnapshot();

        /// <summary>
        /// Begins the write transaction of a posted-queue operation, which touches only the queue's tables (posted,
        /// posted_taken) and takes its rows with row locks. SQLite: the same as <see cref="BeginWrite"/> (one writer at
        /// a time anyway). PostgreSQL: READ COMMITTED instead of SERIALIZABLE, since <c>FOR UPDATE SKIP LOCKED</c>
        /// already keeps concurrent readers apart and serializable checks would abort most of them.
        /// </summary>
        WriteTransaction BeginQueueWrite();

        /// <summary>
        /// Begins the write transaction of an operation that changes the schema (namespaces, classes, qualifier
        /// declarations: class creation and deletion, MOF import, a copy into this repository). SQLite: the same as
        /// <see cref="BeginWrite"/>. PostgreSQL: it excludes every other write transaction of the repository for its
        /// duration (instance writers hold the same advisory lock shared), so that no put runs against a class that changes.
        /// </summary>
        WriteTransaction BeginSchemaWrite();

        /// <summary>
        /// Keeps the instance scans and paged queries begun until it is disposed in one snapshot, when the backend reads
        /// them in pages (PostgreSQL: the reader connection's read transaction, held across the classes of a deep
        /// enumeration or a query over a hierarchy). SQLite: nothing (a scan is one statement).
        /// </summary>
        IDisposable HoldPagedReads();

        /// <summary>Ends the open write transaction (called by <see cref="WriteTransaction"/> only).</summary>
        void EndTransaction(bool commit);

        /// <summary>Opens a savepoint inside the write transaction: <see cref="ReleaseSavepoint"/> keeps its changes, <see cref="RollbackSavepoint"/> undoes them.</summary>
        void BeginSavepoint();

        void ReleaseSavepoint();

        /// <summary>Undoes everything since <see cref="BeginSavepoint"/> and closes it.</summary>
        void RollbackSavepoint();

        /// <summary>
        /// Runs <paramref name="attempt"/>, and again after a small backoff while it fails because another session
        /// holds the storage's lock, until the busy timeout is spent or <paramref name="mayRetry"/> says no; then
        /// fails with the "repository busy" error.
        /// </summary>
        T RetryWhileBusy<T>(Func<T> attempt, Func<bool>? mayRetry = null);

        /// <summary>
        /// A private in-memory copy of the repository as it is now (what-if operations run on it and throw it away), or
        /// null when the backend has no copy of its own (PostgreSQL): the engine then copies the repository into a new
        /// in-memory one itself (<c>CopyInto</c>, from one read snapshot).
        /// </summary>
        IRepository? SnapshotInMemory();

        /// <summary>
        /// Sets (or with null clears) the deadline of the operation about to run: every wait for another session's lock
        /// ends by it, and a busy or interrupted statement after it fails with the "timed out" error.
        /// </summary>
        void SetDeadline(TimeSpan? limit);

        /// <summary>True while a deadline is set and spent.</summary>
        bool DeadlinePassed { get; }
        /// <summary>Repository care on this backend's connection (issue 16): checks, counts, online copy, optimize.</summary>
        IRepositoryMaintenance Maintenance();

        /// <summary>Stops the statement running on this backend (on any thread) as soon as it can; safe when idle.</summary>
        void Interrupt();
    }
}
