using System;

namespace CimLite.Storage
{
    /// <summary>
    /// A write transaction: committed by <see cref="Commit"/>, rolled back when disposed without it. A savepoint
    /// transaction (a local session's operation inside its caller's transaction) releases the savepoint on commit and
    /// rolls back to it otherwise; the caller's transaction decides what is kept.
    /// </summary>
    internal sealed class WriteTransaction : IDisposable
    {
        private IRepository? _repository;
        private readonly bool _savepoint;

        internal WriteTransaction(IRepository repository) { _repository = repository; }

        private WriteTransaction(IRepository repository, bool savepoint)
        {
            _repository = repository;
            _savepoint = savepoint;
        }

        /// <summary>Wraps a savepoint the caller has just begun.</summary>
        internal static WriteTransaction Savepoint(IRepository repository) => new WriteTransaction(repository, savepoint: true);

        public void Commit()
        {
            var r = _repository;
            _repository = null;
            if (r == null) return;
            if (_savepoint) r.ReleaseSavepoint();
            else r.EndTransaction(commit: true);
        }

        public void Dispose()
        {
            var r = _repository;
            _repository = null;
            if (r == null) return;
            if (!_savepoint)
            {
                r.EndTransaction(commit: false);
                return;
            }
            // An interrupted statement may have ended the whole transaction already: then there is nothing to undo here.
            if (r.InTransaction) r.RollbackSavepoint();
        }
    }
}
