using System.Collections.Generic;
using System.Globalization;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Deletes a class. Without <paramref name="force"/> a class with subclasses fails with CLASS_HAS_CHILDREN
        /// and one with instances with CLASS_HAS_INSTANCES; with it, subclasses and all their instances go too.
        /// </summary>
        /// <returns>The number of instances removed with the classes.</returns>
        public long DeleteClass(string className, string? @namespace = null, bool force = false)
        {
            var ns = ResolveNamespace(@namespace);
            using (var tx = BeginWrite())
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
                    var count = Repository.Command("SELECT count(*) FROM instances WHERE class_id = $c");
                    count.Parameters.Clear();
                    count.Parameters.AddWithValue("$c", cimClass.Id);
                    var own = System.Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
                    if (!force && own > 0)
                        throw new CimLiteException(CimStatus.ClassHasInstances, Messages.ClassHasInstances(cimClass.ClassName, own), cimClass.ClassName);
                    // Children first so that superclass references never dangle.
                    subclasses.Sort((a, b) => b.Derivation.Count.CompareTo(a.Derivation.Count));
                    subclasses.Add(cimClass);
                    long removed = 0;
                    foreach (var c in subclasses)
                    {
                        var del = Repository.Command("DELETE FROM instances WHERE class_id = $c");
                        del.Parameters.Clear();
                        del.Parameters.AddWithValue("$c", c.Id);
                        removed += del.ExecuteNonQuery();
                        // Queued indications of a removed class go with it (they could no longer be read).
                        var delPosted = Repository.Command("DELETE FROM posted WHERE namespace = $ns AND class_name = $name");
                        delPosted.Parameters.Clear();
                        delPosted.Parameters.AddWithValue("$ns", c.Namespace);
                        delPosted.Parameters.AddWithValue("$name", c.ClassName);
                        delPosted.ExecuteNonQuery();
                        var delClass = Repository.Command("DELETE FROM classes WHERE id = $c");
                        delClass.Parameters.Clear();
                        delClass.Parameters.AddWithValue("$c", c.Id);
                        delClass.ExecuteNonQuery();
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
    }
}
