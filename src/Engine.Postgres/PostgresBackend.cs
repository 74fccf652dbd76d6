using System;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// The backend's entry points. The engine reaches <see cref="OpenRepository"/> by name through reflection
    /// (<c>Storage/Backends.cs</c>, <c>CimLiteSession.OpenServer</c>): the engine (netstandard2.0) cannot reference this
    /// net8.0 assembly. Keep the name and signature in step with <c>Backends.PostgresEntry</c>.
    /// </summary>
    internal static class PostgresBackend
    {
        /// <summary>Opens (or creates) the repository a connection string names (see <see cref="PostgresRepository.Open"/>).</summary>
        public static CimLiteSession OpenSession(string connectionString, CimLiteSessionOptions? options = null)
        {
            options = options ?? new CimLiteSessionOptions();
            return CimLiteSession.OpenOn(PostgresRepository.Open(connectionString, options.ReadOnly, options.BusyTimeout), options);
        }

        /// <summary>The engine's entry point: the repository alone, typed as the engine's <see cref="IRepository"/>.</summary>
        public static IRepository OpenRepository(string connectionString, bool readOnly, TimeSpan busyTimeout) =>
            PostgresRepository.Open(connectionString, readOnly, busyTimeout);
    }
}
