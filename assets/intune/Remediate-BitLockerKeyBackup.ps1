<#
.SYNOPSIS
    Intune Remediations remediation script: send every recovery password not yet in the organisation's
    directory (Entra ID or Active Directory) there, and confirm each by Windows' event.
.DESCRIPTION
    Runs BitLocker Key Backup's `ensure-escrow` headlessly and exits with its code: 0 = every key sent was
    confirmed and none is missing, 1 = a key is still missing (e.g. its drive is locked), 2 = sent but not yet
    confirmed, 3 and up = what stopped it (see docs/headless.md). Prints the app's one-line summary.
#>
[CmdletBinding()]
param(
    [string]$AppPath = (Join-Path $env:ProgramFiles 'BitLocker Key Backup\BitLocker Key Backup.exe')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Invoke-BitLockerKeyBackup.ps1')
exit (Invoke-BitLockerKeyBackup -AppPath $AppPath -Command 'ensure-escrow')
