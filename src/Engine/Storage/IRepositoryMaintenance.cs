using System;
using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// Repository care (issue 16) that only the backend can do: its own consistency checks, counts and sizes, rows read
    /// raw for CimLite's invariant checks (<see cref="RepositoryChecker"/>), an online consistent copy, and compaction.
    /// The SQLite backend is <c>Storage/Sqlite/SqliteMaintenance</c> (integrity_check, foreign_key_check, the online
    /// backup API, wal_checkpoint, VACUUM, ANALYZE). Every member throws only <see cref="CimLiteException"/>.
    /// </summary>
    internal interface IRepositoryMaintenance : IDisposable
    {
        /// <summary>What the repository is called in messages.</summary>
        string Path { get; }

        /// <summary>
        /// Starts one read snapshot: everything read until <see cref="EndSnapshot"/> belongs to one moment (writers
        /// elsewhere go on).
        /// </summary>
        void BeginSnapshot();

        void EndSnapshot();

        /// <summary>
        /// The backend's own checks (file identity and format, its page and index consistency, referential integrity,
        /// schema objects) as problems; <paramref name="readable"/> is false when the rows cannot be trusted to be read
        /// (a foreign or unreadable file: the invariant checks are skipped).
        /// </summary>
        List<CimLiteRepositoryProblem> CheckStorage(out bool readable);

        /// <summary>The stored format version, or 0 when it cannot be read.</summary>
        int FormatVersion();

        /// <summary>Namespace id to name.</summary>
        Dictionary<long, string> Namespaces();

        /// <summary>Every stored class row of every namespace.</summary>
        List<MaintenanceClassRow> ClassRows();

        /// <summary>Every stored instance row, in storage order, as the caller advances.</summary>
        IEnumerable<MaintenanceInstanceRow> InstanceRows();

        /// <summary>
        /// Every row of the reference index (format 6 and later), or null when the index is not in use: an older format,
        /// or its rebuild still pending (a migrated or salvaged file: the first writable open builds it).
        /// </summary>
        List<MaintenanceReferenceRow>? ReferenceRows();

        /// <summary>The lease columns of every posted row (format 4 and later).</summary>
        IEnumerable<MaintenanceLeaseRow> LeaseRows();

        /// <summary>Counts and sizes for Get-CimLiteRepository.</summary>
        MaintenanceCounts Counts();

        /// <summary>
        /// Copies the repository as it is at one moment (whole transactions only) into the new file
        /// <paramref name="destination"/>, reporting (pages done, pages in all).
        /// </summary>
        void CopyTo(string destination, Action<long, long>? progress);

        /// <summary>Checkpoints, compacts and re-analyses the repository (waits for other writers like any write).</summary>
        void Optimize(Action<int, string>? progress);

        /// <summary>Bytes the repository takes now (the file and its log).</summary>
        long SizeBytes();
    }

    internal sealed class MaintenanceClassRow
    {
        public long Id;
        public long NamespaceId;
        public string Name = "";
        public long? SuperclassId;
        public string Definition = "";
        public string? Amended;
    }

    internal sealed class MaintenanceInstanceRow
    {
        public long Id;
        public long ClassId;
        public long KeyRootId;
        public string Key = "";
        public string Data = "";
        public string? Qualifiers;
    }

    internal sealed class MaintenanceReferenceRow
    {
        public long InstanceId;
        public string Property = "";
        public long ClassId;
        public long TargetRootId;
        public string TargetKey = "";
    }

    internal sealed class MaintenanceLeaseRow
    {
        public long Id;
        public string? Owner;
        public long? Pid;
        public long? Started;
        public long? Expires;
    }

    internal sealed class MaintenanceCounts
    {
        public long SizeBytes;
        public long WalBytes;
        public long PostedIndications;
        public long LeasedIndications;
        public string EngineName = "";
        public string EngineVersion = "";
        /// <summary>Per namespace name: classes and instances.</summary>
        public List<(string Namespace, long Classes, long Instances)> PerNamespace = new List<(string, long, long)>();
    }
}
