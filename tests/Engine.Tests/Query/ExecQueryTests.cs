using System.Globalization;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Query;

/// <summary>WQL semantics (WMI's answers) and the differential check: SQL push-down and memory give identical results.</summary>
public sealed class ExecQueryTests : BackendSessionFixture
{
    protected override void Arrange()
    {
        Class("Base").Abstract().Key("DeviceId").Prop("Caption", "string").Create();
        Class("Disk", "Base").Prop("Size", "uint64").Prop("Tags", "string[]").Prop("Created", "datetime").Prop("Ratio", "real64")
            .Prop("Ok", "boolean").Prop("Letter", "char16").Prop("Parent", "ref:Disk").Prop("Offset", "sint32").Create();
        Class("Ssd", "Disk").Prop("Wear", "uint8").Create();
        Class("Nic", "Base").Prop("Speed", "uint32").Create();
        Class("Vol").Key("Id", "uint32").Prop("Label", "string").Create();
        var t0 = new DateTimeOffset(2024, 1, 2, 10, 0, 0, TimeSpan.Zero);
        Put("Disk", ("DeviceId", "C:"), ("Caption", "System"), ("Size", 100UL), ("Tags", new[] { "a" }), ("Created", t0), ("Ratio", 0.5), ("Ok", true), ("Letter", 'c'), ("Offset", -5));
        Put("Disk", ("DeviceId", "D:"), ("Caption", "data"), ("Size", ulong.MaxValue), ("Created", t0.ToOffset(TimeSpan.FromHours(2)).AddMinutes(1)), ("Ratio", double.NaN), ("Ok", false), ("Parent", "root/cimv2:Disk.DeviceId=\"C:\""), ("Offset", 7));
        Put("Disk", ("DeviceId", "E:"), ("Caption", "Élan"), ("Created", TimeSpan.FromHours(3)), ("Ratio", double.PositiveInfinity), ("Letter", 'E'));
        Put("Ssd", ("DeviceId", "F:"), ("Caption", "fast"), ("Size", 50UL), ("Wear", (byte)3), ("Ratio", 2.0), ("Ok", true), ("Parent", "root/cimv2:Ssd.DeviceId=\"F:\""));
        Put("Ssd", ("DeviceId", "g:"), ("Size", 5000000000UL), ("Wear", (byte)90), ("Caption", "O'Brien \"q\" 100%"));
        Put("Nic", ("DeviceId", "eth0"), ("Caption", "System"), ("Speed", 1000U));
        Put("Nic", ("DeviceId", "eth1"), ("Speed", 10U));
        for (uint i = 1; i <= 5; i++) Put("Vol", ("Id", i), ("Label", "v" + i));
    }

    private List<CimLiteInstance> Query(string wql, bool inMemory = false) =>
        Session.ExecQuery(wql, options: new QueryOptions { EvaluateInMemory = inMemory }).ToList();

    private string[] Ids(string wql) => Query(wql).Select(i => i.Class.KeyProperties.Count == 0 ? "@" : Convert.ToString(i[i.Class.KeyProperties[0].Name], CultureInfo.InvariantCulture)!).ToArray();

    private static string Describe(CimLiteInstance i) =>
        i.ClassName + "|" + string.Join(";", i.Properties.Select(p => p.Name + "=" + (p.Value is Array a ? string.Join(",", a.Cast<object>()) : Convert.ToString(p.Value, CultureInfo.InvariantCulture))));

