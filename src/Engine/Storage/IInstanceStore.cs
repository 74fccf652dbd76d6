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
        /// Stores a new instance and returns true; false (nothing written) when its key is already taken in the
        /// hierarchy (the unique identity refused it).
        /// </summary>
        bool TryInsert(long classId, long keyRootId, string key, string data, string? qualifiers);

        /// <summary>Replaces the values and qualifiers of a stored instance.</summary>
        void Update(long id, string data, string? qualifiers);

        /// <summary>Deletes one stored instance.</summary>
        void Delete(long id);

        /// <summary>Deletes every instance of exactly this class and returns how many went.</summary>
        long DeleteByClass(long classId);

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

    /// <summary>Stored instance rows read one at a time: <see cref="Read"/>, then <see cref="Data"/> and <see cref="Qualifiers"/>.</summary>
    internal interface IStoredRows : System.IDisposable
    {
        bool Read();

        string Data { get; }

        string? Qualifiers { get; }
    }
}
