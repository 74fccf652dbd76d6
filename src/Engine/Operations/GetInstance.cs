using System;
using System.Collections.Generic;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Reads an instance by path. A path may name a superclass of the instance's class (keys are unique
        /// across the hierarchy); the instance comes back as its own class. Instances the repository does not
        /// hold are asked of the providers of the class and its subclasses: the first posted instance with
        /// matching keys is the answer.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER (keys do not fit the class), INVALID_NAMESPACE, INVALID_CLASS, NOT_FOUND; a provider's failure.</exception>
        public CimLiteInstance GetInstance(InstancePath path, OperationOptions? options = null)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var full = path.WithNamespace(path.Namespace ?? DefaultNamespace).ToString();
            return FindInstance(path, options) ?? throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full), path.ClassName, instancePath: full);
        }

        /// <summary>Reads an instance by path, or null when it does not exist.</summary>
        public CimLiteInstance? FindInstance(InstancePath path, OperationOptions? options = null)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            return RetryBusy(() => FindInstanceAttempt(path, options));
        }

        private CimLiteInstance? FindInstanceAttempt(InstancePath path, OperationOptions? options)
        {
            var cimClass = _classes.RequireClass(ResolveNamespace(path.Namespace), path.ClassName);
            var keys = InstanceKey.ValuesFromPath(cimClass, path, ValueUnwrapper);
            var keyText = KeyText(cimClass, keys);
            var row = FindStored(cimClass, keyText);
            if (row != null)
            {
                var actual = _classes.ClassByIdCached(cimClass.Namespace, row.ClassId);
                if (actual.IsA(cimClass.ClassName)) return Materialize(actual, row.Data, row.Qualifiers);
            }
            if (Providers.IsEmpty) return null;

            var fullPath = new CimLiteInstance(cimClass, keys, null).GetPath();
            var candidates = new List<CimLiteClass> { cimClass };
            candidates.AddRange(SortedByDepth(_classes.Subclasses(cimClass, deep: true)));
            foreach (var c in candidates)
            {
                var provider = Providers.FindInstances(c.Namespace, c.ClassName);
                if (provider == null) continue;
                var capture = new CapturingSink(options?.Sink);
                // A provider that does not serve gets (NOT_SUPPORTED) has no answer; the next one (or NOT_FOUND) does.
                Dispatcher.Get(provider, c, fullPath, capture, options?.CancellationToken ?? default,
                    posted => capture.First == null && posted.IsOfClass(cimClass) && KeyText(posted.Class, posted.Values) == keyText);
                if (capture.First != null) return capture.First;
            }
            return null;
        }

        private static List<CimLiteClass> SortedByDepth(List<CimLiteClass> classes)
        {
            classes.Sort(CimLiteClass.CompareByDepthThenName);
            return classes;
        }
    }
}
