using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>The outcome of one put of a batch: the written path, or the error a single put would have thrown.</summary>
    public sealed class PutResult
    {
        private InstancePath? _path;
        private readonly CimLiteClass? _class;
        private readonly object?[]? _values;

        internal PutResult(CimLiteInstance instance, InstancePath? path, CimLiteException? error)
        {
            Instance = instance;
            _path = path;
            Error = error;
        }

        /// <summary>A successful put whose path is built from the written class and values when first read.</summary>
        internal PutResult(CimLiteInstance instance, InstancePath? path, CimLiteClass written, object?[] values)
        {
            Instance = instance;
            _path = path;
            _class = written;
            _values = values;
        }

        /// <summary>The instance given to the batch.</summary>
        public CimLiteInstance Instance { get; }

        /// <summary>The path of the written instance; null when the put failed.</summary>
        public InstancePath? Path => _path ?? (_class == null ? null : _path = CimLiteSession.PathOf(_class, _values!));

        /// <summary>Why the put failed (same status, message and details as <see cref="CimLiteSession.PutInstance"/>); null on success.</summary>
        public CimLiteException? Error { get; }

        /// <summary>True when the put succeeded (it is durable once the batch commits).</summary>
        public bool Succeeded => Error == null;
    }

    /// <summary>
    /// Many puts in one write transaction. Each <see cref="Add"/> runs inside its own SAVEPOINT with exactly the
    /// rules, provider calls and errors of <see cref="CimLiteSession.PutInstance"/>: a failing item is rolled
    /// back alone and reported, the others stay. Nothing is durable until <see cref="Commit"/>; disposing an
    /// uncommitted batch rolls everything back. While a batch is open the session's other writes fail (one
    /// transaction per connection); reads on the session see the batch's uncommitted puts.
    /// </summary>
    public sealed class CimLitePutBatch : IDisposable
    {
        private readonly CimLiteSession _session;
        private WriteTransaction? _transaction;
        private readonly List<PutResult> _results = new List<PutResult>();

        internal CimLitePutBatch(CimLiteSession session, WriteTransaction transaction)
        {
            _session = session;
            _transaction = transaction;
        }

        /// <summary>The results of the puts added so far, in order.</summary>
        public IReadOnlyList<PutResult> Results => _results;

        /// <summary>True until the batch is committed or disposed.</summary>
        public bool IsOpen => _transaction != null;

        /// <summary>
        /// Puts one instance inside the batch. A <see cref="CimLiteException"/> of the put is caught, the item's
        /// changes (including indications its providers posted) are rolled back, and the result carries it.
        /// A SQLite error (I/O, damage) rolls back the item and propagates as a FAILED CimLiteException naming the
        /// repository; the batch stays usable. On PostgreSQL a failed statement aborts the whole transaction: an item
        /// that meets "busy" (a deadlock with another client, a lock wait past the busy timeout) throws that error, and
        /// <see cref="Commit"/> then fails with nothing of the batch kept (never a silent loss).
        /// </summary>
        public PutResult Add(CimLiteInstance instance, PutOptions? options = null)
        {
            if (_transaction == null) throw new InvalidOperationException(Messages.BatchClosed);
            PutResult result;
            try
            {
                options = CimLiteSession.CheckPutArgumentsForBatch(instance, options);
                result = _session.PutInSavepoint(instance, options);
            }
            catch (CimLiteException e) when (!e.IsStorageFailure)
            {
                // A storage failure (damage, I/O) is not one item's fault: it propagates (not as the item's result).
                result = new PutResult(instance, null, e);
            }
            _results.Add(result);
            return result;
        }

        /// <summary>Commits every successful put of the batch at once.</summary>
        /// <exception cref="CimLiteException">FAILED when the commit itself fails (nothing of the batch is kept).</exception>
        public void Commit()
        {
            var tx = _transaction ?? throw new InvalidOperationException(Messages.BatchClosed);
            _transaction = null;
            try
            {
                tx.Commit();
            }
            catch (CimLiteException e) when (e.IsStorageFailure && e.InnerException != null)
            {
                throw new CimLiteException(CimStatus.Failed, Messages.BatchCommitFailed(e.InnerException.Message), innerException: e.InnerException);
            }
        }

        /// <summary>Rolls back an uncommitted batch.</summary>
        public void Dispose()
        {
            var tx = _transaction;
            _transaction = null;
            tx?.Dispose();
        }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>Opens a batch of puts: one write transaction, a savepoint per item. Commit it, then dispose it.</summary>
        /// <exception cref="CimLiteException">ACCESS_DENIED in a read-only session.</exception>
        public CimLitePutBatch BeginPutBatch() => new CimLitePutBatch(this, BeginWrite());

        /// <summary>
        /// Puts many instances in one transaction, each with the semantics of <see cref="PutInstance"/>: a failing
        /// item is rolled back alone and reported in its result; the others are committed together.
        /// </summary>
        public IReadOnlyList<PutResult> PutInstances(IEnumerable<CimLiteInstance> instances, PutOptions? options = null)
        {
            if (instances == null) throw new ArgumentNullException(nameof(instances));
            using (var batch = BeginPutBatch())
            {
                foreach (var instance in instances) batch.Add(instance, options);
                batch.Commit();
                return batch.Results;
            }
        }

        internal static PutOptions CheckPutArgumentsForBatch(CimLiteInstance instance, PutOptions? options) => CheckPutArguments(instance, options);

        internal PutResult PutInSavepoint(CimLiteInstance instance, PutOptions options)
        {
            // Without providers a put writes exactly one statement (its INSERT or UPDATE), last, after every
            // check: a failure before it wrote nothing, and SQLite undoes a failing statement by itself. The
            // savepoint is only needed when provider code may have written (posted indications) before failing.
            // The result's path is built when read (issue 17: most batches never read it).
            if (Providers.IsEmpty)
                return new PutResult(instance, PutInTransaction(instance, options, out var writtenClass, out var values), writtenClass, values);
            Repository.BeginSavepoint();
            try
            {
                var path = PutInTransaction(instance, options);
                Repository.ReleaseSavepoint();
                return new PutResult(instance, path, null);
            }
            catch
            {
                Repository.RollbackSavepoint();
                throw;
            }
        }
    }
}
