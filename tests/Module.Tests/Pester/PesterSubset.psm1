# PesterSubset: a small Pester-5-compatible runner for hosts without Pester (DESIGN.md section 7).
# Only PowerShell language features and .NET calls are used: the hosted engine has the core cmdlets only.
# Own implementation; the subset mirrors Pester 5 behaviour for Describe/Context/It/Before*/After*/Should.

Set-StrictMode -Off

$script:State = $null

function New-PSubBlock([string] $Kind, [string] $Name, $Parent, [bool] $Skip) {
    $path = [System.Collections.Generic.List[string]]::new()
    if ($null -ne $Parent) { foreach ($p in $Parent.Path) { $path.Add($p) } }
    if ($Kind -ne 'Root') { $path.Add($Name) }
    [pscustomobject]@{
        Kind       = $Kind
        Name       = $Name
        Path       = $path.ToArray()
        Parent     = $Parent
        Skip       = $Skip -or ($null -ne $Parent -and $Parent.Skip)
        BeforeAll  = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll   = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach  = [System.Collections.Generic.List[scriptblock]]::new()
        Items      = [System.Collections.Generic.List[object]]::new()
    }
}

function Get-PSubCurrentBlock([string] $Command) {
    if ($null -eq $script:State -or $null -eq $script:State.Current) {
        throw "$Command is only supported inside a test file run by Invoke-PesterSubset."
    }
    if ($script:State.Phase -ne 'Discovery') {
        throw "$Command cannot be called while tests are running (Pester 5 registers blocks during discovery only)."
    }
    $script:State.Current
}

function Add-PSubBlock([string] $Kind, [string] $Name, [scriptblock] $Fixture, [bool] $Skip) {
    $parent = Get-PSubCurrentBlock $Kind
    $block = New-PSubBlock -Kind $Kind -Name $Name -Parent $parent -Skip $Skip
    $parent.Items.Add($block)
    $script:State.Current = $block
    try {
        # Discovery: the body runs now (code outside It/Before*/After* runs at discovery, like Pester 5).
        $null = & $Fixture
    }
    finally {
        $script:State.Current = $parent
    }
}

function Describe {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip
    )
    Add-PSubBlock -Kind 'Describe' -Name $Name -Fixture $Fixture -Skip $Skip.IsPresent
}

function Context {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip
    )
    Add-PSubBlock -Kind 'Context' -Name $Name -Fixture $Fixture -Skip $Skip.IsPresent
}

function Expand-PSubName([string] $Template, $Data) {
    [regex]::Replace($Template, '<([^<>]+)>', {
            param($m)
            $expr = $m.Groups[1].Value
            $parts = $expr.Split('.')
            $value = $null
            $first = $parts[0]
            if ($first -eq '_') { $value = $Data }
            elseif ($Data -is [System.Collections.IDictionary] -and $Data.Contains($first)) { $value = $Data[$first] }
            elseif ($Data -isnot [System.Collections.IDictionary] -and $null -ne $Data -and $null -ne $Data.PSObject.Properties[$first]) { $value = $Data.$first }
            else { return $m.Value }
            for ($i = 1; $i -lt $parts.Length; $i++) {
                if ($null -eq $value) { break }
                $value = $value.($parts[$i])
            }
            if ($null -eq $value) { return '$null' }
            "$value"
        })
}

function It {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Test,
        [Alias('TestCases')] [object[]] $ForEach,
        [string[]] $Tag,
        [switch] $Skip
    )
    $block = Get-PSubCurrentBlock 'It'
    $file = $MyInvocation.ScriptName
    $line = $MyInvocation.ScriptLineNumber
    $hasData = $PSBoundParameters.ContainsKey('ForEach')
    if ($hasData -and ($null -eq $ForEach -or $ForEach.Count -eq 0)) {
        throw "It '$Name': -ForEach/-TestCases is null or empty."
    }
    $cases = [System.Collections.Generic.List[object]]::new()
    if ($hasData) { $cases.AddRange($ForEach) } else { $cases.Add($null) }
    foreach ($case in $cases) {
        $block.Items.Add([pscustomobject]@{
                Kind    = 'It'
                Name    = if ($hasData) { Expand-PSubName $Name $case } else { $Name }
                Body    = $Test
                HasData = $hasData
                Data    = $case
                Skip    = $Skip.IsPresent -or $null -eq $Test -or $block.Skip
                File    = $file
                Line    = $line
                Block   = $block
            })
    }
}

