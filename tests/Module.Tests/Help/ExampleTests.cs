using System;
using System.IO;
using System.Linq;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Help;

/// <summary>
/// Every ```powershell block under EXAMPLES runs: one fresh runspace per page, the blocks in page order (a
/// later example may use what an earlier one made, as a reader would), the current folder a new temporary
/// one. A block whose first line starts with <see cref="HelpPages.NotRunMarker"/> is skipped; keep those few.
/// </summary>
public class ExampleTests
{
    [Theory]
    [MemberData(nameof(HelpPages.CmdletNames), MemberType = typeof(HelpPages))]
    public void Examples_run_without_errors(string cmdlet)
    {
        var page = HelpPages.Read(cmdlet);
        var folder = Path.Combine(Path.GetTempPath(), "cimlite-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var host = new HostedRunspace();
            // Examples must not depend on (or touch) the per-user repository.
            host.Runspace.SessionStateProxy.Path.SetLocation(folder);
            int ran = 0;
            foreach (var example in page.Examples)
            {
                foreach (var code in example.Code.Where(c => c.Language == "powershell"))
                {
                    if (code.Text.TrimStart().StartsWith(HelpPages.NotRunMarker, StringComparison.Ordinal))
                        continue;
                    try
                    {
                        host.Invoke(code.Text).ThrowIfErrors();
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"{cmdlet}, {example.Title} failed: {e.Message}\n{code.Text}");
                    }

                    ran++;
                }
            }

            Assert.True(ran >= 1, cmdlet + ": no example ran");
            var opened = host.Invoke("Get-CimLiteSession | ForEach-Object { $_.Path }").ThrowIfErrors().Values.Select(v => v?.ToString() ?? "").ToList();
            Assert.DoesNotContain(opened, p => p.Replace('\\', '/').EndsWith("CimLite/repository.db", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
