using System.Diagnostics;
using CimLite.Mof;
using CimLite.Testing;

namespace CimLite.Tests.Mof;

/// <summary>
/// Issue 22 item 7: MOF includes cannot crash or hang the shell. Include depth is capped; only regular files are
/// read, up to a size limit; every I/O failure is FAILED at the including file(line,column); the error about a file
/// that is not MOF quotes none of its content.
/// </summary>
public sealed class MofIncludeSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-include-" + Guid.NewGuid().ToString("N"));
    private readonly CimLiteSession _s = CimLiteSession.OpenInMemory();

    public MofIncludeSafetyTests() { Directory.CreateDirectory(_dir); }

    public void Dispose()
    {
        _s.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the import on another thread and fails the test (instead of hanging it) after 20 s.</summary>
    private static CimLiteException ImportFails(Func<MofImportResult> import)
    {
        var task = Task.Run(import);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the import did not finish within 20 s");
        Assert.True(task.IsFaulted, "the import succeeded");
        return Assert.IsType<CimLiteException>(task.Exception!.InnerException);
    }

    [Fact]
    public void Includes_nested_deeper_than_the_cap_fail_at_the_including_pragma()
    {
        const int files = 200;
        for (int i = 0; i < files; i++)
            Write($"f{i}.mof", i + 1 < files ? $"// level {i}\n#pragma include(\"f{i + 1}.mof\")\n" : "class Deepest { };\n");
        var e = ImportFails(() => _s.ImportMof(new[] { Path.Combine(_dir, "f0.mof") }));
        Assert.Equal(CimStatus.Failed, e.Status);
        Assert.Contains("nested more than " + MofParser.MaxIncludeDepth, e.Message);
        Assert.Equal((Path.Combine(_dir, $"f{MofParser.MaxIncludeDepth - 1}.mof"), 2, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
        Assert.Null(_s.FindClass("Deepest"));

        // At the cap itself, it works.
        Write($"f{MofParser.MaxIncludeDepth - 1}.mof", "class Deepest { };\n");
        _s.ImportMof(new[] { Path.Combine(_dir, "f0.mof") });
        Assert.NotNull(_s.FindClass("Deepest"));
    }

    [UnixFact("Unix only: FIFOs (mkfifo)")]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_dir, "pipe.mof");
        using (var mk = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!) mk.WaitForExit();
        Assert.True(File.Exists(fifo));
        var main = Write("main.mof", "class A { };\n#pragma include(\"pipe.mof\")\n");
        CimLiteException Refused(Func<MofImportResult> import)
        {
            var task = Task.Run(import);
            if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)))
            {
                // The reader is blocked on the FIFO (no writer): release it, so that the test process can end.
                using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
                Assert.Fail("the import waited for a writer on the FIFO");
            }
            Assert.True(task.IsFaulted, "the import succeeded");
            return Assert.IsType<CimLiteException>(task.Exception!.InnerException);
        }
        foreach (var whatIf in new[] { false, true })
        {
            var e = Refused(() => _s.ImportMof(new[] { main }, new MofImportOptions { WhatIf = whatIf }));
            Assert.Equal(CimStatus.Failed, e.Status);
            Assert.Contains("not a regular file", e.Message);
            Assert.Contains(fifo, e.Message);
            Assert.Equal((main, 2, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
        }
        // Named directly, the same.
        var direct = Refused(() => _s.ImportMof(new[] { fifo }));
        Assert.Equal(CimStatus.Failed, direct.Status);
        Assert.Contains("not a regular file", direct.Message);
    }

    [UnixFact("Unix only: devices such as /dev/zero")]
    public void A_device_is_refused_at_once()
    {
        Assert.True(File.Exists("/dev/zero"), "a Unix system has the device /dev/zero");
        var main = Write("main.mof", "#pragma include(\"/dev/zero\")\n");
        var e = ImportFails(() => _s.ImportMof(new[] { main }));
        Assert.Equal(CimStatus.Failed, e.Status);
        Assert.Contains("not a regular file", e.Message);
        Assert.Equal((main, 1, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised()
    {
        var big = Write("big.mof", "class Big { };\n" + new string(' ', 5000));
        var main = Write("main.mof", "class A { };\n  #pragma include(\"big.mof\")\n");
        var e = ImportFails(() => _s.ImportMof(new[] { main }, new MofImportOptions { MaxFileSize = 1000 }));
        Assert.Equal(CimStatus.Failed, e.Status);
        Assert.Contains(big, e.Message);
        Assert.Contains("1000", e.Message);
        Assert.Equal((main, 2, 3), (e.SourceFile, e.SourceLine, e.SourceColumn));
        var top = ImportFails(() => _s.ImportMof(new[] { big }, new MofImportOptions { MaxFileSize = 1000 }));
        Assert.Equal(CimStatus.Failed, top.Status);
        Assert.Equal(big, top.SourceFile);
        Assert.Equal(256L * 1024 * 1024, new MofImportOptions().MaxFileSize);
        _s.ImportMof(new[] { main }, new MofImportOptions { MaxFileSize = 10_000 });
        Assert.NotNull(_s.FindClass("Big"));
    }

    [Fact]
    public void An_unreadable_include_is_FAILED_at_the_including_file_position()
    {
        var main = Write("main.mof", "class A { };\n#pragma include(\"locked.mof\")\n");
        Write("locked.mof", "class B { };");
        var e = Assert.Throws<CimLiteException>(() => MofParser.ParseFiles(new[] { main }, "root/cimv2", null,
            path => path.EndsWith("locked.mof", StringComparison.Ordinal) ? throw new UnauthorizedAccessException("Access to the path is denied.") : File.ReadAllText(path)));
        Assert.Equal(CimStatus.Failed, e.Status);
        Assert.Contains("locked.mof", e.Message);
        Assert.Contains("Access to the path is denied", e.Message);
        Assert.Equal((main, 2, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
    }

    [Fact]
    public void A_NUL_in_an_include_path_is_an_error_at_the_pragma()
    {
        var main = Write("main.mof", "class A { };\n#pragma include(\"a\\x0000b.mof\")\n");
        var e = Assert.Throws<CimLiteException>(() => _s.ImportMof(new[] { main }));
        Assert.Equal((main, 2, 1), (e.SourceFile, e.SourceLine, e.SourceColumn));
    }

    [Fact]
    public void An_included_file_that_is_not_MOF_is_not_quoted()
    {
        Write("secret.txt", "hunter2:x:0:0:topsecret stuff\nmore lines\n");
        var main = Write("main.mof", "#pragma include(\"secret.txt\")\n");
        var e = ImportFails(() => _s.ImportMof(new[] { main }));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.DoesNotContain("topsecret", e.Message);
        Assert.Contains("secret.txt", e.Message);
        Assert.Contains("not MOF", e.Message);
        Assert.Equal(Path.Combine(_dir, "secret.txt"), e.SourceFile);
        // A character MOF does not know is not quoted either.
        Write("binary.bin", "\u0001\u0002 ELF garbage");
        var b = ImportFails(() => _s.ImportMof(new[] { Write("b.mof", "#pragma include(\"binary.bin\")\n") }));
        Assert.DoesNotContain("ELF", b.Message);
        Assert.Contains("not MOF", b.Message);
        // A MOF file with an error later on is still reported in detail.
        Write("typo.mof", "class A { };\nclas B { };\n");
        var t = ImportFails(() => _s.ImportMof(new[] { Write("c.mof", "#pragma include(\"typo.mof\")\n") }));
        Assert.Contains("'clas'", t.Message);
    }
}
