using CimLite.Storage;
using CimLite.Tests.TestUtilities;

namespace CimLite.Tests.Storage;

/// <summary>
/// <see cref="CimLiteRepository.Copy"/> (issue 18 item 6): everything a repository stores, from one session to another,
/// read as one snapshot and written in one transaction. Here between files and memory; the PostgreSQL backend joins the
/// same round trip when it lands.
/// </summary>
public sealed class RepositoryCopyTests : TempFolderTests
{
    public RepositoryCopyTests() : base("copy") { }

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    private const string Declarations = @"
Qualifier Colour : string = ""red"", Scope(class, property), Flavor(DisableOverride);
Qualifier Rank : uint32 = 3, Scope(property);
";

    /// <summary>
    /// A repository of two namespaces: qualifier declarations, an abstract root with a concrete child and grandchild,
    /// an association with references (one through a superclass path, one dangling), an indication class with queued
    /// indications, instance qualifiers and a class in a second namespace.
    /// </summary>
    private static void Fill(CimLiteSession s, int items = 40, int posted = 5)
    {
        s.ImportMofText(Declarations);
        SessionFixture.Class(s, "Base").Abstract().Key("Id", "uint32").Create();
        SessionFixture.Class(s, "Item", "Base").Prop("Text", "string").Prop("When", "datetime").Prop("Tags", "string[]").Create();
        SessionFixture.Class(s, "Special", "Item").Prop("Extra", "real64").Create();
        SessionFixture.Class(s, "Link").Key("Left", "ref:Item").Key("Right", "ref:Item").Create();
        SessionFixture.Class(s, "Evt").Indication().Prop("N", "uint32").Create();
        SessionFixture.Class(s, "Other").Key("Name", "string").Create("root/other");
        using (var batch = s.BeginPutBatch())
        {
            for (uint i = 1; i <= items; i++)
            {
                var instance = i % 4 == 0
                    ? s.NewInstance("Special", Values(("Id", i), ("Text", "s" + i), ("Extra", i / 3.0)))
                    : s.NewInstance("Item", Values(("Id", i), ("Text", "t" + i), ("When", new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.FromHours(2)).AddMinutes(i)), ("Tags", new[] { "a", "b" + i })));
                batch.Add(instance);
            }
            batch.Commit();
        }
        s.PutInstance(s.NewInstance("Link", Values(("Left", "Item.Id=1"), ("Right", "Base.Id=4"))));
        s.PutInstance(s.NewInstance("Link", Values(("Left", "Item.Id=2"), ("Right", "Item.Id=999"))));
        s.PutInstance(s.NewInstance("Other", Values(("Name", "o'ne")), "root/other"));
        for (uint n = 0; n < posted; n++) s.PostIndication(s.NewInstance("Evt", Values(("N", n))));
    }

    /// <summary>What a repository stores, as text to compare: per namespace its qualifier declarations, classes (encoded definitions) and instances (path and encoded values), and the posted queue in order.</summary>
    internal static List<string> Contents(CimLiteSession s)
    {
        var lines = new List<string>();
        foreach (var ns in s.GetNamespaces())
        {
            foreach (var d in s.GetQualifierDeclarations(ns).OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase))
                lines.Add($"{ns} qualifier {CimLite.Mof.MofCompiler.Encode(d)}");
            foreach (var c in s.GetClasses(ns).OrderBy(c => c.ClassName, StringComparer.OrdinalIgnoreCase))
            {
                lines.Add($"{ns} class {c.ClassName} : {c.Superclass} {ValueCodec.EncodeDefinition(c.Definition, amended: false)}");
                if (c.IsAbstract || c.IsIndication) continue;
                foreach (var i in s.EnumerateInstances(c.ClassName, ns, deep: false).Select(i => $"{ns} instance {i.GetPath()} {ValueCodec.EncodeValues(i.Class, i.Values)}").Order(StringComparer.Ordinal))
                    lines.Add(i);
            }
        }
        using (var lease = s.LeasePosted(new ReceiveOptions { BatchSize = 10_000 }))
        {
            foreach (var p in lease.Items) lines.Add($"posted {p.Instance.ClassName} {p.PostedAt:o} {ValueCodec.EncodeValues(p.Instance.Class, p.Instance.Values)}");
            // leave them queued
        }
        return lines;
    }

    [Fact]
    public void A_file_copied_into_memory_and_into_a_new_file_stores_the_same_namespaces_declarations_classes_instances_and_queue()
    {
        using var source = CimLiteSession.Open(File("source.db"));
        Fill(source);
        var expected = Contents(source);
        Assert.Contains(expected, l => l.StartsWith("posted Evt", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.Contains("qualifier") && l.Contains("Colour"));

        using var memory = CimLiteSession.OpenInMemory();
        var first = CimLiteRepository.Copy(source, memory);
        Assert.Equal(40 + 2 + 1, first.Instances);
        Assert.Equal(5, first.PostedIndications);
        Assert.Equal(source.GetClasses().Count + 1, first.Classes);
        using var back = CimLiteSession.Open(File("back.db"));
        var second = CimLiteRepository.Copy(memory, back);
        Assert.Equal(first.Instances, second.Instances);

        Assert.Equal(expected, Contents(memory));
        Assert.Equal(expected, Contents(back));
        Assert.True(CimLiteRepository.Check(back).IsHealthy);
    }

    [Fact]
    public void Copied_references_are_indexed_at_the_destination_so_associations_are_followed_there()
    {
        using var source = CimLiteSession.Open(File("source.db"));
        Fill(source);
        using var copy = CimLiteSession.Open(File("copy.db"));
        CimLiteRepository.Copy(source, copy);
        // Base.Id=4 names a Special through its superclass: the index keys it by identity.
        var associated = copy.GetAssociatedInstances(InstancePath.Parse("Special.Id=4"));
        Assert.Equal("root/cimv2:Item.Id=1", Assert.Single(associated).GetPath().ToString());
        Assert.Equal(2, copy.ExecQuery("REFERENCES OF {Item.Id=1}").Count() + copy.ExecQuery("REFERENCES OF {Item.Id=2}").Count());
        Assert.Empty(copy.GetAssociatedInstances(InstancePath.Parse("Item.Id=2")));   // the other end dangles
    }

    [Fact]
    public void Leases_are_not_copied_a_leased_indication_is_queued_and_receivable_at_the_destination()
    {
        using var source = CimLiteSession.Open(File("source.db"));
        Fill(source, posted: 3);
        using var holder = CimLiteSession.Open(File("source.db"));
        using var lease = holder.LeasePosted(new ReceiveOptions { BatchSize = 2 });
        Assert.Equal(2, lease.Items.Count);
        using var copy = CimLiteSession.OpenInMemory();
        Assert.Equal(3, CimLiteRepository.Copy(source, copy).PostedIndications);
        Assert.Equal(new uint[] { 0, 1, 2 }, copy.ReceivePosted().Select(p => (uint)p.Instance["N"]!).ToArray());
    }

    [Fact]
    public void A_class_the_destination_already_has_refuses_the_copy_and_nothing_is_written()
    {
        using var source = CimLiteSession.OpenInMemory();
        Fill(source);
        var path = File("dest.db");
        using var destination = CimLiteSession.Open(path);
        SessionFixture.Class(destination, "Mine").Key("K").Create();
        SessionFixture.Class(destination, "Other").Key("Name").Create("root/other");
        var before = Contents(destination);
        var e = Assert.Throws<CimLiteException>(() => CimLiteRepository.Copy(source, destination));
        Assert.Equal(CimStatus.AlreadyExists, e.Status);
        Assert.Contains("root/other:Other", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(before, Contents(destination));
        Assert.DoesNotContain("root/cimv2", destination.GetNamespaces().Where(n => destination.GetClasses(n).Count > 1));
        Assert.Null(destination.FindClass("Item"));
    }

    [Fact]
    public void A_qualifier_declared_differently_refuses_the_copy_one_declared_alike_is_kept()
    {
        using var source = CimLiteSession.OpenInMemory();
        Fill(source);
        using var alike = CimLiteSession.OpenInMemory();
        alike.ImportMofText(Declarations);
        var result = CimLiteRepository.Copy(source, alike);
        Assert.Equal(2, result.QualifierDeclarations);
        Assert.Equal(2, alike.GetQualifierDeclarations().Count);

        using var differs = CimLiteSession.OpenInMemory();
        differs.ImportMofText("Qualifier Rank : uint32 = 4, Scope(property);");
        var e = Assert.Throws<CimLiteException>(() => CimLiteRepository.Copy(source, differs));
        Assert.Equal(CimStatus.AlreadyExists, e.Status);
        Assert.Contains("'Rank'", e.Message);
        Assert.Null(differs.FindClass("Item"));
        Assert.Single(differs.GetQualifierDeclarations());
    }

    [Fact]
    public void A_failure_midway_leaves_the_destination_as_it_was()
    {
        using var source = CimLiteSession.OpenInMemory();
        Fill(source, items: 3000);
        var path = File("dest.db");
        using (var destination = CimLiteSession.Open(path))
        {
            SessionFixture.Class(destination, "Mine").Key("K").Create();
            var before = Contents(destination);
            long seen = 0;
            Assert.Throws<InvalidOperationException>(() => CimLiteRepository.Copy(source, destination, (done, total) =>
            {
                seen = done;
                if (done >= 2000) throw new InvalidOperationException("stop");
            }));
            Assert.True(seen >= 2000);
            Assert.Equal(before, Contents(destination));
        }
        using var reopened = CimLiteSession.Open(path);
        Assert.Null(reopened.FindClass("Item"));
        Assert.True(CimLiteRepository.Check(reopened).IsHealthy);
    }

    [Fact]
    public void The_copy_is_one_snapshot_of_the_source_writes_during_it_are_not_copied()
    {
        var path = File("source.db");
        using var source = CimLiteSession.Open(path);
        Fill(source, items: 3000);
        using var writer = CimLiteSession.Open(path);
        using var copy = CimLiteSession.OpenInMemory();
        bool wrote = false;
        var result = CimLiteRepository.Copy(source, copy, (done, total) =>
        {
            if (wrote) return;
            wrote = true;
            writer.PutInstance(writer.NewInstance("Item", Values(("Id", 100_000u), ("Text", "late"))));
            writer.PostIndication(writer.NewInstance("Evt", Values(("N", 99u))));
            SessionFixture.Class(writer, "Late").Key("K").Create();
        });
        Assert.True(wrote);
        Assert.Equal(3003, result.Instances);
        Assert.Null(copy.FindClass("Late"));
        Assert.Throws<CimLiteException>(() => copy.GetInstance(InstancePath.Parse("Item.Id=100000")));
        Assert.Equal(5, copy.ReceivePosted().Count());
        Assert.NotNull(source.GetInstance(InstancePath.Parse("Item.Id=100000")));
    }

    [Fact]
    public void Copying_a_repository_into_itself_or_into_a_read_only_session_is_refused()
    {
        var path = File("self.db");
        using var s = CimLiteSession.Open(path);
        Fill(s, items: 4, posted: 0);
        Assert.Equal(CimStatus.InvalidParameter, Assert.Throws<CimLiteException>(() => CimLiteRepository.Copy(s, s)).Status);
        using var same = CimLiteSession.Open(path);
        var e = Assert.Throws<CimLiteException>(() => CimLiteRepository.Copy(s, same));
        Assert.Equal(CimStatus.InvalidParameter, e.Status);
        Assert.Contains(path, e.Message);

        var other = File("other.db");
        CimLiteSession.Open(other).Dispose();
        using var readOnly = CimLiteSession.Open(other, new CimLiteSessionOptions { ReadOnly = true });
        Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() => CimLiteRepository.Copy(s, readOnly)).Status);
        Assert.Null(readOnly.FindClass("Item"));
    }

    [Fact]
    public void A_read_only_source_is_copied()
    {
        var path = File("ro.db");
        using (var s = CimLiteSession.Open(path)) Fill(s, items: 10, posted: 2);
        using var source = CimLiteSession.Open(path, new CimLiteSessionOptions { ReadOnly = true });
        using var copy = CimLiteSession.OpenInMemory();
        var result = CimLiteRepository.Copy(source, copy);
        Assert.Equal(13, result.Instances);
        Assert.Equal(2, result.PostedIndications);
    }
}
