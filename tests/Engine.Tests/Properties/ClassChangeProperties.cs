using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace CimLite.Tests.Properties;

/// <summary>
/// Issue 22 item 1, property-based: random class edits (MOF import with -Force: a property's type or array-ness
/// changed, a property removed or added) interleaved with random stored data (instances of a class and of its
/// subclass, queued indications of an indication class and of its subclass, takes from the queue) never produce
/// an unreadable repository. After every step every instance can be enumerated and got, the repository exports,
/// and the queue can be peeked and emptied; a refused edit fails with CLASS_HAS_INSTANCES and changes nothing;
/// no instance or queued item is lost by an accepted edit.
/// </summary>
public sealed class ClassChangeProperties
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ClassChangeProperties(Xunit.Abstractions.ITestOutputHelper output) { _output = output; }

    private int _accepted, _refused;

    private static readonly string[] Types = { "uint8", "uint64", "sint32", "string", "boolean", "datetime", "real64" };

    // Classes: 0 Base (key Id), 1 Leaf : Base, 2 Evt (indication), 3 SubEvt : Evt. Each has up to four own
    // properties, named by class and slot (B0.., L0.., E0.., S0..).
    private static readonly string[] ClassNames = { "Base", "Leaf", "Evt", "SubEvt" };
    private static readonly string[] Prefixes = { "B", "L", "E", "S" };

    private abstract record Op;
    private sealed record EditOp(int Class, int Slot, int Type, bool Array, bool Remove) : Op;
    private sealed record PutOp(int Class, int Id, int Seed) : Op;
    private sealed record PostOp(int Class, int Seed) : Op;
    private sealed record TakeOp(int Count) : Op;

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (4, from c in Gen.Choose(0, 3) from slot in Gen.Choose(0, 3) from t in Gen.Choose(0, Types.Length - 1)
            from array in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from remove in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (Op)new EditOp(c, slot, t, array, remove)),
        (3, from c in Gen.Choose(0, 1) from id in Gen.Choose(0, 4) from seed in Gen.Choose(0, 1000) select (Op)new PutOp(c, id, seed)),
        (3, from c in Gen.Choose(2, 3) from seed in Gen.Choose(0, 1000) select (Op)new PostOp(c, seed)),
        (1, from n in Gen.Choose(1, 3) select (Op)new TakeOp(n)));

    private static Arbitrary<Op[]> Sequences => Arb.From(Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(Ops, n)));

    /// <summary>The declared schema: per class, slot → (type, array) or null (absent).</summary>
    private sealed class Schema
    {
        public readonly (int Type, bool Array)?[][] Slots =
        {
            new (int, bool)?[] { (1, false), (3, false), null, null },
            new (int, bool)?[] { (2, false), null, null, null },
            new (int, bool)?[] { (0, false), (3, true), null, null },
            new (int, bool)?[] { (4, false), null, null, null },
        };

        public Schema Copy()
        {
            var s = new Schema();
            for (int c = 0; c < 4; c++) s.Slots[c] = ((int, bool)?[])Slots[c].Clone();
            return s;
        }

        public string Mof()
        {
            var sb = new StringBuilder();
            for (int c = 0; c < 4; c++)
            {
                if (c == 2) sb.Append("[Indication] ");
                sb.Append("class ").Append(ClassNames[c]);
                if (c == 1) sb.Append(" : Base");
                if (c == 3) sb.Append(" : Evt");
                sb.Append(" { ");
                if (c == 0) sb.Append("[key] string Id; ");
                for (int slot = 0; slot < 4; slot++)
                {
                    if (Slots[c][slot] is not { } d) continue;
                    sb.Append(Types[d.Type]).Append(' ').Append(Prefixes[c]).Append(slot).Append(d.Array ? "[]" : "").Append("; ");
                }
                sb.Append("};\n");
            }
            return sb.ToString();
        }

        /// <summary>Values for every property a class has (own and inherited), from a seed.</summary>
        public Dictionary<string, object?> Values(int c, int seed)
        {
            var r = new Random(seed);
            var values = new Dictionary<string, object?>();
            foreach (var owner in c == 1 ? new[] { 0, 1 } : c == 3 ? new[] { 2, 3 } : new[] { c })
                for (int slot = 0; slot < 4; slot++)
                {
                    if (Slots[owner][slot] is not { } d || r.Next(4) == 0) continue;
                    values[Prefixes[owner] + slot] = d.Array
                        ? Enumerable.Range(0, r.Next(3)).Select(_ => Value(d.Type, r)).ToArray()
                        : Value(d.Type, r);
                }
            return values;
        }

        private static object Value(int type, Random r) => Types[type] switch
        {
            "uint8" => (object)(byte)r.Next(256),
            "uint64" => (ulong)r.Next() * 1000UL,
            "sint32" => r.Next(-1000, 1000),
            "string" => "s" + r.Next(100),
            "boolean" => r.Next(2) == 0,
            "datetime" => new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(r.Next(100000)),
            _ => r.NextDouble() * 1e6,
        };
    }

    private void RunSequence(Op[] ops)
    {
        using var session = CimLiteSession.OpenInMemory();
        var schema = new Schema();
        session.ImportMofText(schema.Mof(), "schema.mof");
        var ids = new HashSet<string>();
        int queued = 0;
        var trace = new StringBuilder();
        foreach (var op in ops)
        {
            trace.AppendLine(op.ToString());
            switch (op)
            {
                case EditOp e:
                    {
                        var next = schema.Copy();
                        next.Slots[e.Class][e.Slot] = e.Remove ? null : (e.Type, e.Array);
                        var before = session.GetClasses().Select(c => c.ClassName + ":" + string.Join(",", c.Properties.Select(p => p.Name + " " + p.CimType + (p.IsArray ? "[]" : "")))).ToList();
                        try
                        {
                            session.ImportMofText(next.Mof(), "edit.mof", new MofImportOptions { Force = true });
                            schema = next;
                            _accepted++;
                        }
                        catch (CimLiteException x)
                        {
                            Assert.True(x.Status == CimStatus.ClassHasInstances, $"edit refused with {x.Status}: {x.Message}\n{trace}");
                            var after = session.GetClasses().Select(c => c.ClassName + ":" + string.Join(",", c.Properties.Select(p => p.Name + " " + p.CimType + (p.IsArray ? "[]" : "")))).ToList();
                            Assert.Equal(before, after);
                            _refused++;
                        }
                        break;
                    }
                case PutOp p:
                    {
                        var id = (p.Class == 0 ? "b" : "l") + p.Id;
                        var values = schema.Values(p.Class, p.Seed);
                        values["Id"] = id;
                        session.PutInstance(session.NewInstance(ClassNames[p.Class], values));
                        ids.Add(id);
                        break;
                    }
                case PostOp p:
                    session.PostIndication(session.NewInstance(ClassNames[p.Class], schema.Values(p.Class, p.Seed)));
                    queued++;
                    break;
                case TakeOp t:
                    {
                        var taken = session.ReceivePosted(new ReceiveOptions { First = t.Count }).Count();
                        Assert.Equal(Math.Min(t.Count, queued), taken);
                        queued -= taken;
                        break;
                    }
            }
            try
            {
                var all = session.EnumerateInstances("Base").ToList();
                Assert.Equal(ids.Count, all.Count);
                foreach (var i in all) session.GetInstance(i.GetPath());
                Assert.Equal(ids.Count(i => i[0] == 'l'), session.EnumerateInstances("Leaf").Count());
                session.ExportMof(new StringWriter(), new MofExportOptions { IncludeInstances = true });
                Assert.Equal(queued, session.ReceivePosted(new ReceiveOptions { Keep = true }).Count());
                Assert.Equal(queued, session.ReceivePosted(new ReceiveOptions { Keep = true, ClassName = "Evt" }).Count());
            }
            catch (Exception x) when (x is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"the repository became unreadable: {x.GetType().Name}: {x.Message}\nafter:\n{trace}");
            }
        }
        // The queue still empties completely.
        Assert.Equal(queued, session.ReceivePosted().Count());
    }

    [Fact]
    public void RandomClassEdits_NeverMakeStoredDataUnreadable()
    {
        Prop.ForAll(Sequences, ops => RunSequence(ops)).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
        _output.WriteLine($"200 sequences: {_accepted} edits accepted, {_refused} refused (CLASS_HAS_INSTANCES)");
        Assert.True(_accepted > 100 && _refused > 100, $"the edits must be both accepted and refused often: {_accepted} accepted, {_refused} refused");
    }

    [Fact]
    public void TheGeneratorReachesAcceptedAndRefusedEditsWithData()
    {
        // Guards the generator: sequences must often edit a class after data of it was stored.
        var samples = Gen.Sample(Sequences.Generator, numberOfSamples: 200, size: 30);
        int editAfterData = samples.Count(ops =>
        {
            var stored = new HashSet<int>();
            foreach (var op in ops)
            {
                if (op is PutOp p) { stored.Add(p.Class); stored.Add(0); }
                if (op is PostOp q) { stored.Add(q.Class); stored.Add(2); }
                if (op is EditOp e && stored.Contains(e.Class)) return true;
            }
            return false;
        });
        Assert.True(editAfterData > 60, $"only {editAfterData} of 200 sequences edit a class holding data");
    }
}
