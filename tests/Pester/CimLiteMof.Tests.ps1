# Import-CimLiteMof and Export-CimLiteMof as a user reads them, on the DMTF CIM Schema. Valid Pester 5 and 6.
# The schema is found by Get-CimLiteTestCimSchema (CimLite.TestSetup.ps1); where it is absent, the Its that need it
# are skipped with the reason (and fail when $env:CIMLITE_REQUIRE_CIM_SCHEMA is 1).

Describe 'CimLite MOF' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $cim = Get-CimLiteTestCimSchema
        if (-not $cim.RootFile -and $cim.Required) { throw "$($cim.Reason) (CIMLITE_REQUIRE_CIM_SCHEMA=1 requires it)" }
        $work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'cimlite-pester-mof-' + [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($work)
        $session = New-CimLiteSession -InMemory
        $result = if ($cim.RootFile) { Import-CimLiteMof -Session $session -Path $cim.RootFile }
    }

    AfterAll {
        Remove-CimLiteSession $session
        [System.IO.Directory]::Delete($work, $true)
    }

    Context 'Import-CimLiteMof of the whole CIM schema' {
        It 'imports every class in one go' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            $result.Committed | Should -BeTrue
            $result.ClassesCreated | Should -BeGreaterThan 1400
            $result.QualifiersCreated | Should -BeGreaterThan 50
        }

        It 'gives <ClassName> the superclass <Superclass>' -ForEach @(
            @{ ClassName = 'CIM_ComputerSystem'; Superclass = 'CIM_System' }
            @{ ClassName = 'CIM_System'; Superclass = 'CIM_EnabledLogicalElement' }
            @{ ClassName = 'CIM_InstCreation'; Superclass = 'CIM_InstIndication' }
            @{ ClassName = 'CIM_SystemComponent'; Superclass = 'CIM_Component' }
        ) {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            (Get-CimLiteClass -Session $session $ClassName).Superclass | Should -Be $Superclass
        }

        It 'keeps CIM_ManagedElement abstract and key-less' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            $c = Get-CimLiteClass -Session $session CIM_ManagedElement
            $c.IsAbstract | Should -BeTrue
            ($c.Properties | Where-Object IsKey) | Should -BeNullOrEmpty
        }

        It 'gives CIM_ComputerSystem the keys Name and CreationClassName' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            $keys = (Get-CimLiteClass -Session $session CIM_ComputerSystem).Properties | Where-Object IsKey | ForEach-Object Name
            $keys | Should -HaveCount 2
            $keys | Should -Contain 'Name'
            $keys | Should -Contain 'CreationClassName'
        }

        It 'marks CIM_Indication as an abstract indication class' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            $c = Get-CimLiteClass -Session $session CIM_Indication
            $c.IsAbstract | Should -BeTrue
            $c.IsIndication | Should -BeTrue
        }

        It 'applies the PutInstance rules on the real hierarchy' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            Set-CimLiteInstance -Session $session -ClassName CIM_ComputerSystem -Property @{ CreationClassName = 'CIM_ComputerSystem'; Name = 'pester1' }
            (Get-CimLiteInstance -Session $session -ClassName CIM_System).Name | Should -Be 'pester1'
            { Set-CimLiteInstance -Session $session -ClassName CIM_AdminDomain -Property @{ CreationClassName = 'CIM_ComputerSystem'; Name = 'pester1' } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CimLite.AlreadyExists,CimLite.Commands.SetCimLiteInstanceCommand'
        }
    }

    Context 'Broken MOF' {
        It 'imports nothing and names the file, line and column' {
            $bad = [System.IO.Path]::Combine($work, 'bad.mof')
            [System.IO.File]::WriteAllText($bad, "class PesterGood { };`nclass PesterBad : Nowhere { };")
            { Import-CimLiteMof -Session $session -Path $bad -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*bad.mof(2,19)*Nowhere*'
            Get-CimLiteClass -Session $session -ClassName PesterGood -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Context 'Export-CimLiteMof' {
        It 'writes one class with what it needs, as MOF that imports on its own' {
            if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
            $file = [System.IO.Path]::Combine($work, 'cs.mof')
            Export-CimLiteMof -Session $session -ClassName CIM_ComputerSystem -Path $file
            $copy = New-CimLiteSession -InMemory
            $r = Import-CimLiteMof -Session $copy -Path $file
            $r.ClassesCreated | Should -BeGreaterThan 5
            (Get-CimLiteClass -Session $copy CIM_ConcreteJob).Superclass | Should -Be 'CIM_Job'
            $keys = (Get-CimLiteClass -Session $copy CIM_ComputerSystem).Properties | Where-Object IsKey | ForEach-Object Name
            $keys | Should -HaveCount 2
            Remove-CimLiteSession $copy
        }
    }
}
