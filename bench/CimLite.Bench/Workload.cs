using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite.Bench;

/// <summary>
/// The measured schema: Bench_Base (key Id) ← Bench_Mid ← Bench_Leaf, instances of the leaf (hierarchy depth 3),
/// 10 properties of mixed CIM types.
/// </summary>
public static class Workload
{
    public const string Base = "Bench_Base", Mid = "Bench_Mid", Leaf = "Bench_Leaf", Event = "Bench_Event";

    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void CreateSchema(CimLiteSession session)
    {
        var b = new CimClassDefinition(Base);
        b.Properties.Add(Prop("Id", "string", key: true));
        b.Properties.Add(Prop("Name", "string"));
        b.Properties.Add(Prop("Count", "sint32"));
        session.CreateClass(b);
        var m = new CimClassDefinition(Mid) { Superclass = Base };
        m.Properties.Add(Prop("Size", "uint64"));
        m.Properties.Add(Prop("Ratio", "real64"));
        m.Properties.Add(Prop("Enabled", "boolean"));
        session.CreateClass(m);
        var l = new CimClassDefinition(Leaf) { Superclass = Mid };
        l.Properties.Add(Prop("Created", "datetime"));
        l.Properties.Add(Prop("Flags", "uint16"));
        l.Properties.Add(Prop("Offset", "sint64"));
        l.Properties.Add(Prop("Owner", "string"));
        session.CreateClass(l);
        var e = new CimClassDefinition(Event);
        e.Qualifiers.Add(new CimQualifier("Indication", true, CimQualifier.DefaultFlavorFor("Indication")));
        e.Properties.Add(Prop("Sequence", "uint32"));
        e.Properties.Add(Prop("Message", "string"));
        session.CreateClass(e);
    }

    private static CimPropertyDefinition Prop(string name, string type, bool key = false)
    {
        var p = new CimPropertyDefinition(name, CimTypeInfo.Parse(type));
        if (key) p.Qualifiers.Add(new CimQualifier("Key", true, CimQualifier.DefaultFlavorFor("Key")));
        return p;
    }

    public static string Key(int i) => "K" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The property values of instance <paramref name="i"/> (version <paramref name="v"/> for updates).</summary>
    public static Hashtable Values(int i, int v = 0)
    {
        return new Hashtable(10, StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = Key(i),
            ["Name"] = "Instance number " + i.ToString(CultureInfo.InvariantCulture),
            ["Count"] = i + v,
            ["Size"] = (ulong)i * 4096UL + (ulong)v,
            ["Ratio"] = i / 7.0 + v,
            ["Enabled"] = (i & 1) == 0,
            ["Created"] = Epoch.AddSeconds(i),
            ["Flags"] = (ushort)(i & 0xFFFF),
            ["Offset"] = -(long)i * 1000L - v,
            ["Owner"] = "user" + (i % 97).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The engine's stored form of <see cref="Values"/> (a JSON object by property name), written directly: what raw.insert stores.</summary>
    public static string Json(int i, StringBuilder sb)
    {
        sb.Clear();
        sb.Append("{\"Id\":\"").Append(Key(i))
          .Append("\",\"Name\":\"Instance number ").Append(i)
          .Append("\",\"Count\":").Append(i)
          .Append(",\"Size\":").Append((ulong)i * 4096UL)
          .Append(",\"Ratio\":").Append((i / 7.0).ToString("G17", CultureInfo.InvariantCulture))
          .Append(",\"Enabled\":").Append((i & 1) == 0 ? "true" : "false")
          .Append(",\"Created\":\"").Append(CimDate(Epoch.AddSeconds(i)))
          .Append("\",\"Flags\":").Append(i & 0xFFFF)
          .Append(",\"Offset\":").Append(-(long)i * 1000L)
          .Append(",\"Owner\":\"user").Append(i % 97).Append("\"}");
        return sb.ToString();
    }

    public static string CimDate(DateTimeOffset d) =>
        d.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + (d.Ticks % 10_000_000 / 10).ToString("D6", CultureInfo.InvariantCulture) + "+000";
}
