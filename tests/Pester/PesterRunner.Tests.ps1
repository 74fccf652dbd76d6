# Exercises the Pester subset used by CI (DESIGN.md section 7). Plain PowerShell only; valid for real Pester 5.

Describe 'Pester runner smoke' -Tag 'Runner' {
    BeforeAll {
        $numbers = @(1, 2, 3)
        $text = 'Hello World'
        function Get-Answer { 42 }
    }

    It 'compares values with -Be and -BeExactly' {
        Get-Answer | Should -Be 42
        $text | Should -Be 'hello world'
        $text | Should -BeExactly 'Hello World'
        $text | Should -Not -BeExactly 'hello world'
    }

    It 'checks collections' {
        $numbers | Should -HaveCount 3
        $numbers | Should -Contain 2
        $numbers | Should -Not -Contain 4
        $numbers | Should -Be @(1, 2, 3)
        @() | Should -BeNullOrEmpty
        $numbers | Should -Not -BeNullOrEmpty
    }

    It 'checks booleans, types, ordering and patterns' {
        $true | Should -BeTrue
        $false | Should -BeFalse
        $text | Should -BeOfType [string]
        3 | Should -BeGreaterThan 2
        2 | Should -BeLessThan 3
        $text | Should -Match '^Hello'
        $text | Should -Not -Match '^World'
    }

    It 'checks exceptions' {
        { throw 'boom here' } | Should -Throw
        { throw 'boom here' } | Should -Throw -ExpectedMessage 'boom*'
        { $null = 1 } | Should -Not -Throw
        $err = { [int]::Parse('x') } | Should -Throw -PassThru
        $err.Exception | Should -Not -BeNullOrEmpty
    }

    Context 'with test cases' {
        It 'adds <a> and <b> to get <sum>' -TestCases @(
            @{ a = 1; b = 2; sum = 3 }
            @{ a = 5; b = 5; sum = 10 }
        ) {
            $a + $b | Should -Be $sum
        }

        It 'sees the Describe BeforeAll variables and $TestDrive' {
            $numbers | Should -HaveCount 3
            $TestDrive | Should -Not -BeNullOrEmpty
            [System.IO.Directory]::Exists($TestDrive) | Should -BeTrue
        }

        It 'knows its own script root' {
            $PSScriptRoot | Should -Not -BeNullOrEmpty
            [System.IO.File]::Exists([System.IO.Path]::Combine($PSScriptRoot, 'PesterRunner.Tests.ps1')) | Should -BeTrue
        }
    }
}
