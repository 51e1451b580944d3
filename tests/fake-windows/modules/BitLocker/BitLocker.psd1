@{
    # A stand-in for Windows' BitLocker module (tests/fake-windows): on PSModulePath only when the scenario says
    # the PC has it (computer.bitLockerModule), answering from the fake Windows' scenario and state.
    RootModule        = 'BitLocker.psm1'
    ModuleVersion     = '1.0.0.0'
    GUID              = '0ff02bb8-300a-4262-ac08-e06dd810f1b6'
    Author            = 'BitLocker Key Backup (fake)'
    Description       = 'Fake BitLocker module for the real-module tier.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @('Get-BitLockerVolume', 'BackupToAAD-BitLockerKeyProtector', 'Backup-BitLockerKeyProtector')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
