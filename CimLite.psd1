@{
    RootModule           = 'CimLite.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '9ae4625d-bb13-4b12-b64f-0c28d2831105'
    Author               = 'CimLite contributors'
    CompanyName          = 'CimLite'
    Copyright            = '(c) CimLite contributors. MIT License.'
    Description          = 'A portable CIM object manager: WMI-style classes, instances and providers stored in SQLite, with WMI PutInstance semantics.'
    PowerShellVersion    = '5.1'
    RequiredAssemblies   = @('CimLite.Engine.dll', 'CimLite.dll')
    TypesToProcess       = @('CimLite.Types.ps1xml')
    FormatsToProcess     = @('CimLite.Format.ps1xml')
    CmdletsToExport      = @(
        'New-CimLiteSession'
        'Get-CimLiteSession'
        'Remove-CimLiteSession'
        'New-CimLiteClass'
        'Get-CimLiteClass'
        'Remove-CimLiteClass'
        'Import-CimLiteMof'
        'Export-CimLiteMof'
        'New-CimLiteInstance'
        'Set-CimLiteInstance'
        'Get-CimLiteInstance'
        'Remove-CimLiteInstance'
        'Register-CimLiteProvider'
        'Get-CimLiteProvider'
        'Unregister-CimLiteProvider'
        'Receive-CimLitePosted'
        'Invoke-CimLiteMethod'
        'New-CimLiteProviderType'
        'Get-CimLiteAssociatedInstance'
        'Register-CimLiteIndicationEvent'
        'Use-CimLiteForCimCmdlets'
        'Get-CimLiteRepository'
        'Test-CimLiteRepository'
        'Backup-CimLiteRepository'
        'Optimize-CimLiteRepository'
        'Restore-CimLiteRepository'
        'Repair-CimLiteRepository'
        'Copy-CimLiteRepository'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('CIM', 'WMI', 'SQLite', 'Repository', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/cimlite/cimlite/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/cimlite/cimlite'
            ReleaseNotes = 'https://github.com/cimlite/cimlite/blob/main/CHANGELOG.md'
        }
    }
}
