// Bad input matrix (issue 6 item 3). Categories covered, for every one of the 17 cmdlets:
//  - wrong types: text/'300'/300 into uint8, arrays into scalars, hashtables and [pscustomobject] into strings,
//    non-session objects for -Session, strings for -InputObject, bad switch/int arguments
//  - $null and '' for mandatory and name parameters
//  - 10 MB strings as class/property/namespace/provider names, paths, queries and as values of an invalid put
//  - deeply nested arrays (1,000 levels) and huge arrays (1,000,000 elements) into scalar, array and qualifier values
//  - unicode, control characters, NUL, quotes and SQL fragments in names
//  - invalid CIM names (leading digit, space, dot, reserved '__' names, emoji) and namespaces ('//', '..', 'root\ci m')
//  - malformed instance paths (unbalanced quote, missing/unknown/duplicate key, wrong class, trailing garbage,
//    another server, bad namespace)
//  - hostile WQL (injection, statements other than SELECT, unknown properties, IN lists, 10,000-deep parentheses
//    and NOTs, unterminated strings and brackets, values of the wrong type, NUL)
//  - MOF files that are malformed, huge, binary, 10,000-deep embedded instances, include cycles, half-valid
//  - controls: a valid put changes the content hash, a valid read does not; valid-but-odd VALUES (unicode, emoji,
//    control characters, quotes and SQL text in keys) are stored and read back exactly from a reopened file
//
// Every bad case runs against a FILE repository with schema, instances and a queued indication, its session left
// open. The content hash covers the main file and the -wal file (the -shm file is SQLite's shared-memory index,
// rewritten by readers, not content). With WAL a committed write appends frames to the -wal file (or, after a
// checkpoint, changes the main file), and a rolled-back transaction writes neither: so an unchanged hash means
// nothing was written, and the positive control proves the hash sees a real write.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using CimLite.Tests.Commands;
using CimLite.Tests.TestUtilities;
using Xunit;
using Xunit.Abstractions;

namespace CimLite.Tests.Reliability;

/// <summary>One runspace (module imported, big values built once) shared by the rows of the matrix.</summary>
public sealed class BadInputFixture : IDisposable
{
    public BadInputFixture()
    {
        Host = new HostedRunspace();
        Host.Invoke("""
            $global:big = 'x' * 10MB
            $global:deep = 'v'
            for ($i = 0; $i -lt 1000; $i++) { $global:deep = ,$global:deep }
            $global:deeper = 'v'
            for ($i = 0; $i -lt 100000; $i++) { $global:deeper = ,$global:deeper }
            $global:million = [object[]](1..1000000)
            $global:millionText = [string[]](1..1000000)
            $global:deepParens = ('(' * 10000) + "DeviceId = 'C:'" + (')' * 10000)
            $global:deepNots = ('NOT ' * 10000) + "DeviceId = 'C:'"
            """).ThrowIfErrors();
    }

    public HostedRunspace Host { get; }

    public void Dispose() => Host.Dispose();
}

