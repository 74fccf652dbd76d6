using CimLite.Tests.TestUtilities;
using Microsoft.Data.Sqlite;
using CimLite.Testing;

namespace CimLite.Tests.Security;

/// <summary>
/// Access (issue 6 item 5): owner-only files, a read-only session that refuses every write (providers included),
/// and no code ever run because of what a repository file says.
/// </summary>
public sealed class AccessTests : TempFolderTests
{
    public AccessTests() : base("access") { }

    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [UnixFact("Unix only: Unix file modes")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_WAL_and_shared_memory_files_SQLite_creates_beside_a_new_repository_are_owner_only_too()
    {
        var path = Path.Combine(Folder, "deep", "er", "repo.db");
        using var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Item").Key("Id").Create();
        s.PutInstance(s.NewInstance("Item", new Dictionary<string, object?> { ["Id"] = "x" }));
        Assert.True(System.IO.File.Exists(path + "-wal") && System.IO.File.Exists(path + "-shm"), "a WAL session keeps its -wal and -shm open");
        Assert.Equal(OwnerFile, System.IO.File.GetUnixFileMode(path));
        Assert.Equal(OwnerFile, System.IO.File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(OwnerFile, System.IO.File.GetUnixFileMode(path + "-shm"));
        Assert.Equal(OwnerFolder, System.IO.File.GetUnixFileMode(Path.Combine(Folder, "deep", "er")));
    }

    private string Populated(string name)
    {
        var path = File(name);
        using var s = CimLiteSession.Open(path);
        SessionFixture.Class(s, "Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        SessionFixture.Class(s, "Evt").Indication().Prop("Text", "string").Create();
        SessionFixture.Class(s, "Served").Key("Id").Prop("Text", "string").Create();
        s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "C:", ["Size"] = 5 }));
        s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "queued" }));
        return path;
    }

    /// <summary>Every engine write, by name.</summary>
    private static IEnumerable<(string Name, Action Write)> Writes(CimLiteSession s)
    {
        var disk = s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""));
        yield return ("put (update)", () => { disk["Size"] = 6; s.PutInstance(disk); });
        yield return ("put (create only)", () => s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "D:" }), new PutOptions { Mode = PutMode.CreateOnly }));
        yield return ("partial put", () => s.PutInstance(disk, new PutOptions { PropertyList = new[] { "Size" } }));
        yield return ("put batch", () => s.BeginPutBatch().Dispose());
        yield return ("put instances", () => s.PutInstances(new[] { disk }));
        yield return ("delete instance", () => s.DeleteInstance(disk.GetPath()));
        yield return ("create class", () => SessionFixture.Class(s, "New").Key("Id").Create());
        yield return ("delete class", () => s.DeleteClass("Disk", force: true));
        yield return ("post indication", () => s.PostIndication(s.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "no" })));
        yield return ("receive without Keep", () => s.ReceivePosted().ToList());
        yield return ("MOF import", () => s.ImportMofText("class FromMof { [Key] string Id; };"));
        yield return ("MOF qualifier declaration", () => s.ImportMofText("Qualifier Units : string = null, Scope(property);"));
    }

    [Fact]
    public void A_read_only_session_refuses_every_write_with_AccessDenied_and_the_file_is_unchanged()
    {
        var path = Populated("ro.db");
        var before = Hash(path);
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            var refused = new List<string>();
            foreach (var (name, write) in Writes(s))
            {
                var ex = Assert.Throws<CimLiteException>(write);
                Assert.True(ex.Status == CimStatus.AccessDenied, name + ": " + ex.Status + " " + ex.Message);
                Assert.Contains("read-only", ex.Message);
                Assert.Contains(path, ex.Message);
                refused.Add(name);
            }
            Assert.Equal(12, refused.Count);
            // Reads still work, peeking at the queue included.
            Assert.Equal(5UL, s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""))["Size"]);
            Assert.Equal("queued", s.ReceivePosted(new ReceiveOptions { Keep = true }).Single().Instance["Text"]);
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void A_read_only_memory_session_refuses_writes_with_AccessDenied()
    {
        using var s = CimLiteSession.OpenInMemory(new CimLiteSessionOptions { ReadOnly = true });
        Assert.True(s.IsReadOnly);
        foreach (var write in new Action[]
        {
            () => SessionFixture.Class(s, "New").Key("Id").Create(),
            () => s.ImportMofText("class FromMof { [Key] string Id; };"),
            () => s.BeginPutBatch().Dispose(),
            () => s.ReceivePosted().ToList(),
        })
            SessionFixture.AssertStatus(Assert.Throws<CimLiteException>(write), CimStatus.AccessDenied, "read-only");
        Assert.Empty(s.GetClasses());
    }

    [Fact]
    public void Providers_on_a_read_only_session_cannot_write_from_a_read_and_a_put_never_reaches_them()
    {
        var path = Populated("providers.db");
        var before = Hash(path);
        var attempts = new List<string>();
        var log = new List<string>();
        using (var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true }))
        {
            // Registering is allowed: registrations live in the session, not in the file.
            var provider = new TestProvider("p", log);
            s.Providers.Register("Served", provider);
            provider.OnEnumerate = context =>
            {
                Try(attempts, "post indication", () => context.PostIndication(context.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "from a read" })));
                // The session a provider can reach (here captured by the closure) refuses just the same.
                Try(attempts, "session put", () => s.PutInstance(s.NewInstance("Disk", new Dictionary<string, object?> { ["DeviceId"] = "P:" })));
                Try(attempts, "session receive", () => s.ReceivePosted().ToList());
                context.PostInstance(context.NewInstance("Served", new Dictionary<string, object?> { ["Id"] = "1", ["Text"] = "read" }));
            };
            provider.OnGet = (context, _) =>
            {
                Try(attempts, "post indication from get", () => context.PostIndication(context.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "from a get" })));
                context.PostInstance(context.NewInstance("Served", new Dictionary<string, object?> { ["Id"] = "1", ["Text"] = "read" }));
            };
            Assert.Equal("read", s.EnumerateInstances("Served").Single()["Text"]);
            Assert.Equal("read", s.GetInstance(InstancePath.Parse("Served.Id=\"1\""))["Text"]);

            log.Clear();
            var put = Assert.Throws<CimLiteException>(() => s.PutInstance(s.NewInstance("Served", new Dictionary<string, object?> { ["Id"] = "2" })));
            Assert.Equal(CimStatus.AccessDenied, put.Status);
            var delete = Assert.Throws<CimLiteException>(() => s.DeleteInstance(InstancePath.Parse("Served.Id=\"1\"")));
            Assert.Equal(CimStatus.AccessDenied, delete.Status);
            Assert.Empty(log); // neither the put nor the delete reached the provider
        }
        Assert.Equal(new[] { "post indication: AccessDenied", "session put: AccessDenied", "session receive: AccessDenied", "post indication from get: AccessDenied" }, attempts);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(path));
    }

    private static void Try(List<string> attempts, string name, Action write)
    {
        try
        {
            write();
            attempts.Add(name + ": written");
        }
        catch (CimLiteException e)
        {
            attempts.Add(name + ": " + e.Status);
        }
    }

    [Fact]
    public void Provider_claims_written_into_a_repository_file_are_never_loaded_or_run()
    {
        var path = File("claims.db");
        var marker = File("marker.txt");
        MarkerProvider.MarkerPath = marker;
        using (var s = CimLiteSession.Open(path))
        {
            // A class whose qualifiers name a provider type (loadable: it is in this very assembly) and a script.
            var spec = SessionFixture.Class(s, "Claimed").Key("Id").Prop("Text", "string")
                .Qualifier("Provider", typeof(MarkerProvider).AssemblyQualifiedName!)
                .Qualifier("ProviderScript", "New-Item -ItemType File -Path '" + marker + "'")
                .Qualifier("Dynamic", true);
            spec.Create();
            s.PutInstance(s.NewInstance("Claimed", new Dictionary<string, object?> { ["Id"] = "a", ["Text"] = "stored" }));
        }
        void NothingLoads()
        {
            foreach (var readOnly in new[] { false, true })
            {
                using var s = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly });
                Assert.Empty(s.Providers.Registrations);
                Assert.Equal("stored", s.EnumerateInstances("Claimed").Single(i => (string)i["Id"]! == "a")["Text"]);
                Assert.Equal("stored", s.GetInstance(InstancePath.Parse("Claimed.Id=\"a\""))["Text"]);
                Assert.Single(s.QueryInstances("Claimed", "Text = 'stored'"));
                Assert.Contains(s.GetClass("Claimed").Qualifiers, q => q.Name == "Provider"); // kept as data, nothing more
                if (!readOnly) s.PutInstance(s.NewInstance("Claimed", new Dictionary<string, object?> { ["Id"] = "b" }));
                Assert.Empty(s.Providers.Registrations);
            }
        }
        NothingLoads();
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            // What an attacker might add: a registrations table naming the same type.
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE providers(namespace TEXT, class_name TEXT, assembly TEXT, type TEXT, script TEXT); " +
                              "INSERT INTO providers VALUES ('root/cimv2', 'Claimed', $a, $t, $s);";
            cmd.Parameters.AddWithValue("$a", typeof(MarkerProvider).Assembly.Location);
            cmd.Parameters.AddWithValue("$t", typeof(MarkerProvider).FullName);
            cmd.Parameters.AddWithValue("$s", "New-Item -ItemType File -Path '" + marker + "'");
            cmd.ExecuteNonQuery();
        }
        // Since issue 22 item 2 a table CimLite did not create makes the whole file refused (before anything is read).
        foreach (var readOnly in new[] { false, true })
        {
            var e = Assert.Throws<CimLiteException>(() => CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = readOnly }).Dispose());
            Assert.Contains("table 'providers'", e.Message);
        }
        Assert.Equal(0, MarkerProvider.Constructed);
        Assert.False(System.IO.File.Exists(marker));
    }
}

/// <summary>A provider that leaves a marker file when constructed: proof that someone instantiated it.</summary>
public sealed class MarkerProvider : CimLiteProvider
{
    public static string? MarkerPath;
    public static int Constructed;

    public MarkerProvider()
    {
        Interlocked.Increment(ref Constructed);
        if (MarkerPath != null) System.IO.File.WriteAllText(MarkerPath, "constructed");
    }
}
