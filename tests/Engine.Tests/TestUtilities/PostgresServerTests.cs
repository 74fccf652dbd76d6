using CimLite.Testing;
using Npgsql;

namespace CimLite.Tests.TestUtilities;

/// <summary>The throwaway PostgreSQL server of the tests starts, answers, and leaves nothing behind when stopped.</summary>
public sealed class PostgresServerTests
{
    [PostgresFact(Throwaway = true)]
    public void A_throwaway_server_starts_on_loopback_answers_and_is_removed_when_stopped()
    {
        var server = PostgresServer.StartThrowaway();
        string folder = server.Folder!;
        int watchdog = server.WatchdogId ?? 0;
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        try
        {
            Assert.True(server.IsThrowaway);
            Assert.True(Directory.Exists(Path.Combine(folder, "data")));
            Assert.Equal("127.0.0.1", builder.Host);
            Assert.NotEqual(0, watchdog);
            Assert.False(System.Diagnostics.Process.GetProcessById(watchdog).HasExited);
            var version = (string)server.Scalar("SHOW server_version")!;
            Assert.Matches(@"^\d+", version);
            Assert.Equal("127.0.0.1", (string)server.Scalar("SHOW listen_addresses")!);
            using (var schema = server.NewSchema())
            {
                Assert.False(schema.Exists());
                server.Scalar("CREATE SCHEMA \"" + schema.Name + "\"");
                Assert.True(schema.Exists());
                using (var connection = new NpgsqlConnection(schema.ConnectionString))
                {
                    connection.Open();
                    using var command = new NpgsqlCommand("SELECT current_schema()", connection);
                    Assert.Equal(schema.Name, command.ExecuteScalar());
                }
                schema.Dispose();
                Assert.False(schema.Exists());
            }
        }
        finally
        {
            server.Stop();
        }
        Assert.True(server.IsStopped);
        Assert.False(Directory.Exists(folder), folder);
        using var refused = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Timeout = 3, Pooling = false }.ConnectionString);
        Assert.ThrowsAny<NpgsqlException>(() => refused.Open());
        // The watchdog went with the server (it would otherwise stop a server that is gone).
        Assert.Null(server.WatchdogId);
        Assert.True(WatchdogGone(watchdog), "watchdog " + watchdog + " still runs");
    }

    [PostgresFact(Throwaway = true)]
    public void When_the_owner_process_is_killed_the_watchdog_stops_the_server_and_removes_its_folder()
    {
        // The owner stands in for a test process killed with SIGKILL (no ProcessExit handler runs).
        using var owner = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        PostgresServer? server = null;
        try
        {
            server = PostgresServer.StartThrowaway(owner.Id);
            var folder = server.Folder!;
            Assert.Matches(@"^\d+", (string)server.Scalar("SHOW server_version")!);
            owner.Kill();
            owner.WaitForExit();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Directory.Exists(folder) && DateTime.UtcNow < deadline) Thread.Sleep(200);
            Assert.False(Directory.Exists(folder), "the watchdog left " + folder);
            using var refused = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Timeout = 3, Pooling = false }.ConnectionString);
            Assert.ThrowsAny<NpgsqlException>(() => refused.Open());
        }
        finally
        {
            if (!owner.HasExited) owner.Kill();
            server?.Stop();
        }
    }

    private static bool WatchdogGone(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            return true; // no such process any more
        }
    }

    [PostgresFact]
    public void The_shared_server_gives_each_test_its_own_schema()
    {
        var server = PostgresServer.Shared;
        using var a = server.NewSchema();
        using var b = server.NewSchema();
        Assert.NotEqual(a.Name, b.Name);
        Assert.Matches("^[a-z0-9_]+$", a.Name);
        Assert.False(a.Exists());
    }
}
