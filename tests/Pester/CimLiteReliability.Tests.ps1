# What a user can rely on, through the cmdlets only: read-only sessions, the busy timeout, files that are not
# CimLite repositories, bad input, the at-least-once posted queue and the permissions of new repository files
# (DESIGN.md sections 1 and 3, about_CimLite). Valid for Pester 5 and 6 (pwsh 7.4+ and Windows PowerShell 5.1).

Describe 'CimLite reliability' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))

        # SHA-256 of a repository file and its WAL (when there is one): equal hashes mean nothing was written.
        # The files are read with FileShare.ReadWrite because an open session may hold them.
        function Get-RepositoryHash([string] $Path) {
            $all = [System.IO.MemoryStream]::new()
            foreach ($f in @($Path, ($Path + '-wal'))) {
                if (-not [System.IO.File]::Exists($f)) { continue }
                $stream = [System.IO.FileStream]::new($f, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
                try { $stream.CopyTo($all) } finally { $stream.Dispose() }
            }
            $sha = [System.Security.Cryptography.SHA256]::Create()
            try { [System.BitConverter]::ToString($sha.ComputeHash($all.ToArray())) } finally { $sha.Dispose() }
        }

        # What the cmdlets show of a repository: classes, instances and queued indications (peeked, not taken).
        function Get-RepositoryView($Session) {
            $lines = [System.Collections.Generic.List[string]]::new()
            foreach ($c in @(Get-CimLiteClass -Session $Session)) { $lines.Add('class ' + $c.ClassName) }
            foreach ($c in @(Get-CimLiteClass -Session $Session)) {
                if ($c.IsIndication -or $c.IsAbstract) { continue }
                foreach ($i in @(Get-CimLiteInstance -Session $Session -ClassName $c.ClassName -Shallow)) { $lines.Add('instance ' + $i.__RELPATH + ' ' + $i.Size) }
            }
            foreach ($e in @(Receive-CimLitePosted -Session $Session -Keep)) { $lines.Add('posted ' + $e.__CLASS + ' ' + $e.Seq) }
            $lines.Sort([System.StringComparer]::Ordinal)
            $lines -join "`n"
        }

        # A repository file with an instance class, an indication class, one instance and one queued indication.
        function New-TestRepository([string] $Path) {
            $w = New-CimLiteSession -Path $Path
            $null = New-CimLiteClass -Session $w -ClassName RL_Item -Key Name -Property @{ Name = 'string'; Size = 'uint32'; When = 'datetime' }
            $null = New-CimLiteClass -Session $w -ClassName RL_Event -Indication -Property @{ Seq = 'uint32' }
            $null = New-CimLiteInstance -Session $w RL_Item @{ Name = 'a'; Size = 1 }
            $null = New-CimLiteInstance -Session $w RL_Event @{ Seq = 1 }
            Remove-CimLiteSession $w
        }
    }

    Context 'A read-only session' {
        BeforeAll {
            $roFile = [System.IO.Path]::Combine($TestDrive, 'readonly.db')
            New-TestRepository $roFile
            $roMof = [System.IO.Path]::Combine($TestDrive, 'readonly.mof')
            [System.IO.File]::WriteAllText($roMof, "class RL_FromMof { [key] string Name; };`n")
            $roHash = Get-RepositoryHash $roFile
            $ro = New-CimLiteSession -Path $roFile -ReadOnly
            $roView = Get-RepositoryView $ro
        }

        AfterAll {
            Remove-CimLiteSession $ro
        }

        It 'says it is read-only' {
            $ro.IsReadOnly | Should -BeTrue
        }

        It 'refuses <What> with CimLite.AccessDenied and leaves the file unchanged' -ForEach @(
            @{ What = 'New-CimLiteClass'; Command = 'NewCimLiteClassCommand'; Write = { New-CimLiteClass -Session $ro -ClassName RL_New -ErrorAction Stop } }
            @{ What = 'Remove-CimLiteClass'; Command = 'RemoveCimLiteClassCommand'; Write = { Remove-CimLiteClass -Session $ro -ClassName RL_Item -ErrorAction Stop } }
            @{ What = 'New-CimLiteInstance'; Command = 'NewCimLiteInstanceCommand'; Write = { New-CimLiteInstance -Session $ro RL_Item @{ Name = 'b' } -ErrorAction Stop } }
            @{ What = 'Set-CimLiteInstance'; Command = 'SetCimLiteInstanceCommand'; Write = { Set-CimLiteInstance -Session $ro -ClassName RL_Item -Property @{ Name = 'a'; Size = 2 } -ErrorAction Stop } }
            @{ What = 'Set-CimLiteInstance of a piped instance'; Command = 'SetCimLiteInstanceCommand'; Write = { $i = Get-CimLiteInstance -Session $ro -Path 'RL_Item.Name="a"'; $i.Size = 5; $i | Set-CimLiteInstance -Session $ro -ErrorAction Stop } }
            @{ What = 'Remove-CimLiteInstance -Path'; Command = 'RemoveCimLiteInstanceCommand'; Write = { Remove-CimLiteInstance -Session $ro -Path 'RL_Item.Name="a"' -ErrorAction Stop } }
            @{ What = 'Remove-CimLiteInstance -Query'; Command = 'RemoveCimLiteInstanceCommand'; Write = { Remove-CimLiteInstance -Session $ro -Query 'SELECT * FROM RL_Item' -ErrorAction Stop } }
            @{ What = 'posting an indication'; Command = 'NewCimLiteInstanceCommand'; Write = { New-CimLiteInstance -Session $ro RL_Event @{ Seq = 2 } -ErrorAction Stop } }
            @{ What = 'taking from the posted queue'; Command = 'ReceiveCimLitePostedCommand'; Write = { Receive-CimLitePosted -Session $ro -ErrorAction Stop } }
            @{ What = 'Import-CimLiteMof'; Command = 'ImportCimLiteMofCommand'; Write = { Import-CimLiteMof -Session $ro -Path $roMof -ErrorAction Stop } }
        ) {
            $err = $Write | Should -Throw -ErrorId "CimLite.AccessDenied,CimLite.Commands.$Command" -PassThru
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err.Exception.StatusCode | Should -Be 'AccessDenied'
            $err.Exception.Message | Should -Match ([regex]::Escape($roFile))
            Get-RepositoryView $ro | Should -BeExactly $roView
            Get-RepositoryHash $roFile | Should -Be $roHash
        }

        It 'still reads instances and peeks at the posted queue' {
            (Get-CimLiteInstance -Session $ro -Path 'RL_Item.Name="a"').Size | Should -Be 1
            (Receive-CimLitePosted -Session $ro -Keep).Seq | Should -Be 1
            Get-RepositoryHash $roFile | Should -Be $roHash
        }

        It 'does not let a provider write through it' {
            $calls = [System.Collections.Generic.List[string]]::new()
            $null = Register-CimLiteProvider -Session $ro -ClassName RL_Item -Put {
                param($Context, $Instance)
                $calls.Add('put')
                $Context.PostIndication($Context.NewInstance('RL_Event', @{ Seq = 8 }))
            } -Enumerate {
                param($Context)
                $calls.Add('enumerate')
                $Context.PostIndication($Context.NewInstance('RL_Event', @{ Seq = 9 }))
            }
            try {
                $err = { Get-CimLiteInstance -Session $ro -ClassName RL_Item -ErrorAction Stop } |
                    Should -Throw -ErrorId 'CimLite.AccessDenied,CimLite.Commands.GetCimLiteInstanceCommand' -PassThru
                $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
                $err.Exception.Message | Should -Match "provider of class 'RL_Item'"
                { Set-CimLiteInstance -Session $ro -ClassName RL_Item -Property @{ Name = 'p' } -ErrorAction Stop } |
                    Should -Throw -ErrorId 'CimLite.AccessDenied,CimLite.Commands.SetCimLiteInstanceCommand'
                $calls -join ',' | Should -Be 'enumerate'
            }
            finally {
                Unregister-CimLiteProvider -Session $ro -ClassName RL_Item
            }
            (Receive-CimLitePosted -Session $ro -Keep).Seq | Should -Be 1
            Get-RepositoryHash $roFile | Should -Be $roHash
        }

        It 'cannot create a repository that does not exist' {
            $missing = [System.IO.Path]::Combine($TestDrive, 'missing-readonly.db')
            $err = { New-CimLiteSession -Path $missing -ReadOnly } | Should -Throw -ErrorId 'CimLite.NotFound,CimLite.Commands.NewCimLiteSessionCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -Match ([regex]::Escape($missing))
            [System.IO.File]::Exists($missing) | Should -BeFalse
        }
    }

    Context 'The busy timeout' {
        BeforeAll {
            $savedBusyTimeout = $env:CIMLITE_BUSY_TIMEOUT
        }

        BeforeEach {
            $env:CIMLITE_BUSY_TIMEOUT = $null
        }

        AfterEach {
            $env:CIMLITE_BUSY_TIMEOUT = $savedBusyTimeout
        }

        It 'is 10 seconds by default' {
            $s = New-CimLiteSession -InMemory
            $s.BusyTimeout | Should -Be ([TimeSpan]::FromSeconds(10))
            Remove-CimLiteSession $s
        }

        It 'is what -BusyTimeout says, in seconds' {
            $s = New-CimLiteSession -InMemory -BusyTimeout 2.5
            $s.BusyTimeout | Should -Be ([TimeSpan]::FromSeconds(2.5))
            Remove-CimLiteSession $s
        }

        It 'is what $env:CIMLITE_BUSY_TIMEOUT says when -BusyTimeout is not given' {
            $env:CIMLITE_BUSY_TIMEOUT = '0.75'
            $s = New-CimLiteSession -InMemory
            $t = New-CimLiteSession -InMemory -BusyTimeout 3
            $s.BusyTimeout | Should -Be ([TimeSpan]::FromMilliseconds(750))
            $t.BusyTimeout | Should -Be ([TimeSpan]::FromSeconds(3))
            Remove-CimLiteSession $s
            Remove-CimLiteSession $t
        }

        It 'refuses -BusyTimeout <Value> with an error naming the parameter' -ForEach @(
            @{ Value = -1; ErrorId = 'ParameterArgumentValidationError,CimLite.Commands.NewCimLiteSessionCommand' }
            @{ Value = 86401; ErrorId = 'ParameterArgumentValidationError,CimLite.Commands.NewCimLiteSessionCommand' }
            @{ Value = 'soon'; ErrorId = 'CannotConvertArgumentNoMessage,CimLite.Commands.NewCimLiteSessionCommand' }
        ) {
            $err = { New-CimLiteSession -InMemory -BusyTimeout $Value } | Should -Throw -ErrorId $ErrorId -PassThru
            $err.Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
            $err.Exception.ParameterName | Should -Be 'BusyTimeout'
            $err.Exception.Message | Should -Match 'BusyTimeout'
        }

        It 'refuses a bad $env:CIMLITE_BUSY_TIMEOUT with an error naming the variable and its value, creating no file' {
            $env:CIMLITE_BUSY_TIMEOUT = 'soon'
            $file = [System.IO.Path]::Combine($TestDrive, 'busy.db')
            $err = { New-CimLiteSession -Path $file } | Should -Throw -ErrorId 'CimLite.InvalidParameter,CimLite.Commands.NewCimLiteSessionCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match "CIMLITE_BUSY_TIMEOUT is 'soon'"
            [System.IO.File]::Exists($file) | Should -BeFalse
        }
    }

    Context 'Opening a file that is not a CimLite repository' {
        BeforeAll {
            $anchor = New-CimLiteSession -InMemory   # loads the module's Microsoft.Data.Sqlite
            $sqlite = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' })[0]
            if ($null -eq $sqlite) { $sqlite = [System.Reflection.Assembly]::Load('Microsoft.Data.Sqlite') }

            $textFile = [System.IO.Path]::Combine($TestDrive, 'notes.txt')
            [System.IO.File]::WriteAllText($textFile, "These are my notes.`nNot a database.`n")

            # Another application's SQLite database, written with the same SQLite library CimLite uses.
            $foreignFile = [System.IO.Path]::Combine($TestDrive, 'other-app.db')
            $connection = [System.Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection', $true), @('Data Source=' + $foreignFile + ';Pooling=False'))
            try {
                $connection.Open()
                $command = $connection.CreateCommand()
                $command.CommandText = "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me');"
                $null = $command.ExecuteNonQuery()
                $command.Dispose()
            }
            finally { $connection.Dispose() }
        }

        AfterAll {
            Remove-CimLiteSession $anchor
        }

        It 'refuses <Kind><Mode> with an error naming the file, and leaves it unchanged' -ForEach @(
            @{ Kind = 'a text file'; Mode = ''; File = 'notes.txt'; ReadOnly = $false; Says = 'it is not a SQLite database' }
            @{ Kind = 'a text file'; Mode = ' read-only'; File = 'notes.txt'; ReadOnly = $true; Says = 'it is not a SQLite database' }
            @{ Kind = 'another application''s SQLite database'; Mode = ''; File = 'other-app.db'; ReadOnly = $false; Says = 'a SQLite database of another application' }
            @{ Kind = 'another application''s SQLite database'; Mode = ' read-only'; File = 'other-app.db'; ReadOnly = $true; Says = 'a SQLite database of another application' }
        ) {
            $path = [System.IO.Path]::Combine($TestDrive, $File)
            $before = Get-RepositoryHash $path
            $err = { New-CimLiteSession -Path $path -ReadOnly:$ReadOnly } | Should -Throw -ErrorId 'CimLite.Failed,CimLite.Commands.NewCimLiteSessionCommand' -PassThru
            $err.TargetObject | Should -Be $path
            $err.Exception.Message | Should -Match ("^'" + [regex]::Escape($path) + "' is not a CimLite repository")
            $err.Exception.Message | Should -Match $Says
            Get-RepositoryHash $path | Should -Be $before
            [System.IO.File]::Exists($path + '-wal') | Should -BeFalse
            [System.IO.File]::Exists($path + '-journal') | Should -BeFalse
        }
    }

    Context 'Bad input' {
        BeforeAll {
            $badFile = [System.IO.Path]::Combine($TestDrive, 'badinput.db')
            New-TestRepository $badFile
            $badMof = [System.IO.Path]::Combine($TestDrive, 'bad.mof')
            [System.IO.File]::WriteAllText($badMof, "class RL_Mof {`n  [key] string Name;`n  uint32 Size`n};`n")
            $s = New-CimLiteSession -Path $badFile
        }

        AfterAll {
            Remove-CimLiteSession $s
        }

        BeforeEach {
            $view = Get-RepositoryView $s
            $hash = Get-RepositoryHash $badFile
        }

        It '<Family>: <What> gives <ErrorId> naming it, and changes nothing' -ForEach @(
            @{ Family = 'classes'; What = 'a bad class name'; Run = { New-CimLiteClass -Session $s -ClassName '1Bad' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.NewCimLiteClassCommand'; Names = "'1Bad'"; Target = '^1Bad$' }
            @{ Family = 'classes'; What = 'a hostile class name'; Run = { New-CimLiteClass -Session $s -ClassName "RL_X'; DROP TABLE classes; --" -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.NewCimLiteClassCommand'; Names = "RL_X'; DROP TABLE classes; --"; Target = 'DROP TABLE' }
            @{ Family = 'classes'; What = 'an unknown property type'; Run = { New-CimLiteClass -Session $s -ClassName RL_X -Property @{ P = 'uint99' } -ErrorAction Stop }
                ErrorId = 'CimLite.TypeMismatch,CimLite.Commands.NewCimLiteClassCommand'; Names = "'uint99'"; Target = '^RL_X$' }
            @{ Family = 'classes'; What = 'a missing superclass'; Run = { New-CimLiteClass -Session $s -ClassName RL_X -Superclass RL_Nope -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidSuperclass,CimLite.Commands.NewCimLiteClassCommand'; Names = "'RL_Nope'"; Target = '^RL_X$' }
            @{ Family = 'classes'; What = 'removing a missing class'; Run = { Remove-CimLiteClass -Session $s -ClassName RL_Nope -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidClass,CimLite.Commands.RemoveCimLiteClassCommand'; Names = "'RL_Nope'"; Target = '^RL_Nope$' }
            @{ Family = 'instances'; What = 'a value of the wrong type'; Run = { New-CimLiteInstance -Session $s RL_Item @{ Name = 'b'; Size = 'many' } -ErrorAction Stop }
                ErrorId = 'CimLite.TypeMismatch,CimLite.Commands.NewCimLiteInstanceCommand'; Names = "'many' to uint32 for property 'Size'"; Target = '^RL_Item$' }
            @{ Family = 'instances'; What = 'a value out of range'; Run = { Set-CimLiteInstance -Session $s -ClassName RL_Item -Property @{ Name = 'a'; Size = -5 } -ErrorAction Stop }
                ErrorId = 'CimLite.TypeMismatch,CimLite.Commands.SetCimLiteInstanceCommand'; Names = "'-5' to uint32 for property 'Size'"; Target = '^RL_Item$' }
            @{ Family = 'instances'; What = 'a bad datetime'; Run = { New-CimLiteInstance -Session $s RL_Item @{ Name = 'b'; When = 'not a date' } -ErrorAction Stop }
                ErrorId = 'CimLite.TypeMismatch,CimLite.Commands.NewCimLiteInstanceCommand'; Names = "'not a date' to datetime for property 'When'"; Target = '^RL_Item$' }
            @{ Family = 'instances'; What = 'an unknown property'; Run = { New-CimLiteInstance -Session $s RL_Item @{ Name = 'b'; Colour = 'red' } -ErrorAction Stop }
                ErrorId = 'CimLite.NoSuchProperty,CimLite.Commands.NewCimLiteInstanceCommand'; Names = "'Colour'"; Target = '^RL_Item$' }
            @{ Family = 'instances'; What = 'a missing key'; Run = { New-CimLiteInstance -Session $s RL_Item @{ Size = 3 } -ErrorAction Stop }
                ErrorId = 'CimLite.IllegalNull,CimLite.Commands.NewCimLiteInstanceCommand'; Names = "Key property 'Name'"; Target = '^RL_Item$' }
            @{ Family = 'instances'; What = 'a class that does not exist'; Run = { Set-CimLiteInstance -Session $s -ClassName RL_Nope -Property @{ Name = 'b' } -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidClass,CimLite.Commands.SetCimLiteInstanceCommand'; Names = "'RL_Nope'"; Target = '^RL_Nope$' }
            @{ Family = 'paths'; What = 'a path without a key value'; Run = { Get-CimLiteInstance -Session $s -Path 'RL_Item.Name=' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.GetCimLiteInstanceCommand'; Names = "'RL_Item.Name=' is not a valid instance path"; Target = '^RL_Item\.Name=$' }
            @{ Family = 'paths'; What = 'a path with an open quote'; Run = { Remove-CimLiteInstance -Session $s -Path 'RL_Item.Name="a' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = 'expected a closing quote'; Target = '^RL_Item\.Name="a$' }
            @{ Family = 'paths'; What = 'a path with a trailing comma'; Run = { Remove-CimLiteInstance -Session $s -Path 'root/cimv2:RL_Item.Name="a",' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = 'expected a key property name'; Target = '^root/cimv2:RL_Item\.Name="a",$' }
            @{ Family = 'paths'; What = 'a path with the wrong key'; Run = { Remove-CimLiteInstance -Session $s -Path 'RL_Item.Nope="a"' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = "does not give exactly the keys of class 'RL_Item'"; Target = 'RL_Item\.Nope="a"$' }
            @{ Family = 'paths'; What = 'a bad namespace'; Run = { Get-CimLiteInstance -Session $s -Namespace 'root/../x' -ClassName RL_Item -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidNamespace,CimLite.Commands.GetCimLiteInstanceCommand'; Names = "'root/../x' is not a valid namespace name"; Target = '^RL_Item$' }
            @{ Family = 'WQL'; What = 'a query with a second statement'; Run = { Get-CimLiteInstance -Session $s -Query "SELECT * FROM RL_Item WHERE Name = 'a'; DROP TABLE instances; --" -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidQuery,CimLite.Commands.GetCimLiteInstanceCommand'; Names = "unexpected character ';'"; Target = 'DROP TABLE instances' }
            @{ Family = 'WQL'; What = 'a DELETE statement'; Run = { Remove-CimLiteInstance -Session $s -Query 'DELETE FROM RL_Item' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidQuery,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = 'expected SELECT'; Target = '^DELETE FROM RL_Item$' }
            @{ Family = 'WQL'; What = 'a UNION in a filter'; Run = { Remove-CimLiteInstance -Session $s -ClassName RL_Item -Filter "Name = 'a' UNION SELECT 1" -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidQuery,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = 'at position 11'; Target = 'UNION SELECT 1$' }
            @{ Family = 'WQL'; What = 'an always-true comparison'; Run = { Remove-CimLiteInstance -Session $s -ClassName RL_Item -Filter "Name = 'x' OR 1=1" -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidQuery,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = 'one side of a comparison must be a property name'; Target = 'OR 1=1$' }
            @{ Family = 'WQL'; What = 'a value of the wrong type'; Run = { Remove-CimLiteInstance -Session $s -Query "SELECT * FROM RL_Item WHERE Size > 'abc'" -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidQuery,CimLite.Commands.RemoveCimLiteInstanceCommand'; Names = "property 'Size' of class 'RL_Item' \(type uint32\) with 'abc'"; Target = '^RL_Item$' }
            @{ Family = 'WQL'; What = 'an SQLite table as the class'; Run = { Get-CimLiteInstance -Session $s -Query 'SELECT * FROM sqlite_master' -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidClass,CimLite.Commands.GetCimLiteInstanceCommand'; Names = "'sqlite_master'"; Target = '^sqlite_master$' }
            @{ Family = 'posted queue'; What = 'a class that is not an indication'; Run = { Receive-CimLitePosted -Session $s -ClassName RL_Item -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidClass,CimLite.Commands.ReceiveCimLitePostedCommand'; Names = "'RL_Item' is not an indication class"; Target = '^RL_Item$' }
            @{ Family = 'providers'; What = 'a class that does not exist'; Run = { Register-CimLiteProvider -Session $s -ClassName RL_Nope -Put { param($Context, $Instance) } -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidClass,CimLite.Commands.RegisterCimLiteProviderCommand'; Names = "'RL_Nope'"; Target = '^RL_Nope$' }
            @{ Family = 'MOF'; What = 'a MOF file with a syntax error'; Run = { Import-CimLiteMof -Session $s -Path $badMof -ErrorAction Stop }
                ErrorId = 'CimLite.InvalidParameter,CimLite.Commands.ImportCimLiteMofCommand'; Names = "bad\.mof\(4,1\): Expected ';'"; Target = 'bad\.mof\(4,1\)$' }
            @{ Family = 'MOF'; What = 'a MOF file that does not exist'; Run = { Import-CimLiteMof -Session $s -Path ([System.IO.Path]::Combine($TestDrive, 'none.mof')) -ErrorAction Stop }
                ErrorId = 'CimLite.NotFound,CimLite.Commands.ImportCimLiteMofCommand'; Names = 'none\.mof'; Target = 'none\.mof$' }
        ) {
            $err = $Run | Should -Throw -ErrorId $ErrorId -PassThru
            $err.Exception.Message | Should -Match $Names
            $err.CategoryInfo.TargetName | Should -Match $Target
            Get-RepositoryView $s | Should -BeExactly $view
            Get-RepositoryHash $badFile | Should -Be $hash
        }

        It 'WQL: takes quotes in a value as data, so an injected OR matches nothing and removes nothing' {
            $query = "SELECT * FROM RL_Item WHERE Name = 'x'' OR ''1''=''1'"
            Get-CimLiteInstance -Session $s -Query $query | Should -BeNullOrEmpty
            Remove-CimLiteInstance -Session $s -Query $query
            Get-RepositoryView $s | Should -BeExactly $view
            Get-RepositoryHash $badFile | Should -Be $hash
        }
    }

    Context 'Receive-CimLitePosted when the consumer fails' {
        BeforeAll {
            $queueFile = [System.IO.Path]::Combine($TestDrive, 'queue.db')
            $q = New-CimLiteSession -Path $queueFile
            $null = New-CimLiteClass -Session $q -ClassName RL_QueueEvent -Indication -Property @{ Seq = 'uint32' }
        }

        AfterAll {
            Remove-CimLiteSession $q
        }

        BeforeEach {
            $null = Receive-CimLitePosted -Session $q
            foreach ($n in 1, 2, 3) { $null = New-CimLiteInstance -Session $q RL_QueueEvent @{ Seq = $n } }
            $consumed = [System.Collections.Generic.List[string]]::new()
        }

        It 'does not lose the indication the consumer threw on, nor those after it; a second receive gets them' {
            { Receive-CimLitePosted -Session $q | ForEach-Object { if ($_.Seq -eq 2) { throw 'consumer failed' }; $consumed.Add([string] $_.Seq) } } |
                Should -Throw -ExpectedMessage 'consumer failed'
            $consumed -join ',' | Should -Be '1'
            (Receive-CimLitePosted -Session $q).Seq -join ',' | Should -Be '2,3'
            Receive-CimLitePosted -Session $q | Should -BeNullOrEmpty
        }

        It 'hands the undelivered indications to another session on the same file' {
            { Receive-CimLitePosted -Session $q | ForEach-Object { throw 'consumer failed' } } | Should -Throw -ExpectedMessage 'consumer failed'
            $other = New-CimLiteSession -Path $queueFile
            try { (Receive-CimLitePosted -Session $other).Seq -join ',' | Should -Be '1,2,3' }
            finally { Remove-CimLiteSession $other }
            Receive-CimLitePosted -Session $q | Should -BeNullOrEmpty
        }
    }

    Context 'Permissions of a new repository' {
        It 'creates the file 0600 (with its WAL and shared memory) and its new folder 0700' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            $folder = [System.IO.Path]::Combine($TestDrive, 'private')
            $file = [System.IO.Path]::Combine($folder, 'repository.db')
            $s = New-CimLiteSession -Path $file
            try {
                $null = New-CimLiteClass -Session $s -ClassName RL_Private -Key Name -Property @{ Name = 'string' }
                $files = @([System.IO.Directory]::GetFiles($folder))
                $files | Should -Contain $file
                foreach ($f in $files) { [Convert]::ToString([int] [System.IO.File]::GetUnixFileMode($f), 8) | Should -Be '600' -Because $f }
                [Convert]::ToString([int] [System.IO.File]::GetUnixFileMode($folder), 8) | Should -Be '700'
            }
            finally { Remove-CimLiteSession $s }
            [Convert]::ToString([int] [System.IO.File]::GetUnixFileMode($file), 8) | Should -Be '600'
        }
    }
}
