using System.Collections;
using System.Collections.Generic;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Makes an instance of a class in memory (WMI's SpawnInstance plus property sets): class defaults,
        /// then the given values converted to their types. Nothing is stored.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS, INVALID_OPERATION (abstract class), NO_SUCH_PROPERTY, TYPE_MISMATCH.</exception>
        public CimLiteInstance NewInstance(string className, System.Collections.IDictionary? values = null, string? @namespace = null, IEnumerable<CimQualifier>? qualifiers = null)
        {
            return NewInstanceOf(_classes.RequireClass(ResolveNamespace(@namespace), className), values, qualifiers);
        }

        /// <summary>
        /// Makes an instance of <paramref name="cimClass"/> (a class this session gave, e.g. by <see cref="GetClass"/>)
        /// as <see cref="NewInstance(string, System.Collections.IDictionary, string, IEnumerable{CimQualifier})"/> does,
        /// without looking the class up again: for callers making many instances of one class. A put aligns the values
        /// with the class as stored then, as for any instance.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_OPERATION (abstract class), NO_SUCH_PROPERTY, TYPE_MISMATCH.</exception>
        public CimLiteInstance NewInstanceOf(CimLiteClass cimClass, System.Collections.IDictionary? values = null, IEnumerable<CimQualifier>? qualifiers = null)
        {
            if (cimClass == null) throw new System.ArgumentNullException(nameof(cimClass));
            if (cimClass.IsAbstract)
                throw new CimLiteException(CimStatus.InvalidOperation, Messages.AbstractClass(cimClass.ClassName), cimClass.ClassName);
            var instance = new CimLiteInstance(cimClass) { ValueUnwrapper = ValueUnwrapper };
            if (values != null)
            {
                // The dictionary's own enumerator: a DictionaryEntry per entry is not boxed (a piped hashtable per instance).
                var entries = values.GetEnumerator();
                while (entries.MoveNext())
                {
                    var name = entries.Key?.ToString() ?? "";
                    int at = cimClass.PropertyIndex(name);
                    if (at < 0)
                        throw new CimLiteException(CimStatus.NoSuchProperty, Messages.NoSuchProperty(cimClass.ClassName, name), cimClass.ClassName, name);
                    instance.SetAt(at, entries.Value);
                }
            }
            if (qualifiers != null)
                foreach (var q in qualifiers) instance.SetQualifier(q);
            return instance;
        }
    }
}
