using System;
using System.Collections;
using System.IO;
using System.Linq;
using Xunit;

namespace CimLite.Tests.Commands;

/// <summary>
/// Receive-CimLitePosted acknowledges each leased batch after writing it. When that acknowledgement fails (here: another
/// connection holds the write lock past the session's busy timeout) the cmdlet warns that the items will be delivered
/// again, and they are, once the session closes.
/// </summary>
public sealed class PostedAcknowledgeTests : CommandTestBase
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-ack-" + Guid.NewGuid().ToString("N"));

    public PostedAcknowledgeTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public override void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Receive_AcknowledgeBlockedByALock_WarnsThatTheItemsComeAgain_AndTheyDo()
    {
        var v = new Hashtable { ["f"] = Path.Combine(_dir, "queue.db") };
        Run("""
            $w = New-CimLiteSession -Path $f
            $null = New-CimLiteClass -Session $w -ClassName Evt -Indication -Property @{ Seq = 'uint32' }
            foreach ($n in 1..3) { $null = New-CimLiteInstance -Session $w Evt @{ Seq = $n } }
            Remove-CimLiteSession $w
            """, v);
        // The downstream command takes the write lock with a connection of its own on the first item and keeps it
        // until the pipeline is over, so the cmdlet's acknowledgement after the batch meets a busy file.
        var result = Run("""
            $null = [System.Reflection.Assembly]::Load('Microsoft.Data.Sqlite')
            $b = New-CimLiteSession -Path $f -BusyTimeout 0.3
            $script:lock = $null
            $seen = @(Receive-CimLitePosted -Session $b -First 3 | ForEach-Object {
                if ($null -eq $script:lock) {
                    $script:lock = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=' + $f + ';Pooling=False')
                    $script:lock.Open()
                    $q = $script:lock.CreateCommand()
                    $q.CommandText = 'BEGIN IMMEDIATE'
                    $null = $q.ExecuteNonQuery()
                }
                $_.Seq
            })
            $q = $script:lock.CreateCommand()
            $q.CommandText = 'ROLLBACK'
            $null = $q.ExecuteNonQuery()
            $script:lock.Dispose()
            ($seen -join ',')
            Remove-CimLiteSession $b
            $c = New-CimLiteSession -Path $f
            (@(Receive-CimLitePosted -Session $c | ForEach-Object { $_.Seq }) -join ',')
            @(Receive-CimLitePosted -Session $c).Count
            Remove-CimLiteSession $c
            """, v);
        Assert.Equal(new object?[] { "1,2,3", "1,2,3", 0 }, result.Values);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("delivered again", warning);
        Assert.Contains("busy", warning);
        Assert.Contains("3 delivered", warning);
    }
}
