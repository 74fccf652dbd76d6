using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Reads an instance by path. A path may name a superclass of the instance's class (keys are unique
        /// across the hierarchy); the instance comes back as its own class.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER (keys do not fit the class), INVALID_NAMESPACE, INVALID_CLASS, NOT_FOUND.</exception>
        public CimLiteInstance GetInstance(InstancePath path)
        {
            var full = path.WithNamespace(path.Namespace ?? DefaultNamespace).ToString();
            return FindInstance(path) ?? throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full), path.ClassName, instancePath: full);
        }

        /// <summary>Reads an instance by path, or null when it does not exist.</summary>
        public CimLiteInstance? FindInstance(InstancePath path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var cimClass = _classes.RequireClass(ResolveNamespace(path.Namespace), path.ClassName);
            var keys = KeyValuesFromPath(cimClass, path);
            var row = FindRow(KeyRootId(cimClass), KeyText(cimClass, keys));
            if (row == null) return null;
            var actual = _classes.ClassById(cimClass.Namespace, row.ClassId);
            if (!actual.IsA(cimClass.ClassName)) return null;
            return Materialize(actual, row.Data, row.Qualifiers);
        }
    }
}
