using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace CimLite.Tests.TestUtilities;

/// <summary>
/// A base for tests that work on repository files: a fresh temporary folder per test (deleted afterwards, SQLite's
/// pooled handles released first), file hashes, and a plain SQLite connection for looking behind the engine's back.
/// </summary>
public abstract class TempFolderTests : IDisposable
{
    protected TempFolderTests(string prefix)
    {
        Folder = Path.Combine(Path.GetTempPath(), "cimlite-" + prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The test's own folder.</summary>
    protected string Folder { get; }

    /// <summary>A path in the test's folder.</summary>
    protected string File(string name) => Path.Combine(Folder, name);

    /// <summary>The SHA-256 of a file's bytes, as hex.</summary>
    protected static string Hash(string path) => Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    /// <summary>An open, unpooled SQLite connection to <paramref name="path"/> (read-write).</summary>
    protected static SqliteConnection Raw(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    /// <summary>Runs one statement on a plain connection.</summary>
    protected static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
