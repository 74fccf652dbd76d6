# New-CimLiteClass, Get-CimLiteClass and Remove-CimLiteClass as a user reads them. Valid for Pester 5 and 6.

Describe 'CimLite classes' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName CL_Device -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' } -Qualifier @{ Description = @{ Value = 'A device'; Flavor = 'Amended' }; Version = '2.0' }
        $null = New-CimLiteClass -Session $session -ClassName CL_Disk -Superclass CL_Device -Property @{ Size = 'uint64'; Tags = 'string[]'; Parent = 'ref:CL_Disk' }
        $null = New-CimLiteClass -Session $session -ClassName CL_Ssd -Superclass CL_Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $session -ClassName CL_Nic -Superclass CL_Device -Property @{ Speed = 'uint32' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    Context 'New-CimLiteClass' {
        It 'returns the class it created' {
            $c = New-CimLiteClass -Session $session -ClassName CL_Fan -Key Id -Property @{ Id = 'uint32'; Rpm = 'uint16' } -Qualifier @{ Description = 'A fan' }
            $c.ClassName | Should -Be 'CL_Fan'
            $c.Namespace | Should -Be 'root/cimv2'
            $c.Superclass | Should -BeNullOrEmpty
            $c.IsAbstract | Should -BeFalse
            ($c.Qualifiers | Where-Object Name -eq Description).Value | Should -Be 'A fan'
        }

        It 'inherits the keys and properties of the superclass' {
            $c = Get-CimLiteClass -Session $session CL_Disk
            $c.Superclass | Should -Be 'CL_Device'
            $c.Properties.Name | Should -Contain 'DeviceId'
            $c.Properties.Name | Should -Contain 'Caption'
            ($c.Properties | Where-Object IsKey).Name | Should -Be 'DeviceId'
        }

        It 'declares property <Name> as <Type>' -ForEach @(
            @{ Name = 'Size'; Type = 'uint64' }
            @{ Name = 'Tags'; Type = 'string[]' }
            @{ Name = 'Parent'; Type = 'ref:CL_Disk' }
        ) {
            $p = (Get-CimLiteClass -Session $session CL_Disk).Properties | Where-Object Name -eq $Name
            $p.TypeName | Should -Be $Type
            $p.IsKey | Should -BeFalse
        }

        It 'marks keys with the Key qualifier' {
            $p = (Get-CimLiteClass -Session $session CL_Device).Properties | Where-Object Name -eq DeviceId
            $p.IsKey | Should -BeTrue
            $p.Qualifiers.Name | Should -Contain 'Key'
        }

        It 'makes abstract classes with -Abstract' {
            (Get-CimLiteClass -Session $session CL_Device).IsAbstract | Should -BeTrue
            (Get-CimLiteClass -Session $session CL_Disk).IsAbstract | Should -BeFalse
        }

        It 'makes indication classes with -Indication' {
            (New-CimLiteClass -Session $session -ClassName CL_Event -Indication -Property @{ Message = 'string' }).IsIndication | Should -BeTrue
        }

        It 'accepts property settings: Type, Default, Key, Required, Qualifier' {
            $null = New-CimLiteClass -Session $session -ClassName CL_Rich -Property @{
                Id    = @{ Type = 'uint32'; Key = $true }
                Label = @{ Type = 'string'; Required = $true; Qualifier = @{ Description = 'the label' } }
                Level = @{ Type = 'uint8'; Default = 3 }
            }
            $c = Get-CimLiteClass -Session $session CL_Rich
            ($c.Properties | Where-Object IsKey).Name | Should -Be 'Id'
            ($c.Properties | Where-Object Name -eq Label).Qualifiers.Name | Should -Contain 'Required'
            (New-CimLiteInstance -Session $session CL_Rich @{ Id = 1; Label = 'x' }).Level | Should -Be 3
        }

        It 'orders keys as -Key lists them' {
            $null = New-CimLiteClass -Session $session -ClassName CL_Two -Key B, A -Property @{ A = 'string'; B = 'uint32' }
            (New-CimLiteInstance -Session $session CL_Two @{ A = 'x'; B = 3 }).__RELPATH | Should -Be 'CL_Two.B=3,A="x"'
        }

        It 'creates the class in another namespace with -Namespace' {
            (New-CimLiteClass -Session $session -Namespace root/cltest -ClassName CL_Other -Key N -Property @{ N = 'string' }).Namespace | Should -Be 'root/cltest'
            (Get-CimLiteClass -Session $session -Namespace root/cltest).ClassName | Should -Be 'CL_Other'
        }

        It 'refuses a class that exists with CimLite.AlreadyExists' {
            { New-CimLiteClass -Session $session -ClassName CL_Disk -Superclass CL_Device -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.AlreadyExists,*'
        }

        It 'refuses a missing superclass with CimLite.InvalidSuperclass' {
            { New-CimLiteClass -Session $session -ClassName CL_Orphan -Superclass CL_Nope -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidSuperclass,CimLite.Commands.NewCimLiteClassCommand'
        }

        It 'refuses an unknown CIM type' {
            { New-CimLiteClass -Session $session -ClassName CL_Bad -Property @{ A = 'bogus' } } | Should -Throw -ExpectedMessage '*bogus*'
        }

        It 'creates nothing with -WhatIf' {
            New-CimLiteClass -Session $session -ClassName CL_WhatIf -Key N -Property @{ N = 'string' } -WhatIf
            Get-CimLiteClass -Session $session CL_WhatIf -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Context 'Get-CimLiteClass' {
        It 'gets every class of the namespace' {
            (Get-CimLiteClass -Session $session).ClassName | Should -Contain 'CL_Ssd'
        }

        It 'gets classes by name, case-insensitively' {
            (Get-CimLiteClass -Session $session cl_disk).ClassName | Should -BeExactly 'CL_Disk'
        }

        It 'matches <Pattern> to <Count> classes' -ForEach @(
            @{ Pattern = 'CL_D*'; Count = 2 }
            @{ Pattern = 'CL_?sd'; Count = 1 }
            @{ Pattern = '*Nic'; Count = 1 }
        ) {
            Get-CimLiteClass -Session $session $Pattern | Should -HaveCount $Count
        }

        It 'reports a name that matches nothing with CimLite.InvalidClass' {
            { Get-CimLiteClass -Session $session CL_Nothing -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidClass,*'
            { Get-CimLiteClass -Session $session 'CL_Nothing*' -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidClass,*'
        }

        It 'takes class names from the pipeline' {
            'CL_Disk', 'CL_Nic' | Get-CimLiteClass -Session $session | Should -HaveCount 2
        }

        It 'leaves out Amended qualifiers unless -UseAmendedQualifiers' {
            (Get-CimLiteClass -Session $session CL_Device).Qualifiers.Name | Should -Not -Contain 'Description'
            (Get-CimLiteClass -Session $session CL_Device).Qualifiers.Name | Should -Contain 'Version'
            $q = (Get-CimLiteClass -Session $session CL_Device -UseAmendedQualifiers).Qualifiers | Where-Object Name -eq Description
            $q.Value | Should -Be 'A device'
        }
    }

    Context 'Remove-CimLiteClass' {
        BeforeEach {
            $null = New-CimLiteClass -Session $session -ClassName CL_Tmp -Key N -Property @{ N = 'string' }
            $null = New-CimLiteClass -Session $session -ClassName CL_TmpChild -Superclass CL_Tmp
            $null = New-CimLiteClass -Session $session -ClassName CL_TmpLeaf -Key N -Property @{ N = 'string' }
            $null = New-CimLiteInstance -Session $session CL_TmpLeaf @{ N = 'one' }
        }

        AfterEach {
            foreach ($name in 'CL_Tmp', 'CL_TmpLeaf') {
                if (Get-CimLiteClass -Session $session $name -ErrorAction SilentlyContinue) { Remove-CimLiteClass -Session $session $name -Force }
            }
        }

        It 'refuses a class with subclasses with CimLite.ClassHasChildren' {
            { Remove-CimLiteClass -Session $session CL_Tmp -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.ClassHasChildren,*'
            (Get-CimLiteClass -Session $session CL_TmpChild).ClassName | Should -Be 'CL_TmpChild'
        }

        It 'refuses a class with instances with CimLite.ClassHasInstances' {
            { Remove-CimLiteClass -Session $session CL_TmpLeaf -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.ClassHasInstances,*'
            Get-CimLiteInstance -Session $session CL_TmpLeaf | Should -HaveCount 1
        }

        It 'removes subclasses and instances too with -Force' {
            Remove-CimLiteClass -Session $session CL_Tmp -Force
            Remove-CimLiteClass -Session $session CL_TmpLeaf -Force
            Get-CimLiteClass -Session $session 'CL_Tmp*' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'removes classes from the pipeline' {
            Get-CimLiteClass -Session $session CL_TmpChild | Remove-CimLiteClass -Session $session
            Get-CimLiteClass -Session $session CL_TmpChild -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'reports a missing class with CimLite.InvalidClass' {
            { Remove-CimLiteClass -Session $session CL_Nothing -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.InvalidClass,CimLite.Commands.RemoveCimLiteClassCommand'
        }

        It 'removes nothing with -WhatIf' {
            Remove-CimLiteClass -Session $session CL_Tmp -Force -WhatIf
            Remove-CimLiteClass -Session $session CL_TmpLeaf -Force -WhatIf
            Get-CimLiteClass -Session $session 'CL_Tmp*' | Should -HaveCount 3
            Get-CimLiteInstance -Session $session CL_TmpLeaf | Should -HaveCount 1
        }
    }
}
