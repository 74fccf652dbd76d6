using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Calls one provider and turns its failure into the operation's failure, naming the class: a
        /// CimLiteException keeps its status, anything else is PROVIDER_FAILURE. An error posted with PostError
        /// fails the operation once the provider returns. The context is completed either way.
        /// </summary>
        internal static void CallProvider(string className, RequestContext context, Action call)
        {
            try
            {
                call();
            }
            catch (Exception thrown) when (FindCimLiteException(thrown) != null)
            {
                // A CimLiteException keeps its status even when a host wrapped it (a PowerShell class method's
                // throw reaches .NET callers as a RuntimeException around it; reflection as TargetInvocationException).
                var e = FindCimLiteException(thrown)!;
                if (CimName.Comparer.Equals(e.ClassName, className) && e.Message.IndexOf(className, StringComparison.OrdinalIgnoreCase) >= 0) throw;
                throw new CimLiteException(e.Status, Messages.ProviderFailed(className, e.Message), className, e.PropertyName, e.InstancePath, e)
                {
                    RecommendedAction = e.RecommendedAction,
                };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new CimLiteException(CimStatus.ProviderFailure, Messages.ProviderFailed(className, e.Message), className, innerException: e);
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
