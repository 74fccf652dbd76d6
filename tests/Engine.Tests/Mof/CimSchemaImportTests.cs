using Xunit.Abstractions;

namespace CimLite.Tests.Mof;

public sealed class CimSchemaImportTests
{
    private readonly ITestOutputHelper _output;

    public CimSchemaImportTests(ITestOutputHelper output) { _output = output; }

    [Fact]
    public void The_whole_schema_imports()
    {
        using var s = CimSchema.Import(out var elapsed, out var result);
        _output.WriteLine($"engine.mofImport: {elapsed.TotalSeconds:F2} s, {result.ClassesCreated} classes, {result.QualifiersCreated} qualifier declarations, {result.Files.Count} files");
        Assert.Equal(1 + File.ReadLines(CimSchema.RootFile).Count(l => l.StartsWith("#pragma include")), result.Files.Count);
        Assert.True(result.ClassesCreated > 1400);
    }
}
