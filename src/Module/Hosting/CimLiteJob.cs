using System;
using System.Management.Automation;
using System.Threading;

namespace CimLite.Hosting
{
    /// <summary>
    /// A semisynchronous CimLite call (WMI's IWbemCallResult): returned at once, runs on a pool thread, its
    /// state mirrors the call status (Running, then Completed, Failed or Stopped), its output is the call's
    /// results and its errors the call's errors. The session is locked for each engine call, so a job and
    /// the pipeline never use one SQLite connection at the same time.
    /// </summary>
    public sealed class CimLiteJob : Job
    {
        private readonly Action<CimLiteJob, CancellationToken> _work;
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly ManualResetEventSlim _finished = new ManualResetEventSlim(false);
        private readonly string _location;

        internal CimLiteJob(string command, string location, Action<CimLiteJob, CancellationToken> work)
            : base(command)
        {
            PSJobTypeName = "CimLiteJob";
            _location = location;
            _work = work;
        }

        /// <inheritdoc />
        public override string StatusMessage => JobStateInfo.State.ToString();

        /// <inheritdoc />
        public override bool HasMoreData =>
            Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Debug.Count > 0 || Progress.Count > 0;

        /// <inheritdoc />
        public override string Location => _location;

        internal void Start()
        {
            SetJobState(JobState.Running);
            ThreadPool.QueueUserWorkItem(_ => Run());
        }

        private void Run()
        {
            JobState final;
            try
            {
                _work(this, _cancellation.Token);
                final = _cancellation.IsCancellationRequested ? JobState.Stopped : Error.Count > 0 ? JobState.Failed : JobState.Completed;
            }
            catch (OperationCanceledException)
            {
                final = JobState.Stopped;
            }
            catch (Exception e)
            {
                Error.Add(e is CimLiteException cimError
                    ? Errors.ErrorRecordFactory.Create(cimError, null)
                    : new ErrorRecord(e, "CimLite.JobFailed", ErrorCategory.NotSpecified, null));
                final = JobState.Failed;
            }
            _finished.Set();
            SetJobState(final);
        }

        /// <inheritdoc />
        public override void StopJob()
        {
            if (IsFinishedState(JobStateInfo.State)) return;
            SetJobState(JobState.Stopping);
            _cancellation.Cancel();
            _finished.Wait(TimeSpan.FromSeconds(30));
        }

        private static bool IsFinishedState(JobState state) =>
            state == JobState.Completed || state == JobState.Failed || state == JobState.Stopped;

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _cancellation.Dispose();
                _finished.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
