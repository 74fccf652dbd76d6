using System;
using System.Collections.Generic;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Deletes a class. Without <paramref name="force"/> a class with subclasses fails with CLASS_HAS_CHILDREN
        /// and one with instances with CLASS_HAS_INSTANCES; with it, subclasses and all their instances go too.
        /// </summary>
        /// <returns>The number of instances removed with the classes.</returns>
        public long DeleteClass(string className, string? @namespace = null, bool force = false) => DeleteClass(className, @namespace, force, null);

        /// <summary>
        /// Deletes a class as <see cref="DeleteClass(string, string?, bool)"/> does, reporting the cascade:
        /// <paramref name="progress"/> is called once before anything is removed (done 0) and then after each class
        /// is removed (subclasses first, the class itself last), with the classes done, the total and the class name.
        /// It runs on the calling thread, inside the write transaction; an exception it throws rolls everything back.
        /// </summary>
        /// <returns>The number of instances removed with the classes.</returns>
        public long DeleteClass(string className, string? @namespace, bool force, Action<int, int, string>? progress)
        {
            var ns = ResolveNamespace(@namespace);
            // Rerun as a whole when the storage reports "busy" (a PostgreSQL serialization failure against another
            // client's change; progress then starts again from 0); it calls no provider.
            return RetryBusy(() => DeleteClassAttempt(className, ns, force, progress));
        }

        private long DeleteClassAttempt(string className, string ns, bool force, Action<int, int, string>? progress)
        {
            using (var tx = BeginSchemaWrite())
            {
                try
                {
                    var cimClass = _classes.RequireClass(ns, className);
                    var subclasses = _classes.Subclasses(cimClass, deep: true);
                    if (!force && subclasses.Count > 0)
                    {
                        var names = new List<string>();
                        foreach (var s in subclasses) names.Add(s.ClassName);
                        throw new CimLiteException(CimStatus.ClassHasChildren, Messages.ClassHasChildren(cimClass.ClassName, string.Join(", ", names)), cimClass.ClassName);
                    }
                    var own = Repository.Instances.CountByClass(cimClass.Id);
                    if (!force && own > 0)
                        throw new CimLiteException(CimStatus.ClassHasInstances, Messages.ClassHasInstances(cimClass.ClassName, own), cimClass.ClassName);
                    // Children first so that superclass references never dangle.
                    subclasses.Sort((a, b) => b.Derivation.Count.CompareTo(a.Derivation.Count));
                    subclasses.Add(cimClass);
                    long removed = 0;
                    int done = 0;
                    progress?.Invoke(0, subclasses.Count, subclasses[0].ClassName);
                    foreach (var c in subclasses)
                    {
                        removed += Repository.Instances.DeleteByClass(c.Id);
                        // Queued indications of a removed class go with it (they could no longer be read).
                        Repository.Posted.DeleteByClass(c.Namespace, c.ClassName);
                        Repository.Classes.DeleteClass(c.Id);
                        progress?.Invoke(++done, subclasses.Count, c.ClassName);
                    }
                    _classes.BumpGeneration();
                    tx.Commit();
                    return removed;
                }
                finally
                {
                    _classes.Invalidate();
                }
            }
        }
    
        /// <summary>
        /// Counts the instances the repository stores for a class (deep: with its subclasses'), without asking
        /// providers. Remove-CimLiteClass -Force uses it to decide whether a cascade is worth a progress bar.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS.</exception>
        public long CountInstances(string className, string? @namespace = null, bool deep = true)
        {
            var cimClass = _classes.RequireClass(ResolveNamespace(@namespace), className);
            var classes = deep ? _classes.Subclasses(cimClass, deep: true) : new List<CimLiteClass>();
            classes.Add(cimClass);
            long total = 0;
            foreach (var c in classes) total += Repository.Instances.CountByClass(c.Id);
            return total;
        }
    }
}
