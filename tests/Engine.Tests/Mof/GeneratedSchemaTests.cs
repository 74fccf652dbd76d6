namespace CimLite.Tests.Mof;

/// <summary>The generated schema (<see cref="GeneratedSchema"/>) written once and imported once for the class.</summary>
public sealed class GeneratedSchemaFixture : IDisposable
{
    public GeneratedSchemaFixture()
    {
        Schema = GeneratedSchema.Write(Path.Combine(Path.GetTempPath(), "cimlite-gen-schema-" + Guid.NewGuid().ToString("N")));
        Session = CimLiteSession.OpenInMemory();
        Result = Session.ImportMof(new[] { Schema.RootFile });
    }

    public GeneratedSchema Schema { get; }
    public CimLiteSession Session { get; }
    public MofImportResult Result { get; }

    public void Dispose()
    {
        Session.Dispose();
        Directory.Delete(Schema.Folder, true);
    }
}

/// <summary>
/// The MOF compiler on a schema written for this project: runs on every clone (the DMTF schema tests need
/// CIMLITE_CIM_SCHEMA or ../shared). Every expected figure comes from what the generator recorded.
/// </summary>
public sealed class GeneratedSchemaTests : IClassFixture<GeneratedSchemaFixture>
{
    private readonly GeneratedSchemaFixture _g;

    public GeneratedSchemaTests(GeneratedSchemaFixture g) => _g = g;

    private CimLiteSession S => _g.Session;
    private GeneratedSchema Schema => _g.Schema;

