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
    /// file named by $env:CIMLITE_REPOSITORY, else the per-user repository), opened on first use.
    /// A session belongs to one runspace because a SQLite connection is used by one thread at a time.
    /// </summary>
    internal static class SessionRegistry
    {
        private sealed class RunspaceSessions
        {
            public CimLiteSession? Default;
            public readonly List<CimLiteSession> Opened = new List<CimLiteSession>();
        }

        private static readonly ConditionalWeakTable<object, RunspaceSessions> s_byRunspace = new ConditionalWeakTable<object, RunspaceSessions>();
        private static readonly object s_noRunspace = new object();

        private static RunspaceSessions Current => s_byRunspace.GetValue((object?)Runspace.DefaultRunspace ?? s_noRunspace, _ => new RunspaceSessions());

        /// <summary>The repository path the default session uses.</summary>
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
            var path = DefaultRepositoryPath();
            var existing = sessions.Default;
            if (existing != null && !existing.IsClosed && string.Equals(existing.Path, path, StringComparison.Ordinal))
                return existing;
            existing?.Dispose();
            sessions.Default = CimLiteSession.Open(path, new CimLiteSessionOptions { BusyTimeout = DefaultBusyTimeout(), ValueUnwrapper = Commands.ParameterValues.Unwrap });
            return sessions.Default;
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
