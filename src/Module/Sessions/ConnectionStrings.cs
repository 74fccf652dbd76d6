using System;
using System.Data.Common;

namespace CimLite.Sessions
{
    /// <summary>Connection strings as the module shows them: never with a password.</summary>
    internal static class ConnectionStrings
    {
        // Npgsql's keyword and its aliases for the password (keywords compare case-insensitively, spaces ignored).
        private static readonly string[] s_passwordKeys = { "password", "psw", "pwd" };

        /// <summary>
        /// The connection string without its password (for an error's target object), or a placeholder when it cannot be
        /// parsed (its text is then never shown: it may hold a password in a form we do not recognise).
        /// </summary>
        public static string WithoutPassword(string connectionString)
        {
            try
            {
                var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
                foreach (var key in new System.Collections.Generic.List<string>(KeysOf(builder)))
                {
                    var normalized = key.Replace(" ", "").ToLowerInvariant();
                    if (Array.IndexOf(s_passwordKeys, normalized) >= 0) builder.Remove(key);
                }
                return builder.ConnectionString;
            }
            catch (ArgumentException)
            {
                return Commands.Strings.UnparsableConnectionString;
            }
        }

        private static System.Collections.Generic.IEnumerable<string> KeysOf(DbConnectionStringBuilder builder)
        {
            foreach (var key in builder.Keys) if (key is string name) yield return name;
        }
    }
}
