using System;
using System.Collections.Generic;
using System.Data.Common;

namespace CimLite.Sessions
{
    /// <summary>Connection strings as the module shows them: never with a password.</summary>
    internal static class ConnectionStrings
    {
        // The Npgsql keywords (and aliases; compared case-insensitively, spaces ignored) that say where the repository is.
        // Only these are shown: a password may sit under its own keyword, an alias, or a misspelt one.
        private static readonly string[] s_shownKeys = { "host", "server", "port", "database", "db", "username", "userid", "user", "searchpath" };

        /// <summary>
        /// The parts of a connection string that say where the repository is (host, port, database, user, search path),
        /// for an error's target object and verbose output; a placeholder when it cannot be parsed.
        /// </summary>
        public static string WithoutPassword(string connectionString)
        {
            try
            {
                var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
                var shown = new DbConnectionStringBuilder();
                foreach (var key in parsed.Keys)
                {
                    if (!(key is string name)) continue;
                    if (Array.IndexOf(s_shownKeys, name.Replace(" ", "").ToLowerInvariant()) >= 0) shown[name] = parsed[name];
                }
                return shown.ConnectionString;
            }
            catch (ArgumentException)
            {
                return Commands.Strings.UnparsableConnectionString;
            }
        }
    }
}
