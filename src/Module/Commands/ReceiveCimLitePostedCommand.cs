using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using CimLite.Adapters;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Reads indications from the durable posted queue in posting order, from any session or process. Without
    /// -Keep each batch is leased, written, and what was delivered removed afterwards (at-least-once across crashes,
    /// exactly once otherwise).
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "CimLitePosted")]
    [OutputType(typeof(CimLiteInstance))]
    public sealed class ReceiveCimLitePostedCommand : CimLiteCmdlet
    {
        private const int BatchSize = 100; // also bounds what a reader killed before acknowledging delivers again

        /// <summary>Only indications of this class and its subclasses.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? ClassName { get; set; }

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>When nothing is queued, wait until something arrives (or -Timeout passes, or Ctrl+C).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How many seconds -Wait waits; forever when omitted.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? Timeout { get; set; }

        /// <summary>Leave what is returned in the queue (a peek also sees indications other readers have leased).</summary>
        [Parameter]
        public SwitchParameter Keep { get; set; }

        /// <summary>Return at most this many.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? First { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            long remaining = First ?? long.MaxValue;
            long keptAfter = 0;
            bool any = false;
            var clock = Stopwatch.StartNew();
            int pause = 10;
            try
            {
                // The session is locked per batch only, so a job on the same session can post while this waits.
                while (remaining > 0 && !StopToken.IsCancellationRequested)
                {
                    var batch = new System.Collections.Generic.List<PostedIndication>();
                    PostedLease? lease = null;
                    try
                    {
                        lock (SessionGate.Of(session))
                        {
                            var options = new ReceiveOptions
                            {
                                ClassName = ClassName,
                                Namespace = Namespace,
                                Keep = Keep,
                                AfterSequence = keptAfter,
                                First = (int)Math.Min(remaining, BatchSize),
                            };
                            if (Keep)
                            {
                                foreach (var item in session.ReceivePosted(options, StopToken))
                                    batch.Add(item);
                            }
                            else
                            {
                                lease = session.LeasePosted(options);
                                batch.AddRange(lease.Items);
                            }
                        }
                    }
                    catch (CimLiteException e)
                    {
                        ThrowCimLiteError(e, ClassName);
                    }
                    if (Keep && batch.Count > 0) keptAfter = batch[batch.Count - 1].Sequence;
                    // Without -Keep the batch is leased: an item counts as taken once WriteObject returned (the
                    // downstream commands have processed it) or the downstream stopped the pipeline on it
                    // (Select-Object -First). Taken items are deleted and the rest released, in one transaction,
                    // after the batch; a process killed before that leaves the batch to the next reader.
                    int delivered = 0;
                    try
                    {
                        foreach (var item in batch)
                        {
                            if (Stopping) break;
                            var output = InstanceOutput.Wrap(item.Instance, session);
                            output.Properties.Add(new PSNoteProperty("PostedSequence", item.Sequence));
                            output.Properties.Add(new PSNoteProperty("PostedAt", item.PostedAt));
                            try
                            {
                                WriteObject(output);
                            }
                            catch (Exception e) when (StoppedByDownstream(e))
                            {
                                delivered++;
                                throw;
                            }
                            delivered++;
                            remaining--;
                        }
                    }
                    finally
                    {
                        if (lease != null)
                        {
                            try
                            {
                                lock (SessionGate.Of(session)) lease.Complete(delivered);
                            }
                            catch (CimLiteException e)
                            {
                                // Could not acknowledge (busy, damaged): the items stay leased and are delivered again
                                // once this session closes or the lease expires (at-least-once). Say so; the output
                                // already written stays valid, so this is a warning, not an error.
                                WarnNotAcknowledged(delivered, batch.Count, e);
                            }
                        }
                    }
                    if (batch.Count > 0)
                    {
                        any = true;
                        if (Keep && batch.Count < BatchSize) break;
                        continue;
                    }
                    if (any || !Wait) break;
                    if (Timeout.HasValue && clock.Elapsed.TotalSeconds >= Timeout.Value) break;
                    WriteProgress(new ProgressRecord(1, Strings.WaitingForIndications, Strings.WaitingStatus((int)clock.Elapsed.TotalSeconds)));
                    StopToken.WaitHandle.WaitOne(pause);
                    pause = Math.Min(pause * 2, 250);
                }
            }
            finally
            {
                if (Wait)
                    WriteProgress(new ProgressRecord(1, Strings.WaitingForIndications, " ") { RecordType = ProgressRecordType.Completed });
            }
        }

        private void WarnNotAcknowledged(int delivered, int leased, CimLiteException e)
        {
            try
            {
                WriteWarning(Strings.PostedNotAcknowledged(delivered, leased, e.Message));
            }
            catch (PipelineStoppedException)
            {
                // The pipeline is stopping (Ctrl+C, Select-Object -First): there is no one left to warn.
            }
        }

        /// <summary>
        /// A downstream command that has what it wanted stops the upstream commands with
        /// StopUpstreamCommandsException while processing the item just written (Select-Object -First): that item
        /// was delivered. (The type is not in the reference assemblies, so it is matched by name.)
        /// </summary>
        private static bool StoppedByDownstream(Exception e) =>
            e is PipelineStoppedException && e.GetType().Name == "StopUpstreamCommandsException";
    }
}