    [Fact]
    public void It_is_big_and_imports_every_file_class_declaration_and_instance_in_one_transaction()
    {
        var r = _g.Result;
        Assert.True(r.Committed);
        Assert.True(Schema.Classes.Count >= 300, "the generator should write hundreds of classes, wrote " + Schema.Classes.Count);
        Assert.True(Schema.Files.Count >= 3 * GeneratedSchema.Families + 4);
        Assert.Equal(Schema.Files.Select(Path.GetFullPath).OrderBy(f => f, StringComparer.Ordinal), r.Files.Select(Path.GetFullPath).OrderBy(f => f, StringComparer.Ordinal));
        Assert.Equal(Schema.Classes.Count, r.ClassesCreated);
        Assert.Equal(Schema.QualifierDeclarations.Count, r.QualifiersCreated);
        Assert.Equal(Schema.Instances.Count, r.Instances.Count);
        Assert.Empty(r.Warnings);
        Assert.Equal(Schema.Classes.Keys.OrderBy(c => c, StringComparer.OrdinalIgnoreCase),
            S.GetClasses().Select(c => c.ClassName).OrderBy(c => c, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_class_has_its_superclass_and_the_deepest_its_whole_derivation()
    {
        foreach (var (name, superclass) in Schema.Classes)
            Assert.Equal(superclass, S.GetClass(name).Superclass);
        for (int f = 0; f < GeneratedSchema.Families; f++)
        {
            var leaf = S.GetClass(GeneratedSchema.Sibling(f, GeneratedSchema.Depth - 1, 0));
            var expected = Enumerable.Range(0, GeneratedSchema.Depth).Reverse().Select(l => GeneratedSchema.Level(f, l)).ToArray();
            Assert.Equal(expected, leaf.Derivation);
            Assert.Equal(GeneratedSchema.Level(f, 0), leaf.KeyRootClass);
            Assert.True(leaf.IsA(GeneratedSchema.Level(f, 0)));
            Assert.Equal(new[] { "Id" }, leaf.KeyProperties.Select(p => p.Name));
        }
    }

    [Fact]
    public void Qualifier_declarations_keep_every_flavor()
    {
        var decls = S.GetQualifierDeclarations().ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Schema.QualifierDeclarations.Count, decls.Count);
        foreach (var (name, (_, flavor)) in GeneratedSchema.QualifierFlavors)
            Assert.True(flavor == decls[name].Flavor, name + ": " + decls[name].Flavor + ", expected " + flavor);
        Assert.Equal(7UL, Convert.ToUInt64(decls["GenDisable"].DefaultValue));
    }

    [Fact]
    public void Flavors_propagate_or_stop_as_declared()
    {
        string root = GeneratedSchema.Level(2, 0), child = GeneratedSchema.Level(2, 1), leaf = GeneratedSchema.Sibling(2, 5, 2);
        Assert.Equal("family 2", S.GetClass(leaf).Find("GenEnable")!.Value);       // ToSubclass: inherited all the way down
        Assert.Equal("root only", S.GetClass(root).Find("GenRestricted")!.Value);
        Assert.Null(S.GetClass(child).Find("GenRestricted"));                        // Restricted: the declaring class only
        Assert.True(S.GetClass(leaf).Find("GenDisable")!.DisablesOverride);          // DisableOverride: inherited, fixed
        Assert.True(S.GetClass(root).IsAbstract);
        Assert.False(S.GetClass(child).IsAbstract);                                  // Abstract is Restricted
        Assert.Equal("level 5", S.GetClass(GeneratedSchema.Level(2, 5)).Find("GenTranslatable")!.Value);
        // Amended qualifiers are kept apart and left out unless asked for.
        Assert.Equal("amended text of level 3", S.GetClass(GeneratedSchema.Level(2, 3)).Find("GenAmended")!.Value);
        Assert.Null(S.GetClass(GeneratedSchema.Level(2, 3), useAmendedQualifiers: false).Find("GenAmended"));
    }

    [Fact]
    public void A_subclass_cannot_give_a_DisableOverride_qualifier_another_value_and_the_error_names_the_nested_file()
    {
        string dir = Path.Combine(Schema.Folder, "bad");
        Directory.CreateDirectory(Path.Combine(dir, "inner"));
        File.WriteAllText(Path.Combine(dir, "root.mof"), "#pragma include (\"" + Schema.RootFile.Replace("\\", "/") + "\")\n#pragma include (\"inner/bad.mof\")\n");
        File.WriteAllText(Path.Combine(dir, "inner", "bad.mof"), "\n[GenDisable(8)]\nclass Gen_Bad : " + GeneratedSchema.Level(0, 2) + " { };\n");
        using var s = CimLiteSession.OpenInMemory();
        var e = Assert.Throws<CimLiteException>(() => s.ImportMof(new[] { Path.Combine(dir, "root.mof") }));
        Assert.Contains("bad.mof(", e.Message);
        Assert.Contains("GenDisable", e.Message);
        Assert.Empty(s.GetClasses());                                                // nothing of the import is left
        Assert.Empty(s.GetQualifierDeclarations());
    }

    [Fact]
    public void Overrides_change_defaults_keep_keys_and_narrow_references()
    {
        for (int level = 1; level < GeneratedSchema.Depth; level++)
        {
            var c = S.GetClass(GeneratedSchema.Level(4, level));
            Assert.Equal((uint)(level * 10), c.FindProperty("Count")!.DefaultValue);
            Assert.Equal((uint)level, c.FindProperty("P" + level)!.DefaultValue);
            for (int k = 0; k < GeneratedSchema.Siblings; k++)
            {
                var sibling = S.GetClass(GeneratedSchema.Sibling(4, level, k));
                Assert.Equal((uint)(1000 + k), sibling.FindProperty("P" + level)!.DefaultValue);
                Assert.Equal((uint)(level * 10), sibling.FindProperty("Count")!.DefaultValue);
                Assert.Equal("string[]", sibling.FindProperty("Leaf" + k)!.TypeName);
            }
        }

        var link = S.GetClass(GeneratedSchema.Link(4));
        var deep = S.GetClass(GeneratedSchema.DeepLink(4));
        Assert.True(link.IsAssociation && deep.IsAssociation);
        Assert.Equal(GeneratedSchema.Level(4, 0), link.FindProperty("Right")!.ReferenceClass);
        Assert.Equal(GeneratedSchema.Level(4, GeneratedSchema.Depth - 1), deep.FindProperty("Right")!.ReferenceClass);
        Assert.Equal(GeneratedSchema.Level(4, 0), deep.FindProperty("Left")!.ReferenceClass);
        Assert.Equal(new[] { "Left", "Right" }, deep.KeyProperties.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_type_array_and_default_of_the_root_is_stored()
    {
        var c = S.GetClass(GeneratedSchema.Level(1, 0));
        Assert.Equal(byte.MaxValue, c.FindProperty("U8")!.DefaultValue);
        Assert.Equal(sbyte.MinValue, c.FindProperty("S8")!.DefaultValue);
        Assert.Equal(ushort.MaxValue, c.FindProperty("U16")!.DefaultValue);
        Assert.Equal(short.MinValue, c.FindProperty("S16")!.DefaultValue);
        Assert.Equal(uint.MaxValue, c.FindProperty("U32")!.DefaultValue);
        Assert.Equal(int.MinValue, c.FindProperty("S32")!.DefaultValue);
        Assert.Equal(ulong.MaxValue, c.FindProperty("U64")!.DefaultValue);
        Assert.Equal(-long.MaxValue, c.FindProperty("S64")!.DefaultValue);
        Assert.Equal(1.5f, c.FindProperty("R32")!.DefaultValue);
        Assert.Equal(-2.5e-3, c.FindProperty("R64")!.DefaultValue);
        Assert.Equal(true, c.FindProperty("Flag")!.DefaultValue);
        Assert.Equal('x', c.FindProperty("Ch")!.DefaultValue);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 17, 45, 0, TimeSpan.Zero), c.FindProperty("When")!.DefaultValue);
        Assert.Equal(new TimeSpan(1, 2, 3, 4), c.FindProperty("Span")!.DefaultValue);
        Assert.Equal(new[] { "a", "b\tc", "\u00e9" }, c.FindProperty("Names")!.DefaultValue);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, c.FindProperty("Fixed")!.DefaultValue);
        Assert.Equal(4, c.Definition.Properties.Single(p => p.Name == "Fixed").ArraySize);
        Assert.Equal("Gen_Setting", c.FindProperty("Settings")!.Find("EmbeddedInstance")!.Value);
        Assert.Equal("ref:" + GeneratedSchema.Level(1, 0), c.FindProperty("Parent")!.TypeName);
    }

    [Fact]
    public void Methods_keep_their_parameters_directions_types_and_qualifiers()
    {
        string f3l7 = GeneratedSchema.Level(3, 7);
        var start = S.GetClass(f3l7).FindMethod("Start7")!;
        Assert.Equal("uint32", start.ReturnType.ToString());
        Assert.Equal(new[] { "TimeoutSec", "Message", "Values" }, start.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { "uint32", "string", "sint32[]" }, start.Parameters.Select(p => p.Type.ToString()));
        Assert.Equal(true, start.Parameters[0].Qualifiers.Single(q => q.Name == "Required").Value);
        Assert.Equal(false, start.Parameters[1].Qualifiers.Single(q => q.Name == "In").Value);
        Assert.Equal(true, start.Parameters[1].Qualifiers.Single(q => q.Name == "Out").Value);
        Assert.Contains(start.Parameters[2].Qualifiers, q => q.Name == "In");
        Assert.Contains(start.Parameters[2].Qualifiers, q => q.Name == "Out");
        Assert.Equal(new object[] { "0", "1" }, (object[])start.Qualifiers.Single(q => q.Name == "ValueMap").Value!);

        var describe = S.GetClass(f3l7).FindMethod("Describe7")!;
        Assert.Equal(true, describe.Qualifiers.Single(q => q.Name == "Static").Value);
        Assert.Equal("ref:" + GeneratedSchema.Level(3, 0), describe.Parameters[0].Type.ToString());
        Assert.Equal("Gen_Setting", describe.Parameters[1].Qualifiers.Single(q => q.Name == "EmbeddedInstance").Value);
        Assert.Equal("datetime[]", describe.Parameters[2].Type.ToString());
    }

    [Fact]
    public void Instances_resolve_aliases_to_paths_and_keep_arrays_and_embedded_instances()
    {
        for (int f = 0; f < GeneratedSchema.Families; f++)
        {
            string deepPath = "root/cimv2:" + GeneratedSchema.Level(f, 0) + ".Id=\"f" + f + "-deep\"";
            var deep = S.GetInstance(InstancePath.Parse(GeneratedSchema.Level(f, GeneratedSchema.Depth - 1) + ".Id=\"f" + f + "-deep\""));
            Assert.Equal(new[] { "n1", "n2", "n3" }, deep["Names"]);
            Assert.Equal(new byte[] { 9, 8, 7, 6 }, deep["Fixed"]);
            Assert.Equal(5U, deep["Count"]);
            Assert.Equal((uint)((GeneratedSchema.Depth - 1) * 10), S.GetClass(deep.ClassName).FindProperty("Count")!.DefaultValue);
            Assert.Contains("Name = \"inner" + f + "\";", (string)deep["Setting"]!);
            Assert.Equal(2, ((string[])deep["Settings"]!).Length);
            Assert.Equal("family " + f, deep["Caption"]); // a class default

            var leaf = S.EnumerateInstances(GeneratedSchema.Sibling(f, 3, 1)).Single();
            Assert.Equal(new[] { "x" }, leaf["Leaf1"]);
            Assert.Equal(deepPath.Replace(GeneratedSchema.Level(f, 0) + ".", GeneratedSchema.Level(f, GeneratedSchema.Depth - 1) + "."), leaf["Parent"]);

            var links = S.EnumerateInstances(GeneratedSchema.Link(f)).ToList(); // deep: the narrowed subclass too
            Assert.Equal(2, links.Count);
            var narrowed = links.Single(l => (string)l["Label"]! == "narrowed");
            Assert.Equal(GeneratedSchema.DeepLink(f), narrowed.ClassName);
            Assert.EndsWith(".Id=\"f" + f + "-deep\"", (string)narrowed["Right"]!);
            Assert.EndsWith(".Id=\"f" + f + "-leaf\"", (string)narrowed["Left"]!);
        }

        Assert.Equal(new[] { "one", "two" }, S.EnumerateInstances("Gen_Setting").Single()["Notes"]);
    }

    [Fact]
    public void It_round_trips_through_Export_and_Import_to_the_same_text()
    {
        string first = S.ExportMof(new MofExportOptions { IncludeInstances = true });
        string file = Path.Combine(Schema.Folder, "exported.mof");
        File.WriteAllText(file, first);
        using var again = CimLiteSession.OpenInMemory();
        var r = again.ImportMof(new[] { file });
        Assert.Equal(Schema.Classes.Count, r.ClassesCreated);
        Assert.Equal(Schema.QualifierDeclarations.Count, r.QualifiersCreated);
        Assert.Equal(Schema.Instances.Count, r.Instances.Count);
        Assert.Equal(first, again.ExportMof(new MofExportOptions { IncludeInstances = true }));
        // Importing the generated schema again over itself changes nothing.
        var same = again.ImportMof(new[] { Schema.RootFile, });
        Assert.Equal(0, same.ClassesCreated + same.ClassesUpdated);
        Assert.Equal(Schema.Classes.Count, same.ClassesUnchanged);
    }
}