function Set-ItResult {
    # Pester's way to mark the running It skipped (with a reason) from inside it.
    param([switch] $Skipped, [switch] $Inconclusive, [switch] $Pending, [string] $Because)
    $e = [System.InvalidOperationException]::new("skipped: $Because")
    $e.Data['PSubSkipped'] = $Because
    throw $e
}

function BeforeAll { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) (Get-PSubCurrentBlock 'BeforeAll').BeforeAll.Add($Scriptblock) }
function AfterAll { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) (Get-PSubCurrentBlock 'AfterAll').AfterAll.Add($Scriptblock) }
function BeforeEach { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) (Get-PSubCurrentBlock 'BeforeEach').BeforeEach.Add($Scriptblock) }
function AfterEach { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) (Get-PSubCurrentBlock 'AfterEach').AfterEach.Add($Scriptblock) }

# ---------------------------------------------------------------- execution

function Add-PSubResult($Path, [string] $Result, [string] $Message, [string] $File, [int] $Line, [string] $StackTrace) {
    $script:State.Results.Add([pscustomobject]@{
            Path       = [string[]] $Path
            Result     = $Result
            Message    = $Message
            File       = $File
            Line       = $Line
            StackTrace = $StackTrace
        })
}

function Get-PSubErrorInfo($ErrorRecord, $Fallback) {
    $file = $Fallback.File; $line = $Fallback.Line
    if ($ErrorRecord.TargetObject -is [System.Collections.IDictionary] -and $ErrorRecord.TargetObject.Contains('PesterSubsetShould')) {
        $file = $ErrorRecord.TargetObject.File; $line = $ErrorRecord.TargetObject.Line
        $message = $ErrorRecord.Exception.Message
    }
    else {
        $ii = $ErrorRecord.InvocationInfo
        if ($null -ne $ii -and -not [string]::IsNullOrEmpty($ii.ScriptName) -and $ii.ScriptName -ne $PSCommandPath) {
            $file = $ii.ScriptName; $line = $ii.ScriptLineNumber
        }
        $message = $ErrorRecord.Exception.GetType().Name + ': ' + $ErrorRecord.Exception.Message
    }
    @{ Message = $message; File = $file; Line = $line; StackTrace = [string] $ErrorRecord.ScriptStackTrace }
}

function Get-PSubAllTests($Block) {
    foreach ($item in $Block.Items) {
        if ($item.Kind -eq 'It') { $item } else { Get-PSubAllTests $item }
    }
}

