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
        private readonly object _stateGate = new object();
        private bool _done;
        private readonly string _location;

        internal CimLiteJob(string command, string location, Type commandType, Action<CimLiteJob, CancellationToken> work)
            : base(command)
        {
            CommandTypeName = commandType.FullName!;
            PSJobTypeName = "CimLiteJob";
            _location = location;
            _work = work;
        }

        /// <summary>The cmdlet that started the job: its errors carry ids like <c>CimLite.NotFound,&lt;cmdlet type&gt;</c>.</summary>
        internal string CommandTypeName { get; }

        /// <summary>Adds an engine error to the job's errors, with the id the cmdlet would have written.</summary>
        internal void AddError(CimLiteException error, object? target) => Error.Add(Errors.ErrorRecordFactory.Create(error, target, CommandTypeName));

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
                if (e is CimLiteException cimError) AddError(cimError, null);
                else Error.Add(new ErrorRecord(e, "CimLite.JobFailed," + CommandTypeName, ErrorCategory.NotSpecified, null));
                final = JobState.Failed;
            }
            // The final state first, then the signal: StopJob returns only once the job really is Stopped.
            lock (_stateGate)
            {
                if (final != JobState.Stopped && _cancellation.IsCancellationRequested) final = JobState.Stopped;
                SetJobState(final);
                _done = true;
            }
            _finished.Set();
        }

        /// <inheritdoc />
        public override void StopJob()
        {
            lock (_stateGate)
            {
                if (_done || IsFinishedState(JobStateInfo.State)) return;
                SetJobState(JobState.Stopping);
                _cancellation.Cancel();
            }
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
