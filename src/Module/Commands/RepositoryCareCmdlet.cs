using System;
using System.Management.Automation;
using CimLite.Errors;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// The base of the repository care cmdlets that work on a repository given by -Path or by a session (-Session, else
    /// the default session): resolves which, runs the engine call under the session's gate, turns a CimLiteException
    /// into a terminating error naming the file, and writes progress records at most once per percent.
    /// </summary>
    public abstract class RepositoryCareCmdlet : CimLiteCmdlet
    {
        /// <summary>The parameter set of -Path.</summary>
        protected const string PathSet = "Path";

        /// <summary>The parameter set of -Session (and of neither: the default session).</summary>
        protected const string SessionSet = "Session";

        /// <summary>A repository file instead of a session.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>-Path resolved against the current location, or null when a session is used.</summary>
        protected string? FilePath
        {
            get
            {
                if (ParameterSetName != PathSet) return null;
                if (Session != null) ThrowConflictingParameters("-Path", "-Session");
                return GetUnresolvedProviderPathFromPSPath(Path);
            }
        }

        /// <summary>What the repository is called in prompts and errors.</summary>
        protected string TargetName => FilePath ?? ResolvedSession.Path;

        /// <summary>
        /// Runs <paramref name="onFile"/> with -Path's file, or <paramref name="onSession"/> under the gate of the
        /// resolved session; a CimLiteException stops the command with its error record.
        /// </summary>
        protected T Run<T>(Func<string, T> onFile, Func<CimLiteSession, T> onSession)
        {
            var file = FilePath;
            try
            {
                if (file != null) return onFile(file);
                var session = ResolvedSession;
                lock (SessionGate.Of(session)) return onSession(session);
            }
            catch (CimLiteException e)
            {
                ThrowCimLiteError(e, file ?? (object?)Session ?? TargetName);
                throw;
            }
        }

        private int _lastPercent = -1;

        /// <summary>Writes a progress record when the percentage moved (done of total).</summary>
        protected void Progress(string activity, long done, long total)
        {
            int percent = total <= 0 ? 0 : (int)Math.Min(100, done * 100 / total);
            if (percent == _lastPercent) return;
            _lastPercent = percent;
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressStatus(done, total)) { PercentComplete = percent });
        }

        /// <summary>Writes a progress record for a step of known percentage.</summary>
        protected void Step(string activity, int percent, string status)
        {
            _lastPercent = percent;
            WriteProgress(new ProgressRecord(1, activity, status) { PercentComplete = Math.Max(0, Math.Min(100, percent)) });
        }

        /// <summary>Ends the progress bar.</summary>
        protected void Completed(string activity) =>
            WriteProgress(new ProgressRecord(1, activity, Strings.CareProgressDone) { RecordType = ProgressRecordType.Completed });
    }
}
