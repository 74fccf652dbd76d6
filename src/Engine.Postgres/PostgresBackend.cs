namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// Opens sessions on a PostgreSQL repository. Internal until the backend passes the engine suite (issue 18): the
    /// engine tests reach it; <c>New-CimLiteSession -ConnectionString</c> comes when it is complete.
    /// </summary>
    internal static class PostgresBackend
    {
        /// <summary>Opens (or creates) the repository a connection string names (see <see cref="PostgresRepository.Open"/>).</summary>
        public static CimLiteSession OpenSession(string connectionString, CimLiteSessionOptions? options = null)
        {
            options = options ?? new CimLiteSessionOptions();
            return CimLiteSession.OpenOn(PostgresRepository.Open(connectionString, options.ReadOnly, options.BusyTimeout), options);
        }
    }
}
