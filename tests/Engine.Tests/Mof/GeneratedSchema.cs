using System.Globalization;
using System.Text;

namespace CimLite.Tests.Mof;

/// <summary>
/// A CIM schema written for this project's tests, so that the MOF compiler is exercised hard on any clone (the DMTF
/// schema may be absent). <see cref="Write"/> lays it out in a folder: a root file that includes the qualifier
/// declarations, a common file and a families file, which includes one folder per family, each including its upper and
/// lower levels (four levels of <c>#pragma include</c>), then the instances. Each family is a chain of
/// <see cref="Depth"/> classes (an abstract root with every CIM type, arrays, fixed-size arrays and defaults; each
/// level overrides a property and declares methods with In, Out, In/Out, array, reference and embedded-instance
/// parameters) with <see cref="Siblings"/> leaf classes at every level that override a property's default, plus an
/// association and a subclass association that narrows a reference by override. Qualifier declarations cover every
/// flavor; instances use aliases, references to aliases, arrays and embedded instances. Everything the tests check is
/// recorded here as the schema is written, so no expected figure is typed by hand.
/// </summary>
public sealed class GeneratedSchema
{
    public const int Families = 7;
    public const int Depth = 12;
    public const int Siblings = 3;

    /// <summary>Flavors of the generated qualifier declarations, as written (one per flavor and combination).</summary>
    public static readonly IReadOnlyDictionary<string, (string Mof, QualifierFlavor Flavor)> QualifierFlavors =
        new Dictionary<string, (string, QualifierFlavor)>
        {
            ["GenEnable"] = ("EnableOverride, ToSubclass", QualifierFlavor.ToSubclass),
            ["GenDisable"] = ("DisableOverride, ToSubclass", QualifierFlavor.DisableOverride | QualifierFlavor.ToSubclass),
            ["GenRestricted"] = ("Restricted", QualifierFlavor.Restricted),
            ["GenTranslatable"] = ("ToSubclass, Translatable", QualifierFlavor.ToSubclass | QualifierFlavor.Translatable),
            ["GenAmended"] = ("Amended", QualifierFlavor.ToSubclass | QualifierFlavor.Amended), // ToSubclass: the CIM default
            ["GenToInstance"] = ("ToSubclass, ToInstance", QualifierFlavor.ToSubclass | QualifierFlavor.ToInstance),
        };

    private GeneratedSchema(string folder) => Folder = folder;

    public string Folder { get; }

    public string RootFile => Path.Combine(Folder, "gen_schema.mof");

    /// <summary>Every file written, the root first.</summary>
    public List<string> Files { get; } = new();

    /// <summary>Class name → superclass name (null for roots), in the order written.</summary>
    public Dictionary<string, string?> Classes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Qualifier declarations written (standard ones and the generated flavors).</summary>
    public List<string> QualifierDeclarations { get; } = new();

    /// <summary>Instance aliases → (class, key value Id or a description), in the order written.</summary>
    public List<(string Class, string Key)> Instances { get; } = new();

    public static string Level(int family, int level) => $"Gen_F{family}_L{level}";

    public static string Sibling(int family, int level, int k) => $"Gen_F{family}_L{level}_S{k}";

    public static string Link(int family) => $"Gen_F{family}_Link";

    public static string DeepLink(int family) => $"Gen_F{family}_DeepLink";

    /// <summary>Writes the schema into <paramref name="folder"/> (created) and returns what it wrote.</summary>
    public static GeneratedSchema Write(string folder)
    {
        var g = new GeneratedSchema(folder);
        Directory.CreateDirectory(folder);
        g.WriteAll();
        return g;
    }