function Invoke-PSubBlockInScope($Block, $UserState) {
    # Runs inside a fresh scope of the caller (test file) session state, created by the bridge.
    $testDrive = $null
    if ($Block.Kind -ne 'Context') {
        $testDrive = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'PesterSubset', [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($testDrive)
        $UserState.PSVariable.Set('TestDrive', $testDrive)
    }
    $runnable = @(Get-PSubAllTests $Block | Where-Object { -not $_.Skip }).Count -gt 0
    $setupError = $null
    try {
        if ($runnable) {
            try {
                foreach ($sb in $Block.BeforeAll) { $null = . $sb }
            }
            catch {
                $setupError = Get-PSubErrorInfo $_ @{ File = $null; Line = 0 }
            }
        }
        foreach ($item in $Block.Items) {
            if ($item.Kind -ne 'It') {
                if ($null -ne $setupError) {
                    foreach ($t in (Get-PSubAllTests $item)) { Write-PSubSetupFailure $t $setupError }
                }
                else {
                    $null = & $script:State.Bridge ${function:Invoke-PSubBlockInScope} $item
                }
                continue
            }
            if ($item.Skip) {
                Add-PSubResult -Path ($item.Block.Path + $item.Name) -Result 'Skipped' -File $item.File -Line $item.Line
                continue
            }
            if ($null -ne $setupError) { Write-PSubSetupFailure $item $setupError; continue }
            $null = & $script:State.Bridge ${function:Invoke-PSubTestInScope} $item
        }
    }
    finally {
        if ($runnable) {
            try {
                foreach ($sb in $Block.AfterAll) { $null = . $sb }
            }
            catch {
                $e = Get-PSubErrorInfo $_ @{ File = $null; Line = 0 }
                Add-PSubResult -Path ($Block.Path + 'AfterAll') -Result 'Failed' -Message ('AfterAll failed: ' + $e.Message) -File $e.File -Line $e.Line -StackTrace $e.StackTrace
            }
        }
        if ($null -ne $testDrive -and [System.IO.Directory]::Exists($testDrive)) {
            try { [System.IO.Directory]::Delete($testDrive, $true) } catch { $null = $_ }
        }
    }
}

function Write-PSubSetupFailure($Test, $SetupError) {
    Add-PSubResult -Path ($Test.Block.Path + $Test.Name) -Result 'Failed' -Message ('BeforeAll failed: ' + $SetupError.Message) -File $SetupError.File -Line $SetupError.Line -StackTrace $SetupError.StackTrace
}

function Invoke-PSubTestInScope($Test, $UserState) {
    $chain = [System.Collections.Generic.List[object]]::new()
    for ($b = $Test.Block; $null -ne $b; $b = $b.Parent) { $chain.Insert(0, $b) }
    $failure = $null
    $skippedBecause = $null
    if ($Test.HasData) {
        $UserState.PSVariable.Set('_', $Test.Data)
        if ($Test.Data -is [System.Collections.IDictionary]) {
            foreach ($key in $Test.Data.Keys) { $UserState.PSVariable.Set([string] $key, $Test.Data[$key]) }
        }
    }
    try {
        foreach ($b in $chain) { foreach ($sb in $b.BeforeEach) { $null = . $sb } }
        $null = . $Test.Body
    }
    catch {
        if ($_.Exception.Data.Contains('PSubSkipped')) { $skippedBecause = [string] $_.Exception.Data['PSubSkipped'] }
        else { $failure = Get-PSubErrorInfo $_ $Test }
    }
    for ($i = $chain.Count - 1; $i -ge 0; $i--) {
        foreach ($sb in $chain[$i].AfterEach) {
            try { $null = . $sb }
            catch { if ($null -eq $failure) { $failure = Get-PSubErrorInfo $_ $Test; $failure.Message = 'AfterEach failed: ' + $failure.Message } }
        }
    }
    $path = $Test.Block.Path + $Test.Name
    if ($null -eq $failure -and $null -ne $skippedBecause) { Add-PSubResult -Path $path -Result 'Skipped' -Message $skippedBecause -File $Test.File -Line $Test.Line }
    elseif ($null -eq $failure) { Add-PSubResult -Path $path -Result 'Passed' -File $Test.File -Line $Test.Line }
    else { Add-PSubResult -Path $path -Result 'Failed' -Message $failure.Message -File $failure.File -Line $failure.Line -StackTrace $failure.StackTrace }
}

function Invoke-PesterSubset {
    <#
    Runs one Pester 5 test file: discovery (the file runs, blocks register), then execution.
    -Bridge must be a script block created in the caller's (test file's) session state:
        { param($__psubCallback, $__psubArg) & $__psubCallback $__psubArg $ExecutionContext.SessionState }
    It gives every block and It its own child scope in that session state, like Pester does.
    Returns one object per It: Path, Result (Passed/Failed/Skipped), Message, File, Line, StackTrace.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [scriptblock] $Bridge
    )
    $script:State = [pscustomobject]@{
        Phase   = 'Discovery'
        Current = $null
        Bridge  = $Bridge
        Results = [System.Collections.Generic.List[object]]::new()
    }
    $root = New-PSubBlock -Kind 'Root' -Name '' -Parent $null -Skip $false
    $script:State.Current = $root
    try {
        # The path is invoked through the bridge so the file runs in the caller's session state,
        # with its own $PSScriptRoot / $PSCommandPath.
        $null = & $Bridge $Path $null
    }
    catch {
        $e = Get-PSubErrorInfo $_ @{ File = $Path; Line = 0 }
        Add-PSubResult -Path @('<discovery>') -Result 'Failed' -Message ('Discovery failed: ' + $e.Message) -File $e.File -Line $e.Line -StackTrace $e.StackTrace
        $results = $script:State.Results
        $script:State = $null
        return $results.ToArray()
    }
    $script:State.Phase = 'Run'
    $script:State.Current = $null
    try {
        $null = & $Bridge ${function:Invoke-PSubBlockInScope} $root
    }
    catch {
        $e = Get-PSubErrorInfo $_ @{ File = $Path; Line = 0 }
        Add-PSubResult -Path @('<run>') -Result 'Failed' -Message ('Run failed: ' + $e.Message) -File $e.File -Line $e.Line -StackTrace $e.StackTrace
    }
    $results = $script:State.Results
    $script:State = $null
    $results.ToArray()
}

