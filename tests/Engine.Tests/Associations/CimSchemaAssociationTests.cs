using CimLite.Testing;
using CimLite.Tests.Mof;

namespace CimLite.Tests.Associations;

/// <summary>
/// Issue 13 item 7, on the engine: the DMTF CIM Schema imported whole, a CIM_ComputerSystem, three CIM_LogicalDisks
/// and a CIM_EthernetPort linked with CIM_SystemDevice, followed with GetAssociatedInstances and the WQL forms.
/// </summary>
public sealed class CimSchemaAssociationTests : IClassFixture<CimSchemaFixture>
{
    private readonly CimSchemaFixture _schema;

    public CimSchemaAssociationTests(CimSchemaFixture schema) { _schema = schema; }

    private const string System = "CIM_ComputerSystem.CreationClassName=\"CIM_ComputerSystem\",Name=\"host1\"";

    private static string Device(string cls, string id) =>
        cls + ".CreationClassName=\"" + cls + "\",DeviceID=\"" + id + "\",SystemCreationClassName=\"CIM_ComputerSystem\",SystemName=\"host1\"";

    private CimLiteSession Arrange()
    {
        var s = _schema.Session;
        if (s.FindInstance(InstancePath.Parse(System)) != null) return s;
        s.PutInstance(s.NewInstance("CIM_ComputerSystem", new Dictionary<string, object?> { ["CreationClassName"] = "CIM_ComputerSystem", ["Name"] = "host1" }));
        foreach (var (cls, id) in new[] { ("CIM_LogicalDisk", "C:"), ("CIM_LogicalDisk", "D:"), ("CIM_LogicalDisk", "E:"), ("CIM_EthernetPort", "eth0") })
        {
            s.PutInstance(s.NewInstance(cls, new Dictionary<string, object?>
            {
                ["CreationClassName"] = cls, ["DeviceID"] = id, ["SystemCreationClassName"] = "CIM_ComputerSystem", ["SystemName"] = "host1",
            }));
            s.PutInstance(s.NewInstance("CIM_SystemDevice", new Dictionary<string, object?> { ["GroupComponent"] = System, ["PartComponent"] = Device(cls, id) }));
        }
        return s;
    }

    [CimSchemaFact]
    public void SystemDevice_links_a_computer_system_to_its_disks_and_port()
    {
        var s = Arrange();
        var all = s.GetAssociatedInstances(InstancePath.Parse(System), new AssociationFilter { AssociationClass = "CIM_SystemDevice" });
        Assert.Equal(new[] { "CIM_EthernetPort:eth0", "CIM_LogicalDisk:C:", "CIM_LogicalDisk:D:", "CIM_LogicalDisk:E:" },
            all.Select(i => i.ClassName + ":" + i["DeviceID"]).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        var disks = s.GetAssociatedInstances(InstancePath.Parse(System), new AssociationFilter { ResultClass = "CIM_LogicalDisk" });
        Assert.Equal(new[] { "C:", "D:", "E:" }, disks.Select(i => (string)i["DeviceID"]!).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        // Deep: CIM_LogicalDevice (abstract) takes both kinds; CIM_Component (the association's ancestor) too.
        Assert.Equal(4, s.GetAssociatedInstances(InstancePath.Parse(System), new AssociationFilter { AssociationClass = "CIM_Component", ResultClass = "CIM_LogicalDevice" }).Count);
        // And back: a disk's system, by the superclass path of the disk.
        var back = Assert.Single(s.GetAssociatedInstances(InstancePath.Parse(Device("CIM_LogicalDevice", "C:").Replace("CreationClassName=\"CIM_LogicalDevice\"", "CreationClassName=\"CIM_LogicalDisk\""))));
        Assert.Equal("CIM_ComputerSystem", back.ClassName);
    }

    [CimSchemaFact]
    public void The_WQL_forms_give_the_same_answers()
    {
        var s = Arrange();
        var disks = s.ExecQuery("ASSOCIATORS OF {" + System + "} WHERE AssocClass = CIM_SystemDevice ResultClass = CIM_LogicalDisk Role = GroupComponent ResultRole = PartComponent").ToList();
        Assert.Equal(new[] { "C:", "D:", "E:" }, disks.Select(i => (string)i["DeviceID"]!).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        var links = s.ExecQuery("REFERENCES OF {" + System + "} WHERE ResultClass = CIM_SystemDevice Role = GroupComponent").ToList();
        Assert.Equal(4, links.Count);
        Assert.All(links, l => Assert.Equal("CIM_SystemDevice", l.ClassName));
        var classes = s.ExecAssociationQuery("ASSOCIATORS OF {" + System + "} WHERE ClassDefsOnly").Classes.Select(c => c.ClassName).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(new[] { "CIM_EthernetPort", "CIM_LogicalDisk" }, classes);
    }

    [CimSchemaFact]
    public void SystemDevice_refuses_a_part_that_is_not_a_logical_device()
    {
        var s = Arrange();
        var ex = Assert.Throws<CimLiteException>(() => s.PutInstance(s.NewInstance("CIM_SystemDevice", new Dictionary<string, object?> { ["GroupComponent"] = System, ["PartComponent"] = System })));
        Assert.Equal(CimStatus.TypeMismatch, ex.Status);
        Assert.Contains("PartComponent", ex.Message);
    }
}
