# CimLite's stand-in for CimCmdlets (Use-CimLiteForCimCmdlets). Run with the session to serve; returns an ordered
# dictionary of function name -> advanced-function scriptblock, each a closure over $Session. Every function takes
# the parameters of the CimCmdlets cmdlet of its name (so code written for CimCmdlets binds unchanged), drops the
# ones that choose a server (-CimSession, -ComputerName: the session is the server) and forwards the rest to the
# CimLite cmdlet with -Session. A parameter the CimLite cmdlet does not have is refused with NOT_SUPPORTED.
# $Messages: the module's sentences (Strings.cs), as format strings by name.
param([Parameter(Mandatory)] [object] $Session, [Parameter(Mandatory)] [System.Collections.IDictionary] $Messages)

# Binds once: the forwarding rule shared by the six functions.
$Forward = {
    param([string] $Target, [System.Collections.IDictionary] $Bound, [string[]] $Drop, [System.Collections.IDictionary] $Rename)
    $command = $ExecutionContext.InvokeCommand.GetCommand($Target, [System.Management.Automation.CommandTypes]::Cmdlet)
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $arguments = @{}
    foreach ($name in @($Bound.Keys)) {
        if ($Drop -contains $name) { continue }
        $to = if ($Rename -and $Rename.Contains($name)) { $Rename[$name] } else { $name }
        if ($common -notcontains $to -and -not $command.Parameters.ContainsKey($to)) {
            $exception = [CimLite.CimLiteException]::new([CimLite.CimStatus]::NotSupported,
                ($Messages.ParameterNotSupported -f $name, $Target), $null, $null, $null, $null)
            throw [System.Management.Automation.ErrorRecord]::new($exception, 'CimLite.NotSupported',
                [System.Management.Automation.ErrorCategory]::NotImplemented, $name)
        }
        $arguments[$to] = $Bound[$name]
    }
    $arguments['Session'] = $Session
    $arguments
}.GetNewClosure()

# A cmdlet called from a module sees the preferences of its caller's scope ($ErrorActionPreference set by the caller's
# -ErrorAction, for example); a global function sees the global ones. So each function copies the caller's
# preferences into its own scope (unless it was given the common parameter itself) before calling the CimLite cmdlet.
$Preferences = {
    param([System.Management.Automation.PSCmdlet] $Caller, [System.Collections.IDictionary] $Bound)
    $given = @{ ErrorActionPreference = 'ErrorAction'; WarningPreference = 'WarningAction'; InformationPreference = 'InformationAction'
        VerbosePreference = 'Verbose'; DebugPreference = 'Debug'; WhatIfPreference = 'WhatIf'; ConfirmPreference = 'Confirm' }
    $copy = @{}
    foreach ($name in $given.Keys) {
        if ($Bound.ContainsKey($given[$name])) { continue }
        $variable = $Caller.SessionState.PSVariable.Get($name)
        if ($null -ne $variable) { $copy[$name] = $variable.Value }
    }
    $copy
}

$functions = [ordered]@{}

$functions['Get-CimInstance'] = {
    # CimLite stand-in for Get-CimInstance
    [CmdletBinding(DefaultParameterSetName = 'ClassNameSessionSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory, Position = 0)]
        [string] $ClassName,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory, Position = 0, ValueFromPipeline)]
        [Alias('CimInstance')]
        [object] $InputObject,
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory)]
        [string] $Query,
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory)]
        [uri] $ResourceUri,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [string] $Namespace,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [string] $Filter,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [Alias('SelectProperties')]
        [string[]] $Property,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [switch] $KeyOnly,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [switch] $Shallow,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $QueryDialect,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        $arguments = & $Forward 'Get-CimLiteInstance' $PSBoundParameters @('CimSession', 'ComputerName')
        Get-CimLiteInstance @arguments
    }
}.GetNewClosure()

