namespace CimLite.Tests.Mof;

/// <summary>The MOF language and the import rules, on small hand-written files.</summary>
public sealed class MofImportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-mof-" + Guid.NewGuid().ToString("N"));
    private readonly CimLiteSession _s = CimLiteSession.OpenInMemory();

    public MofImportTests() { Directory.CreateDirectory(_dir); }

    public void Dispose()
    {
        _s.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Qualifiers = @"
Qualifier Abstract : boolean = false, Scope(class, association, indication), Flavor(Restricted);
Qualifier Association : boolean = false, Scope(association), Flavor(DisableOverride, ToSubclass);
Qualifier Indication : boolean = false, Scope(class, indication), Flavor(DisableOverride, ToSubclass);
Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);
Qualifier Description : string = null, Scope(any), Flavor(EnableOverride, ToSubclass, Translatable);
Qualifier ValueMap : string[], Scope(property, method, parameter);
Qualifier MaxLen : uint32 = null, Scope(property, method, parameter);
Qualifier In : boolean = true, Scope(parameter), Flavor(DisableOverride, ToSubclass);
Qualifier Out : boolean = false, Scope(parameter), Flavor(DisableOverride, ToSubclass);
Qualifier Override : string = null, Scope(property, reference, method), Flavor(EnableOverride, Restricted);
Qualifier EmbeddedInstance : string = null, Scope(property, method, parameter);
Qualifier EmbeddedObject : boolean = false, Scope(property, method, parameter), Flavor(DisableOverride, ToSubclass);
Qualifier Static : boolean = false, Scope(property, method), Flavor(DisableOverride, ToSubclass);
Qualifier Note : string = null, Scope(class), Flavor(Amended);
";

    private const string Sample = @"
// Derived class first: the import orders superclasses first.
[Description(""A disk"" "" drive"")]
CLASS Disk : Device {
    [Key] string DeviceId;
    uint64 Size = 0x10;
    uint8 Bits[4] = { 1, 0b, 010, 1010b };
    real64 Ratio = -1.5e2;
    char16 Letter = 'C';
    datetime Created = ""20240101120000.000000+000"";
    datetime Timeout = ""00000001020304.000000:000"";
    boolean Ok = TRUE;
    string Tags[] = { ""a\tb"", ""q\""uote"", ""\x0041"" };
    sint32 Offset = -42;
    [EmbeddedInstance(""Device"")] string Inner;
    [ValueMap { ""0"", ""1"" }, Static]
    uint32 Format([In, Description(""how"")] string Mode, [In(false), Out] Disk REF Result, [Out] string Lines[]);
};

/* the base */
[Abstract, Note(""amended text"")]
class Device {
    [MaxLen(64)] string Caption;
};

[Association]
class DiskLink {
    [Key] Disk REF Left;
    [Key] Disk REF Right;
};