# ---------------------------------------------------------------- Should

function Format-PSubNicely($Value) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [bool]) { return '$' + "$Value".ToLowerInvariant() }
    if ($Value -is [string]) { return "'" + $Value + "'" }
    if ($Value -is [type]) { return '[' + $Value.FullName + ']' }
    if ($Value -is [System.Collections.IDictionary]) { return '@{' + (@($Value.Keys | ForEach-Object { "$_=$(Format-PSubNicely $Value[$_])" }) -join '; ') + '}' }
    if ($Value -is [System.Collections.IEnumerable]) { return '@(' + (@($Value | ForEach-Object { Format-PSubNicely $_ }) -join ', ') + ')' }
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [decimal]) { return $Value.ToString([cultureinfo]::InvariantCulture) }
    "$Value"
}

function Format-PSubBecause([string] $Because) {
    if ([string]::IsNullOrWhiteSpace($Because)) { return '' }
    ' because ' + ($Because.Trim() -replace '^because\s', '') + ','
}

function Test-PSubArraysEqual([object[]] $First, [object[]] $Second, [bool] $CaseSensitive, [int] $Depth = 0) {
    if ($Depth -gt 100) { throw 'Recursion limit reached when comparing arrays.' }
    $firstEmpty = $null -eq $First -or $First.Count -eq 0 -or ($First.Count -eq 1 -and $null -eq $First[0])
    $secondEmpty = $null -eq $Second -or $Second.Count -eq 0 -or ($Second.Count -eq 1 -and $null -eq $Second[0])
    if ($firstEmpty -or $secondEmpty) { return $firstEmpty -and $secondEmpty }
    if ($First.Count -ne $Second.Count) { return $false }
    for ($i = 0; $i -lt $First.Count; $i++) {
        if ($First[$i] -is [array] -or $Second[$i] -is [array]) {
            if (-not (Test-PSubArraysEqual $First[$i] $Second[$i] $CaseSensitive ($Depth + 1))) { return $false }
        }
        elseif ($CaseSensitive) { if (-not ($Second[$i] -ceq $First[$i])) { return $false } }
        else { if (-not ($Second[$i] -eq $First[$i])) { return $false } }
    }
    $true
}

function Get-PSubStringDiff([string] $Expected, [string] $Actual, [bool] $CaseSensitive, [string] $Because) {
    $max = [Math]::Max($Expected.Length, $Actual.Length)
    $index = 0
    for (; $index -lt $max; $index++) {
        if ($index -ge $Expected.Length -or $index -ge $Actual.Length) { break }
        $a = [string] $Expected[$index]; $b = [string] $Actual[$index]
        if ($CaseSensitive) { if ($a -cne $b) { break } } elseif ($a -ne $b) { break }
    }
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add("Expected strings to be the same,$(Format-PSubBecause $Because) but they were different.")
    if ($Expected.Length -ne $Actual.Length) {
        $lines.Add("Expected length: $($Expected.Length)")
        $lines.Add("Actual length:   $($Actual.Length)")
    }
    else { $lines.Add("String lengths are both $($Expected.Length).") }
    $lines.Add("Strings differ at index $index.")
    $lines.Add("Expected: '$Expected'")
    $lines.Add("But was:  '$Actual'")
    $lines -join "`n"
}

