# Register-CimLiteIndicationEvent: PowerShell event subscriptions fed by the durable posted queue (issue 15 item 6).
# Subscribers observe, consumers (Receive-CimLitePosted) take. Valid for Pester 5 and 6.

Describe 'Register-CimLiteIndicationEvent' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('cimlite-pester-events-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $file = Join-Path $folder 'events.db'
        $session = New-CimLiteSession -Path $file
        $consumer = New-CimLiteSession -Path $file
        $null = New-CimLiteClass -Session $session -ClassName IE_Event -Indication -Property @{ Seq = 'uint32'; Level = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName IE_SubEvent -Superclass IE_Event -Property @{ Extra = 'string' }

        function Send-TestIndication([int[]] $Seq, [string] $Level = 'info', $On = $session) {
            foreach ($n in $Seq) { $null = New-CimLiteInstance -Session $On IE_Event @{ Seq = $n; Level = $Level } }
        }

        # Waits for $Count events of a subscription and removes them from the event queue.
        function Receive-TestEvent([string] $Id, [int] $Count) {
            $got = [System.Collections.Generic.List[object]]::new()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while ($got.Count -lt $Count -and $clock.Elapsed.TotalSeconds -lt 10) {
                $e = Wait-Event -SourceIdentifier $Id -Timeout 1
                if ($e) { $got.Add($e); Remove-Event -EventIdentifier $e.EventIdentifier }
            }
            , $got.ToArray()
        }
    }

    AfterAll {
        Get-EventSubscriber -Force | Where-Object SourceIdentifier -like 'IE_*' | Unregister-Event -Force
        Remove-CimLiteSession -Session $session, $consumer
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        Remove-Variable -Name IE_seen -Scope Global -ErrorAction Ignore
    }

    AfterEach {
        Get-EventSubscriber -Force | Where-Object SourceIdentifier -like 'IE_*' | Unregister-Event -Force
        Get-Event | Where-Object SourceIdentifier -like 'IE_*' | Remove-Event
        $null = Receive-CimLitePosted -Session $session
    }

    It 'queues one event per indication posted after subscribing, in order, with NewEvent' {
        Send-TestIndication 1
        Register-CimLiteIndicationEvent -Session $session -ClassName IE_Event -SourceIdentifier IE_Order
        Send-TestIndication 2, 3
        $null = New-CimLiteInstance -Session $session IE_SubEvent @{ Seq = 4; Extra = 'x' }
        $events = Receive-TestEvent IE_Order 3
        $events.SourceEventArgs.NewEvent.Seq -join ',' | Should -Be '2,3,4'
        $events[2].SourceEventArgs.NewEvent.__CLASS | Should -Be 'IE_SubEvent'
        $events[0].SourceEventArgs.PostedSequence | Should -BeLessThan $events[1].SourceEventArgs.PostedSequence
    }

    It 'filters with -Query WHERE and carries -MessageData' {
        Register-CimLiteIndicationEvent -Session $session -Query "SELECT * FROM IE_Event WHERE Level = 'error'" -SourceIdentifier IE_Errors -MessageData 'ops'
        Send-TestIndication 1 -Level info
        Send-TestIndication 2 -Level error
        $events = Receive-TestEvent IE_Errors 1
        $events.SourceEventArgs.NewEvent.Seq | Should -Be 2
        $events.MessageData | Should -Be 'ops'
        Start-Sleep -Milliseconds 200
        Get-Event -SourceIdentifier IE_Errors -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'runs -Action for each indication and returns the event job' {
        # The action runs in its own (global) scope, as every event action does: it reports through a global list.
        $global:IE_seen = [System.Collections.Generic.List[int]]::new()
        $job = Register-CimLiteIndicationEvent -Session $session IE_Event -SourceIdentifier IE_Action -Action { $global:IE_seen.Add([int]$EventArgs.NewEvent.Seq) }
        $job.GetType().Name | Should -Be 'PSEventJob'
        Send-TestIndication 1, 2
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        while ($global:IE_seen.Count -lt 2 -and $clock.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 50 }
        $global:IE_seen -join ',' | Should -Be '1,2'
    }

    It 'gives every subscriber every indication while Receive-CimLitePosted takes each once' {
        Register-CimLiteIndicationEvent -Session $session IE_Event IE_A
        Register-CimLiteIndicationEvent -Session $consumer IE_Event IE_B
        $taken = foreach ($n in 1..6) { Send-TestIndication $n -On $consumer; Receive-CimLitePosted -Session $consumer IE_Event }
        $taken.Seq -join ',' | Should -Be '1,2,3,4,5,6'
        (Receive-TestEvent IE_A 6).SourceEventArgs.NewEvent.Seq -join ',' | Should -Be '1,2,3,4,5,6'
        (Receive-TestEvent IE_B 6).SourceEventArgs.NewEvent.Seq -join ',' | Should -Be '1,2,3,4,5,6'
        Receive-CimLitePosted -Session $session -Keep | Should -BeNullOrEmpty
    }

    It 'stops delivering after Unregister-Event, and its watcher thread ends' {
        Register-CimLiteIndicationEvent -Session $session IE_Event IE_Gone
        $watcher = (Get-EventSubscriber -SourceIdentifier IE_Gone).SourceObject
        $watcher.IsRunning | Should -BeTrue
        Unregister-Event -SourceIdentifier IE_Gone
        $watcher.IsRunning | Should -BeFalse
        Send-TestIndication 1
        Start-Sleep -Milliseconds 200
        Get-Event -SourceIdentifier IE_Gone -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'refuses a class that is not an indication class, naming it' {
        $null = New-CimLiteClass -Session $session -ClassName IE_Disk -Key Id -Property @{ Id = 'string' }
        { Register-CimLiteIndicationEvent -Session $session IE_Disk } | Should -Throw -ExpectedMessage '*IE_Disk*'
    }
}
