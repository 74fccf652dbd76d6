using System.Text;
using CimLite.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;

namespace CimLite.Tests.Properties;

/// <summary>
/// Model-based: random sequences of puts (every mode, full and partial, strict nulls or not), deletes and gets
/// run against the engine and against a small in-memory model of WMI's PutInstance rules written from
/// DESIGN.md §2, not from the engine. After every step the outcome (success, or the CIM status) and the whole
/// observable state (every class enumerated deep, every value) must agree. FsCheck shrinks a failing
/// sequence to a minimal one.
/// </summary>
public sealed class PutModelProperties
{
    // ---- the schema, as the model sees it ----------------------------------------------------------------

    private sealed record PropDef(string Name, string Type, bool IsKey = false, bool IsRequired = false);

    private sealed record ClassDef(string Name, string? Parent, bool IsAbstract, PropDef[] Props)
    {
        public IEnumerable<PropDef> Keys => Props.Where(p => p.IsKey);
    }

    // A (abstract, key Id) with B : A, C : A (a Required property), D : B; E with two keys (uint8, string);
    // S, a singleton (no keys: path S=@).
    private static readonly ClassDef[] Classes =
    {
        new("A", null, true, new[] { new PropDef("Id", "string", IsKey: true), new PropDef("Name", "string") }),
        new("B", "A", false, new[] { new PropDef("Id", "string", IsKey: true), new PropDef("Name", "string"), new PropDef("BOnly", "uint32") }),
        new("C", "A", false, new[] { new PropDef("Id", "string", IsKey: true), new PropDef("Name", "string"), new PropDef("COnly", "string"), new PropDef("Req", "sint32", IsRequired: true) }),
        new("D", "B", false, new[] { new PropDef("Id", "string", IsKey: true), new PropDef("Name", "string"), new PropDef("BOnly", "uint32"), new PropDef("DOnly", "boolean") }),
        new("E", null, false, new[] { new PropDef("N", "uint8", IsKey: true), new PropDef("S", "string", IsKey: true), new PropDef("Tags", "string[]"), new PropDef("Score", "real64") }),
        new("S", null, false, new[] { new PropDef("V", "string[]"), new PropDef("W", "real32") }),
    };

    private static ClassDef Def(string name) => Classes.First(c => c.Name == name);

    private static bool IsA(string cls, string ancestor)
    {
        for (string? c = cls; c != null; c = Def(c).Parent)
            if (c == ancestor) return true;
        return false;
    }

    /// <summary>The class that declares the keys: the top of the hierarchy (key uniqueness holds below it).</summary>
    private static string KeyRoot(string cls)
    {
        var c = cls;
        while (Def(c).Parent != null) c = Def(c).Parent!;
        return c;
    }

    private static void CreateSchema(CimLiteSession session)
    {
        foreach (var c in Classes)
        {
            var spec = SessionFixture.Class(session, c.Name, c.Parent);
            if (c.IsAbstract) spec.Abstract();
            var inherited = c.Parent == null ? new HashSet<string>() : Def(c.Parent).Props.Select(p => p.Name).ToHashSet();
            foreach (var p in c.Props.Where(p => !inherited.Contains(p.Name)))
            {
                if (p.IsKey) spec.Key(p.Name, p.Type);
                else if (p.IsRequired) spec.Required(p.Name, p.Type);
                else spec.Prop(p.Name, p.Type);
            }
            spec.Create();
        }
    }

    // ---- values: a small space, so that keys collide and every rule is met often ----------------------

