using System;
using System.IO;
using System.Linq;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Formatting;

/// <summary>
/// What users see: the default table and list views of CimLite.Format.ps1xml (and PowerShell's own default
/// for objects without a view) rendered by the SDK's Out-String at a fixed width of <see cref="Width"/>,
/// compared line by line (trailing spaces removed, no leading or trailing blank lines).
/// </summary>
public sealed class ViewTests : IDisposable
{
    /// <summary>The console width the views are rendered for.</summary>
    public const int Width = 120;

    private const string Schema = """
        $s = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $s -ClassName View_Device -Abstract -Key DeviceId -Property ([ordered]@{ DeviceId = 'string'; Caption = 'string' })
        $null = New-CimLiteClass -Session $s -ClassName View_Disk -Superclass View_Device -Property ([ordered]@{ Size = 'uint64'; Tags = 'string[]' })
        $null = New-CimLiteInstance -Session $s -ClassName View_Disk -Property ([ordered]@{ DeviceId = 'disk0'; Caption = 'System disk'; Size = 512000; Tags = 'ssd', 'boot' })
        $null = New-CimLiteInstance -Session $s -ClassName View_Disk -Property @{ DeviceId = 'disk1'; Size = 1 }
        """;

    private readonly HostedRunspace host = new HostedRunspace();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cimlite-views-" + Guid.NewGuid().ToString("N"));

    public ViewTests()
    {
        Directory.CreateDirectory(folder);
        host.Invoke(Schema).ThrowIfErrors();
    }

