using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Npgsql;

namespace CimLite.Testing
{
    /// <summary>
    /// The PostgreSQL server the tests of the PostgreSQL backend (issue 18) run against, one per test process.
    /// When <c>CIMLITE_TEST_POSTGRES</c> holds a connection string, that server is used (nothing is started or
    /// stopped). Otherwise a throwaway server is made on first use: <c>initdb</c> into a new temporary folder (as the
    /// <c>postgres</c> user when this process is root, since initdb refuses root), trust authentication, listening on
    /// a free port of 127.0.0.1 only (and a socket in that folder), fsync off; it is stopped and its folder deleted
    /// when the test process exits (<see cref="AppDomain.ProcessExit"/>), and a watchdog process does the same if the
    /// test process dies without exiting (SIGKILL). Each test works in a schema of its own (<see cref="NewSchema"/>),
    /// dropped afterwards. <c>CIMLITE_REQUIRE_POSTGRES=1</c> (set by <c>.ci/run</c>) makes a missing server a failure
    /// instead of leaving the PostgreSQL backend out of the tests.
    /// </summary>
    public sealed class PostgresServer : IDisposable
    {
        /// <summary>The variable naming an existing server (an Npgsql connection string).</summary>
        public const string ServerVariable = "CIMLITE_TEST_POSTGRES";

        /// <summary>The variable that makes a missing server fail the tests instead of skipping the backend.</summary>
        public const string RequireVariable = "CIMLITE_REQUIRE_POSTGRES";

        /// <summary>The variable naming the folder of initdb, pg_ctl and postgres (else /usr/lib/postgresql/N/bin, else PATH).</summary>
        public const string BinariesVariable = "CIMLITE_PG_BIN";

        private const string SuperUser = "cimlite";

        private static readonly object Gate = new object();
        private static PostgresServer? _shared;
        private static Exception? _sharedFailure;

        private readonly string? _binaries;
        private readonly bool _asPostgresUser;
        private Process? _watchdog;
        private int _stopped;

        private PostgresServer(string connectionString, string? folder, string? binaries, bool asPostgresUser)
        {
            ConnectionString = connectionString;
            Folder = folder;
            _binaries = binaries;
            _asPostgresUser = asPostgresUser;
        }

        /// <summary>A superuser's connection string to the server's <c>postgres</c> database (no search path).</summary>
        public string ConnectionString { get; }

        /// <summary>The throwaway server's folder (data, socket, log), or null for a server given by <see cref="ServerVariable"/>.</summary>
        public string? Folder { get; }

        /// <summary>True for a server this process started (and stops).</summary>
        public bool IsThrowaway => Folder != null;

        /// <summary>True once <see cref="Stop"/> ran.</summary>
        public bool IsStopped => _stopped != 0;