    private void WriteAll()
    {
        var root = new StringBuilder();
        root.AppendLine("// Generated test schema for CimLite (tests/Engine.Tests/Mof/GeneratedSchema.cs).");
        root.AppendLine("#pragma locale (\"en_US\")");
        root.AppendLine("#pragma include (\"qualifiers.mof\")");
        root.AppendLine("#pragma include (\"common/common.mof\")");
        root.AppendLine("#pragma include (\"families.mof\")");
        root.AppendLine("#pragma include (\"instances.mof\")");
        Emit("gen_schema.mof", root.ToString());

        Emit("qualifiers.mof", QualifiersMof());
        Emit(Path.Combine("common", "common.mof"), CommonMof());

        var families = new StringBuilder();
        for (int f = 0; f < Families; f++) families.AppendLine($"#pragma include (\"F{f}/family.mof\")");
        Emit("families.mof", families.ToString());
        for (int f = 0; f < Families; f++)
        {
            Emit(Path.Combine($"F{f}", "family.mof"), "#pragma include (\"upper.mof\")\n#pragma include (\"lower.mof\")\n" + AssociationsMof(f));
            Emit(Path.Combine($"F{f}", "upper.mof"), LevelsMof(f, 0, Depth / 2));
            Emit(Path.Combine($"F{f}", "lower.mof"), LevelsMof(f, Depth / 2, Depth));
        }

        Emit("instances.mof", InstancesMof());
    }

    private void Emit(string relative, string text)
    {
        string path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        Files.Add(path);
    }

    private string QualifiersMof()
    {
        var sb = new StringBuilder();
        void Declare(string line)
        {
            sb.AppendLine(line);
            QualifierDeclarations.Add(line.Substring("Qualifier ".Length).Split(' ')[0]);
        }

        Declare("Qualifier Abstract : boolean = false, Scope(class, association, indication), Flavor(Restricted);");
        Declare("Qualifier Association : boolean = false, Scope(association), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Indication : boolean = false, Scope(class, indication), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Description : string = null, Scope(any), Flavor(EnableOverride, ToSubclass, Translatable);");
        Declare("Qualifier In : boolean = true, Scope(parameter), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Out : boolean = false, Scope(parameter), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Override : string = null, Scope(property, reference, method), Flavor(EnableOverride, Restricted);");
        Declare("Qualifier EmbeddedInstance : string = null, Scope(property, method, parameter);");
        Declare("Qualifier Static : boolean = false, Scope(property, method), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier Required : boolean = false, Scope(property, reference, method, parameter), Flavor(DisableOverride, ToSubclass);");
        Declare("Qualifier MaxLen : uint32 = null, Scope(property, method, parameter), Flavor(EnableOverride, ToSubclass);");
        Declare("Qualifier ValueMap : string[], Scope(property, method, parameter), Flavor(EnableOverride, ToSubclass);");
        foreach (var (name, (mof, _)) in QualifierFlavors)
        {
            string type = name == "GenDisable" ? "uint32 = 7" : "string = null";
            Declare($"Qualifier {name} : {type}, Scope(any), Flavor({mof});");
        }

        return sb.ToString();
    }

    private string CommonMof()
    {
        Classes["Gen_Setting"] = null;
        Classes["Gen_Event"] = null;
        return """
            [Description("A setting, embedded in family instances.")]
            class Gen_Setting {
                [Key] string Name;
                sint32 Value = -1;
                string Notes[];
            };

            [Indication, Description("An event of the generated schema.")]
            class Gen_Event {
                string Message;
                [EmbeddedInstance("Gen_Setting")] string Setting;
            };

            """;
    }

