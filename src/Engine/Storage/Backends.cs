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

        /// <summary>Opens a new empty SQLite repository in memory.</summary>
        public static IRepository OpenSqliteInMemory() => SqliteRepository.OpenInMemory();
    }
}
