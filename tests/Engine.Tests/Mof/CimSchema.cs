using System.Diagnostics;

namespace CimLite.Tests.Mof;

/// <summary>The DMTF CIM Schema 2.32.0 in ../shared/data (beside the repository root), imported once per test run.</summary>
public static class CimSchema
{
    public static string Folder =>
        Path.GetFullPath(Path.Combine(TestUtilities.RepositoryPaths.Root, "..", "shared", "data", "cim-schema-2.32.0"));

    public static string RootFile => Path.Combine(Folder, "cim_schema_2.32.0.mof");

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
