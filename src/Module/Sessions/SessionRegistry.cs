using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CimLite.Sessions
{
    /// <summary>
    /// The sessions of each runspace: those opened with New-CimLiteSession, and the default session (the
    /// file named by $env:CIMLITE_REPOSITORY, else the PostgreSQL repository $env:CIMLITE_CONNECTION_STRING names,
    /// else the per-user repository file), opened on first use.
    /// A session belongs to one runspace because a SQLite connection is used by one thread at a time.
    /// </summary>
    internal static class SessionRegistry
    {
        private sealed class RunspaceSessions
        {
            public CimLiteSession? Default;
            public string? DefaultConnectionString;
            public readonly List<CimLiteSession> Opened = new List<CimLiteSession>();
        }

        private static readonly ConditionalWeakTable<object, RunspaceSessions> s_byRunspace = new ConditionalWeakTable<object, RunspaceSessions>();
        private static readonly object s_noRunspace = new object();

        private static RunspaceSessions Current => s_byRunspace.GetValue((object?)Runspace.DefaultRunspace ?? s_noRunspace, _ => new RunspaceSessions());

        /// <summary>The variable naming the default session's PostgreSQL repository when $env:CIMLITE_REPOSITORY is not set.</summary>
        public const string ConnectionStringVariable = "CIMLITE_CONNECTION_STRING";

        /// <summary>
        /// The connection string of the default session: $env:CIMLITE_CONNECTION_STRING when $env:CIMLITE_REPOSITORY
        /// does not name a file; null when the default session is a file.
        /// </summary>
        public static string? DefaultConnectionString()
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY"))) return null;
            var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
            return string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
        }

        /// <summary>What the default repository is called in errors: its file, or its connection string without a password.</summary>
        public static string DefaultRepositoryName()
        {
            var connectionString = DefaultConnectionString();
            return connectionString != null ? ConnectionStrings.WithoutPassword(connectionString) : DefaultRepositoryPath();
        }

        /// <summary>The repository file the default session uses when it is a file (see <see cref="DefaultConnectionString"/>).</summary>
        public static string DefaultRepositoryPath()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("CIMLITE_REPOSITORY");
            if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
            string folder;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Application Support");
            else
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                folder = !string.IsNullOrEmpty(xdg) ? xdg! : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }
            return Path.Combine(folder, "CimLite", "repository.db");
        }

        /// <summary>The busy timeout of sessions opened without -BusyTimeout: $env:CIMLITE_BUSY_TIMEOUT (seconds), else 10 s.</summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER when the variable is not a number of seconds from 0 to 86400.</exception>
        public static TimeSpan DefaultBusyTimeout()
        {
            var text = Environment.GetEnvironmentVariable("CIMLITE_BUSY_TIMEOUT");
            if (string.IsNullOrWhiteSpace(text)) return new CimLiteSessionOptions().BusyTimeout;
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                || double.IsNaN(seconds) || seconds < 0 || seconds > 86400)
                throw new CimLiteException(CimStatus.InvalidParameter, Commands.Strings.BadBusyTimeoutVariable(text!));
            return TimeSpan.FromSeconds(seconds);
        }

        public static CimLiteSession GetDefault()
        {
            var sessions = Current;
            var connectionString = DefaultConnectionString();
            var existing = sessions.Default;
            if (connectionString != null)
            {
                if (existing != null && !existing.IsClosed && string.Equals(sessions.DefaultConnectionString, connectionString, StringComparison.Ordinal))
                    return existing;
                existing?.Dispose();
                sessions.Default = null;
                sessions.DefaultConnectionString = null;
                sessions.Default = CimLiteSession.OpenServer(connectionString, new CimLiteSessionOptions { BusyTimeout = DefaultBusyTimeout(), ValueUnwrapper = Commands.ParameterValues.Unwrap });
                sessions.DefaultConnectionString = connectionString;
                return sessions.Default;
            }
            var path = DefaultRepositoryPath();
            if (existing != null && !existing.IsClosed && sessions.DefaultConnectionString == null && string.Equals(existing.Path, path, StringComparison.Ordinal))
                return existing;
            existing?.Dispose();
            sessions.Default = null;
            sessions.DefaultConnectionString = null;
            sessions.Default = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = DefaultBusyTimeout(), ValueUnwrapper = Commands.ParameterValues.Unwrap });
            return sessions.Default;
        }

        /// <summary>
        /// The default session for a completer, which must never create a repository: the open default session when the
        /// default is a server, else the file's (only when the file exists); null otherwise.
        /// </summary>
        public static CimLiteSession? DefaultForCompletion()
        {
            var connectionString = DefaultConnectionString();
            if (connectionString != null)
            {
                var sessions = Current;
                return sessions.Default != null && !sessions.Default.IsClosed && string.Equals(sessions.DefaultConnectionString, connectionString, StringComparison.Ordinal)
                    ? sessions.Default : null;
            }
            return File.Exists(DefaultRepositoryPath()) ? GetDefault() : null;
        }

        public static void Track(CimLiteSession session) => Current.Opened.Add(session);

        public static IReadOnlyList<CimLiteSession> Sessions()
        {
            var sessions = Current;
            sessions.Opened.RemoveAll(s => s.IsClosed);
            var list = new List<CimLiteSession>();
            if (sessions.Default != null && !sessions.Default.IsClosed) list.Add(sessions.Default);
            list.AddRange(sessions.Opened);
            return list;
        }

        public static void Close(CimLiteSession session)
        {
            session.Dispose();
            var sessions = Current;
            sessions.Opened.Remove(session);
            if (ReferenceEquals(sessions.Default, session)) sessions.Default = null;
        }
    }
}
