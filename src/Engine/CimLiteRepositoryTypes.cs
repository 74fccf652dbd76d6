using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>What a repository check found wrong (issue 16).</summary>
    public enum CimLiteRepositoryProblemKind
    {
        /// <summary>The file is not a SQLite database, is cut short, or its header is impossible.</summary>
        Header,
        /// <summary>The file belongs to another application.</summary>
        Foreign,
        /// <summary>The format version is newer than this CimLite, or the stored format disagrees with the file's.</summary>
        Format,
        /// <summary>A schema object (table, index, trigger, view) CimLite did not create, or one of its own changed or missing.</summary>
        SchemaObject,
        /// <summary>The storage's own consistency check failed (pages, b-trees, indexes).</summary>
        Integrity,
        /// <summary>A row refers to a row that does not exist (storage's referential check).</summary>
        ForeignKey,
        /// <summary>A part of the repository could not be read at all.</summary>
        Unreadable,
        /// <summary>A class names a superclass that does not exist (or lives in another namespace).</summary>
        MissingSuperclass,
        /// <summary>The class hierarchy has a cycle.</summary>
        ClassCycle,
        /// <summary>A stored class definition cannot be read or built.</summary>
        ClassDefinition,
        /// <summary>An instance's class does not exist.</summary>
        MissingClass,
        /// <summary>An instance's class is abstract or an indication class (it cannot have stored instances).</summary>
        NotConcrete,
        /// <summary>An instance is not stored under the class that declares its keys.</summary>
        KeyRoot,
        /// <summary>An instance's key text does not match its stored key values.</summary>
        KeyText,
        /// <summary>A stored value does not decode to its property's type (or the instance's qualifiers do not decode).</summary>
        Value,
        /// <summary>A reference value is not a well-formed instance path.</summary>
        Reference,
        /// <summary>A posted indication's lease columns are inconsistent.</summary>
        Lease,
        /// <summary>The reference index disagrees with the stored reference values: an entry missing, extra, or naming another instance.</summary>
        ReferenceIndex,
    }

    /// <summary>One problem a repository check found, with where it is as far as it can be told.</summary>
    public sealed class CimLiteRepositoryProblem
    {
        internal CimLiteRepositoryProblem(CimLiteRepositoryProblemKind kind, string message)
        {
            Kind = kind;
            Message = message;
        }

        /// <summary>What kind of problem.</summary>
        public CimLiteRepositoryProblemKind Kind { get; }

        /// <summary>The problem in a sentence.</summary>
        public string Message { get; }

        /// <summary>The storage table, or null.</summary>
        public string? Table { get; internal set; }

        /// <summary>The storage page, or null.</summary>
        public long? Page { get; internal set; }

        /// <summary>The storage row id, or null.</summary>
        public long? RowId { get; internal set; }

        /// <summary>The namespace, or null.</summary>
        public string? Namespace { get; internal set; }

        /// <summary>The class, or null.</summary>
        public string? ClassName { get; internal set; }

        /// <summary>The instance path, or null.</summary>
        public string? InstancePath { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Kind + ": " + Message;
    }

    /// <summary>The result of <see cref="CimLiteRepository.Check(string)"/>: healthy or not, the problems, what was checked.</summary>
    public sealed class CimLiteRepositoryReport
    {
        internal CimLiteRepositoryReport(string path) { Path = path; }

        /// <summary>The repository file (or <c>:memory:</c>).</summary>
        public string Path { get; }

        /// <summary>True when no problem was found.</summary>
        public bool IsHealthy => Problems.Count == 0;

        /// <summary>Every problem found (at most <see cref="CimLiteRepository.MaxProblems"/>; see <see cref="MoreProblems"/>).</summary>
        public IReadOnlyList<CimLiteRepositoryProblem> Problems => ProblemList;

        internal List<CimLiteRepositoryProblem> ProblemList { get; } = new List<CimLiteRepositoryProblem>();

        /// <summary>Problems found beyond those listed.</summary>
        public long MoreProblems { get; internal set; }

        /// <summary>The stored format version (0 when it could not be read).</summary>
        public int FormatVersion { get; internal set; }

        /// <summary>Namespaces checked.</summary>
        public long Namespaces { get; internal set; }

        /// <summary>Classes checked.</summary>
        public long Classes { get; internal set; }

        /// <summary>Instances checked.</summary>
        public long Instances { get; internal set; }

        /// <summary>Posted indications checked.</summary>
        public long PostedIndications { get; internal set; }

        internal void Add(CimLiteRepositoryProblem problem)
        {
            if (ProblemList.Count < CimLiteRepository.MaxProblems) ProblemList.Add(problem);
            else MoreProblems++;
        }
    }

    /// <summary>Classes and instances of one namespace.</summary>
    public sealed class CimLiteNamespaceSummary
    {
        internal CimLiteNamespaceSummary(string name, long classes, long instances)
        {
            Name = name;
            Classes = classes;
            Instances = instances;
        }

        /// <summary>The namespace.</summary>
        public string Name { get; }

        /// <summary>Classes stored in it.</summary>
        public long Classes { get; }

        /// <summary>Instances stored in it.</summary>
        public long Instances { get; }

        /// <inheritdoc />
        public override string ToString() => Name;
    }

    /// <summary>What <see cref="CimLiteRepository.GetInfo(string)"/> tells about a repository.</summary>
    public sealed class CimLiteRepositoryInfo
    {
        internal CimLiteRepositoryInfo(string path) { Path = path; }

        /// <summary>The repository file (or <c>:memory:</c>).</summary>
        public string Path { get; }

        /// <summary>The stored format version.</summary>
        public int FormatVersion { get; internal set; }

        /// <summary>Bytes of the file itself.</summary>
        public long SizeBytes { get; internal set; }

        /// <summary>Bytes of its write-ahead log (changes not yet checkpointed into the file).</summary>
        public long WalBytes { get; internal set; }

        /// <summary>The namespaces, each with its class and instance counts.</summary>
        public IReadOnlyList<CimLiteNamespaceSummary> Namespaces { get; internal set; } = Array.Empty<CimLiteNamespaceSummary>();

        /// <summary>Classes in all namespaces.</summary>
        public long Classes { get; internal set; }

        /// <summary>Instances in all namespaces.</summary>
        public long Instances { get; internal set; }

        /// <summary>Indications waiting in the posted queue.</summary>
        public long PostedIndications { get; internal set; }

        /// <summary>Of those, how many are leased to a reader right now.</summary>
        public long LeasedIndications { get; internal set; }

        /// <summary>The storage engine's version (SQLite).</summary>
        public string SQLiteVersion { get; internal set; } = "";

        /// <summary>CimLite's engine version.</summary>
        public string EngineVersion { get; internal set; } = "";
    }

    /// <summary>What <see cref="CimLiteRepository.Backup(CimLiteSession, string, bool, Action{long, long})"/> made.</summary>
    public sealed class CimLiteBackupResult
    {
        internal CimLiteBackupResult(string path, string destination) { Path = path; Destination = destination; }

        /// <summary>The repository backed up.</summary>
        public string Path { get; }

        /// <summary>The backup file.</summary>
        public string Destination { get; }

        /// <summary>Bytes of the backup file.</summary>
        public long SizeBytes { get; internal set; }

        /// <summary>Instances the backup holds.</summary>
        public long Instances { get; internal set; }

        /// <summary>Posted indications the backup holds.</summary>
        public long PostedIndications { get; internal set; }

        /// <summary>How long the copy and its check took.</summary>
        public TimeSpan Duration { get; internal set; }
    }

    /// <summary>What <see cref="CimLiteRepository.Optimize(CimLiteSession, Action{int, string})"/> did.</summary>
    public sealed class CimLiteOptimizeResult
    {
        internal CimLiteOptimizeResult(string path) { Path = path; }

        /// <summary>The repository.</summary>
        public string Path { get; }

        /// <summary>Bytes of the file and its log before.</summary>
        public long SizeBeforeBytes { get; internal set; }

        /// <summary>Bytes of the file and its log after.</summary>
        public long SizeAfterBytes { get; internal set; }

        /// <summary>How long it took.</summary>
        public TimeSpan Duration { get; internal set; }
    }

    /// <summary>What <see cref="CimLiteRepository.Restore"/> did.</summary>
    public sealed class CimLiteRestoreResult
    {
        internal CimLiteRestoreResult(string backup, string destination) { Backup = backup; Destination = destination; }

        /// <summary>The backup restored.</summary>
        public string Backup { get; }

        /// <summary>The repository file replaced (or created).</summary>
        public string Destination { get; }

        /// <summary>Where the replaced repository was kept, or null (none, or -Force).</summary>
        public string? PreviousKeptAs { get; internal set; }

        /// <summary>Instances the restored repository holds.</summary>
        public long Instances { get; internal set; }

        /// <summary>Copies that earlier restores killed mid-way had left beside the destination, removed by this one.</summary>
        public string[] RemovedLeftovers { get; internal set; } = Array.Empty<string>();
    }

    /// <summary>What <see cref="CimLiteRepository.Repair(string, string, System.Action{string, long})"/> salvaged and what it knows was lost.</summary>
    public sealed class CimLiteRepairResult
    {
        internal CimLiteRepairResult(string path, string destination) { Path = path; Destination = destination; }

        /// <summary>The damaged repository (never changed).</summary>
        public string Path { get; }

        /// <summary>The new repository holding what was salvaged.</summary>
        public string Destination { get; }

        /// <summary>Instances recovered into the new repository.</summary>
        public long Recovered { get; internal set; }

        /// <summary>
        /// Instances known to be lost: rows that could not be read (one per unreadable rowid between readable ones) plus
        /// rows read but left out (their class was lost, or they no longer fit). A lower bound: rows behind an unreadable
        /// schema or interior page may not be seen at all.
        /// </summary>
        public long Lost { get; internal set; }

        /// <summary>Classes left out (their superclass or namespace was lost, or their definition is unreadable).</summary>
        public IReadOnlyList<string> LostClasses { get; internal set; } = Array.Empty<string>();

        /// <summary>Instances read but left out: class name and key text.</summary>
        public IReadOnlyList<string> LostInstances { get; internal set; } = Array.Empty<string>();

        /// <summary>What the salvage could not read, in sentences.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();
    }
}
