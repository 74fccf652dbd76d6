using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>Notes that a provider is about to be called (an attempt that did so is never rerun).</summary>
        internal void CountProviderCall() => _providerCalls++;

        /// <summary>Counts provider calls: an operation is retried after SQLITE_BUSY only when none ran in the failed attempt.</summary>
        private long _providerCalls;

        /// <summary>
        /// Runs <paramref name="attempt"/> (one whole engine transaction, from BEGIN) and runs it again from the start
        /// when SQLite reports BUSY/LOCKED, after a small random backoff, until the session's busy timeout is spent;
        /// then fails with the "repository busy" error. An attempt in which a provider was called is never repeated
        /// (providers must not be called twice for one operation): its BUSY fails at once with the same error.
        /// The transaction of a failed attempt has rolled back, so nothing of it is kept.
        /// </summary>
        internal T RetryBusy<T>(Func<T> attempt)
        {
            // Inside a caller's transaction (a batch, an import) the caller owns the lock and any retry. A local session's
            // operation (a provider's own put or delete) is a savepoint of its caller's transaction, rolled back alone when
            // it fails: on "busy" (PostgreSQL: a deadlock with another client, a lock wait) it is rerun like a whole
            // transaction, never when a provider ran in the failed attempt.
            if (Repository.InTransaction && _scope == null) return attempt();
            long calls = 0;
            return Repository.RetryWhileBusy(() => { calls = _providerCalls; return attempt(); }, () => _providerCalls == calls);
        }

        /// <summary>
        /// Calls one provider and turns its failure into the operation's failure, naming the class: a
        /// CimLiteException keeps its status, anything else is PROVIDER_FAILURE. An error posted with PostError
        /// fails the operation once the provider returns. The context is completed either way.
        /// </summary>
        internal void CallProvider(string className, RequestContext context, Action call)
        {
            CountProviderCall();
            try
            {
                call();
            }
            catch (Exception thrown) when (FindCimLiteException(thrown) != null)
            {
                // A CimLiteException keeps its status even when a host wrapped it (a PowerShell class method's
                // throw reaches .NET callers as a RuntimeException around it; reflection as TargetInvocationException).
                var e = FindCimLiteException(thrown)!;
                // An error about this class whose message already says so (the engine's own, or flagged by the
                // provider) passes on as it is; any other is prefixed with the provider's class.
                if (e.MessageNamesClass && CimName.Comparer.Equals(e.ClassName, className)) throw;
                throw new CimLiteException(e.Status, Messages.ProviderFailed(className, e.Message), className, e.PropertyName, e.InstancePath, e)
                {
                    RecommendedAction = e.RecommendedAction,
                    MessageNamesClass = true,
                };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new CimLiteException(CimStatus.ProviderFailure, Messages.ProviderFailed(className, e.Message), className, innerException: e) { MessageNamesClass = true };
            }
            finally
            {
                context.Complete();
            }
            if (context.Error != null) throw context.Error;
        }

        private static CimLiteException? FindCimLiteException(Exception e)
        {
            for (Exception? inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is OperationCanceledException) return null;
                if (inner is CimLiteException cimError) return cimError;
            }
            return null;
        }
    }
}
