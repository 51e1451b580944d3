<#
.SYNOPSIS
    Intune Remediations detection script: is every BitLocker recovery password of this PC backed up?
.DESCRIPTION
    Runs BitLocker Key Backup's `status` headlessly (as SYSTEM, as Intune runs it) and exits with its code:
    0 = every recovery password is in the organisation's directory (nothing to do), 1 = at least one is not
    (Intune then runs Remediate-BitLockerKeyBackup.ps1), anything else = could not tell (see the output).
    Prints the app's one-line summary, which Intune shows in its report (it keeps 2,048 characters).
    docs/headless.md explains the exit codes.
#>
[CmdletBinding()]
param(
    # Where the per-machine installer puts the app.
    [string]$AppPath = (Join-Path $env:ProgramFiles 'BitLocker Key Backup\BitLocker Key Backup.exe')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Invoke-BitLockerKeyBackup.ps1')
exit (Invoke-BitLockerKeyBackup -AppPath $AppPath -Command 'status')
