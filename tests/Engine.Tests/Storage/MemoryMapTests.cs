using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>
/// Issue 17 (scale.getByPath): a file repository's point reads go through a memory map, and every scan (a class's
/// instances, a query that is not a key lookup, repository care) turns the map off while it runs, so that reading
/// everything keeps to the page cache instead of mapping the whole file (memory.enumerate1M).
/// </summary>
public sealed class MemoryMapTests : TempFolderTests
{
    public MemoryMapTests() : base("mmap") { }

    private static long MapSize(CimLiteSession s)
    {
        using var c = s.Sqlite().NewCommand("PRAGMA mmap_size");
        return Convert.ToInt64(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private CimLiteSession Filled(int count)
    {
        var s = CimLiteSession.Open(File("map.db"));
        SessionFixture.Class(s, "Disk").Key("Id").Prop("Size", "uint32").Create();
        SessionFixture.Class(s, "Ssd", "Disk").Create();
        using (var batch = s.BeginPutBatch())
        {
            for (int i = 0; i < count; i++)
                batch.Add(s.NewInstance(i % 2 == 0 ? "Disk" : "Ssd", new Dictionary<string, object?> { ["Id"] = "d" + i, ["Size"] = (uint)i }));
            batch.Commit();
        }
        return s;
    }

    [Fact]
    public void A_file_repository_maps_point_reads_in_a_64_bit_process_and_an_in_memory_one_does_not()
    {
        Assert.True(Environment.Is64BitProcess, "the tests run 64-bit");
        using (var s = Filled(10))
        {
            Assert.True(MapSize(s) > 0);
            Assert.Equal(3u, s.GetInstance(InstancePath.Parse("Disk.Id=\"d3\""))["Size"]);
        }
        using var memory = CimLiteSession.OpenInMemory();
        Assert.Equal(0, MapSize(memory));
    }

    [Fact]
    public void An_enumeration_reads_without_the_map_until_it_ends_and_gets_meanwhile_are_right()
    {
        using var s = Filled(200);
        long mapped = MapSize(s);
        using (var e = s.EnumerateInstances("Disk", deep: true).GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Equal(0, MapSize(s));
            Assert.Equal(7u, s.GetInstance(InstancePath.Parse("Disk.Id=\"d7\""))["Size"]);
            // A nested scan leaves the map off when it ends, for the outer one still runs.
            Assert.Equal(100, s.EnumerateInstances("Ssd", deep: false).Count());
            Assert.Equal(0, MapSize(s));
            int rest = 1;
            while (e.MoveNext()) rest++;
            Assert.Equal(200, rest);
        }
        Assert.Equal(mapped, MapSize(s));
    }

    [Fact]
    public void An_enumeration_abandoned_early_turns_the_map_back_on()
    {
        using var s = Filled(50);
        long mapped = MapSize(s);
        Assert.Single(s.EnumerateInstances("Disk", deep: true).Take(1));
        Assert.Equal(mapped, MapSize(s));
    }

    [Fact]
    public void A_query_scan_reads_without_the_map_and_a_key_lookup_query_keeps_it()
    {
        using var s = Filled(100);
        long mapped = MapSize(s);
        using (var e = s.QueryInstances("Disk", "Size >= 10").GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Equal(0, MapSize(s));
        }
        Assert.Equal(mapped, MapSize(s));
        using (var e = s.ExecQuery("SELECT * FROM Disk WHERE Id = 'd4'").GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Equal(mapped, MapSize(s));
            Assert.Equal(4u, e.Current["Size"]);
        }
        Assert.Equal(mapped, MapSize(s));
    }

    [Fact]
    public void Repository_care_runs_without_the_map_and_turns_it_back_on()
    {
        using var s = Filled(100);
        long mapped = MapSize(s);
        Assert.True(CimLiteRepository.Check(s).IsHealthy);
        Assert.Equal(mapped, MapSize(s));
        Assert.Equal(5u, s.GetInstance(InstancePath.Parse("Disk.Id=\"d5\""))["Size"]);
    }
}