    public void Dispose()
    {
        host.Invoke("Get-CimLiteSession | Remove-CimLiteSession");
        host.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Classes_show_as_a_table()
    {
        AssertRenders("'View_Device', 'View_Disk' | ForEach-Object { Get-CimLiteClass -Session $s -ClassName $_ }", """
            ClassName                    Superclass               Key                      Abstract Properties
            ---------                    ----------               ---                      -------- ----------
            View_Device                                           DeviceId                 True     DeviceId, Caption
            View_Disk                    View_Device              DeviceId                 False    DeviceId, Caption, Size, Tags
            """);
    }

    [Fact]
    public void A_class_shows_as_a_list_with_Format_List()
    {
        AssertRenders("Get-CimLiteClass -Session $s -ClassName View_Disk | Format-List", """
            ClassName     : View_Disk
            Superclass    : View_Device
            Namespace     : root/cimv2
            Derivation    : View_Device
            Key           : DeviceId
            IsAbstract    : False
            IsIndication  : False
            IsAssociation : False
            Properties    : string DeviceId, string Caption, uint64 Size, string[] Tags
            Qualifiers    :
            """);
    }

    [Fact]
    public void Property_declarations_and_qualifiers_show_as_tables()
    {
        AssertRenders("(Get-CimLiteClass -Session $s -ClassName View_Disk).Properties", """
            Name                         CimType              Key   ClassOrigin              Qualifiers
            ----                         -------              ---   -----------              ----------
            DeviceId                     string               True  View_Device              Key
            Caption                      string               False View_Device
            Size                         uint64               False View_Disk
            Tags                         string[]             False View_Disk
            """);
        AssertRenders("(Get-CimLiteClass -Session $s -ClassName View_Device).Qualifiers", """
            Name                     Value                                Flavor
            ----                     -----                                ------
            Abstract                 True                                 Restricted
            """);
    }

    [Fact]
    public void Instances_show_their_keys_and_first_properties_as_a_table()
    {
        AssertRenders("Get-CimLiteInstance -Session $s -ClassName View_Disk", """
            DeviceId Caption       Size Tags
            -------- -------       ---- ----
            disk0    System disk 512000 {ssd, boot}
            disk1                     1
            """);
    }

    [Fact]
    public void Instances_show_keys_first_and_at_most_four_properties()
    {
        AssertRenders(
            """
            $null = New-CimLiteClass -Session $s -ClassName View_Wide -Key Id -Property ([ordered]@{ A = 'string'; B = 'sint32'; Id = 'string'; C = 'boolean'; D = 'string' })
            $null = New-CimLiteInstance -Session $s -ClassName View_Wide -Property @{ Id = 'w1'; A = 'alpha'; B = -5; C = $true; D = 'hidden' }
            Get-CimLiteInstance -Session $s -ClassName View_Wide
            """,
            """
            Id A      B    C
            -- -      -    -
            w1 alpha -5 True
            """);
        AssertRenders("Get-CimLiteInstance -Session $s -ClassName View_Disk | Format-List", """
            DeviceId : disk0
            Caption  : System disk
            Size     : 512000
            Tags     : {ssd, boot}

            DeviceId : disk1
            Caption  :
            Size     : 1
            Tags     :
            """);
    }

    [Fact]
    public void Sessions_show_as_a_table_and_a_list()
    {
        AssertRenders("$s", """
            Path     DefaultNamespace ReadOnly Closed
            ----     ---------------- -------- ------
            :memory: root/cimv2       False    False
            """);
        AssertRenders("$null = Register-CimLiteProvider -Session $s -ClassName View_Disk -Get { }; $s | Format-List", """
            Path             : :memory:
            DefaultNamespace : root/cimv2
            IsInMemory       : True
            IsReadOnly       : False
            IsClosed         : False
            BusyTimeout      : 00:00:10
            Providers        : root/cimv2:View_Disk
            """);
    }

    [Fact]
    public void Providers_show_as_a_table_and_a_list()
    {
        // A .NET provider: a PowerShell class implementing CimLite.ICimLiteProvider (its full name has no namespace).
        host.Invoke("""
            $null = Register-CimLiteProvider -Session $s -ClassName View_Disk -Get { } -Enumerate { }
            $null = New-CimLiteClass -Session $s -ClassName View_Nic -Key Id -Property @{ Id = 'string' }
            . ([scriptblock]::Create(@'
            class ViewNicProvider : CimLite.ICimLiteProvider {
                [void] GetInstance([CimLite.ICimLiteContext] $context, [CimLite.InstancePath] $path) { }
                [void] EnumerateInstances([CimLite.ICimLiteContext] $context) { }
                [void] PutInstance([CimLite.ICimLiteContext] $context, [CimLite.CimLiteInstance] $instance) { }
                [void] DeleteInstance([CimLite.ICimLiteContext] $context, [CimLite.InstancePath] $path) { }
            }
            '@))
            $null = Register-CimLiteProvider -Session $s -ClassName View_Nic -Type ([ViewNicProvider])
            """).ThrowIfErrors();
        AssertRenders("Get-CimLiteProvider -Session $s", """
            Namespace            ClassName                    Provider                     Operations
            ---------            ---------                    --------                     ----------
            root/cimv2           View_Disk                    ScriptBlock                  Get, Enumerate
            root/cimv2           View_Nic                     ViewNicProvider              Get, Enumerate, Put, Delete
            """);
        AssertRenders("Get-CimLiteProvider -Session $s | Format-List", """
            Namespace  : root/cimv2
            ClassName  : View_Disk
            Provider   : ScriptBlock
            Operations : Get, Enumerate

            Namespace  : root/cimv2
            ClassName  : View_Nic
            Provider   : ViewNicProvider
            Operations : Get, Enumerate, Put, Delete
            """);
    }

    [Fact]
    public void A_MOF_import_result_shows_as_a_list()
    {
        File.WriteAllText(Path.Combine(folder, "view.mof"), """
            class View_Mof { [key] string Name; uint32 Count; };
            instance of View_Mof { Name = "one"; Count = 1; };
            """);
        host.Runspace.SessionStateProxy.Path.SetLocation(folder);
        AssertRenders("Import-CimLiteMof -Session $s -Path ./view.mof", """
            Files               : {<folder>/view.mof}
            QualifiersCreated   : 0
            QualifiersUpdated   : 0
            QualifiersUnchanged : 0
            ClassesCreated      : 1
            ClassesUpdated      : 0
            ClassesUnchanged    : 0
            Instances           : {root/cimv2:View_Mof.Name="one"}
            Warnings            : {}
            Committed           : True
            """);
    }

    /// <summary>Renders what <paramref name="script"/> outputs with Out-String -Width <see cref="Width"/> and compares.</summary>
    private void AssertRenders(string script, string expected)
    {
        var text = string.Concat(host.Invoke("& { " + script + " } | Out-String -Width " + Width).ThrowIfErrors().Values.Select(v => v?.ToString()));
        Assert.Equal(Normalize(expected), Normalize(text.Replace(folder, "<folder>", StringComparison.Ordinal)));
    }

    private static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines);
    }
    [Fact]
    public void A_repository_shows_as_a_list_with_namespaces_and_their_counts()
    {
        var size = host.Invoke("(Get-CimLiteRepository -Session $s).SizeBytes").ThrowIfErrors().Values.Single();
        var sqlite = host.Invoke("(Get-CimLiteRepository -Session $s).SQLiteVersion").ThrowIfErrors().Values.Single();
        var engine = host.Invoke("(Get-CimLiteRepository -Session $s).EngineVersion").ThrowIfErrors().Values.Single();
        AssertRenders("Get-CimLiteRepository -Session $s", $"""
            Path              : :memory:
            FormatVersion     : 8
            SizeBytes         : {size}
            WalBytes          : 0
            Namespaces        : root (0 classes, 0 instances), root/cimv2 (2 classes, 2 instances)
            Classes           : 2
            Instances         : 2
            PostedIndications : 0
            LeasedIndications : 0
            SQLiteVersion     : {sqlite}
            EngineVersion     : {engine}
            """);
    }

    [Fact]
    public void Repository_problems_show_as_a_table_of_kind_where_and_message()
    {
        File.WriteAllText(Path.Combine(folder, "text.db"), "plain text, not a database, long enough to be read as a header");
        // The message holds the temporary folder's path, whose length decides where it wraps: compare the columns, and
        // the message with its wrapping undone.
        var text = string.Concat(host.Invoke("& { (Test-CimLiteRepository -Path (Join-Path '" + folder + "' text.db) -Detailed).Problems } | Out-String -Width " + Width).ThrowIfErrors().Values.Select(v => v?.ToString()));
        var lines = Normalize(text).Split('\n');
        Assert.Equal("Kind              Where                          Message", lines[0]);
        Assert.Equal("----              -----                          -------", lines[1]);
        Assert.StartsWith("Header                                           '", lines[2]);
        Assert.All(lines.Skip(3), l => Assert.StartsWith(new string(' ', 49), l));
        // Wrapping may break a word anywhere: compare without white space.
        var message = string.Concat(lines.Skip(2).Select(l => l.Substring(49))).Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(("'" + Path.Combine(folder, "text.db") + "' is not a CimLite repository: it is not a SQLite database. The file was not changed.").Replace(" ", "", StringComparison.Ordinal), message);
    }
}
