# WMI PutInstance semantics through Set-CimLiteInstance and New-CimLiteInstance (DESIGN.md section 2). Valid for Pester 5 and 6.

Describe 'Putting CimLite instances' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName PT_Device -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName PT_Disk -Superclass PT_Device -Property @{ Size = 'uint64'; Tags = 'string[]' }
        $null = New-CimLiteClass -Session $session -ClassName PT_Ssd -Superclass PT_Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $session -ClassName PT_Nic -Superclass PT_Device -Property @{ Speed = 'uint32' }
        $null = New-CimLiteClass -Session $session -ClassName PT_Volume -Key Name -Property @{ Name = 'string'; Label = @{ Type = 'string'; Required = $true }; Note = 'string' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        Get-CimLiteInstance -Session $session PT_Device | Remove-CimLiteInstance -Session $session
        Get-CimLiteInstance -Session $session PT_Volume | Remove-CimLiteInstance -Session $session
        Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Caption = 'System'; Size = 100; Tags = 'ssd', 'boot' }
        Set-CimLiteInstance -Session $session -ClassName PT_Volume -Property @{ Name = 'v1'; Label = 'Data'; Note = 'n' }
    }

    Context 'Modes' {
        It 'creates an instance that does not exist (create-or-update, the default)' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'D:'; Size = 5 }
            (Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="D:"').Size | Should -Be 5
        }

        It 'replaces every value of an existing instance (create-or-update, the default)' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 7 }
            $d = Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"'
            $d.Size | Should -Be 7
            $d.Caption | Should -BeNullOrEmpty
        }

        It 'writes nothing by default and the stored instance with -PassThru' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 8 } | Should -BeNullOrEmpty
            $i = Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 9 } -PassThru
            $i.__PATH | Should -Be 'root/cimv2:PT_Disk.DeviceId="C:"'
            $i.Size | Should -Be 9
        }

        It 'fails with CimLite.AlreadyExists for -CreateOnly of an existing instance' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 1 } -CreateOnly -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand'
            (Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"').Size | Should -Be 100
        }

        It 'fails with CimLite.AlreadyExists for New-CimLiteInstance of an existing instance' {
            { New-CimLiteInstance -Session $session PT_Disk @{ DeviceId = 'C:' } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,CimLite.Commands.NewCimLiteInstanceCommand'
        }

        It 'fails with CimLite.NotFound for -UpdateOnly of a missing instance' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'Z:'; Size = 1 } -UpdateOnly -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.NotFound,*'
            Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="Z:"' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'updates an existing instance with -UpdateOnly' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 2 } -UpdateOnly
            (Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"').Size | Should -Be 2
        }

        It 'refuses -CreateOnly with -UpdateOnly as a parameter error' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:' } -CreateOnly -UpdateOnly } | Should -Throw -ErrorId 'CimLite.ConflictingParameters,*'
        }
    }

    Context 'Validation' {
        It 'refuses <What> with <ErrorId>' -ForEach @(
            @{ What = 'a missing class'; Class = 'PT_Nope'; Values = @{ DeviceId = 'X:' }; ErrorId = 'CimLite.InvalidClass,*' }
            @{ What = 'an abstract class'; Class = 'PT_Device'; Values = @{ DeviceId = 'X:' }; ErrorId = 'CimLite.InvalidOperation,*' }
            @{ What = 'a null key'; Class = 'PT_Disk'; Values = @{ Size = 1 }; ErrorId = 'CimLite.IllegalNull,*' }
            @{ What = 'a missing Required property'; Class = 'PT_Volume'; Values = @{ Name = 'v9' }; ErrorId = 'CimLite.IllegalNull,*' }
            @{ What = '-1 for a uint64'; Class = 'PT_Disk'; Values = @{ DeviceId = 'X:'; Size = -1 }; ErrorId = 'CimLite.TypeMismatch,*' }
            @{ What = 'an unknown property'; Class = 'PT_Disk'; Values = @{ DeviceId = 'X:'; Bogus = 1 }; ErrorId = 'CimLite.NoSuchProperty,*' }
        ) {
            { Set-CimLiteInstance -Session $session -ClassName $Class -Property $Values -ErrorAction Stop } | Should -Throw -ErrorId $ErrorId
            { New-CimLiteInstance -Session $session -ClassName $Class -Property $Values -ErrorAction Stop } | Should -Throw -ErrorId $ErrorId
            Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="X:"' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'names the class when it refuses an abstract class' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Device -Property @{ DeviceId = 'X:' } -ErrorAction Stop } | Should -Throw -ExpectedMessage '*PT_Device*'
        }

        It 'names the property and the value of a type mismatch' {
            $err = { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'X:'; Size = -1 } -ErrorAction Stop } | Should -Throw -PassThru
            $err.Exception.Message | Should -Match 'Size'
            $err.Exception.Message | Should -Match '-1'
            $err.Exception.StatusCode | Should -Be 'TypeMismatch'
            [int] $err.Exception.StatusCode | Should -Be 13
            $err.CategoryInfo.Category | Should -Be 'InvalidType'
        }
    }

    Context 'No moving between classes' {
        It 'refuses a sibling-class instance with the key of an existing one' {
            { New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'C:' } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,*'
            { Set-CimLiteInstance -Session $session -ClassName PT_Nic -Property @{ DeviceId = 'C:' } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,*'
            (Get-CimLiteInstance -Session $session -Path 'PT_Device.DeviceId="C:"').__CLASS | Should -Be 'PT_Disk'
        }

        It 'refuses a subclass instance with the key of an existing one' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Ssd -Property @{ DeviceId = 'C:' } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,*'
        }

        It 'refuses a put addressed to the parent class of a child-class instance' {
            Set-CimLiteInstance -Session $session -ClassName PT_Ssd -Property @{ DeviceId = 'S:'; Wear = 1 }
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'S:'; Size = 9 } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,*'
            (Get-CimLiteInstance -Session $session -Path 'PT_Ssd.DeviceId="S:"').Wear | Should -Be 1
        }

        It 'frees the key once the other instance is removed' {
            Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"' | Remove-CimLiteInstance -Session $session
            (New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'C:' }).__CLASS | Should -Be 'PT_Nic'
        }
    }

    Context 'Partial updates' {
        It 'changes only the named properties with -InputObject and -Property' {
            $d = Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"'
            $d.Size = 555
            Set-CimLiteInstance -Session $session -InputObject $d -Property @{ Caption = 'Renamed' }
            $stored = Get-CimLiteInstance -Session $session -InputObject $d
            $stored.Caption | Should -Be 'Renamed'
            $stored.Size | Should -Be 100
        }

        It 'changes only the named properties with -Key and -Property' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'C:' } -Property @{ Caption = 'Backup' }
            $stored = Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"'
            $stored.Caption | Should -Be 'Backup'
            $stored.Size | Should -Be 100
            $stored.Tags | Should -Be @('ssd', 'boot')
        }

        It 'leaves a property unchanged for a null value without -StrictNulls' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'C:' } -Property @{ Tags = $null; Size = 3 }
            $stored = Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"'
            $stored.Tags | Should -HaveCount 2
            $stored.Size | Should -Be 3
        }

        It 'sets a property to null with -StrictNulls' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'C:' } -Property @{ Tags = $null } -StrictNulls
            (Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"').Tags | Should -BeNullOrEmpty
        }

        It 'refuses null for a Required property with -StrictNulls' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Volume -Key @{ Name = 'v1' } -Property @{ Label = $null } -StrictNulls -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.IllegalNull,*'
            (Get-CimLiteInstance -Session $session PT_Volume).Label | Should -Be 'Data'
        }

        It 'refuses a partial update of a missing instance with CimLite.NotFound' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'Z:' } -Property @{ Size = 1 } -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.NotFound,*'
        }

        It 'refuses -CreateOnly with a partial update as a parameter error' {
            { Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'C:' } -Property @{ Size = 1 } -CreateOnly } | Should -Throw -ErrorId 'CimLite.ConflictingParameters,*'
        }
    }

    Context 'Amended qualifiers' {
        It 'stores Amended qualifiers by default' {
            $i = New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'q1' } -Qualifier @{ Note = @{ Value = 'x'; Flavor = 'Amended' }; Origin = 'y' }
            $i.Qualifiers.Name | Should -Contain 'Note'
        }

        It 'does not store Amended qualifiers with -UseAmendedQualifiers on <Command>' -ForEach @(
            @{ Command = 'New-CimLiteInstance' }
            @{ Command = 'Set-CimLiteInstance' }
        ) {
            $q = @{ Note = @{ Value = 'x'; Flavor = 'Amended' }; Origin = 'y' }
            if ($Command -eq 'New-CimLiteInstance') {
                $null = New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'q2' } -Qualifier $q -UseAmendedQualifiers
            }
            else {
                New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'q2' } -Qualifier $q -ClientOnly | Set-CimLiteInstance -Session $session -UseAmendedQualifiers
            }
            $stored = Get-CimLiteInstance -Session $session -Path 'PT_Nic.DeviceId="q2"'
            $stored.Qualifiers.Name | Should -Not -Contain 'Note'
            $stored.Qualifiers.Name | Should -Contain 'Origin'
        }
    }

    Context 'Pipeline and -WhatIf' {
        It 'puts piped instances and keeps going after a bad one' {
            $bad = New-CimLiteInstance -Session $session PT_Nic @{ DeviceId = 'C:' } -ClientOnly
            $good = New-CimLiteInstance -Session $session PT_Disk @{ DeviceId = 'E:'; Size = 1 } -ClientOnly
            $bad, $good | Set-CimLiteInstance -Session $session -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand'
            (Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="E:"').Size | Should -Be 1
        }

        It 'puts piped hashtables with -ClassName' {
            @{ DeviceId = 'F:'; Size = 1 }, @{ DeviceId = 'G:'; Size = -1 }, @{ DeviceId = 'H:'; Size = 3 } |
                Set-CimLiteInstance -Session $session -ClassName PT_Disk -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs | Should -HaveCount 1
            $errs[0].TargetObject.DeviceId | Should -Be 'G:'
            (Get-CimLiteInstance -Session $session PT_Disk -Shallow).DeviceId | Should -Be @('C:', 'F:', 'H:')
        }

        It 'writes nothing with -WhatIf' {
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Property @{ DeviceId = 'C:'; Size = 1 } -WhatIf
            Set-CimLiteInstance -Session $session -ClassName PT_Disk -Key @{ DeviceId = 'C:' } -Property @{ Caption = 'x' } -WhatIf
            New-CimLiteInstance -Session $session PT_Disk @{ DeviceId = 'W:' } -WhatIf
            $stored = Get-CimLiteInstance -Session $session -Path 'PT_Disk.DeviceId="C:"'
            $stored.Size | Should -Be 100
            $stored.Caption | Should -Be 'System'
            Get-CimLiteInstance -Session $session PT_Disk | Should -HaveCount 1
        }
    }
}