        /// <summary>
        /// Why PostgreSQL cannot be used here (no <see cref="ServerVariable"/> and no initdb found), or null when it can.
        /// Says nothing about whether starting will work: <see cref="Shared"/> fails loudly if it does not.
        /// </summary>
        public static string? UnavailableReason
        {
            get
            {
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServerVariable))) return null;
                if (FindBinaries() != null) return null;
                return "no PostgreSQL server: set " + ServerVariable + " to a connection string, or install the server binaries (initdb, pg_ctl, postgres; " + BinariesVariable + " names their folder)";
            }
        }

        /// <summary>True when the tests must run on PostgreSQL (<see cref="RequireVariable"/> is 1) or can (<see cref="UnavailableReason"/> is null).</summary>
        public static bool ShouldTest => Environment.GetEnvironmentVariable(RequireVariable) == "1" || UnavailableReason == null;

        /// <summary>The server of this test process: the given one, or a throwaway one started on first use.</summary>
        public static PostgresServer Shared
        {
            get
            {
                lock (Gate)
                {
                    if (_shared != null) return _shared;
                    if (_sharedFailure != null) throw new InvalidOperationException("the test PostgreSQL server could not be started: " + _sharedFailure.Message, _sharedFailure);
                    try
                    {
                        var given = Environment.GetEnvironmentVariable(ServerVariable);
                        _shared = string.IsNullOrEmpty(given) ? StartThrowaway() : new PostgresServer(given!, null, null, false);
                        var server = _shared;
                        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                        return _shared;
                    }
                    catch (Exception e)
                    {
                        _sharedFailure = e;
                        throw;
                    }
                }
            }
        }

        /// <summary>
        /// Starts a new throwaway server (see the class summary); the caller stops it (<see cref="Stop"/> or Dispose).
        /// Fails with the server's log when it does not come up.
        /// </summary>
        public static PostgresServer StartThrowaway() => StartThrowaway(Environment.ProcessId);

        /// <summary>
        /// Starts a throwaway server whose watchdog waits for process <paramref name="ownerPid"/> (normally this one; a
        /// test passes another to prove that the server and its folder go when their owner is killed).
        /// </summary>
        public static PostgresServer StartThrowaway(int ownerPid)
        {
            var binaries = FindBinaries() ?? throw new InvalidOperationException(UnavailableReason);
            bool asPostgres = IsRoot();
            // Root's temporary folder may be private (TMPDIR under /root): the postgres user must reach the data folder.
            var parent = asPostgres && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
            var folder = Path.Combine(parent, "cimlite-pg-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(folder);
            try
            {
                if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                if (asPostgres) Run("chown", new[] { "postgres:", folder }, null);
                var data = Path.Combine(folder, "data");
                RunServerTool(binaries, asPostgres, "initdb", new[] { "-D", data, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions" });
                Exception? last = null;
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    int port = FreePort();
                    // The socket goes into the folder (the default /var/run/postgresql may not be writable), unless its
                    // path would be too long for a Unix socket: then none (the tests connect over TCP).
                    var sockets = folder.Length < 80 ? " -k " + folder : " -c unix_socket_directories=''";
                    var options = "-c listen_addresses=127.0.0.1 -p " + port + sockets +
                                  " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
                    try
                    {
                        RunServerTool(binaries, asPostgres, "pg_ctl", new[] { "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options, "start" });
                    }
                    catch (InvalidOperationException e)
                    {
                        last = e; // the port was taken meanwhile, most likely: another one
                        continue;
                    }
                    var builder = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        Username = SuperUser,
                        Database = "postgres",
                    };
                    var server = new PostgresServer(builder.ConnectionString, folder, binaries, asPostgres);
                    server.StartWatchdog(ownerPid);
                    return server;
                }
                throw new InvalidOperationException("PostgreSQL did not start: " + last?.Message + ReadLog(folder), last);
            }
            catch
            {
                TryDelete(folder);
                throw;
            }
        }

        /// <summary>A new, not yet existing schema name, with a connection string whose search path names it; dropped by its Dispose.</summary>
        public PostgresTestSchema NewSchema()
        {
            var name = "cimlite_t_" + Guid.NewGuid().ToString("N").Substring(0, 16);
            // No pooling: every schema's connection string is its own pool, and idle pooled connections of hundreds of
            // test schemas would use up the server's connections.
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = name, Pooling = false };
            return new PostgresTestSchema(this, name, builder.ConnectionString);
        }

        /// <summary>Drops a schema <see cref="NewSchema"/> named, with everything in it (nothing when the server is stopped or it is gone).</summary>
        public void DropSchema(string name)
        {
            if (IsStopped) return;
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^cimlite_t_[0-9a-f]{16}$")) throw new ArgumentException("not a test schema: " + name, nameof(name));
            Scalar("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        }

        /// <summary>Runs one statement (test plumbing: schema drops and probes) on a connection of its own.</summary>
        public object? Scalar(string sql)
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            var value = command.ExecuteScalar();
            return value is DBNull ? null : value;
        }

        /// <summary>Stops a throwaway server (fast shutdown: sessions are ended) and deletes its folder; nothing for a given server.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            NpgsqlConnection.ClearAllPools();
            if (Folder == null) return;
            try
            {
                RunServerTool(_binaries!, _asPostgresUser, "pg_ctl", new[] { "-D", Path.Combine(Folder, "data"), "-m", "fast", "-w", "-t", "30", "stop" });
            }
            catch (InvalidOperationException)
            {
                try { RunServerTool(_binaries!, _asPostgresUser, "pg_ctl", new[] { "-D", Path.Combine(Folder, "data"), "-m", "immediate", "-w", "stop" }); }
                catch (InvalidOperationException) { }
            }
            TryDelete(Folder);
            var watchdog = _watchdog;
            _watchdog = null;
            if (watchdog != null)
            {
                try { if (!watchdog.HasExited) watchdog.Kill(); } catch (InvalidOperationException) { }
                watchdog.Dispose();
            }
        }

        public void Dispose() => Stop();

        /// <summary>
        /// A shell that waits for this process to end, then stops the server and deletes its folder: cleans up after a
        /// test process killed without running ProcessExit. Its standard streams are /dev/null (the test runner's pipes stay free).
        /// </summary>
        private void StartWatchdog(int ownerPid)
        {
            var pgCtl = Path.Combine(_binaries!, "pg_ctl");
            const string script = "exec </dev/null >/dev/null 2>&1; while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; " +
                                  "if [ \"$4\" = 1 ]; then runuser -u postgres -- \"$3\" -D \"$2/data\" -m immediate stop; else \"$3\" -D \"$2/data\" -m immediate stop; fi; rm -rf \"$2\"";
            var start = new ProcessStartInfo("sh") { UseShellExecute = false };
            foreach (var a in new[] { "-c", script, "cimlite-pg-watchdog", ownerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder!, pgCtl, _asPostgresUser ? "1" : "0" })
                start.ArgumentList.Add(a);
            _watchdog = Process.Start(start);
        }

        /// <summary>The pid of the watchdog process (null when none: a given server).</summary>
        public int? WatchdogId => _watchdog?.Id;

        private static string? FindBinaries()
        {
            var given = Environment.GetEnvironmentVariable(BinariesVariable);
            if (!string.IsNullOrEmpty(given)) return File.Exists(Path.Combine(given!, "initdb")) ? given : null;
            const string debian = "/usr/lib/postgresql";
            if (Directory.Exists(debian))
            {
                var best = Directory.GetDirectories(debian)
                    .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                    .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
                    .OrderByDescending(d => d.Version)
                    .FirstOrDefault();
                if (best.Dir != null) return best.Dir;
            }
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
            return null;
        }

        private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static void RunServerTool(string binaries, bool asPostgres, string tool, string[] arguments)
        {
            var path = Path.Combine(binaries, tool);
            if (asPostgres) Run("runuser", new[] { "-u", "postgres", "--", path }.Concat(arguments).ToArray(), null);
            else Run(path, arguments, null);
        }

        private static void Run(string file, string[] arguments, string? workingDirectory)
        {
            var start = new ProcessStartInfo(file)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                throw new InvalidOperationException(file + " " + string.Join(" ", arguments) + " did not finish in 2 minutes");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException(file + " " + string.Join(" ", arguments) + " failed (" + process.ExitCode + "): " + stderr.Result + stdout.Result);
        }

        private static string ReadLog(string folder)
        {
            try { return "\n" + File.ReadAllText(Path.Combine(folder, "server.log")); }
            catch (IOException) { return ""; }
            catch (UnauthorizedAccessException) { return ""; }
        }

        private static void TryDelete(string folder)
        {
            for (int i = 0; i < 5 && Directory.Exists(folder); i++)
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { Thread.Sleep(100); }
                catch (UnauthorizedAccessException) { Thread.Sleep(100); }
            }
        }
    }

    /// <summary>One test's schema on the test server: <see cref="ConnectionString"/> names it first in the search path; Dispose drops it with everything in it.</summary>
    public sealed class PostgresTestSchema : IDisposable
    {
        private readonly PostgresServer _server;

        internal PostgresTestSchema(PostgresServer server, string name, string connectionString)
        {
            _server = server;
            Name = name;
            ConnectionString = connectionString;
        }

        /// <summary>The schema's name (lower-case letters, digits and underscores only).</summary>
        public string Name { get; }

        public string ConnectionString { get; }

        public bool Exists() => Convert.ToBoolean(_server.Scalar("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = '" + Name + "')"));

        public void Dispose()
        {
            _server.DropSchema(Name);
        }
    }
}

#if !CIMLITE_NO_XUNIT
namespace CimLite.Testing
{
    /// <summary>
    /// A fact that needs a PostgreSQL server (see <see cref="PostgresServer"/>): skipped with the reason when there is
    /// none and <c>CIMLITE_REQUIRE_POSTGRES</c> is not 1. With <see cref="Throwaway"/>, it starts a server of its own, so
    /// it is skipped also when <c>CIMLITE_TEST_POSTGRES</c> names a server (nothing is started then).
    /// </summary>
    public sealed class PostgresFactAttribute : Xunit.FactAttribute
    {
        public PostgresFactAttribute()
        {
            if (!PostgresServer.ShouldTest) Skip = PostgresServer.UnavailableReason;
        }

        public bool Throwaway
        {
            get => false;
            set
            {
                if (value && Skip == null && !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(PostgresServer.ServerVariable)))
                    Skip = PostgresServer.ServerVariable + " names a server: no throwaway server is started";
            }
        }
    }
}
#endif
