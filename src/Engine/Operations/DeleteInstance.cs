using System;
using System.Collections.Generic;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Deletes an instance by path, as one transaction. The path may name a superclass of its class. The
        /// providers of every class from the top of the instance's hierarchy down are called first; all must
        /// succeed or nothing is deleted.
        /// </summary>
        /// <remarks>
        /// The associations that refer to the instance stay (WMI's behaviour: their references dangle); with
        /// <see cref="DeleteOptions.IncludeAssociations"/> every stored association instance that refers to it goes
        /// too, through the same rules and providers, in the same transaction.
        /// </remarks>
        /// <exception cref="CimLiteException">NOT_FOUND, INVALID_PARAMETER, INVALID_CLASS, INVALID_NAMESPACE, ACCESS_DENIED; a provider's failure.</exception>
        public void DeleteInstance(InstancePath path, OperationOptions? options = null)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            RetryBusy(() =>
            {
                DeleteInstanceAttempt(path, options);
                return true;
            });
        }

        /// <summary>Deletes every stored instance that refers to the given identity (found through the reference index), each through its class's providers.</summary>
        private void DeleteReferrers(long rootId, string keyText, OperationOptions? options)
        {
            var done = new HashSet<long>();
            foreach (var r in Repository.Instances.FindReferrers(rootId, keyText))
            {
                if (!done.Add(r.Id)) continue;
                var c = _classes.ClassByIdCached(CimName.NormalizeNamespace(r.Namespace), r.ClassId);
                var association = Materialize(c, r.Data, r.Qualifiers);
                var chain = Providers.Chain(c, out _);
                if (chain.Count > 0) Dispatcher.Delete(chain, c.Namespace, association.GetPath(), options);
                Repository.Instances.Delete(r.Id);
            }
        }

        private void DeleteInstanceAttempt(InstancePath path, OperationOptions? options)
        {
            using (var tx = BeginWrite())
            {
                var cimClass = _classes.RequireClass(ResolveNamespace(path.Namespace), path.ClassName);
                var keys = InstanceKey.ValuesFromPath(cimClass, path, ValueUnwrapper);
                var row = FindStoredForWrite(cimClass, KeyText(cimClass, keys));
                var actual = row == null ? cimClass : _classes.ClassById(cimClass.Namespace, row.ClassId);
                var full = new CimLiteInstance(cimClass, keys, null).GetPath();
                if (!actual.IsA(cimClass.ClassName)) row = null;
                var chain = Providers.Chain(row == null ? cimClass : actual, out var repositoryServes);
                if (repositoryServes && row == null)
                    throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full.ToString()), cimClass.ClassName, instancePath: full.ToString());
                var target = row == null ? full : new InstancePath(full.Namespace, actual.ClassName, full.Keys);
                Dispatcher.Delete(chain, cimClass.Namespace, target, options);
                if (row != null) Repository.Instances.Delete(row.Id);
                if (row != null && options is DeleteOptions delete && delete.IncludeAssociations)
                    DeleteReferrers(KeyRootId(cimClass), KeyText(cimClass, keys), options);
                tx.Commit();
            }
        }
    }
}
