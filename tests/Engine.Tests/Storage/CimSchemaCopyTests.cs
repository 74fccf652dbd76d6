using System.Diagnostics;
using CimLite.Testing;
using CimLite.Tests.Mof;
using CimLite.Tests.TestUtilities;
using Xunit.Abstractions;

namespace CimLite.Tests.Storage;

/// <summary>
/// Issue 18 item 6's round trip: the whole DMTF CIM Schema plus 100,000 instances copied file → memory → file and
/// compared (the PostgreSQL leg joins when that backend lands).
/// </summary>
public sealed class CimSchemaCopyTests : TempFolderTests
{
    private readonly ITestOutputHelper _output;

    public CimSchemaCopyTests(ITestOutputHelper output) : base("schema-copy") { _output = output; }

    private const string System = "CIM_ComputerSystem.CreationClassName=\"CIM_ComputerSystem\",Name=\"host1\"";

    /// <summary>A file repository holding the whole DMTF schema and 100,000 instances (a system, a port, 49,999 disks and their CIM_SystemDevice links).</summary>
    private CimLiteSession Source()
    {
        using var schema = CimSchema.Import(out _, out _);
        var source = CimLiteSession.Open(File("source.db"));
        CimLiteRepository.Copy(schema, source);
        using (var batch = source.BeginPutBatch())
        {
            batch.Add(source.NewInstance("CIM_ComputerSystem", new Dictionary<string, object?> { ["CreationClassName"] = "CIM_ComputerSystem", ["Name"] = "host1" }));
            batch.Add(source.NewInstance("CIM_EthernetPort", new Dictionary<string, object?>
            {
                ["CreationClassName"] = "CIM_EthernetPort", ["DeviceID"] = "eth0", ["SystemCreationClassName"] = "CIM_ComputerSystem", ["SystemName"] = "host1",
            }));
            for (int i = 0; i < 49_999; i++)
            {
                var id = "disk" + i.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
                batch.Add(source.NewInstance("CIM_LogicalDisk", new Dictionary<string, object?>
                {
                    ["CreationClassName"] = "CIM_LogicalDisk", ["DeviceID"] = id, ["SystemCreationClassName"] = "CIM_ComputerSystem",
                    ["SystemName"] = "host1", ["BlockSize"] = (ulong)512, ["NumberOfBlocks"] = (ulong)i * 8, ["ElementName"] = "Disk " + i,
                }));
                batch.Add(source.NewInstance("CIM_SystemDevice", new Dictionary<string, object?>
                {
                    ["GroupComponent"] = System,
                    ["PartComponent"] = "CIM_LogicalDisk.CreationClassName=\"CIM_LogicalDisk\",DeviceID=\"" + id + "\",SystemCreationClassName=\"CIM_ComputerSystem\",SystemName=\"host1\"",
                }));
            }
            batch.Commit();
        }
        return source;
    }

    private void RoundTrip(CimLiteSession source, CimLiteSession middle, string what)
    {
        var watch = Stopwatch.StartNew();
        var there = CimLiteRepository.Copy(source, middle);
        using var back = CimLiteSession.Open(File("back.db"));
        var again = CimLiteRepository.Copy(middle, back);
        _output.WriteLine($"{there.Classes} classes, {there.Instances} instances: file → {what} → file in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(100_000, there.Instances);
        Assert.Equal(100_000, again.Instances);
        Assert.Equal(source.GetClasses().Count, again.Classes);
        Assert.Equal(RepositoryCopyTests.Contents(source), RepositoryCopyTests.Contents(middle));
        Assert.Equal(RepositoryCopyTests.Contents(source), RepositoryCopyTests.Contents(back));
        Assert.Equal(49_999, middle.GetAssociatedInstances(InstancePath.Parse(System), new AssociationFilter { ResultClass = "CIM_LogicalDisk" }).Count);
        Assert.Equal(49_999, back.GetAssociatedInstances(InstancePath.Parse(System), new AssociationFilter { ResultClass = "CIM_LogicalDisk" }).Count);
        Assert.True(CimLiteRepository.Check(back).IsHealthy);
    }

    [CimSchemaFact]
    public void The_DMTF_schema_and_100000_instances_round_trip_file_to_memory_to_file_unchanged()
    {
        using var source = Source();
        using var memory = CimLiteSession.OpenInMemory();
        RoundTrip(source, memory, "memory");
    }

    [CimSchemaPostgresFact]
    public void The_DMTF_schema_and_100000_instances_round_trip_file_to_PostgreSQL_to_file_unchanged()
    {
        using var source = Source();
        using var schema = PostgresServer.Shared.NewSchema();
        using var server = CimLite.Storage.Postgres.PostgresBackend.OpenSession(schema.ConnectionString);
        RoundTrip(source, server, "PostgreSQL");
    }
}

/// <summary>A test that needs both the DMTF CIM Schema and a PostgreSQL server: skipped with the reason of what is missing.</summary>
public sealed class CimSchemaPostgresFactAttribute : FactAttribute
{
    public CimSchemaPostgresFactAttribute()
    {
        Skip = CimSchemaLocation.SkipReasonIfAbsent ?? (PostgresServer.ShouldTest ? null : PostgresServer.UnavailableReason);
    }
}
