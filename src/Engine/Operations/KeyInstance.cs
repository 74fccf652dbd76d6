using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// An instance of the path's class holding only the path's keys (what WMI calls an instance name):
        /// how providers receive the target of a get or delete as an object. Works for abstract classes too.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_NAMESPACE, INVALID_CLASS, INVALID_PARAMETER (keys do not fit the class).</exception>
        public CimLiteInstance CreateKeyInstance(InstancePath path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var cimClass = _classes.RequireClass(ResolveNamespace(path.Namespace), path.ClassName);
            return new CimLiteInstance(cimClass, InstanceKey.ValuesFromPath(cimClass, path, ValueUnwrapper), null) { ValueUnwrapper = ValueUnwrapper };
        }
    }
}
