using System;
using System.Collections.Generic;
using CimLite.Storage.Sqlite;

namespace CimLite.Storage
{
    /// <summary>
    /// The one place that chooses a storage backend and names its type: <see cref="CimLiteSession"/>'s open methods
    /// come here. A second backend (PostgreSQL) adds its open method beside SQLite's.
    /// </summary>
    /// <summary>What a salvage recovered, and how to drop salvaged rows that do not fit.</summary>
    internal sealed class SalvageOutcome
    {
        private readonly SqliteSalvage.Outcome _outcome;

        public SalvageOutcome(SqliteSalvage.Outcome outcome, Action<List<(string Table, long RowId)>> drop)
        {
            _outcome = outcome;
            Drop = drop;
        }

        public long Recovered => _outcome.Recovered;
        public long UnreadableRowIds => _outcome.UnreadableRowIds;
        public List<string> Notes => _outcome.Notes;
        public List<(string ClassName, string? Key)> LostInstances => _outcome.LostInstances;
        public List<string> LostClasses => _outcome.LostClasses;
        public Action<List<(string Table, long RowId)>> Drop { get; }
    }

    internal static class Backends
    {
        /// <summary>Opens (or creates) a SQLite repository file.</summary>
        public static IRepository OpenSqliteFile(string path, bool readOnly, TimeSpan busyTimeout, bool allowSharedFile, List<string>? warnings) =>
            SqliteRepository.OpenFile(path, readOnly, busyTimeout, allowSharedFile, warnings);

        /// <summary>Opens a SQLite repository file read-only for repository care (checks); never changes the file.</summary>
        public static IRepositoryMaintenance OpenFileMaintenance(string fullPath) => SqliteMaintenance.OpenReadOnly(fullPath);

        /// <summary>Replaces a SQLite repository file atomically with a verified backup (see <see cref="SqliteFiles.Restore"/>).</summary>
        public static string? RestoreFile(string backup, string destination, bool keepPrevious, Action<long, long>? progress, out List<string> removedLeftovers) =>
            SqliteFiles.Restore(backup, destination, keepPrevious, progress, out removedLeftovers);

        /// <summary>Moves a finished file into place (fsync, rename, companions of an older file at that name removed).</summary>
        public static void PlaceFile(string temporary, string destination) => SqliteFiles.Place(temporary, destination);

        /// <summary>Who has a SQLite repository file open (this process's sessions, other processes where the system tells).</summary>
        public static List<string> FileUsers(string fullPath) => SqliteFiles.Users(fullPath);

        /// <summary>Deletes a file with its -wal, -shm and -journal (a temporary copy that failed).</summary>
        public static void DeleteRepositoryFile(string fullPath) => SqliteFiles.Delete(fullPath);

        /// <summary>Salvages what can be read of a damaged SQLite repository file into a new one (see <see cref="SqliteSalvage"/>).</summary>
        public static SalvageOutcome SalvageFile(string damaged, string destination, Action<string, long>? progress, bool pageReader = true)
        {
            var outcome = SqliteSalvage.Salvage(damaged, destination, progress, pageReader);
            return new SalvageOutcome(outcome, rows => SqliteSalvage.Drop(destination, rows, outcome));
        }

        /// <summary>Opens a new empty SQLite repository in memory.</summary>
        public static IRepository OpenSqliteInMemory() => SqliteRepository.OpenInMemory();
    }
}