instance of Disk as $C { DeviceId = ""C:""; Size = 100; Tags = { ""x"" }; };
instance of Disk as $D { DeviceId = ""D:""; };
INSTANCE OF DiskLink { Left = $C; Right = $D; };
";

    [Fact]
    public void A_sample_with_every_feature_imports()
    {
        var file = Write("sample.mof", "#pragma locale (\"en_US\")\n#pragma vendor (\"x\")\n" + Qualifiers + Sample);
        var r = _s.ImportMof(new[] { file });
        Assert.True(r.Committed);
        Assert.Equal(3, r.ClassesCreated);
        Assert.Equal(14, r.QualifiersCreated);
        Assert.Equal(3, r.Instances.Count);
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("sample.mof(2,9)", warning);
        Assert.Contains("vendor", warning);

        var disk = _s.GetClass("Disk");
        Assert.Equal("Device", disk.Superclass);
        Assert.Equal("A disk drive", disk.Find("Description")!.Value);
        Assert.Equal(16UL, disk.FindProperty("Size")!.DefaultValue);
        Assert.Equal(new byte[] { 1, 0, 8, 10 }, disk.FindProperty("Bits")!.DefaultValue);
        Assert.Equal(4, disk.Definition.Properties.Single(p => p.Name == "Bits").ArraySize);
        Assert.Equal(-150.0, disk.FindProperty("Ratio")!.DefaultValue);
        Assert.Equal('C', disk.FindProperty("Letter")!.DefaultValue);
        Assert.IsType<DateTimeOffset>(disk.FindProperty("Created")!.DefaultValue);
        Assert.Equal(new TimeSpan(1, 2, 3, 4), disk.FindProperty("Timeout")!.DefaultValue);
        Assert.Equal(true, disk.FindProperty("Ok")!.DefaultValue);
        Assert.Equal(new[] { "a\tb", "q\"uote", "A" }, disk.FindProperty("Tags")!.DefaultValue);
        Assert.Equal(-42, disk.FindProperty("Offset")!.DefaultValue);
        Assert.Equal(64L, disk.FindProperty("Caption")!.Find("MaxLen")!.Value);
        Assert.Equal("Device", disk.FindProperty("Inner")!.Find("EmbeddedInstance")!.Value);
        Assert.False(disk.IsAbstract);
        Assert.True(_s.GetClass("Device").IsAbstract);
        Assert.True(_s.GetClass("DiskLink").IsAssociation);

        var m = disk.FindMethod("Format")!;
        Assert.Equal("uint32", m.ReturnType.ToString());
        Assert.Equal(new[] { "Mode", "Result", "Lines" }, m.Parameters.Select(p => p.Name));
        Assert.Equal("ref:Disk", m.Parameters[1].Type.ToString());
        Assert.Equal("string[]", m.Parameters[2].Type.ToString());
        Assert.Equal(false, m.Parameters[1].Qualifiers.Single(q => q.Name == "In").Value);
        Assert.Equal(new object[] { "0", "1" }, (object[])m.Qualifiers.Single(q => q.Name == "ValueMap").Value!);

        // Amended qualifiers are stored apart and left out unless asked for.
        Assert.Null(_s.GetClass("Device", useAmendedQualifiers: false).Find("Note"));
        Assert.Equal("amended text", _s.GetClass("Device").Find("Note")!.Value);

        var link = _s.EnumerateInstances("DiskLink").Single();
        Assert.Equal("root/cimv2:Disk.DeviceId=\"C:\"", link["Left"]);
        var c = _s.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""));
        Assert.Equal(100UL, c["Size"]);
        Assert.Equal(new[] { "x" }, c["Tags"]);
        Assert.Equal(new byte[] { 1, 0, 8, 10 }, c["Bits"]); // class default
    }

    [Fact]
    public void Methods_and_array_sizes_survive_a_file_repository_reopen()
    {
        var db = Path.Combine(_dir, "repo.db");
        using (var s = CimLiteSession.Open(db)) s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) });
        using (var s = CimLiteSession.Open(db))
        {
            var m = s.GetClass("Disk").FindMethod("Format")!;
            Assert.Equal(3, m.Parameters.Count);
            Assert.Equal("how", m.Parameters[0].Qualifiers.Single(q => q.Name == "Description").Value);
            Assert.Equal(14, s.GetQualifierDeclarations().Count);
        }
    }

    [Fact]
    public void Includes_are_relative_to_the_including_file_and_pragma_namespace_switches()
    {
        Write("sub/quals.mof", Qualifiers);
        Write("sub/deeper/classes.mof", "#pragma include (\"../quals.mof\")\n class Thing { [Key] string Id; };");
        var root = Write("root.mof", "#pragma include (\"sub\\\\deeper\\\\classes.mof\")\n#pragma namespace (\"root/other\")\n" + Qualifiers + "class Other { [Key] string Id; };");
        var r = _s.ImportMof(new[] { root });
        Assert.Equal(3, r.Files.Count);
        Assert.NotNull(_s.FindClass("Thing"));
        Assert.Null(_s.FindClass("Other"));
        Assert.NotNull(_s.FindClass("Other", "root/other"));
        Assert.Equal(14, _s.GetQualifierDeclarations("root/other").Count);
    }

    [Fact]
    public void An_include_cycle_and_a_missing_file_are_errors_with_positions()
    {
        var a = Write("a.mof", "class A { };\n  #pragma include (\"b.mof\")");
        Write("b.mof", "#pragma include (\"a.mof\")");
        var e = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { a }));
        Assert.Contains("includes itself", e.Message);
        Assert.Equal((Path.Combine(_dir, "b.mof"), 1, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
        var missing = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { Path.Combine(_dir, "none.mof") }));
        Assert.Equal(CimStatus.NotFound, missing.Status);
        Assert.Null(_s.FindClass("A"));
    }

    [Fact]
    public void Without_qualifier_declarations_qualifiers_take_the_CIM_defaults()
    {
        _s.ImportMofText("[abstract] class B { }; class C : B { [key, Description(\"x\") : Restricted] string Id; [Values{\"a\"}] uint8 V = 7; };");
        var c = _s.GetClass("C");
        Assert.True(_s.GetClass("B").IsAbstract);
        Assert.True(c.FindProperty("Id")!.IsKey);
        Assert.True(c.FindProperty("Id")!.Find("Key")!.DisablesOverride);
        Assert.Equal(QualifierFlavor.Restricted, c.FindProperty("Id")!.Find("Description")!.Flavor);
        Assert.Equal((byte)7, c.FindProperty("V")!.DefaultValue);
    }

    [Fact]
    public void Existing_identical_classes_are_accepted_and_changed_ones_need_Force()
    {
        var file = Write("a.mof", Qualifiers + Sample);
        _s.ImportMof(new[] { file });
        var again = _s.ImportMof(new[] { file });
        Assert.Equal(3, again.ClassesUnchanged);
        Assert.Equal(14, again.QualifiersUnchanged);
        Assert.Equal(3, again.Instances.Count); // instances are put again (create or update)

        var changed = Write("b.mof", "[Abstract, Note(\"amended text\")] class Device { [MaxLen(64)] string Caption; string Extra; };");
        var e = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { changed }));
        Assert.Equal(CimStatus.AlreadyExists, e.Status);
        Assert.Equal((changed, 1, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
        Assert.Null(_s.GetClass("Disk").FindProperty("Extra"));

        var r = _s.ImportMof(new[] { changed }, new MofImportOptions { Force = true });
        Assert.Equal(1, r.ClassesUpdated);
        Assert.NotNull(_s.GetClass("Disk").FindProperty("Extra")); // subclasses see the change

        // A change that breaks a stored subclass is refused: Disk's keys need an abstract Device.
        var concrete = Write("d.mof", "class Device { [MaxLen(64)] string Caption; string Extra; };");
        var broken = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { concrete }, new MofImportOptions { Force = true }));
        Assert.Equal(CimStatus.InvalidParameter, broken.Status);
        Assert.Contains("Disk", broken.Message);
        Assert.True(_s.GetClass("Device").IsAbstract);

        // Keys cannot change while instances exist.
        var rekey = Write("c.mof", Qualifiers + "class Disk : Device { [Key] string Serial; string DeviceId; };");
        var k = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { rekey }, new MofImportOptions { Force = true }));
        Assert.Equal(CimStatus.ClassHasInstances, k.Status);
        Assert.Equal(Qualifiers.Split('\n').Length, k.SourceLine);
        Assert.True(_s.GetClass("Disk").FindProperty("DeviceId")!.IsKey);
    }

    [Fact]
    public void WhatIf_checks_everything_and_writes_nothing()
    {
        var r = _s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) }, new MofImportOptions { WhatIf = true });
        Assert.False(r.Committed);
        Assert.Equal(3, r.ClassesCreated);
        Assert.Null(_s.FindClass("Disk"));
        Assert.Empty(_s.GetQualifierDeclarations());
    }

    [Fact]
    public void Export_reads_back_to_the_same_classes_qualifiers_and_instances()
    {
        _s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) });
        var mof = _s.ExportMof(new MofExportOptions { IncludeInstances = true });
        using var copy = CimLiteSession.OpenInMemory();
        var r = copy.ImportMof(new[] { Write("export.mof", mof) });
        Assert.Equal(3, r.ClassesCreated);
        Assert.Equal(3, r.Instances.Count);
        Assert.Equal(mof, copy.ExportMof(new MofExportOptions { IncludeInstances = true }));
        var c = copy.GetInstance(InstancePath.Parse("Disk.DeviceId=\"C:\""));
        Assert.Equal(100UL, c["Size"]);
        Assert.Equal(new[] { "x" }, c["Tags"]);

        // One class brings its ancestors, so the file imports on its own.
        var one = _s.ExportMof(new MofExportOptions { ClassNames = new[] { "Disk" } });
        Assert.Contains("class Device {", one);
        Assert.DoesNotContain("class DiskLink", one);
    }

    private const string Embedding = @"
