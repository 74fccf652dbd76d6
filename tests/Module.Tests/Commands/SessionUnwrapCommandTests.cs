using System.Linq;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Issue 21 item 2: PSObject-wrapped values still convert, now through the value unwrapper the module sets on each
/// session it opens (it was process-wide): in provider code, on instance indexers and in arrays.
/// </summary>
public sealed class SessionUnwrapCommandTests : CommandTestBase
{
    // A string carrying a note property is a PSObject that PowerShell hands to .NET as it is.
    private const string Wrapped = """
        $w = 'eth9' | Add-Member -NotePropertyName Note -NotePropertyValue 1 -PassThru
        $n = [psobject]::AsPSObject(7) | Add-Member -NotePropertyName Note -NotePropertyValue 1 -PassThru

        """;

    [Fact]
    public void A_session_opened_by_the_module_carries_the_unwrapper()
    {
        Assert.Equal(true, Eval("$null -ne $s.ValueUnwrapper"));
        Assert.Equal(true, Eval("$null -eq [CimLite.CimLiteSession]::OpenInMemory().ValueUnwrapper"));
    }

    [Fact]
    public void Provider_code_converts_wrapped_values_through_its_sessions_context()
    {
        var result = Run(Wrapped + """
            $null = Register-CimLiteProvider -Session $s -ClassName Nic -Enumerate {
                param($Context)
                $Context.PostInstance($Context.NewInstance('Nic', @{ DeviceId = $w; Speed = $n }))
            }
            Get-CimLiteInstance -Session $s -ClassName Nic | ForEach-Object { $_.DeviceId + '=' + $_.Speed }
            """);
        Assert.Equal(new object?[] { "eth9=7" }, result.Values);
    }

    [Fact]
    public void Instance_indexers_convert_wrapped_values_and_array_elements()
    {
        var result = Run(Wrapped + """
            $d = New-CimLiteInstance -Session $s -ClassName Disk -Property @{ DeviceId = 'C:' }
            $d['Tags'] = @($w, 'b')
            $d['Size'] = $n
            $d | Set-CimLiteInstance -Session $s
            $g = Get-CimLiteInstance -Session $s -ClassName Disk
            $g['Tags'] = @('c', $w)
            ($g.Tags -join ',') + ';' + $g.Size
            """);
        Assert.Equal(new object?[] { "c,eth9;7" }, result.Values);
        Assert.Contains("Tags=eth9|b", Dump());
    }
}
