<#
.SYNOPSIS
Runs Pester files under one real Pester module and writes what happened as JSON (for PesterFilesTests).

.DESCRIPTION
Imports the Pester module at -PesterManifest (from the Pester NuGet package's tools/ folder) and, when given,
the CimLite module at -ModuleManifest (globally, and as $env:CIMLITE_MODULE so CimLite.TestSetup.ps1 finds the
same one), then runs Invoke-Pester on -Path. With -DiscoverOnly Pester only discovers the tests (Run.SkipRun).
Writes to -ResultFile one JSON object:
  PesterVersion, Tests: every It as Pester counts it (one per test case of -TestCases/-ForEach), each with
  Path (block and It names as written), ExpandedPath (names with <placeholders> filled in), File, Line,
  Result (Passed, Failed, Skipped, NotRun, Inconclusive) and Message (the errors, or why it was skipped);
  Problems: what failed outside any It (a file that failed discovery, a failing BeforeAll/AfterAll).
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $ModuleManifest,
    [switch] $DiscoverOnly
)

$ErrorActionPreference = 'Stop'
if ($ModuleManifest) {
    Import-Module $ModuleManifest -Global -Force
    $env:CIMLITE_MODULE = $ModuleManifest
}
$pester = Import-Module $PesterManifest -Global -Force -PassThru

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.SkipRun = [bool] $DiscoverOnly
$configuration.Output.Verbosity = 'None'
$run = Invoke-Pester -Configuration $configuration

function Get-ErrorText($records) {
    $lines = foreach ($record in @($records)) {
        if ($null -eq $record) { continue }
        $message = $record.DisplayErrorMessage
        if (-not $message) { $message = $record.Exception.Message }
        $message
        $where = $record.DisplayStackTrace
        if (-not $where) { $where = $record.ScriptStackTrace }
        if ($where) { $where }
    }
    $lines -join [System.Environment]::NewLine
}

function Get-BlockNames($block) {
    $names = New-Object System.Collections.Generic.List[string]
    while ($null -ne $block -and -not $block.IsRoot) {
        $name = $block.ExpandedName
        if (-not $name) { $name = $block.Name }
        $names.Insert(0, [string] $name)
        $block = $block.Parent
    }
    $names.ToArray()
}

# Why an It failed: its own errors, else (a failing BeforeAll/BeforeEach) those of its nearest failed block.
function Get-TestMessage($test) {
    $text = Get-ErrorText $test.ErrorRecord
    if ($test.Result -eq 'Skipped' -and $text) { return ($text -split '\r?\n')[0] }
    $block = $test.Block
    while (-not $text -and $test.Result -ne 'Passed' -and $null -ne $block -and -not $block.IsRoot) {
        $blockText = Get-ErrorText $block.ErrorRecord
        if ($blockText) { $text = "'$((Get-BlockNames $block) -join ' > ')' failed: $blockText" }
        $block = $block.Parent
    }
    $text
}

$tests = foreach ($test in $run.Tests) {
    $name = $test.ExpandedName
    if (-not $name) { $name = $test.Name }
    [ordered] @{
        Path         = [string[]] @($test.Path)
        ExpandedPath = [string[]] (@(Get-BlockNames $test.Block) + [string] $name)
        File         = [string] $test.ScriptBlock.File
        Line         = [int] $test.StartLine
        Result       = [string] $test.Result
        Message      = Get-TestMessage $test
    }
}

$problems = @(
    foreach ($container in $run.FailedContainers) {
        "$($container.Item): $(Get-ErrorText $container.ErrorRecord)"
    }
    foreach ($block in $run.FailedBlocks) {
        "$((Get-BlockNames $block) -join ' > '): $(Get-ErrorText $block.ErrorRecord)"
    }
)

$json = [ordered] @{
    PesterVersion = [string] $pester.Version
    Tests         = @($tests)
    Problems      = [string[]] $problems
} | ConvertTo-Json -Depth 5
[System.IO.File]::WriteAllText($ResultFile, $json)
