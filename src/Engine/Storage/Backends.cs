using System;
using System.Collections.Generic;
using CimLite.Storage.Sqlite;

namespace CimLite.Storage
{
    /// <summary>
    /// The one place that chooses a storage backend and names its type: <see cref="CimLiteSession"/>'s open methods
    /// come here. A second backend (PostgreSQL) adds its open method beside SQLite's.
    /// </summary>
    internal static class Backends
    {
        /// <summary>Opens (or creates) a SQLite repository file.</summary>
        public static IRepository OpenSqliteFile(string path, bool readOnly, TimeSpan busyTimeout, bool allowSharedFile, List<string>? warnings) =>
            SqliteRepository.OpenFile(path, readOnly, busyTimeout, allowSharedFile, warnings);

        /// <summary>Opens a SQLite repository file read-only for repository care (checks); never changes the file.</summary>
        public static IRepositoryMaintenance OpenFileMaintenance(string fullPath) => SqliteMaintenance.OpenReadOnly(fullPath);

        /// <summary>Replaces a SQLite repository file atomically with a verified backup (see <see cref="SqliteFiles.Restore"/>).</summary>
        public static string? RestoreFile(string backup, string destination, bool keepPrevious, Action<long, long>? progress) =>
            SqliteFiles.Restore(backup, destination, keepPrevious, progress);

        /// <summary>Moves a finished file into place (fsync, rename, companions of an older file at that name removed).</summary>
        public static void PlaceFile(string temporary, string destination) => SqliteFiles.Place(temporary, destination);

        /// <summary>Who has a SQLite repository file open (this process's sessions, other processes where the system tells).</summary>
        public static List<string> FileUsers(string fullPath) => SqliteFiles.Users(fullPath);

        /// <summary>Deletes a file with its -wal, -shm and -journal (a temporary copy that failed).</summary>
        public static void DeleteRepositoryFile(string fullPath) => SqliteFiles.Delete(fullPath);

        /// <summary>Opens a new empty SQLite repository in memory.</summary>
        public static IRepository OpenSqliteInMemory() => SqliteRepository.OpenInMemory();
    }
}