    private static Gen<object?> ValuesFor(PropDef p) => p.Name switch
    {
        "Id" => Gen.Frequency((20, Gen.Elements<object?>("a", "A", "b", "B", "x")), (1, Gen.Constant<object?>(null))),
        "N" => Gen.Frequency((20, Gen.Elements<object?>((byte)0, (byte)1, (byte)255)), (1, Gen.Constant<object?>(null))),
        "S" => Gen.Elements<object?>("k", "K", "m"),
        "Name" => Gen.Elements<object?>(null, "n", "N", ""),
        "BOnly" => Gen.Elements<object?>(null, 0u, 7u, uint.MaxValue),
        "COnly" => Gen.Elements<object?>(null, "c", "C"),
        "Req" => Gen.Frequency((1, Gen.Constant<object?>(null)), (2, Gen.Elements<object?>(-1, 5))),
        "DOnly" => Gen.Elements<object?>(null, true, false),
        "Tags" => Gen.Elements<object?>(null, new string[0], new[] { "p", "q" }, new[] { "P" }),
        "Score" => Gen.Elements<object?>(null, double.NaN, -0.0, 1.5),
        "V" => Gen.Elements<object?>(null, new string[0], new[] { "v" }),
        "W" => Gen.Elements<object?>(null, -0.0f, float.NaN, 2f),
        _ => throw new ArgumentOutOfRangeException(p.Name),
    };

    private static readonly string[] AllPropertyNames =
        Classes.SelectMany(c => c.Props.Select(p => p.Name)).Distinct().Append("Nope").ToArray();

    // ---- operations --------------------------------------------------------------------------------------

    private abstract record Op;

    private sealed record PutOp(string Class, PutMode Mode, (string Name, object? Value)[] Values, string[]? PropertyList, bool StrictNulls) : Op
    {
        public override string ToString() =>
            $"Put {Class} {Mode}{(PropertyList == null ? "" : " -Property " + string.Join(",", PropertyList))}{(StrictNulls ? " -StrictNulls" : "")} {{{string.Join("; ", Values.Select(v => v.Name + "=" + Show(v.Value)))}}}";
    }

    /// <summary>Several puts in one batch (one transaction, a savepoint per item), committed or abandoned.</summary>
    private sealed record BatchOp(PutOp[] Puts, bool Commit) : Op
    {
        public override string ToString() => $"Batch ({(Commit ? "committed" : "abandoned")}) [{string.Join(" / ", Puts.Select(p => p.ToString()))}]";
    }

    private sealed record DeleteOp(string Class, (string Name, object Value)[] Keys) : Op
    {
        public override string ToString() => $"Delete {Class} {{{string.Join("; ", Keys.Select(v => v.Name + "=" + Show(v.Value)))}}}";
    }

    /// <summary>SELECT * FROM Class WHERE each key = value (pushed down to SQL, and evaluated in memory).</summary>
    private sealed record QueryOp(string Class, (string Name, object Value)[] Keys) : Op
    {
        public string Wql => "SELECT * FROM " + Class + (Keys.Length == 0 ? "" : " WHERE " +
            string.Join(" AND ", Keys.Select(k => k.Name + " = " + (k.Value is string s ? "'" + s.Replace("'", "''") + "'" : Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)))));

