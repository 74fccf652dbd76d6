namespace CimLite.Tests.Mof;

/// <summary>A corpus of broken MOF: each is rejected with its position, and nothing of the import is stored.</summary>
public sealed class BrokenMofTests
{
    private const string Prelude = "Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);\n" +
        "Qualifier Abstract : boolean = false, Scope(class, association, indication), Flavor(Restricted);\n" +
        "Qualifier Description : string = null, Scope(any), Flavor(Translatable);\n" +
        "Qualifier MaxLen : uint32 = null, Scope(property);\n" +
        "class Good { [Key] string Id; };\n"; // 5 lines; a snippet starts on line 6

    public static TheoryData<string, string, int, int, CimStatus, string> Corpus => new()
    {
        { "unterminated string", "class A { string S = \"abc; };", 6, 22, CimStatus.InvalidParameter, "not closed" },
        { "unterminated comment", "class A { };\n  /* never closed", 7, 3, CimStatus.InvalidParameter, "comment" },
        { "bad escape", "class A { string S = \"a\\qb\"; };", 6, 24, CimStatus.InvalidParameter, "escape" },
        { "missing semicolon after class", "class A { }\nclass B { };", 7, 1, CimStatus.InvalidParameter, "Expected ';'" },
        { "missing semicolon after property", "class A {\n  string S\n  string T; };", 8, 3, CimStatus.InvalidParameter, "Expected ';'" },
        { "unknown type", "class A { strang S; };", 6, 11, CimStatus.InvalidParameter, "'strang' is not a CIM data type" },
        { "unexpected character", "class A { string S @ };", 6, 20, CimStatus.InvalidParameter, "Unexpected character '@'" },
        { "bad number", "class A { uint8 N = 12x; };", 6, 21, CimStatus.InvalidParameter, "'12x' is not a valid number" },
        { "value out of range", "class A { uint8 N = 300; };", 6, 21, CimStatus.TypeMismatch, "N" },
        { "string for an integer", "class A { uint8 N = \"x\"; };", 6, 21, CimStatus.TypeMismatch, "uint8" },
        { "missing superclass", "class A : Nowhere { };", 6, 11, CimStatus.InvalidSuperclass, "Nowhere" },
        { "superclass cycle", "class A : B { };\nclass B : A { };", 6, 1, CimStatus.InvalidSuperclass, "derives from itself" },
        { "duplicate class", "class A { };\nclass A { };", 7, 1, CimStatus.AlreadyExists, "twice" },
        { "duplicate property", "class A {\n string S;\n uint8 S; };", 8, 2, CimStatus.InvalidParameter, "twice" },
        { "undeclared qualifier", "class A { [Bogus] string S; };", 6, 12, CimStatus.InvalidParameter, "Qualifier 'Bogus' is not declared" },
        { "qualifier out of scope", "[Key] class A { };", 6, 2, CimStatus.InvalidParameter, "may not be used on class A" },
        { "qualifier of the wrong type", "class A { [MaxLen(\"long\")] string S; };", 6, 19, CimStatus.TypeMismatch, "MaxLen" },
        { "unknown flavor", "class A { [Description(\"x\") : Sticky] string S; };", 6, 12, CimStatus.InvalidParameter, "'Sticky' is not a qualifier flavor" },
        { "array key", "class A { [Key] string S[]; };", 6, 17, CimStatus.InvalidParameter, "cannot be a key" },
        { "key added under a keyed ancestor", "class A : Good { [Key] string Other; };", 6, 24, CimStatus.InvalidParameter, "already defines the keys" },
        { "DisableOverride qualifier overridden", "class A : Good { [Key(false)] string Id; };", 6, 31, CimStatus.InvalidParameter, "DisableOverride" },
        { "override type change", "class A : Good { uint32 Id; };", 6, 18, CimStatus.TypeMismatch, "cannot change the type" },
        { "reference to a missing class", "class A { Nowhere REF R; };", 6, 11, CimStatus.InvalidClass, "Nowhere" },
        { "instance of a missing class", "instance of Nowhere { };", 6, 1, CimStatus.InvalidClass, "Nowhere" },
        { "instance of an abstract class", "[Abstract] class A { [Key] string Id; };\ninstance of A { Id = \"x\"; };", 7, 1, CimStatus.InvalidOperation, "abstract" },
        { "instance without its key", "instance of Good { };", 6, 1, CimStatus.IllegalNull, "Id" },
        { "instance with an unknown property", "instance of Good {\n Id = \"a\";\n Nope = 1; };", 8, 2, CimStatus.NoSuchProperty, "Nope" },
        { "undefined alias", "class L { [Key] Good REF G; };\ninstance of L { G = $Missing; };", 7, 21, CimStatus.NotFound, "Alias '$Missing' is not defined" },
        { "alias for a non-reference", "instance of Good as $G { Id = \"a\"; };\ninstance of Good { Id = $G; };", 7, 25, CimStatus.TypeMismatch, "not a reference" },
        { "missing include", "#pragma include (\"nowhere.mof\")", 6, 1, CimStatus.NotFound, "nowhere.mof" },
        { "unknown scope", "Qualifier Q : string, Scope(everywhere);", 6, 29, CimStatus.InvalidParameter, "'everywhere' is not a qualifier scope" },
        { "qualifier declaration without scope", "Qualifier Q : string;", 6, 22, CimStatus.InvalidParameter, "Scope" },
        { "keyword where a name belongs", "class { };", 6, 7, CimStatus.InvalidParameter, "Expected a class name" },
        { "override of nothing", "Qualifier Override : string = null, Scope(property), Flavor(Restricted);\nclass A : Good { [Override(\"Missing\")] string Missing; };", 7, 19, CimStatus.InvalidParameter, "overrides 'Missing'" },
        { "reference override widening to an unrelated class", "class Other { [Key] string Id; };\nclass L1 { [Key] Good REF R; };\nclass L2 : L1 { Other REF R; };", 8, 17, CimStatus.TypeMismatch, "may only narrow" },
        { "embedded instance not a string", "Qualifier EmbeddedInstance : string = null, Scope(property);\nclass A { [EmbeddedInstance(\"Good\")] uint8 E; };", 7, 38, CimStatus.TypeMismatch, "must be of type string" },
        { "embedded instance as a class default", "Qualifier EmbeddedInstance : string = null, Scope(property);\nclass A { [EmbeddedInstance(\"Good\")] string S[] = { instance of Good { Id = \"x\"; } }; };", 7, 53, CimStatus.NotSupported, "class default is not supported" },
        { "embedded instance value for a plain string", "class A { [Key] string Id; string S; };\ninstance of A { Id = \"a\"; S = instance of Good { Id = \"x\"; }; };", 7, 31, CimStatus.TypeMismatch, "EmbeddedInstance or EmbeddedObject" },
        { "embedded instance of a missing class", "Qualifier EmbeddedObject : boolean = false, Scope(property);\nclass A { [Key] string Id; [EmbeddedObject] string S; };\ninstance of A { Id = \"a\"; S = instance of Nowhere { }; };", 8, 31, CimStatus.InvalidClass, "Nowhere" },
        { "embedded instance of the wrong class", "Qualifier EmbeddedInstance : string = null, Scope(property);\nclass Other { string X; };\nclass A { [Key] string Id; [EmbeddedInstance(\"Good\")] string S; };\ninstance of A { Id = \"a\"; S = instance of Other { X = \"x\"; }; };", 9, 31, CimStatus.TypeMismatch, "is not a 'Good'" },
        { "embedded instance with a bad property", "Qualifier EmbeddedInstance : string = null, Scope(property);\nclass A { [Key] string Id; [EmbeddedInstance(\"Good\")] string S[]; };\ninstance of A { Id = \"a\"; S = { instance of Good { Id = \"x\"; }, instance of Good { Size = 1; } }; };", 8, 84, CimStatus.NoSuchProperty, "Size" },
        { "embedded instance with a value of the wrong type", "Qualifier EmbeddedInstance : string = null, Scope(property);\nclass A { [Key] string Id; [EmbeddedInstance(\"Good\")] string S; };\ninstance of A { Id = \"a\"; S = instance of Good { Id = 5; }; };", 8, 55, CimStatus.TypeMismatch, "Good.Id" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_broken_snippet_is_rejected_with_its_position_and_nothing_is_imported(string name, string snippet, int line, int column, CimStatus status, string fragment)
    {
        using var s = CimLiteSession.OpenInMemory();
        var e = Assert.Throws<CimLiteException>(() => s.ImportMofText(Prelude + snippet, "broken.mof"));
        Assert.True(status == e.Status, name + ": " + e.Status + " " + e.Message);
        Assert.Equal(("broken.mof", line, column), (e.SourceFile, e.SourceLine, e.SourceColumn));
        Assert.StartsWith("broken.mof(" + line + "," + column + "): ", e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.Null(s.FindClass("Good"));
        Assert.Empty(s.GetQualifierDeclarations());
        Assert.Empty(s.GetClasses());
    }
}
