using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CimLite.Adapters;

namespace CimLite.Hosting
{
    /// <summary>
    /// The client side of a synchronous request: posted results, provider messages and progress go to the
    /// cmdlet's streams as they come. Write* and ShouldProcess belong to the pipeline thread, so calls made
    /// on another thread (a .NET provider's worker) are queued and written at the next call on the pipeline
    /// thread or at <see cref="Flush"/>; prompts from another thread are answered "no".
    /// </summary>
    internal sealed class CmdletSink : ICimLiteOperationSink
    {
        private readonly Cmdlet _cmdlet;
        private readonly int _pipelineThread = Thread.CurrentThread.ManagedThreadId;
        private readonly bool _writeInstances;
        private readonly ConcurrentQueue<Action> _deferred = new ConcurrentQueue<Action>();
        private readonly Dictionary<string, int> _activities = new Dictionary<string, int>(StringComparer.Ordinal);

        private readonly CimLiteSession? _session;
        private readonly DisplayTypeData.Memo _memo = new DisplayTypeData.Memo();

        public CmdletSink(Cmdlet cmdlet, bool writeInstances, CimLiteSession? session = null)
        {
            _cmdlet = cmdlet;
            _writeInstances = writeInstances;
            _session = session;
        }

        /// <summary>How many instances were written.</summary>
        public long Written { get; private set; }

        private bool OnPipelineThread => Thread.CurrentThread.ManagedThreadId == _pipelineThread;

        private void Run(Action action)
        {
            if (!OnPipelineThread)
            {
                _deferred.Enqueue(action);
                return;
            }
            Flush();
            action();
        }

        /// <summary>Writes what other threads queued. Call on the pipeline thread.</summary>
        public void Flush()
        {
            while (_deferred.TryDequeue(out var action)) action();
        }

        public void OnInstance(CimLiteInstance instance)
        {
            if (!_writeInstances) return;
            if (OnPipelineThread && _deferred.IsEmpty)
            {
                // The common case (the engine's own reads, on the pipeline thread): written at once, no closure per instance.
                _cmdlet.WriteObject(InstanceOutput.Wrap(instance, _session, _memo));
                Written++;
                return;
            }
            Run(() =>
            {
                _cmdlet.WriteObject(InstanceOutput.Wrap(instance, _session, _memo));
                Written++;
            });
        }

        public void OnMessage(CimMessageChannel channel, string message) => Run(() =>
        {
            switch (channel)
            {
                case CimMessageChannel.Warning: _cmdlet.WriteWarning(message); break;
                case CimMessageChannel.Debug: _cmdlet.WriteDebug(message); break;
                default: _cmdlet.WriteVerbose(message); break;
            }
        });

        public void OnProgress(string activity, string statusDescription, int percentComplete) => Run(() =>
        {
            if (!_activities.TryGetValue(activity, out var id))
            {
                id = _activities.Count + 1;
                _activities[activity] = id;
            }
            var record = new ProgressRecord(id, activity.Length == 0 ? " " : activity, statusDescription.Length == 0 ? " " : statusDescription)
            {
                PercentComplete = Math.Max(-1, Math.Min(100, percentComplete)),
                RecordType = percentComplete >= 100 ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
        });

        public bool ShouldProcess(string target, string action) => OnPipelineThread && _cmdlet.ShouldProcess(target, action);

        public bool ShouldContinue(string query, string caption) => OnPipelineThread && _cmdlet.ShouldContinue(query, caption);
    }

    /// <summary>The client side of a request running as a job: everything goes to the job's collections.</summary>
    internal sealed class JobSink : ICimLiteOperationSink
    {
        private readonly Job _job;
        private readonly bool _writeInstances;

        private readonly CimLiteSession? _session;

        public JobSink(Job job, bool writeInstances, CimLiteSession? session = null)
        {
            _job = job;
            _writeInstances = writeInstances;
            _session = session;
        }

        public void OnInstance(CimLiteInstance instance)
        {
            if (_writeInstances) _job.Output.Add(InstanceOutput.Wrap(instance, _session));
        }

        public void OnMessage(CimMessageChannel channel, string message)
        {
            switch (channel)
            {
                case CimMessageChannel.Warning: _job.Warning.Add(new WarningRecord(message)); break;
                case CimMessageChannel.Debug: _job.Debug.Add(new DebugRecord(message)); break;
                default: _job.Verbose.Add(new VerboseRecord(message)); break;
            }
        }

        public void OnProgress(string activity, string statusDescription, int percentComplete) =>
            _job.Progress.Add(new ProgressRecord(1, activity.Length == 0 ? " " : activity, statusDescription.Length == 0 ? " " : statusDescription)
            {
                PercentComplete = Math.Max(-1, Math.Min(100, percentComplete)),
            });

        // The cmdlet confirmed each item before the job started; there is no one to ask in a job.
        public bool ShouldProcess(string target, string action) => true;

        public bool ShouldContinue(string query, string caption) => false;
    }
}