function Test-PSubNullOrEmpty($Value) {
    if ($null -eq $Value) { return $true }
    if ($Value -is [string]) { return $Value.Length -eq 0 }
    if ($Value -is [System.Collections.ICollection]) {
        if ($Value.Count -eq 0) { return $true }
        if ($Value.Count -eq 1 -and $Value -is [array]) { return Test-PSubNullOrEmpty $Value[0] }
        return $false
    }
    $false
}

function Invoke-PSubAssertion([string] $Op, $Actual, [hashtable] $P, [bool] $Negate, [string] $Because) {
    $b = Format-PSubBecause $Because
    $ok = $false
    $msg = ''
    switch ($Op) {
        'Be' {
            $ok = Test-PSubArraysEqual $Actual $P.ExpectedValue $false
            if ($Negate) { $ok = -not $ok; $msg = "Expected $(Format-PSubNicely $P.ExpectedValue) to be different from the actual value,$b but got the same value." }
            else {
                $ua = $($Actual); $ue = $($P.ExpectedValue)
                if ($ua -is [string] -and $ue -is [string]) { $msg = Get-PSubStringDiff $ue $ua $false $Because }
                else { $msg = "Expected $(Format-PSubNicely $ue),$b but got $(Format-PSubNicely $ua)." }
            }
        }
        'BeExactly' {
            $ok = Test-PSubArraysEqual $Actual $P.ExpectedValue $true
            if ($Negate) { $ok = -not $ok; $msg = "Expected $(Format-PSubNicely $P.ExpectedValue) to be different from the actual value,$b but got exactly the same value." }
            else {
                $ua = $($Actual); $ue = $($P.ExpectedValue)
                if ($ua -is [string] -and $ue -is [string]) { $msg = Get-PSubStringDiff $ue $ua $true $Because }
                else { $msg = "Expected exactly $(Format-PSubNicely $ue),$b but got $(Format-PSubNicely $ua)." }
            }
        }
        'BeNullOrEmpty' {
            $ok = Test-PSubNullOrEmpty $Actual
            $shown = if ($Actual -is [array] -and $Actual.Count -eq 1) { $Actual[0] } else { $Actual }
            if ($Negate) { $ok = -not $ok; $msg = "Expected a value,$b but got `$null or empty." }
            else { $msg = "Expected `$null or empty,$b but got $(Format-PSubNicely $shown)." }
        }
        'BeTrue' {
            $ok = [bool] $Actual
            if ($Negate) { $ok = -not $ok; $msg = "Expected `$false,$b but got $(Format-PSubNicely $Actual)." }
            else { $msg = "Expected `$true,$b but got $(Format-PSubNicely $Actual)." }
        }
        'BeFalse' {
            $ok = -not [bool] $Actual
            if ($Negate) { $ok = -not $ok; $msg = "Expected `$true,$b but got $(Format-PSubNicely $Actual)." }
            else { $msg = "Expected `$false,$b but got $(Format-PSubNicely $Actual)." }
        }
        'HaveCount' {
            $count = if ($null -eq $Actual) { 0 } else { @($Actual).Count }
            $ok = $count -eq $P.ExpectedValue
            if ($Negate) { $ok = -not $ok; $msg = "Expected a collection with size different from $(Format-PSubNicely $P.ExpectedValue),$b but got collection with that size $(Format-PSubNicely $Actual)." }
            else { $msg = "Expected a collection with size $(Format-PSubNicely $P.ExpectedValue),$b but got collection with size $count $(Format-PSubNicely $Actual)." }
        }
        'Contain' {
            $ok = @($Actual) -contains $P.ExpectedValue
            if ($Negate) { $ok = -not $ok; $msg = "Expected $(Format-PSubNicely $P.ExpectedValue) to not be found in collection $(Format-PSubNicely $Actual),$b but it was found." }
            else { $msg = "Expected $(Format-PSubNicely $P.ExpectedValue) to be found in collection $(Format-PSubNicely $Actual),$b but it was not found." }
        }
        'Match' {
            $ok = $Actual -match $P.RegularExpression
            if ($Negate) { $ok = -not $ok; $msg = "Expected regular expression $(Format-PSubNicely $P.RegularExpression) to not match $(Format-PSubNicely $Actual),$b but it did match." }
            else { $msg = "Expected regular expression $(Format-PSubNicely $P.RegularExpression) to match $(Format-PSubNicely $Actual),$b but it did not match." }
        }
        'BeOfType' {
            $type = $P.ExpectedType
            if ($type -isnot [type]) {
                $typeName = ([string] $type) -replace '^\[(.*)\]$', '$1'
                $type = $typeName -as [type]
                if ($null -eq $type) { throw [ArgumentException] "Could not find type [$typeName]. Make sure that the assembly that contains that type is loaded." }
            }
            $ok = $Actual -is $type
            $actualType = if ($null -eq $Actual) { '$null' } else { '[' + $Actual.GetType().FullName + ']' }
            if ($Negate) { $ok = -not $ok; $msg = "Expected the value to not have type $(Format-PSubNicely $type) or any of its subtypes,$b but got $(Format-PSubNicely $Actual) with type $actualType." }
            else { $msg = "Expected the value to have type $(Format-PSubNicely $type) or any of its subtypes,$b but got $(Format-PSubNicely $Actual) with type $actualType." }
        }
        'BeGreaterThan' {
            $ok = $Actual -gt $P.ExpectedValue
            if ($Negate) { $ok = -not $ok; $msg = "Expected the actual value to be less than or equal to $(Format-PSubNicely $P.ExpectedValue),$b but got $(Format-PSubNicely $Actual)." }
            else { $msg = "Expected the actual value to be greater than $(Format-PSubNicely $P.ExpectedValue),$b but got $(Format-PSubNicely $Actual)." }
        }
        'BeLessThan' {
            $ok = $Actual -lt $P.ExpectedValue
            if ($Negate) { $ok = -not $ok; $msg = "Expected the actual value to be greater than or equal to $(Format-PSubNicely $P.ExpectedValue),$b but got $(Format-PSubNicely $Actual)." }
            else { $msg = "Expected the actual value to be less than $(Format-PSubNicely $P.ExpectedValue),$b but got $(Format-PSubNicely $Actual)." }
        }
    }
    @{ Succeeded = [bool] $ok; Message = $msg }
}

