using System;
using System.Collections.Generic;
using System.Threading;

namespace CimLite
{
    /// <summary>
    /// The context of one provider call. Posting takes a deep snapshot at once (copy-on-post), forwards it to
    /// the client's sink, and refuses posts after the call completed.
    /// </summary>
    internal sealed class RequestContext : ICimLiteContext
    {
        private readonly CimLiteSession _session;
        private readonly ICimLiteOperationSink? _sink;
        private readonly CancellationToken _cancellation;
        private readonly Func<CimLiteInstance, bool>? _accept;
        private readonly object _gate = new object();
        private bool _completed;

        public RequestContext(CimLiteSession session, CimOperation operation, string ns, string className, ICimLiteOperationSink? sink,
            CancellationToken cancellation, Func<CimLiteInstance, bool>? accept = null)
        {
            _session = session;
            Operation = operation;
            Namespace = ns;
            ClassName = className;
            _sink = sink;
            _cancellation = cancellation;
            _accept = accept;
            _scope = new LocalScope(operation, className);
        }

        private readonly LocalScope _scope;

        public CimLiteSession LocalSession
        {
            get
            {
                try
                {
                    return _session.LocalSessionFor(_scope);
                }
                catch (CimLiteException e) when (MarkEngineError(e))
                {
                    throw;
                }
            }
        }

        public CimOperation Operation { get; }

        public string Namespace { get; }

        public string ClassName { get; }

        public bool IsCancelled => _cancellation.IsCancellationRequested;

        /// <summary>The error posted with PostError, if any.</summary>
        public CimLiteException? Error { get; private set; }

        /// <summary>How many instances were accepted and delivered.</summary>
        public long Delivered { get; private set; }

        public CimLiteInstance NewInstance(string className, System.Collections.IDictionary? values = null)
        {
            try
            {
                return _session.NewInstance(className, values, Namespace);
            }
            catch (CimLiteException e) when (MarkEngineError(e))
            {
                throw;
            }
        }

        public void PostInstance(CimLiteInstance instance)
        {
            if (instance == null) throw new ArgumentNullException(nameof(instance));
            try
            {
                PostInstanceCore(instance);
            }
            catch (CimLiteException e) when (MarkEngineError(e))
            {
                throw;
            }
        }

        private void PostInstanceCore(CimLiteInstance instance)
        {
            lock (_gate)
            {
                ThrowIfCompleted();
                if (IsCancelled) return;
                foreach (var key in instance.Class.KeyProperties)
                    if (instance[key.Name] == null)
                        throw new CimLiteException(CimStatus.Failed, Messages.PostedNullKey(instance.ClassName, key.Name), instance.ClassName, key.Name) { MessageNamesClass = true };
                var snapshot = instance.Clone();
                if (_accept != null && !_accept(snapshot)) return;
                Delivered++;
                _sink?.OnInstance(snapshot);
            }
        }

        public void PostIndication(CimLiteInstance indication)
        {
            if (indication == null) throw new ArgumentNullException(nameof(indication));
            lock (_gate)
            {
                ThrowIfCompleted();
                if (IsCancelled) return;
                try
                {
                    _session.PostIndicationCore(indication.Clone());
                }
                catch (CimLiteException e) when (MarkEngineError(e))
                {
                    throw;
                }
            }
        }

        public void PostError(CimStatus status, string message)
        {
            lock (_gate)
            {
                ThrowIfCompleted();
                Error = new CimLiteException(status == CimStatus.Ok ? CimStatus.Failed : status, Messages.ProviderFailed(ClassName, message), ClassName) { MessageNamesClass = true };
                _completed = true;
            }
        }

        public void WriteMessage(CimMessageChannel channel, string message)
        {
            if (!_completed) _sink?.OnMessage(channel, message ?? "");
        }

        public void WriteProgress(string activity, string statusDescription, int percentComplete)
        {
            if (!_completed) _sink?.OnProgress(activity ?? "", statusDescription ?? "", percentComplete);
        }

        public bool ShouldProcess(string target, string action) => _sink?.ShouldProcess(target, action) ?? true;

        public bool ShouldContinue(string query, string caption) => _sink?.ShouldContinue(query, caption) ?? true;

        /// <summary>
        /// Notes that an error the engine raised through this context (its messages name their class) already names
        /// its class, so that the provider call passes it on as it is. Never catches.
        /// </summary>
        internal static bool MarkEngineError(CimLiteException e)
        {
            if (!string.IsNullOrEmpty(e.ClassName)) e.MessageNamesClass = true;
            return false;
        }

        /// <summary>Marks the call complete: later posts fail.</summary>
        public void Complete()
        {
            lock (_gate) _completed = true;
            _scope.Close();
        }

        private void ThrowIfCompleted()
        {
            if (_completed) throw new CimLiteException(CimStatus.Failed, Messages.PostAfterCompletion(ClassName), ClassName) { MessageNamesClass = true };
        }
    }
}
