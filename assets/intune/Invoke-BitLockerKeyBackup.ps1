<#
.SYNOPSIS
    Runs one headless BitLocker Key Backup command and returns its exit code, printing its summary.
.DESCRIPTION
    The app's exe is a GUI-subsystem program: its standard output does not reliably reach a script, so the
    report is read from --json-out instead (a fresh file in a folder only administrators and SYSTEM can write).
    Arguments go to the exe as an array, never as text built from variables. Intune uploads a single script:
    paste this function above the detection or remediation line when uploading, or deploy the folder with a
    Win32 app (docs/headless.md).
#>
function Test-BitLockerKeyBackupAdministrator {
    # SYSTEM and elevated administrators are in the Administrators role; the app's manifest needs one of them.
    $principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
    $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Get-BitLockerKeyBackupReportFolder {
    # The Windows folder's Temp, found from the OS (not the environment): only administrators and SYSTEM can write there.
    Join-Path ([Environment]::GetFolderPath('Windows')) 'Temp'
}

function Invoke-BitLockerKeyBackup {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$AppPath,
        [Parameter(Mandatory = $true)][ValidateSet('status', 'ensure-escrow')][string]$Command
    )
    if (-not (Test-BitLockerKeyBackupAdministrator)) {
        Write-Output 'exit 4: BitLocker Key Backup must run as administrator or SYSTEM (in Intune: "Run this script using the logged-on credentials" = No).'
        return 4
    }
    if (-not (Test-Path -LiteralPath $AppPath -PathType Leaf)) {
        Write-Output "exit 11: BitLocker Key Backup is not installed at $AppPath."
        return 11
    }
    # A new name each run, so a report left by an earlier run is never read as this one's.
    $report = Join-Path (Get-BitLockerKeyBackupReportFolder) ('bkb-' + [guid]::NewGuid().ToString('N') + '.json')
    try {
        $process = Start-Process -FilePath $AppPath -ArgumentList @($Command, '--intune', '--json-out', $report) -Wait -PassThru -WindowStyle Hidden
        $code = $process.ExitCode
        if (Test-Path -LiteralPath $report) {
            $json = Get-Content -LiteralPath $report -Raw -Encoding UTF8 | ConvertFrom-Json
            $line = 'exit ' + $json.exitCode + ': ' + $json.summary
            # Intune keeps 2,048 characters of output.
            if ($line.Length -gt 2000) { $line = $line.Substring(0, 2000) + ' …' }
            Write-Output $line
        }
        else {
            Write-Output "exit ${code}: BitLocker Key Backup wrote no report."
        }
        return $code
    }
    finally {
        Remove-Item -LiteralPath $report -Force -ErrorAction SilentlyContinue
    }
}
