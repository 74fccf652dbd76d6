using System;

namespace CimLite.Storage
{
    /// <summary>A read transaction of a backend (<see cref="IRepository.BeginReadSnapshot"/>), ended when disposed.</summary>
    internal sealed class ReadSnapshot : IDisposable
    {
        private IRepository? _repository;

        internal ReadSnapshot(IRepository repository) { _repository = repository; }

        public void Dispose()
        {
            var r = _repository;
            _repository = null;
            r?.EndTransaction(commit: false);
        }
    }
}
