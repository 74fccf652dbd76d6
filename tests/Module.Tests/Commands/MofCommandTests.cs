using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>Import-CimLiteMof and Export-CimLiteMof in a hosted runspace, on small files and on the whole DMTF CIM Schema.</summary>
public sealed class MofCommandTests : CommandTestBase
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-mofcmd-" + Guid.NewGuid().ToString("N"));

    public MofCommandTests() : base(withSchema: false)
    {
        Directory.CreateDirectory(_dir);
        Run("$s = New-CimLiteSession -InMemory");
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static string SchemaRoot => CimLite.Testing.CimSchemaLocation.RequireRootFile();

    private const string Small = """
        Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);
        Qualifier Abstract : boolean = false, Scope(class, association, indication), Flavor(Restricted);
        [Abstract] class Base { [Key] string Id; };
        class Disk : Base { uint64 Size = 5; };
        instance of Disk { Id = "C:"; Size = 10; };
        """;

    [Fact]
    public void Import_WhatIf_calls_no_Put_handler_and_works_on_a_read_only_session()
    {
        // Issue 22 item 4: -WhatIf ran the registered -Put handlers of the classes it would fill.
        var db = Path.Combine(_dir, "repo.db");
        var marker = Path.Combine(_dir, "handler-ran.txt");
        var file = Write("inst.mof", "instance of Disk { Id = \"C:\"; };\n");
        Run($$"""
            $w = New-CimLiteSession -Path '{{db}}'
            $null = Import-CimLiteMof -Session $w -Path '{{Write("schema.mof", "class Disk { [Key] string Id; };\n")}}'
            $null = Register-CimLiteProvider -Session $w -ClassName Disk -Put { param($Context, $Instance) Set-Content -LiteralPath '{{marker}}' -Value 'ran' }
            Import-CimLiteMof -Session $w -Path '{{file}}' -WhatIf
            """);
        Assert.False(File.Exists(marker), "a -WhatIf import ran the -Put handler");
        Assert.Empty(Run("Get-CimLiteInstance -Session $w -ClassName Disk").Output);
        // On a read-only session -WhatIf checks the import without an error (it was ACCESS_DENIED); Run fails on any error.
        Run($$"""
            Remove-CimLiteSession $w
            $ro = New-CimLiteSession -Path '{{db}}' -ReadOnly
            Import-CimLiteMof -Session $ro -Path '{{file}}' -WhatIf
            """);
        Assert.Empty(Run("Get-CimLiteInstance -Session $ro -ClassName Disk").Output);
        var denied = SingleError($"Import-CimLiteMof -Session $ro -Path '{file}'");
        Assert.Equal("CimLite.AccessDenied,CimLite.Commands.ImportCimLiteMofCommand", denied.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("latin1")]
    public void Export_in_a_narrow_encoding_escapes_and_imports_back_the_same(string encoding)
    {
        // Issue 22 item 8: -Encoding ascii wrote M?ller, and the latin1 file did not import back the same.
        Run("""
            $null = Import-CimLiteMof -Session $s -Path $f
            """, new Hashtable { ["f"] = Write("p.mof", "class P { [Key] string Id; string Name; };\ninstance of P { Id = \"1\"; Name = \"Müller € 😀\"; };\n") });
        var file = Path.Combine(_dir, encoding + ".mof");
        Run($"Export-CimLiteMof -Session $s -IncludeInstances -Path '{file}' -Encoding {encoding}");
        Assert.DoesNotContain((byte)'?', File.ReadAllBytes(file));
        var name = Run($"$t = New-CimLiteSession -InMemory; $null = Import-CimLiteMof -Session $t -Path '{file}' -Encoding {encoding}; (Get-CimLiteInstance -Session $t -ClassName P).Name").Values.Single();
        Assert.Equal("Müller € 😀", name);
        if (encoding == "latin1")
        {
            // Read as UTF-8 (no -Encoding), the latin1 bytes are an error at their place, not silently U+FFFD.
            var e = SingleError($"$u = New-CimLiteSession -InMemory; Import-CimLiteMof -Session $u -Path '{file}'");
            Assert.Contains("latin1.mof(", e.Exception.Message);
            Assert.Contains("0xFC", e.Exception.Message);
        }
    }

    [Fact]
    public void Import_WritesAResult_AndTheClassesAndInstancesExist()
    {
        var file = Write("small.mof", Small);
        var result = Obj("Import-CimLiteMof -Session $s -Path $f", new Hashtable { ["f"] = file });
        Assert.Equal(2, Prop(result, "ClassesCreated"));
        Assert.Equal(2, Prop(result, "QualifiersCreated"));
        Assert.Equal(true, Prop(result, "Committed"));
        Assert.Equal(true, Eval("(Get-CimLiteClass -Session $s Base).IsAbstract"));
        Assert.Equal(10UL, Eval("(Get-CimLiteInstance -Session $s -ClassName Disk).Size"));
    }

    private PSObject Obj(string script, IDictionary variables) => Run(script, variables).Output.Single();

    [Fact]
    public void Import_TakesPipelineInputAndWildcards_AndReportsProgressPerFile()
    {
        Write("a1.mof", "Qualifier Key : boolean = false, Scope(property), Flavor(DisableOverride, ToSubclass);\nclass A { [Key] string Id; };");
        Write("a2.mof", "class B : A { };");
        var r = Run("$f = [System.IO.Directory]::GetFiles($d, 'a*.mof'); [Array]::Sort($f); $f | Import-CimLiteMof -Session $s -WhatIf; Import-CimLiteMof -Session $s -Path ($d + '/a*.mof')", new Hashtable { ["d"] = _dir });
        Assert.Equal(2, Prop(r.Output.Single(), "ClassesCreated"));
        Assert.Contains(r.Progress, p => p.StatusDescription != null && p.StatusDescription.Contains("a1.mof"));
        Assert.Contains(r.Progress, p => p.StatusDescription != null && p.StatusDescription.Contains("a2.mof"));
        Assert.Contains(r.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal("B", Text("(Get-CimLiteClass -Session $s B).ClassName"));
    }

    [Fact]
    public void Import_ASyntaxError_ImportsNothing_AndNamesFileLineAndColumn()
    {
        var file = Write("bad.mof", Small + "\nclass Broken { uint8 N = 300; };");
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{file}'");
        AssertCimError(e, "TypeMismatch", "ImportCimLiteMofCommand", ErrorCategory.InvalidType);
        Assert.Equal(file + "(6,26)", e.CategoryInfo.TargetName);
        Assert.Equal(file, e.TargetObject);
        Assert.StartsWith(file + "(6,26): ", e.Exception.Message);
        Assert.Equal(6, (int)PSObject.AsPSObject(e.Exception).Properties["SourceLine"].Value);
        Assert.Empty(Run("Get-CimLiteClass -Session $s").Output);
    }

    [Fact]
    public void Import_WhatIf_ChecksButWritesNothing()
    {
        var file = Write("small.mof", Small);
        var r = Run($"Import-CimLiteMof -Session $s -Path '{file}' -WhatIf");
        Assert.Empty(r.Output);
        Assert.Empty(Run("Get-CimLiteClass -Session $s").Output);
        var bad = Write("bad.mof", "class X : Missing { };");
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{bad}' -WhatIf");
        AssertCimError(e, "InvalidSuperclass", "ImportCimLiteMofCommand", ErrorCategory.MetadataError, bad + "(1,11)");
    }

    [Fact]
    public void Import_ChangedClass_NeedsForce()
    {
        Run($"$null = Import-CimLiteMof -Session $s -Path '{Write("small.mof", Small)}'");
        var changed = Write("changed.mof", "class Disk : Base { uint64 Size = 6; };");
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{changed}'");
        AssertCimError(e, "AlreadyExists", "ImportCimLiteMofCommand", ErrorCategory.ResourceExists, changed + "(1,1)");
        Assert.Equal(1, Prop(Run($"Import-CimLiteMof -Session $s -Path '{changed}' -Force").Output.Single(), "ClassesUpdated"));
        Assert.Equal(6UL, Eval("((Get-CimLiteClass -Session $s Disk).Properties | Where-Object Name -eq Size).DefaultValue"));
    }

    [Fact]
    public void Import_Force_RefusesAChangeThatWouldStrandStoredInstances()
    {
        // Issue 22 item 1: Disk holds C: (Size = 10); Size becoming a string would make it unreadable.
        Run($"$null = Import-CimLiteMof -Session $s -Path '{Write("small.mof", Small)}'");
        var changed = Write("retyped.mof", "class Disk : Base {\n  string Size;\n};");
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{changed}' -Force");
        AssertCimError(e, "ClassHasInstances", "ImportCimLiteMofCommand", ErrorCategory.MetadataError, changed + "(2,3)");
        Assert.Contains("'Size'", e.Exception.Message);
        Assert.Equal(10UL, Eval("(Get-CimLiteInstance -Session $s -ClassName Disk).Size"));
    }

    [Fact]
    public void Import_MaxFileSize_RefusesALargerIncludeAtTheIncludingLine()
    {
        // Issue 22 item 7: the size limit is overridable from the cmdlet.
        Write("big.mof", Small + new string(' ', 2000));
        var main = Write("main.mof", "#pragma include(\"big.mof\")\n");
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{main}' -MaxFileSize 1000");
        AssertCimError(e, "Failed", "ImportCimLiteMofCommand", ErrorCategory.NotSpecified, main + "(1,1)");
        Assert.Contains("1000", e.Exception.Message);
        Assert.Empty(Run("Get-CimLiteClass -Session $s").Output);
        Run($"$null = Import-CimLiteMof -Session $s -Path '{main}' -MaxFileSize 100000");
        Assert.Single(Run("Get-CimLiteInstance -Session $s -ClassName Disk").Output);
    }

    [Fact]
    public void Import_MissingFile_IsAnError()
    {
        var e = SingleError($"Import-CimLiteMof -Session $s -Path '{Path.Combine(_dir, "none.mof")}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Equal("CimLite.NotFound,CimLite.Commands.ImportCimLiteMofCommand", e.FullyQualifiedErrorId);
    }

    [Fact]
    public void Import_UnknownPragma_IsAWarning()
    {
        var r = Run($"Import-CimLiteMof -Session $s -Path '{Write("p.mof", "#pragma frobnicate(\"x\")\nclass A { };")}'");
        Assert.Contains(r.Warnings, w => w.Contains("frobnicate") && w.Contains("(1,9)"));
    }

    [Fact]
    public void Import_LiteralPath_TakesBracketsLiterally_AndAMissingFileIsAnError()
    {
        var file = Write("disk[1].mof", Small);
        var result = Obj($"Import-CimLiteMof -Session $s -LiteralPath '{file}'");
        Assert.Equal(2, Prop(result, "ClassesCreated"));
        // The same name as -Path is a wildcard pattern that matches nothing.
        Assert.Empty(Run($"$t0 = New-CimLiteSession -InMemory; Import-CimLiteMof -Session $t0 -Path '{file}'").Output);
        // Pipeline input by property name (PSPath, as file system items carry it) binds -LiteralPath too.
        Assert.Equal(2, Prop(Run($"$t = New-CimLiteSession -InMemory; [pscustomobject]@{{ PSPath = '{file}' }} | Import-CimLiteMof -Session $t").Output.Single(), "ClassesCreated"));
        var e = SingleError($"Import-CimLiteMof -Session $s -LiteralPath '{Path.Combine(_dir, "no[ne].mof")}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Contains("no[ne].mof", e.Exception.Message);
    }

    [Fact]
    public void Export_Encoding_AndNoClobber()
    {
        Run($"$null = Import-CimLiteMof -Session $s -Path '{Write("small.mof", Small)}'");
        var text = Text("Export-CimLiteMof -Session $s -IncludeInstances");
        var plain = Path.Combine(_dir, "plain.mof");
        Run($"Export-CimLiteMof -Session $s -IncludeInstances -Path '{plain}'");
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), File.ReadAllBytes(plain));
        var bom = Path.Combine(_dir, "bom.mof");
        Run($"Export-CimLiteMof -Session $s -IncludeInstances -Path '{bom}' -Encoding utf8BOM");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(bom).Take(3));
        var utf16 = Path.Combine(_dir, "utf16.mof");
        Run($"Export-CimLiteMof -Session $s -IncludeInstances -Path '{utf16}' -Encoding unicode");
        Assert.Equal(text, File.ReadAllText(utf16, System.Text.Encoding.Unicode));
        Run($"$t = New-CimLiteSession -InMemory; $null = Import-CimLiteMof -Session $t -Path '{utf16}'");
        Assert.Equal(10UL, Eval("(Get-CimLiteInstance -Session $t -ClassName Disk).Size"));

        // -NoClobber: an existing file is an error and stays as it was; a new file is written.
        File.WriteAllText(plain, "keep");
        var e = SingleError($"Export-CimLiteMof -Session $s -Path '{plain}' -NoClobber");
        Assert.Equal(ErrorCategory.ResourceExists, e.CategoryInfo.Category);
        Assert.Equal("CimLite.NoClobber,CimLite.Commands.ExportCimLiteMofCommand", e.FullyQualifiedErrorId);
        Assert.Equal("keep", File.ReadAllText(plain));
        var fresh = Path.Combine(_dir, "fresh.mof");
        Run($"Export-CimLiteMof -Session $s -Path '{fresh}' -NoClobber");
        Assert.True(File.Exists(fresh));
        // -WhatIf writes nothing whatever the encoding.
        var none = Path.Combine(_dir, "none.mof");
        Run($"Export-CimLiteMof -Session $s -Path '{none}' -Encoding utf32 -NoClobber -WhatIf");
        Assert.False(File.Exists(none));
        Assert.NotEmpty(Try($"Export-CimLiteMof -Session $s -Path '{none}' -Encoding klingon").Errors);
    }

    [Fact]
    public void Export_WritesMofThatImportsBack()
    {
        Run($"$null = Import-CimLiteMof -Session $s -Path '{Write("small.mof", Small)}'");
        var text = Text("Export-CimLiteMof -Session $s -IncludeInstances");
        Assert.Contains("class Disk : Base {", text);
        Assert.Contains("instance of Disk {", text);
        var out1 = Path.Combine(_dir, "out.mof");
        Run($"Export-CimLiteMof -Session $s -IncludeInstances -Path '{out1}'");
        Assert.Equal(text, File.ReadAllText(out1));
        Run($"$t = New-CimLiteSession -InMemory; $null = Import-CimLiteMof -Session $t -Path '{out1}'");
        Assert.Equal(10UL, Eval("(Get-CimLiteInstance -Session $t -ClassName Disk).Size"));
        Assert.Equal(text, Text("Export-CimLiteMof -Session $t -IncludeInstances"));
        // -WhatIf writes no file; an unknown class is an error.
        var out2 = Path.Combine(_dir, "none.mof");
        Run($"Export-CimLiteMof -Session $s -Path '{out2}' -WhatIf");
        Assert.False(File.Exists(out2));
        AssertCimError(SingleError("Export-CimLiteMof -Session $s -ClassName Nope"), "InvalidClass", "ExportCimLiteMofCommand", ErrorCategory.MetadataError, "Nope");
    }

    [CimLite.Testing.CimSchemaFact]
    public void The_whole_CIM_schema_imports_through_the_cmdlet_and_round_trips()
    {
        var r = Run("Import-CimLiteMof -Session $s -Path $p", new Hashtable { ["p"] = SchemaRoot });
        var created = (int)Prop(r.Output.Single(), "ClassesCreated")!;
        Assert.True(created > 1400);
        Assert.True(r.Progress.Count > 1400);
        Assert.Equal(new[] { "Name", "CreationClassName" }, Run("(Get-CimLiteClass -Session $s CIM_ComputerSystem).Properties | Where-Object IsKey | ForEach-Object Name").Values);
        Run("""
            $null = Set-CimLiteInstance -Session $s -ClassName CIM_ComputerSystem -Property @{ CreationClassName = 'CIM_ComputerSystem'; Name = 'host1' }
            """);
        var e = SingleError("Set-CimLiteInstance -Session $s -ClassName CIM_AdminDomain -Property @{ CreationClassName = 'CIM_ComputerSystem'; Name = 'host1' }");
        AssertCimError(e, "AlreadyExists", "SetCimLiteInstanceCommand", ErrorCategory.ResourceExists);
        var out1 = Path.Combine(_dir, "schema.mof");
        Run($"Export-CimLiteMof -Session $s -Path '{out1}'");
        var again = Run($"$t = New-CimLiteSession -InMemory; Import-CimLiteMof -Session $t -Path '{out1}'");
        Assert.Equal(created, Prop(again.Output.Single(), "ClassesCreated"));
    }
}
