# Associations (issue 13) as a user reads them, on the DMTF CIM Schema: a CIM_ComputerSystem linked to three
# CIM_LogicalDisks and a CIM_EthernetPort with CIM_SystemDevice, followed with Get-CimLiteAssociatedInstance and the
# WQL forms. Valid Pester 5 and 6. The schema is found by Get-CimLiteTestCimSchema (CimLite.TestSetup.ps1); where it
# is absent, the Its that need it are skipped with the reason (and fail when $env:CIMLITE_REQUIRE_CIM_SCHEMA is 1).

Describe 'CimLite associations on the CIM schema' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $cim = Get-CimLiteTestCimSchema
        if (-not $cim.RootFile -and $cim.Required) { throw "$($cim.Reason) (CIMLITE_REQUIRE_CIM_SCHEMA=1 requires it)" }
        $session = New-CimLiteSession -InMemory
        $system = 'CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="host1"'
        if ($cim.RootFile) {
            $null = Import-CimLiteMof -Session $session -Path $cim.RootFile
            $null = New-CimLiteInstance -Session $session -ClassName CIM_ComputerSystem -Property @{ CreationClassName = 'CIM_ComputerSystem'; Name = 'host1' }
            foreach ($d in @(@('CIM_LogicalDisk', 'C:'), @('CIM_LogicalDisk', 'D:'), @('CIM_LogicalDisk', 'E:'), @('CIM_EthernetPort', 'eth0'))) {
                $device = New-CimLiteInstance -Session $session -ClassName $d[0] -Property @{
                    CreationClassName = $d[0]; DeviceID = $d[1]; SystemCreationClassName = 'CIM_ComputerSystem'; SystemName = 'host1'
                }
                $null = New-CimLiteInstance -Session $session -ClassName CIM_SystemDevice -Property @{ GroupComponent = $system; PartComponent = $device }
            }
        }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    It 'Get-CimLiteAssociatedInstance -ResultClassName CIM_LogicalDisk gives the three disks' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $disks = @(Get-CimLiteInstance -Session $session -Path $system | Get-CimLiteAssociatedInstance -ResultClassName CIM_LogicalDisk)
        $disks | Should -HaveCount 3
        ($disks.DeviceID | Sort-Object) -join ',' | Should -Be 'C:,D:,E:'
        $disks | ForEach-Object { $_.__CLASS | Should -Be 'CIM_LogicalDisk' }
    }

    It 'gives every device through CIM_SystemDevice, each as its own class' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $all = @(Get-CimLiteAssociatedInstance -Session $session -Path $system -Association CIM_SystemDevice)
        ($all | ForEach-Object { $_.__CLASS + ':' + $_.DeviceID } | Sort-Object) -join ',' | Should -Be 'CIM_EthernetPort:eth0,CIM_LogicalDisk:C:,CIM_LogicalDisk:D:,CIM_LogicalDisk:E:'
    }

    It 'follows the association back from a disk to its system' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $disk = Get-CimLiteInstance -Session $session -Query "SELECT * FROM CIM_LogicalDisk WHERE DeviceID = 'D:'"
        ($disk | Get-CimLiteAssociatedInstance -ResultRole GroupComponent).Name | Should -Be 'host1'
    }

    It 'answers ASSOCIATORS OF and REFERENCES OF the same way' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $disks = @(Get-CimLiteInstance -Session $session -Query "ASSOCIATORS OF {$system} WHERE AssocClass = CIM_SystemDevice ResultClass = CIM_LogicalDisk")
        ($disks.DeviceID | Sort-Object) -join ',' | Should -Be 'C:,D:,E:'
        $links = @(Get-CimLiteInstance -Session $session -Query "REFERENCES OF {$system} WHERE ResultClass = CIM_SystemDevice Role = GroupComponent")
        $links | Should -HaveCount 4
        $classes = @(Get-CimLiteInstance -Session $session -Query "ASSOCIATORS OF {$system} WHERE ClassDefsOnly")
        ($classes.ClassName | Sort-Object) -join ',' | Should -Be 'CIM_EthernetPort,CIM_LogicalDisk'
    }

    It 'refuses a PartComponent that is not a CIM_LogicalDevice' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        { New-CimLiteInstance -Session $session -ClassName CIM_SystemDevice -Property @{ GroupComponent = $system; PartComponent = $system } -ErrorAction Stop } |
            Should -Throw -ErrorId 'CimLite.TypeMismatch,CimLite.Commands.NewCimLiteInstanceCommand'
    }
}
