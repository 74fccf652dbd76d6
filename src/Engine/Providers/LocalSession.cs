using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>
    /// The life of one provider call's local session (<see cref="ICimLiteContext.LocalSession"/>): open while the
    /// provider runs, closed when it returns. The local session itself is made on first use.
    /// </summary>
    internal sealed class LocalScope
    {
        public LocalScope(CimOperation operation, string className)
        {
            Operation = operation;
            ClassName = className;
        }

        public CimOperation Operation { get; }

        public string ClassName { get; }

        public bool IsOpen { get; private set; } = true;

        public CimLiteSession? Session { get; set; }

        public void Close() => IsOpen = false;
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>How deep provider calls may nest through local sessions before the innermost fails.</summary>
        internal const int MaxProviderDepth = 10;

        private readonly CimLiteSession? _root;
        private readonly LocalScope? _scope;
        private readonly List<ActiveProviderCall> _activeCalls = new List<ActiveProviderCall>();

        /// <summary>A local session: the same repository, classes and providers as <paramref name="root"/>, its writes
        /// savepoints inside the transaction that is open while <paramref name="scope"/> is.</summary>
        private CimLiteSession(CimLiteSession root, LocalScope scope)
        {
            _root = root;
            _scope = scope;
            _repository = root._repository;
            _path = root._path;
            _classes = root._classes;
            Providers = root.Providers;
            DefaultNamespace = root.DefaultNamespace;
            BusyTimeout = root.BusyTimeout;
            ValueUnwrapper = root.ValueUnwrapper;
            IsReadOnlyInMemory = root.IsReadOnlyInMemory;
        }

        /// <summary>True for a provider call's local session (<see cref="ICimLiteContext.LocalSession"/>).</summary>
        public bool IsLocal => _scope != null;

        /// <summary>The session that owns the repository connection (this one, unless it is a local session).</summary>
        internal CimLiteSession Root => _root ?? this;

        /// <summary>The local session of a provider call, made on first use.</summary>
        internal CimLiteSession LocalSessionFor(LocalScope scope)
        {
            if (scope.Operation == CimOperation.GetInstance || scope.Operation == CimOperation.EnumerateInstances)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.LocalSessionNotInReads(scope.ClassName), scope.ClassName) { MessageNamesClass = true };
            ThrowIfScopeClosed(scope);
            return scope.Session ?? (scope.Session = new CimLiteSession(Root, scope));
        }

        private static void ThrowIfScopeClosed(LocalScope scope)
        {
            if (!scope.IsOpen)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.LocalSessionExpired(scope.ClassName, scope.Operation.ToString()), scope.ClassName) { MessageNamesClass = true };
        }

        /// <summary>The repository, checked: a local session whose call returned refuses every use.</summary>
        private IRepository CheckedRepository()
        {
            if (_scope != null) ThrowIfScopeClosed(_scope);
            return _repository ?? throw new ObjectDisposedException(nameof(CimLiteSession), Messages.SessionClosed);
        }

        /// <summary>
        /// Opens the write transaction of an operation. On a local session it is a savepoint inside the caller's
        /// transaction (committed with it, or undone alone when this operation fails); on a session whose provider
        /// call is running it is refused with a clear error instead of the storage's "already open".
        /// </summary>
        private WriteTransaction BeginWriteCore(WriteKind kind)
        {
            var repository = Repository;
            if (_scope != null)
            {
                repository.BeginSavepoint();
                return WriteTransaction.Savepoint(repository);
            }
            if (repository.InTransaction && _activeCalls.Count > 0)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.SessionBusyInProvider);
            return kind == WriteKind.Queue ? repository.BeginQueueWrite() : kind == WriteKind.Schema ? repository.BeginSchemaWrite() : repository.BeginWrite();
        }

        /// <summary>What a write transaction touches: the backend picks its locks by it.</summary>
        internal enum WriteKind
        {
            Instances,
            Queue,
            Schema,
        }

        /// <summary>
        /// Notes a provider call about to run, refusing a re-entry (the same provider object asked for the same
        /// operation on the same target while it is serving it) and nesting deeper than <see cref="MaxProviderDepth"/>.
        /// </summary>
        internal ActiveProviderCall EnterProvider(object provider, CimOperation operation, string className, string target)
        {
            var calls = Root._activeCalls;
            foreach (var active in calls)
                if (ReferenceEquals(active.Provider, provider) && active.Operation == operation && string.Equals(active.Target, target, StringComparison.OrdinalIgnoreCase))
                    throw new CimLiteException(CimStatus.InvalidOperation, Messages.ProviderReentered(className, operation.ToString(), target), className) { MessageNamesClass = true };
            if (calls.Count >= MaxProviderDepth)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.ProviderNestedTooDeep(MaxProviderDepth, className), className) { MessageNamesClass = true };
            var call = new ActiveProviderCall(provider, operation, target);
            calls.Add(call);
            return call;
        }

        internal void ExitProvider(ActiveProviderCall call) => Root._activeCalls.Remove(call);
    }

    /// <summary>A provider call in progress (for the re-entrancy rule).</summary>
    internal sealed class ActiveProviderCall
    {
        public ActiveProviderCall(object provider, CimOperation operation, string target)
        {
            Provider = provider;
            Operation = operation;
            Target = target;
        }

        public object Provider { get; }

        public CimOperation Operation { get; }

        public string Target { get; }
    }
}
