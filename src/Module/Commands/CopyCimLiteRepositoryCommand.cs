using System;
using System.Management.Automation;
using CimLite.Errors;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Copies everything one repository stores (namespaces, qualifier declarations, classes, instances and the posted
    /// queue) into another: read as one snapshot of the source, written in one transaction of the destination, so the
    /// destination gets all of it or nothing. Any two sessions: file to file, file to memory and back (and, with issue 18,
    /// file to server).
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "CimLiteRepository", SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteCopyResult))]
    public sealed class CopyCimLiteRepositoryCommand : PSCmdlet
    {
        private volatile CimLiteSession? _running;
        private int _lastPercent = -1;

        /// <summary>The session whose repository is copied.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public CimLiteSession Source { get; set; } = null!;

        /// <summary>The session whose repository receives the copy.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public CimLiteSession Destination { get; set; } = null!;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Source.IsClosed) ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.SessionClosed, "CimLite.SessionClosed", Source));
            if (Destination.IsClosed) ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.SessionClosed, "CimLite.SessionClosed", Destination));
            if (!ShouldProcess(Destination.Path, Strings.CopyAction(Source.Path))) return;
            var activity = Strings.CopyActivity(Source.Path, Destination.Path);
            _lastPercent = -1;
            CimLiteCopyResult result;
            try
            {
                // The source's gate first, then the destination's (a copy the other way round in another runspace waits).
                lock (SessionGate.Of(Source))
                lock (SessionGate.Of(Destination))
                {
                    _running = Destination;
                    try
                    {
                        result = CimLiteRepository.Copy(Source, Destination, (done, total) => Progress(activity, done, total));
                    }
                    finally
                    {
                        _running = null;
                    }
                }
            }
            catch (CimLiteException e)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(e, Destination));
                throw;
            }
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressDone) { RecordType = ProgressRecordType.Completed });
            WriteObject(result);
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            // The copy's write is rolled back whole; the source's snapshot is ended by the same unwinding.
            _running?.Interrupt();
            base.StopProcessing();
        }

        private void Progress(string activity, long done, long total)
        {
            int percent = total <= 0 ? 0 : (int)Math.Min(100, done * 100 / total);
            if (percent == _lastPercent) return;
            _lastPercent = percent;
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressStatus(done, total)) { PercentComplete = percent });
        }
    }
}
