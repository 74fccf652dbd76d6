# CimLite as the stand-in for CimCmdlets in tests (issue 15 item 5). The code under test (StandIn/ServiceTools.psm1)
# is written for CimCmdlets: Get-, Set-, New-, Remove-CimInstance, Invoke-CimMethod and Get-CimAssociatedInstance.
# The test seeds an in-memory session from a MOF file, serves the class's methods with a scriptblock provider, and
# points the code's CimCmdlets calls at the session with Use-CimLiteForCimCmdlets; the code's filters, queries,
# updates, method calls and association walks then behave as on a CIM server. The second part mocks the calls with
# Pester's Mock (the stand-in gives the commands to mock where CimCmdlets is absent) and checks them with
# Should -Invoke. Valid Pester 5 and 6.

Describe 'CimLite as the stand-in for CimCmdlets' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $s = New-CimLiteSession -InMemory
        $null = Import-CimLiteMof -Session $s -Path ([System.IO.Path]::Combine($PSScriptRoot, 'StandIn', 'ServiceInventory.mof'))
        $null = Register-CimLiteProvider -Session $s -ClassName Demo_Service -Method @{
            StartService    = {
                param($Context, $Instance, $Arguments)
                Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance -Property @{ State = 'Running' }
                0
            }
            ChangeStartMode = {
                param($Context, $Instance, $Arguments)
                if ($Arguments.StartMode -notin 'Auto', 'Manual', 'Disabled') { return @{ ReturnValue = 21 } }
                Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance -Property @{ StartMode = $Arguments.StartMode }
                @{ ReturnValue = 0 }
            }
        }
        Use-CimLiteForCimCmdlets -Session $s
        Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'StandIn', 'ServiceTools.psm1')) -Force
    }

    AfterAll {
        Remove-Module ServiceTools -ErrorAction Ignore
        Use-CimLiteForCimCmdlets -Remove
        Remove-CimLiteSession $s
    }

    Context 'the code runs against the session' {
        It 'filters with Get-CimInstance -Filter' {
            @(Get-StoppedAutoService).Name | Should -Be @('spooler')
        }

        It 'walks an association with Get-CimAssociatedInstance' {
            @(Get-ServiceDisk -Name spooler | ForEach-Object DeviceID | Sort-Object) | Should -Be @('C:', 'D:')
            @(Get-ServiceDisk -Name sshd).DeviceID | Should -Be @('C:')
            Get-ServiceDisk -Name fax | Should -BeNullOrEmpty
        }

        It 'updates with Set-CimInstance and returns the new state' {
            (Set-ServiceState -Name fax -State Paused).State | Should -Be 'Paused'
            (Get-CimLiteInstance -Session $s -ClassName Demo_Service -Filter "Name = 'fax'").State | Should -Be 'Paused'
        }

        It 'calls a method with Invoke-CimMethod -Query and arguments' {
            Set-ServiceStartMode -Name fax -StartMode Manual | Should -Be 0
            (Get-CimLiteInstance -Session $s -ClassName Demo_Service -Filter "Name = 'fax'").StartMode | Should -Be 'Manual'
            Set-ServiceStartMode -Name fax -StartMode Bogus | Should -Be 21
            (Get-CimLiteInstance -Session $s -ClassName Demo_Service -Filter "Name = 'fax'").StartMode | Should -Be 'Manual'
        }

        It 'calls a method on piped instances, whose provider changes the repository' {
            Start-StoppedAutoService | Should -Be @(0)
            (Get-CimLiteInstance -Session $s -ClassName Demo_Service -Filter "Name = 'spooler'").State | Should -Be 'Running'
            Get-StoppedAutoService | Should -BeNullOrEmpty
        }

        It 'creates with New-CimInstance and removes with Remove-CimInstance' {
            (Add-Disk -DeviceID 'E:' -Size 3).DeviceID | Should -Be 'E:'
            Add-Disk -DeviceID 'E:' -Size 4 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -BeLike 'CimLite.AlreadyExists*'
            Remove-SmallDisk -Below 10
            @(Get-CimLiteInstance -Session $s -ClassName Demo_Disk | ForEach-Object DeviceID | Sort-Object) | Should -Be @('C:', 'D:')
        }
    }

    Context 'Pester Mock on the stand-in' {
        It 'forwards the mocked call to the session and records its parameters' {
            Mock Get-CimInstance -ModuleName ServiceTools -MockWith {
                Get-CimLiteInstance -Session $s -ClassName $ClassName -Filter "Name = 'fax'"
            }
            @(Get-StoppedAutoService).Name | Should -Be @('fax')
            Should -Invoke Get-CimInstance -ModuleName ServiceTools -Times 1 -Exactly -ParameterFilter {
                $ClassName -eq 'Demo_Service' -and $Filter -eq "StartMode = 'Auto' AND State <> 'Running'"
            }
        }
    }
}
