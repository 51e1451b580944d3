# The Intune Remediations scripts in assets/intune: they must run the app with fixed arguments, read its report
# from --json-out, print one short line and pass the app's exit code on. Start-Process and the administrator
# check are mocked: the app itself and Windows are not here.
BeforeAll {
    $script:IntuneFolder = Join-Path $PSScriptRoot '..' '..' '..' 'assets' 'intune'
    . (Join-Path $script:IntuneFolder 'Invoke-BitLockerKeyBackup.ps1')
    $script:App = Join-Path $TestDrive 'BitLocker Key Backup.exe'
    Set-Content -LiteralPath $script:App -Value 'not really an exe'
}

Describe 'Invoke-BitLockerKeyBackup' {
    BeforeEach {
        Mock Test-BitLockerKeyBackupAdministrator { $true }
        Mock Get-BitLockerKeyBackupReportFolder { $TestDrive }
        $script:Started = $null
        Mock Start-Process {
            $script:Started = @{ FilePath = $FilePath; ArgumentList = $ArgumentList; Wait = [bool]$Wait }
            $report = $ArgumentList[3]
            Set-Content -LiteralPath $report -Encoding UTF8 -Value (@{ exitCode = 1; summary = ('1 of 3 recovery keys are not in Microsoft Entra ID: C: 1F2E3D4C. Run ensure-escrow.') } | ConvertTo-Json)
            [pscustomobject]@{ ExitCode = 1 }
        }
    }

    It 'runs the app with the command, --intune and a fresh --json-out file, waits, and passes its exit code on' {
        $output = Invoke-BitLockerKeyBackup -AppPath $script:App -Command 'status'
        $output[-1] | Should -Be 1
        $output[0] | Should -Be 'exit 1: 1 of 3 recovery keys are not in Microsoft Entra ID: C: 1F2E3D4C. Run ensure-escrow.'
        $script:Started.FilePath | Should -Be $script:App
        $script:Started.Wait | Should -BeTrue
        $script:Started.ArgumentList[0..2] | Should -Be @('status', '--intune', '--json-out')
        $script:Started.ArgumentList[3] | Should -Match 'bkb-[0-9a-f]{32}\.json$'
    }

    It 'removes the report file afterwards' {
        Invoke-BitLockerKeyBackup -AppPath $script:App -Command 'ensure-escrow' | Out-Null
        Test-Path -LiteralPath $script:Started.ArgumentList[3] | Should -BeFalse
    }

    It 'says so and exits 4 when not administrator, without starting the app' {
        Mock Test-BitLockerKeyBackupAdministrator { $false }
        $output = Invoke-BitLockerKeyBackup -AppPath $script:App -Command 'status'
        $output[-1] | Should -Be 4
        $output[0] | Should -Match 'must run as administrator or SYSTEM'
        Should -Invoke Start-Process -Times 0 -Exactly
    }

    It 'says so and exits 11 when the app is not installed' {
        $output = Invoke-BitLockerKeyBackup -AppPath (Join-Path $TestDrive 'missing.exe') -Command 'status'
        $output[-1] | Should -Be 11
        Should -Invoke Start-Process -Times 0 -Exactly
    }

    It 'cuts a long summary to fit the 2,048 characters Intune keeps' {
        Mock Start-Process {
            Set-Content -LiteralPath $ArgumentList[3] -Encoding UTF8 -Value (@{ exitCode = 1; summary = ('x' * 5000) } | ConvertTo-Json)
            [pscustomobject]@{ ExitCode = 1 }
        }
        $output = Invoke-BitLockerKeyBackup -AppPath $script:App -Command 'status'
        $output[0].Length | Should -BeLessOrEqual 2048
    }

    It 'refuses any other command' {
        { Invoke-BitLockerKeyBackup -AppPath $script:App -Command 'status --reveal' } | Should -Throw
    }
}

Describe 'the detection and remediation scripts' {
    It 'run status and ensure-escrow respectively, and nothing else' {
        (Get-Content -Raw (Join-Path $script:IntuneFolder 'Detect-BitLockerKeyBackup.ps1')) | Should -Match "-Command 'status'\)"
        (Get-Content -Raw (Join-Path $script:IntuneFolder 'Remediate-BitLockerKeyBackup.ps1')) | Should -Match "-Command 'ensure-escrow'\)"
    }
}