$functions['Set-CimInstance'] = {
    # CimLite stand-in for Set-CimInstance
    [CmdletBinding(DefaultParameterSetName = 'CimInstanceSessionSet', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory, Position = 0, ValueFromPipeline)]
        [Alias('CimInstance')]
        [object] $InputObject,
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory, Position = 0)]
        [string] $Query,
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $QueryDialect,
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $Namespace,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Position = 1)]
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory, Position = 1)]
        [Alias('Arguments')]
        [System.Collections.IDictionary] $Property,
        [uri] $ResourceUri,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [switch] $PassThru,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        $arguments = & $Forward 'Set-CimLiteInstance' $PSBoundParameters @('CimSession', 'ComputerName')
        # Set-CimInstance changes existing instances only (WMI's update-only put).
        if ($PSCmdlet.ParameterSetName -eq 'CimInstanceSessionSet') { $arguments['UpdateOnly'] = $true }
        Set-CimLiteInstance @arguments
    }
}.GetNewClosure()

$functions['New-CimInstance'] = {
    # CimLite stand-in for New-CimInstance
    [CmdletBinding(DefaultParameterSetName = 'ClassNameSessionSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory, Position = 0)]
        [string] $ClassName,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('Arguments')]
        [System.Collections.IDictionary] $Property,
        [string[]] $Key,
        [string] $Namespace,
        [switch] $ClientOnly,
        [uri] $ResourceUri,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        # -Key names the key properties of a client-only instance; CimLite takes them from the class.
        $arguments = & $Forward 'New-CimLiteInstance' $PSBoundParameters @('CimSession', 'ComputerName', 'Key')
        New-CimLiteInstance @arguments
    }
}.GetNewClosure()

$functions['Remove-CimInstance'] = {
    # CimLite stand-in for Remove-CimInstance
    [CmdletBinding(DefaultParameterSetName = 'CimInstanceSessionSet', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory, Position = 0, ValueFromPipeline)]
        [Alias('CimInstance')]
        [object] $InputObject,
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory, Position = 0)]
        [string] $Query,
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $QueryDialect,
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $Namespace,
        [uri] $ResourceUri,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        $arguments = & $Forward 'Remove-CimLiteInstance' $PSBoundParameters @('CimSession', 'ComputerName')
        Remove-CimLiteInstance @arguments
    }
}.GetNewClosure()

$functions['Invoke-CimMethod'] = {
    # CimLite stand-in for Invoke-CimMethod
    [CmdletBinding(DefaultParameterSetName = 'ClassNameSessionSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory, Position = 0)]
        [string] $ClassName,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory, Position = 0, ValueFromPipeline)]
        [Alias('CimInstance')]
        [object] $InputObject,
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory, Position = 0)]
        [string] $Query,
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $QueryDialect,
        [Parameter(Position = 1)]
        [System.Collections.IDictionary] $Arguments,
        [Parameter(Mandatory, Position = 2)]
        [Alias('Name')]
        [string] $MethodName,
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [string] $Namespace,
        [uri] $ResourceUri,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        $forwarded = & $Forward 'Invoke-CimLiteMethod' $PSBoundParameters @('CimSession', 'ComputerName')
        Invoke-CimLiteMethod @forwarded
    }
}.GetNewClosure()

$functions['Get-CimAssociatedInstance'] = {
    # CimLite stand-in for Get-CimAssociatedInstance
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
        [Alias('CimInstance')]
        [object] $InputObject,
        [Parameter(Position = 1)]
        [string] $Association,
        [string] $ResultClassName,
        [string] $Namespace,
        [switch] $KeyOnly,
        [uri] $ResourceUri,
        [Alias('OT')]
        [uint32] $OperationTimeoutSec,
        [object[]] $CimSession,
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName
    )
    begin {
        foreach ($p in (& $Preferences $PSCmdlet $PSBoundParameters).GetEnumerator()) { Set-Variable -Name $p.Key -Value $p.Value -Scope Local }
    }
    process {
        $arguments = & $Forward 'Get-CimLiteAssociatedInstance' $PSBoundParameters @('CimSession', 'ComputerName')
        Get-CimLiteAssociatedInstance @arguments
    }
}.GetNewClosure()

$functions
