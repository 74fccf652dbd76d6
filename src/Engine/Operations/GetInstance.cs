using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>The outcome of one path of <see cref="CimLiteSession.GetInstances"/>: the instance, or the error a single get would have thrown.</summary>
    public sealed class GetResult
    {
        internal GetResult(InstancePath path, CimLiteInstance? instance, CimLiteException? error)
        {
            Path = path;
            Instance = instance;
            Error = error;
        }

        /// <summary>The path as given.</summary>
        public InstancePath Path { get; }

        /// <summary>The instance read; null when the get failed.</summary>
        public CimLiteInstance? Instance { get; }

        /// <summary>Why the get failed (same status, message and details as <see cref="CimLiteSession.GetInstance"/>: NOT_FOUND for a missing instance); null on success.</summary>
        public CimLiteException? Error { get; }

        /// <summary>True when the instance was read.</summary>
        public bool Succeeded => Error == null;
    }

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
            return FindInstance(path, options) ?? throw InstanceNotFound(path);
        }

        private CimLiteException InstanceNotFound(InstancePath path)
        {
            var full = path.WithNamespace(path.Namespace ?? DefaultNamespace).ToString();
            return new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full), path.ClassName, instancePath: full);
        }

        /// <summary>
        /// Reads many instances by path in one call (issue 17): one result per path, in order, each with exactly the
        /// instance or the error <see cref="GetInstance"/> gives for that path (a missing instance is a result whose
        /// <see cref="GetResult.Error"/> is NOT_FOUND, not an exception), so one bad path does not hide the others.
        /// The reads share the session's prepared key lookup and the class cache; a busy repository is retried per
        /// path as a single get is.
        /// </summary>
        /// <exception cref="ArgumentNullException">paths, or one of them, is null.</exception>
        public IReadOnlyList<GetResult> GetInstances(IEnumerable<InstancePath> paths, OperationOptions? options = null)
        {
            if (paths == null) throw new ArgumentNullException(nameof(paths));
            var list = new List<InstancePath>(paths);
            foreach (var path in list) if (path == null) throw new ArgumentNullException(nameof(paths));
            var results = new List<GetResult>(list.Count);
            // Without providers (whose calls may write through a local session) the batch reads in one read transaction:
            // one snapshot, and the schema generation is read once instead of once per path.
            var snapshot = list.Count > 1 && Providers.Registrations.Count == 0 && !Repository.InTransaction ? Repository.BeginReadSnapshot() : null;
            try
            {
                foreach (var path in list)
                {
                    try
                    {
                        var found = FindInstance(path, options);
                        results.Add(found != null ? new GetResult(path, found, null) : new GetResult(path, null, InstanceNotFound(path)));
                    }
                    catch (CimLiteException e)
                    {
                        results.Add(new GetResult(path, null, e));
                    }
                }
            }
            finally
            {
                snapshot?.Dispose();
            }
            return results;
        }

        /// <summary>Reads an instance by path, or null when it does not exist.</summary>
        public CimLiteInstance? FindInstance(InstancePath path, OperationOptions? options = null)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            return RetryBusy(() => FindInstanceAttempt(path, options));
        }

        private CimLiteInstance? FindInstanceAttempt(InstancePath path, OperationOptions? options)
        {
            // PostgreSQL: the schema generation is checked by the key read's own statement (one round trip, not two);
            // a failure before that read (a class or key the cached schema does not know) is judged again when the
            // classes were stale. Not with providers (a provider never runs twice).
            if (Repository.InTransaction || !Providers.IsEmpty || !(Repository is Storage.IDeferredGenerationCheck deferred)) return FindInstanceCore(path, options);
            using (deferred.DeferGenerationCheck())
            {
                try
                {
                    return FindInstanceCore(path, options);
                }
                catch (CimLiteException e) when (!e.IsStorageFailure && deferred.GenerationChanged())
                {
                    _classes.Invalidate();
                }
            }
            return FindInstanceCore(path, options);
        }

        private CimLiteInstance? FindInstanceCore(InstancePath path, OperationOptions? options)
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