    public static readonly string[] Corpus =
    {
        "SELECT * FROM Base",
        "SELECT * FROM Base WHERE DeviceId = 'c:'",
        "SELECT * FROM Base WHERE DeviceId = \"G:\"",
        "SELECT * FROM Disk WHERE DeviceId = 'C:' AND Size = 100",
        "SELECT * FROM Base WHERE DeviceId <> 'C:'",
        "SELECT * FROM Base WHERE DeviceId > 'D:'",
        "SELECT * FROM Base WHERE Caption = 'system'",
        "SELECT * FROM Base WHERE Caption <> 'system'",
        "SELECT * FROM Base WHERE NOT (Caption = 'system')",
        "SELECT * FROM Base WHERE Caption < 'f'",
        "SELECT * FROM Base WHERE Caption >= 'élan'",
        "SELECT * FROM Base WHERE Caption IS NULL",
        "SELECT * FROM Base WHERE Caption IS NOT NULL",
        "SELECT * FROM Base WHERE Size > 60",
        "SELECT * FROM Base WHERE Size >= 50 AND Size <= 100",
        "SELECT * FROM Base WHERE Size = 18446744073709551615",
        "SELECT * FROM Base WHERE Size > 4294967296",
        "SELECT * FROM Base WHERE Size < 1e10",
        "SELECT * FROM Base WHERE Size = '100'",
        "SELECT * FROM Base WHERE 100 > Size",
        "SELECT * FROM Base WHERE Size IS NULL",
        "SELECT * FROM Base WHERE NOT Size > 60",
        "SELECT * FROM Base WHERE Speed > 100",
        "SELECT * FROM Base WHERE Speed > 100 OR Wear > 50",
        "SELECT * FROM Base WHERE NOT (Speed > 100 OR Wear > 50)",
        "SELECT * FROM Base WHERE Wear IS NULL",
        "SELECT * FROM Base WHERE Offset < 0",
        "SELECT * FROM Base WHERE Offset >= -5",
        "SELECT * FROM Base WHERE Ok = TRUE",
        "SELECT * FROM Base WHERE Ok <> TRUE",
        "SELECT * FROM Base WHERE NOT Ok = TRUE",
        "SELECT * FROM Base WHERE Ok = 'false'",
        "SELECT * FROM Base WHERE Ratio > 1",
        "SELECT * FROM Base WHERE Ratio <> 0.5",
        "SELECT * FROM Base WHERE Ratio = 0.5 OR Ok = FALSE",
        "SELECT * FROM Base WHERE Letter = 'C'",
        "SELECT * FROM Base WHERE Letter LIKE '[a-d]'",
        "SELECT * FROM Base WHERE Created > '20240102100000.000000+000'",
        "SELECT * FROM Base WHERE Created = '20240102100000.000000+000'",
        "SELECT * FROM Base WHERE Created < '20240102120000.000000+120'",
        "SELECT * FROM Base WHERE Created > '00000000010000.000000:000'",
        "SELECT * FROM Base WHERE NOT Created > '00000000010000.000000:000'",
        "SELECT * FROM Base WHERE Created >= '2024-01-02T10:01:00Z'",
        "SELECT * FROM Base WHERE Caption LIKE 's%'",
        "SELECT * FROM Base WHERE Caption LIKE '%A%'",
        "SELECT * FROM Base WHERE Caption LIKE '_ata'",
        "SELECT * FROM Base WHERE Caption LIKE '[d-f]%'",
        "SELECT * FROM Base WHERE Caption LIKE '[^s]%'",
        "SELECT * FROM Base WHERE Caption NOT LIKE '%s%'",
        "SELECT * FROM Base WHERE Caption LIKE '%100[%]'",
        "SELECT * FROM Base WHERE Caption LIKE 'O''Brien%'",
        "SELECT * FROM Base WHERE DeviceId LIKE 'eth%' AND NOT Speed = 10",
        "SELECT * FROM Base WHERE __CLASS = 'ssd'",
        "SELECT * FROM Base WHERE __CLASS <> 'Disk'",
        "SELECT * FROM Base WHERE __CLASS ISA 'Disk'",
        "SELECT * FROM Base WHERE __THIS ISA 'Disk' AND NOT __CLASS = 'Disk'",
        "SELECT * FROM Base WHERE __SUPERCLASS = 'Base'",
        "SELECT * FROM Base WHERE __DYNASTY = 'Base' AND __NAMESPACE = 'ROOT/cimv2'",
        "SELECT * FROM Base WHERE __RELPATH = 'Disk.DeviceId=\"C:\"'",
        "SELECT * FROM Base WHERE __PATH LIKE '%Ssd%'",
        "SELECT * FROM Base WHERE Parent ISA 'Ssd'",
        "SELECT * FROM Base WHERE Parent = 'root/cimv2:Disk.DeviceId=\"C:\"'",
        "SELECT * FROM Base WHERE Tags IS NOT NULL",
        "SELECT * FROM Base WHERE Caption = NULL",
        "SELECT * FROM Base WHERE Caption <> NULL",
        "SELECT * FROM Base WHERE NOT Caption = NULL",
        "SELECT * FROM Base WHERE (Size > 10 OR Speed > 10) AND (Caption LIKE '%s%' OR Caption IS NULL)",
        "SELECT * FROM Vol WHERE Id = 3",
        "SELECT * FROM Vol WHERE Id = '3'",
        "SELECT * FROM Vol WHERE Id = 3 AND Label = 'x'",
        "SELECT * FROM Vol WHERE Id = -1",
        "SELECT * FROM Vol WHERE Id = 3.0",
        "SELECT * FROM Vol WHERE Id > 2 AND Id <> 4",
        "SELECT Size FROM Base WHERE Size > 60",
        "SELECT Caption, Wear FROM Disk",
    };

