using System;
using System.Collections.Generic;
using System.Threading;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        private ProviderDispatcher? _dispatcher;

        /// <summary>Calls this session's providers for the operations.</summary>
        internal ProviderDispatcher Dispatcher => _dispatcher ?? (_dispatcher = new ProviderDispatcher(this));
    }

    /// <summary>
    /// The one place operations call providers: it makes each call's context and request, calls the provider
    /// through <see cref="CimLiteSession.CallProvider"/> (which counts the call for the busy retry, completes the
    /// context, turns a failure or a posted error into the operation's failure naming the class), and for a chain
    /// calls the levels from the top of the hierarchy down, stopping at the first failure (the caller's transaction
    /// then rolls back everything, indications included). A new capability (methods, associations) adds its
    /// request here beside these.
    /// </summary>
    internal sealed class ProviderDispatcher
    {
        private readonly CimLiteSession _session;

        public ProviderDispatcher(CimLiteSession session) { _session = session; }

        /// <summary>A put: every provider of the chain, top down, each given its own copy of <paramref name="offered"/>.</summary>
        public void Put(List<KeyValuePair<string, ICimLiteInstanceProvider>> chain, string ns, CimLiteInstance offered, PutOptions options, IReadOnlyCollection<string> propertyList)
        {
            foreach (var level in chain)
            {
                var provider = level.Value;
                var className = level.Key;
                Call(CimOperation.PutInstance, ns, className, options.Sink, options.CancellationToken, null, provider, offered.GetPath().ToString(),
                    context => provider.PutInstance(context, new PutInstanceRequest(ns, className, offered.Clone(), options.Mode, propertyList)));
            }
        }

        /// <summary>A delete: every provider of the chain, top down.</summary>
        public void Delete(List<KeyValuePair<string, ICimLiteInstanceProvider>> chain, string ns, InstancePath target, OperationOptions? options)
        {
            foreach (var level in chain)
            {
                var provider = level.Value;
                var className = level.Key;
                Call(CimOperation.DeleteInstance, ns, className, options?.Sink, options?.CancellationToken ?? default, null, provider, target.ToString(),
                    context => provider.DeleteInstance(context, new DeleteInstanceRequest(ns, className, target)));
            }
        }

        /// <summary>
        /// A get of one class's provider; posts that <paramref name="accept"/> takes go to <paramref name="sink"/>.
        /// A provider that refuses with NOT_SUPPORTED before delivering anything has no answer (not an error).
        /// </summary>
        public void Get(ICimLiteInstanceProvider provider, CimLiteClass c, InstancePath path, ICimLiteOperationSink? sink, CancellationToken cancellation, Func<CimLiteInstance, bool> accept) =>
            CallOptional(CimOperation.GetInstance, c, sink, cancellation, accept,
                context => provider.GetInstance(context, new GetInstanceRequest(c.Namespace, c.ClassName, path)));

        /// <summary>
        /// An enumeration of one class's provider; posts that <paramref name="accept"/> takes go to <paramref name="sink"/>.
        /// A provider that refuses with NOT_SUPPORTED before delivering anything leaves the class to the repository.
        /// </summary>
        public void Enumerate(ICimLiteInstanceProvider provider, CimLiteClass c, ICimLiteOperationSink? sink, CancellationToken cancellation, Func<CimLiteInstance, bool> accept) =>
            CallOptional(CimOperation.EnumerateInstances, c, sink, cancellation, accept,
                context => provider.EnumerateInstances(context, new EnumerateInstancesRequest(c.Namespace, c.ClassName)));

        /// <summary>
        /// An AssociatorInstances or ReferenceInstances call of an association class's provider; posts that
        /// <paramref name="accept"/> takes go to <paramref name="sink"/>. False when the provider refuses with
        /// NOT_SUPPORTED before delivering anything (the caller then enumerates the class instead).
        /// </summary>
        public bool Associations(ICimLiteAssociationProvider provider, CimLiteClass c, AssociationRequest request, ICimLiteOperationSink? sink, CancellationToken cancellation, Func<CimLiteInstance, bool> accept)
        {
            var operation = request is ReferenceInstancesRequest ? CimOperation.ReferenceInstances : CimOperation.AssociatorInstances;
            var context = new RequestContext(_session, operation, c.Namespace, c.ClassName, sink, cancellation, accept);
            try
            {
                _session.CallProvider(c.ClassName, context, () =>
                {
                    if (request is ReferenceInstancesRequest references) provider.ReferenceInstances(context, references);
                    else provider.AssociatorInstances(context, (AssociatorInstancesRequest)request);
                });
                return true;
            }
            catch (CimLiteException e) when (e.Status == CimStatus.NotSupported && context.Delivered == 0)
            {
                return false;
            }
        }

        private void CallOptional(CimOperation operation, CimLiteClass c, ICimLiteOperationSink? sink, CancellationToken cancellation, Func<CimLiteInstance, bool> accept, Action<RequestContext> call)
        {
            var context = new RequestContext(_session, operation, c.Namespace, c.ClassName, sink, cancellation, accept);
            try
            {
                _session.CallProvider(c.ClassName, context, () => call(context));
            }
            catch (CimLiteException e) when (e.Status == CimStatus.NotSupported && context.Delivered == 0)
            {
                // A provider that does not serve this operation (a put validator, say) has no answer.
            }
        }

        /// <summary>
        /// A method call: the provider of <paramref name="providerClass"/> runs <paramref name="request"/>; its result
        /// comes back as it returned it. False when the provider has no handler for the method
        /// (<see cref="InvokeMethodRequest.NotHandled"/>): the caller then asks the next ancestor's provider.
        /// </summary>
        public bool InvokeMethod(ICimLiteMethodProvider provider, string providerClass, InvokeMethodRequest request, string target, OperationOptions? options, out object? result)
        {
            object? returned = null;
            try
            {
                Call(CimOperation.InvokeMethod, request.Namespace, providerClass, options?.Sink, options?.CancellationToken ?? default, null, provider, target + "." + request.MethodName,
                    context => returned = provider.InvokeMethod(context, request));
            }
            catch (CimLiteException e) when (HasNoHandler(e))
            {
                result = null;
                return false;
            }
            result = returned;
            return true;
        }

        private static bool HasNoHandler(CimLiteException e)
        {
            for (Exception? inner = e; inner != null; inner = inner.InnerException)
                if (inner is CimLiteException c && c.IsNoHandler) return true;
            return false;
        }

        private void Call(CimOperation operation, string ns, string className, ICimLiteOperationSink? sink, CancellationToken cancellation, Func<CimLiteInstance, bool>? accept,
            object provider, string target, Action<RequestContext> call)
        {
            // A provider that, through its local session, asks for the very operation it is serving would recurse
            // without end (or, on one connection, wait for itself): refused here with a clear error instead.
            var active = _session.EnterProvider(provider, operation, className, target);
            try
            {
                var context = new RequestContext(_session, operation, ns, className, sink, cancellation, accept);
                _session.CallProvider(className, context, () => call(context));
            }
            finally
            {
                _session.ExitProvider(active);
            }
        }
    }
}
