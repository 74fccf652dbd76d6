using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>Deletes an instance by path, as one transaction. The path may name a superclass of its class.</summary>
        /// <exception cref="CimLiteException">NOT_FOUND, INVALID_PARAMETER, INVALID_CLASS, INVALID_NAMESPACE, ACCESS_DENIED.</exception>
        public void DeleteInstance(InstancePath path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            using (var tx = BeginWrite())
            {
                var cimClass = _classes.RequireClass(ResolveNamespace(path.Namespace), path.ClassName);
                var keys = KeyValuesFromPath(cimClass, path);
                var row = FindRow(KeyRootId(cimClass), KeyText(cimClass, keys));
                var full = new CimLiteInstance(cimClass, keys, null).GetPath().ToString();
                if (row == null || !_classes.ClassById(cimClass.Namespace, row.ClassId).IsA(cimClass.ClassName))
                    throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full), cimClass.ClassName, instancePath: full);
                var delete = Repository.Command("DELETE FROM instances WHERE id = $id");
                delete.Parameters.Clear();
                delete.Parameters.Add(P("$id", row.Id));
                delete.ExecuteNonQuery();
                tx.Commit();
            }
        }
    }
}
