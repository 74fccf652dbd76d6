<#
.SYNOPSIS
    CimLite quick start: a small class hierarchy and instances in the default repository, with WMI's
    PutInstance rules at work. Safe to run again: it rebuilds its own namespace (root/quickstart) each time.
.NOTES
    Runs in the `cimlite` host (dotnet run --project src/Shell -- -File samples/quickstart.ps1), in pwsh 7.4+
    and in Windows PowerShell 5.1 after Import-Module ./out/CimLite.
#>
$ErrorActionPreference = 'Stop'
$ns = 'root/quickstart'

function Show-Step([string] $Text) { "`n== $Text" }

function Show-Error([scriptblock] $Action) {
    # Run something that must fail, and show which CIM status it failed with.
    try {
        & $Action
        '   (unexpected: it succeeded)'
    }
    catch {
        "   refused: $($_.Exception.StatusCode) ($($_.FullyQualifiedErrorId))"
        "   $($_.Exception.Message)"
    }
}

$session = Get-CimLiteSession -Default
"Repository: $($session.Path)"

Show-Step "Schema: an abstract keyed base class with two concrete subclasses (namespace $ns)"
if (Get-CimLiteClass -Namespace $ns -ClassName QS_LogicalDevice -ErrorAction SilentlyContinue) {
    Remove-CimLiteClass -Namespace $ns -ClassName QS_LogicalDevice -Force
}
$null = New-CimLiteClass -Namespace $ns -ClassName QS_LogicalDevice -Abstract -Key DeviceID -Property @{
    DeviceID = 'string'
    Caption  = @{ Type = 'string'; Qualifier = @{ Description = @{ Value = 'A short name'; Flavor = 'Amended' } } }
}
$null = New-CimLiteClass -Namespace $ns -ClassName QS_Disk -Superclass QS_LogicalDevice -Property @{
    Size = @{ Type = 'uint64'; Required = $true }
    Tags = 'string[]'
}
$null = New-CimLiteClass -Namespace $ns -ClassName QS_NetworkAdapter -Superclass QS_LogicalDevice -Property @{
    Speed = 'uint32'
}
Get-CimLiteClass -Namespace $ns

Show-Step 'Create instances (create-or-update, the default)'
Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'C:'; Caption = 'System'; Size = 256GB; Tags = 'ssd', 'boot' }
Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'D:'; Caption = 'Data'; Size = 1TB }
Set-CimLiteInstance -Namespace $ns -ClassName QS_NetworkAdapter -Property @{ DeviceID = 'eth0'; Speed = 1000 }
Get-CimLiteInstance -Namespace $ns -ClassName QS_LogicalDevice | Format-Table -AutoSize -Property __CLASS, DeviceID, Caption, Size, Tags, Speed

Show-Step 'CreateOnly on an existing instance'
Show-Error { Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'C:'; Size = 1 } -CreateOnly }

Show-Step 'UpdateOnly on a missing instance'
Show-Error { Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'Z:'; Size = 1 } -UpdateOnly }

Show-Step 'No moving: a network adapter cannot take the key of a disk (sibling class)'
Show-Error { New-CimLiteInstance -Namespace $ns -ClassName QS_NetworkAdapter -Property @{ DeviceID = 'D:' } }

Show-Step 'No instances of abstract classes'
Show-Error { New-CimLiteInstance -Namespace $ns -ClassName QS_LogicalDevice -Property @{ DeviceID = 'X:' } }

Show-Step 'Types are checked: -1 does not fit a uint64'
Show-Error { Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'E:'; Size = -1 } }

Show-Step 'Keys and Required properties cannot be null'
Show-Error { Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ Size = 5 } }
Show-Error { Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Property @{ DeviceID = 'E:' } }

Show-Step 'Partial update: only Caption changes; a null is ignored without -StrictNulls'
Set-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Key @{ DeviceID = 'D:' } -Property @{ Caption = 'Backup'; Tags = $null }
$d = Get-CimLiteInstance -Namespace $ns -Path 'QS_Disk.DeviceID="D:"'
"   D: Caption=$($d.Caption) Size=$($d.Size)"

Show-Step 'Local copies are values: changing one changes nothing until it is put'
$c = Get-CimLiteInstance -Namespace $ns -Path 'QS_Disk.DeviceID="C:"'
$c.Size = 512GB
"   stored size before put: $((Get-CimLiteInstance -InputObject $c).Size)"
$c | Set-CimLiteInstance
"   stored size after put:  $((Get-CimLiteInstance -InputObject $c).Size)"

Show-Step 'After deleting the disk, its key is free for another class'
Get-CimLiteInstance -Namespace $ns -Path 'QS_Disk.DeviceID="D:"' | Remove-CimLiteInstance
$n = New-CimLiteInstance -Namespace $ns -ClassName QS_NetworkAdapter -Property @{ DeviceID = 'D:'; Speed = 10 }
"   created $($n.__PATH)"

Show-Step 'Deep and shallow enumeration'
"   deep    QS_LogicalDevice: $((Get-CimLiteInstance -Namespace $ns -ClassName QS_LogicalDevice | ForEach-Object { $_.__RELPATH }) -join ', ')"
"   shallow QS_Disk:          $((Get-CimLiteInstance -Namespace $ns -ClassName QS_Disk -Shallow | ForEach-Object { $_.__RELPATH }) -join ', ')"
"`nDone."
