# WQL through Get-CimLiteInstance -Query/-Filter and Remove-CimLiteInstance -Query/-Filter (DESIGN.md section 4). Valid for Pester 5 and 6.

Describe 'Querying CimLite instances with WQL' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName QT_Device -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName QT_Disk -Superclass QT_Device -Property @{ Size = 'uint64' }
        $null = New-CimLiteClass -Session $session -ClassName QT_Ssd -Superclass QT_Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $session -ClassName QT_Nic -Superclass QT_Device -Property @{ Speed = 'uint32' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        Get-CimLiteInstance -Session $session QT_Device | Remove-CimLiteInstance -Session $session
        $null = New-CimLiteInstance -Session $session QT_Disk @{ DeviceId = 'C:'; Caption = 'System'; Size = 100 }
        $null = New-CimLiteInstance -Session $session QT_Disk @{ DeviceId = 'D:'; Caption = 'Data'; Size = 5 }
        $null = New-CimLiteInstance -Session $session QT_Ssd @{ DeviceId = 'F:'; Size = 500; Wear = 3 }
        $null = New-CimLiteInstance -Session $session QT_Nic @{ DeviceId = 'eth0'; Speed = 1000 }
    }

    Context 'Get-CimLiteInstance -Query' {
        It 'is deep and compares numbers as numbers' {
            $r = @(Get-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Device WHERE Size > 50')
            $r | Should -HaveCount 2
            $r[1].__CLASS | Should -Be 'QT_Ssd'
        }

        It 'compares strings case-insensitively and supports LIKE' {
            (Get-CimLiteInstance -Session $session -Query "SELECT * FROM QT_Device WHERE Caption = 'SYSTEM'").DeviceId | Should -Be 'C:'
            (Get-CimLiteInstance -Session $session -Query "SELECT * FROM QT_Device WHERE DeviceId LIKE 'e[a-z]h%'").DeviceId | Should -Be 'eth0'
        }

        It 'treats a property of other subclasses as NULL' {
            @(Get-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Device WHERE Speed IS NULL') | Should -HaveCount 3
        }

        It 'projects the selected properties plus keys' {
            $i = Get-CimLiteInstance -Session $session -Query "SELECT Size FROM QT_Disk WHERE DeviceId = 'c:'"
            $i.Size | Should -Be 100
            $i.DeviceId | Should -Be 'C:'
            $i.Caption | Should -BeNullOrEmpty
        }

        It 'fails with CimLite.InvalidQuery and a position for a malformed query' {
            { Get-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Disk WHERE Size >' -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidQuery,CimLite.Commands.GetCimLiteInstanceCommand'
            $e = $null
            try { Get-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Disk WHERE Size >' -ErrorAction Stop } catch { $e = $_ }
            $e.Exception.Message | Should -Match 'position 34'
        }

        It 'fails with CimLite.InvalidClass for an unknown class' {
            { Get-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Nope' -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidClass,*'
        }
    }

    Context 'Get-CimLiteInstance -ClassName -Filter' {
        It 'filters the class and its subclasses, or the class only with -Shallow' {
            @(Get-CimLiteInstance -Session $session -ClassName QT_Disk -Filter 'Size >= 100') | Should -HaveCount 2
            @(Get-CimLiteInstance -Session $session -ClassName QT_Disk -Filter 'Size >= 100' -Shallow) | Should -HaveCount 1
        }

        It 'keeps hostile text a value' {
            @(Get-CimLiteInstance -Session $session -ClassName QT_Disk -Filter "Caption = '''; DROP TABLE instances; --'") | Should -HaveCount 0
            @(Get-CimLiteInstance -Session $session QT_Device) | Should -HaveCount 4
        }
    }

    Context 'Remove-CimLiteInstance -Query and -Filter' {
        It 'removes every instance the query selects' {
            Remove-CimLiteInstance -Session $session -Query 'SELECT * FROM QT_Device WHERE Size > 50'
            @(Get-CimLiteInstance -Session $session QT_Device) | Should -HaveCount 2
        }

        It 'changes nothing with -WhatIf' {
            Remove-CimLiteInstance -Session $session -ClassName QT_Device -Filter 'DeviceId IS NOT NULL' -WhatIf
            @(Get-CimLiteInstance -Session $session QT_Device) | Should -HaveCount 4
        }
    }
}
