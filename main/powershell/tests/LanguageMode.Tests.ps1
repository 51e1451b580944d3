#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
<#
    The module under Constrained Language Mode, as WDAC or AppLocker run it on a managed PC when the policy does
    not trust it: it must refuse at import, in plain words, instead of failing each call on stderr.
#>

Describe 'BitLockerKeyBackup.psm1 under Constrained Language Mode' {
    BeforeAll {
        $script:ModuleFile = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'BitLockerKeyBackup.psm1'
    }

    It 'refuses to import, naming the language mode' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            $runspace.SessionStateProxy.LanguageMode = 'ConstrainedLanguage'
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddCommand('Import-Module').AddParameter('Name', $script:ModuleFile).AddParameter('ErrorAction', 'Stop')
            $failure = $null
            try { $null = $shell.Invoke() } catch { $failure = $_.Exception }
            $failure | Should -Not -BeNullOrEmpty
            $failure.InnerException.Message + $failure.Message | Should -Match "needs Full Language mode, and this PowerShell runs in ConstrainedLanguage"
            $shell.Dispose()
        }
        finally {
            $runspace.Dispose()
        }
    }

    It 'imports in Full Language mode' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddCommand('Import-Module').AddParameter('Name', $script:ModuleFile).AddParameter('PassThru', $true)
            @($shell.Invoke()).Count | Should -Be 1
            $shell.HadErrors | Should -BeFalse
            $shell.Dispose()
        }
        finally {
            $runspace.Dispose()
        }
    }
}
