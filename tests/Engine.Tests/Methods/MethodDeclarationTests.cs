using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Methods;

/// <summary>Issue 14, item 1: methods are part of a class (MOF, class objects, inheritance, overrides, storage, export).</summary>
public sealed class MethodDeclarationTests : BackendSessionFixture
{
    private const string Mof = """
        class M_Base {
            [Key] string Name;
            [Description("Starts it"), ValueMap {"0", "1"}]
            uint32 Start([In, Required] uint32 TimeoutSec, [Out] string Message, [In, Out] sint64 Counter,
                [In] string Tags[], [In] M_Base REF Other, [In] datetime When, [In] real64 Ratio, [In] boolean Flag);
            [Static] uint32 Create([In] string Name, [Out] M_Base REF Created);
        };
        class M_Sub : M_Base {
            [Description("Starts the sub")]
            uint32 Start([In, Required] uint32 TimeoutSec, [Out] string Message, [In, Out] sint64 Counter,
                [In] string Tags[], [In] M_Base REF Other, [In] datetime When, [In] real64 Ratio, [In] boolean Flag);
            uint8 Stop();
        };
        """;

    protected override void Arrange() => Session.ImportMofText(Mof);

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Methods_from_MOF_show_static_return_type_and_parameters_with_their_direction_and_types(string backend)
    {
        Use(backend);
        var c = Session.GetClass("M_Base");
        Assert.Equal(new[] { "Start", "Create" }, c.Methods.Select(m => m.Name));
        var start = c.FindMethod("start")!;
        Assert.False(start.IsStatic);
        Assert.Equal(CimType.UInt32, start.ReturnType.Type);
        Assert.Equal("Starts it", start.Qualifiers.Single(q => q.Name == "Description").Value);
        Assert.Equal(new object[] { "0", "1" }, ((System.Collections.IEnumerable)start.Qualifiers.Single(q => q.Name == "ValueMap").Value!).Cast<object>().ToArray());
        var p = start.Parameters.ToDictionary(x => x.Name);
        Assert.True(p["TimeoutSec"].IsIn); Assert.False(p["TimeoutSec"].IsOut); Assert.True(p["TimeoutSec"].IsRequired);
        Assert.False(p["Message"].IsIn); Assert.True(p["Message"].IsOut);
        Assert.True(p["Counter"].IsIn); Assert.True(p["Counter"].IsOut);
        Assert.Equal(CimType.String, p["Tags"].CimType); Assert.True(p["Tags"].IsArray);
        Assert.Equal(CimType.Reference, p["Other"].CimType); Assert.Equal("M_Base", p["Other"].Type.ReferenceClass);
        Assert.Equal(CimType.DateTime, p["When"].CimType);
        Assert.Equal(CimType.Real64, p["Ratio"].CimType);
        Assert.Equal(CimType.Boolean, p["Flag"].CimType); Assert.False(p["Flag"].IsArray);
        Assert.True(c.FindMethod("Create")!.IsStatic);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void A_subclass_inherits_methods_and_an_override_replaces_the_declaration_keeping_inherited_qualifiers(string backend)
    {
        Use(backend);
        var sub = Session.GetClass("M_Sub");
        Assert.Equal(new[] { "Start", "Create", "Stop" }, sub.Methods.Select(m => m.Name));
        var start = sub.FindMethod("Start")!;
        Assert.Equal("Starts the sub", start.Qualifiers.Single(q => q.Name == "Description").Value);
        Assert.Contains(start.Qualifiers, q => q.Name == "ValueMap");
        Assert.Equal("M_Base", start.ClassOrigin);
        Assert.True(sub.FindMethod("Create")!.IsStatic);
        Assert.Equal(CimType.UInt8, sub.FindMethod("Stop")!.ReturnType.Type);
        Assert.Equal("M_Sub", sub.FindMethod("Stop")!.ClassOrigin);
        // The base class still sees its own declaration.
        Assert.Equal("Starts it", Session.GetClass("M_Base").FindMethod("Start")!.Qualifiers.Single(q => q.Name == "Description").Value);
    }

    [Fact]
    public void Methods_are_stored_and_written_back_by_ExportMof_and_reimport_identically()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cimlite-methods-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "m.cimlite");
            using (var s = CimLiteSession.Open(file)) s.ImportMofText(Mof);
            string exported;
            using (var s = CimLiteSession.Open(file))
            {
                Assert.Equal(8, s.GetClass("M_Base").FindMethod("Start")!.Parameters.Count);
                exported = s.ExportMof();
            }
            Assert.Contains("Start(", exported);
            Assert.Contains("[Static", exported);
            using var again = CimLiteSession.OpenInMemory();
            again.ImportMofText(exported);
            var m = again.GetClass("M_Sub").FindMethod("Start")!;
            Assert.Equal("Starts the sub", m.Qualifiers.Single(q => q.Name == "Description").Value);
            Assert.True(m.Parameters.Single(x => x.Name == "Message").IsOut);
            Assert.False(m.Parameters.Single(x => x.Name == "Message").IsIn);
            Assert.Equal(again.ExportMof(), exported);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }
}
