@{
    # The Windows that BitLockerKeyBackup.psm1 talks to, faked for PowerShell 7 on any OS (docs/fake-windows.md).
    # Test-only: imported by tests/fake-windows/pwsh-fake before the session's own start-up line.
    RootModule        = 'FakeWindows.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '6f0d8c51-3c2e-4b8e-9a51-0b7d2c4e9f13'
    Author            = 'BitLocker Key Backup'
    Description       = 'A fake Windows for the real-module tier: CIM (Win32_EncryptableVolume and friends), Get-Volume, the registry EditionID, the BitLocker event log, the audit trail in the Application log, Start-Process, dsregcmd and elevation, all answered from a simulated-PC scenario file.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @(
        'Import-Module',
        'Enter-FakeLanguageMode',
        'Get-ExecutionPolicy',
        'Get-CimInstance',
        'Invoke-CimMethod',
        'Get-Volume',
        'Get-ItemPropertyValue',
        'Get-ItemProperty',
        'Get-WinEvent',
        'Write-EventLog',
        'Start-Process',
        'Get-FakeWindowsProcessLog'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
