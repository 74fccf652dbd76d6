# Shared setup of the CimLite Pester files: dot-source it inside BeforeAll.
# Imports the CimLite module unless it is loaded already: from $env:CIMLITE_MODULE when set (a published module
# folder or manifest), else from the build output ./out/CimLite (what build.ps1 produces).
if (-not (Get-Module CimLite)) {
    $m = $env:CIMLITE_MODULE
    if (-not $m) { $m = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'CimLite', 'CimLite.psd1') }
    Import-Module $m -Force
}

# Where the DMTF CIM Schema is, by the rule of tests/Shared/CimSchemaLocation.cs (CimSchemaLocationTests checks that
# the two agree): $env:CIMLITE_CIM_SCHEMA (a folder whose root holds one cim_schema_*.mof), else
# ../shared/data/cim-schema-2.32.0 beside the repository, else none. Tests that need it skip with .Reason when
# .RootFile is empty, unless .Required ($env:CIMLITE_REQUIRE_CIM_SCHEMA is 1): then they fail.
function Get-CimLiteTestCimSchema {
    param(
        [string] $Variable = $env:CIMLITE_CIM_SCHEMA,
        [string] $RepositoryRoot = [System.IO.Path]::Combine($PSScriptRoot, '..', '..')
    )
    $how = 'set CIMLITE_CIM_SCHEMA to a folder whose root holds cim_schema_*.mof (the DMTF CIM Schema in MOF, from dmtf.org/standards/cim), or place cim-schema-2.32.0 in ../shared/data beside the repository'
    $require = "$env:CIMLITE_REQUIRE_CIM_SCHEMA".Trim()
    $schema = [pscustomobject]@{ Folder = $null; RootFile = $null; Reason = $null; Required = ($require -eq '1' -or $require -eq 'true') }
    $variable = $Variable
    if (-not [string]::IsNullOrWhiteSpace($variable)) {
        $folder = [System.IO.Path]::GetFullPath($variable.Trim())
        $roots = @(if ([System.IO.Directory]::Exists($folder)) { [System.IO.Directory]::GetFiles($folder, 'cim_schema_*.mof', [System.IO.SearchOption]::TopDirectoryOnly) })
        if ($roots.Count -eq 1) { $schema.Folder = $folder; $schema.RootFile = $roots[0]; return $schema }
        $problem = if (-not [System.IO.Directory]::Exists($folder)) { 'is not a folder' } elseif ($roots.Count -eq 0) { 'holds no cim_schema_*.mof at its root' } else { 'holds several cim_schema_*.mof at its root' }
        $schema.Reason = "needs the DMTF CIM Schema: CIMLITE_CIM_SCHEMA='$variable' $problem; $how"
        return $schema
    }
    $folder = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($RepositoryRoot, '..', 'shared', 'data', 'cim-schema-2.32.0'))
    $root = [System.IO.Path]::Combine($folder, 'cim_schema_2.32.0.mof')
    if ([System.IO.File]::Exists($root)) { $schema.Folder = $folder; $schema.RootFile = $root; return $schema }
    $schema.Reason = "needs the DMTF CIM Schema, which is not here: $how"
    $schema
}
