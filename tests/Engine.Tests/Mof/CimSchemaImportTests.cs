using System.Text.RegularExpressions;
using CimLite.Storage;
using CimLite.Testing;
using Xunit.Abstractions;

namespace CimLite.Tests.Mof;

/// <summary>The whole DMTF CIM Schema 2.32.0, imported once for the class; spot checks against the files.</summary>
public sealed class CimSchemaFixture : IDisposable
{
    public CimSchemaFixture()
    {
        // xunit builds class fixtures even when every test of the class is skipped: import nothing then.
        if (CimLite.Testing.CimSchemaLocation.SkipReasonIfAbsent != null)
        {
            Session = null!;
            Result = null!;
            return;
        }

        Session = CimSchema.Import(out var elapsed, out var result);
        Elapsed = elapsed;
        Result = result;
    }

    public CimLiteSession Session { get; }
    public TimeSpan Elapsed { get; }
    public MofImportResult Result { get; }

    public void Dispose() => Session?.Dispose();
}

public sealed class CimSchemaImportTests : IClassFixture<CimSchemaFixture>
{
    private readonly CimSchemaFixture _schema;
    private readonly ITestOutputHelper _output;

    public CimSchemaImportTests(CimSchemaFixture schema, ITestOutputHelper output)
    {
        _schema = schema;
        _output = output;
    }

    private CimLiteSession S => _schema.Session;

    [CimSchemaFact]
    public void The_whole_schema_imports_every_file_class_and_qualifier_declaration()
    {
        var r = _schema.Result;
        _output.WriteLine($"engine.mofImport: {_schema.Elapsed.TotalSeconds:F2} s ({r.ClassesCreated} classes, {r.QualifiersCreated} qualifier declarations, {r.Files.Count} files)");
        Assert.True(r.Committed);
        Assert.Equal(1 + File.ReadLines(CimSchema.RootFile).Count(l => l.StartsWith("#pragma include")), r.Files.Count);
        // Every included class file (one class each, named like the file) is a class of the namespace.
        var classFiles = r.Files.Skip(1).Where(f => !Path.GetFileName(f).StartsWith("qualifiers", StringComparison.Ordinal)).ToList();
        Assert.Equal(classFiles.Count, r.ClassesCreated);
        foreach (var file in classFiles)
            Assert.NotNull(S.FindClass(Path.GetFileNameWithoutExtension(file)));
        Assert.Equal(r.ClassesCreated, S.GetClasses().Count);
        var declaredQualifiers = Regex.Matches(File.ReadAllText(Path.Combine(CimSchema.Folder, "qualifiers.mof")) +
            File.ReadAllText(Path.Combine(CimSchema.Folder, "qualifiers_optional.mof")), @"^Qualifier\s+(\w+)", RegexOptions.Multiline).Count;
        Assert.Equal(declaredQualifiers, r.QualifiersCreated);
        Assert.Equal(declaredQualifiers, S.GetQualifierDeclarations().Count);
        Assert.Empty(r.Warnings);
    }

    public static TheoryData<string> SpotClasses => new()
    {
        "CIM_ManagedElement", "CIM_ManagedSystemElement", "CIM_LogicalElement", "CIM_EnabledLogicalElement", "CIM_System",
        "CIM_ComputerSystem", "CIM_LogicalDevice", "CIM_DiskDrive", "CIM_Indication", "CIM_InstIndication", "CIM_InstCreation",
        "CIM_Dependency", "CIM_Component", "CIM_SystemComponent", "CIM_HostedDependency", "CIM_Product", "CIM_SettingData",
        "CIM_ElementSettingData", "CIM_Service", "CIM_PhysicalElement", "CIM_Chassis", "CIM_NetworkPort", "CIM_Job",
        "CIM_ConcreteJob", "CIM_RegisteredProfile", "CIM_FileSystem", "CIM_Processor", "CIM_Memory",
    };

