using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CimLite.Bench;

/// <summary>One measured figure. A null value means "not available" (the note says why).</summary>
public sealed record Figure(string Name, double? Value, string Unit, string? RawCounterpart, string? Note = null)
{
    public double? RatioToRaw { get; set; }
}

/// <summary>The figures of one run: printed as a table and written as JSON.</summary>
public sealed class Report
{
    public List<Figure> Figures { get; } = new();

    public Dictionary<string, object?> Machine { get; } = new();

    /// <summary>Adds a figure; measured again in a later round, the best value is kept (rates: the highest).</summary>
    public Figure Add(Figure figure)
    {
        int at = Figures.FindIndex(f => f.Name == figure.Name);
        if (at < 0) Figures.Add(figure);
        else if ((figure.Value ?? double.MinValue) > (Figures[at].Value ?? double.MinValue)) Figures[at] = figure;
        Console.Error.WriteLine($"  {figure.Name,-22} {Format(figure.Value)} {figure.Unit}{(figure.Note == null ? "" : "  (" + figure.Note + ")")}");
        return figure;
    }

    public void ComputeRatios()
    {
        var byName = new Dictionary<string, Figure>();
        foreach (var f in Figures) byName[f.Name] = f;
        foreach (var f in Figures)
            if (f.RawCounterpart != null && f.Value.HasValue && byName.TryGetValue(f.RawCounterpart, out var raw) && raw.Value > 0)
                f.RatioToRaw = f.Value.Value / raw.Value.Value;
    }

    public static string Format(double? value) =>
        value == null ? "n/a" : value.Value >= 100 ? value.Value.ToString("N0", CultureInfo.InvariantCulture) : value.Value.ToString("0.0", CultureInfo.InvariantCulture);

    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| figure | value | unit | ratio to raw |");
        sb.AppendLine("| --- | ---: | --- | ---: |");
        foreach (var f in Figures)
        {
            var value = f.Value == null ? "not available" + (f.Note == null ? "" : " (" + f.Note + ")") : Format(f.Value);
            var ratio = f.RatioToRaw == null ? (f.RawCounterpart == null ? "" : "–") : f.RatioToRaw.Value.ToString("0.00", CultureInfo.InvariantCulture) + " × " + f.RawCounterpart;
            sb.AppendLine($"| {f.Name} | {value} | {f.Unit} | {ratio} |");
        }
        return sb.ToString();
    }

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WritePropertyName("machine");
        JsonSerializer.Serialize(w, Machine);
        w.WriteStartArray("figures");
        foreach (var f in Figures)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            if (f.Value.HasValue) w.WriteNumber("value", System.Math.Round(f.Value.Value, 2)); else w.WriteNull("value");
            w.WriteString("unit", f.Unit);
            if (f.RatioToRaw.HasValue) w.WriteNumber("ratioToRaw", System.Math.Round(f.RatioToRaw.Value, 3)); else w.WriteNull("ratioToRaw");
            if (f.Note != null) w.WriteString("note", f.Note);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
