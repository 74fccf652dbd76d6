using System;
using System.Threading;

namespace CimLite
{
    /// <summary>
    /// The time limit of one operation on a session (CimCmdlets' -OperationTimeoutSec), from
    /// <see cref="CimLiteSession.BeginDeadline"/> until disposed. While it runs, every wait for another session's or
    /// process's lock ends by the deadline (the session's busy timeout still applies when it is shorter); at the
    /// deadline <see cref="Token"/> is cancelled (providers see it, reads stop between rows) and the statement running
    /// is interrupted. A lock wait or statement ended by it fails with the "timed out" error (FAILED); a caller whose
    /// loop stopped on the token reports <see cref="TimedOut"/>. Writes are rolled back whole, as for any failure.
    /// </summary>
    public sealed class OperationDeadline : IDisposable
    {
        private readonly CimLiteSession _session;
        private readonly CancellationTokenSource _expired = new CancellationTokenSource();
        private readonly Timer _timer;
        private readonly long _end;
        private int _disposed;

        internal OperationDeadline(CimLiteSession session, TimeSpan limit)
        {
            if (limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limit));
            _session = session;
            Limit = limit;
            _end = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            session.Repository.SetDeadline(limit);
            _timer = new Timer(_ => Expire(), null, limit, Timeout.InfiniteTimeSpan);
        }

        /// <summary>The time limit.</summary>
        public TimeSpan Limit { get; }

        /// <summary>Cancelled at the deadline.</summary>
        public CancellationToken Token => _expired.Token;

        /// <summary>
        /// True once the deadline has passed: by the clock, as the storage's lock waits count it, even when the timer that
        /// cancels <see cref="Token"/> has not run yet (a loaded machine may run it late).
        /// </summary>
        public bool IsExpired => _expired.IsCancellationRequested || System.Diagnostics.Stopwatch.GetTimestamp() >= _end;

        /// <summary>The "timed out" error (FAILED) for this deadline.</summary>
        public CimLiteException TimedOut() =>
            new CimLiteException(CimStatus.Failed, Messages.OperationTimedOut(_session.Path, Limit.TotalSeconds));

        private void Expire()
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            try { _expired.Cancel(); }
            catch (ObjectDisposedException) { return; }
            _session.Interrupt();
        }

        /// <summary>Ends the deadline: the session's own busy timeout applies again.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            using (var done = new ManualResetEvent(false))
            {
                if (_timer.Dispose(done)) done.WaitOne();
            }
            if (!_session.IsClosed) _session.Repository.SetDeadline(null);
            _expired.Dispose();
        }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Starts a time limit for the operations run until it is disposed (see <see cref="OperationDeadline"/>). Use it
        /// from the thread that runs the operations; one at a time per session.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A limit that is not positive.</exception>
        public OperationDeadline BeginDeadline(TimeSpan limit) => new OperationDeadline(this, limit);
    }
}