[Abstract] class Setting { string Name; };
class Limit : Setting { uint32 Max; Node REF Owner; [EmbeddedObject] string Extra; };
class Node { [Key] string Id; };
class Holder {
    [Key] string Id;
    [EmbeddedInstance(""Setting"")] string One;
    [EmbeddedInstance(""Setting"")] string Many[];
    [EmbeddedObject] string Any;
};
instance of Node as $n { Id = ""n1""; };
instance of Holder {
    Id = ""h"";
    One = instance of Limit { Name = ""cpu""; Max = 4; Owner = $n; Extra = instance of Node { Id = ""inner""; }; };
    Many = { instance of Limit { Max = 1; }, instance of Limit { Name = ""b""; } };
    Any = INSTANCE OF Node { Id = ""any""; };
};
";

    [Fact]
    public void Embedded_instance_values_are_stored_as_their_MOF_text_and_export_back_as_instances()
    {
        var r = _s.ImportMofText(Qualifiers + Embedding, "embed.mof");
        Assert.Equal(2, r.Instances.Count);
        var h = _s.GetInstance(InstancePath.Parse("Holder.Id=\"h\""));
        Assert.Equal("instance of Limit {\n   Name = \"cpu\";\n   Max = 4;\n   Owner = \"Node.Id=\\\"n1\\\"\";\n" +
            "   Extra = instance of Node {\n   Id = \"inner\";\n};\n};", h["One"]);
        var many = Assert.IsType<string[]>(h["Many"]);
        Assert.Equal(new[] { "instance of Limit {\n   Max = 1;\n};", "instance of Limit {\n   Name = \"b\";\n};" }, many);
        Assert.Equal("instance of Node {\n   Id = \"any\";\n};", h["Any"]);

        var mof = _s.ExportMof(new MofExportOptions { IncludeInstances = true });
        Assert.Contains("   One = instance of Limit {", mof);
        Assert.Contains("   Many = { instance of Limit {", mof);
        using var copy = CimLiteSession.OpenInMemory();
        copy.ImportMofText(mof, "export.mof");
        Assert.Equal(mof, copy.ExportMof(new MofExportOptions { IncludeInstances = true }));
        var h2 = copy.GetInstance(InstancePath.Parse("Holder.Id=\"h\""));
        Assert.Equal(h["One"], h2["One"]);
        Assert.Equal(h["Many"], h2["Many"]);
        Assert.Equal(h["Any"], h2["Any"]);
    }

    [Fact]
    public void Exporting_named_classes_with_instances_brings_the_classes_of_embedded_values()
    {
        _s.ImportMofText(Qualifiers + Embedding, "embed.mof");
        var mof = _s.ExportMof(new MofExportOptions { ClassNames = new[] { "Holder" }, IncludeInstances = true });
        Assert.Contains("class Limit : Setting {", mof);
        Assert.Contains("class Node {", mof);
        using var copy = CimLiteSession.OpenInMemory();
        var r = copy.ImportMofText(mof, "export.mof");
        Assert.Equal(4, r.ClassesCreated);
        Assert.Equal(_s.GetInstance(InstancePath.Parse("Holder.Id=\"h\""))["One"], copy.GetInstance(InstancePath.Parse("Holder.Id=\"h\""))["One"]);
        Assert.DoesNotContain("class Holder", _s.ExportMof(new MofExportOptions { ClassNames = new[] { "Limit" }, IncludeInstances = true }));
    }

    [Fact]
    public void A_plain_string_in_an_embedded_property_exports_as_a_string()
    {
        _s.ImportMofText(Qualifiers + Embedding, "embed.mof");
        var h = _s.GetInstance(InstancePath.Parse("Holder.Id=\"h\""));
        h["Any"] = "not mof";
        h["One"] = "instance of Nope {";
        var empty = Write("empty.mof", "// nothing\n");
        h["Many"] = new[] { "instance of Limit { };\n#pragma include (\"" + empty.Replace("\\", "/") + "\")\n// ;" };
        _s.PutInstance(h);
        var mof = _s.ExportMof(new MofExportOptions { IncludeInstances = true });
        Assert.Contains("   Any = \"not mof\";", mof);
        Assert.Contains("   Many = { \"instance of Limit { };\\n#pragma include", mof);
        Assert.Contains("   One = \"instance of Nope {\";", mof);
        using var copy = CimLiteSession.OpenInMemory();
        copy.ImportMofText(mof, "export.mof");
        Assert.Equal("not mof", copy.GetInstance(InstancePath.Parse("Holder.Id=\"h\""))["Any"]);
    }

    [Fact]
    public void Export_writes_references_into_the_namespace_relative_so_they_follow_an_import_elsewhere()
    {
        _s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) });
        var mof = _s.ExportMof(new MofExportOptions { IncludeInstances = true });
        Assert.Contains("   Left = \"Disk.DeviceId=\\\"C:\\\"\";", mof);
        Assert.DoesNotContain("root/cimv2:", mof);
        Assert.DoesNotContain("#pragma namespace", mof);
        using var copy = CimLiteSession.OpenInMemory();
        copy.ImportMofText(mof, "export.mof", new MofImportOptions { Namespace = "root/other" });
        var link = copy.EnumerateInstances("DiskLink", "root/other").Single();
        Assert.Equal("root/other:Disk.DeviceId=\"C:\"", link["Left"]);
        Assert.Equal("root/other:Disk.DeviceId=\"D:\"", link["Right"]);
    }

    [Fact]
    public void Export_of_another_namespace_starts_with_a_namespace_pragma()
    {
        _s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) }, new MofImportOptions { Namespace = "root/test" });
        var mof = _s.ExportMof(new MofExportOptions { Namespace = "root/test", IncludeInstances = true });
        Assert.Contains("\n#pragma namespace (\"root/test\")\n", mof);
        using var copy = CimLiteSession.OpenInMemory();
        var r = copy.ImportMofText(mof, "export.mof");
        Assert.Equal(3, r.ClassesCreated);
        Assert.NotNull(copy.FindClass("Disk", "root/test"));
        Assert.Null(copy.FindClass("Disk"));
        Assert.Equal("root/test:Disk.DeviceId=\"C:\"", copy.EnumerateInstances("DiskLink", "root/test").Single()["Left"]);
        Assert.Equal(mof, copy.ExportMof(new MofExportOptions { Namespace = "root/test", IncludeInstances = true }));
    }

    [Fact]
    public void Export_declares_qualifiers_used_without_a_declaration_so_the_file_imports_back()
    {
        _s.ImportMof(new[] { Write("a.mof", Qualifiers + Sample) });
        var extra = new CimClassDefinition("Extra");
        extra.Qualifiers.Add(new CimQualifier("Custom", 5L));
        extra.Qualifiers.Add(new CimQualifier("Flag", true));
        extra.Qualifiers.Add(new CimQualifier("Names", new[] { "a", "b" }));
        var p = new CimPropertyDefinition("P", CimTypeInfo.Parse("string"));
        p.Qualifiers.Add(new CimQualifier("Weight", 1.5));
        p.Qualifiers.Add(new CimQualifier("Key", true));
        extra.Properties.Add(p);
        _s.CreateClass(extra);
        var mof = _s.ExportMof();
        Assert.Contains("Qualifier Custom : sint64,", mof);
        Assert.Contains("Qualifier Names : string[],", mof);
        using var copy = CimLiteSession.OpenInMemory();
        copy.ImportMofText(mof, "export.mof");
        var c = copy.GetClass("Extra");
        Assert.Equal(5L, c.Find("Custom")!.Value);
        Assert.Equal(true, c.Find("Flag")!.Value);
        Assert.Equal(new object[] { "a", "b" }, (object[])c.Find("Names")!.Value!);
        Assert.Equal(1.5, c.FindProperty("P")!.Find("Weight")!.Value);
        Assert.Equal(_s.GetClass("Extra").Definition.Qualifiers.Select(q => q.Flavor), c.Definition.Qualifiers.Select(q => q.Flavor));
        Assert.Equal(mof, copy.ExportMof());
    }

    [Fact]
    public void A_locale_pragma_in_the_middle_of_a_file_stores_nothing_and_changes_no_parsing()
    {
        const string Head = "class Num { [Key] string Id; real64 R = 1.5; };\n";
        const string Tail = "class Later { [Key] string Id; real32 F = 2.25; string S = \"1,5\"; };\ninstance of Later { Id = \"x\"; F = -0.5e1; };\n";
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var r = _s.ImportMofText(Qualifiers + Head + "#pragma locale (\"de_DE\")\n" + Tail, "locale.mof");
            Assert.Empty(r.Warnings);
            using var plain = CimLiteSession.OpenInMemory();
            plain.ImportMofText(Qualifiers + Head + Tail, "plain.mof");
            Assert.Equal(plain.ExportMof(new MofExportOptions { IncludeInstances = true }), _s.ExportMof(new MofExportOptions { IncludeInstances = true }));
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
        Assert.Equal(2.25f, _s.GetClass("Later").FindProperty("F")!.DefaultValue);
        Assert.Equal(-5f, _s.EnumerateInstances("Later").Single()["F"]);
        Assert.NotNull(_s.FindClass("Later"));
    }

    [Fact]
    public void Qualifiers_on_instance_property_values_warn_with_file_line_and_column()
    {
        var r = _s.ImportMofText(Qualifiers + "class Q { [Key] string Id; string S; [EmbeddedObject] string E; };\n" +
            "instance of Q {\n  Id = \"a\";\n    [Description(\"x\")] S = \"s\";\n" +
            "  E = instance of Q { [MaxLen(3)] S = \"t\"; };\n};\n", "pq.mof");
        int line = Qualifiers.Split('\n').Length + 3;
        Assert.Equal(new[]
        {
            "pq.mof(" + line + ",6): " + "Qualifiers on instance property values are not stored (CimLite instances carry instance qualifiers only); ignored.",
            "pq.mof(" + (line + 1) + ",24): " + "Qualifiers on instance property values are not stored (CimLite instances carry instance qualifiers only); ignored.",
        }, r.Warnings);
    }

    [Fact]
    public void An_alias_may_be_used_before_the_instance_that_defines_it()
    {
        var r = _s.ImportMofText(Qualifiers + @"
class Node { [Key] string Id; };
[Association] class Edge { [Key] Node REF A; [Key] Node REF B; };
instance of Edge { A = $n1; [Description(""ignored"")] B = $n2; };
instance of Node as $n2 { Id = ""two""; };
instance of Node as $n1 { Id = ""one""; };
", "fwd.mof");
        Assert.Equal(3, r.Instances.Count);
        Assert.Equal("root/cimv2:Node.Id=\"two\"", _s.EnumerateInstances("Edge").Single()["B"]);
        Assert.Contains(r.Warnings, w => w.Contains("not stored") && w.StartsWith("fwd.mof("));
    }

    [Fact]
    public void Instances_whose_keys_need_each_other_are_a_cycle()
    {
        var e = Assert.Throws<CimLiteException>(() => _s.ImportMofText(Qualifiers + @"
class N { [Key] N REF Other; };
instance of N as $a { Other = $b; };
instance of N as $b { Other = $a; };
", "cycle.mof"));
        Assert.Contains("cycle", e.Message);
        Assert.Equal("cycle.mof", e.SourceFile);
        Assert.Null(_s.FindClass("N"));
    }

    [Fact]
    public void The_key_root_of_a_key_declared_key_less_by_an_abstract_ancestor_is_the_class_that_made_it_a_key()
    {
        _s.ImportMofText(@"[Abstract] class Element { string Name; };
[Abstract] class SystemA : Element { [Key] string Name; };
class Sys1 : SystemA { };
[Abstract] class Other : Element { [Key] string Name; };
class Other1 : Other { };
instance of Sys1 { Name = ""n""; };
instance of Other1 { Name = ""n""; };");
        Assert.Equal("SystemA", _s.GetClass("Sys1").KeyRootClass);
        Assert.Equal(2, _s.EnumerateInstances("Element").Count());
    }
}
