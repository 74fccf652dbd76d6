using System;
using System.Collections.Generic;
using System.Threading;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Streams the instances of a class: deep (the class and all its subclasses, each instance as its own
        /// class) or shallow (the class only). Rows are read as the caller iterates; nothing is buffered except
        /// what providers post, which this pull form collects per class (use the sink overload to stream those too).
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS (thrown by the call itself, before any row is read).</exception>
        public IEnumerable<CimLiteInstance> EnumerateInstances(string className, string? @namespace = null, bool deep = true, bool keysOnly = false, OperationOptions? options = null)
        {
            var classes = EnumerationClasses(className, @namespace, deep);
            return Stream(classes, deep, keysOnly, options);
        }

        /// <summary>
        /// Enumerates into a sink: repository rows and provider posts alike reach
        /// <see cref="ICimLiteOperationSink.OnInstance"/> one at a time, in order, as they are read or posted.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS; a provider's failure.</exception>
        public void EnumerateInstances(string className, ICimLiteOperationSink sink, string? @namespace = null, bool deep = true, bool keysOnly = false, CancellationToken cancellationToken = default)
        {
            if (sink == null) throw new ArgumentNullException(nameof(sink));
            var classes = EnumerationClasses(className, @namespace, deep);
            using (classes.Count > 1 ? Repository.HoldPagedReads() : null)
            foreach (var c in classes)
            {
                foreach (var instance in StreamRows(c, keysOnly))
                {
                    if (cancellationToken.IsCancellationRequested) return;
                    sink.OnInstance(instance);
                }
                EnumerateProvider(c, deep, keysOnly, sink, cancellationToken);
            }
        }

        private List<CimLiteClass> EnumerationClasses(string className, string? @namespace, bool deep)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            var cimClass = _classes.RequireClass(ResolveNamespace(@namespace), className);
            var classes = new List<CimLiteClass> { cimClass };
            if (deep) classes.AddRange(SortedByDepth(_classes.Subclasses(cimClass, deep: true)));
            return classes;
        }

        private void EnumerateProvider(CimLiteClass c, bool deep, bool keysOnly, ICimLiteOperationSink sink, CancellationToken cancellation)
        {
            var provider = Providers.FindInstances(c.Namespace, c.ClassName);
            if (provider == null) return;
            // A provider that does not enumerate (NOT_SUPPORTED: a put validator, say) leaves the class to the repository.
            Dispatcher.Enumerate(provider, c, sink, cancellation, posted =>
            {
                if (!(deep ? posted.IsOfClass(c) : CimName.Comparer.Equals(posted.ClassName, c.ClassName) && CimName.Comparer.Equals(posted.Namespace, c.Namespace)))
                    return false;
                if (keysOnly)
                    for (int i = 0; i < posted.Values.Length; i++)
                        if (!posted.Class.Properties[i].IsKey) posted.Values[i] = null;
                return true;
            });
        }

        private IEnumerable<CimLiteInstance> Stream(List<CimLiteClass> classes, bool deep, bool keysOnly, OperationOptions? options)
        {
            // The classes of a deep enumeration are read one after the other, all in one snapshot where the backend
            // reads in pages (PostgreSQL).
            using (classes.Count > 1 ? Repository.HoldPagedReads() : null)
            foreach (var c in classes)
            {
                foreach (var instance in StreamRows(c, keysOnly)) yield return instance;
                if (Providers.FindInstances(c.Namespace, c.ClassName) == null) continue;
                var collected = new CollectingSink(options?.Sink);
                EnumerateProvider(c, deep, keysOnly, collected, options?.CancellationToken ?? default);
                foreach (var instance in collected.Items) yield return instance;
            }
        }

        private IEnumerable<CimLiteInstance> StreamRows(CimLiteClass c, bool keysOnly)
        {
            using (var rows = Repository.Instances.ScanClass(c.Id))
            {
                while (rows.Read())
                    yield return Materialize(c, rows.Data, rows.Qualifiers, keysOnly);
            }
        }
    }
}
