# Shared setup of the CimLite Pester files: dot-source it inside BeforeAll.
# Imports the CimLite module unless it is loaded already: from $env:CIMLITE_MODULE when set (a published module
# folder or manifest), else from the build output ./out/CimLite (what build.ps1 produces).
if (-not (Get-Module CimLite)) {
    $m = $env:CIMLITE_MODULE
    if (-not $m) { $m = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'CimLite', 'CimLite.psd1') }
    Import-Module $m -Force
}
