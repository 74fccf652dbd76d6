using System.Diagnostics;

namespace CimLite.Tests.Mof;

/// <summary>
/// The DMTF CIM Schema where <see cref="CimLite.Testing.CimSchemaLocation"/> finds it ($CIMLITE_CIM_SCHEMA, else
/// ../shared/data/cim-schema-2.32.0 beside the repository). Tests using it are [CimSchemaFact]/[CimSchemaTheory]:
/// skipped when it is absent; these accessors throw when it is absent, so a required schema fails loudly.
/// </summary>
public static class CimSchema
{
    public static string Folder => CimLite.Testing.CimSchemaLocation.RequireFolder();

    public static string RootFile => CimLite.Testing.CimSchemaLocation.RequireRootFile();

    /// <summary>Reads one class file of the schema, wherever it lives in the folder tree.</summary>
    public static string ClassFile(string className) =>
        Directory.GetFiles(Folder, className + ".mof", SearchOption.AllDirectories).Single();

    /// <summary>A new in-memory session with the whole schema imported; the import time in <paramref name="elapsed"/>.</summary>
    public static CimLiteSession Import(out TimeSpan elapsed, out MofImportResult result)
    {
        var session = CimLiteSession.OpenInMemory();
        var watch = Stopwatch.StartNew();
        result = session.ImportMof(new[] { RootFile });
        elapsed = watch.Elapsed;
        return session;
    }
}