        public override string ToString() => "Query " + Wql;
    }

    private sealed record GetOp(string Class, (string Name, object Value)[] Keys) : Op
    {
        public override string ToString() => $"Get {Class} {{{string.Join("; ", Keys.Select(v => v.Name + "=" + Show(v.Value)))}}}";
    }

    private static string Show(object? v) => v switch
    {
        null => "null",
        string s => "'" + s + "'",
        string[] a => "@(" + string.Join(",", a.Select(x => "'" + x + "'")) + ")",
        double d => double.IsNaN(d) ? "NaN" : d == 0 && double.IsNegative(d) ? "-0" : d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "NaNf" : f == 0 && float.IsNegative(f) ? "-0f" : f.ToString(System.Globalization.CultureInfo.InvariantCulture) + "f",
        _ => v.ToString() + ":" + v.GetType().Name,
    };

    private static Gen<(string, object?)[]> ValuesOf(ClassDef c) =>
        c.Props.Aggregate(Gen.Constant(new List<(string, object?)>()),
                (acc, p) => from list in acc from v in ValuesFor(p) select new List<(string, object?)>(list) { (p.Name, v) })
            .Select(l => l.ToArray());

    private static Gen<(string, object)[]> KeysOf(ClassDef c) =>
        ValuesOf(Def(c.Name == "A" || c.IsAbstract ? "B" : c.Name))
            .Select(vs => vs.Where(v => c.Keys.Any(k => k.Name == v.Item1) && v.Item2 != null).Select(v => (v.Item1, v.Item2!)).ToArray())
            .Where(ks => ks.Length == c.Keys.Count());

    private static readonly Gen<Op> SingleOps =
        from c in Gen.Frequency((1, Gen.Constant(Def("A"))), (3, Gen.Constant(Def("B"))), (4, Gen.Constant(Def("C"))), (2, Gen.Constant(Def("D"))),
            (2, Gen.Constant(Def("E"))), (1, Gen.Constant(Def("S"))))
        from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from op in kind switch
        {
            0 => from mode in Gen.Elements(PutMode.CreateOrUpdate, PutMode.CreateOrUpdate, PutMode.UpdateOnly, PutMode.CreateOnly)
                 from values in ValuesOf(c)
                 from partial in Gen.Frequency(
                     (3, Gen.Constant<string[]?>(null)),
                     (2, Gen.SubListOf(c.Props.Select(p => p.Name).ToArray()).Select(l => (string[]?)l.ToArray())),
                     (1, Gen.SubListOf(AllPropertyNames).Select(l => (string[]?)l.ToArray())))
                 from strict in Gen.Elements(false, true)
                 select (Op)new PutOp(c.Name, mode, values, partial, strict),
            1 => KeysOf(c).Select(k => (Op)new DeleteOp(c.Name, k)),
            2 => KeysOf(c).Select(k => (Op)new GetOp(c.Name, k)),
            _ => KeysOf(c).Select(k => (Op)new QueryOp(c.Name, k)),
        }
        select op;

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (12, SingleOps),
        (1, from n in Gen.Choose(1, 6)
            from puts in Gen.ArrayOf(SingleOps.Where(o => o is PutOp).Select(o => (PutOp)o), n)
            from commit in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            select (Op)new BatchOp(puts, commit)));

    private static IEnumerable<List<Op>> ShrinkList(List<Op> ops)
    {
        // Drop halves, then quarters…, then single operations: a failing run shrinks to the steps that matter.
        for (int size = ops.Count / 2; size >= 1; size /= 2)
            for (int start = 0; start + size <= ops.Count; start += size)
            {
                var shorter = new List<Op>(ops);
                shorter.RemoveRange(start, size);
                yield return shorter;
            }
        // Then make batches smaller: one item fewer, or (committed) their items as separate puts.
        for (int i = 0; i < ops.Count; i++)
        {
            if (!(ops[i] is BatchOp batch)) continue;
            for (int j = 0; j < batch.Puts.Length && batch.Puts.Length > 1; j++)
            {
                var smaller = new List<Op>(ops);
                smaller[i] = batch with { Puts = batch.Puts.Where((_, k) => k != j).ToArray() };
                yield return smaller;
            }
            if (batch.Commit)
            {
                var separate = new List<Op>(ops);
                separate.RemoveAt(i);
                separate.InsertRange(i, batch.Puts);
                yield return separate;
            }
        }
    }

    private static Arbitrary<List<Op>> Sequences(int maxLength) =>
        Arb.From(Gen.Choose(0, maxLength).SelectMany(n => Gen.ListOf(Ops, n)).Select(l => l.ToList()), ShrinkList);

    // ---- the model ---------------------------------------------------------------------------------------

    private sealed class ModelInstance
    {
        public required string Class;
        public required Dictionary<string, object?> Values;
    }

    private sealed class Model
    {
        public readonly List<ModelInstance> Instances = new();

        public List<ModelInstance> Copy() =>
            Instances.Select(i => new ModelInstance { Class = i.Class, Values = new Dictionary<string, object?>(i.Values) }).ToList();

        public void Restore(List<ModelInstance> copy)
        {
            Instances.Clear();
            Instances.AddRange(copy);
        }

        private static bool SameKeyValue(object? a, object? b) =>
            a is string sa && b is string sb ? string.Equals(sa, sb, StringComparison.OrdinalIgnoreCase) : Equals(a, b);

        /// <summary>The instance holding these key values anywhere under the key-defining class (whatever its class).</summary>
        public ModelInstance? Holder(string cls, IEnumerable<(string Name, object? Value)> keys)
        {
            var root = KeyRoot(cls);
            var keyList = keys.ToList();
            return Instances.FirstOrDefault(i => KeyRoot(i.Class) == root && keyList.All(k => SameKeyValue(i.Values[k.Name], k.Value)));
        }

        /// <summary>The statuses the documented rules allow for this put (empty: it must succeed); on success, applies it.</summary>
        public HashSet<CimStatus> Put(PutOp op)
        {
            var c = Def(op.Class);
            var values = op.Values.ToDictionary(v => v.Name, v => v.Value);
            var errors = new HashSet<CimStatus>();
            // A partial put always updates: asking it to create only is a parameter error.
            if (op.PropertyList != null && op.Mode == PutMode.CreateOnly) errors.Add(CimStatus.InvalidParameter);
            // Rule 1: the class must be concrete.
            if (c.IsAbstract) errors.Add(CimStatus.InvalidOperation);
            // Rule 2: unknown property names; keys present and non-null.
            if (op.PropertyList != null && op.PropertyList.Any(n => !c.Props.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))))
                errors.Add(CimStatus.NoSuchProperty);
            bool nullKey = c.Keys.Any(k => values[k.Name] == null);
            if (nullKey) errors.Add(CimStatus.IllegalNull);
            if (c.IsAbstract || nullKey) return errors;

            var holder = Holder(op.Class, c.Keys.Select(k => (k.Name, values[k.Name])));
            // Rule 3: no moving — a key held by an instance of another class of the hierarchy.
            if (holder != null && holder.Class != op.Class) errors.Add(CimStatus.AlreadyExists);
            if (holder != null && op.Mode == PutMode.CreateOnly) errors.Add(CimStatus.AlreadyExists);
            // Update-only and partial puts need the instance.
            if (holder == null && (op.Mode == PutMode.UpdateOnly || op.PropertyList != null)) errors.Add(CimStatus.NotFound);
            if (op.PropertyList != null)
            {
                // Rule 4: a strict null on a key or Required property is illegal.
                if (op.StrictNulls && c.Props.Any(p => (p.IsKey || p.IsRequired) && values[p.Name] == null &&
                        op.PropertyList.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
                    errors.Add(CimStatus.IllegalNull);
            }
            else if (c.Props.Any(p => p.IsRequired && values[p.Name] == null))
            {
                errors.Add(CimStatus.IllegalNull);
            }
            if (errors.Count > 0) return errors;

            if (op.PropertyList == null)
            {
                // A full put writes every property (key spellings included); it creates or replaces.
                if (holder != null) Instances.Remove(holder);
                Instances.Add(new ModelInstance { Class = op.Class, Values = new Dictionary<string, object?>(values) });
            }
            else
            {
                // A partial put changes the named properties only; without strict nulls a null leaves one as it was.
                foreach (var p in c.Props.Where(p => op.PropertyList.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
                    if (values[p.Name] != null || op.StrictNulls) holder!.Values[p.Name] = values[p.Name];
            }
            return errors;
        }

        /// <summary>The instance a path of <paramref name="cls"/> names: the key holder, when it is of that class or below.</summary>
        public ModelInstance? Find(string cls, (string Name, object Value)[] keys)
        {
            var holder = Holder(cls, keys.Select(k => (k.Name, (object?)k.Value)));
            return holder != null && IsA(holder.Class, cls) ? holder : null;
        }
    }

    // ---- running both and comparing ----------------------------------------------------------------------

    private static InstancePath PathOf(string cls, (string Name, object Value)[] keys) =>
        new(null, cls, keys.Select(k => new KeyValuePair<string, object>(k.Name, k.Value)));

    private static CimStatus? Run(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (CimLiteException e)
        {
            return e.Status;
        }
    }

    private static CimLiteInstance InstanceOf(CimLiteSession session, PutOp op)
    {
        var instance = new CimLiteInstance(session.GetClass(op.Class)); // (NewInstance refuses abstract classes before the put could)
        foreach (var (name, value) in op.Values) instance[name] = value;
        return instance;
    }

    private static PutOptions OptionsOf(PutOp op) => new() { Mode = op.Mode, PropertyList = op.PropertyList, StrictNulls = op.StrictNulls };

    private static CimStatus? RunPut(CimLiteSession session, PutOp op) =>
        Run(() => session.PutInstance(InstanceOf(session, op), OptionsOf(op)));

    private static void CheckPut(HashSet<CimStatus> allowed, CimStatus? actual, string trace)
    {
        if (allowed.Count == 0 && actual != null)
            Assert.Fail($"engine failed with {actual}, model succeeded, at the last of:\n{trace}");
        if (allowed.Count > 0 && (actual == null || !allowed.Contains(actual.Value)))
            Assert.Fail($"engine gave {(actual?.ToString() ?? "success")}, model expects {string.Join(" or ", allowed)}, at the last of:\n{trace}");
    }

    private static string Describe(ModelInstance i) =>
        i.Class + " {" + string.Join("; ", Def(i.Class).Props.Select(p => p.Name + "=" + Show(i.Values[p.Name]))) + "}";

    private static string Describe(CimLiteInstance i) =>
        i.ClassName + " {" + string.Join("; ", Def(i.ClassName).Props.Select(p => p.Name + "=" + Show(i[p.Name]))) + "}";

    private static bool Same(ModelInstance m, CimLiteInstance e) =>
        m.Class == e.ClassName && Def(m.Class).Props.All(p => ValueRoundTripProperties.SameValue(m.Values[p.Name], e[p.Name]));

    private static void CompareState(CimLiteSession session, Model model, string trace)
    {
        foreach (var c in Classes)
        {
            var expected = model.Instances.Where(i => IsA(i.Class, c.Name)).Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var actualInstances = session.EnumerateInstances(c.Name, deep: true).ToList();
            var actual = actualInstances.Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(actual))
                Assert.Fail($"state of {c.Name} (deep) differs after:\n{trace}\nmodel:  {string.Join(" | ", expected)}\nengine: {string.Join(" | ", actual)}");
            // Describe prints NaN and -0 alike for both; Same checks the values bit for bit as well.
            foreach (var e in actualInstances)
                if (!model.Instances.Any(m => Same(m, e)))
                    Assert.Fail($"engine instance {Describe(e)} has no exact match in the model after:\n{trace}");
        }
    }

    private static void RunSequence(string backend, List<Op> ops)
    {
        string? scratch = null;
        try
        {
            using var session = TestBackends.Open(backend, out scratch);
            RunSequence(session, ops);
        }
        finally
        {
            TestBackends.Cleanup(scratch);
        }
    }

    private static void RunSequence(CimLiteSession session, List<Op> ops)
    {
        CreateSchema(session);
        var model = new Model();
        var trace = new StringBuilder();
        foreach (var op in ops)
        {
            trace.Append("  ").Append(op).Append('\n');
            switch (op)
            {
                case PutOp put:
                    CheckPut(model.Put(put), RunPut(session, put), trace.ToString());
                    break;
                case BatchOp batch:
                    {
                        var before = model.Copy();
                        using (var b = session.BeginPutBatch())
                        {
                            foreach (var put in batch.Puts)
                            {
                                // Each item sees the batch's earlier items, exactly as separate puts would.
                                var result = b.Add(InstanceOf(session, put), OptionsOf(put));
                                CheckPut(model.Put(put), result.Error?.Status, trace + "    (item " + put + ")\n");
                            }
                            if (batch.Commit) b.Commit();
                        }
                        if (!batch.Commit) model.Restore(before);
                        break;
                    }
                case DeleteOp delete:
                    {
                        var target = model.Find(delete.Class, delete.Keys);
                        if (target != null) model.Instances.Remove(target);
                        var actual = Run(() => session.DeleteInstance(PathOf(delete.Class, delete.Keys)));
                        var expected = target == null ? CimStatus.NotFound : (CimStatus?)null;
                        if (actual != expected)
                            Assert.Fail($"delete: engine gave {(actual?.ToString() ?? "success")}, model {(expected?.ToString() ?? "success")}, at the last of:\n{trace}");
                        break;
                    }
                case QueryOp query:
                    {
                        // A singleton query names no key: every instance of the class; otherwise the key holder, if of the class.
                        var expected = query.Keys.Length == 0
                            ? model.Instances.Where(i => IsA(i.Class, query.Class)).ToList()
                            : new[] { model.Find(query.Class, query.Keys) }.Where(i => i != null).Select(i => i!).ToList();
                        foreach (var inMemory in new[] { false, true })
                        {
                            var found = session.ExecQuery(query.Wql, options: new QueryOptions { EvaluateInMemory = inMemory }).ToList();
                            if (found.Count != expected.Count || !expected.All(m => found.Any(e => Same(m, e))))
                                Assert.Fail($"query ({(inMemory ? "in memory" : "pushed down")}): engine gave [{string.Join(" | ", found.Select(Describe))}], model [{string.Join(" | ", expected.Select(Describe))}], at the last of:\n{trace}");
                        }
                        break;
                    }
                case GetOp get:
                    {
                        var target = model.Find(get.Class, get.Keys);
                        CimLiteInstance? found = null;
                        var actual = Run(() => found = session.GetInstance(PathOf(get.Class, get.Keys)));
                        if (target == null && actual != CimStatus.NotFound)
                            Assert.Fail($"get: engine gave {(actual?.ToString() ?? Describe(found!))}, model NotFound, at the last of:\n{trace}");
                        if (target != null && (found == null || !Same(target, found)))
                            Assert.Fail($"get: engine gave {(found == null ? actual.ToString() : Describe(found))}, model {Describe(target)}, at the last of:\n{trace}");
                        break;
                    }
            }
            CompareState(session, model, trace.ToString());
        }
    }

    [Theory, MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void RandomSequences_AgreeWithTheModelAfterEveryStep(string backend)
    {
        // A PostgreSQL repository costs a schema with its tables per sequence (about ten times a SQLite file): fewer sequences there.
        Prop.ForAll(Sequences(40), ops => RunSequence(backend, ops)).Check(Config.QuickThrowOnFailure.WithMaxTest(backend == TestBackends.Postgres ? 60 : 300));
    }

    [Fact]
    public void TheGeneratorMeetsEveryRule()
    {
        // Guards the generator: the property above is only as good as the outcomes it reaches.
        var outcomes = new Dictionary<string, int>();
        var samples = Gen.Sample(Sequences(40).Generator, numberOfSamples: 300, size: 40);
        Assert.Equal(300, samples.Length);
        foreach (var ops in samples)
        {
            var model = new Model();
            foreach (var op in ops)
            {
                var keys = new List<string>();
                if (op is PutOp put)
                {
                    var errors = model.Put(put);
                    var prefix = "put " + (put.PropertyList == null ? "full " : "partial ");
                    if (errors.Count == 0) keys.Add(prefix + "ok");
                    foreach (var e in errors) keys.Add(prefix + e);
                    if (errors.Count == 1) keys.Add(prefix + "only " + errors.Single());
                }
                else if (op is DeleteOp d)
                {
                    var t = model.Find(d.Class, d.Keys);
                    if (t != null) model.Instances.Remove(t);
                    keys.Add("delete " + (t == null ? "missing" : "ok"));
                }
                else if (op is BatchOp batch)
                {
                    var before = model.Copy();
                    foreach (var item in batch.Puts) keys.Add("batch item " + (model.Put(item).Count == 0 ? "ok" : "failed"));
                    if (!batch.Commit) { model.Restore(before); keys.Add("batch abandoned"); }
                }
                else if (op is GetOp g) keys.Add("get " + (model.Find(g.Class, g.Keys) == null ? "missing" : "ok"));
                else if (op is QueryOp q) keys.Add("query " + (q.Keys.Length == 0 || model.Find(q.Class, q.Keys) != null ? "hit" : "miss"));
                foreach (var key in keys) outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
        }
        foreach (var must in new[] { "put full ok", "put partial ok", "put full only AlreadyExists", "put full only NotFound", "put partial only NotFound",
                     "put full only InvalidOperation", "put full only IllegalNull", "put partial only IllegalNull", "put partial only NoSuchProperty",
                     "put partial only AlreadyExists", "put partial InvalidParameter", "delete ok", "delete missing", "get ok", "get missing", "batch item ok", "batch item failed", "batch abandoned", "query hit", "query miss" })
            Assert.True(outcomes.GetValueOrDefault(must) > 10, $"the generator rarely reaches '{must}': {string.Join(", ", outcomes.Select(kv => kv.Key + "=" + kv.Value))}");
    }
}