    public static IEnumerable<object[]> CorpusCases() =>
        from object[] backend in TestBackends.All from q in Corpus select new object[] { backend[0], q };

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public void PushDownAndMemory_GiveIdenticalResults(string backend, string wql)
    {
        Use(backend);
        var pushed = Query(wql).Select(Describe).ToList();
        var memory = Query(wql, inMemory: true).Select(Describe).ToList();
        Assert.Equal(memory, pushed);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void DeepByDefault_EachInstanceAsItsOwnClass(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "D:", "E:", "eth0", "eth1", "F:", "g:" }, Ids("SELECT * FROM Base"));
        Assert.Equal("Ssd", Query("SELECT * FROM Disk WHERE DeviceId = 'F:'").Single().ClassName);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Strings_CompareCaseInsensitively(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "eth0" }, Ids("SELECT * FROM Base WHERE Caption = 'SYSTEM'"));
        Assert.Equal(new[] { "g:" }, Ids("SELECT * FROM Base WHERE DeviceId = 'G:'"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Numbers_CompareAsNumbers_NotAsText(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "D:", "g:" }, Ids("SELECT * FROM Base WHERE Size > 60"));
        Assert.Equal(new[] { "eth0" }, Ids("SELECT * FROM Base WHERE Speed > 100"));
        Assert.Equal(new[] { "D:" }, Ids("SELECT * FROM Base WHERE Size = 18446744073709551615"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Datetimes_CompareAsInstants(string backend)
    {
        Use(backend);
        // D: is 10:01Z written with a +120 offset: later than C: (10:00Z) although its text sorts... as 12:01.
        Assert.Equal(new[] { "D:" }, Ids("SELECT * FROM Base WHERE Created > '20240102100000.000000+000'"));
        Assert.Equal(new[] { "C:" }, Ids("SELECT * FROM Base WHERE Created <= '20240102120000.000000+120'"));
        Assert.Equal(new[] { "E:" }, Ids("SELECT * FROM Base WHERE Created > '00000000010000.000000:000'"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void NullComparisons_AreFalse_ExceptIsNull(string backend)
    {
        Use(backend);
        Assert.Empty(Ids("SELECT * FROM Base WHERE Caption = NULL"));
        Assert.Empty(Ids("SELECT * FROM Base WHERE Caption <> NULL"));
        Assert.Equal(new[] { "C:", "D:", "E:", "eth0", "F:", "g:" }, Ids("SELECT * FROM Base WHERE Caption <> 'x'"));
        Assert.Equal(new[] { "eth1" }, Ids("SELECT * FROM Base WHERE Caption IS NULL"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void PropertyOfSomeSubclassesOnly_IsNullForTheOthers(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "D:", "E:", "eth0", "eth1" }, Ids("SELECT * FROM Base WHERE Wear IS NULL"));
        Assert.Equal(new[] { "eth1" }, Ids("SELECT * FROM Base WHERE Speed < 100"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Like_Wildcards_Sets_Ranges_Negation(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "D:" }, Ids("SELECT * FROM Base WHERE Caption LIKE '_ata'"));
        Assert.Equal(new[] { "D:", "F:" }, Ids("SELECT * FROM Base WHERE Caption LIKE '[d-f]%'")); // 'Élan': É is not in d-f
        Assert.Equal(new[] { "D:", "E:", "F:", "g:" }, Ids("SELECT * FROM Base WHERE Caption LIKE '[^s]%'"));
        Assert.Equal(new[] { "g:" }, Ids("SELECT * FROM Base WHERE Caption LIKE '%100[%]'"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Isa_And_Class(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "D:", "E:", "F:", "g:" }, Ids("SELECT * FROM Base WHERE __CLASS ISA 'Disk'"));
        Assert.Equal(new[] { "F:", "g:" }, Ids("SELECT * FROM Base WHERE __CLASS = 'SSD'"));
        Assert.Equal(new[] { "F:" }, Ids("SELECT * FROM Base WHERE Parent ISA 'Ssd'"));
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Projection_KeepsSelectedAndKeys(string backend)
    {
        Use(backend);
        var i = Query("SELECT Size FROM Base WHERE DeviceId = 'C:'").Single();
        Assert.Equal("C:", i["DeviceId"]);
        Assert.Equal(100UL, i["Size"]);
        Assert.Null(i["Caption"]);
        Assert.Null(i["Tags"]);
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", i.GetPath().ToString());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void FilterForm_ShallowAndKeysOnly(string backend)
    {
        Use(backend);
        Assert.Equal(new[] { "C:", "D:", "F:", "g:" }, Session.QueryInstances("Disk", "Size > 10").Select(i => (string)i["DeviceId"]!).ToArray());
        Assert.Equal(new[] { "C:", "D:" }, Session.QueryInstances("Disk", "Size > 10", options: new QueryOptions { Shallow = true }).Select(i => (string)i["DeviceId"]!).ToArray());
        var k = Session.QueryInstances("Disk", "Size = 100", options: new QueryOptions { KeysOnly = true }).Single();
        Assert.Null(k["Size"]);
        Assert.Equal(7, Session.QueryInstances("Base", null).Count());
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Streams_RowsAreReadAsTheCallerIterates(string backend)
    {
        Use(backend);
        var counter = MaterializedCounter.Attach(Session);
        var before = counter.Count;
        using var e = Session.ExecQuery("SELECT * FROM Vol WHERE Label LIKE 'v%'").GetEnumerator();
        Assert.Equal(before, counter.Count);
        Assert.True(e.MoveNext());
        Assert.Equal(before + 1, counter.Count);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void PushDown_MaterializesOnlyMatchingRows(string backend)
    {
        Use(backend);
        var counter = MaterializedCounter.Attach(Session);
        var before = counter.Count;
        Assert.Single(Query("SELECT * FROM Vol WHERE Label = 'V3'"));
        Assert.Equal(before + 1, counter.Count);
        before = counter.Count;
        Assert.Single(Query("SELECT * FROM Vol WHERE Label = 'V3'", inMemory: true));
        Assert.Equal(before + 5, counter.Count);
    }

    // ---- errors ---------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void UnknownClass_IsInvalidClass(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidClass, () => Session.ExecQuery("SELECT * FROM Nope"), "Nope");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void UnknownProperty_IsInvalidQuery_NamingIt(string backend)
    {
        Use(backend);
        var e = Fails(CimStatus.InvalidQuery, () => Session.ExecQuery("SELECT * FROM Base WHERE Colour = 'red'"), "Colour", "Base");
        Assert.Equal("Colour", e.PropertyName);
        Fails(CimStatus.InvalidQuery, () => Session.ExecQuery("SELECT Colour FROM Base"), "Colour");
        // Speed exists in Nic only: fine for Base, unknown for Disk.
        Fails(CimStatus.InvalidQuery, () => Session.ExecQuery("SELECT * FROM Disk WHERE Speed > 1"), "Speed");
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Malformed_IsInvalidQuery_ByTheCallItself(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidQuery, () => Session.ExecQuery("SELECT * FROM Base WHERE"), "position 24");
        Fails(CimStatus.InvalidQuery, () => Session.QueryInstances("Base", "Size >"), "position 6");
    }

    [Theory]
    [InlineData("SELECT * FROM Base WHERE Size = 'big'", "Size")]
    [InlineData("SELECT * FROM Base WHERE Tags = 'a'", "Tags")]
    [InlineData("SELECT * FROM Base WHERE Size LIKE '1%'", "Size")]
    [InlineData("SELECT * FROM Base WHERE Created > 'yesterday'", "Created")]
    [InlineData("SELECT * FROM Base WHERE Ok = 5", "Ok")]
    [InlineData("SELECT * FROM Base WHERE Caption ISA 'Disk'", "Caption")]
    public void ValuesThatDoNotFit_AreInvalidQuery(string wql, string property)
    {
        Fails(CimStatus.InvalidQuery, () => Session.ExecQuery(wql), property);
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void IsaOfUnknownClass_IsInvalidClass(string backend)
    {
        Use(backend);
        Fails(CimStatus.InvalidClass, () => Session.ExecQuery("SELECT * FROM Base WHERE __CLASS ISA 'Nope'"), "Nope");
    }
}
