# The CimLite module as a whole: commands, sessions, reading and removing instances, instance objects. Valid for Pester 5 and 6.

Describe 'CimLite module' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName MT_Device -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName MT_Disk -Superclass MT_Device -Property @{ Size = 'uint64' }
        $null = New-CimLiteClass -Session $session -ClassName MT_Ssd -Superclass MT_Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $session -ClassName MT_Nic -Superclass MT_Device -Property @{ Speed = 'uint32' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        Get-CimLiteInstance -Session $session MT_Device | Remove-CimLiteInstance -Session $session
        $null = New-CimLiteInstance -Session $session MT_Disk @{ DeviceId = 'C:'; Caption = 'System'; Size = 100 }
        $null = New-CimLiteInstance -Session $session MT_Ssd @{ DeviceId = 'S:'; Caption = 'Fast'; Size = 50; Wear = 3 }
        $null = New-CimLiteInstance -Session $session MT_Nic @{ DeviceId = 'eth0'; Caption = 'Net'; Speed = 1000 }
    }

    Context 'Commands' {
        It 'exports <Name>' -ForEach @(
            @{ Name = 'New-CimLiteSession' }; @{ Name = 'Get-CimLiteSession' }; @{ Name = 'Remove-CimLiteSession' }
            @{ Name = 'New-CimLiteClass' }; @{ Name = 'Get-CimLiteClass' }; @{ Name = 'Remove-CimLiteClass' }
            @{ Name = 'New-CimLiteInstance' }; @{ Name = 'Set-CimLiteInstance' }; @{ Name = 'Get-CimLiteInstance' }; @{ Name = 'Remove-CimLiteInstance' }
        ) {
            (Get-Command $Name).Source | Should -Be 'CimLite'
        }

        It '<Name> supports -WhatIf' -ForEach @(
            @{ Name = 'Remove-CimLiteSession' }; @{ Name = 'New-CimLiteClass' }; @{ Name = 'Remove-CimLiteClass' }
            @{ Name = 'New-CimLiteInstance' }; @{ Name = 'Set-CimLiteInstance' }; @{ Name = 'Remove-CimLiteInstance' }
        ) {
            (Get-Command $Name).Parameters.Keys | Should -Contain 'WhatIf'
        }
    }

    Context 'Sessions' {
        It 'opens an in-memory session' {
            $s = New-CimLiteSession -InMemory
            $s.IsInMemory | Should -BeTrue
            $s.DefaultNamespace | Should -Be 'root/cimv2'
            Remove-CimLiteSession $s
        }

        It 'keeps data in a repository file' {
            $file = [System.IO.Path]::Combine($TestDrive, 'repo.db')
            $w = New-CimLiteSession -Path $file
            $null = New-CimLiteClass -Session $w -ClassName MT_Kept -Key N -Property @{ N = 'string' }
            Remove-CimLiteSession $w
            $r = New-CimLiteSession -Path $file
            (Get-CimLiteClass -Session $r MT_Kept).ClassName | Should -Be 'MT_Kept'
            Remove-CimLiteSession $r
        }

        It 'lists open sessions and forgets closed ones' {
            $s = New-CimLiteSession -InMemory
            @(Get-CimLiteSession | Where-Object { [object]::ReferenceEquals($_, $s) }) | Should -HaveCount 1
            Remove-CimLiteSession $s
            @(Get-CimLiteSession | Where-Object { [object]::ReferenceEquals($_, $s) }) | Should -HaveCount 0
        }

        It 'fails clearly when a closed session is used' {
            $s = New-CimLiteSession -InMemory
            Remove-CimLiteSession $s
            $s.IsClosed | Should -BeTrue
            { Get-CimLiteClass -Session $s } | Should -Throw -ErrorId 'CimLite.SessionClosed,*'
        }

        It 'refuses writes in a read-only session with CimLite.AccessDenied' {
            $file = [System.IO.Path]::Combine($TestDrive, 'ro.db')
            $w = New-CimLiteSession -Path $file
            $null = New-CimLiteClass -Session $w -ClassName MT_Ro -Key N -Property @{ N = 'string' }
            Remove-CimLiteSession $w
            $r = New-CimLiteSession -Path $file -ReadOnly
            $r.IsReadOnly | Should -BeTrue
            { New-CimLiteInstance -Session $r MT_Ro @{ N = 'a' } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AccessDenied,*'
            $err = { New-CimLiteClass -Session $r -ClassName MT_Ro2 -ErrorAction Stop } | Should -Throw -PassThru
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            (Get-CimLiteClass -Session $r MT_Ro).ClassName | Should -Be 'MT_Ro'
            Remove-CimLiteSession $r
        }
    }

    Context 'Get-CimLiteInstance' {
        It 'includes subclass instances, each as its own class' {
            $all = Get-CimLiteInstance -Session $session MT_Device
            $all | Should -HaveCount 3
            ($all | Where-Object DeviceId -eq 'S:').__CLASS | Should -Be 'MT_Ssd'
        }

        It 'gets only the class itself with -Shallow' {
            (Get-CimLiteInstance -Session $session MT_Disk -Shallow).DeviceId | Should -Be 'C:'
        }

        It 'fills only keys with -KeyOnly' {
            $k = Get-CimLiteInstance -Session $session MT_Disk -Shallow -KeyOnly
            $k.DeviceId | Should -Be 'C:'
            $k.Caption | Should -BeNullOrEmpty
        }

        It 'gets an instance by <Kind> path' -ForEach @(
            @{ Kind = 'absolute'; Path = 'root/cimv2:MT_Disk.DeviceId="C:"' }
            @{ Kind = 'relative'; Path = 'MT_Disk.DeviceId="C:"' }
            @{ Kind = 'superclass'; Path = 'MT_Device.DeviceId="C:"' }
        ) {
            (Get-CimLiteInstance -Session $session -Path $Path).Caption | Should -Be 'System'
        }

        It 'reads an instance again with -InputObject' {
            $d = Get-CimLiteInstance -Session $session -Path 'MT_Disk.DeviceId="C:"'
            $d.Caption = 'local'
            (Get-CimLiteInstance -Session $session -InputObject $d).Caption | Should -Be 'System'
            ($d | Get-CimLiteInstance -Session $session).Caption | Should -Be 'System'
        }

        It 'reports a missing instance with CimLite.NotFound' {
            $err = { Get-CimLiteInstance -Session $session -Path 'MT_Disk.DeviceId="Z:"' -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.NotFound,CimLite.Commands.GetCimLiteInstanceCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.CategoryInfo.TargetName | Should -Be 'root/cimv2:MT_Disk.DeviceId="Z:"'
            $err.Exception.StatusCode | Should -Be 'NotFound'
        }

        It 'reports a missing class with CimLite.InvalidClass' {
            { Get-CimLiteInstance -Session $session MT_Nope -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidClass,*'
        }
    }

    Context 'Remove-CimLiteInstance' {
        It 'removes every instance piped from Get-CimLiteInstance' {
            Get-CimLiteInstance -Session $session MT_Device | Remove-CimLiteInstance -Session $session
            Get-CimLiteInstance -Session $session MT_Device | Should -BeNullOrEmpty
        }

        It 'removes by path' {
            Remove-CimLiteInstance -Session $session -Path 'MT_Nic.DeviceId="eth0"'
            Get-CimLiteInstance -Session $session MT_Nic | Should -BeNullOrEmpty
        }

        It 'reports a missing instance with CimLite.NotFound and goes on with the next' {
            $gone = New-CimLiteInstance -Session $session MT_Disk @{ DeviceId = 'gone' } -ClientOnly
            $nic = Get-CimLiteInstance -Session $session MT_Nic
            $gone, $nic | Remove-CimLiteInstance -Session $session -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CimLite.NotFound,CimLite.Commands.RemoveCimLiteInstanceCommand'
            Get-CimLiteInstance -Session $session MT_Nic | Should -BeNullOrEmpty
        }

        It 'removes nothing with -WhatIf' {
            Get-CimLiteInstance -Session $session MT_Device | Remove-CimLiteInstance -Session $session -WhatIf
            Get-CimLiteInstance -Session $session MT_Device | Should -HaveCount 3
        }
    }

    Context 'Instance objects' {
        It 'show CIM properties as properties' {
            $d = Get-CimLiteInstance -Session $session -Path 'MT_Ssd.DeviceId="S:"'
            $d.DeviceId | Should -Be 'S:'
            $d.Size | Should -Be 50
            $d.Wear | Should -Be 3
        }

        It 'show system property <Name>' -ForEach @(
            @{ Name = '__CLASS'; Expected = 'MT_Ssd' }
            @{ Name = '__SUPERCLASS'; Expected = 'MT_Disk' }
            @{ Name = '__NAMESPACE'; Expected = 'root/cimv2' }
            @{ Name = '__RELPATH'; Expected = 'MT_Ssd.DeviceId="S:"' }
            @{ Name = '__PATH'; Expected = 'root/cimv2:MT_Ssd.DeviceId="S:"' }
        ) {
            (Get-CimLiteInstance -Session $session -Path 'MT_Ssd.DeviceId="S:"').$Name | Should -Be $Expected
        }

        It 'show the derivation in __DERIVATION' {
            (Get-CimLiteInstance -Session $session -Path 'MT_Ssd.DeviceId="S:"').__DERIVATION | Should -Be @('MT_Disk', 'MT_Device')
        }

        It 'carry type names for the class and its superclasses' {
            $names = (Get-CimLiteInstance -Session $session -Path 'MT_Ssd.DeviceId="S:"').PSObject.TypeNames
            $names | Should -Contain 'CimLite.CimLiteInstance#root/cimv2/MT_Ssd'
            $names | Should -Contain 'CimLite.CimLiteInstance#MT_Ssd'
            $names | Should -Contain 'CimLite.CimLiteInstance#MT_Disk'
            $names | Should -Contain 'CimLite.CimLiteInstance#MT_Device'
        }

        It 'are values: a change is local until it is put' {
            $d = Get-CimLiteInstance -Session $session -Path 'MT_Disk.DeviceId="C:"'
            $d.Size = 5
            $d.Size | Should -Be 5
            (Get-CimLiteInstance -Session $session -InputObject $d).Size | Should -Be 100
            $d | Set-CimLiteInstance -Session $session
            (Get-CimLiteInstance -Session $session -InputObject $d).Size | Should -Be 5
        }

        It 'carry qualifiers with Name, Value and Flavor' {
            $i = New-CimLiteInstance -Session $session MT_Nic @{ DeviceId = 'q' } -Qualifier @{ Origin = 'test' }
            $q = $i.Qualifiers | Where-Object Name -eq Origin
            $q.Value | Should -Be 'test'
            $q.Flavor | Should -Not -BeNullOrEmpty
        }
    }
}
