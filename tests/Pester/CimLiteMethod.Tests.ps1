# Invoke-CimLiteMethod on a DMTF class (issue 14): CIM_Service.StartService/StopService and the inherited
# CIM_EnabledLogicalElement.RequestStateChange served by a scriptblock provider, with the local session.
# The schema is found by Get-CimLiteTestCimSchema (CimLite.TestSetup.ps1); where it is absent, the Its that need it
# are skipped with the reason (and fail when $env:CIMLITE_REQUIRE_CIM_SCHEMA is 1). Valid Pester 5 and 6.

Describe 'CimLite methods' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $cim = Get-CimLiteTestCimSchema
        if (-not $cim.RootFile -and $cim.Required) { throw "$($cim.Reason) (CIMLITE_REQUIRE_CIM_SCHEMA=1 requires it)" }
        $session = New-CimLiteSession -InMemory
        if ($cim.RootFile) {
            $null = Import-CimLiteMof -Session $session -Path $cim.RootFile
            $null = New-CimLiteClass -Session $session -ClassName PM_WebService -Superclass CIM_Service -Property @{ Port = 'uint16' }
            $null = Register-CimLiteProvider -Session $session -ClassName CIM_Service -Method @{
                StartService = {
                    param($Context, $Instance, $Arguments)
                    if ($Instance.Started) { return 1 }
                    $Context.WriteMessage('Verbose', 'starting ' + $Instance.Name)
                    $null = Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance -Property @{ Started = $true; EnabledState = 2 }
                    0
                }
                StopService = {
                    param($Context, $Instance, $Arguments)
                    $null = Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance -Property @{ Started = $false; EnabledState = 3 }
                    if ($Instance.Name -eq 'sticky') { throw 'sticky services never stop' }
                    0
                }
                RequestStateChange = {
                    param($Context, $Instance, $Arguments)
                    $null = Set-CimLiteInstance -Session $Context.LocalSession -InputObject $Instance -Property @{ RequestedState = $Arguments.RequestedState }
                    @{ ReturnValue = 4096; Job = 'root/cimv2:CIM_ConcreteJob.InstanceID="job-' + $Instance.Name + '"' }
                }
            }
        }
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        if ($cim.RootFile) {
            Get-CimLiteInstance -Session $session -ClassName PM_WebService | Remove-CimLiteInstance -Session $session
            foreach ($name in 'web', 'sticky') {
                $null = New-CimLiteInstance -Session $session -ClassName PM_WebService -Property @{
                    SystemCreationClassName = 'CIM_ComputerSystem'; SystemName = 'host1'; CreationClassName = 'PM_WebService'; Name = $name; Started = $false
                }
            }
        }
    }

    It 'lists the methods CIM_Service declares and inherits, on a subclass too' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $class = Get-CimLiteClass -Session $session -ClassName PM_WebService
        $class.Methods.Name | Should -Contain 'StartService'
        $class.Methods.Name | Should -Contain 'RequestStateChange'
        $start = $class.Methods | Where-Object Name -EQ 'StartService'
        $start.ReturnType.ToString() | Should -Be 'uint32'
        $start.IsStatic | Should -BeFalse
        $job = ($class.Methods | Where-Object Name -EQ 'RequestStateChange').Parameters | Where-Object Name -EQ 'Job'
        $job.IsOut | Should -BeTrue
        $job.IsIn | Should -BeFalse
        $job.CimType | Should -Be 'Reference'
    }

    It 'calls CIM_Service.StartService on a subclass instance through the ancestor''s scriptblock provider' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $result = Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'" | Invoke-CimLiteMethod -MethodName StartService
        $result.ReturnValue | Should -Be 0
        $result.ReturnValue | Should -BeOfType [uint32]
        $result.MethodName | Should -Be 'StartService'
        $result.__PATH | Should -BeLike 'root/cimv2:PM_WebService.*Name="web"*'
        (Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'").Started | Should -BeTrue
        (Invoke-CimLiteMethod -Session $session -Query "SELECT * FROM CIM_Service WHERE Name = 'web'" -MethodName StartService).ReturnValue | Should -Be 1
    }

    It 'returns Out parameters converted to their declared types' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $result = Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'" |
            Invoke-CimLiteMethod -MethodName RequestStateChange -Arguments @{ RequestedState = '3' }
        $result.ReturnValue | Should -Be 4096
        $result.Job | Should -Be 'root/cimv2:CIM_ConcreteJob.InstanceID="job-web"'
        (Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'").RequestedState | Should -Be 3
    }

    It 'rolls back what a failing method wrote through the local session' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $null = Invoke-CimLiteMethod -Session $session -Query 'SELECT * FROM PM_WebService' -MethodName StartService
        $errors = @()
        $results = @(Invoke-CimLiteMethod -Session $session -Query 'SELECT * FROM PM_WebService' -MethodName StopService -ErrorAction SilentlyContinue -ErrorVariable errors)
        $results.Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -BeLike '*sticky services never stop*'
        $state = @{}
        Get-CimLiteInstance -Session $session -ClassName PM_WebService | ForEach-Object { $state[$_.Name] = $_.Started }
        $state['web'] | Should -BeFalse
        $state['sticky'] | Should -BeTrue
    }

    It 'refuses arguments that are not In parameters before the provider runs' {
        if (-not $cim.RootFile) { Set-ItResult -Skipped -Because $cim.Reason; return }
        $target = Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'"
        { $target | Invoke-CimLiteMethod -MethodName RequestStateChange -Arguments @{ Job = 'x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'CimLite.InvalidParameter,*'
        { $target | Invoke-CimLiteMethod -MethodName StartSrvice -ErrorAction Stop } | Should -Throw -ErrorId 'CimLite.MethodNotFound,*'
        (Get-CimLiteInstance -Session $session -ClassName PM_WebService -Filter "Name = 'web'").RequestedState | Should -Be 12 # the class default: nothing ran
    }
}
