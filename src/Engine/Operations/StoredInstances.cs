using CimLite.Storage;

namespace CimLite
{
    /// <summary>The session's side of the instance store: finding a stored instance by its identity and building instances from stored rows.</summary>
    public sealed partial class CimLiteSession
    {
        /// <summary>The stored identity of an instance (see <see cref="InstanceKey.Text"/>).</summary>
        internal static string KeyText(CimLiteClass cimClass, object?[] values) => InstanceKey.Text(cimClass, values);

        internal static int IndexOfProperty(CimLiteClass cimClass, string name) => cimClass.PropertyIndex(name);

        private long KeyRootId(CimLiteClass cimClass) => _classes.KeyRootId(cimClass);

        private StoredInstance? FindStored(CimLiteClass cimClass, string keyText) => Repository.Instances.Find(KeyRootId(cimClass), keyText);

        /// <summary>The stored row a put or delete decides from, kept from other clients' writes until the transaction ends.</summary>
        private StoredInstance? FindStoredForWrite(CimLiteClass cimClass, string keyText) => Repository.Instances.FindForWrite(KeyRootId(cimClass), keyText);

        /// <summary>Sees every instance this session builds from stored rows (tests use it to prove that enumeration streams).</summary>
        internal IInstanceObserver? Observer { get; set; }

        private CimLiteInstance Materialize(CimLiteClass cimClass, string data, string? qualifiers, bool keysOnly = false)
        {
            var instance = ValueCodec.DecodeInstance(cimClass, data, qualifiers, keysOnly);
            instance.ValueUnwrapper = ValueUnwrapper;
            Observer?.Materialized(instance);
            return instance;
        }
    }

    /// <summary>Sees the instances a session builds from stored rows (a test seam).</summary>
    internal interface IInstanceObserver
    {
        void Materialized(CimLiteInstance instance);
    }
}
