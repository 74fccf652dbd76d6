using System.Text;
using CimLite.Mof;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests;

/// <summary>
/// Issue 21 item 5: the exact sentences users see, asserted through <see cref="Messages"/>, the engine's one home
/// for them (a test that pins a sentence breaks when the wording changes in Messages, not on every typo fix in a test).
/// A representative set: puts, WQL, MOF.
/// </summary>
public sealed class MessageTests : SessionFixture
{
    public MessageTests()
    {
        Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create();
        Class("Base").Abstract().Key("Id").Create();
    }

    private static string Message(Action action) => Assert.Throws<CimLiteException>(action).Message;

    // Puts

    [Fact]
    public void An_unknown_property()
    {
        Assert.Equal(Messages.NoSuchProperty("Disk", "Nope"), Message(() => Put("Disk", ("DeviceId", "C:"), ("Nope", 1))));
    }

    [Fact]
    public void A_null_key()
    {
        Assert.Equal(Messages.NullKey("Disk", "DeviceId"), Message(() => Put("Disk", ("Size", 1))));
    }

    [Fact]
    public void A_value_of_the_wrong_type()
    {
        Assert.Equal(Messages.TypeMismatch("Disk", "Size", "many", "uint64", Messages.NotAnInteger),
            Message(() => Put("Disk", ("DeviceId", "C:"), ("Size", "many"))));
    }

    [Fact]
    public void An_instance_of_an_abstract_class()
    {
        Assert.Equal(Messages.AbstractClass("Base"), Message(() => Put("Base", ("Id", "x"))));
    }

    [Fact]
    public void A_create_only_put_of_an_existing_instance()
    {
        var path = Put("Disk", ("DeviceId", "C:"));
        Assert.Equal(Messages.InstanceAlreadyExists(path.ToString()),
            Message(() => Put(new PutOptions { Mode = PutMode.CreateOnly }, "Disk", ("DeviceId", "C:"))));
    }

    [Fact]
    public void Create_only_with_a_property_list()
    {
        Assert.Equal(Messages.CreateOnlyWithPropertyList,
            Message(() => Put(new PutOptions { Mode = PutMode.CreateOnly, PropertyList = new[] { "Size" } }, "Disk", ("DeviceId", "C:"))));
    }

    // WQL

    private string QueryMessage(string wql) => Message(() => Session.ExecQuery(wql).ToList());

    [Fact]
    public void A_query_without_FROM()
    {
        Assert.Equal(Messages.MalformedQuery(9, Messages.QueryExpectedFrom), QueryMessage("SELECT * Disk"));
    }

    [Fact]
    public void A_query_naming_an_unknown_property()
    {
        Assert.Equal(Messages.QueryUnknownProperty("Disk", "Nope"), QueryMessage("SELECT * FROM Disk WHERE Nope = 1"));
    }

    [Fact]
    public void A_query_applying_LIKE_to_a_number()
    {
        Assert.Equal(Messages.QueryLikeNeedsString("Disk", "Size", "uint64"), QueryMessage("SELECT * FROM Disk WHERE Size LIKE '1%'"));
    }

    [Fact]
    public void A_query_with_ISA_of_a_missing_class()
    {
        Assert.Equal(Messages.QueryIsaClassNotFound(Session.DefaultNamespace, "Nowhere"), QueryMessage("SELECT * FROM Disk WHERE __CLASS ISA 'Nowhere'"));
    }

    // MOF: every message is prefixed with file(line,column)

    private string MofMessage(string mof) => Message(() => Session.ImportMofText(mof));

    private static string At(int line, int column, string message) => Messages.Mof.At(new MofPosition("(text)", line, column), message);

    /// <summary>Qualifiers are checked once a namespace declares any: this declares Key.</summary>
    private const string KeyDeclaration = "Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);\n";

    [Fact]
    public void MOF_a_keyword_where_a_class_name_belongs()
    {
        Assert.Equal(At(1, 7, Messages.Mof.Expected(Messages.Mof.AClassName, "'{'")), MofMessage("class { };"));
    }

    [Fact]
    public void MOF_an_undeclared_qualifier()
    {
        Assert.Equal(At(2, 12, Messages.Mof.UndeclaredQualifier("Bogus", Session.DefaultNamespace)), MofMessage(KeyDeclaration + "class A { [Bogus] string S; };"));
    }

    [Fact]
    public void MOF_a_class_declared_twice()
    {
        Assert.Equal(At(2, 1, Messages.Mof.DuplicateClass("A")), MofMessage("class A { };\nclass A { };"));
    }

    [Fact]
    public void MOF_a_default_of_the_wrong_type()
    {
        Assert.Equal(At(1, 21, Messages.Mof.ValueType(Messages.Mof.PropertySubject(false, "A", "N"), "uint8", "\"x\"")),
            MofMessage("class A { uint8 N = \"x\"; };"));
    }

    [Fact]
    public void MOF_a_qualifier_out_of_its_scope()
    {
        Assert.Equal(At(2, 2, Messages.Mof.QualifierScope("Key", Messages.Mof.ClassElement("A"))), MofMessage(KeyDeclaration + "[Key] class A { };"));
    }

    [Fact]
    public void MOF_an_undefined_alias()
    {
        Assert.Equal(At(3, 21, Messages.Mof.UnknownAlias("Missing")),
            MofMessage(KeyDeclaration + "class L { [Key] Disk REF G; };\ninstance of L { G = $Missing; };"));
    }

    [Fact]
    public void MOF_a_file_that_is_not_UTF8()
    {
        var file = Path.Combine(Path.GetTempPath(), "cimlite-message-" + Guid.NewGuid().ToString("N") + ".mof");
        File.WriteAllBytes(file, Encoding.ASCII.GetBytes("class A {\n  string S = \"").Concat(new byte[] { 0xFF }).Concat(Encoding.ASCII.GetBytes("\"; };\n")).ToArray());
        try
        {
            var message = Message(() => Session.ImportMof(new[] { file }));
            Assert.Equal(Messages.Mof.At(new MofPosition(file, 2, 15), Messages.Mof.InvalidBytes(Messages.Mof.TheByte(0xFF), "utf-8")), message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Methods (issue 14)

    private void DeclareMethods() => Session.ImportMofText("class MsgSvc { [Key] string Name; uint32 Go([In] uint32 N, [Out] string Text); };");

    [Fact]
    public void An_unknown_method_an_argument_that_is_not_In_and_a_method_nobody_serves()
    {
        DeclareMethods();
        Put("MsgSvc", ("Name", "a"));
        var path = InstancePath.Parse("MsgSvc.Name=\"a\"");
        Assert.Equal(Messages.MethodNotFound("MsgSvc", "Stop"), Message(() => Session.InvokeMethod(path, "Stop")));
        Assert.Equal(Messages.MethodArgumentNotIn("MsgSvc", "Go", "Text"),
            Message(() => Session.InvokeMethod(path, "Go", new System.Collections.Hashtable { ["Text"] = "x" })));
        Assert.Equal(Messages.MethodNotServed("MsgSvc", "Go"), Message(() => Session.InvokeMethod(path, "Go")));
        Assert.Equal(Messages.MethodNotStatic("MsgSvc", "Go"), Message(() => Session.InvokeMethod("MsgSvc", "Go")));
    }
}
