<#
.SYNOPSIS
    Builds the CimLite module folder, runs the tests, or cleans the build output.
.DESCRIPTION
    A thin wrapper for pwsh users around `dotnet publish` and `dotnet test`. The module folder is laid out
    in ./out/CimLite (manifest, assemblies, native SQLite for six platforms, format and type data), ready
    for `Import-Module ./out/CimLite`. The en-US help comes from docs/help: the publish generates it with
    tools/HelpGen; where PlatyPS is installed, its New-ExternalHelp then regenerates the MAML instead.
.PARAMETER Build
    Publish the module folder to ./out/CimLite (the default).
.PARAMETER Test
    Run every test (`dotnet test`): engine tests, hosted-runspace cmdlet tests and the Pester files.
.PARAMETER Clean
    Remove ./out and the bin/obj folders.
.PARAMETER Configuration
    Debug or Release (default Release).
.EXAMPLE
    ./build.ps1
    Publishes the module folder; then `Import-Module ./out/CimLite`.
.EXAMPLE
    ./build.ps1 -Test
    Runs the whole test suite.
.EXAMPLE
    ./build.ps1 -Clean
    Removes the build output.
#>
[CmdletBinding(DefaultParameterSetName = 'Build')]
param(
    [Parameter(ParameterSetName = 'Build')]
    [switch] $Build,

    [Parameter(Mandatory, ParameterSetName = 'Test')]
    [switch] $Test,

    [Parameter(Mandatory, ParameterSetName = 'Clean')]
    [switch] $Clean,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    switch ($PSCmdlet.ParameterSetName) {
        'Build' {
            dotnet publish src/Module -c $Configuration -o out/CimLite
            if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed with exit code $LASTEXITCODE" }
            if (Get-Module -ListAvailable -Name platyPS) {
                Import-Module platyPS
                $null = New-ExternalHelp -Path docs/help -OutputPath out/CimLite/en-US -Force
            }
            Write-Host "Module folder: $(Join-Path $PSScriptRoot 'out/CimLite')  (Import-Module ./out/CimLite)"
        }
        'Test' {
            dotnet test -c $Configuration
            if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE" }
        }
        'Clean' {
            foreach ($folder in @('out') + (Get-ChildItem -Recurse -Directory -Include bin, obj -Path src, tests).FullName) {
                if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
            }
        }
    }
}
finally {
    Pop-Location
}
