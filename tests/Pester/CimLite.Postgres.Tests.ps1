# The cmdlets on a PostgreSQL repository (issue 18). The server: $env:CIMLITE_PESTER_POSTGRES, a connection string
# (the module tests' runner sets it to the test process's server, see tests/Module.Tests/Pester/RealPester.cs).
# Without it every It is skipped with the reason, unless $env:CIMLITE_REQUIRE_POSTGRES is 1: then they fail.
# Each run works in a schema of its own, dropped afterwards. Valid for Pester 5 and 6.

Describe 'CimLite on PostgreSQL' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $server = $env:CIMLITE_PESTER_POSTGRES
        $required = "$env:CIMLITE_REQUIRE_POSTGRES".Trim() -eq '1'
        $reason = 'needs a PostgreSQL server: set CIMLITE_PESTER_POSTGRES to a connection string (the module tests set it to their own server)'
        $secret = 'Zq9PesterSecret'
        if ($server) {
            $schema = 'cimlite_p_' + [guid]::NewGuid().ToString('N').Substring(0, 16)
            $cs = $server.TrimEnd(';') + ";Search Path=$schema;Pooling=false;Password=$secret"
            $session = New-CimLiteSession -ConnectionString $cs
            $null = New-CimLiteClass -Session $session -ClassName PG_Disk -Key DeviceId -Property @{ DeviceId = 'string'; Size = 'uint64' }
        }
        function Skip-WithoutServer {
            if ($server) { return $false }
            if ($required) { throw "CIMLITE_REQUIRE_POSTGRES is 1 but $reason" }
            Set-ItResult -Skipped -Because $reason
            return $true
        }
    }

    AfterAll {
        if ($server) {
            Get-CimLiteSession | Where-Object { $_.Path -like "*, schema $schema" } | Remove-CimLiteSession
            # Npgsql is loaded by now (from the module folder's postgres/): drop the run's schema with it.
            $connection = [Npgsql.NpgsqlConnection]::new($server)
            try {
                $connection.Open()
                $command = $connection.CreateCommand()
                $command.CommandText = "DROP SCHEMA IF EXISTS `"$schema`" CASCADE"
                $null = $command.ExecuteNonQuery()
            }
            finally { $connection.Dispose() }
        }
    }

    It 'opens a session named by server and schema, never by its password' {
        if (Skip-WithoutServer) { return }
        $session.Path | Should -Match ", schema $schema$"
        ($session | Format-List * | Out-String) | Should -Not -Match $secret
        "$session" | Should -Not -Match $secret
    }

    It 'creates, updates, queries and removes instances' {
        if (Skip-WithoutServer) { return }
        1..10 | ForEach-Object { @{ DeviceId = "d$_"; Size = $_ } } | Set-CimLiteInstance -Session $session -ClassName PG_Disk
        Set-CimLiteInstance -Session $session -ClassName PG_Disk -Key @{ DeviceId = 'd1' } -Property @{ Size = 100 }
        (Get-CimLiteInstance -Session $session -Query 'SELECT * FROM PG_Disk WHERE Size > 8' | ForEach-Object DeviceId | Sort-Object) -join ',' | Should -Be 'd1,d10,d9'
        Get-CimLiteInstance -Session $session -ClassName PG_Disk -Filter 'Size < 5' | Remove-CimLiteInstance
        @(Get-CimLiteInstance -Session $session -ClassName PG_Disk).Count | Should -Be 7
    }

    It 'gives the same error ids as on a file' {
        if (Skip-WithoutServer) { return }
        $null = New-CimLiteInstance -Session $session -ClassName PG_Disk -Property @{ DeviceId = 'dup' }
        { New-CimLiteInstance -Session $session -ClassName PG_Disk -Property @{ DeviceId = 'dup' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'CimLite.AlreadyExists,CimLite.Commands.NewCimLiteInstanceCommand'
        { Get-CimLiteInstance -Session $session -Path 'PG_Disk.DeviceId="none"' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CimLite.NotFound,CimLite.Commands.GetCimLiteInstanceCommand'
    }

    It 'refuses the file-only cmdlets with NotSupported, naming the server but not the password' {
        if (Skip-WithoutServer) { return }
        $e = { Test-CimLiteRepository -Session $session } | Should -Throw -ErrorId 'CimLite.NotSupported,CimLite.Commands.TestCimLiteRepositoryCommand' -PassThru
        $e.Exception.Message | Should -Match "schema $schema"
        ($e | Format-List * -Force | Out-String) | Should -Not -Match $secret
    }

    It 'refuses a read-only session''s writes with AccessDenied' {
        if (Skip-WithoutServer) { return }
        $reader = New-CimLiteSession -ConnectionString $cs -ReadOnly
        try {
            @(Get-CimLiteInstance -Session $reader -ClassName PG_Disk).Count | Should -BeGreaterThan 0
            { New-CimLiteInstance -Session $reader -ClassName PG_Disk -Property @{ DeviceId = 'ro' } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CimLite.AccessDenied,CimLite.Commands.NewCimLiteInstanceCommand'
        }
        finally { Remove-CimLiteSession $reader }
    }
}
