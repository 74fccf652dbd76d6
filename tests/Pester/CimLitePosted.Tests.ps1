# The durable posted queue: indications posted with New-CimLiteInstance and taken with Receive-CimLitePosted
# (DESIGN.md section 3). Valid for Pester 5 and 6.

Describe 'CimLite posted queue' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName PQ_Event -Indication -Property @{ Seq = 'uint32'; Msg = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName PQ_SubEvent -Superclass PQ_Event -Property @{ Extra = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName PQ_Other -Indication -Property @{ Seq = 'uint32' }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        $null = Receive-CimLitePosted -Session $session
        $null = New-CimLiteInstance -Session $session PQ_Event @{ Seq = 1; Msg = 'a' }
        $null = New-CimLiteInstance -Session $session PQ_Other @{ Seq = 2 }
        $null = New-CimLiteInstance -Session $session PQ_SubEvent @{ Seq = 3; Extra = 'x' }
    }

    It 'posts an indication with New-CimLiteInstance and writes the snapshot' {
        $e = New-CimLiteInstance -Session $session PQ_Event @{ Seq = 4; Msg = 'posted' }
        $e.Msg | Should -Be 'posted'
        $e.__CLASS | Should -Be 'PQ_Event'
    }

    It 'returns indications in posting order with PostedSequence and PostedAt, and removes them' {
        $r = Receive-CimLitePosted -Session $session
        $r.Seq -join ',' | Should -Be '1,2,3'
        $r[0].PostedSequence | Should -BeLessThan $r[1].PostedSequence
        $r[0].PostedAt | Should -BeOfType ([DateTimeOffset])
        Receive-CimLitePosted -Session $session | Should -BeNullOrEmpty
    }

    It 'leaves the queue as it was with -Keep' {
        (Receive-CimLitePosted -Session $session -Keep) | Should -HaveCount 3
        (Receive-CimLitePosted -Session $session -Keep) | Should -HaveCount 3
    }

    It 'takes only -First n' {
        (Receive-CimLitePosted -Session $session -First 2).Seq -join ',' | Should -Be '1,2'
        (Receive-CimLitePosted -Session $session).Seq | Should -Be 3
    }

    It 'takes a class and its subclasses with -ClassName' {
        (Receive-CimLitePosted -Session $session -ClassName PQ_Event).Seq -join ',' | Should -Be '1,3'
        (Receive-CimLitePosted -Session $session).Seq | Should -Be 2
    }

    It 'returns nothing after the timeout when -Wait finds the queue empty' {
        $null = Receive-CimLitePosted -Session $session
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Receive-CimLitePosted -Session $session -Wait -Timeout 1 | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 0.9
    }

    It 'keeps what a provider posted during a put that succeeded, as a snapshot' {
        $null = New-CimLiteClass -Session $session -ClassName PQ_Thing -Key Name -Property @{ Name = 'string' }
        $null = Register-CimLiteProvider -Session $session -ClassName PQ_Thing -Put {
            param($Context, $Instance)
            $e = $Context.NewInstance('PQ_Event', @{ Seq = 9; Msg = 'put ' + $Instance.Name })
            $Context.PostIndication($e)
            $e.Msg = 'changed'
        }
        $null = Receive-CimLitePosted -Session $session
        Set-CimLiteInstance -Session $session -ClassName PQ_Thing -Property @{ Name = 'n1' }
        (Receive-CimLitePosted -Session $session).Msg | Should -Be 'put n1'
        Unregister-CimLiteProvider -Session $session -ClassName PQ_Thing
    }
}
