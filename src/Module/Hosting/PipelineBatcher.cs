using System;
using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Commands;
using CimLite.Sessions;

namespace CimLite.Hosting
{
    /// <summary>
    /// Pipeline input in batches, for a cmdlet whose records each make one engine write: each confirmed item is
    /// queued, and the queue is run as one batch (one write transaction, one gate lock; the runner makes each item
    /// fail alone with the error a single call gives) when it reaches the batch size, before an item's own error
    /// is written (<see cref="Commands.CimLiteCmdlet.ForBatchedItem{TItem}"/>, keeping errors in pipeline order), when the next item uses another
    /// session, and at the end of the pipeline (<see cref="Complete"/>). Outputs and errors are written after the
    /// batch ran, in item order. When an error stops the pipeline (-ErrorAction Stop or Inquire) a batch holds one
    /// item, so the pipeline stops at the first failure with the earlier items stored. Past
    /// <see cref="ProgressThreshold"/> items a progress record is written per <see cref="BatchSize"/> items, and a
    /// completed one at the end. A pipeline that ends early (stopped, or failed elsewhere) disposes the batcher:
    /// the queued items were confirmed and, unbatched, would already be stored, so they are run then (their results
    /// can no longer be written).
    /// </summary>
    /// <typeparam name="TItem">What the runner needs for one item (an instance and its options, a path, …).</typeparam>
    internal sealed class PipelineBatcher<TItem> : IDisposable
    {
        /// <summary>How many queued items share one batch.</summary>
        internal const int BatchSize = 1000;

        /// <summary>Once more items than this have come through, running a batch writes a progress record.</summary>
        internal const int ProgressThreshold = 2000;

        private const int ProgressActivityId = 100; // apart from the ids CmdletSink gives providers' activities (1, 2, ...)

        /// <summary>
        /// Runs <paramref name="items"/> as one batch on <paramref name="session"/> (the caller holds the session's
        /// gate). For each item it sets <paramref name="outcomes"/>[i] to what to write: an output object, a
        /// <see cref="CimLiteException"/> (written as that item's error) or null (nothing). A CimLiteException thrown
        /// out of the runner (the batch could not start or commit) fails every item with it. With a null
        /// <paramref name="sink"/> the pipeline is gone: only store the items, the outcomes are not read.
        /// </summary>
        public delegate void Runner(CimLiteSession session, TItem[] items, object?[] outcomes, CmdletSink? sink);

        private struct Queued
        {
            public TItem Item;
            public object? Target;
        }

        private readonly CimLiteCmdlet _cmdlet;
        private readonly Runner _run;
        private readonly string _activity;
        private readonly Func<long, string> _status;
        private readonly List<Queued> _queue = new List<Queued>();
        private CimLiteSession? _session;
        private int? _batchSize;
        private long _done;
        private long _progressAt;
        private bool _progressWritten;

        /// <param name="cmdlet">The cmdlet whose pipeline this is: outputs, errors and progress go to its streams.</param>
        /// <param name="run">Runs one batch.</param>
        /// <param name="progressActivity">The activity of the progress records.</param>
        /// <param name="progressStatus">The status of a progress record, from the count of items done.</param>
        public PipelineBatcher(CimLiteCmdlet cmdlet, Runner run, string progressActivity, Func<long, string> progressStatus)
        {
            _cmdlet = cmdlet;
            _run = run;
            _activity = progressActivity;
            _status = progressStatus;
        }

        private int EffectiveBatchSize => _batchSize ?? (_batchSize = _cmdlet.StopsAtFirstError ? 1 : BatchSize).Value;

        /// <summary>Queues one confirmed item; <paramref name="target"/> is the target object of its error, if any.</summary>
        public void Add(CimLiteSession session, TItem item, object? target)
        {
            if (_session != null && !ReferenceEquals(_session, session)) Flush();
            _session = session;
            _queue.Add(new Queued { Item = item, Target = target });
            if (_queue.Count >= EffectiveBatchSize) Flush();
        }

        /// <summary>Runs the queued items as one batch, then writes their outputs and errors in order.</summary>
        public void Flush()
        {
            if (_queue.Count == 0) return;
            var session = _session!;
            var queued = _queue.ToArray();
            _queue.Clear();
            var items = new TItem[queued.Length];
            for (int i = 0; i < queued.Length; i++) items[i] = queued[i].Item;
            var outcomes = new object?[items.Length];
            var sink = new CmdletSink(_cmdlet, writeInstances: false);
            try
            {
                lock (SessionGate.Of(session))
                {
                    try
                    {
                        _run(session, items, outcomes, sink);
                    }
                    catch (CimLiteException e)
                    {
                        // The batch could not start (a read-only session) or commit: every item fails with that error.
                        for (int i = 0; i < outcomes.Length; i++) outcomes[i] = e;
                    }
                }
            }
            finally
            {
                sink.Flush();
            }
            for (int i = 0; i < items.Length; i++)
            {
                if (outcomes[i] is CimLiteException error) _cmdlet.WriteCimLiteError(error, queued[i].Target);
                else if (outcomes[i] != null) _cmdlet.WriteObject(outcomes[i]);
            }
            _done += items.Length;
            // At most one record per BatchSize items, also when -ErrorAction Stop makes every item a batch.
            if (_done > ProgressThreshold && _done - _progressAt >= BatchSize)
            {
                _progressAt = _done;
                _progressWritten = true;
                _cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, _activity, _status(_done)));
            }
        }

        /// <summary>The end of the pipeline: runs what is queued, then ends the progress bar with the final count, if one was shown.</summary>
        public void Complete()
        {
            Flush();
            if (!_progressWritten) return;
            _progressWritten = false;
            _cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, _activity, _status(_done)) { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>
        /// The pipeline was stopped or failed elsewhere before the end: the queued items were confirmed and, unbatched,
        /// would already be stored, so they are run now (their results can no longer be written).
        /// </summary>
        public void Dispose()
        {
            if (_queue.Count == 0) return;
            var session = _session!;
            var items = new TItem[_queue.Count];
            for (int i = 0; i < items.Length; i++) items[i] = _queue[i].Item;
            _queue.Clear();
            if (session.IsClosed) return;
            try
            {
                lock (SessionGate.Of(session)) _run(session, items, new object?[items.Length], null);
            }
            catch (CimLiteException)
            {
                // Nowhere to report it: the pipeline is gone.
            }
        }
    }
}
