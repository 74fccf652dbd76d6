# Code under test for CimLite.StandIn.Tests.ps1: an ordinary module written for CimCmdlets. It knows nothing of CimLite.

function Get-StoppedAutoService {
    Get-CimInstance -ClassName Demo_Service -Filter "StartMode = 'Auto' AND State <> 'Running'" -ComputerName $env:COMPUTERNAME
}

function Start-StoppedAutoService {
    Get-StoppedAutoService | Invoke-CimMethod -MethodName StartService | ForEach-Object { $_.ReturnValue }
}

function Set-ServiceStartMode {
    param([string] $Name, [string] $StartMode)
    Invoke-CimMethod -Query "SELECT * FROM Demo_Service WHERE Name = '$Name'" -MethodName ChangeStartMode -Arguments @{ StartMode = $StartMode } |
        ForEach-Object { $_.ReturnValue }
}

function Set-ServiceState {
    param([string] $Name, [string] $State)
    Get-CimInstance -ClassName Demo_Service -Filter "Name = '$Name'" | Set-CimInstance -Property @{ State = $State } -PassThru
}

function Add-Disk {
    [CmdletBinding()]
    param([string] $DeviceID, [uint64] $Size)
    New-CimInstance -ClassName Demo_Disk -Property @{ DeviceID = $DeviceID; Size = $Size }
}

function Remove-SmallDisk {
    param([uint64] $Below)
    Get-CimInstance -Query "SELECT * FROM Demo_Disk WHERE Size < $Below" | Remove-CimInstance
}

function Get-ServiceDisk {
    param([string] $Name)
    Get-CimInstance -ClassName Demo_Service -Filter "Name = '$Name'" |
        Get-CimAssociatedInstance -Association Demo_ServiceDisk -ResultClassName Demo_Disk
}

Export-ModuleMember -Function *