    private string LevelsMof(int f, int from, int to)
    {
        var sb = new StringBuilder();
        for (int level = from; level < to; level++)
        {
            string name = Level(f, level);
            if (level == 0)
            {
                Classes[name] = null;
                sb.AppendLine($$"""
                    [Abstract, Description("Root of family {{f}}."), GenEnable("family {{f}}"), GenRestricted("root only"), GenDisable(7)]
                    class {{name}} {
                        [Key, Description("The identity."), MaxLen(64)] string Id;
                        [GenToInstance("stamped")] string Caption = "family {{f}}";
                        uint8 U8 = 255; sint8 S8 = -128; uint16 U16 = 65535; sint16 S16 = -32768;
                        uint32 U32 = 4294967295; sint32 S32 = -2147483648;
                        uint64 U64 = 18446744073709551615; sint64 S64 = -9223372036854775807;
                        real32 R32 = 1.5; real64 R64 = -2.5e-3; boolean Flag = TRUE; char16 Ch = 'x';
                        datetime When = "20261203174500.000000+000"; datetime Span = "00000001020304.000000:000";
                        string Names[] = { "a", "b\tc", "\x00e9" };
                        uint8 Fixed[4] = { 1, 2, 3, 4 };
                        [ValueMap { "0", "1", "2" }] uint16 State = 1;
                        [Description("Overridden at every level.")] uint32 Count = 0;
                        [EmbeddedInstance("Gen_Setting")] string Setting;
                        [EmbeddedInstance("Gen_Setting")] string Settings[];
                        {{name}} REF Parent;
                    };

                    """);
                continue;
            }

            string parent = Level(f, level - 1);
            Classes[name] = parent;
            string amended = $"amended text of level {level}";
            sb.AppendLine($$"""
                [GenTranslatable("level {{level}}"), GenAmended("{{amended}}"), Description("Level {{level}} of family {{f}}.")]
                class {{name}} : {{parent}} {
                    uint32 P{{level}} = {{level}};
                    [Override("Count"), Description("Count at level {{level}}.")] uint32 Count = {{level * 10}};
                    [ValueMap { "0", "1" }] uint32 Start{{level}}([In, Required] uint32 TimeoutSec, [In(false), Out] string Message, [In, Out] sint32 Values[]);
                    [Static] string Describe{{level}}([In] {{Level(f, 0)}} REF Target, [Out, EmbeddedInstance("Gen_Setting")] string Snapshot, [Out] datetime Stamps[]);
                };

                """);
            for (int k = 0; k < Siblings; k++)
            {
                string sibling = Sibling(f, level, k);
                Classes[sibling] = name;
                sb.AppendLine($$"""
                    class {{sibling}} : {{name}} {
                        [Override("P{{level}}")] uint32 P{{level}} = {{1000 + k}};
                        string Leaf{{k}}[];
                    };

                    """);
            }
        }

        return sb.ToString();
    }

    private string AssociationsMof(int f)
    {
        Classes[Link(f)] = null;
        Classes[DeepLink(f)] = Link(f);
        return $$"""

            [Association, Description("Links two members of family {{f}}.")]
            class {{Link(f)}} {
                [Key] {{Level(f, 0)}} REF Left;
                [Key] {{Level(f, 0)}} REF Right;
                string Label;
            };

            [Association, Description("A link whose right end is the deepest level (narrowed by override).")]
            class {{DeepLink(f)}} : {{Link(f)}} {
                [Override("Right")] {{Level(f, Depth - 1)}} REF Right;
            };

            """;
    }

    private string InstancesMof()
    {
        var sb = new StringBuilder();
        sb.AppendLine("instance of Gen_Setting as $Shared { Name = \"shared\"; Value = 42; Notes = { \"one\", \"two\" }; };");
        Instances.Add(("Gen_Setting", "shared"));
        for (int f = 0; f < Families; f++)
        {
            string deep = Level(f, Depth - 1), leaf = Sibling(f, 3, 1);
            sb.AppendLine($$"""
                instance of {{deep}} as $F{{f}}Deep {
                    Id = "f{{f}}-deep";
                    Names = { "n1", "n2", "n3" };
                    Fixed = { 9, 8, 7, 6 };
                    Count = 5;
                    Setting = instance of Gen_Setting { Name = "inner{{f}}"; Value = {{f}}; };
                    Settings = { instance of Gen_Setting { Name = "a"; }, instance of Gen_Setting { Name = "b"; Value = 2; } };
                };
                instance of {{leaf}} as $F{{f}}Leaf {
                    Id = "f{{f}}-leaf";
                    Leaf1 = { "x" };
                    Parent = $F{{f}}Deep;
                };
                instance of {{Link(f)}} { Left = $F{{f}}Deep; Right = $F{{f}}Leaf; Label = "plain"; };
                instance of {{DeepLink(f)}} { Left = $F{{f}}Leaf; Right = $F{{f}}Deep; Label = "narrowed"; };

                """);
            Instances.Add((deep, $"f{f}-deep"));
            Instances.Add((leaf, $"f{f}-leaf"));
            Instances.Add((Link(f), "plain"));
            Instances.Add((DeepLink(f), "narrowed"));
        }

        return sb.ToString();
    }
}
