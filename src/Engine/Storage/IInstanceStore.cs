using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// The stored instances of a repository, one row per instance: its class, its identity (the key-defining class
    /// and the key text, unique together) and its encoded values and qualifiers. Every call runs inside the
    /// caller's transaction, if any; the implementation keeps its statements prepared.
    /// </summary>
    internal interface IInstanceStore
    {
        /// <summary>The instance stored under a key of a hierarchy, or null.</summary>
        StoredInstance? Find(long keyRootId, string key);

        /// <summary>
        /// <see cref="Find"/> for a write that decides from what it reads (a put, a delete): the backend makes sure that no
        /// other client changes the row until this transaction ends (PostgreSQL: <c>FOR UPDATE</c>; SQLite: its one writer
        /// already).
        /// </summary>
        StoredInstance? FindForWrite(long keyRootId, string key);

        /// <summary>
        /// Stores a new instance and returns true; false (nothing written) when its key is already taken in the
        /// hierarchy (the unique identity refused it).
        /// </summary>
        /// <remarks>The instance's <paramref name="references"/> go into the reference index in the same transaction (null: its class has no reference property).</remarks>
        bool TryInsert(long classId, long keyRootId, string key, string data, string? qualifiers, IReadOnlyList<StoredReference>? references);

        /// <summary>Replaces the values and qualifiers of a stored instance, and its entries in the reference index (unless <paramref name="references"/> is null: its class has no reference property).</summary>
        void Update(long id, long classId, string data, string? qualifiers, IReadOnlyList<StoredReference>? references);

        /// <summary>Deletes one stored instance (and its entries in the reference index).</summary>
        void Delete(long id);

        /// <summary>Deletes every instance of exactly this class (and their entries in the reference index) and returns how many went.</summary>
        long DeleteByClass(long classId);

        /// <summary>
        /// The stored instances that refer to the instance identified by (<paramref name="targetRootId"/>,
        /// <paramref name="targetKey"/>), one row per referring property, read from the reference index (never a scan).
        /// </summary>
        List<StoredReferrer> FindReferrers(long targetRootId, string targetKey);

        /// <summary>
        /// One statement for ASSOCIATORS OF over stored associations: for every stored instance A that refers to the
        /// identity (through property P), every other reference Q of A whose target is stored, with that target's
        /// row. Rows in association order; a target reached twice comes twice (the caller keeps the first).
        /// </summary>
        List<StoredAssociate> FindAssociates(long targetRootId, string targetKey);

        /// <summary>True when the reference index does not yet cover the stored instances (a repository migrated from format 5).</summary>
        bool ReferenceIndexPending { get; }

        /// <summary>The stored instances of exactly this class with their ids (rebuilding the reference index).</summary>
        List<StoredInstance> ReadClass(long classId);

        /// <summary>Replaces the reference index entries of one stored instance.</summary>
        void SetReferences(long id, long classId, IReadOnlyList<StoredReference> references);

        /// <summary>Marks the reference index as covering every stored instance.</summary>
        void ReferenceIndexBuilt();

        /// <summary>How many instances of exactly this class are stored.</summary>
        long CountByClass(long classId);

        /// <summary>True when an instance of this class, or keyed under it, is stored.</summary>
        bool AnyOfClassOrKeyRoot(long classId);

        /// <summary>Reads the instances of exactly this class, in storage order, as the caller advances.</summary>
        IStoredRows ScanClass(long classId);
    }

    /// <summary>One stored instance row.</summary>
    internal sealed class StoredInstance
    {
        public long Id;
        public long ClassId;
        public string Data = "";
        public string? Qualifiers;
    }

    /// <summary>
    /// One entry of the reference index: an instance's reference property and the identity of the instance it names
    /// (the key-defining class and the key text), so that a path naming a superclass and the exact path are the same.
    /// </summary>
    internal struct StoredReference
    {
        public StoredReference(string property, long targetRootId, string targetKey)
        {
            Property = property;
            TargetRootId = targetRootId;
            TargetKey = targetKey;
        }

        public string Property { get; }

        public long TargetRootId { get; }

        public string TargetKey { get; }
    }

    /// <summary>A stored instance that refers to another, with the namespace of its class and the referring property.</summary>
    internal sealed class StoredReferrer
    {
        public long Id;
        public long ClassId;
        public string Namespace = "";
        public string Property = "";
        public string Data = "";
        public string? Qualifiers;
    }

    /// <summary>A row of <see cref="IInstanceStore.FindAssociates"/>: the association (class, namespace), the two properties and the stored instance at the other end.</summary>
    internal sealed class StoredAssociate
    {
        public long AssociationClassId;
        public string AssociationNamespace = "";
        public string Role = "";
        public string ResultRole = "";
        public long Id;
        public long ClassId;
        public string Namespace = "";
        public string Data = "";
        public string? Qualifiers;
    }

    /// <summary>Stored instance rows read one at a time: <see cref="Read"/>, then <see cref="Data"/> and <see cref="Qualifiers"/>.</summary>
    internal interface IStoredRows : System.IDisposable
    {
        bool Read();

        string Data { get; }

        string? Qualifiers { get; }
    }
}
