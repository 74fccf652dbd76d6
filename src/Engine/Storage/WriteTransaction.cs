using System;

namespace CimLite.Storage
{
    /// <summary>A write transaction: committed by <see cref="Commit"/>, rolled back when disposed without it.</summary>
    internal sealed class WriteTransaction : IDisposable
    {
        private IRepository? _repository;

        internal WriteTransaction(IRepository repository) { _repository = repository; }

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
