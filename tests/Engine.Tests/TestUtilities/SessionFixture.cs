using System.Collections;
using System.Text;

namespace CimLite.Tests.TestUtilities;

/// <summary>
/// Base class of engine tests: a fresh in-memory session per test, a terse schema builder, helpers to put
/// instances, and <see cref="Fails"/> which checks a failure's status, WMI HRESULT, message, and that the
/// repository (namespaces, classes, instances) is byte-for-byte what it was before.
/// </summary>
public abstract class SessionFixture : IDisposable
{
    private CimLiteSession? _session;

    protected SessionFixture() : this(open: true) { }

    private protected SessionFixture(bool open)
    {
        if (open) _session = CimLiteSession.OpenInMemory();
    }

    protected CimLiteSession Session
    {
        get => _session ?? OpenDefault();
        set => _session = value;
    }

    /// <summary>The session of a fixture that opens none up front (see <see cref="BackendSessionFixture"/>).</summary>
    private protected virtual CimLiteSession OpenDefault() => throw new InvalidOperationException("no session is open");

    public virtual void Dispose() => _session?.Dispose();

    /// <summary>The WMI HRESULTs (WBEM_E_*) each status must carry, written out independently of the engine's table.</summary>
    public static readonly IReadOnlyDictionary<CimStatus, uint> WmiHResults = new Dictionary<CimStatus, uint>
    {
        [CimStatus.Failed] = 0x80041001,
        [CimStatus.NotFound] = 0x80041002,
        [CimStatus.AccessDenied] = 0x80041003,
        [CimStatus.ProviderFailure] = 0x80041004,
        [CimStatus.TypeMismatch] = 0x80041005,
        [CimStatus.InvalidParameter] = 0x80041008,
        [CimStatus.NotSupported] = 0x8004100C,
        [CimStatus.InvalidSuperclass] = 0x8004100D,
        [CimStatus.InvalidNamespace] = 0x8004100E,
        [CimStatus.InvalidClass] = 0x80041010,
        [CimStatus.InvalidOperation] = 0x80041016,
        [CimStatus.InvalidQuery] = 0x80041017,
        [CimStatus.AlreadyExists] = 0x80041019,
        [CimStatus.ClassHasChildren] = 0x80041025,
        [CimStatus.ClassHasInstances] = 0x80041026,
        [CimStatus.IllegalNull] = 0x80041028,
        // WMI has no "no such property" code: IWbemClassObject::Put of an unknown name answers WBEM_E_NOT_FOUND.
        [CimStatus.NoSuchProperty] = 0x80041002,
        // ExecMethod of a method the class does not have: WBEM_E_INVALID_METHOD.
        [CimStatus.MethodNotFound] = 0x8004102E,
    };

    public static ClassSpec Class(CimLiteSession session, string name, string? superclass = null) => new(session, name, superclass);

    protected ClassSpec Class(string name, string? superclass = null) => new(Session, name, superclass);

