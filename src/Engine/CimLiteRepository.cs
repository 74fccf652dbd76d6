using System;
using System.Diagnostics;
using System.IO;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>
    /// Repository care (issue 16), the engine's side of winmgmt's /verifyrepository, /backup, /restore and compaction:
    /// check a repository, tell what it holds, copy it online, put a verified copy back atomically, and compact it. The
    /// backend-specific parts sit behind <c>IRepositoryMaintenance</c> (SQLite: <c>Storage/Sqlite/SqliteMaintenance</c>
    /// and <c>SqliteFiles</c>); CimLite's own invariants are checked by <c>Storage/RepositoryChecker</c> over raw rows.
    /// </summary>
    public static partial class CimLiteRepository
    {
        /// <summary>A report lists at most this many problems (<see cref="CimLiteRepositoryReport.MoreProblems"/> counts the rest).</summary>
        public const int MaxProblems = 1000;

        /// <summary>True when the repository file passes every check; false for a damaged, foreign or inconsistent file.</summary>
        /// <exception cref="CimLiteException">NOT_FOUND for a missing file; INVALID_PARAMETER for a folder or an unusable path.</exception>
        public static bool Test(string path) => Check(path).IsHealthy;

        /// <summary>
        /// Checks a repository file without changing a byte of it (opened read-only, never checkpointed): the storage's own
        /// checks, the format, and CimLite's invariants. Damage is reported, never thrown.
        /// </summary>
        /// <exception cref="CimLiteException">NOT_FOUND for a missing file; INVALID_PARAMETER for a folder or an unusable path.</exception>
        public static CimLiteRepositoryReport Check(string path)
        {
            var full = ExistingFile(path);
            using (var maintenance = Backends.OpenFileMaintenance(full)) return RepositoryChecker.Check(maintenance);
        }

        /// <summary>Checks the repository of an open session, as one snapshot (other sessions may go on writing).</summary>
        public static CimLiteRepositoryReport Check(CimLiteSession session)
        {
            using (var maintenance = Open(session).Maintenance()) return RepositoryChecker.Check(maintenance);
        }

        /// <summary>What a repository file holds (opened read-only: foreign and damaged files are refused as by a session).</summary>
        public static CimLiteRepositoryInfo GetInfo(string path)
        {
            var full = ExistingFile(path);
            using (var session = CimLiteSession.Open(full, new CimLiteSessionOptions { ReadOnly = true }))
                return GetInfo(session);
        }

        /// <summary>What the repository of an open session holds, counted in one snapshot.</summary>
        public static CimLiteRepositoryInfo GetInfo(CimLiteSession session)
        {
            var repository = Open(session);
            using (var maintenance = repository.Maintenance())
            {
                maintenance.BeginSnapshot();
                try
                {
                    var counts = maintenance.Counts();
                    var info = new CimLiteRepositoryInfo(session.Path)
                    {
                        FormatVersion = maintenance.FormatVersion(),
                        SizeBytes = counts.SizeBytes,
                        WalBytes = counts.WalBytes,
                        PostedIndications = counts.PostedIndications,
                        LeasedIndications = counts.LeasedIndications,
                        SQLiteVersion = counts.EngineVersion,
                        EngineVersion = typeof(CimLiteRepository).Assembly.GetName().Version?.ToString() ?? "",
                    };
                    var namespaces = new CimLiteNamespaceSummary[counts.PerNamespace.Count];
                    for (int i = 0; i < namespaces.Length; i++)
                    {
                        var (name, classes, instances) = counts.PerNamespace[i];
                        namespaces[i] = new CimLiteNamespaceSummary(name, classes, instances);
                        info.Classes += classes;
                        info.Instances += instances;
                    }
                    info.Namespaces = namespaces;
                    return info;
                }
                finally
                {
                    maintenance.EndSnapshot();
                }
            }
        }

        /// <summary>
        /// Copies the repository of <paramref name="session"/> to <paramref name="destination"/> as it was at one moment
        /// (whole transactions only, the posted queue included) while others keep writing; the copy is made beside the
        /// destination (0600 on Unix), checked like <see cref="Check(string)"/>, and only then renamed into place.
        /// </summary>
        /// <remarks>progress: called with (pages copied, pages in all).</remarks>
        /// <exception cref="CimLiteException">ALREADY_EXISTS for an existing destination without <paramref name="overwrite"/>; FAILED when the copy does not pass the checks (nothing is left at the destination).</exception>
        public static CimLiteBackupResult Backup(CimLiteSession session, string destination, bool overwrite, Action<long, long>? progress = null)
        {
            var repository = Open(session);
            var watch = Stopwatch.StartNew();
            var target = FullPath(destination);
            if (!session.IsInMemory && SamePath(target, session.Path))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.CareSameFile(target));
            if (Directory.Exists(target)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(target, Messages.PathIsFolder));
            if (File.Exists(target) && !overwrite) throw new CimLiteException(CimStatus.AlreadyExists, Messages.CareDestinationExists(target));
            string temporary = target + ".backup-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                using (var maintenance = repository.Maintenance()) maintenance.CopyTo(temporary, progress);
                var report = Check(temporary);
                if (!report.IsHealthy) throw new CimLiteException(CimStatus.Failed, Messages.CareBackupUnhealthy(session.Path, report.Problems[0].Message));
                Backends.PlaceFile(temporary, target);
                return new CimLiteBackupResult(session.Path, target)
                {
                    SizeBytes = new FileInfo(target).Length,
                    Instances = report.Instances,
                    PostedIndications = report.PostedIndications,
                    Duration = watch.Elapsed,
                };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Backends.DeleteRepositoryFile(temporary);
                throw new CimLiteException(CimStatus.Failed, Messages.CannotWriteBackup(target, e.Message), innerException: e);
            }
            catch
            {
                Backends.DeleteRepositoryFile(temporary);
                throw;
            }
        }

        /// <summary>Backs up a repository file (opened read-only for the copy).</summary>
        public static CimLiteBackupResult Backup(string path, string destination, bool overwrite, Action<long, long>? progress = null)
        {
            var full = ExistingFile(path);
            using (var session = CimLiteSession.Open(full, new CimLiteSessionOptions { ReadOnly = true }))
                return Backup(session, destination, overwrite, progress);
        }

        /// <summary>
        /// Checkpoints the log into the file, compacts it (VACUUM) and refreshes the query planner's statistics, online:
        /// it waits for other writers like any write. Reports the size before and after.
        /// </summary>
        /// <remarks>progress: called with (percent, what is being done).</remarks>
        public static CimLiteOptimizeResult Optimize(CimLiteSession session, Action<int, string>? progress = null)
        {
            var repository = Open(session);
            if (session.IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(session.Path));
            var watch = Stopwatch.StartNew();
            using (var maintenance = repository.Maintenance())
            {
                var result = new CimLiteOptimizeResult(session.Path) { SizeBeforeBytes = maintenance.SizeBytes() };
                maintenance.Optimize(progress);
                session.ClassCache.Invalidate();
                result.SizeAfterBytes = maintenance.SizeBytes();
                result.Duration = watch.Elapsed;
                return result;
            }
        }

        /// <summary>Optimizes a repository file (opened read-write for the purpose).</summary>
        public static CimLiteOptimizeResult Optimize(string path, Action<int, string>? progress = null)
        {
            var full = ExistingFile(path);
            using (var session = CimLiteSession.Open(full)) return Optimize(session, progress);
        }

        /// <summary>
        /// Puts the backup <paramref name="backup"/> in place of the repository file <paramref name="destination"/>: the backup
        /// is checked first (a damaged or foreign one is refused and the destination not touched); a destination that any
        /// session or process has open is refused (naming them where it can be told); the copy is written beside the
        /// destination, fsynced and renamed over it, so that a crash leaves the old or the new repository, never a mix. The
        /// replaced file is kept as <c>&lt;name&gt;.before-restore</c> unless <paramref name="force"/>. Copies that earlier
        /// restores killed mid-way left beside the destination (<c>&lt;name&gt;.restoring-*</c>) are removed, unless in use.
        /// </summary>
        /// <remarks>progress: called with (bytes copied, bytes in all).</remarks>
        public static CimLiteRestoreResult Restore(string backup, string destination, bool force, Action<long, long>? progress = null)
        {
            var source = ExistingFile(backup);
            var target = FullPath(destination);
            if (SamePath(source, target)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.CareSameFile(target));
            if (Directory.Exists(target)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(target, Messages.PathIsFolder));
            var report = Check(source);
            if (!report.IsHealthy) throw new CimLiteException(CimStatus.Failed, Messages.CareBackupRefused(source, report.Problems[0].Message, target));
            if (File.Exists(target))
            {
                using (var existing = Backends.OpenFileMaintenance(target))
                    foreach (var problem in existing.CheckStorage(out _))
                        if (problem.Kind == CimLiteRepositoryProblemKind.Foreign)
                            throw new CimLiteException(CimStatus.Failed, Messages.CareRestoreOverForeign(target));
            }
            var users = Backends.FileUsers(target);
            if (users.Count > 0) throw new CimLiteException(CimStatus.Failed, Messages.CareRestoreInUse(target, string.Join("; ", users)));
            try
            {
                var kept = Backends.RestoreFile(source, target, !force, progress, out var removed);
                return new CimLiteRestoreResult(source, target) { PreviousKeptAs = kept, Instances = report.Instances, RemovedLeftovers = removed.ToArray() };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CimLiteException(CimStatus.Failed, Messages.CareRestoreFailed(target, e.Message), innerException: e);
            }
        }

        /// <summary>
        /// Salvages a damaged repository (winmgmt /salvagerepository) into the new file <paramref name="destination"/>:
        /// everything SQLite's reader still gives, table by table and rowid range by rowid range, keeping ids, then the rows
        /// of table leaf pages it could not reach, read page by page from the file's bytes (behind a damaged schema page or
        /// interior page); rows that no longer fit are left out and named. The damaged file is opened read-only and never changed. The new repository
        /// passes <see cref="Check(string)"/>.
        /// </summary>
        /// <remarks>progress: called with (table, rowid reached).</remarks>
        public static CimLiteRepairResult Repair(string damaged, string destination, Action<string, long>? progress = null) =>
            Repair(damaged, destination, progress, pageReader: true);

        /// <summary>Repair, with the page reader left out when <paramref name="pageReader"/> is false (tests prove what it adds).</summary>
        internal static CimLiteRepairResult Repair(string damaged, string destination, Action<string, long>? progress, bool pageReader)
        {
            var source = ExistingFile(damaged);
            var target = FullPath(destination);
            if (SamePath(source, target)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.CareSameFile(target));
            if (File.Exists(target) || Directory.Exists(target)) throw new CimLiteException(CimStatus.AlreadyExists, Messages.CareDestinationExists(target));
            using (var probe = Backends.OpenFileMaintenance(source))
                foreach (var problem in probe.CheckStorage(out _))
                    if (problem.Kind == CimLiteRepositoryProblemKind.Foreign) throw new CimLiteException(CimStatus.Failed, Messages.ForeignDatabase(source));
            SalvageOutcome outcome;
            try
            {
                outcome = Backends.SalvageFile(source, target, progress, pageReader);
                for (int round = 0; round < 8; round++)
                {
                    var report = Check(target);
                    if (report.IsHealthy) break;
                    var rows = new System.Collections.Generic.List<(string, long)>();
                    foreach (var problem in report.Problems)
                        if (problem.Table != null && problem.RowId.HasValue) rows.Add((problem.Table, problem.RowId.Value));
                    if (rows.Count == 0) throw new CimLiteException(CimStatus.Failed, Messages.SalvageUnhealthy(target, report.Problems[0].Message));
                    outcome.Drop(rows);
                }
                var final = Check(target);
                if (!final.IsHealthy) throw new CimLiteException(CimStatus.Failed, Messages.SalvageUnhealthy(target, final.Problems[0].Message));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Backends.DeleteRepositoryFile(target);
                throw new CimLiteException(CimStatus.Failed, Messages.CannotWriteBackup(target, e.Message), innerException: e);
            }
            catch
            {
                Backends.DeleteRepositoryFile(target);
                throw;
            }
            var lostInstances = new System.Collections.Generic.List<string>();
            foreach (var (className, key) in outcome.LostInstances) lostInstances.Add(className + (key == null ? "" : " " + key));
            return new CimLiteRepairResult(source, target)
            {
                Recovered = outcome.Recovered,
                Lost = outcome.UnreadableRowIds + outcome.LostInstances.Count,
                LostClasses = outcome.LostClasses.ToArray(),
                LostInstances = lostInstances,
                Notes = outcome.Notes.ToArray(),
            };
        }

        private static IRepository Open(CimLiteSession session)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            return session.Repository;
        }

        private static string FullPath(string path)
        {
            if (string.IsNullOrEmpty(path)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.RepositoryPathRequired);
            try
            {
                return System.IO.Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is IOException || e is System.Security.SecurityException)
            {
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(path, e.Message), innerException: e);
            }
        }

        private static string ExistingFile(string path)
        {
            var full = FullPath(path);
            if (Directory.Exists(full)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.UnusablePath(full, Messages.PathIsFolder));
            if (!File.Exists(full)) throw new CimLiteException(CimStatus.NotFound, Messages.RepositoryNotFound(full));
            return full;
        }

        private static bool SamePath(string a, string b) => string.Equals(a, b,
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }
}
