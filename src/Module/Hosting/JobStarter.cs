using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CimLite.Sessions;

namespace CimLite.Hosting
{
    /// <summary>
    /// -AsJob for every cmdlet alike: the cmdlet gathers the confirmed work while the pipeline runs, and at its end
    /// <see cref="Start"/> makes the <see cref="CimLiteJob"/>, adds it to the job repository, writes it and starts
    /// it. In the job, <see cref="ForEach{T}"/> and <see cref="Item"/> run one engine call per item under the
    /// session's gate (a job and the pipeline never use one SQLite connection at once), a CimLiteException becoming
    /// that item's job error.
    /// </summary>
    internal static class JobStarter
    {
        /// <summary>Starts <paramref name="work"/> as a job of <paramref name="cmdlet"/> on <paramref name="session"/>; the job is the cmdlet's output.</summary>
        public static CimLiteJob Start(PSCmdlet cmdlet, CimLiteSession session, Action<CimLiteJob, CancellationToken> work)
        {
            var job = new CimLiteJob(cmdlet.MyInvocation.Line, session.Path, cmdlet.GetType(), work);
            cmdlet.JobRepository.Add(job);
            cmdlet.WriteObject(job);
            job.Start();
            return job;
        }

        /// <summary>Runs one engine call in a job under the session's gate; a CimLiteException is added to the job's errors with <paramref name="target"/>.</summary>
        public static void Item(CimLiteJob job, CimLiteSession session, object? target, Action call)
        {
            try
            {
                lock (SessionGate.Of(session)) call();
            }
            catch (CimLiteException e)
            {
                job.AddError(e, target);
            }
        }

        /// <summary>
        /// Runs <paramref name="call"/> for each item in order, each under the gate of its own session (piped instances
        /// remember the session that produced them: one job may act on several), until the job is stopped.
        /// </summary>
        public static void ForEach<T>(CimLiteJob job, CancellationToken token, IEnumerable<KeyValuePair<CimLiteSession, T>> items, Func<T, object?> target, Action<CimLiteSession, T> call)
        {
            foreach (var item in items)
            {
                if (token.IsCancellationRequested) return;
                Item(job, item.Key, target(item.Value), () => call(item.Key, item.Value));
            }
        }

        /// <summary>Runs <paramref name="call"/> for each item in order (see <see cref="Item"/>) until the job is stopped.</summary>
        public static void ForEach<T>(CimLiteJob job, CimLiteSession session, CancellationToken token, IEnumerable<T> items, Func<T, object?> target, Action<T> call)
        {
            foreach (var item in items)
            {
                if (token.IsCancellationRequested) return;
                Item(job, session, target(item), () => call(item));
            }
        }
    }
}