    protected static Dictionary<string, object?> Props(params (string Name, object? Value)[] values)
    {
        var d = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (n, v) in values) d[n] = v;
        return d;
    }

    protected CimLiteInstance New(string className, params (string Name, object? Value)[] values) =>
        Session.NewInstance(className, Props(values));

    protected InstancePath Put(string className, params (string Name, object? Value)[] values) =>
        Session.PutInstance(New(className, values));

    protected InstancePath Put(PutOptions options, string className, params (string Name, object? Value)[] values) =>
        Session.PutInstance(New(className, values), options);

    protected CimLiteInstance Get(string path) => Session.GetInstance(InstancePath.Parse(path));

    protected CimLiteInstance? Find(string path) => Session.FindInstance(InstancePath.Parse(path));

    /// <summary>
    /// Everything stored in the repository, as text: namespaces, classes (with definitions), instances and the posted
    /// queue. Read from SQLite's tables (both SQLite test backends), or PostgreSQL's (<see cref="PostgresAccess.Dump"/>).
    /// </summary>
    public static string Snapshot(CimLiteSession session)
    {
        if (session.Postgres() is { } postgres) return PostgresAccess.Dump(postgres);
        var sb = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT id, name FROM namespaces ORDER BY id",
            "SELECT id, namespace_id, name, superclass_id, definition, amended FROM classes ORDER BY id",
            "SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances ORDER BY id",
            "SELECT name, value FROM cimlite_format ORDER BY name",
            "SELECT id, namespace, class_name, data, qualifiers, posted_at FROM posted ORDER BY id",
            // The reference index (format 6); a file of an older format opened read-only has none.
            "SELECT instance_id, property, class_id, target_root_id, target_key FROM instance_references WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'instance_references') ORDER BY instance_id, property",
        })
        {
            using var command = session.Sqlite().NewCommand(sql);
            using var reader = command.ExecuteReader();
            sb.Append("## ").Append(sql).Append('\n');
            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                    sb.Append(reader.IsDBNull(i) ? "<null>" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    protected string Snapshot() => Snapshot(Session);

    /// <summary>
    /// Runs <paramref name="action"/>, which must fail with <paramref name="status"/> (and its WMI HRESULT), with
    /// a message containing every one of <paramref name="messageParts"/>, leaving the repository (posted queue included) unchanged.
    /// </summary>
    protected CimLiteException Fails(CimStatus status, Action action, params string[] messageParts) =>
        Fails(Session, status, action, messageParts);

    public static CimLiteException Fails(CimLiteSession session, CimStatus status, Action action, params string[] messageParts)
    {
        var before = Snapshot(session);
        var ex = Assert.Throws<CimLiteException>(action);
        AssertStatus(ex, status, messageParts);
        Assert.Equal(before, Snapshot(session));
        return ex;
    }

    public static void AssertStatus(CimLiteException ex, CimStatus status, params string[] messageParts)
    {
        Assert.True(status == ex.Status, $"Expected {status}, got {ex.Status}: {ex.Message}");
        Assert.Equal(unchecked((int)WmiHResults[status]), ex.HResult);
        Assert.Equal(ex.HResult, ex.WmiHResult);
        foreach (var part in messageParts) Assert.Contains(part, ex.Message);
    }

    /// <summary>The standard hierarchy for "no moving": A (abstract, key Id) with B : A, C : A, D : B.</summary>
    protected void DeclareAbcd()
    {
        Class("A").Abstract().Key("Id").Prop("Name", "string").Create();
        Class("B", "A").Prop("BOnly", "uint32").Create();
        Class("C", "A").Prop("COnly", "string").Create();
        Class("D", "B").Prop("DOnly", "boolean").Create();
    }
}

/// <summary>Declares a class tersely: <c>Class("Disk").Key("DeviceId").Prop("Size", "uint64").Create()</c>.</summary>
public sealed class ClassSpec
{
    private readonly CimLiteSession _session;

    public ClassSpec(CimLiteSession session, string name, string? superclass)
    {
        _session = session;
        Definition = new CimClassDefinition(name) { Superclass = superclass };
    }

    public CimClassDefinition Definition { get; }

    public ClassSpec Prop(string name, string type, object? defaultValue = null, params CimQualifier[] qualifiers)
    {
        var p = new CimPropertyDefinition(name, CimTypeInfo.Parse(type)) { DefaultValue = defaultValue };
        p.Qualifiers.AddRange(qualifiers);
        Definition.Properties.Add(p);
        return this;
    }

    public ClassSpec Key(string name, string type = "string") => Prop(name, type, null, new CimQualifier("Key", true));

    public ClassSpec Required(string name, string type) => Prop(name, type, null, new CimQualifier("Required", true));

    public ClassSpec Qualifier(string name, object? value, QualifierFlavor flavor = QualifierFlavor.None)
    {
        Definition.Qualifiers.Add(new CimQualifier(name, value, flavor));
        return this;
    }

    public ClassSpec Abstract() => Qualifier("Abstract", true, QualifierFlavor.Restricted);

    public ClassSpec Indication() => Qualifier("Indication", true);

    public CimLiteClass Create(string? @namespace = null) => _session.CreateClass(Definition, @namespace);
}
