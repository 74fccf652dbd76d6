# Working like CimCmdlets (issue 15 items 2-4): datetime values, CimCmdlets' parameter names, -FilterHashtable. Valid for Pester 5 and 6.

Describe 'CimLite works like CimCmdlets in a pipeline' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName CP_Person -Key Name -Property @{ Name = 'string'; Size = 'uint32'; Born = 'datetime'; Age = 'datetime'; Note = 'string' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        Get-CimLiteInstance -CimSession $session CP_Person | Remove-CimLiteInstance
        $born = [DateTimeOffset]::new(1990, 7, 1, 12, 0, 0, [TimeSpan]::FromHours(-5))
        $null = New-CimLiteInstance -CimSession $session CP_Person @{ Name = "O'Brien"; Size = 5; Born = $born; Age = [TimeSpan]::FromDays(12000) }
        $null = New-CimLiteInstance -CimSession $session CP_Person @{ Name = 'Smith'; Size = 6; Note = 'x' }
        $null = New-CimLiteInstance -CimSession $session CP_Person @{ Name = 'Jones'; Size = 5; Note = 'y' }
    }

    Context 'datetime values' {
        It 'gives a timestamp as a local [datetime] of the same instant and an interval as a [TimeSpan]' {
            $p = Get-CimLiteInstance -CimSession $session -Path 'CP_Person.Name="O''Brien"'
            $p.Born | Should -BeOfType ([datetime])
            $p.Born.Kind | Should -Be 'Local'
            $p.Born.ToUniversalTime().ToString('o') | Should -Be '1990-07-01T17:00:00.0000000Z'
            (New-TimeSpan -Start $p.Born -End $p.Born.AddDays(1)).TotalDays | Should -Be 1
            ((Get-Date) - $p.Born).TotalDays | Should -BeGreaterThan 10000
            $p.Age | Should -BeOfType ([TimeSpan])
            $p.Age.TotalDays | Should -Be 12000
        }

        It 'keeps the stored UTC offset in the repository' {
            $p = Get-CimLiteInstance -CimSession $session -Path 'CP_Person.Name="O''Brien"'
            $p.PSObject.BaseObject['Born'].Offset | Should -Be ([TimeSpan]::FromHours(-5))
        }
    }

    Context 'CimCmdlets parameter names' {
        It 'runs a splatted CimCmdlets call unchanged' {
            $p = @{ CimSession = $session; ClassName = 'CP_Person'; Property = 'Size'; QueryDialect = 'WQL'; OperationTimeoutSec = 30; Filter = 'Size = 5' }
            $r = @(Get-CimLiteInstance @p | Sort-Object Name)
            $r | Should -HaveCount 2
            $r[0].Name | Should -Be 'Jones'
            $r[0].Size | Should -Be 5
            $r[0].Note | Should -BeNullOrEmpty
        }

        It 'refuses another query dialect with QUERY_LANGUAGE_NOT_SUPPORTED' {
            { Get-CimLiteInstance -CimSession $session -ClassName CP_Person -QueryDialect CQL } |
                Should -Throw -ErrorId 'CimLite.QueryLanguageNotSupported,CimLite.Commands.GetCimLiteInstanceCommand'
        }

        It 'refuses -ComputerName with NOT_SUPPORTED naming it' {
            { Get-CimLiteInstance -CimSession $session -ClassName CP_Person -ComputerName server1 } |
                Should -Throw -ErrorId 'CimLite.NotSupported,CimLite.Commands.GetCimLiteInstanceCommand' -ExpectedMessage '*-ComputerName*'
        }

        It 'updates every instance a query selects with Set-CimLiteInstance -Query -Property' {
            $r = @(Set-CimLiteInstance -CimSession $session -Query 'SELECT * FROM CP_Person WHERE Size = 5' -Property @{ Note = 'five' } -PassThru)
            $r | Should -HaveCount 2
            (Get-CimLiteInstance -CimSession $session -Path 'CP_Person.Name="Smith"').Note | Should -Be 'x'
        }
    }

    Context '-FilterHashtable' {
        It 'selects by equality without quoting; arrays mean any of, $null means IS NULL' {
            (Get-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Name = "O'Brien"; Size = 5 }).Name | Should -Be "O'Brien"
            @(Get-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Size = 5, 6; Note = 'x', 'y' }) | Should -HaveCount 2
            (Get-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Note = $null }).Name | Should -Be "O'Brien"
        }

        It 'refuses an unknown property and a value of the wrong type' {
            { Get-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Nope = 1 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CimLite.NoSuchProperty,CimLite.Commands.GetCimLiteInstanceCommand'
            { Get-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Size = 'big' } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CimLite.TypeMismatch,CimLite.Commands.GetCimLiteInstanceCommand'
        }

        It 'removes and updates only the selected instances' {
            Set-CimLiteInstance -CimSession $session CP_Person -FilterHashtable @{ Note = 'y' } -Property @{ Size = 9 }
            (Get-CimLiteInstance -CimSession $session -Path 'CP_Person.Name="Jones"').Size | Should -Be 9
            Remove-CimLiteInstance -CimSession $session -ClassName CP_Person -FilterHashtable @{ Name = "O'Brien" }
            @(Get-CimLiteInstance -CimSession $session CP_Person) | Should -HaveCount 2
        }
    }
}