[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class BadInputTests : IClassFixture<BadInputFixture>, IDisposable
{
    /// <summary>Schema: Base (abstract, key DeviceId), Disk : Base, Vol (key Name, Label Required), Evt (indication).</summary>
    private const string SetupScript = """
        $global:s = New-CimLiteSession -Path $file
        $null = New-CimLiteClass -Session $s -ClassName Base -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $s -ClassName Disk -Superclass Base -Property @{ Size = 'uint64'; Wear = 'uint8'; Tags = 'string[]'; Counts = 'uint32[]'; When = 'datetime'; Other = 'ref:Disk'; Letter = 'char16' }
        $null = New-CimLiteClass -Session $s -ClassName Vol -Key Name -Property @{ Name = 'string'; Label = @{ Type = 'string'; Required = $true }; Note = 'string' }
        $null = New-CimLiteClass -Session $s -ClassName Evt -Indication -Property @{ Message = 'string' }
        $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:'; Size = 100; Wear = 5; Tags = 'a', 'b' }
        $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'D:'; Size = 200 }
        $null = New-CimLiteInstance -Session $s -ClassName Vol -Property @{ Name = 'V1'; Label = 'L' }
        $null = New-CimLiteInstance -Session $s -ClassName Evt -Property @{ Message = 'hello' }
        $global:disk = Get-CimLiteInstance -Session $s -ClassName Disk -Filter "DeviceId = 'C:'"
        """;

    /// <summary>One bad input: the script, the cmdlet it targets, and what the error must say.</summary>
    public sealed record Case(string Name, string Cmdlet, string Script, string Id, ErrorCategory Category, string Names);

    private static readonly ErrorCategory Meta = ErrorCategory.MetadataError;
    private static readonly ErrorCategory Arg = ErrorCategory.InvalidArgument;
    private static readonly ErrorCategory Data = ErrorCategory.InvalidData;
    private static readonly ErrorCategory Type = ErrorCategory.InvalidType;

    private const string Validation = "ParameterArgumentValidationError";
    private const string Transformation = "CannotConvertArgument";
    private const string BigNames = "(10485760 characters)";

    private static readonly Lazy<List<Case>> LazyCases = new(BuildCases);

    private static List<Case> Cases => LazyCases.Value;

    private static List<Case> BuildCases()
    {
        var c = new List<Case>();
        void Add(string name, string cmdlet, string script, string id, ErrorCategory category, string names) =>
            c.Add(new Case(name, cmdlet, script, id, category, names));

        // ---- New-CimLiteSession
        const string NS = "New-CimLiteSession";
        Add("NewSession: -Path $null", NS, "New-CimLiteSession -Path $null", Validation, Data, "Path");
        Add("NewSession: -Path ''", NS, "New-CimLiteSession -Path ''", Validation, Data, "Path");
        Add("NewSession: -Path a folder", NS, "New-CimLiteSession -Path $dir", "CimLite.InvalidParameter", Arg, "$dir");
        Add("NewSession: -Path a foreign text file", NS, "[IO.File]::WriteAllText(\"$dir/foreign.db\", 'not a database'); New-CimLiteSession -Path \"$dir/foreign.db\"", "CimLite.Failed", ErrorCategory.NotSpecified, "foreign.db");
        Add("NewSession: -Path with NUL", NS, "New-CimLiteSession -Path \"$dir/a`0b.db\"", "CimLite.InvalidParameter", Arg, "$dir/a");
        Add("NewSession: -Path 10 MB", NS, "New-CimLiteSession -Path $big", "CimLite.InvalidParameter", Arg, "xxxxxxxxxx… (");
        Add("NewSession: -Namespace 'root\\ci m'", NS, "New-CimLiteSession -InMemory -Namespace 'root\\ci m'", "CimLite.InvalidNamespace", Meta, "root\\ci m");
        Add("NewSession: -Namespace '..'", NS, "New-CimLiteSession -InMemory -Namespace '..'", "CimLite.InvalidNamespace", Meta, "'..'");

        // ---- Get-CimLiteSession / Remove-CimLiteSession
        Add("GetSession: -Default:'text' (not a switch)", "Get-CimLiteSession", "Get-CimLiteSession -Default:'text'", Transformation, Arg, "Default");
        Add("GetSession: -Nope (unknown parameter)", "Get-CimLiteSession", "Get-CimLiteSession -Nope", "NamedParameterNotFound", Arg, "Nope");
        Add("GetSession: positional 'x'", "Get-CimLiteSession", "Get-CimLiteSession 'x'", "PositionalParameterNotFound", Arg, "'x'");
        Add("RemoveSession: -Session $null", "Remove-CimLiteSession", "Remove-CimLiteSession -Session $null", Validation, Data, "Session");
        Add("RemoveSession: -Session 'text'", "Remove-CimLiteSession", "Remove-CimLiteSession -Session 'text'", Transformation, Arg, "Session");
        Add("RemoveSession: -Session @($s, $null)", "Remove-CimLiteSession", "Remove-CimLiteSession -Session @($s, $null)", Validation, Data, "Session");

        // ---- New-CimLiteClass: names
        const string NC = "New-CimLiteClass";
        Add("NewClass: -ClassName $null", NC, "New-CimLiteClass -Session $s -ClassName $null", Validation, Data, "ClassName");
        Add("NewClass: -ClassName ''", NC, "New-CimLiteClass -Session $s -ClassName ''", Validation, Data, "ClassName");
        foreach (var (label, expr, names) in BadNames)
        {
            Add("NewClass: -ClassName " + label, NC, "New-CimLiteClass -Session $s -ClassName " + expr + " -Property @{ A = 'string' }", "CimLite.InvalidParameter", Arg, names);
        }

        Add("NewClass: -ClassName '__System' (reserved)", NC, "New-CimLiteClass -Session $s -ClassName '__System'", "CimLite.InvalidParameter", Arg, "__System");
        Add("NewClass: -ClassName 10 MB", NC, "New-CimLiteClass -Session $s -ClassName $big", "CimLite.InvalidParameter", Arg, BigNames);
        Add("NewClass: property name '1x'", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ '1x' = 'string' }", "CimLite.InvalidParameter", Arg, "'1x'");
        Add("NewClass: property name ''", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ '' = 'string' }", "CimLite.InvalidParameter", Arg, "''");
        Add("NewClass: property name with SQL", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ \"x'; DROP TABLE instances;--\" = 'string' }", "CimLite.InvalidParameter", Arg, "DROP TABLE instances");
        Add("NewClass: property name 10 MB", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ $big = 'string' }", "CimLite.InvalidParameter", Arg, BigNames);
        Add("NewClass: property name '__PATH' (reserved)", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ '__PATH' = 'string' }", "CimLite.InvalidParameter", Arg, "__PATH");
        Add("NewClass: unknown type 'uint9'", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = 'uint9' }", "CimLite.TypeMismatch", Type, "uint9");
        Add("NewClass: type $null", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = $null }", "CimLite.InvalidParameter", Arg, "A");
        Add("NewClass: type 5 (a number)", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = 5 }", "CimLite.InvalidParameter", Arg, "'A'");
        Add("NewClass: type 10 MB", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = $big }", "CimLite.TypeMismatch", Type, BigNames);
        Add("NewClass: type nested 1000 deep", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = $deep }", "CimLite.InvalidParameter", Arg, "A");
        Add("NewClass: ref to an invalid class name", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = 'ref:1 Bad' }", "CimLite.", Type, "ref:1 Bad");
        Add("NewClass: ref with SQL", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = \"ref:x'; DROP TABLE classes;--\" }", "CimLite.", Type, "DROP TABLE classes");
        Add("NewClass: default '300' for uint8", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = @{ Type = 'uint8'; Default = '300' } }", "CimLite.TypeMismatch", Type, "300");
        Add("NewClass: -Key of a missing property", NC, "New-CimLiteClass -Session $s -ClassName Ok -Key Nope -Property @{ A = 'string' }", "CimLite.InvalidParameter", Arg, "Nope");
        Add("NewClass: -Key of a real", NC, "New-CimLiteClass -Session $s -ClassName Ok -Key A -Property @{ A = 'real64' }", "CimLite.InvalidParameter", Arg, "A");
        Add("NewClass: -Key '' ", NC, "New-CimLiteClass -Session $s -ClassName Ok -Key '' -Property @{ A = 'string' }", "CimLite.InvalidParameter", Arg, "''");
        Add("NewClass: -Superclass missing", NC, "New-CimLiteClass -Session $s -ClassName Ok -Superclass Nope", "CimLite.InvalidSuperclass", Meta, "Nope");
        Add("NewClass: -Superclass SQL", NC, "New-CimLiteClass -Session $s -ClassName Ok -Superclass \"x'; DROP TABLE classes;--\"", "CimLite.", Meta, "DROP TABLE classes");
        Add("NewClass: already exists", NC, "New-CimLiteClass -Session $s -ClassName Disk", "CimLite.AlreadyExists", ErrorCategory.ResourceExists, "Disk");
        Add("NewClass: -Property 'text' (not a hashtable)", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property 'A'", Transformation, Arg, "Property");
        Add("NewClass: qualifier value nested 1000 deep", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ Description = $deep }", "CimLite.InvalidParameter", Arg, "Description");
        Add("NewClass: qualifier value nested 100,000 deep", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ Description = $deeper }", "CimLite.InvalidParameter", Arg, "Description");
        Add("NewClass: type nested 100,000 deep", NC, "New-CimLiteClass -Session $s -ClassName Ok -Property @{ A = $deeper }", "CimLite.InvalidParameter", Arg, "A");
        Add("NewClass: qualifier value [pscustomobject]", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ Description = [pscustomobject]@{ a = 1 } }", "CimLite.InvalidParameter", Arg, "Description");
        Add("NewClass: qualifier name 'a b'", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ 'a b' = 1 }", "CimLite.InvalidParameter", Arg, "'a b'");
        Add("NewClass: qualifier name 10 MB", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ $big = 1 }", "CimLite.InvalidParameter", Arg, BigNames);
        Add("NewClass: qualifier flavor 'Bogus'", NC, "New-CimLiteClass -Session $s -ClassName Ok -Qualifier @{ Description = @{ Value = 'x'; Flavor = 'Bogus' } }", "CimLite.InvalidParameter", Arg, "Bogus");
        foreach (var (label, ns) in BadNamespaces)
        {
            Add("NewClass: -Namespace " + label, NC, "New-CimLiteClass -Session $s -ClassName Ok -Namespace " + ns, "CimLite.InvalidNamespace", Meta, label.Trim('\''));
        }

        // ---- Get-CimLiteClass / Remove-CimLiteClass
        Add("GetClass: missing class with SQL", "Get-CimLiteClass", "Get-CimLiteClass -Session $s -ClassName \"x'; DROP TABLE classes;--\"", "CimLite.InvalidClass", Meta, "DROP TABLE classes");
        Add("GetClass: -ClassName 10 MB", "Get-CimLiteClass", "Get-CimLiteClass -Session $s -ClassName $big", "CimLite.InvalidClass", Meta, BigNames);
        Add("GetClass: -Namespace 'root\\ci m'", "Get-CimLiteClass", "Get-CimLiteClass -Session $s -Namespace 'root\\ci m'", "CimLite.InvalidNamespace", Meta, "root\\ci m");
        Add("GetClass: -Namespace ''", "Get-CimLiteClass", "Get-CimLiteClass -Session $s -Namespace ''", Validation, Data, "Namespace");
        Add("GetClass: -Session 'text'", "Get-CimLiteClass", "Get-CimLiteClass -Session 'text'", Transformation, Arg, "Session");
        const string RC = "Remove-CimLiteClass";
        Add("RemoveClass: -ClassName $null", RC, "Remove-CimLiteClass -Session $s -ClassName $null -Confirm:$false", Validation, Data, "ClassName");
        Add("RemoveClass: -ClassName 'Di sk'", RC, "Remove-CimLiteClass -Session $s -ClassName 'Di sk' -Confirm:$false", "CimLite.InvalidClass", Meta, "Di sk");
        Add("RemoveClass: -ClassName SQL", RC, "Remove-CimLiteClass -Session $s -ClassName \"x'; DROP TABLE instances;--\" -Confirm:$false", "CimLite.InvalidClass", Meta, "DROP TABLE instances");
        Add("RemoveClass: -ClassName 10 MB", RC, "Remove-CimLiteClass -Session $s -ClassName $big -Confirm:$false", "CimLite.InvalidClass", Meta, BigNames);
        Add("RemoveClass: has instances", RC, "Remove-CimLiteClass -Session $s -ClassName Disk -Confirm:$false", "CimLite.ClassHasInstances", Meta, "Disk");
        Add("RemoveClass: has children", RC, "Remove-CimLiteClass -Session $s -ClassName Base -Confirm:$false", "CimLite.ClassHasChildren", Meta, "Base");
        Add("RemoveClass: -Namespace '//'", RC, "Remove-CimLiteClass -Session $s -ClassName Disk -Namespace '//' -Confirm:$false", "CimLite.InvalidNamespace", Meta, "//");

        // ---- New-CimLiteInstance / Set-CimLiteInstance: values
        foreach (var (cmdlet, prefix) in new[] { ("New-CimLiteInstance", "New-CimLiteInstance -Session $s -ClassName Disk"), ("Set-CimLiteInstance", "Set-CimLiteInstance -Session $s -ClassName Disk -CreateOnly") })
        {
            var k = cmdlet.StartsWith("New", StringComparison.Ordinal) ? "NewInstance" : "SetInstance";
            void Put(string label, string props, string id, ErrorCategory category, string names) =>
                Add(k + ": " + label, cmdlet, prefix + " -Property @{ " + props + " }", id, category, names);
            Put("'abc' into uint8", "DeviceId = 'Z:'; Wear = 'abc'", "CimLite.TypeMismatch", Type, "Wear");
            Put("'300' into uint8", "DeviceId = 'Z:'; Wear = '300'", "CimLite.TypeMismatch", Type, "300");
            Put("-1 into uint64", "DeviceId = 'Z:'; Size = -1", "CimLite.TypeMismatch", Type, "Size");
            Put("1e30 into uint64", "DeviceId = 'Z:'; Size = 1e30", "CimLite.TypeMismatch", Type, "Size");
            Put("array into scalar", "DeviceId = 'Z:'; Size = @(1, 2)", "CimLite.TypeMismatch", Type, "Size");
            Put("hashtable into string", "DeviceId = 'Z:'; Caption = @{ a = 1 }", "CimLite.TypeMismatch", Type, "Caption");
            Put("[pscustomobject] into string", "DeviceId = 'Z:'; Caption = [pscustomobject]@{ a = 1 }", "CimLite.TypeMismatch", Type, "Caption");
            Put("scriptblock into uint8", "DeviceId = 'Z:'; Wear = { 1 }", "CimLite.TypeMismatch", Type, "Wear");
            Put("'ab' into char16", "DeviceId = 'Z:'; Letter = 'ab'", "CimLite.TypeMismatch", Type, "Letter");
            Put("text into datetime", "DeviceId = 'Z:'; When = 'yesterday-ish'", "CimLite.TypeMismatch", Type, "When");
            Put("garbage into reference", "DeviceId = 'Z:'; Other = 'Disk.DeviceId=\"'", "CimLite.TypeMismatch", Type, "Other");
            Put("hashtable into string[]", "DeviceId = 'Z:'; Tags = @{ a = 1 }", "CimLite.TypeMismatch", Type, "Tags");
            Put("null element in string[]", "DeviceId = 'Z:'; Tags = @('a', $null)", "CimLite.TypeMismatch", Type, "Tags");
            Put("nested 1000 deep into string", "DeviceId = 'Z:'; Caption = $deep", "CimLite.TypeMismatch", Type, "Caption");
            Put("nested 1000 deep into string[]", "DeviceId = 'Z:'; Tags = $deep", "CimLite.TypeMismatch", Type, "Tags");
            Put("nested 100,000 deep into string", "DeviceId = 'Z:'; Caption = $deeper", "CimLite.TypeMismatch", Type, "Caption");
            Put("nested 100,000 deep into string[]", "DeviceId = 'Z:'; Tags = $deeper", "CimLite.TypeMismatch", Type, "Tags");
            Put("1e6 elements into scalar", "DeviceId = 'Z:'; Size = $million", "CimLite.TypeMismatch", Type, "Size");
            Put("1e6 texts into uint32[]", "DeviceId = 'Z:'; Counts = $millionText + 'x'", "CimLite.TypeMismatch", Type, "Counts");
            Put("1e6 numbers into uint32[] with one -1", "DeviceId = 'Z:'; Counts = $million + -1", "CimLite.TypeMismatch", Type, "Counts");
            Put("10 MB value with the key missing", "Caption = $big", "CimLite.IllegalNull", Data, "DeviceId");
            Put("10 MB value into uint8", "DeviceId = 'Z:'; Wear = $big", "CimLite.TypeMismatch", Type, "Wear");
            Put("10 MB key value plus unknown property", "DeviceId = $big; Nope = 1", "CimLite.NoSuchProperty", Meta, "Nope");
            Put("10 MB property name", "DeviceId = 'Z:'; $big = 1", "CimLite.NoSuchProperty", Meta, BigNames);
            Put("unknown property with SQL", "DeviceId = 'Z:'; \"x'; DROP TABLE instances;--\" = 1", "CimLite.NoSuchProperty", Meta, "DROP TABLE instances");
            Put("property name with NUL", "DeviceId = 'Z:'; \"Si`0ze\" = 1", "CimLite.NoSuchProperty", Meta, "Si");
            Put("key $null", "DeviceId = $null; Size = 1", "CimLite.IllegalNull", Data, "DeviceId");
            Put("key already exists", "DeviceId = 'C:'", "CimLite.AlreadyExists", ErrorCategory.ResourceExists, "C:");
            Add(k + ": -ClassName $null", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName $null") + " -Property @{ DeviceId = 'Z:' }", Validation, Data, "ClassName");
            Add(k + ": -ClassName ''", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName ''") + " -Property @{ DeviceId = 'Z:' }", Validation, Data, "ClassName");
            Add(k + ": -ClassName 10 MB", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName $big") + " -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidClass", Meta, BigNames);
            Add(k + ": -ClassName SQL", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName \"Disk'; DROP TABLE instances;--\"") + " -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidClass", Meta, "DROP TABLE instances");
            Add(k + ": -ClassName with control characters", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName \"Di`r`nsk\"") + " -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidClass", Meta, "Di");
            Add(k + ": abstract class", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName Base") + " -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidOperation", ErrorCategory.InvalidOperation, "Base");
            Add(k + ": Required property null", cmdlet, prefix.Replace("-ClassName Disk", "-ClassName Vol") + " -Property @{ Name = 'V2' }", "CimLite.IllegalNull", Data, "Label");
            Add(k + ": -Namespace 'root\\ci m'", cmdlet, prefix + " -Namespace 'root\\ci m' -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidNamespace", Meta, "root\\ci m");
            Add(k + ": -Namespace 10 MB", cmdlet, prefix + " -Namespace $big -Property @{ DeviceId = 'Z:' }", "CimLite.InvalidNamespace", Meta, BigNames);
            Add(k + ": -Property 'text'", cmdlet, prefix + " -Property 'DeviceId'", Transformation, Arg, "Property");
        }

        const string NI = "New-CimLiteInstance";
        Add("NewInstance: -Property $null", NI, "New-CimLiteInstance -Session $s -ClassName Disk -Property $null", "CimLite.IllegalNull", Data, "DeviceId");
        Add("NewInstance: qualifier nested 1000 deep", NI, "New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'Z:' } -Qualifier @{ Note = $deep }", "CimLite.InvalidParameter", Arg, "Note");
        Add("NewInstance: qualifier 1e6 elements of objects", NI, "New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'Z:' } -Qualifier @{ Note = $million + [pscustomobject]@{ a = 1 } }", "CimLite.InvalidParameter", Arg, "Note");
        Add("NewInstance: indication with bad value", NI, "New-CimLiteInstance -Session $s -ClassName Evt -Property @{ Message = @{ a = 1 } }", "CimLite.TypeMismatch", Type, "Message");

        const string SI = "Set-CimLiteInstance";
        Add("SetInstance: -InputObject 'text'", SI, "Set-CimLiteInstance -Session $s -InputObject 'text'", Transformation, Arg, "InputObject");
        Add("SetInstance: -InputObject $null", SI, "Set-CimLiteInstance -Session $s -InputObject $null", Validation, Data, "InputObject");
        Add("SetInstance: partial '300' into uint8", SI, "Set-CimLiteInstance -Session $s -InputObject $disk -Property @{ Wear = '300' }", "CimLite.TypeMismatch", Type, "300");
        Add("SetInstance: partial unknown property", SI, "Set-CimLiteInstance -Session $s -InputObject $disk -Property @{ Nope = 1 }", "CimLite.NoSuchProperty", Meta, "Nope");
        Add("SetInstance: partial 1e6 into scalar", SI, "Set-CimLiteInstance -Session $s -InputObject $disk -Property @{ Size = $million }", "CimLite.TypeMismatch", Type, "Size");
        Add("SetInstance: -Key array value", SI, "Set-CimLiteInstance -Session $s -ClassName Disk -Key @{ DeviceId = @('C:', 'D:') } -Property @{ Size = 1 }", "CimLite.TypeMismatch", Type, "DeviceId");
        Add("SetInstance: -Key unknown name", SI, "Set-CimLiteInstance -Session $s -ClassName Disk -Key @{ Nope = 'C:' } -Property @{ Size = 1 }", "CimLite.", Meta, "Nope");
        Add("SetInstance: -Key of missing instance", SI, "Set-CimLiteInstance -Session $s -ClassName Disk -Key @{ DeviceId = \"x'; DROP TABLE instances;--\" } -Property @{ Size = 1 }", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "DROP TABLE instances");
        Add("SetInstance: -UpdateOnly missing instance", SI, "Set-CimLiteInstance -Session $s -ClassName Disk -UpdateOnly -Property @{ DeviceId = 'Z:' }", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "Z:");
        Add("SetInstance: indication class", SI, "Set-CimLiteInstance -Session $s -ClassName Evt -Property @{ Message = 'x' }", "CimLite.InvalidOperation", ErrorCategory.InvalidOperation, "Evt");
        Add("SetInstance: modified object, then bad value", SI, "$d = $disk; $d.Caption = 'changed'; Set-CimLiteInstance -Session $s -InputObject $d -Property @{ Caption = 'x'; Wear = -1 }", "CimLite.TypeMismatch", Type, "Wear");

        // ---- Get-CimLiteInstance / Remove-CimLiteInstance: names, paths, WQL
        const string GI = "Get-CimLiteInstance";
        const string RI = "Remove-CimLiteInstance";
        Add("GetInstance: -ClassName $null", GI, "Get-CimLiteInstance -Session $s -ClassName $null", Validation, Data, "ClassName");
        Add("GetInstance: -ClassName SQL", GI, "Get-CimLiteInstance -Session $s -ClassName \"Disk'; DROP TABLE instances;--\"", "CimLite.InvalidClass", Meta, "DROP TABLE instances");
        Add("GetInstance: -ClassName 10 MB", GI, "Get-CimLiteInstance -Session $s -ClassName $big", "CimLite.InvalidClass", Meta, BigNames);
        Add("GetInstance: -ClassName unicode", GI, "Get-CimLiteInstance -Session $s -ClassName 'Dïsk😀'", "CimLite.InvalidClass", Meta, "Dïsk😀");
        Add("GetInstance: -InputObject 'text'", GI, "Get-CimLiteInstance -Session $s -InputObject 'text'", Transformation, Arg, "InputObject");
        Add("GetInstance: -Namespace '..'", GI, "Get-CimLiteInstance -Session $s -ClassName Disk -Namespace '..'", "CimLite.InvalidNamespace", Meta, "..");
        foreach (var (label, path, id, category, names) in BadPaths)
        {
            Add("GetInstance: -Path " + label, GI, "Get-CimLiteInstance -Session $s -Path " + path, id, category, names);
            Add("RemoveInstance: -Path " + label, RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -Path " + path, id, category, names);
        }

        foreach (var (label, wql, id, names) in HostileQueries)
        {
            Add("GetInstance: -Query " + label, GI, "Get-CimLiteInstance -Session $s -Query " + wql, id, id == "CimLite.InvalidClass" ? Meta : Arg, names);
            Add("RemoveInstance: -Query " + label, RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -Query " + wql, id, id == "CimLite.InvalidClass" ? Meta : Arg, names);
        }

        foreach (var (label, filter, names) in HostileFilters)
        {
            Add("GetInstance: -Filter " + label, GI, "Get-CimLiteInstance -Session $s -ClassName Disk -Filter " + filter, "CimLite.InvalidQuery", Arg, names);
            Add("RemoveInstance: -Filter " + label, RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -ClassName Disk -Filter " + filter, "CimLite.InvalidQuery", Arg, names);
        }

        Add("RemoveInstance: -InputObject 'text'", RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -InputObject 'text'", Transformation, Arg, "InputObject");
        Add("RemoveInstance: -InputObject $null", RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -InputObject $null", Validation, Data, "InputObject");
        Add("RemoveInstance: -Path $null", RI, "Remove-CimLiteInstance -Session $s -Confirm:$false -Path $null", Validation, Data, "Path");

        // ---- Providers
        const string RP = "Register-CimLiteProvider";
        Add("RegisterProvider: -ClassName $null", RP, "Register-CimLiteProvider -Session $s -ClassName $null -Put { }", Validation, Data, "ClassName");
        Add("RegisterProvider: missing class with SQL", RP, "Register-CimLiteProvider -Session $s -ClassName \"x'; DROP TABLE classes;--\" -Put { }", "CimLite.InvalidClass", Meta, "DROP TABLE classes");
        Add("RegisterProvider: -ClassName 10 MB", RP, "Register-CimLiteProvider -Session $s -ClassName $big -Put { }", "CimLite.InvalidClass", Meta, BigNames);
        Add("RegisterProvider: -Type [string]", RP, "Register-CimLiteProvider -Session $s -ClassName Disk -Type ([string])", "CimLite.", Arg, "System.String");
        Add("RegisterProvider: -Type $null", RP, "Register-CimLiteProvider -Session $s -ClassName Disk -Type $null", Validation, Data, "Type");
        Add("RegisterProvider: -Put 'text' (not a scriptblock)", RP, "Register-CimLiteProvider -Session $s -ClassName Disk -Put 'text'", Transformation, Arg, "Put");
        Add("RegisterProvider: -Namespace 'root\\ci m'", RP, "Register-CimLiteProvider -Session $s -ClassName Disk -Namespace 'root\\ci m' -Put { }", "CimLite.InvalidNamespace", Meta, "root\\ci m");
        Add("RegisterProvider: then a bad put through it", SI, "Register-CimLiteProvider -Session $s -ClassName Disk -Put { param($Context, $Instance) throw 'provider says no' }; Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'Z:' }", "CimLite.ProviderFailure", ErrorCategory.NotSpecified, "Disk");
        Add("GetProvider: -Namespace '//'", "Get-CimLiteProvider", "Get-CimLiteProvider -Session $s -Namespace '//'", "CimLite.InvalidNamespace", Meta, "//");
        Add("GetProvider: -Namespace 10 MB", "Get-CimLiteProvider", "Get-CimLiteProvider -Session $s -Namespace $big", "CimLite.InvalidNamespace", Meta, BigNames);
        Add("GetProvider: -ClassName bad wildcard '[a'", "Get-CimLiteProvider", "Register-CimLiteProvider -Session $s -ClassName Disk -Get { }; Get-CimLiteProvider -Session $s -ClassName '[a'", "CimLite.InvalidParameter", Arg, "'[a'");
        Add("GetProvider: -Session 42", "Get-CimLiteProvider", "Get-CimLiteProvider -Session 42", Transformation, Arg, "Session");
        const string UP = "Unregister-CimLiteProvider";
        Add("UnregisterProvider: -ClassName $null", UP, "Unregister-CimLiteProvider -Session $s -ClassName $null", Validation, Data, "ClassName");
        Add("UnregisterProvider: not registered, SQL", UP, "Unregister-CimLiteProvider -Session $s -ClassName \"x'; DROP TABLE classes;--\"", "CimLite.", ErrorCategory.ObjectNotFound, "DROP TABLE classes");
        Add("UnregisterProvider: -Namespace '..'", UP, "Unregister-CimLiteProvider -Session $s -ClassName Disk -Namespace '..'", "CimLite.InvalidNamespace", Meta, "..");

        // ---- Receive-CimLitePosted
        const string RCV = "Receive-CimLitePosted";
        Add("Receive: -ClassName SQL", RCV, "Receive-CimLitePosted -Session $s -ClassName \"Evt'; DELETE FROM posted;--\"", "CimLite.InvalidClass", Meta, "DELETE FROM posted");
        Add("Receive: -ClassName 10 MB", RCV, "Receive-CimLitePosted -Session $s -ClassName $big", "CimLite.InvalidClass", Meta, BigNames);
        Add("Receive: -ClassName ''", RCV, "Receive-CimLitePosted -Session $s -ClassName ''", Validation, Data, "ClassName");
        Add("Receive: -First 0", RCV, "Receive-CimLitePosted -Session $s -First 0", Validation, Data, "First");
        Add("Receive: -First 'many'", RCV, "Receive-CimLitePosted -Session $s -First 'many'", Transformation, Arg, "First");
        Add("Receive: -Timeout -1", RCV, "Receive-CimLitePosted -Session $s -Timeout -1", Validation, Data, "Timeout");
        Add("Receive: -Namespace 'root\\ci m'", RCV, "Receive-CimLitePosted -Session $s -Namespace 'root\\ci m'", "CimLite.InvalidNamespace", Meta, "root\\ci m");
        Add("Receive: class that is not an indication", RCV, "Receive-CimLitePosted -Session $s -ClassName Disk", "CimLite.InvalidClass", Meta, "not an indication");

        // ---- Invoke-CimLiteMethod and New-CimLiteProviderType (issue 14)
        const string IMM = "Invoke-CimLiteMethod";
        Add("InvokeMethod: unknown method, SQL", IMM, "Invoke-CimLiteMethod -Session $s -ClassName Disk -MethodName \"x'; DROP TABLE classes;--\"", "CimLite.MethodNotFound", Meta, "DROP TABLE classes");
        Add("InvokeMethod: -MethodName ''", IMM, "Invoke-CimLiteMethod -Session $s -ClassName Disk -MethodName ''", Validation, Data, "MethodName");
        Add("InvokeMethod: -Arguments 'text'", IMM, "Invoke-CimLiteMethod -Session $s -ClassName Disk -MethodName M -Arguments 'text'", Transformation, Arg, "Arguments");
        Add("InvokeMethod: -Namespace '..'", IMM, "Invoke-CimLiteMethod -Session $s -ClassName Disk -MethodName M -Namespace '..'", "CimLite.InvalidNamespace", Meta, "..");
        const string NPT = "New-CimLiteProviderType";
        Add("ProviderType: -ClassName SQL", NPT, "New-CimLiteProviderType -Session $s -ClassName \"x'; DROP TABLE classes;--\" -Path ([IO.Path]::Combine($dir, 'p.cs'))", "CimLite.InvalidClass", Meta, "DROP TABLE classes");
        Add("ProviderType: -Path ''", NPT, "New-CimLiteProviderType -Session $s -ClassName Disk -Path ''", Validation, Data, "Path");
        Add("ProviderType: -Namespace '..'", NPT, "New-CimLiteProviderType -Session $s -ClassName Disk -Path ([IO.Path]::Combine($dir, 'p.cs')) -Namespace '..'", "CimLite.InvalidNamespace", Meta, "..");
        // ---- Repository care (issue 16)
        Add("GetRepository: -Path ''", "Get-CimLiteRepository", "Get-CimLiteRepository -Path ''", Validation, Data, "Path");
        Add("GetRepository: missing file", "Get-CimLiteRepository", "Get-CimLiteRepository -Path \"$dir/missing.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("GetRepository: a folder", "Get-CimLiteRepository", "Get-CimLiteRepository -Path $dir", "CimLite.InvalidParameter", Arg, "folder");
        Add("TestRepository: -Path ''", "Test-CimLiteRepository", "Test-CimLiteRepository -Path ''", Validation, Data, "Path");
        Add("TestRepository: missing file", "Test-CimLiteRepository", "Test-CimLiteRepository -Path \"$dir/missing.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("TestRepository: a folder", "Test-CimLiteRepository", "Test-CimLiteRepository -Path $dir", "CimLite.InvalidParameter", Arg, "folder");
        Add("OptimizeRepository: -Path ''", "Optimize-CimLiteRepository", "Optimize-CimLiteRepository -Path ''", Validation, Data, "Path");
        Add("OptimizeRepository: missing file", "Optimize-CimLiteRepository", "Optimize-CimLiteRepository -Path \"$dir/missing.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("OptimizeRepository: a folder", "Optimize-CimLiteRepository", "Optimize-CimLiteRepository -Path $dir", "CimLite.InvalidParameter", Arg, "folder");
        Add("CopyRepository: -Source $null", "Copy-CimLiteRepository", "Copy-CimLiteRepository -Source $null -Destination $s", Validation, Data, "Source");
        Add("CopyRepository: -Destination 'text'", "Copy-CimLiteRepository", "Copy-CimLiteRepository -Source $s -Destination 'text'", Transformation, Arg, "Destination");
        Add("CopyRepository: into itself", "Copy-CimLiteRepository", "Copy-CimLiteRepository -Source $s -Destination $s", "CimLite.InvalidParameter", Arg, "destination");
        Add("BackupRepository: -Path ''", "Backup-CimLiteRepository", "Backup-CimLiteRepository -Path '' -Destination \"$dir/b.db\"", Validation, Data, "Path");
        Add("BackupRepository: missing file", "Backup-CimLiteRepository", "Backup-CimLiteRepository -Path \"$dir/missing.db\" -Destination \"$dir/b.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("BackupRepository: a folder", "Backup-CimLiteRepository", "Backup-CimLiteRepository -Path $dir -Destination \"$dir/b.db\"", "CimLite.InvalidParameter", Arg, "folder");
        Add("RestoreRepository: -Path ''", "Restore-CimLiteRepository", "Restore-CimLiteRepository -Path '' -Destination \"$dir/r.db\"", Validation, Data, "Path");
        Add("RestoreRepository: missing file", "Restore-CimLiteRepository", "Restore-CimLiteRepository -Path \"$dir/missing.db\" -Destination \"$dir/r.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("RestoreRepository: a folder", "Restore-CimLiteRepository", "Restore-CimLiteRepository -Path $dir -Destination \"$dir/r.db\"", "CimLite.InvalidParameter", Arg, "folder");
        Add("RepairRepository: -Path ''", "Repair-CimLiteRepository", "Repair-CimLiteRepository -Path '' -Destination \"$dir/s.db\"", Validation, Data, "Path");
        Add("RepairRepository: missing file", "Repair-CimLiteRepository", "Repair-CimLiteRepository -Path \"$dir/missing.db\" -Destination \"$dir/s.db\"", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.db");
        Add("RepairRepository: a folder", "Repair-CimLiteRepository", "Repair-CimLiteRepository -Path $dir -Destination \"$dir/s.db\"", "CimLite.InvalidParameter", Arg, "folder");

        // ---- Use-CimLiteForCimCmdlets
        const string USE = "Use-CimLiteForCimCmdlets";
        Add("UseStandIn: -Session 'text'", USE, "Use-CimLiteForCimCmdlets -Session 'text'", Transformation, Arg, "Session");
        Add("UseStandIn: -Session $null", USE, "Use-CimLiteForCimCmdlets -Session $null", Validation, Data, "Session");
        Add("UseStandIn: -Remove with -Force", USE, "Use-CimLiteForCimCmdlets -Remove -Force", "AmbiguousParameterSet", Arg, "");
        Add("UseStandIn: -Remove:'text' (not a switch)", USE, "Use-CimLiteForCimCmdlets -Remove:'text'", Transformation, Arg, "Remove");

        // ---- Register-CimLiteIndicationEvent
        const string RIE = "Register-CimLiteIndicationEvent";
        Add("RegisterEvent: class that is not an indication", RIE, "Register-CimLiteIndicationEvent -Session $s -ClassName Disk", "CimLite.InvalidClass", Meta, "not an indication");
        Add("RegisterEvent: -ClassName SQL", RIE, "Register-CimLiteIndicationEvent -Session $s -ClassName \"Evt'; DELETE FROM posted;--\"", "CimLite.InvalidClass", Meta, "DELETE FROM posted");
        Add("RegisterEvent: -Query malformed", RIE, "Register-CimLiteIndicationEvent -Session $s -Query 'SELECT FROM'", "CimLite.InvalidQuery", Arg, "position");
        Add("RegisterEvent: -Query unknown property", RIE, "Register-CimLiteIndicationEvent -Session $s -Query 'SELECT * FROM Evt WHERE Nope = 1'", "CimLite.InvalidQuery", Arg, "Nope");
        Add("RegisterEvent: -QueryDialect CQL", RIE, "Register-CimLiteIndicationEvent -Session $s -Query 'SELECT * FROM Evt' -QueryDialect CQL", Validation, Data, "QueryDialect");
        Add("RegisterEvent: -MaxTriggerCount -1", RIE, "Register-CimLiteIndicationEvent -Session $s Evt -MaxTriggerCount -1", Validation, Data, "MaxTriggerCount");
        Add("RegisterEvent: -Namespace 'root\\ci m'", RIE, "Register-CimLiteIndicationEvent -Session $s Evt -Namespace 'root\\ci m'", "CimLite.InvalidNamespace", Meta, "root\\ci m");

        // ---- Import-CimLiteMof
        const string IM = "Import-CimLiteMof";
        void Mof(string label, string content, string id, ErrorCategory category, string names) =>
            Add("ImportMof: " + label, IM, "$m = [IO.Path]::Combine($dir, 'bad.mof'); " + content + "; Import-CimLiteMof -Session $s -LiteralPath $m", id, category, names);
        Mof("syntax error", "[IO.File]::WriteAllText($m, \"class Foo`n{`n  string A`n};\")", "CimLite.", Arg, "bad.mof(");
        Mof("binary bytes", "[IO.File]::WriteAllBytes($m, [byte[]](0..255 + 0..255))", "CimLite.", Arg, "bad.mof(");
        Mof("10 MB of garbage", "[IO.File]::WriteAllText($m, $big)", "CimLite.", Arg, "bad.mof(");
        Mof("10 MB unterminated string", "[IO.File]::WriteAllText($m, 'instance of Disk { DeviceId = \"' + $big)", "CimLite.", Arg, "bad.mof(");
        Mof("10,000-deep embedded instances", "[IO.File]::WriteAllText($m, 'instance of Disk { DeviceId = \"Z:\"; Caption = ' + ('instance of Disk { Caption = ' * 10000) + '\"x\"' + ('; }' * 10000) + '; };')", "CimLite.", Arg, "more than 100 levels");
        Mof("100,000-deep embedded instances", "[IO.File]::WriteAllText($m, 'instance of Disk { DeviceId = \"Z:\"; Caption = ' + ('instance of Disk { Caption = ' * 100000) + '\"x\"' + ('; }' * 100000) + '; };')", "CimLite.", Arg, "bad.mof(1,");
        Mof("10,000-deep array braces", "[IO.File]::WriteAllText($m, 'instance of Disk { DeviceId = \"Z:\"; Tags = ' + ('{' * 10000) + '\"x\"' + ('}' * 10000) + '; };')", "CimLite.", Arg, "bad.mof(");
        Mof("valid class, then a bad instance", "[IO.File]::WriteAllText($m, \"class Foo { [Key] string A; };`ninstance of Disk { DeviceId = `\"Z:`\"; Wear = 300; };\")", "CimLite.TypeMismatch", Type, "Wear");
        Mof("class with an invalid name", "[IO.File]::WriteAllText($m, 'class 1Foo { };')", "CimLite.", Arg, "bad.mof(");
        Mof("unknown superclass", "[IO.File]::WriteAllText($m, 'class Foo : Nope { };')", "CimLite.", Meta, "Nope");
        Mof("instance of missing class", "[IO.File]::WriteAllText($m, 'instance of Nope { A = 1; };')", "CimLite.InvalidClass", Meta, "Nope");
        Mof("include cycle", "[IO.File]::WriteAllText($m, '#pragma include (\"bad.mof\")')", "CimLite.", Arg, "bad.mof");
        Mof("include of a missing file", "[IO.File]::WriteAllText($m, '#pragma include (\"missing.mof\")')", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "missing.mof");
        Add("ImportMof: -LiteralPath missing file", IM, "Import-CimLiteMof -Session $s -LiteralPath ([IO.Path]::Combine($dir, 'nope.mof'))", "CimLite.", ErrorCategory.ObjectNotFound, "nope.mof");
        Add("ImportMof: -Path $null", IM, "Import-CimLiteMof -Session $s -Path $null", Validation, Data, "Path");
        Add("ImportMof: -Namespace 'root\\ci m'", IM, "$m = [IO.Path]::Combine($dir, 'ok.mof'); [IO.File]::WriteAllText($m, 'class Foo { };'); Import-CimLiteMof -Session $s -LiteralPath $m -Namespace 'root\\ci m'", "CimLite.InvalidNamespace", Meta, "root\\ci m");

        // ---- Export-CimLiteMof (reads only: the repository must not change either)
        const string EM = "Export-CimLiteMof";
        Add("ExportMof: -ClassName missing with SQL", EM, "Export-CimLiteMof -Session $s -ClassName \"x'; DROP TABLE classes;--\"", "CimLite.InvalidClass", Meta, "DROP TABLE classes");
        Add("ExportMof: -ClassName ''", EM, "Export-CimLiteMof -Session $s -ClassName ''", Validation, Data, "ClassName");
        Add("ExportMof: -Namespace '..'", EM, "Export-CimLiteMof -Session $s -Namespace '..'", "CimLite.InvalidNamespace", Meta, "..");
        Add("ExportMof: -Encoding 'bogus'", EM, "Export-CimLiteMof -Session $s -Encoding 'bogus'", Validation, Data, "Encoding");
        Add("ExportMof: -Path a folder", EM, "Export-CimLiteMof -Session $s -Path $dir", "CimLite.CannotWriteFile", ErrorCategory.WriteError, "$dir");
        Add("ExportMof: -Path in a missing folder", EM, "Export-CimLiteMof -Session $s -Path ([IO.Path]::Combine($dir, 'no', 'such', 'x.mof'))", "CimLite.", ErrorCategory.WriteError, "x.mof");

        // ---- Get-CimLiteAssociatedInstance (reads only)
        const string GA = "Get-CimLiteAssociatedInstance";
        Add("GetAssociated: -Path of a missing instance, SQL", GA, "Get-CimLiteAssociatedInstance -Session $s -Path 'Disk.DeviceId=\"x''; DROP TABLE instances;--\"'", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "DROP TABLE instances");
        Add("GetAssociated: -ResultClassName missing with SQL", GA, "Get-CimLiteAssociatedInstance -Session $s -Path 'Disk.DeviceId=\"x\"' -ResultClassName \"x'; DROP TABLE classes;--\"", "CimLite.InvalidClass", Meta, "DROP TABLE classes");
        Add("GetAssociated: -Association ''", GA, "Get-CimLiteAssociatedInstance -Session $s -Path 'Disk.DeviceId=\"x\"' -Association ''", Validation, Data, "Association");
        Add("GetAssociated: -InputObject $null", GA, "Get-CimLiteAssociatedInstance -Session $s -InputObject $null", Validation, Data, "InputObject");
        return c;
    }

    private static readonly (string Label, string Expr, string Names)[] BadNames =
    {
        ("'1Disk' (leading digit)", "'1Disk'", "1Disk"),
        ("'Di sk' (space)", "'Di sk'", "Di sk"),
        ("'Di.sk' (dot)", "'Di.sk'", "Di.sk"),
        ("'Disk-2' (dash)", "'Disk-2'", "Disk-2"),
        ("with SQL", "\"x'; DROP TABLE instances;--\"", "DROP TABLE instances"),
        ("with quotes", "'Di\"sk'", "Di\"sk"),
        ("with NUL", "\"Di`0sk\"", "Di"),
        ("with tab and newline", "\"Di`t`nsk\"", "Di"),
        ("with emoji", "'Disk😀'", "Disk😀"),
        ("with zero-width space", "\"Di$([char]0x200B)sk\"", "Di"),
        ("257 characters", "('a' * 257)", "aaaaaaaaaa"),
    };

    private static readonly (string Label, string Ns)[] BadNamespaces =
    {
        ("'//'", "'//'"),
        ("'..'", "'..'"),
        ("'root\\ci m'", "'root\\ci m'"),
        ("'root//cimv2'", "'root//cimv2'"),
        ("'root/../x'", "'root/../x'"),
        ("'root/1x'", "'root/1x'"),
        ("'root/x;DROP'", "'root/x;DROP'"),
    };

    private static readonly (string Label, string Path, string Id, ErrorCategory Category, string Names)[] BadPaths =
    {
        ("unbalanced quote", "'Disk.DeviceId=\"C:'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "Disk.DeviceId=\"C:"),
        ("missing key", "'Disk'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "Disk"),
        ("unknown key name", "'Disk.Nope=\"C:\"'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "Nope"),
        ("duplicate key", "'Disk.DeviceId=\"C:\",DeviceId=\"D:\"'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "DeviceId"),
        ("wrong class", "'Nope.DeviceId=\"C:\"'", "CimLite.InvalidClass", ErrorCategory.MetadataError, "Nope"),
        ("trailing garbage", "'Disk.DeviceId=\"C:\"garbage'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "garbage"),
        ("bad namespace", "'root\\ci m:Disk.DeviceId=\"C:\"'", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "root\\ci m"),
        ("SQL", "\"Disk.DeviceId='x'; DROP TABLE instances;--\"", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, "DROP TABLE instances"),
        ("10 MB", "$big", "CimLite.InvalidParameter", ErrorCategory.InvalidArgument, BigNames),
        ("''", "''", Validation, ErrorCategory.InvalidData, "Path"),
        ("with an integer for a string key", "'Disk.DeviceId=5'", "CimLite.NotFound", ErrorCategory.ObjectNotFound, "DeviceId=5"),
        ("singleton form for a keyed class", "'Disk=@'", "CimLite.", ErrorCategory.InvalidArgument, "Disk"),
    };

    private static readonly (string Label, string Wql, string Id, string Names)[] HostileQueries =
    {
        ("injection after a string", "\"SELECT * FROM Disk WHERE DeviceId = 'x'; DROP TABLE instances;--'\"", "CimLite.InvalidQuery", "position"),
        ("second statement", "'SELECT * FROM Disk; DELETE FROM instances'", "CimLite.InvalidQuery", "position"),
        ("DELETE statement", "'DELETE FROM Disk'", "CimLite.InvalidQuery", "position"),
        ("unknown class with SQL", "\"SELECT * FROM [instances]\"", "CimLite.InvalidQuery", "position"),
        ("missing class", "'SELECT * FROM Nope'", "CimLite.InvalidClass", "Nope"),
        ("unknown property", "\"SELECT * FROM Disk WHERE Nope = 1\"", "CimLite.InvalidQuery", "Nope"),
        ("unknown selected property", "'SELECT Nope FROM Disk'", "CimLite.InvalidQuery", "Nope"),
        ("IN list of 100,000", "(\"SELECT * FROM Disk WHERE DeviceId IN (\" + ((1..100000 | ForEach-Object { \"'$_'\" }) -join ',') + ')')", "CimLite.InvalidQuery", "position"),
        ("10,000-deep parentheses", "('SELECT * FROM Disk WHERE ' + $deepParens)", "CimLite.InvalidQuery", "position"),
        ("OR chain of 100,000 terms", "(\"SELECT * FROM Disk WHERE \" + ((1..100000 | ForEach-Object { \"DeviceId = '$_'\" }) -join ' OR '))", "CimLite.InvalidQuery", "more than 10000 conditions"),
        ("10,000 NOTs", "('SELECT * FROM Disk WHERE ' + $deepNots)", "CimLite.InvalidQuery", "position"),
        ("unterminated string", "\"SELECT * FROM Disk WHERE DeviceId = 'C:\"", "CimLite.InvalidQuery", "position"),
        ("unterminated LIKE bracket", "\"SELECT * FROM Disk WHERE DeviceId LIKE '[a-'\"", "CimLite.InvalidQuery", "position"),
        ("text for uint64", "\"SELECT * FROM Disk WHERE Size = 'big'\"", "CimLite.InvalidQuery", "Size"),
        ("NUL in the text", "\"SELECT * FROM Disk WHERE`0 Size = 1\"", "CimLite.InvalidQuery", "position"),
        ("10 MB identifier", "('SELECT * FROM ' + $big)", "CimLite.InvalidClass", BigNames),
        ("10 MB of garbage", "$big", "CimLite.InvalidQuery", "position"),
        ("dangling AND", "'SELECT * FROM Disk WHERE Size = 1 AND'", "CimLite.InvalidQuery", "position"),
        ("comparison of two properties", "'SELECT * FROM Disk WHERE Size = Wear'", "CimLite.InvalidQuery", "position"),
    };

    private static readonly (string Label, string Filter, string Names)[] HostileFilters =
    {
        ("closing parenthesis injection", "\"DeviceId = 'C:') OR (1 = 1\"", "position"),
        ("SQL comment", "\"DeviceId = 'C:' --\"", "position"),
        ("unknown property", "'Nope = 1'", "Nope"),
        ("10,000-deep parentheses", "$deepParens", "position"),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    private readonly HostedRunspace host;
    private readonly ITestOutputHelper output;
    private readonly string dir;
    private readonly string file;

    public BadInputTests(BadInputFixture fixture, ITestOutputHelper output)
    {
        host = fixture.Host;
        this.output = output;
        dir = Path.Combine(Path.GetTempPath(), "cimlite-badinput-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        file = Path.Combine(dir, "repo.db");
        host.Invoke(SetupScript, new Hashtable { ["file"] = file, ["dir"] = dir }).ThrowIfErrors();
    }

    /// <summary>SHA-256 of the repository's content: the main file, then the -wal file when there is one.</summary>
    private string ContentHash()
    {
        using var sha = SHA256.Create();
        foreach (var path in new[] { file, file + "-wal" })
        {
            byte[] bytes = File.Exists(path) ? ReadShared(path) : Array.Empty<byte>();
            var header = System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(path) + ":" + bytes.Length + ";");
            sha.TransformBlock(header, 0, header.Length, null, 0);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }

        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Runs a script and returns its first error (terminating or not), or null when it wrote none.</summary>
    private (ErrorRecord? Error, HostedResult Result) RunCase(string script)
    {
        var result = host.Invoke("try { " + script + " } catch { '__caught'; $_ }", new Hashtable { ["dir"] = dir });
        var values = result.Values;
        int caught = values.ToList().FindIndex(v => "__caught".Equals(v));
        if (caught >= 0)
        {
            return ((ErrorRecord)values[caught + 1]!, result);
        }

        return (result.Errors.FirstOrDefault(), result);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_input_is_refused_clearly_and_writes_nothing(string name)
    {
        Case c = Cases.Single(x => x.Name == name);
        string before = ContentHash();
        var watch = Stopwatch.StartNew();
        var (error, result) = RunCase(c.Script);
        watch.Stop();
        output.WriteLine($"{c.Name}: {watch.ElapsedMilliseconds} ms");

        Assert.True(error != null, $"{c.Name}: no error (silent success); output: {string.Join(", ", result.Values.Take(3))}");
        output.WriteLine($"  {error!.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {Shorten(error.Exception.Message)}");
        string command = "CimLite.Commands." + c.Cmdlet.Replace("-", "", StringComparison.Ordinal) + "Command";
        Assert.StartsWith(c.Id, error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.EndsWith("," + command, error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(c.Category, error.CategoryInfo.Category);

        string message = error.Exception.Message;
        Assert.True(message.Length < 2000, $"{c.Name}: the message is {message.Length} characters long: {Shorten(message)}");
        string names = c.Names.Replace("$dir", dir, StringComparison.Ordinal);
        string target = Convert.ToString(error.TargetObject, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        bool named = message.Contains(names, StringComparison.Ordinal) || error.CategoryInfo.TargetName.Contains(names, StringComparison.Ordinal) ||
            (target.Length < 2000 && target.Contains(names, StringComparison.Ordinal));
        Assert.True(named, $"{c.Name}: the error does not name '{names}': {Shorten(message)} (target: {Shorten(target)})");

        Assert.True(before == ContentHash(), $"{c.Name}: the repository file changed");
    }

    [Fact]
    public void Control_a_valid_put_changes_the_hash_and_a_valid_read_does_not()
    {
        string before = ContentHash();
        host.Invoke("$null = Get-CimLiteInstance -Session $s -ClassName Disk; $null = Get-CimLiteClass -Session $s; $null = Receive-CimLitePosted -Session $s -Keep; $null = Export-CimLiteMof -Session $s -IncludeInstances").ThrowIfErrors();
        Assert.Equal(before, ContentHash());
        host.Invoke("$null = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'E:'; Size = 1 }").ThrowIfErrors();
        Assert.NotEqual(before, ContentHash());
    }

    [Fact]
    public void Control_a_failed_put_after_a_valid_one_keeps_the_valid_one_only()
    {
        host.Invoke("$null = Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'E:'; Size = 1 }").ThrowIfErrors();
        string afterValid = ContentHash();
        var (error, _) = RunCase("Set-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'F:'; Wear = 300 }");
        Assert.NotNull(error);
        Assert.Equal(afterValid, ContentHash());
    }

    /// <summary>Odd but valid WQL succeeds with the right answer: long OR chains within the depth limit, LIKE patterns that
    /// would backtrack exponentially in a naive matcher, unicode and quotes in literals.</summary>
    [Fact]
    public void Odd_but_valid_queries_answer_correctly()
    {
        var orChain = host.Invoke("""
            $terms = @("DeviceId = 'C:'", "DeviceId = 'D:'") + @(1..150 | ForEach-Object { "DeviceId = 'N$_'" })
            @(Get-CimLiteInstance -Session $s -Query ('SELECT * FROM Disk WHERE ' + ($terms -join ' OR '))).Count
            """).ThrowIfErrors();
        Assert.Equal(2, orChain.Values.Single());

        var like = host.Invoke("""
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = ('a' * 20000); Caption = ('a' * 20000) }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $hits = @(Get-CimLiteInstance -Session $s -ClassName Disk -Filter ("Caption LIKE '" + ('%a' * 30) + "%b'")).Count
            $all = @(Get-CimLiteInstance -Session $s -ClassName Disk -Filter ("Caption LIKE '" + ('%a' * 30) + "%'")).Count
            $hits; $all; $watch.ElapsedMilliseconds
            """).ThrowIfErrors().Values;
        Assert.Equal(0, like[0]);
        Assert.Equal(1, like[1]);
        output.WriteLine($"LIKE with 30 '%a' segments over a 20,000-character value (twice): {like[2]} ms");

        var vars = new Hashtable { ["v"] = "It's \"Dïsk\" 😀" };
        var quoted = host.Invoke("""
            $null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = $v; Caption = $v }
            (Get-CimLiteInstance -Session $s -Query ("SELECT * FROM Disk WHERE Caption = '" + $v.Replace("'", "''") + "'")).DeviceId
            (Get-CimLiteInstance -Session $s -Query ('SELECT * FROM Disk WHERE DeviceId = "' + $v.Replace('"', '""') + '"')).Caption
            """, vars).ThrowIfErrors().Values;
        Assert.Equal(new object?[] { vars["v"], vars["v"] }, quoted);
    }

    /// <summary>The matrix covers every cmdlet of the module, and says how many inputs it tries.</summary>
    [Fact]
    public void Matrix_covers_every_cmdlet()
    {
        var commands = host.Invoke("(Get-Command -Module CimLite).Name").Values.Select(v => (string)v!).ToList();
        Assert.Equal(28, commands.Count);
        foreach (var command in commands)
        {
            int n = Cases.Count(x => x.Cmdlet == command);
            output.WriteLine($"{command}: {n} bad inputs");
            Assert.True(n >= 3, $"{command} has only {n} bad inputs in the matrix");
        }

        output.WriteLine($"Bad inputs tried: {Cases.Count}; valid-but-odd values: {OddValues.Count}");
        Console.WriteLine($"BadInputTests: {Cases.Count} bad inputs over {commands.Count} cmdlets, {OddValues.Count} valid-but-odd values");
    }

    /// <summary>
    /// Odd string values that are stored and read back exactly (keys, values, array items; by filter, path, enumeration
    /// and through MOF). DSP0004 speaks of UCS characters; CimLite stores any UTF-16 text, NUL and lone surrogates
    /// included (decided by tests/Engine.Tests/Schema/ValueConversionTests), so nothing a caller gives is altered.
    /// </summary>
    private static readonly Dictionary<string, string> OddValues = new()
    {
        ["unicode letters"] = "Dïsk 漢字 Ωμέγα",
        ["emoji (surrogate pairs)"] = "disk 😀🚀 ok",
        ["control characters"] = "a\tb\r\nc\u0001\u001f\u007f",
        ["quotes and backslashes"] = "a'b\"c\\d\\\"",
        ["SQL text"] = "x'; DROP TABLE instances;--",
        ["JSON-looking text"] = "{\"k\": [1, 2]} \\u0000",
        ["BOM and zero-width characters"] = "\uFEFFa\u200Bb\u200D",
        ["private use and noncharacters"] = "\uE000\uFFFE\uFFFF",
        ["right-to-left text"] = "\u202Eabc\u202C שלום",
        ["100,000 characters"] = new string('é', 100_000),
        ["NUL characters (stored as given, as the engine's own tests decide)"] = "a\0b\0",
        ["lone surrogates (stored as given, as the engine's own tests decide)"] = "x\uD800y\uDC00",
    };

    public static TheoryData<string> OddValueNames()
    {
        var data = new TheoryData<string>();
        foreach (var k in OddValues.Keys)
        {
            data.Add(k);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OddValueNames))]
    public void Odd_but_valid_values_round_trip_exactly_as_keys_and_values(string name)
    {
        string value = OddValues[name];
        var vars = new Hashtable { ["v"] = value, ["file"] = file };
        host.Invoke("$null = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = $v; Caption = $v; Tags = @($v, 'x', $v) }", vars).ThrowIfErrors();

        // Read back through a second session on the same file, by path, by query and by enumeration.
        var result = host.Invoke("""
            $t = New-CimLiteSession -Path $file
            try {
                $byKey = Get-CimLiteInstance -Session $t -ClassName Disk -Filter "DeviceId = '$($v.Replace("'", "''"))'"
                $byPath = Get-CimLiteInstance -Session $t -Path $byKey.__PATH
                $all = @(Get-CimLiteInstance -Session $t -ClassName Disk | Where-Object { $_.Caption -ceq $v })
                $byKey.DeviceId; $byKey.Caption; $byPath.Caption; $all.Count; @($byKey.Tags).Count; $byKey.Tags[0]; $byKey.Tags[2]
            } finally { Remove-CimLiteSession -Session $t }
            """, vars).ThrowIfErrors();
        var values = result.Values;
        Assert.Equal(7, values.Count);
        Assert.Equal(value, values[0]);
        Assert.Equal(value, values[1]);
        Assert.Equal(value, values[2]);
        Assert.Equal(1, values[3]);
        Assert.Equal(3, values[4]);
        Assert.Equal(value, values[5]);
        Assert.Equal(value, values[6]);

        // And through MOF: export, import into a new repository, read back.
        var mof = host.Invoke("""
            $m = [IO.Path]::Combine([IO.Path]::GetDirectoryName($file), 'odd.mof')
            Export-CimLiteMof -Session $s -ClassName Disk -IncludeInstances -Path $m
            $u = New-CimLiteSession -InMemory
            try {
                $null = Import-CimLiteMof -Session $u -LiteralPath $m
                (Get-CimLiteInstance -Session $u -ClassName Disk | Where-Object { $_.DeviceId -ceq $v }).Caption
            } finally { Remove-CimLiteSession -Session $u }
            """, vars).ThrowIfErrors();
        Assert.Equal(value, Assert.Single(mof.Values));
    }

    private static string Shorten(string text) => text.Length > 300 ? text.Substring(0, 300) + "…" : text;

    public void Dispose()
    {
        host.Invoke("if ($s) { Remove-CimLiteSession -Session $s -Confirm:$false }; Get-CimLiteSession | Where-Object { $_.Path -like ($dir + '*') } | Remove-CimLiteSession -Confirm:$false", new Hashtable { ["dir"] = dir });
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
