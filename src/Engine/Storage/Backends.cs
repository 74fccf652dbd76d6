using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using CimLite.Storage.Sqlite;

namespace CimLite.Storage
{
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

    /// <summary>
    /// The one place that chooses a storage backend and names its type: <see cref="CimLiteSession"/>'s open methods
    /// come here. The PostgreSQL backend lives in an assembly of its own (net8.0, with Npgsql), loaded by name on
    /// first use of a connection string (<see cref="OpenServer"/>), so file users never load it.
    /// </summary>
    internal static class Backends
    {
        /// <summary>The PostgreSQL backend's assembly, its namespace-qualified entry type and the folder it is looked for in.</summary>
        internal const string PostgresAssemblyName = "CimLite.Engine.Postgres";
        private const string PostgresEntryType = "CimLite.Storage.Postgres.PostgresBackend";
        private const string PostgresEntryMethod = "OpenRepository";

        /// <summary>The module folder's subfolder that carries the backend, Npgsql and its dependencies (out of the way of Windows PowerShell 5.1).</summary>
        internal const string PostgresFolderName = "postgres";

        private static readonly object s_postgresGate = new object();
        private static MethodInfo? s_postgresOpen;
        private static string? s_postgresFolder;

        /// <summary>
        /// Opens (or creates) the PostgreSQL repository a connection string names, through the backend assembly
        /// <c>CimLite.Engine.Postgres</c>: one already loaded, else the file beside this engine or in its
        /// <c>postgres/</c> folder (dependencies resolved from that folder). NOT_SUPPORTED on .NET Framework or when
        /// the backend is missing or cannot be loaded.
        /// </summary>
        public static IRepository OpenServer(string connectionString, bool readOnly, TimeSpan busyTimeout)
        {
            var open = PostgresEntry();
            try
            {
                return (IRepository)open.Invoke(null, new object[] { connectionString, readOnly, busyTimeout })!;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                if (e.InnerException is FileNotFoundException || e.InnerException is FileLoadException || e.InnerException is TypeLoadException || e.InnerException is BadImageFormatException)
                    throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresBackendUnloadable(s_postgresFolder ?? EngineFolder(), e.InnerException.Message), innerException: e.InnerException);
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        private static string EngineFolder() => Path.GetDirectoryName(typeof(Backends).Assembly.Location) ?? "";

        private static MethodInfo PostgresEntry()
        {
            lock (s_postgresGate)
            {
                if (s_postgresOpen != null) return s_postgresOpen;
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
                    throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresNeedsCore);
                string engineFolder = EngineFolder();
                Assembly? assembly = null;
                try
                {
                    // One already loaded, when it is built on this engine (not a copy of the engine loaded elsewhere).
                    foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
                        if (string.Equals(loaded.GetName().Name, PostgresAssemblyName, StringComparison.OrdinalIgnoreCase) && EntryOf(loaded) != null) { assembly = loaded; break; }
                    if (assembly == null)
                    {
                        foreach (var folder in new[] { Path.Combine(engineFolder, PostgresFolderName), engineFolder })
                        {
                            var file = Path.Combine(folder, PostgresAssemblyName + ".dll");
                            if (!File.Exists(file)) continue;
                            s_postgresFolder = folder;
                            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromPostgresFolder;
                            assembly = Assembly.LoadFrom(file);
                            break;
                        }
                    }
                    if (assembly == null) throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresBackendMissing(engineFolder));
                    s_postgresOpen = EntryOf(assembly)
                                     ?? throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresBackendUnloadable(s_postgresFolder ?? engineFolder, PostgresEntryType + "." + PostgresEntryMethod + " is missing"));
                    return s_postgresOpen;
                }
                catch (Exception e) when (e is FileNotFoundException || e is FileLoadException || e is TypeLoadException || e is BadImageFormatException)
                {
                    throw new CimLiteException(CimStatus.NotSupported, Messages.PostgresBackendUnloadable(s_postgresFolder ?? engineFolder, e.Message), innerException: e);
                }
            }
        }

        /// <summary>The backend's entry method in <paramref name="assembly"/>, or null when it has none that returns this engine's <see cref="IRepository"/>.</summary>
        private static MethodInfo? EntryOf(Assembly assembly)
        {
            var method = assembly.GetType(PostgresEntryType, throwOnError: false)?.GetMethod(PostgresEntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, null,
                                                                                    new[] { typeof(string), typeof(bool), typeof(TimeSpan) }, null);
            return method != null && method.ReturnType == typeof(IRepository) ? method : null;
        }

        /// <summary>Resolves the backend's references: this engine, an assembly already loaded, else a file of the backend's folder.</summary>
        private static Assembly? ResolveFromPostgresFolder(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name)) return null;
            if (string.Equals(name, typeof(Backends).Assembly.GetName().Name, StringComparison.OrdinalIgnoreCase)) return typeof(Backends).Assembly;
            var folder = s_postgresFolder;
            if (folder == null) return null;
            var file = Path.Combine(folder, name + ".dll");
            if (!File.Exists(file)) return null;
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
                if (string.Equals(loaded.GetName().Name, name, StringComparison.OrdinalIgnoreCase)) return loaded;
            return Assembly.LoadFrom(file);
        }

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
