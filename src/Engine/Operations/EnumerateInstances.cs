using System;
using System.Collections.Generic;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Streams the instances of a class: deep (the class and all its subclasses, each instance as its own
        /// class) or shallow (the class only). Rows are read as the caller iterates; nothing is buffered.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS (thrown by the call itself, before any row is read).</exception>
        public IEnumerable<CimLiteInstance> EnumerateInstances(string className, string? @namespace = null, bool deep = true, bool keysOnly = false)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            var cimClass = _classes.RequireClass(ResolveNamespace(@namespace), className);
            var classes = new List<CimLiteClass> { cimClass };
            if (deep)
            {
                var subclasses = _classes.Subclasses(cimClass, deep: true);
                subclasses.Sort((a, b) =>
                {
                    int depth = a.Derivation.Count.CompareTo(b.Derivation.Count);
                    return depth != 0 ? depth : string.Compare(a.ClassName, b.ClassName, StringComparison.OrdinalIgnoreCase);
                });
                classes.AddRange(subclasses);
            }
            return Stream(classes, keysOnly);
        }

        private IEnumerable<CimLiteInstance> Stream(List<CimLiteClass> classes, bool keysOnly)
        {
            foreach (var c in classes)
            {
                using (var command = Repository.NewCommand("SELECT data, qualifiers FROM instances WHERE class_id = $c ORDER BY id"))
                {
                    command.Parameters.AddWithValue("$c", c.Id);
                    using (var reader = command.ExecuteReader())
                    {
                        while (reader.Read())
                            yield return Materialize(c, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), keysOnly);
                    }
                }
            }
        }
    }
}
