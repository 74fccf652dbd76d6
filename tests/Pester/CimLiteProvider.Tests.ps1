# Providers: Register-/Get-/Unregister-CimLiteProvider, scriptblock handlers, the put chain and -AsJob
# (DESIGN.md sections 1, 2.5, 2.7 and 3). Valid for Pester 5 and 6.

Describe 'CimLite providers' -Tag CI {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'CimLite.TestSetup.ps1'))
        $session = New-CimLiteSession -InMemory
        $null = New-CimLiteClass -Session $session -ClassName PP_Device -Abstract -Key DeviceId -Property @{ DeviceId = 'string'; Caption = 'string' }
        $null = New-CimLiteClass -Session $session -ClassName PP_Disk -Superclass PP_Device -Property @{ Size = 'uint64' }
        $null = New-CimLiteClass -Session $session -ClassName PP_Ssd -Superclass PP_Disk -Property @{ Wear = 'uint8' }
        $null = New-CimLiteClass -Session $session -ClassName PP_Nic -Superclass PP_Device -Property @{ Speed = 'uint32' }
        $null = New-CimLiteClass -Session $session -ClassName PP_Event -Indication -Property @{ Seq = 'uint32'; Msg = 'string' }
        $calls = [System.Collections.Generic.List[string]]::new()
    }

    AfterAll {
        Remove-CimLiteSession $session
    }

    BeforeEach {
        foreach ($r in @(Get-CimLiteProvider -Session $session)) { Unregister-CimLiteProvider -Session $session -ClassName $r.ClassName }
        Get-CimLiteInstance -Session $session PP_Device | Remove-CimLiteInstance -Session $session
        $null = Receive-CimLitePosted -Session $session
        $calls.Clear()
    }

    Context 'Registration' {
        It 'lists what is registered and unregisters it' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Context, $Instance) }
            (Get-CimLiteProvider -Session $session).ClassName | Should -Be 'PP_Disk'
            Unregister-CimLiteProvider -Session $session -ClassName PP_Disk
            Get-CimLiteProvider -Session $session | Should -BeNullOrEmpty
        }

        It 'refuses a registration without any handler' {
            { Register-CimLiteProvider -Session $session -ClassName PP_Disk } | Should -Throw -ErrorId 'CimLite.ProviderNeedsHandler,*'
        }

        It 'registers nothing with -WhatIf' {
            Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Context, $Instance) throw 'no' } -WhatIf
            Get-CimLiteProvider -Session $session | Should -BeNullOrEmpty
        }

        It 'serves the class from the repository again once unregistered' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Context, $Instance) throw 'no' }
            Unregister-CimLiteProvider -Session $session -ClassName PP_Disk
            Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' }
            (Get-CimLiteInstance -Session $session -Path 'PP_Disk.DeviceId="C:"').DeviceId | Should -Be 'C:'
        }
    }

    Context 'Put chain' {
        It 'calls the providers of the hierarchy from the top down, never those of subclasses' {
            foreach ($c in 'PP_Ssd', 'PP_Device', 'PP_Disk') {
                $null = Register-CimLiteProvider -Session $session -ClassName $c -Put { param($Context, $Instance) $calls.Add($Context.ClassName) }
            }
            Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' }
            $calls -join ',' | Should -Be 'PP_Device,PP_Disk'
        }

        It 'passes -Context and -Instance by name' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Instance, $Context) $calls.Add($Context.Operation.ToString() + ' ' + $Instance.Size) }
            Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:'; Size = 9 }
            $calls[0] | Should -Be 'PutInstance 9'
        }

        It 'fails naming the class and leaves the repository and the posted queue unchanged' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Device -Put {
                param($Context, $Instance)
                $Context.PostIndication($Context.NewInstance('PP_Event', @{ Seq = 1 }))
            }
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Context, $Instance) throw 'refused' }
            $err = { Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CimLite.ProviderFailure,CimLite.Commands.SetCimLiteInstanceCommand' -PassThru
            $err.Exception.Message | Should -Match "^The provider of class 'PP_Disk' failed: .*refused"
            Get-CimLiteInstance -Session $session PP_Disk | Should -BeNullOrEmpty
            Receive-CimLitePosted -Session $session -Keep | Should -BeNullOrEmpty
        }

        It 'keeps the status of a CimLiteException thrown by a handler' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put {
                param($Context, $Instance)
                throw [CimLite.CimLiteException]::new('NotSupported', 'read-only class')
            }
            $err = { Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -ErrorAction Stop } | Should -Throw -PassThru
            $err.Exception.StatusCode | Should -Be 'NotSupported'
        }

        It 'sends provider messages to the verbose and warning streams' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put {
                param($Context, $Instance)
                $Context.WriteMessage('Verbose', 'checked ' + $Instance.DeviceId)
                $Context.WriteMessage('Warning', 'careful')
            }
            $verbose = Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -Verbose -WarningVariable warnings -WarningAction SilentlyContinue 4>&1
            @($verbose | ForEach-Object { "$_" }) | Should -Contain 'checked C:'
            "$warnings" | Should -Be 'careful'
        }
    }

    Context 'Instances served by providers' {
        It 'streams what -Enumerate posts, in posting order, as snapshots' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Nic -Enumerate {
                param($Context)
                foreach ($n in 2, 1) {
                    $i = $Context.NewInstance('PP_Nic', @{ DeviceId = "eth$n"; Caption = 'original' })
                    $Context.PostInstance($i)
                    $i.Caption = 'changed'
                }
            }
            $nics = Get-CimLiteInstance -Session $session PP_Nic
            $nics.DeviceId -join ',' | Should -Be 'eth2,eth1'
            $nics.Caption -join ',' | Should -Be 'original,original'
        }

        It 'stores nothing when every level has a provider' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Device -Put { param($Context, $Instance) }
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Nic -Put { param($Context, $Instance) } -Get {
                param($Context, $Instance)
                $Context.PostInstance($Context.NewInstance('PP_Nic', @{ DeviceId = $Instance.DeviceId; Speed = 100 }))
            }
            Set-CimLiteInstance -Session $session -ClassName PP_Nic -Property @{ DeviceId = 'eth0'; Speed = 1 }
            (Get-CimLiteInstance -Session $session -Path 'PP_Nic.DeviceId="eth0"').Speed | Should -Be 100
            Unregister-CimLiteProvider -Session $session -ClassName PP_Nic
            Get-CimLiteInstance -Session $session PP_Nic | Should -BeNullOrEmpty
        }
    }

    Context 'Jobs' {
        It 'runs a put as a job whose output is the instance path' {
            $job = Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -AsJob
            $job | Should -BeOfType ([System.Management.Automation.Job])
            $null = Wait-Job $job -Timeout 60
            $job.State | Should -Be 'Completed'
            Receive-Job $job | Should -Be 'root/cimv2:PP_Disk.DeviceId="C:"'
            Remove-Job $job
        }

        It 'runs handlers of a job in a runspace of their own, without the caller''s variables' {
            $callerOnly = 'visible only here'
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put {
                param($Context, $Instance)
                $Context.PostIndication($Context.NewInstance('PP_Event', @{ Seq = 1; Msg = "[$callerOnly]" }))
            }
            $job = Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -AsJob
            $null = Wait-Job $job -Timeout 60
            $job.State | Should -Be 'Completed'
            (Receive-CimLitePosted -Session $session).Msg | Should -Be '[]'
        }

        It 'ends a failing put job Failed with the error' {
            $null = Register-CimLiteProvider -Session $session -ClassName PP_Disk -Put { param($Context, $Instance) throw 'job refused' }
            $job = Set-CimLiteInstance -Session $session -ClassName PP_Disk -Property @{ DeviceId = 'C:' } -AsJob
            $null = Wait-Job $job -Timeout 60
            $job.State | Should -Be 'Failed'
            $null = Receive-Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue
            $jobErrors[0].FullyQualifiedErrorId | Should -Be 'CimLite.ProviderFailure,CimLite.Commands.SetCimLiteInstanceCommand'
            Get-CimLiteInstance -Session $session PP_Disk | Should -BeNullOrEmpty
        }
    }
}