function Invoke-PSubThrow($Actual, [hashtable] $P, [bool] $Negate, [string] $Because) {
    if ($null -eq $Actual -or $Actual -isnot [scriptblock]) {
        throw [ArgumentException] "Input is missing or not a ScriptBlock. Input to '-Throw' and '-Not -Throw' must be enclosed in curly braces."
    }
    $thrown = $false; $err = $null; $message = ''; $errorId = ''
    try { $null = & $Actual }
    catch { $thrown = $true; $err = $_; $message = $_.Exception.Message; $errorId = $_.FullyQualifiedErrorId }
    $b = Format-PSubBecause $Because
    if ($Negate) {
        if (-not $thrown) { return @{ Succeeded = $true } }
        return @{ Succeeded = $false; Message = "Expected no exception to be thrown,$b but an exception `"$message`" was thrown." }
    }
    $filters = [System.Collections.Generic.List[string]]::new()
    $buts = [System.Collections.Generic.List[string]]::new()
    if ($null -ne $P.ExceptionType) {
        $filters.Add("type $(Format-PSubNicely $P.ExceptionType)")
        if ($thrown -and $err.Exception -isnot $P.ExceptionType) { $buts.Add("the exception type was $(Format-PSubNicely $err.Exception.GetType())") }
    }
    # Pester 5: message and FullyQualifiedErrorId are matched with -like (wildcards, case-insensitive, whole string).
    if (-not [string]::IsNullOrWhiteSpace($P.ExpectedMessage)) {
        $filters.Add("message like $(Format-PSubNicely ([System.Management.Automation.WildcardPattern]::Unescape($P.ExpectedMessage)))")
        if ($thrown -and -not ($message -like $P.ExpectedMessage)) { $buts.Add("the message was $(Format-PSubNicely $message)") }
    }
    if (-not [string]::IsNullOrWhiteSpace($P.ErrorId)) {
        $filters.Add("FullyQualifiedErrorId $(Format-PSubNicely $P.ErrorId)")
        if ($thrown -and -not ($errorId -like $P.ErrorId)) { $buts.Add("the FullyQualifiedErrorId was $(Format-PSubNicely $errorId)") }
    }
    if (-not $thrown) { $buts.Add('no exception was thrown') }
    if ($buts.Count -gt 0) {
        $filter = if ($filters.Count -gt 0) { ' with ' + ($filters -join ' and ') } else { '' }
        return @{ Succeeded = $false; Message = "Expected an exception$filter to be thrown,$b but $($buts -join ' and ')." }
    }
    @{ Succeeded = $true; Data = $err }
}

function Should {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline, ValueFromRemainingArguments)] [object] $ActualValue,
        [Parameter(Position = 0)] [object] $ExpectedValue,
        [switch] $Not,
        [switch] $Be, [switch] $BeExactly, [switch] $BeNullOrEmpty, [switch] $BeTrue, [switch] $BeFalse,
        [switch] $HaveCount, [switch] $Contain, [switch] $Match, [switch] $BeOfType,
        [switch] $BeGreaterThan, [switch] $BeLessThan, [switch] $Throw,
        [string] $ExpectedMessage, [string] $ErrorId, [type] $ExceptionType,
        [object] $ExpectedType, [string] $RegularExpression,
        [string] $Because, [switch] $PassThru
    )
    begin { $inputList = [System.Collections.Generic.List[object]]::new() }
    process { if ($MyInvocation.ExpectingInput) { $inputList.Add($ActualValue) } }
    end {
        if (-not $MyInvocation.ExpectingInput -and $PSBoundParameters.ContainsKey('ActualValue')) { $inputList.Add($ActualValue) }
        $ops = @('Be', 'BeExactly', 'BeNullOrEmpty', 'BeTrue', 'BeFalse', 'HaveCount', 'Contain', 'Match', 'BeOfType', 'BeGreaterThan', 'BeLessThan', 'Throw') |
            Where-Object { $PSBoundParameters.ContainsKey($_) }
        $ops = @($ops)
        if ($ops.Count -ne 1) { throw "Should: specify exactly one operator (supported: -Be, -BeExactly, -BeNullOrEmpty, -BeTrue, -BeFalse, -HaveCount, -Contain, -Match, -BeOfType, -BeGreaterThan, -BeLessThan, -Throw)." }
        $op = $ops[0]
        $positional = $PSBoundParameters.ContainsKey('ExpectedValue')
        $p = @{ ExpectedValue = $ExpectedValue; ExpectedMessage = $ExpectedMessage; ErrorId = $ErrorId; ExceptionType = $ExceptionType; ExpectedType = $ExpectedType; RegularExpression = $RegularExpression }
        if ($op -eq 'Throw' -and $positional -and -not $PSBoundParameters.ContainsKey('ExpectedMessage')) { $p.ExpectedMessage = [string] $ExpectedValue }
        if ($op -eq 'BeOfType' -and $positional -and -not $PSBoundParameters.ContainsKey('ExpectedType')) { $p.ExpectedType = $ExpectedValue }
        if ($op -eq 'Match' -and $positional -and -not $PSBoundParameters.ContainsKey('RegularExpression')) { $p.RegularExpression = [string] $ExpectedValue }
        $where = @{ PesterSubsetShould = $true; File = $MyInvocation.ScriptName; Line = $MyInvocation.ScriptLineNumber }
        $arrayOps = @('Be', 'BeExactly', 'BeNullOrEmpty', 'HaveCount', 'Contain')
        $values = [System.Collections.Generic.List[object]]::new()
        if ($inputList.Count -eq 0) { $values.Add($null) }
        elseif ($arrayOps -contains $op) { $values.Add($inputList.ToArray()) }
        else { $values.AddRange($inputList) }
        foreach ($value in $values) {
            $r = if ($op -eq 'Throw') { Invoke-PSubThrow $value $p $Not.IsPresent $Because } else { Invoke-PSubAssertion $op $value $p $Not.IsPresent $Because }
            if (-not $r.Succeeded) {
                $ex = [System.Exception]::new($r.Message)
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($ex, 'PesterAssertionFailed', 'InvalidResult', $where))
            }
            if ($PassThru -and $r.Contains('Data')) { $r.Data }
        }
    }
}

Export-ModuleMember -Function Describe, Context, It, Set-ItResult, BeforeAll, AfterAll, BeforeEach, AfterEach, Should, Invoke-PesterSubset
