using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>
    /// The public operations, each run so that damage SQLite finds in the file after it opened (SQLITE_CORRUPT,
    /// SQLITE_NOTADB: a page overwritten, a file cut short under a running session) surfaces as a FAILED
    /// CimLiteException naming the repository and suggesting a restore from backup, never as a raw SqliteException.
    /// Any other SQLite error that reaches this boundary is translated too (see <see cref="Repository.TranslateSqlite"/>):
    /// BUSY/LOCKED (a stream that meets a lock is not retried) as the "repository busy" error, the rest as a FAILED
    /// error naming the repository. Streams are guarded as they are read, and so are <see cref="LeasePosted"/> and
    /// <see cref="PostedLease"/>. The operations themselves are the <c>…Unguarded</c> methods.
    /// </summary>
    public sealed partial class CimLiteSession
    {
        private T GuardDamage<T>(Func<T> operation)
        {
            try
            {
                return operation();
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException && _repository != null)
            {
                throw _repository.TranslateSqlite(e)!;
            }
        }

        /// <summary>Rethrows a SQLite error as its CimLiteException (for callers that cannot afford a delegate per call).</summary>
        private void ThrowIfSqlite(Exception e)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException && _repository != null) throw _repository.TranslateSqlite(e)!;
        }

        private void GuardDamage(Action operation) => GuardDamage<bool>(() => { operation(); return true; });

        private IEnumerable<T> GuardDamageStream<T>(IEnumerable<T> source) => new DamageGuardedStream<T>(this, source);

        private sealed class DamageGuardedStream<T> : IEnumerable<T>
        {
            private readonly CimLiteSession _session;
            private readonly IEnumerable<T> _source;

            public DamageGuardedStream(CimLiteSession session, IEnumerable<T> source)
            {
                _session = session;
                _source = source;
            }

            public IEnumerator<T> GetEnumerator() => new Enumerator(_session, _session.GuardDamage(() => _source.GetEnumerator()));

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

            private sealed class Enumerator : IEnumerator<T>
            {
                private readonly CimLiteSession _session;
                private readonly IEnumerator<T> _inner;

                public Enumerator(CimLiteSession session, IEnumerator<T> inner)
                {
                    _session = session;
                    _inner = inner;
                }

                public T Current => _inner.Current;

                object? IEnumerator.Current => _inner.Current;

                public bool MoveNext()
                {
                    // Called per row: a try/catch, not a delegate.
                    try
                    {
                        return _inner.MoveNext();
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException e)
                    {
                        _session.ThrowIfSqlite(e);
                        throw;
                    }
                }

                public void Reset() => _inner.Reset();

                public void Dispose() => _session.GuardDamage(() => _inner.Dispose());
            }
        }

        /// <inheritdoc cref="GetNamespacesUnguarded()"/>
        public IReadOnlyList<string> GetNamespaces()
        {
            return GuardDamage(() => GetNamespacesUnguarded());
        }

        /// <inheritdoc cref="DeleteInstanceUnguarded(InstancePath, OperationOptions)"/>
        public void DeleteInstance(InstancePath path, OperationOptions? options = null)
        {
            GuardDamage(() => DeleteInstanceUnguarded(path, options));
        }

        /// <inheritdoc cref="FindInstanceUnguarded(InstancePath, OperationOptions)"/>
        public CimLiteInstance? FindInstance(InstancePath path, OperationOptions? options = null)
        {
            return GuardDamage(() => FindInstanceUnguarded(path, options));
        }

        /// <inheritdoc cref="GetClassUnguarded(string, string, bool)"/>
        public CimLiteClass GetClass(string className, string? @namespace = null, bool useAmendedQualifiers = true)
        {
            return GuardDamage(() => GetClassUnguarded(className, @namespace, useAmendedQualifiers));
        }

        /// <inheritdoc cref="FindClassUnguarded(string, string)"/>
        public CimLiteClass? FindClass(string className, string? @namespace = null)
        {
            return GuardDamage(() => FindClassUnguarded(className, @namespace));
        }

        /// <inheritdoc cref="GetClassesUnguarded(string, string, bool, bool)"/>
        public IReadOnlyList<CimLiteClass> GetClasses(string? @namespace = null, string? superclass = null, bool deep = true, bool useAmendedQualifiers = true)
        {
            return GuardDamage(() => GetClassesUnguarded(@namespace, superclass, deep, useAmendedQualifiers));
        }

        /// <inheritdoc cref="ImportMofUnguarded(IEnumerable{string}, MofImportOptions)"/>
        public MofImportResult ImportMof(IEnumerable<string> paths, MofImportOptions? options = null)
        {
            return GuardDamage(() => ImportMofUnguarded(paths, options));
        }

        /// <inheritdoc cref="ImportMofTextUnguarded(string, string, MofImportOptions)"/>
        public MofImportResult ImportMofText(string text, string sourceName = "(text)", MofImportOptions? options = null)
        {
            return GuardDamage(() => ImportMofTextUnguarded(text, sourceName, options));
        }

        /// <inheritdoc cref="GetQualifierDeclarationsUnguarded(string)"/>
        public IReadOnlyList<CimQualifierDeclaration> GetQualifierDeclarations(string? @namespace = null)
        {
            return GuardDamage(() => GetQualifierDeclarationsUnguarded(@namespace));
        }

        /// <inheritdoc cref="CreateClassUnguarded(CimClassDefinition, string)"/>
        public CimLiteClass CreateClass(CimClassDefinition definition, string? @namespace = null)
        {
            return GuardDamage(() => CreateClassUnguarded(definition, @namespace));
        }

        /// <inheritdoc cref="ExportMofUnguarded(TextWriter, MofExportOptions)"/>
        public void ExportMof(TextWriter writer, MofExportOptions? options = null)
        {
            GuardDamage(() => ExportMofUnguarded(writer, options));
        }

        /// <inheritdoc cref="ExecQueryUnguarded(string, string, QueryOptions)"/>
        public IEnumerable<CimLiteInstance> ExecQuery(string wql, string? @namespace = null, QueryOptions? options = null)
        {
            return GuardDamage(() => GuardDamageStream(ExecQueryUnguarded(wql, @namespace, options)));
        }

        /// <inheritdoc cref="QueryInstancesUnguarded(string, string, string, QueryOptions)"/>
        public IEnumerable<CimLiteInstance> QueryInstances(string className, string? filter, string? @namespace = null, QueryOptions? options = null)
        {
            return GuardDamage(() => GuardDamageStream(QueryInstancesUnguarded(className, filter, @namespace, options)));
        }

        /// <inheritdoc cref="ExplainQueryUnguarded(string, string)"/>
        public IReadOnlyList<string> ExplainQuery(string wql, string? @namespace = null)
        {
            return GuardDamage(() => ExplainQueryUnguarded(wql, @namespace));
        }

        /// <inheritdoc cref="DeleteClassUnguarded(string, string, bool, Action{int, int, string})"/>
        public long DeleteClass(string className, string? @namespace, bool force, Action<int, int, string>? progress)
        {
            return GuardDamage(() => DeleteClassUnguarded(className, @namespace, force, progress));
        }

        /// <inheritdoc cref="CountInstancesUnguarded(string, string, bool)"/>
        public long CountInstances(string className, string? @namespace = null, bool deep = true)
        {
            return GuardDamage(() => CountInstancesUnguarded(className, @namespace, deep));
        }

        /// <inheritdoc cref="EnumerateInstancesUnguarded(string, string, bool, bool, OperationOptions)"/>
        public IEnumerable<CimLiteInstance> EnumerateInstances(string className, string? @namespace = null, bool deep = true, bool keysOnly = false, OperationOptions? options = null)
        {
            return GuardDamage(() => GuardDamageStream(EnumerateInstancesUnguarded(className, @namespace, deep, keysOnly, options)));
        }

        /// <inheritdoc cref="EnumerateInstancesUnguarded(string, ICimLiteOperationSink, string, bool, bool, CancellationToken)"/>
        public void EnumerateInstances(string className, ICimLiteOperationSink sink, string? @namespace = null, bool deep = true, bool keysOnly = false, CancellationToken cancellationToken = default)
        {
            GuardDamage(() => EnumerateInstancesUnguarded(className, sink, @namespace, deep, keysOnly, cancellationToken));
        }

        /// <inheritdoc cref="PutInstanceUnguarded(CimLiteInstance, PutOptions)"/>
        public InstancePath PutInstance(CimLiteInstance instance, PutOptions? options = null)
        {
            return GuardDamage(() => PutInstanceUnguarded(instance, options));
        }

        /// <inheritdoc cref="PostIndicationUnguarded(CimLiteInstance)"/>
        public CimLiteInstance PostIndication(CimLiteInstance indication)
        {
            return GuardDamage(() => PostIndicationUnguarded(indication));
        }

        /// <inheritdoc cref="NewInstanceUnguarded(string, System.Collections.IDictionary, string, IEnumerable{CimQualifier})"/>
        public CimLiteInstance NewInstance(string className, System.Collections.IDictionary? values = null, string? @namespace = null, IEnumerable<CimQualifier>? qualifiers = null)
        {
            // Called once per instance on bulk paths: a try/catch, not a delegate.
            try
            {
                return NewInstanceUnguarded(className, values, @namespace, qualifiers);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                ThrowIfSqlite(e);
                throw;
            }
        }

        /// <inheritdoc cref="CreateKeyInstanceUnguarded(InstancePath)"/>
        public CimLiteInstance CreateKeyInstance(InstancePath path)
        {
            return GuardDamage(() => CreateKeyInstanceUnguarded(path));
        }

        /// <inheritdoc cref="LeasePostedUnguarded(ReceiveOptions)"/>
        public PostedLease LeasePosted(ReceiveOptions? options = null)
        {
            return GuardDamage(() => LeasePostedUnguarded(options));
        }

        /// <summary>Completes a lease (see <see cref="PostedLease.Complete"/>), guarded like every public operation.</summary>
        internal void CompleteLeaseGuarded(List<long> ids, int taken)
        {
            GuardDamage(() => CompleteLease(ids, taken));
        }

        /// <inheritdoc cref="ReceivePostedUnguarded(ReceiveOptions, System.Threading.CancellationToken)"/>
        public IEnumerable<PostedIndication> ReceivePosted(ReceiveOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            return GuardDamage(() => GuardDamageStream(ReceivePostedUnguarded(options, cancellationToken)));
        }
    }
}