    /// <summary>Superclass, abstract/association/indication markers and the own Key properties, read from the class's own file.</summary>
    [CimSchemaTheory]
    [MemberData(nameof(SpotClasses))]
    public void A_class_matches_its_file(string className)
    {
        var text = File.ReadAllText(CimSchema.ClassFile(className));
        var header = Regex.Match(text, @"^\s*\[(?<q>(?:[^\[\]]|\[[^\]]*\])*)\]\s*class\s+(?<name>\w+)\s*(?::\s*(?<super>\w+))?\s*\{", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(header.Success, className);
        var qualifiers = header.Groups["q"].Value;
        bool Has(string name) => Regex.IsMatch(qualifiers, @"(^|[\s,])" + name + @"\s*(,|$|\()", RegexOptions.Multiline);
        var c = S.GetClass(className);
        Assert.Equal(header.Groups["name"].Value, c.ClassName);
        Assert.Equal(header.Groups["super"].Success ? header.Groups["super"].Value : null, c.Superclass);
        Assert.Equal(Has("Abstract"), c.IsAbstract);
        Assert.Equal(Has("Association") || (c.SuperclassDefinition?.IsAssociation ?? false), c.IsAssociation);
        Assert.Equal(Has("Indication") || (c.SuperclassDefinition?.IsIndication ?? false), c.IsIndication);
        // Every property this file marks Key is a key of the class.
        foreach (Match m in Regex.Matches(text, @"\[\s*Key\b[^\]]*?\]\s*(?:\w+\s+REF\s+|\w+\s+)(\w+)\s*;", RegexOptions.Singleline))
            Assert.True(c.FindProperty(m.Groups[1].Value)!.IsKey, className + "." + m.Groups[1].Value);
    }

    [CimSchemaFact]
    public void Known_classes_have_the_expected_markers_and_keys()
    {
        var me = S.GetClass("CIM_ManagedElement");
        Assert.True(me.IsAbstract);
        Assert.Empty(me.KeyProperties);
        Assert.Null(me.Superclass);

        var cs = S.GetClass("CIM_ComputerSystem");
        Assert.False(cs.IsAbstract);
        // Keys in declared order: Name comes from CIM_ManagedSystemElement (made a key by CIM_System), CreationClassName from CIM_System.
        Assert.Equal(new[] { "Name", "CreationClassName" }, cs.KeyProperties.Select(k => k.Name));
        Assert.Equal("CIM_System", cs.KeyRootClass);
        Assert.Equal(new[] { "CIM_System", "CIM_EnabledLogicalElement", "CIM_LogicalElement", "CIM_ManagedSystemElement", "CIM_ManagedElement" }, cs.Derivation);
        Assert.NotNull(cs.FindMethod("SetPowerState"));
        Assert.NotNull(cs.FindMethod("RequestStateChange")); // inherited from CIM_EnabledLogicalElement

        var ind = S.GetClass("CIM_Indication");
        Assert.True(ind.IsAbstract);
        Assert.True(ind.IsIndication);
        Assert.True(S.GetClass("CIM_InstCreation").IsIndication);

        var dep = S.GetClass("CIM_Dependency");
        Assert.True(dep.IsAssociation);
        Assert.Equal(new[] { "Antecedent", "Dependent" }, dep.KeyProperties.Select(k => k.Name));
        Assert.Equal("ref:CIM_ManagedElement", dep.FindProperty("Antecedent")!.TypeName);
        // An override narrows the referenced class (DSP0004) and keeps the key.
        var hosted = S.GetClass("CIM_HostedDependency");
        Assert.Equal("ref:CIM_ManagedElement", hosted.FindProperty("Antecedent")!.TypeName);
        var sysComp = S.GetClass("CIM_SystemComponent");
        Assert.Equal("ref:CIM_System", sysComp.FindProperty("GroupComponent")!.TypeName);
        Assert.True(sysComp.FindProperty("GroupComponent")!.IsKey);
        Assert.Equal("CIM_Component", sysComp.KeyRootClass);

        var disk = S.GetClass("CIM_DiskDrive");
        Assert.Equal(new[] { "SystemCreationClassName", "SystemName", "CreationClassName", "DeviceID" }, disk.KeyProperties.Select(k => k.Name));
    }

    [CimSchemaFact]
    public void Qualifier_declarations_give_flavors_and_defaults()
    {
        var decls = S.GetQualifierDeclarations().ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(QualifierFlavor.ToSubclass | QualifierFlavor.DisableOverride, decls["Key"].Flavor);
        Assert.True((decls["Abstract"].Flavor & QualifierFlavor.Restricted) != 0);
        Assert.True((decls["Description"].Flavor & QualifierFlavor.Translatable) != 0);
        Assert.Equal(CimQualifierScope.Any, decls["Description"].Scope);
        Assert.Equal("Bag", decls["ArrayType"].DefaultValue);
        Assert.Equal(new CimTypeInfo(CimType.String, true), decls["ValueMap"].Type);

        // Abstract is Restricted: CIM_System is abstract, CIM_ComputerSystem is not. Description propagates and is overridden.
        var cs = S.GetClass("CIM_ComputerSystem");
        Assert.False(cs.IsAbstract);
        var desc = cs.Find("Description")!;
        Assert.Equal(QualifierFlavor.ToSubclass | QualifierFlavor.Translatable, desc.Flavor);
        Assert.StartsWith("A class derived from System", (string)desc.Value!);
        var maxLen = S.GetClass("CIM_ManagedElement").FindProperty("Caption")!.Find("MaxLen")!;
        Assert.Equal(64L, maxLen.Value);
        var key = cs.FindProperty("Name")!.Find("Key")!;
        Assert.True(key.DisablesOverride);
    }

    [CimSchemaFact]
    public void Methods_are_stored_with_parameters_types_and_qualifiers()
    {
        var m = S.GetClass("CIM_EnabledLogicalElement").FindMethod("RequestStateChange")!;
        Assert.Equal(new CimTypeInfo(CimType.UInt32), m.ReturnType);
        Assert.Equal(new[] { "RequestedState", "Job", "TimeoutPeriod" }, m.Parameters.Select(p => p.Name));
        Assert.Equal("ref:CIM_ConcreteJob", m.Parameters[1].Type.ToString());
        Assert.Contains(m.Parameters[1].Qualifiers, q => q.Name == "OUT");
        Assert.Equal(CimType.DateTime, m.Parameters[2].Type.Type);
        Assert.Contains(m.Qualifiers, q => q.Name == "ValueMap");
    }

    [CimSchemaFact]
    public void Instances_of_real_classes_follow_the_PutInstance_rules()
    {
        // A scratch copy: the fixture's session stays untouched for the other tests.
        using var s = CimLiteSession.OpenInMemory();
        s.ImportMof(new[] { CimSchema.RootFile });
        var cs = s.NewInstance("CIM_ComputerSystem", new Dictionary<string, object> { ["CreationClassName"] = "CIM_ComputerSystem", ["Name"] = "host1", ["Caption"] = "first" });
        var path = s.PutInstance(cs);
        Assert.Equal("root/cimv2:CIM_ComputerSystem.Name=\"host1\",CreationClassName=\"CIM_ComputerSystem\"", path.ToString());

        // Abstract classes of the schema refuse instances.
        var abs = Assert.Throws<CimLiteException>(() => s.NewInstance("CIM_System"));
        Assert.Equal(CimStatus.InvalidOperation, abs.Status);

        // No moving: a sibling under the same key root (CIM_System) cannot take the key.
        var admin = s.NewInstance("CIM_AdminDomain", new Dictionary<string, object> { ["CreationClassName"] = "CIM_ComputerSystem", ["Name"] = "HOST1" });
        Assert.Equal(CimStatus.AlreadyExists, Assert.Throws<CimLiteException>(() => s.PutInstance(admin)).Status);

        // A missing key is ILLEGAL_NULL; a value out of range is TYPE_MISMATCH; indications are not stored.
        var noKey = s.NewInstance("CIM_ComputerSystem", new Dictionary<string, object> { ["CreationClassName"] = "CIM_ComputerSystem" });
        Assert.Equal(CimStatus.IllegalNull, Assert.Throws<CimLiteException>(() => s.PutInstance(noKey)).Status);
        Assert.Equal(CimStatus.TypeMismatch, Assert.Throws<CimLiteException>(() =>
            s.NewInstance("CIM_ComputerSystem", new Dictionary<string, object> { ["ResetCapability"] = 70000 })).Status);
        var ind = s.NewInstance("CIM_InstCreation");
        Assert.Equal(CimStatus.InvalidOperation, Assert.Throws<CimLiteException>(() => s.PutInstance(ind)).Status);

        // An association instance referencing both (associations are a hierarchy of their own, under CIM_Component).
        var port = s.NewInstance("CIM_NetworkPort", new Dictionary<string, object>
            { ["SystemCreationClassName"] = "CIM_ComputerSystem", ["SystemName"] = "host1", ["CreationClassName"] = "CIM_NetworkPort", ["DeviceID"] = "eth0" });
        var portPath = s.PutInstance(port);
        s.PutInstance(s.NewInstance("CIM_SystemDevice", new Dictionary<string, object> { ["GroupComponent"] = path.ToString(), ["PartComponent"] = portPath.ToString() }));
        Assert.Equal(2, s.EnumerateInstances("CIM_ManagedElement").Count());
        Assert.Single(s.EnumerateInstances("CIM_Component"));
    }

    [CimSchemaFact]
    public void The_whole_schema_round_trips_through_Export_and_Import()
    {
        S.GetClass("CIM_ManagedElement"); // cache warm
        var mof = S.ExportMof();
        var file = Path.Combine(Path.GetTempPath(), "cimlite-roundtrip-" + Guid.NewGuid().ToString("N") + ".mof");
        File.WriteAllText(file, mof);
        try
        {
            using var again = CimLiteSession.OpenInMemory();
            var r = again.ImportMof(new[] { file });
            Assert.Equal(_schema.Result.ClassesCreated, r.ClassesCreated);
            Assert.Equal(_schema.Result.QualifiersCreated, r.QualifiersCreated);
            foreach (var c in S.GetClasses())
            {
                var copy = again.GetClass(c.ClassName);
                Assert.Equal(c.Superclass, copy.Superclass);
                Assert.Equal(ValueCodec.EncodeDefinition(c.Definition, false), ValueCodec.EncodeDefinition(copy.Definition, false));
                Assert.Equal(ValueCodec.EncodeDefinition(c.Definition, true), ValueCodec.EncodeDefinition(copy.Definition, true));
            }
            var d1 = S.GetQualifierDeclarations().Select(Mof_Encode).ToList();
            var d2 = again.GetQualifierDeclarations().Select(Mof_Encode).ToList();
            Assert.Equal(d1, d2);
            // And the export of the copy is the same text.
            Assert.Equal(mof, again.ExportMof());
        }
        finally { File.Delete(file); }
    }

    [CimSchemaFact]
    public void Exporting_one_class_brings_what_it_needs_and_imports_on_its_own()
    {
        var mof = S.ExportMof(new MofExportOptions { ClassNames = new[] { "CIM_ComputerSystem" } });
        using var copy = CimLiteSession.OpenInMemory();
        var r = copy.ImportMofText(mof, "cs.mof");
        Assert.Contains(copy.GetClasses(), c => c.ClassName == "CIM_ConcreteJob"); // RequestStateChange's Job parameter
        Assert.Equal(ValueCodec.EncodeDefinition(S.GetClass("CIM_ComputerSystem").Definition, false),
            ValueCodec.EncodeDefinition(copy.GetClass("CIM_ComputerSystem").Definition, false));
        Assert.True(r.ClassesCreated < 100, r.ClassesCreated.ToString());
    }

    private static string Mof_Encode(CimQualifierDeclaration d) => CimLite.Mof.MofCompiler.Encode(d);

    [CimSchemaFact]
    public void Importing_the_schema_again_accepts_identical_classes()
    {
        var r = S.ImportMof(new[] { CimSchema.RootFile }, new MofImportOptions { WhatIf = true });
        Assert.Equal(0, r.ClassesCreated);
        Assert.Equal(_schema.Result.ClassesCreated, r.ClassesUnchanged);
        Assert.Equal(_schema.Result.QualifiersCreated, r.QualifiersUnchanged);
    }
}
