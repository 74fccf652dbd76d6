using System;
using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Adapters;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Pipeline puts in batches: each confirmed item is queued, and the queue is put through one
    /// <see cref="CimLitePutBatch"/> (one write transaction, a savepoint per item, so a bad item fails alone with
    /// the error a single put gives) when it reaches <see cref="BatchSize"/>, before an item's own error is
    /// written (keeping errors in pipeline order), and at the end of the pipeline. Outputs (-PassThru) and
    /// errors are written after the batch commits, in item order. With -ErrorAction Stop or Inquire every item
    /// is put at once, so the pipeline stops at the first failure as before.
    /// </summary>
    public sealed partial class SetCimLiteInstanceCommand : IDisposable
    {
        /// <summary>How many queued puts share one transaction.</summary>
        internal const int BatchSize = 1000;

        /// <summary>Once more items than this have come through, flushing a batch writes a progress record.</summary>
        internal const int ProgressThreshold = 2000;

        private sealed class Pending
        {
            public Pending(CimLiteInstance instance, PutOptions options, object target)
            {
                Instance = instance;
                Options = options;
                Target = target;
            }

            public CimLiteInstance Instance { get; }
            public PutOptions Options { get; }
            public object Target { get; }
        }

        private readonly List<Pending> _pending = new List<Pending>();
        private CimLiteSession? _pendingSession;
        private int? _batchSize;
        private long _flushed;
        private long _progressAt;
        private bool _progressWritten;

        private int EffectiveBatchSize
        {
            get
            {
                if (_batchSize.HasValue) return _batchSize.Value;
                object? preference = null;
                if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)) preference = bound;
                else preference = GetVariableValue("ErrorActionPreference");
                if (preference is PSObject pso) preference = pso.BaseObject;
                bool stopsAtError = preference is ActionPreference p && (p == ActionPreference.Stop || p == ActionPreference.Inquire)
                    || preference is string s && (s.Equals("Stop", StringComparison.OrdinalIgnoreCase) || s.Equals("Inquire", StringComparison.OrdinalIgnoreCase));
                _batchSize = stopsAtError ? 1 : BatchSize;
                return _batchSize.Value;
            }
        }

        /// <summary>Wraps an item's work so that queued puts are written before an error of this item is.</summary>
        private Action FlushBeforeError(Action action) => () =>
        {
            try
            {
                action();
            }
            catch (CimLiteException)
            {
                FlushPending();
                throw;
            }
        };

        private void Enqueue(CimLiteSession session, CimLiteInstance instance, PutOptions options, object target)
        {
            if (_pendingSession != null && !ReferenceEquals(_pendingSession, session)) FlushPending();
            _pendingSession = session;
            _pending.Add(new Pending(instance, options, target));
            if (_pending.Count >= EffectiveBatchSize) FlushPending();
        }

        /// <summary>Puts the queued items in one batch, then writes their outputs and errors in order.</summary>
        private void FlushPending()
        {
            if (_pending.Count == 0) return;
            var session = _pendingSession!;
            var items = _pending.ToArray();
            _pending.Clear();
            var outputs = new object?[items.Length];
            var sink = new CmdletSink(this, writeInstances: false);
            try
            {
                lock (SessionGate.Of(session))
                {
                    try
                    {
                        using (var batch = session.BeginPutBatch())
                        {
                            for (int i = 0; i < items.Length; i++)
                            {
                                items[i].Options.Sink = sink;
                                var result = batch.Add(items[i].Instance, items[i].Options);
                                if (!result.Succeeded) outputs[i] = result.Error;
                                else if (PassThru)
                                {
                                    try
                                    {
                                        outputs[i] = InstanceOutput.Wrap(session.GetInstance(result.Path!, new OperationOptions { Sink = sink }), session);
                                    }
                                    catch (CimLiteException e)
                                    {
                                        outputs[i] = e;
                                    }
                                }
                                sink.Flush();
                            }
                            batch.Commit();
                        }
                    }
                    catch (CimLiteException e)
                    {
                        // The batch could not start (a read-only session) or commit: every item fails with that error.
                        for (int i = 0; i < outputs.Length; i++) outputs[i] = e;
                    }
                }
            }
            finally
            {
                sink.Flush();
            }
            for (int i = 0; i < items.Length; i++)
            {
                if (outputs[i] is CimLiteException error) WriteCimLiteError(error, items[i].Target);
                else if (outputs[i] != null) WriteObject(outputs[i]);
            }
            _flushed += items.Length;
            // At most one record per BatchSize items, also when -ErrorAction Stop flushes every item.
            if (_flushed > ProgressThreshold && _flushed - _progressAt >= BatchSize)
            {
                _progressAt = _flushed;
                _progressWritten = true;
                WriteProgress(new ProgressRecord(ProgressActivityId, Strings.PutActivity, Strings.PutStatus(_flushed)));
            }
        }

        private const int ProgressActivityId = 100; // apart from the ids CmdletSink gives providers' activities (1, 2, ...)

        /// <summary>Ends the progress bar with the final count, if one was shown.</summary>
        private void CompleteProgress()
        {
            if (!_progressWritten) return;
            _progressWritten = false;
            WriteProgress(new ProgressRecord(ProgressActivityId, Strings.PutActivity, Strings.PutStatus(_flushed)) { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>
        /// The pipeline was stopped or failed elsewhere before the end: the queued puts were confirmed and, unbatched,
        /// would already be stored, so they are committed (their results can no longer be written).
        /// </summary>
        public void Dispose()
        {
            if (_pending.Count == 0) return;
            var session = _pendingSession!;
            var items = _pending.ToArray();
            _pending.Clear();
            if (session.IsClosed) return;
            try
            {
                lock (SessionGate.Of(session))
                {
                    using (var batch = session.BeginPutBatch())
                    {
                        foreach (var item in items)
                        {
                            item.Options.Sink = null;
                            batch.Add(item.Instance, item.Options);
                        }
                        batch.Commit();
                    }
                }
            }
            catch (CimLiteException)
            {
                // Nowhere to report it: the pipeline is gone.
            }
        }
    }
}
