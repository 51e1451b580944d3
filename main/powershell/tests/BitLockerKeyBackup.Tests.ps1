#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
<#
    Pester 5 tests for BitLockerKeyBackup.psm1, for Windows PowerShell 5.1 and PowerShell 7 alike.
    Every Windows command the module uses is mocked at the boundary docs/fake-windows.md lists (Win32_EncryptableVolume
    through Get-CimInstance and Invoke-CimMethod, Get-Volume, the registry, the event log, Start-Process): nothing here
    reads or changes the machine's BitLocker state.
    Each call goes through Invoke-Bkb, which calls the function the way the app does (one base64 JSON argument)
    and checks the wire rules every answer must keep: exactly one line on stdout, nothing in any PowerShell stream.
#>

BeforeAll {
    $script:ModuleFile = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'BitLockerKeyBackup.psm1'

    # Mock needs a command to replace; Windows Server images lack the BitLocker module unless the feature is
    # installed, and PowerShell 7 off Windows lacks CIM and the Storage module.
    $script:Stubs = [System.Collections.Generic.List[string]]::new()
    if (-not (Get-Command -Name Get-BitLockerVolume -ErrorAction SilentlyContinue)) {
        function global:Get-BitLockerVolume { [CmdletBinding()] param([Parameter(Position = 0)][string[]]$MountPoint) }
        $script:Stubs.Add('Get-BitLockerVolume')
    }
    if (-not (Get-Command -Name BackupToAAD-BitLockerKeyProtector -ErrorAction SilentlyContinue)) {
        function global:BackupToAAD-BitLockerKeyProtector { [CmdletBinding(SupportsShouldProcess = $true)] param([string[]]$MountPoint, [string]$KeyProtectorId) }
        $script:Stubs.Add('BackupToAAD-BitLockerKeyProtector')
    }
    if (-not (Get-Command -Name Backup-BitLockerKeyProtector -ErrorAction SilentlyContinue)) {
        function global:Backup-BitLockerKeyProtector { [CmdletBinding(SupportsShouldProcess = $true)] param([string[]]$MountPoint, [string]$KeyProtectorId) }
        $script:Stubs.Add('Backup-BitLockerKeyProtector')
    }
    if (-not (Get-Command -Name Get-Volume -ErrorAction SilentlyContinue)) {
        function global:Get-Volume { [CmdletBinding()] param([char[]]$DriveLetter, [string[]]$FilePath) }
        $script:Stubs.Add('Get-Volume')
    }
    if (-not (Get-Command -Name Get-CimInstance -ErrorAction SilentlyContinue)) {
        function global:Get-CimInstance { [CmdletBinding()] param([string]$ClassName, [string]$Namespace, [string]$Filter) }
        $script:Stubs.Add('Get-CimInstance')
    }
    if (-not (Get-Command -Name Invoke-CimMethod -ErrorAction SilentlyContinue)) {
        function global:Invoke-CimMethod { [CmdletBinding()] param($InputObject, [string]$MethodName, [System.Collections.IDictionary]$Arguments) }
        $script:Stubs.Add('Invoke-CimMethod')
    }
    if (-not (Get-Command -Name Write-EventLog -ErrorAction SilentlyContinue)) {
        function global:Write-EventLog { [CmdletBinding()] param([string]$LogName, [string]$Source, [int]$EventId, [string]$EntryType, [string]$Message) }
        $script:Stubs.Add('Write-EventLog')
    }
    if (-not (Get-Command -Name Get-WinEvent -ErrorAction SilentlyContinue)) {
        function global:Get-WinEvent { [CmdletBinding()] param([string[]]$LogName, [hashtable[]]$FilterHashtable, [long]$MaxEvents, [switch]$Oldest) }
        $script:Stubs.Add('Get-WinEvent')
    }

    $script:Id1 = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}'
    $script:Id2 = '{1B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D}'
    $script:IdTpm = '{0F0E0D0C-0B0A-4908-8706-050403020100}'
    $script:Password1 = '111111-222222-333333-444444-555555-666666-777777-888888'
    $script:Password2 = '000011-000022-000033-000044-000055-000066-000077-000088'
    # What ProtectKeyWithNumericalPassword adds in these tests: Windows' own password, which must never leave the module.
    $script:NewId = '{5E7C1A2B-3D4F-4A6B-8C9D-0A1B2C3D4E5F}'
    $script:NewPassword = '123453-234564-345675-456786-567897-679008-123453-234564'
    # A French-and-Chinese label, built from code points so the file reads the same in every PowerShell's default encoding.
    $script:UnicodeLabel = 'Donn' + [char]0x00E9 + 'es-' + [char]0x6570 + [char]0x636E
    $script:EncryptionNamespace = 'root/cimv2/Security/MicrosoftVolumeEncryption'
    # -Skip conditions are read while Pester discovers the tests, before this block runs: they test $IsWindows
    # themselves ($IsWindows -eq $false only off Windows; Windows PowerShell 5.1 has no $IsWindows).

    function ConvertTo-TestBase64 {
        param([string]$Json)
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json))
    }

    function ConvertTo-TestJsonString {
        param([string]$Value)
        ConvertTo-Json -InputObject $Value -Compress
    }

    function ConvertTo-TestHResult {
        # '0x80310000' as the uint32 a WMI method returns (PowerShell reads 0x8... literals as negative Int32).
        param([string]$Text)
        [uint32]::Parse($Text.Substring(2), [Globalization.NumberStyles]::HexNumber)
    }

    function Invoke-Bkb {
        # Calls a module function as the app does. Returns the answer line and its parsed envelope.
        param([Parameter(Mandatory = $true)][string]$Name, [string]$Json = '{}', [string]$Encoded)
        if (-not $PSBoundParameters.ContainsKey('Encoded')) { $Encoded = ConvertTo-TestBase64 -Json $Json }
        $writer = [System.IO.StringWriter]::new()
        $original = [Console]::Out
        [Console]::SetOut($writer)
        try {
            $streams = @(& $Name -Request $Encoded *>&1)
        }
        finally {
            [Console]::SetOut($original)
        }
        $streams.Count | Should -Be 0 -Because "$Name must write nothing but its JSON line"
        $text = $writer.ToString()
        $text | Should -Match '\A[^\r\n]+\r?\n\z' -Because "$Name must write exactly one line"
        $line = $text.TrimEnd()
        [pscustomobject]@{ Line = $line; Answer = (ConvertFrom-Json -InputObject $line) }
    }

    function Assert-Failure {
        param($Result, [string]$Code, $HResult = $null)
        $Result.Answer.ok | Should -BeFalse
        $Result.Answer.error.code | Should -Be $Code
        $Result.Answer.error.message | Should -Not -BeNullOrEmpty
        if ($null -eq $HResult) { $Result.Answer.error.hresult | Should -BeNullOrEmpty }
        else { $Result.Answer.error.hresult | Should -Be $HResult }
    }

    function New-TestComException {
        param([string]$HResult, [string]$Message)
        [System.Runtime.InteropServices.COMException]::new($Message, [Convert]::ToInt32($HResult.Substring(2), 16))
    }

    function New-TestCimVolume {
        <#
            A Win32_EncryptableVolume stand-in from a compact description, in WMI's numbers: Lock 0 unlocked / 1 locked;
            Protection 0 off / 1 on / 2 unknown; Conversion 0-5 (ConversionStatus); Wiping 0-3 (WipingStatus);
            Method 0-7 (EncryptionMethod);
            Protectors @(@{ Id = '{GUID}'; Type = 3; Password = '...' }) (Type 3 = numerical password);
            Fail @{ MethodName = '0x8xxxxxxx' }: that method answers with this ReturnValue instead.
            Invoke-TestCimMethod plays the methods from the TestState property, which a real instance does not have.
        #>
        param(
            $DriveLetter = 'C:',
            $VolumeType = 0,
            [int]$Lock = 0,
            [int]$Protection = 1,
            [int]$Conversion = 1,
            [int]$Percentage = 100,
            [int]$Wiping = 0,
            [int]$Method = 6,
            [object[]]$Protectors = @(),
            [hashtable]$Fail = @{}
        )
        $guid = [guid]::NewGuid().ToString()
        [pscustomobject]@{
            DeviceID           = '\\?\Volume{' + $guid + '}\'
            DriveLetter        = $DriveLetter
            VolumeType         = $VolumeType
            PersistentVolumeID = '{' + $guid.ToUpperInvariant() + '}'
            TestState          = [pscustomobject]@{
                Lock = $Lock; Protection = $Protection; Conversion = $Conversion; Percentage = $Percentage; Wiping = $Wiping; Method = $Method
                Protectors = @($Protectors); Fail = $Fail
            }
        }
    }

    function Find-TestProtector {
        param($State, $Id)
        foreach ($protector in $State.Protectors) {
            if ([string]$protector.Id -eq [string]$Id) { return $protector }
        }
        $null
    }

    function Invoke-TestCimMethod {
        # Win32_EncryptableVolume's methods as Windows answers them: ReturnValue (an HRESULT) plus the out-parameters.
        param($InputObject, [string]$MethodName, $Arguments)
        $state = $InputObject.TestState
        if ($null -eq $state) { throw 'Invoke-CimMethod was given something that is not a test volume.' }
        if ($state.Fail.ContainsKey($MethodName)) { return [pscustomobject]@{ ReturnValue = (ConvertTo-TestHResult $state.Fail[$MethodName]) } }
        $ok = [uint32]0
        $lockedVolume = ConvertTo-TestHResult '0x80310000'
        $notFound = ConvertTo-TestHResult '0x80310033'
        switch ($MethodName) {
            'GetLockStatus' { return [pscustomobject]@{ ReturnValue = $ok; LockStatus = [uint32]$state.Lock } }
            'GetProtectionStatus' { return [pscustomobject]@{ ReturnValue = $ok; ProtectionStatus = [uint32]$state.Protection } }
            'GetConversionStatus' {
                if ($state.Lock -eq 1) {
                    return [pscustomobject]@{ ReturnValue = $lockedVolume; ConversionStatus = $null; EncryptionPercentage = $null; WipingStatus = $null; WipingPercentage = $null }
                }
                return [pscustomobject]@{ ReturnValue = $ok; ConversionStatus = [uint32]$state.Conversion; EncryptionPercentage = [uint32]$state.Percentage; WipingStatus = [uint32]$state.Wiping; WipingPercentage = [uint32]0 }
            }
            'GetEncryptionMethod' { return [pscustomobject]@{ ReturnValue = $ok; EncryptionMethod = [uint32]$state.Method; SelfEncryptionDriveEncryptionMethod = '' } }
            'GetKeyProtectors' {
                $type = 0
                if ($null -ne $Arguments -and $Arguments.Contains('KeyProtectorType')) { $type = [int]$Arguments['KeyProtectorType'] }
                $ids = [System.Collections.Generic.List[string]]::new()
                foreach ($protector in $state.Protectors) {
                    if ($type -eq 0 -or [int]$protector.Type -eq $type) { $ids.Add([string]$protector.Id) }
                }
                return [pscustomobject]@{ ReturnValue = $ok; VolumeKeyProtectorID = $ids.ToArray() }
            }
            'GetKeyProtectorType' {
                $protector = Find-TestProtector -State $state -Id $Arguments['VolumeKeyProtectorID']
                if ($null -eq $protector) { return [pscustomobject]@{ ReturnValue = $notFound; KeyProtectorType = $null } }
                return [pscustomobject]@{ ReturnValue = $ok; KeyProtectorType = [uint32]$protector.Type }
            }
            'GetKeyProtectorNumericalPassword' {
                if ($state.Lock -eq 1) { return [pscustomobject]@{ ReturnValue = $lockedVolume; NumericalPassword = $null } }
                $protector = Find-TestProtector -State $state -Id $Arguments['VolumeKeyProtectorID']
                if ($null -eq $protector) { return [pscustomobject]@{ ReturnValue = $notFound; NumericalPassword = $null } }
                if ([int]$protector.Type -ne 3) { return [pscustomobject]@{ ReturnValue = (ConvertTo-TestHResult '0x80310008'); NumericalPassword = $null } }
                return [pscustomobject]@{ ReturnValue = $ok; NumericalPassword = [string]$protector.Password }
            }
            'ProtectKeyWithNumericalPassword' {
                # Windows generates the password when none is given; the out-parameter is only the new protector's id.
                if ($state.Lock -eq 1) { return [pscustomobject]@{ ReturnValue = $lockedVolume; VolumeKeyProtectorID = $null } }
                $state.Protectors = @($state.Protectors) + @(@{ Id = $script:NewId; Type = 3; Password = $script:NewPassword })
                return [pscustomobject]@{ ReturnValue = $ok; VolumeKeyProtectorID = $script:NewId.ToLowerInvariant() }
            }
            'DeleteKeyProtector' {
                if ($state.Lock -eq 1) { return [pscustomobject]@{ ReturnValue = $lockedVolume } }
                $protector = Find-TestProtector -State $state -Id $Arguments['VolumeKeyProtectorID']
                if ($null -eq $protector) { return [pscustomobject]@{ ReturnValue = $notFound } }
                $state.Protectors = @($state.Protectors | Where-Object { [string]$_.Id -ne [string]$protector.Id })
                return [pscustomobject]@{ ReturnValue = $ok }
            }
        }
        throw "Invoke-CimMethod: $MethodName is not a Win32_EncryptableVolume method this module may call."
    }

    function Select-TestEncryptableVolume {
        # Get-CimInstance for Win32_EncryptableVolume: every volume, or the one a DriveLetter filter names.
        param([string]$Namespace, [string]$Filter)
        if ($Namespace -ne $script:EncryptionNamespace) { throw "Win32_EncryptableVolume lives in $script:EncryptionNamespace, not in '$Namespace'." }
        if (-not $Filter) { return $script:TestVolumes }
        if ($Filter -cnotmatch "^DriveLetter='([A-Z]):'\z") { throw "Unexpected Win32_EncryptableVolume filter: $Filter" }
        $letter = $Matches[1] + ':'
        foreach ($volume in $script:TestVolumes) {
            if ($volume.DriveLetter -eq $letter) { $volume }
        }
    }

    function New-TestStorage {
        # A Get-Volume (MSFT_Volume) result.
        param($DriveLetter, $Label = '', $FileSystem = 'NTFS', $DriveType = 'Fixed', [uint64]$Size = 0, [uint64]$SizeRemaining = 0)
        $letter = $null
        if ($DriveLetter) { $letter = [char]$DriveLetter }
        [pscustomobject]@{ DriveLetter = $letter; FileSystemLabel = $Label; FileSystem = $FileSystem; DriveType = $DriveType; Size = $Size; SizeRemaining = $SizeRemaining }
    }

    function Select-TestStorage {
        # Get-Volume -DriveLetter X or -FilePath P from $script:TestStorage (letter -> volume) and $script:TestFilePaths (folder -> volume).
        param($DriveLetter, $FilePath)
        if ($null -ne $FilePath -and [string]@($FilePath)[0]) {
            $path = [string]@($FilePath)[0]
            if ($script:TestFilePaths.ContainsKey($path)) { return $script:TestFilePaths[$path] }
            throw "No MSFT_Volume objects found with property 'FilePath' equal to '$path'."
        }
        $letter = [string]@($DriveLetter)[0]
        if ($letter -and $script:TestStorage.ContainsKey($letter)) { return $script:TestStorage[$letter] }
        throw "No MSFT_Volume objects found with property 'DriveLetter' equal to '$letter'."
    }

    function New-TestEvent {
        # An EventLogRecord stand-in. Success events carry ProtectorGUID and VolumeMountPoint; failure events may carry
        # no protector at all, only IdentityGuid, VolumeDriveLetter and hr (829/831) or nothing about the volume (847).
        param([int]$Id, [datetime]$TimeCreated, [string]$ProtectorGuid, [string]$VolumeMountPoint, [string]$VolumeDriveLetter, [string]$Message)
        $data = ''
        if ($PSBoundParameters.ContainsKey('VolumeMountPoint')) { $data += "<Data Name='VolumeName'>$VolumeMountPoint</Data><Data Name='VolumeMountPoint'>$VolumeMountPoint</Data>" }
        if ($PSBoundParameters.ContainsKey('ProtectorGuid')) { $data += "<Data Name='ProtectorGUID'>$ProtectorGuid</Data>" }
        if ($PSBoundParameters.ContainsKey('VolumeDriveLetter')) {
            $data += "<Data Name='IdentityGuid'>{5C1E5F0E-0000-4000-8000-000000000001}</Data><Data Name='VolumePath'>\\?\Volume{6d1b5c2e-0000-0000-0000-100000000000}</Data>"
            $data += "<Data Name='VolumeDriveLetter'>$VolumeDriveLetter</Data><Data Name='hr'>0x80072ee7</Data>"
        }
        $record = [pscustomobject]@{
            Id          = $Id
            TimeCreated = $TimeCreated
            Message     = $Message
            EventXml    = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>$Id</EventID></System><EventData>$data</EventData></Event>"
        }
        # EventLogRecord.ToXml() is a method; the stand-in gets one too.
        $record | Add-Member -MemberType ScriptMethod -Name ToXml -Value { $this.EventXml } -PassThru
    }

    Import-Module -Name $script:ModuleFile -Force
}

AfterAll {
    Remove-Module -Name BitLockerKeyBackup -Force -ErrorAction SilentlyContinue
    foreach ($name in $script:Stubs) { Remove-Item -LiteralPath "Function:\$name" -Force -ErrorAction SilentlyContinue }
}

Describe 'BitLockerKeyBackup.psm1 source' {
    BeforeAll {
        $script:Source = Get-Content -LiteralPath $script:ModuleFile -Raw
        $tokens = $null
        $parseErrors = $null
        $script:Ast = [System.Management.Automation.Language.Parser]::ParseFile($script:ModuleFile, [ref]$tokens, [ref]$parseErrors)
        $script:ParseErrors = $parseErrors
        $script:Exported = @(
            'Add-BkbRecoveryPassword', 'Backup-BkbToActiveDirectory', 'Backup-BkbToEntra', 'Get-BkbBackupEvents', 'Get-BkbEnvironment',
            'Get-BkbKeyHistory', 'Get-BkbPathInfo', 'Get-BkbRecoveryPassword', 'Get-BkbVolumeRoot', 'Get-BkbVolumes', 'Open-BkbBitLockerPanel',
            'Remove-BkbRecoveryPassword', 'Start-BkbElevated', 'Write-BkbAuditEvent', 'Get-BkbAuditEvents'
        )
    }

    It 'parses without errors' {
        $script:ParseErrors | Should -BeNullOrEmpty
    }

    It 'never uses Invoke-Expression, iex, Add-Type or script blocks built from strings' {
        $script:Source | Should -Not -Match '(?i)\bInvoke-Expression\b|\biex\b|\bAdd-Type\b|\[scriptblock\]::Create|NewScriptBlock'
    }

    It 'uses the call operator only on the handler script block' {
        $calls = $script:Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.InvocationOperator -eq 'Ampersand' }, $true)
        foreach ($call in $calls) {
            $call.CommandElements[0].Extent.Text | Should -Be '$Handler'
        }
    }

    It 'writes to no PowerShell stream and starts no transcript' {
        $forbidden = 'Write-Host', 'Write-Output', 'Write-Error', 'Write-Warning', 'Write-Verbose', 'Write-Debug',
            'Write-Information', 'Write-Progress', 'Out-Host', 'Out-Default', 'Start-Transcript'
        $commands = $script:Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() }
        foreach ($name in $forbidden) { $commands | Should -Not -Contain $name }
    }

    It 'never calls Get-BitLockerVolume, which reads every recovery password of every volume' {
        $commands = @($script:Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() })
        $commands | Should -Not -Contain 'Get-BitLockerVolume'
        $commands | Should -Contain 'Invoke-CimMethod'
    }

    It 'uses no syntax that Windows PowerShell 5.1 lacks' {
        # ?. ?? ??= ternaries and && || chains parse only in PowerShell 7; so does ForEach-Object -Parallel's intent.
        $newer = $script:Ast.FindAll({
                param($node)
                $type = $node.GetType().Name
                ($type -eq 'TernaryExpressionAst' -or $type -eq 'PipelineChainAst') -or
                ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and [string]$node.Operator -eq 'QuestionQuestion') -or
                ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and [string]$node.Operator -eq 'QuestionQuestionEquals') -or
                ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $null -ne $node.PSObject.Properties['NullConditional'] -and $node.NullConditional)
            }, $true)
        @($newer | ForEach-Object { $_.Extent.Text }) | Should -BeNullOrEmpty
        $script:Source | Should -Not -Match '(?i)-Parallel\b|IsPathFullyQualified|\$PSStyle|::Clamp\('
    }

    It 'exports exactly the module functions' {
        $module = Get-Module -Name BitLockerKeyBackup
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @($script:Exported | Sort-Object)
        $module.ExportedFunctions.ContainsKey('Invoke-BkbCall') | Should -BeFalse
    }

    It '<_> takes one mandatory string -Request and documents it' -ForEach @(
        'Add-BkbRecoveryPassword', 'Backup-BkbToActiveDirectory', 'Backup-BkbToEntra', 'Get-BkbBackupEvents', 'Get-BkbEnvironment',
        'Get-BkbKeyHistory', 'Get-BkbPathInfo', 'Get-BkbRecoveryPassword', 'Get-BkbVolumeRoot', 'Get-BkbVolumes', 'Open-BkbBitLockerPanel',
        'Remove-BkbRecoveryPassword', 'Start-BkbElevated', 'Write-BkbAuditEvent', 'Get-BkbAuditEvents'
    ) {
        $name = $_
        $definition = $script:Ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $name }, $true)
        $parameters = @($definition.Body.ParamBlock.Parameters)
        $parameters.Count | Should -Be 1
        $parameters[0].Name.VariablePath.UserPath | Should -Be 'Request'
        $parameters[0].StaticType | Should -Be ([string])
        $request = (Get-Command -Name $name -Module BitLockerKeyBackup).Parameters['Request']
        @($request.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.Mandatory }).Count | Should -Be 1
        $help = $definition.GetHelpContent()
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Parameters.Keys | Where-Object { $_ -eq 'Request' }).Count | Should -Be 1
        $help.Outputs | Should -Not -BeNullOrEmpty
    }

    It 'documents each request with exactly the fields module-api.ts names' -ForEach @(
        @{ Name = 'Get-BkbBackupEvents'; Fields = 'mountPoint: "C:", keyProtectorId: "{GUID}", since: ISO 8601 time, ids: [1 to 16 event ids]' }
        @{ Name = 'Start-BkbElevated'; Fields = 'arguments: string[]' }
        @{ Name = 'Open-BkbBitLockerPanel'; Fields = 'mountPoint: "C:"' }
        @{ Name = 'Get-BkbKeyHistory'; Fields = 'ids: [1 to 32 event ids]' }
        @{ Name = 'Add-BkbRecoveryPassword'; Fields = 'mountPoint: "C:"' }
        @{ Name = 'Remove-BkbRecoveryPassword'; Fields = 'mountPoint: "C:", keyProtectorId: "{GUID}"' }
        @{ Name = 'Write-BkbAuditEvent'; Fields = 'action: "backup"|"add"|"remove"|"reveal", outcome: "succeeded"|"partial"|"failed", mountPoint: "C:"|null, keyProtectorIds: ["{GUID}", at most 64], destination: "entra"|"activeDirectory"|"microsoftAccount"|"file"|"usb"|"pdf"|"print"|null' }
        @{ Name = 'Get-BkbAuditEvents'; Fields = 'since: ISO 8601 time' }
    ) {
        $definition = $script:Ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $Name }, $true)
        ($definition.GetHelpContent().Parameters['REQUEST'] -replace '\s+', ' ') | Should -Match ([regex]::Escape('{' + $Fields + '}'))
    }

    It 'writes its audit trail under the very event source the installer registers' {
        # assets/installer.nsh creates the source's key; an entry under any other name would not be written.
        $installer = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../../assets/installer.nsh') -Raw
        $installer -match '(?m)^!define BKB_EVENT_SOURCE_KEY "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\([^"\\]+)"\r?$' | Should -BeTrue
        $registered = $Matches[1]
        InModuleScope BitLockerKeyBackup -Parameters @{ Registered = $registered } {
            $script:AuditSource | Should -BeExactly $Registered
            $script:AuditSourceKey | Should -BeExactly ('HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\' + $Registered)
        }
    }

    It 'writes nothing while being imported' {
        $writer = [System.IO.StringWriter]::new()
        $original = [Console]::Out
        [Console]::SetOut($writer)
        try { $streams = @(Import-Module -Name $script:ModuleFile -Force *>&1) }
        finally { [Console]::SetOut($original) }
        $streams.Count | Should -Be 0
        $writer.ToString() | Should -BeNullOrEmpty
    }
}

Describe 'BitLockerKeyBackup boundary primitives' {
    It 'Invoke-BkbDsregcmd answers nothing where Windows has no dsregcmd' -Skip:($IsWindows -ne $false) {
        InModuleScope BitLockerKeyBackup {
            $answer = Invoke-BkbDsregcmd
            $null -eq $answer | Should -BeTrue
        }
    }

    Context 'Invoke-BkbDsregcmd running a stand-in dsregcmd' -Skip:($IsWindows -ne $false) {
        # Off Windows, %SystemRoot%\System32\dsregcmd.exe can be a shell script: the primitive runs it for real.
        BeforeAll {
            $script:SavedSystemRoot = $env:SystemRoot
            $system32 = Join-Path -Path $TestDrive -ChildPath 'System32'
            $null = New-Item -ItemType Directory -Path $system32 -Force
            $script:Dsregcmd = Join-Path -Path $system32 -ChildPath 'dsregcmd.exe'
            $script:DsregcmdOutput = Join-Path -Path $system32 -ChildPath 'stdout.bin'
            $env:SystemRoot = [string]$TestDrive
        }

        AfterAll {
            $env:SystemRoot = $script:SavedSystemRoot
        }

        It 'hands over its stdout byte for byte and nothing of its stderr' {
            $text = "       AzureAdJoined : YES`r`n          TenantName : Contoso " + [char]0x00DC + "n" + [char]0x00EF + "c" + [char]0x00F8 + "d" + [char]0x00E9 + "`r`n"
            $expected = [byte[]](@(0xFF, 0xFE) + [Text.Encoding]::Unicode.GetBytes($text))
            [IO.File]::WriteAllBytes($script:DsregcmdOutput, $expected)
            Set-Content -LiteralPath $script:Dsregcmd -Value "#!/bin/sh`necho 'dsregcmd: something on stderr' >&2`nexec cat '$($script:DsregcmdOutput)'"
            chmod +x -- $script:Dsregcmd
            $all = @(InModuleScope BitLockerKeyBackup { , (Invoke-BkbDsregcmd) } *>&1)
            $all.Count | Should -Be 1
            ($all[0] -is [byte[]]) | Should -BeTrue
            [Convert]::ToBase64String($all[0]) | Should -Be ([Convert]::ToBase64String($expected))
        }

        It 'gives up after 10 seconds' {
            Set-Content -LiteralPath $script:Dsregcmd -Value "#!/bin/sh`nexec sleep 60"
            chmod +x -- $script:Dsregcmd
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { InModuleScope BitLockerKeyBackup { Invoke-BkbDsregcmd } } | Should -Throw '*did not finish in time*'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        }
    }

    It 'decodes <Case>' -TestCases @(
        @{ Case = 'UTF-8 with a byte order mark'; Bytes = @(0xEF, 0xBB, 0xBF, 0x41, 0xC3, 0x9C); Text = 'A' + [char]0x00DC }
        @{ Case = 'UTF-16 LE with a byte order mark'; Bytes = @(0xFF, 0xFE, 0x41, 0x00, 0xDC, 0x00); Text = 'A' + [char]0x00DC }
        @{ Case = 'UTF-16 LE without one'; Bytes = @(0x41, 0x00, 0x3A, 0x00, 0x70, 0x65); Text = 'A:' + [char]0x6570 }
        @{ Case = 'plain ASCII'; Bytes = @(0x41, 0x20, 0x3A, 0x20, 0x42); Text = 'A : B' }
        @{ Case = 'nothing'; Bytes = @(); Text = '' }
    ) {
        $decoded = InModuleScope BitLockerKeyBackup -Parameters @{ Bytes = [byte[]]$Bytes } { param($Bytes) ConvertFrom-BkbDsregcmdOutput -Bytes $Bytes }
        $decoded | Should -BeExactly $Text
    }
}

Describe 'Get-BkbLinkTarget: where a junction or symbolic link leads' {
    It 'answers <Expected> for a link whose target reads <Target>' -TestCases @(
        @{ Target = 'C:\Users\me'; Expected = 'C:\Users\me' }
        @{ Target = '\??\C:\'; Expected = 'C:\' }
        @{ Target = '\\?\UNC\nas\keys'; Expected = '\\nas\keys' }
        @{ Target = '\\nas\keys\bkb'; Expected = '\\nas\keys\bkb' }
        @{ Target = '..\elsewhere'; Expected = '?' }
        @{ Target = '\\.\PhysicalDrive0'; Expected = '?' }
    ) {
        $answer = InModuleScope BitLockerKeyBackup -Parameters @{ Target = $Target } {
            param($Target)
            Mock Get-Item { [pscustomobject]@{ Attributes = [System.IO.FileAttributes]'Directory, ReparsePoint'; Target = @($Target) } }
            Get-BkbLinkTarget -Path 'E:\j'
        }
        $answer | Should -Be $Expected
    }

    It 'answers nothing for <Case>' -TestCases @(
        @{ Case = 'a folder a volume is mounted in (Get-Volume -FilePath finds its volume)'; Item = [pscustomobject]@{ Attributes = [System.IO.FileAttributes]'Directory, ReparsePoint'; Target = @('\\?\Volume{6A1F0C3E-92B4-4D7E-8C05-1B2A3F4E5D6C}\') } }
        @{ Case = 'a plain folder'; Item = [pscustomobject]@{ Attributes = [System.IO.FileAttributes]'Directory'; Target = @() } }
        @{ Case = 'a folder that is not there'; Item = $null }
    ) {
        $answer = InModuleScope BitLockerKeyBackup -Parameters @{ Item = $Item } {
            param($Item)
            Mock Get-Item { $Item }
            Get-BkbLinkTarget -Path 'E:\j'
        }
        $null -eq $answer | Should -BeTrue
    }
}

Describe 'BitLockerKeyBackup functions' {
    BeforeEach {
        # Every Windows dependency refuses unless a test says otherwise; Win32_EncryptableVolume and Get-Volume answer
        # from $script:TestVolumes, $script:TestStorage and $script:TestFilePaths, empty unless a context fills them.
        $script:TestVolumes = @()
        $script:TestStorage = @{}
        $script:TestFilePaths = @{}
        Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $true }
        Mock -ModuleName BitLockerKeyBackup Test-BkbBitLockerModule { $true }
        Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { }
        Mock -ModuleName BitLockerKeyBackup Get-CimInstance { throw 'Get-CimInstance is not mocked for this query.' }
        Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
            Select-TestEncryptableVolume -Namespace $Namespace -Filter $Filter
        }
        Mock -ModuleName BitLockerKeyBackup Invoke-CimMethod -RemoveParameterType InputObject {
            Invoke-TestCimMethod -InputObject $InputObject -MethodName $MethodName -Arguments $Arguments
        }
        Mock -ModuleName BitLockerKeyBackup Get-Volume { Select-TestStorage -DriveLetter $DriveLetter -FilePath $FilePath }
        Mock -ModuleName BitLockerKeyBackup Get-ItemProperty { throw 'Get-ItemProperty is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Get-ItemPropertyValue { throw 'Get-ItemPropertyValue is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume { throw 'Get-BitLockerVolume must not be called.' }
        Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector { throw 'BackupToAAD-BitLockerKeyProtector is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector { throw 'Backup-BitLockerKeyProtector is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Get-WinEvent { throw 'Get-WinEvent is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Write-EventLog { throw 'Write-EventLog is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Start-Process { throw 'Start-Process is not mocked.' }
    }

    Context 'Request decoding (shared by every function)' {
        It 'refuses <Case>' -TestCases @(
            @{ Case = 'text that is not base64'; Encoded = 'not base64!' }
            @{ Case = 'an empty request'; Encoded = '' }
            @{ Case = 'base64 of something that is not JSON'; Encoded = 'aGVsbG8=' }
            @{ Case = 'a JSON array'; Encoded = 'W3t9XQ==' }
            @{ Case = 'JSON null'; Encoded = 'bnVsbA==' }
        ) {
            $result = Invoke-Bkb -Name Get-BkbVolumes -Encoded $Encoded
            Assert-Failure -Result $result -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses unknown fields, even where none are expected' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbEnvironment -Json '{"verbose":true}') -Code 'InvalidArgument'
        }

        It 'refuses field names that differ only in case' {
            $json = '{"MountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'InvalidArgument'
        }
    }

    Context 'Get-BkbEnvironment' {
        BeforeAll {
            # Contoso Unicode with diaereses, a slashed o and an acute e; Munich's German name with an U-umlaut.
            $script:Tenant = 'Contoso ' + [char]0x00DC + 'n' + [char]0x00EF + 'c' + [char]0x00F8 + 'd' + [char]0x00E9
            $script:Domain = 'M' + [char]0x00DC + 'NCHEN'
            # The OEM code pages of Western Windows (437, 850) have no slashed o: an o-umlaut instead.
            $script:OemTenant = 'Contoso ' + [char]0x00DC + 'n' + [char]0x00EF + 'c' + [char]0x00F6 + 'd' + [char]0x00E9

            function New-TestDsregcmdText {
                param([string]$AzureAdJoined = 'YES', [string]$DomainJoined = 'YES', [string]$DomainName = 'CONTOSO', [string]$TenantName = 'Contoso Ltd')
                @(
                    '+----------------------------------------------------------------------+'
                    '| Device State                                                         |'
                    '+----------------------------------------------------------------------+'
                    ''
                    "             AzureAdJoined : $AzureAdJoined"
                    '          EnterpriseJoined : NO'
                    "              DomainJoined : $DomainJoined"
                    "                DomainName : $DomainName"
                    '               Device Name : pc01.contoso.com'
                    ''
                    '+----------------------------------------------------------------------+'
                    '| Tenant Details                                                       |'
                    '+----------------------------------------------------------------------+'
                    ''
                    "                TenantName : $TenantName"
                    '                  TenantId : 72f988bf-86f1-41af-91ab-2d7cd011db47'
                    ''
                ) -join "`r`n"
            }

            function ConvertTo-TestBytes {
                param([string]$Text, [string]$Encoding)
                switch ($Encoding) {
                    'UTF-8' { return , [Text.UTF8Encoding]::new($false).GetBytes($Text) }
                    'UTF-16 LE' { return , [Text.Encoding]::Unicode.GetBytes($Text) }
                    'UTF-16 LE with BOM' { return , [byte[]](@(0xFF, 0xFE) + [Text.Encoding]::Unicode.GetBytes($Text)) }
                    'OEM' { return , [Text.Encoding]::GetEncoding([Globalization.CultureInfo]::CurrentCulture.TextInfo.OEMCodePage).GetBytes($Text) }
                }
                throw "Unknown encoding $Encoding"
            }
        }

        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ Name = 'PC-01'; PartOfDomain = $false; Domain = 'WORKGROUP' }
            }
            # The registry's EditionID; $null stands for a value that cannot be read.
            $script:EditionId = 'Professional'
            Mock -ModuleName BitLockerKeyBackup Get-ItemPropertyValue -ParameterFilter {
                $LiteralPath -contains 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -and $Name -contains 'EditionID'
            } {
                if ($null -eq $script:EditionId) { throw 'Property EditionID does not exist at path HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion.' }
                $script:EditionId
            }
            # MDM enrollments as Get-ItemProperty lists the values of each key under Enrollments: none by default.
            $script:Enrollments = @()
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $Path -contains 'HKLM:\SOFTWARE\Microsoft\Enrollments\*' } { $script:Enrollments }
        }

        It 'reports the join state parsed from dsregcmd /status, the EditionID and the computer name' {
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { , (ConvertTo-TestBytes -Text (New-TestDsregcmdText) -Encoding 'UTF-8') }
            $result = Invoke-Bkb -Name Get-BkbEnvironment
            $expected = '{"ok":true,"data":{"computerName":"PC-01","elevated":true,"edition":"Professional","entraJoined":true,' +
                '"domainJoined":true,"domainName":"CONTOSO","tenantName":"Contoso Ltd","bitLockerModule":true,"intuneManaged":false,"powerShellVersion":' +
                (ConvertTo-TestJsonString $PSVersionTable.PSVersion.ToString()) + '}}'
            $result.Line | Should -Be $expected
            Should -Invoke -CommandName Get-ItemPropertyValue -ModuleName BitLockerKeyBackup -Times 1 -Exactly
        }

        It 'decodes a non-ASCII tenant and domain name that dsregcmd wrote as <_>' -ForEach @('UTF-8', 'UTF-16 LE', 'UTF-16 LE with BOM', 'OEM') {
            $encoding = $_
            $tenant = $script:Tenant
            if ($encoding -eq 'OEM') {
                $tenant = $script:OemTenant
                $oem = [Text.Encoding]::GetEncoding([Globalization.CultureInfo]::CurrentCulture.TextInfo.OEMCodePage)
                if ($oem.GetString($oem.GetBytes($tenant + $script:Domain)) -ne ($tenant + $script:Domain)) {
                    Set-ItResult -Skipped -Because "the OEM code page $($oem.CodePage) cannot write these letters"
                    return
                }
            }
            $script:DsregcmdBytes = ConvertTo-TestBytes -Text (New-TestDsregcmdText -DomainName $script:Domain -TenantName $tenant) -Encoding $encoding
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { , $script:DsregcmdBytes }
            $data = (Invoke-Bkb -Name Get-BkbEnvironment).Answer.data
            $data.tenantName | Should -BeExactly $tenant
            $data.domainName | Should -BeExactly $script:Domain
            $data.entraJoined | Should -BeTrue
            $data.domainJoined | Should -BeTrue
        }

        It 'accepts dsregcmd output handed over byte by byte' {
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { ConvertTo-TestBytes -Text (New-TestDsregcmdText -AzureAdJoined 'NO') -Encoding 'UTF-8' }
            $data = (Invoke-Bkb -Name Get-BkbEnvironment).Answer.data
            $data.entraJoined | Should -BeFalse
            $data.domainName | Should -Be 'CONTOSO'
        }

        It 'reports Entra join as unknown when dsregcmd <Case>, and the domain from Win32_ComputerSystem' -TestCases @(
            @{ Case = 'times out'; Fails = $true }
            @{ Case = 'is missing'; Fails = $false }
        ) {
            if ($Fails) { Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { throw 'dsregcmd /status did not finish in time.' } }
            else { Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { } }
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ Name = 'PC-02'; PartOfDomain = $true; Domain = 'corp.contoso.com' }
            }
            $result = Invoke-Bkb -Name Get-BkbEnvironment
            $result.Line | Should -Match '"entraJoined":null,"domainJoined":true,"domainName":"corp\.contoso\.com","tenantName":null,'
            $result.Answer.data.computerName | Should -Be 'PC-02'
        }

        It 'reports Entra join as unknown when dsregcmd says nothing about it' {
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { , [Text.Encoding]::UTF8.GetBytes("The device is not ready.`r`n") }
            (Invoke-Bkb -Name Get-BkbEnvironment).Line | Should -Match '"entraJoined":null,"domainJoined":false,"domainName":null,'
        }

        It 'takes the computer name from the environment when Win32_ComputerSystem fails, and the edition as null when unreadable' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } { throw 'WMI is broken.' }
            $script:EditionId = $null
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Mock -ModuleName BitLockerKeyBackup Test-BkbBitLockerModule { $false }
            $expectedName = $env:COMPUTERNAME
            if (-not $expectedName) { $expectedName = [Environment]::MachineName }
            $result = Invoke-Bkb -Name Get-BkbEnvironment
            $result.Answer.data.computerName | Should -Be $expectedName
            $result.Line | Should -Match '"elevated":false,"edition":null,"entraJoined":null,"domainJoined":false,"domainName":null,"tenantName":null,"bitLockerModule":false,'
        }

        It 'reports the Home EditionID as it is' {
            $script:EditionId = 'Core'
            (Invoke-Bkb -Name Get-BkbEnvironment).Answer.data.edition | Should -Be 'Core'
        }

        It 'reports intuneManaged <Expected> when the Enrollments key holds <Case>' -TestCases @(
            @{ Case = 'an Intune (MS DM Server) enrollment in state 1'; Expected = $true; Keys = @(@{ PSChildName = 'Context' }, @{ PSChildName = '{0D0C7E2B-1A3F-4B5C-9D8E-7F6A5B4C3D2E}'; ProviderID = 'MS DM Server'; EnrollmentState = 1; EnrollmentType = 6 }) }
            @{ Case = 'an Intune enrollment that did not complete'; Expected = $false; Keys = @(@{ PSChildName = '{0D0C7E2B-1A3F-4B5C-9D8E-7F6A5B4C3D2E}'; ProviderID = 'MS DM Server'; EnrollmentState = 3 }) }
            @{ Case = 'another management service''s enrollment'; Expected = $false; Keys = @(@{ PSChildName = '{6B5A4C3D-2E1F-4A0B-9C8D-7E6F5A4B3C2D}'; ProviderID = 'WMI_Bridge_Server'; EnrollmentState = 1 }) }
            @{ Case = 'keys without values'; Expected = $false; Keys = @() }
        ) {
            $script:Enrollments = @($Keys | ForEach-Object { [pscustomobject]$_ })
            (Invoke-Bkb -Name Get-BkbEnvironment).Line | Should -Match ('"intuneManaged":' + $Expected.ToString().ToLowerInvariant() + ',')
            Should -Invoke -CommandName Get-ItemProperty -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $Path -contains 'HKLM:\SOFTWARE\Microsoft\Enrollments\*' }
        }

        It 'reports intuneManaged false when the PC has no Enrollments key at all' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $Path -contains 'HKLM:\SOFTWARE\Microsoft\Enrollments\*' } {
                throw [System.Management.Automation.ItemNotFoundException]::new('Cannot find path ''HKLM:\SOFTWARE\Microsoft\Enrollments'' because it does not exist.')
            }
            (Invoke-Bkb -Name Get-BkbEnvironment).Line | Should -Match '"intuneManaged":false,'
        }

        It 'reports intuneManaged null when the Enrollments key cannot be read' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $Path -contains 'HKLM:\SOFTWARE\Microsoft\Enrollments\*' } {
                throw [System.Security.SecurityException]::new('Requested registry access is not allowed.')
            }
            (Invoke-Bkb -Name Get-BkbEnvironment).Line | Should -Match '"intuneManaged":null,'
        }
    }

    Context 'Get-BkbVolumes' {
        BeforeEach {
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'E:' -VolumeType 2 -Protection 0 -Conversion 0 -Percentage 0 -Method 0)
                (New-TestCimVolume -DriveLetter $null -VolumeType 1 -Protectors @(@{ Id = '{6D1B5C2E-0000-4000-8000-100000000000}'; Type = 3; Password = $script:Password2 }))
                (New-TestCimVolume -DriveLetter 'C:' -VolumeType 0 -Method 7 -Protectors @(
                        @{ Id = $script:IdTpm; Type = 1 },
                        @{ Id = $script:Id1; Type = 3; Password = $script:Password1 }))
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 1 -Lock 1 -Method 6 -Protectors @(@{ Id = $script:Id2; Type = 3; Password = $script:Password2 }))
            )
            $script:TestStorage = @{
                'C' = New-TestStorage -DriveLetter 'C' -Label 'Windows' -FileSystem 'NTFS' -DriveType 'Fixed' -Size ([uint64](475.7 * 1GB)) -SizeRemaining 123456789012
                'D' = New-TestStorage -DriveLetter 'D' -Label '' -FileSystem '' -DriveType 'Fixed' -Size ([uint64](931.5 * 1GB)) -SizeRemaining 0
                'E' = New-TestStorage -DriveLetter 'E' -Label $script:UnicodeLabel -FileSystem 'FAT32' -DriveType 'Removable' -Size ([uint64](29.3 * 1GB)) -SizeRemaining 1048576
            }
        }

        It 'lists the system drive exactly as the contract says' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $c = '{"mountPoint":"C:","label":"Windows","driveType":"OperatingSystem","capacityGB":475.7,"fileSystem":"NTFS",' +
                '"volumeStatus":"FullyEncrypted","protectionStatus":"On","lockStatus":"Unlocked","encryptionMethod":"XtsAes256",' +
                '"encryptionPercentage":100,"keyProtectors":[{"keyProtectorId":"' + $script:IdTpm + '","keyProtectorType":"Tpm"},' +
                '{"keyProtectorId":"' + $script:Id1 + '","keyProtectorType":"RecoveryPassword"}],"freeSpaceBytes":123456789012}'
            $result.Line | Should -Match ('^' + [regex]::Escape('{"ok":true,"data":{"volumes":[' + $c + ',{'))
        }

        It 'lists lettered volumes sorted by mount point, with exactly the contract fields' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $result.Answer.ok | Should -BeTrue
            $volumes = @($result.Answer.data.volumes)
            @($volumes.mountPoint) | Should -Be @('C:', 'D:', 'E:')
            $expected = @('capacityGB', 'driveType', 'encryptionMethod', 'encryptionPercentage', 'fileSystem', 'freeSpaceBytes',
                'keyProtectors', 'label', 'lockStatus', 'mountPoint', 'protectionStatus', 'volumeStatus' | Sort-Object)
            foreach ($volume in $volumes) {
                @($volume.PSObject.Properties.Name | Sort-Object) | Should -Be $expected
                foreach ($protector in @($volume.keyProtectors)) {
                    @($protector.PSObject.Properties.Name | Sort-Object) | Should -Be @('keyProtectorId', 'keyProtectorType')
                }
            }
        }

        It 'never calls Get-BitLockerVolume and never reads a recovery password' {
            $line = (Invoke-Bkb -Name Get-BkbVolumes).Line
            $line | Should -Match '^\{"ok":true,'
            $line | Should -Not -Match ([regex]::Escape($script:Password1))
            $line | Should -Not -Match '\d{6}-\d{6}-\d{6}'
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $ClassName -eq 'Win32_EncryptableVolume' -and $Namespace -eq 'root/cimv2/Security/MicrosoftVolumeEncryption' -and -not $Filter
            }
        }

        It 'turns ConversionStatus <Number> with WipingStatus <Wiping> into <Name>' -TestCases @(
            @{ Number = 0; Wiping = 0; Name = 'FullyDecrypted' }
            @{ Number = 1; Wiping = 0; Name = 'FullyEncrypted' }
            @{ Number = 1; Wiping = 1; Name = 'FullyEncrypted' }
            @{ Number = 1; Wiping = 2; Name = 'FullyEncryptedWipeInProgress' }
            @{ Number = 1; Wiping = 3; Name = 'FullyEncryptedWipeSuspended' }
            @{ Number = 2; Wiping = 0; Name = 'EncryptionInProgress' }
            @{ Number = 3; Wiping = 0; Name = 'DecryptionInProgress' }
            @{ Number = 4; Wiping = 0; Name = 'EncryptionSuspended' }
            @{ Number = 5; Wiping = 0; Name = 'DecryptionSuspended' }
        ) {
            $script:TestVolumes = @(New-TestCimVolume -DriveLetter 'C:' -Conversion $Number -Wiping $Wiping -Percentage 45)
            $c = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)[0]
            $c.volumeStatus | Should -Be $Name
            $c.encryptionPercentage | Should -Be 45
        }

        It 'names key protector types as the BitLocker module does' {
            $ids = @(1..10 | ForEach-Object { '{00000000-0000-4000-8000-0000000000' + $_.ToString('00') + '}' })
            $protectors = @(0..9 | ForEach-Object { @{ Id = $ids[$_]; Type = $_ + 1 } })
            $script:TestVolumes = @(New-TestCimVolume -DriveLetter 'C:' -Protectors $protectors)
            $c = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)[0]
            @($c.keyProtectors.keyProtectorType) | Should -Be @('Tpm', 'ExternalKey', 'RecoveryPassword', 'TpmPin', 'TpmStartupKey',
                'TpmPinStartupKey', 'PublicKey', 'Password', 'TpmNetworkKey', 'AdAccountOrGroup')
            @($c.keyProtectors.keyProtectorId) | Should -Be $ids
        }

        It 'reads the other volumes right' {
            $volumes = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)
            $e = $volumes[2]
            $e.driveType | Should -Be 'Removable'
            $e.volumeStatus | Should -Be 'FullyDecrypted'
            $e.protectionStatus | Should -Be 'Off'
            $e.lockStatus | Should -Be 'Unlocked'
            $e.encryptionMethod | Should -Be 'None'
            $e.encryptionPercentage | Should -Be 0
            $e.capacityGB | Should -Be 29.3
            $e.label | Should -Be $script:UnicodeLabel
            $e.fileSystem | Should -Be 'FAT32'
            $e.freeSpaceBytes | Should -Be 1048576
        }

        It 'reports a locked volume without status, percentage or free space, with its protectors' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $d = '{"mountPoint":"D:","label":null,"driveType":"Fixed","capacityGB":931.5,"fileSystem":null,"volumeStatus":null,' +
                '"protectionStatus":"On","lockStatus":"Locked","encryptionMethod":"XtsAes128","encryptionPercentage":null,' +
                '"keyProtectors":[{"keyProtectorId":"' + $script:Id2 + '","keyProtectorType":"RecoveryPassword"}],"freeSpaceBytes":null}'
            $result.Line | Should -Match ([regex]::Escape('},' + $d + ',{'))
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'keeps one-item and empty arrays as JSON arrays' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $result.Line | Should -Match ('"keyProtectors":\[\{"keyProtectorId":"' + [regex]::Escape($script:Id2) + '","keyProtectorType":"RecoveryPassword"\}\]')
            $result.Line | Should -Match '"keyProtectors":\[\]'
            (@($result.Answer.data.volumes)[1].keyProtectors -is [array]) | Should -BeTrue
        }

        It 'keeps a single volume in an array' {
            $script:TestVolumes = @(New-TestCimVolume -DriveLetter 'C:')
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $result.Line | Should -Match '^\{"ok":true,"data":\{"volumes":\[\{"mountPoint":"C:"'
            ($result.Answer.data.volumes -is [array]) | Should -BeTrue
        }

        It 'answers an empty list when BitLocker has no volume to offer' {
            $script:TestVolumes = @()
            (Invoke-Bkb -Name Get-BkbVolumes).Line | Should -Be '{"ok":true,"data":{"volumes":[]}}'
        }

        It 'falls back to the system drive and Get-Volume when WMI gives no volume type' {
            foreach ($volume in $script:TestVolumes) { $volume.VolumeType = $null }
            $saved = $env:SystemDrive
            $env:SystemDrive = 'C:'
            try {
                @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes.driveType) | Should -Be @('OperatingSystem', 'Fixed', 'Removable')
            }
            finally {
                $env:SystemDrive = $saved
            }
        }

        It 'still lists a volume whose label, size and free space cannot be read' {
            $script:TestStorage.Remove('C')
            $c = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)[0]
            $c.mountPoint | Should -Be 'C:'
            $c.label | Should -BeNullOrEmpty
            $c.fileSystem | Should -BeNullOrEmpty
            $c.capacityGB | Should -BeNullOrEmpty
            $c.freeSpaceBytes | Should -BeNullOrEmpty
            $c.volumeStatus | Should -Be 'FullyEncrypted'
        }

        It 'checks every method''s ReturnValue: a volume whose <_> fails is left out' -ForEach @(
            'GetLockStatus', 'GetProtectionStatus', 'GetConversionStatus', 'GetEncryptionMethod', 'GetKeyProtectors', 'GetKeyProtectorType'
        ) {
            $script:TestVolumes[2].TestState.Fail[$_] = '0x80070015'
            @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes.mountPoint) | Should -Be @('D:', 'E:')
        }

        It 'fails with the method''s HRESULT when no volume can be read' {
            foreach ($volume in $script:TestVolumes) { $volume.TestState.Fail['GetKeyProtectors'] = '0x80070015' }
            $result = Invoke-Bkb -Name Get-BkbVolumes
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x80070015'
            $result.Answer.error.message | Should -Match 'GetKeyProtectors'
        }

        It 'refuses when not elevated, before touching BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $result = Invoke-Bkb -Name Get-BkbVolumes
            Assert-Failure -Result $result -Code 'NotElevated' -HResult '0x80041003'
            $result.Answer.error.message | Should -Be 'Reading BitLocker volumes needs administrator rights.'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses when the BitLocker module is missing' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbBitLockerModule { $false }
            $result = Invoke-Bkb -Name Get-BkbVolumes
            Assert-Failure -Result $result -Code 'BitLockerModuleMissing'
            $result.Answer.error.message | Should -Match 'BitLocker PowerShell module is not installed on this edition of Windows'
        }

        It 'reports a WMI refusal in an elevated process as CmdletFailed with its HRESULT' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
                throw (New-TestComException -HResult '0x80041003' -Message 'Access denied')
            }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumes) -Code 'CmdletFailed' -HResult '0x80041003'
        }
    }

    Context 'Get-BkbRecoveryPassword' {
        BeforeEach {
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'C:' -Protectors @(
                        @{ Id = $script:IdTpm; Type = 1 },
                        @{ Id = $script:Id1; Type = 3; Password = $script:Password1 },
                        @{ Id = $script:Id2; Type = 3; Password = $script:Password2 }))
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 1 -Lock 1 -Protectors @(@{ Id = $script:Id1; Type = 3; Password = $script:Password1 }))
            )
        }

        It 'returns the requested recovery password, not the first one' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id2 + '"}'
            (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json).Line |
                Should -Be ('{"ok":true,"data":{"keyProtectorId":"' + $script:Id2 + '","recoveryPassword":"' + $script:Password2 + '"}}')
        }

        It 'reads exactly one numerical password, of the protector asked for, after checking its type' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id2 + '"}'
            (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json).Answer.ok | Should -BeTrue
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $MethodName -eq 'GetKeyProtectorNumericalPassword' -and $Arguments['VolumeKeyProtectorID'] -eq $script:Id2
            }
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $MethodName -eq 'GetKeyProtectorType' -and $Arguments['VolumeKeyProtectorID'] -eq $script:Id2
            }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $ClassName -eq 'Win32_EncryptableVolume' -and $Filter -ceq "DriveLetter='C:'"
            }
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'accepts a lower-case drive letter and GUID' {
            $json = '{"mountPoint":"c:","keyProtectorId":"' + $script:Id1.ToLowerInvariant() + '"}'
            $result = Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json
            $result.Answer.data.keyProtectorId | Should -Be $script:Id1
            $result.Answer.data.recoveryPassword | Should -Be $script:Password1
        }

        It 'answers ProtectorNotFound for a protector that is not a recovery password, without reading it' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:IdTpm + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'answers ProtectorNotFound for an unknown protector' {
            $json = '{"mountPoint":"C:","keyProtectorId":"{00000000-0000-0000-0000-000000000001}"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'answers VolumeLocked for a locked volume' {
            $json = '{"mountPoint":"D:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'VolumeLocked' -HResult '0x80310000'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'answers VolumeLocked when the volume locks between the checks and the read' {
            $script:TestVolumes[0].TestState.Fail['GetKeyProtectorNumericalPassword'] = '0x80310000'
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'VolumeLocked' -HResult '0x80310000'
        }

        It 'answers VolumeNotFound for a drive BitLocker does not know' {
            $json = '{"mountPoint":"Z:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'VolumeNotFound' -HResult '0x80070490'
        }

        It 'refuses when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'NotElevated' -HResult '0x80041003'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'reports a refused read as CmdletFailed with the HRESULT' {
            $script:TestVolumes[0].TestState.Fail['GetKeyProtectorNumericalPassword'] = '0x80070015'
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'CmdletFailed' -HResult '0x80070015'
        }

        It 'fails without echoing anything when Windows returns no readable password' {
            $script:TestVolumes = @(New-TestCimVolume -DriveLetter 'C:' -Protectors @(@{ Id = $script:Id1; Type = 3; Password = '12345' }))
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            $result = Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json
            Assert-Failure -Result $result -Code 'CmdletFailed'
            $result.Line | Should -Not -Match '12345'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a mount point with a backslash'; Json = '{"mountPoint":"C:\\","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'two letters'; Json = '{"mountPoint":"CC:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a digit'; Json = '{"mountPoint":"1:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a trailing newline'; Json = '{"mountPoint":"C:\n","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a quote in the mount point'; Json = '{"mountPoint":"C'':","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a number as mount point'; Json = '{"mountPoint":3,"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a GUID without braces'; Json = '{"mountPoint":"C:","keyProtectorId":"8A696888-99A7-4FAC-92C7-6CC497EA7BDF"}' }
            @{ Case = 'a GUID with a suffix'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}x"}' }
            @{ Case = 'code in the GUID'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-$(whoami)}"}' }
            @{ Case = 'an extra field'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","extra":1}' }
            @{ Case = 'a missing field'; Json = '{"mountPoint":"C:"}' }
            @{ Case = 'null fields'; Json = '{"mountPoint":null,"keyProtectorId":null}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Get-BkbPathInfo' {
        BeforeAll {
            $script:LogicalDisks = @{ 'C:' = 3; 'D:' = 2; 'E:' = 3; 'F:' = 2; 'Z:' = 4; 'Y:' = 4 }
            # Mapped network drives' shares: Y: is this PC's own C$.
            $script:Providers = @{ 'Z:' = '\\fileserver\keys'; 'Y:' = '\\localhost\C$' }
            $script:UnknownPlace = '{"ok":true,"data":{"isNetwork":false,"mountPoint":null,"driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}'
        }

        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_LogicalDisk' } {
                if ($Filter -cnotmatch "^DeviceID='([A-Z]:)'\z") { throw "Win32_LogicalDisk must be asked for one DeviceID, not '$Filter'." }
                if ($script:LogicalDisks.ContainsKey($Matches[1])) { [pscustomobject]@{ DeviceID = $Matches[1]; DriveType = [uint32]$script:LogicalDisks[$Matches[1]]; ProviderName = $script:Providers[$Matches[1]] } }
            }
            # subst.exe's listing, and the junctions and symbolic links there are (by path): none unless a test adds them.
            $script:SubstListing = ''
            $script:TestLinks = @{}
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbSubst { , [byte[]][System.Text.Encoding]::ASCII.GetBytes($script:SubstListing) }
            Mock -ModuleName BitLockerKeyBackup Get-BkbLinkTarget { $script:TestLinks[$Path] }
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'C:' -VolumeType 0)
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 2 -Protection 0 -Conversion 0 -Percentage 0 -Method 0)
                (New-TestCimVolume -DriveLetter 'F:' -VolumeType 2 -Lock 1)
            )
            $script:TestFilePaths = @{
                'C:\Users\me\Documents' = New-TestStorage -DriveLetter 'C' -DriveType 'Fixed'
                'C:\Mount\Stick'        = New-TestStorage -DriveLetter 'D' -DriveType 'Removable'
                'C:\Mount\NoLetter'     = New-TestStorage -DriveLetter $null -DriveType 'Removable'
                'd:\Keys'               = New-TestStorage -DriveLetter 'D' -DriveType 'Removable'
                'E:\'                   = New-TestStorage -DriveLetter 'E' -DriveType 'Fixed'
                'F:\'                   = New-TestStorage -DriveLetter 'F' -DriveType 2
                '/media/me/STICK/keys'  = New-TestStorage -DriveLetter 'D' -DriveType 'Removable'
                '/home/me'              = New-TestStorage -DriveLetter 'C' -DriveType 'Fixed'
                '/mnt/share/keys'       = New-TestStorage -DriveLetter $null -DriveType 'Remote'
            }
        }

        It 'treats a UNC path as a network location without asking BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"path":' + (ConvertTo-TestJsonString '\\fileserver\keys$\BitLocker Recovery Key.TXT') + '}'
            $result = Invoke-Bkb -Name Get-BkbPathInfo -Json $json
            $result.Line | Should -Be '{"ok":true,"data":{"isNetwork":true,"mountPoint":null,"driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}'
            # Only this PC's own name is asked for (is the server this PC?), nothing about drives.
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $ClassName -ne 'Win32_ComputerSystem' }
            Should -Invoke -CommandName Get-Volume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'judges <_> as a drive of this PC, never as a network location' -ForEach @(
            '\\localhost\C$\key.txt', '\\127.0.0.1\c$\Users\me\Documents\key.txt', '\\[::1]\C$\key.txt', '\\LOCALHOST.\C$\key.txt',
            '\\TESTPC\C$\key.txt', '\\testpc.corp.example\C$\key.txt'
        ) {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ Name = 'TESTPC'; DNSHostName = 'testpc'; Domain = 'corp.example'; PartOfDomain = $true }
            }
            $script:TestFilePaths['C:\'] = New-TestStorage -DriveLetter 'C' -DriveType 'Fixed'
            $json = '{"path":' + (ConvertTo-TestJsonString $_) + '}'
            $answer = (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer
            $answer.ok | Should -BeTrue
            $answer.data.isNetwork | Should -BeFalse
            $answer.data.mountPoint | Should -Be 'C:'
            $answer.data.driveType | Should -Be 'OperatingSystem'
        }

        It 'answers an unknown place for a share of this PC that is not a drive''s administrative share' {
            $json = '{"path":' + (ConvertTo-TestJsonString '\\localhost\Users\me\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line | Should -Be $script:UnknownPlace
        }

        It 'still treats another server''s administrative share as a network location' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ Name = 'TESTPC'; DNSHostName = 'testpc'; Domain = 'corp.example'; PartOfDomain = $true }
            }
            $json = '{"path":' + (ConvertTo-TestJsonString '\\fileserver.corp.example\C$\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer.data.isNetwork | Should -BeTrue
        }

        It 'describes an unencrypted USB stick, asking Win32_LogicalDisk for that drive only' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'd:\Keys\BitLocker Recovery Key.TXT') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line |
                Should -Be '{"ok":true,"data":{"isNetwork":false,"mountPoint":"D:","driveType":"Removable","volumeStatus":"FullyDecrypted","protectionStatus":"Off","lockStatus":"Unlocked"}}'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $ClassName -eq 'Win32_LogicalDisk' -and $Filter -cne "DeviceID='D:'" }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -ParameterFilter { $ClassName -eq 'Win32_LogicalDisk' -and $Filter -ceq "DeviceID='D:'" }
            Should -Invoke -CommandName Get-Volume -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $FilePath -ceq 'd:\Keys' }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' -and $Filter -ceq "DriveLetter='D:'" }
        }

        It 'describes the encrypted system drive' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'C:\Users\me\Documents\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line |
                Should -Be '{"ok":true,"data":{"isNetwork":false,"mountPoint":"C:","driveType":"OperatingSystem","volumeStatus":"FullyEncrypted","protectionStatus":"On","lockStatus":"Unlocked"}}'
        }

        It 'describes the volume mounted in a folder, not the drive the folder is on' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'C:\Mount\Stick\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer.data.mountPoint | Should -Be 'D:'
        }

        It 'answers an unknown place for a volume without a drive letter' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'C:\Mount\NoLetter\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line | Should -Be $script:UnknownPlace
        }

        It 'answers an unknown place when Get-Volume finds no volume for the folder' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'E:\Gone\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line | Should -Be $script:UnknownPlace
        }

        It 'describes a locked volume without its conversion status' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'F:\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line |
                Should -Be '{"ok":true,"data":{"isNetwork":false,"mountPoint":"F:","driveType":"Removable","volumeStatus":null,"protectionStatus":"On","lockStatus":"Locked"}}'
        }

        It 'gives only the drive type for a volume BitLocker does not know' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'E:\') + '}'
            $result = Invoke-Bkb -Name Get-BkbPathInfo -Json $json
            $result.Line | Should -Be '{"ok":true,"data":{"isNetwork":false,"mountPoint":"E:","driveType":"Fixed","volumeStatus":null,"protectionStatus":null,"lockStatus":null}}'
        }

        It 'treats a mapped network drive as a network location' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'Z:\keys\key.txt') + '}'
            $result = Invoke-Bkb -Name Get-BkbPathInfo -Json $json
            $result.Line | Should -Be '{"ok":true,"data":{"isNetwork":true,"mountPoint":"Z:","driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' }
            Should -Invoke -CommandName Get-Volume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'judges where the file lands, not the path text: <Case>' -TestCases @(
            @{ Case = 'a SUBST drive of a folder on C:'; Path = 'S:\key.txt'; Subst = "S:\: => C:\Users\me\Documents`r`n" }
            @{ Case = 'a letter mapped to this PC''s own C$'; Path = 'Y:\Users\me\Documents\key.txt' }
            @{ Case = 'a junction on the stick to C:'; Path = 'd:\j\key.txt'; Links = @{ 'D:\j' = 'C:\Users\me\Documents' } }
            @{ Case = 'a symbolic link deeper on the stick, written with / and doubled separators'; Path = 'd:/Keys//deep/key.txt'; Links = @{ 'D:\Keys\deep' = 'C:\Users\me\Documents' } }
            @{ Case = 'a SUBST drive of the stick, whose link leads to C:'; Path = 'S:\j\key.txt'; Subst = "S:\: => D:\`r`n"; Links = @{ 'D:\j' = '\\localhost\C$\Users\me\Documents' } }
        ) {
            if ($Subst) { $script:SubstListing = $Subst }
            if ($Links) { $script:TestLinks = $Links }
            $json = '{"path":' + (ConvertTo-TestJsonString $Path) + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line |
                Should -Be '{"ok":true,"data":{"isNetwork":false,"mountPoint":"C:","driveType":"OperatingSystem","volumeStatus":"FullyEncrypted","protectionStatus":"On","lockStatus":"Unlocked"}}'
        }

        It 'answers an unknown place for <Case>' -TestCases @(
            @{ Case = 'a loop of links'; Links = @{ 'D:\j' = 'D:\j\again' } }
            @{ Case = 'a link it cannot pin down'; Links = @{ 'D:\j' = '?' } }
        ) {
            $script:TestLinks = $Links
            # Judged by its text, or by wherever a resolver that gave up had got to (D:\j\again\again\…), the path
            # would lie on the stick: only the resolver's own "cannot tell" makes it an unknown place.
            Mock -ModuleName BitLockerKeyBackup Get-Volume -ParameterFilter { [string]@($FilePath)[0] -like 'D:\j*' } { New-TestStorage -DriveLetter 'D' -DriveType 'Removable' }
            $json = '{"path":' + (ConvertTo-TestJsonString 'D:\j\key.txt') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line | Should -Be $script:UnknownPlace
        }

        It 'follows only the folder: a file named like a link is written beside it' {
            $script:TestLinks = @{ 'D:\j' = 'C:\Users\me\Documents' }
            $script:TestFilePaths['D:\'] = New-TestStorage -DriveLetter 'D' -DriveType 'Removable'
            $json = '{"path":' + (ConvertTo-TestJsonString 'D:\j') + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer.data.mountPoint | Should -Be 'D:'
        }

        It 'answers VolumeNotFound for a drive that does not exist' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'Q:\key.txt') + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'VolumeNotFound'
        }

        It 'refuses a drive path when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"path":' + (ConvertTo-TestJsonString 'D:\Keys\key.txt') + '}'
            $script:TestFilePaths['D:\Keys'] = $script:TestFilePaths['d:\Keys']
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'NotElevated' -HResult '0x80041003'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' }
        }

        It 'describes a host path of this OS: <Case>' -Skip:($IsWindows -ne $false) -TestCases @(
            @{ Case = 'a USB stick'; Path = '/media/me/STICK/keys/key.txt'; Line = '{"ok":true,"data":{"isNetwork":false,"mountPoint":"D:","driveType":"Removable","volumeStatus":"FullyDecrypted","protectionStatus":"Off","lockStatus":"Unlocked"}}' }
            @{ Case = 'the system drive'; Path = '/home/me/key.txt'; Line = '{"ok":true,"data":{"isNetwork":false,"mountPoint":"C:","driveType":"OperatingSystem","volumeStatus":"FullyEncrypted","protectionStatus":"On","lockStatus":"Unlocked"}}' }
            @{ Case = 'a network share'; Path = '/mnt/share/keys/key.txt'; Line = '{"ok":true,"data":{"isNetwork":true,"mountPoint":null,"driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}' }
            @{ Case = 'somewhere no drive stands for'; Path = '/srv/elsewhere/key.txt'; Line = '{"ok":true,"data":{"isNetwork":false,"mountPoint":null,"driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}' }
        ) {
            $json = '{"path":' + (ConvertTo-TestJsonString $Path) + '}'
            (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Line | Should -Be $Line
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $ClassName -eq 'Win32_LogicalDisk' }
        }

        It 'refuses a path that starts with / on Windows' -Skip:($IsWindows -eq $false) {
            $json = '{"path":' + (ConvertTo-TestJsonString '/keys/key.txt') + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'InvalidArgument'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a relative path'; Path = 'keys\key.txt' }
            @{ Case = 'a drive-relative path'; Path = 'C:key.txt' }
            @{ Case = 'a bare drive letter'; Path = 'C:' }
            @{ Case = 'a rooted path without a drive'; Path = '\keys\key.txt' }
            @{ Case = 'a parent segment'; Path = 'D:\Keys\..\Windows\key.txt' }
            @{ Case = 'a parent segment in a host path'; Path = '/media/../etc/key.txt' }
            @{ Case = 'a parent segment in a UNC path'; Path = '\\server\share\..\other\key.txt' }
            @{ Case = 'a \\?\ path'; Path = '\\?\C:\keys\key.txt' }
            @{ Case = 'a \\.\ path'; Path = '\\.\PhysicalDrive0' }
            @{ Case = 'a server without a share'; Path = '\\server' }
            @{ Case = 'an empty path'; Path = '' }
            @{ Case = 'a control character'; Path = "D:\keys`n\key.txt" }
        ) {
            $json = '{"path":' + (ConvertTo-TestJsonString $Path) + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Get-Volume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses a path that is not a string' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json '{"path":["C:\\"]}') -Code 'InvalidArgument'
        }
    }

    Context 'Get-BkbVolumeRoot' {
        BeforeEach {
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'E:' -VolumeType 2 -Protection 0 -Conversion 0 -Percentage 0)
                (New-TestCimVolume -DriveLetter 'F:' -VolumeType 2 -Lock 1)
            )
        }

        It 'gives the path Convert-Path makes of the drive''s root' {
            Mock -ModuleName BitLockerKeyBackup Test-Path { $true }
            Mock -ModuleName BitLockerKeyBackup Convert-Path { 'E:\' }
            (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"e:"}').Line | Should -Be '{"ok":true,"data":{"path":"E:\\"}}'
            Should -Invoke -CommandName Test-Path -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $LiteralPath -contains 'E:\' }
            Should -Invoke -CommandName Convert-Path -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $LiteralPath -contains 'E:\' }
        }

        It 'gives the folder a PowerShell drive maps the letter to' {
            $letter = @('R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y') |
                Where-Object { -not (Get-PSDrive -Name $_ -ErrorAction SilentlyContinue) -and -not (Test-Path -LiteralPath ($_ + ':\')) } |
                Select-Object -First 1
            $folder = Join-Path -Path $TestDrive -ChildPath 'stick'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $script:TestVolumes += New-TestCimVolume -DriveLetter ($letter + ':') -VolumeType 2 -Protection 0 -Conversion 0
            $null = New-PSDrive -Name $letter -PSProvider FileSystem -Root $folder -Scope Global
            try {
                $path = (Invoke-Bkb -Name Get-BkbVolumeRoot -Json ('{"mountPoint":"' + $letter + ':"}')).Answer.data.path
                $path | Should -Be (Convert-Path -LiteralPath ($letter + ':\'))
                $path.TrimEnd('\', '/') | Should -Be $folder.TrimEnd('\', '/')
            }
            finally {
                Remove-PSDrive -Name $letter -Scope Global -Force
            }
        }

        It 'answers VolumeLocked for a locked drive' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"F:"}') -Code 'VolumeLocked' -HResult '0x80310000'
        }

        It 'answers VolumeNotFound for a drive BitLocker does not know' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"Q:"}') -Code 'VolumeNotFound' -HResult '0x80070490'
        }

        It 'answers VolumeNotFound for a drive whose root cannot be reached' {
            Mock -ModuleName BitLockerKeyBackup Test-Path { $false }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"E:"}') -Code 'VolumeNotFound' -HResult '0x80070003'
        }

        It 'refuses when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"E:"}') -Code 'NotElevated' -HResult '0x80041003'
        }

        It 'refuses a mount point that is not a drive letter' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"E:\\"}') -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Backup-BkbToEntra' {
        BeforeEach {
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'C:' -Protectors @(@{ Id = $script:IdTpm; Type = 1 }, @{ Id = $script:Id1; Type = 3; Password = $script:Password1 }))
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 1 -Lock 1 -Protectors @(@{ Id = $script:Id2; Type = 3; Password = $script:Password2 }))
            )
            $script:Request = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
        }

        It 'backs up the protector and reports when it was sent' {
            Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector {
                $script:CalledAt = [DateTime]::UtcNow
                # The real cmdlet returns the volume, passwords included.
                [pscustomobject]@{ MountPoint = 'C:'; KeyProtector = @([pscustomobject]@{ KeyProtectorId = $script:Id1; RecoveryPassword = $script:Password1 }) }
            }
            $result = Invoke-Bkb -Name Backup-BkbToEntra -Json $script:Request
            $result.Answer.ok | Should -BeTrue
            ($result.Line -match '^\{"ok":true,"data":\{"sentAt":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z)"\}\}$') | Should -BeTrue
            $sentAt = [DateTimeOffset]::Parse($Matches[1], [Globalization.CultureInfo]::InvariantCulture).UtcDateTime
            $sentAt | Should -BeLessOrEqual $script:CalledAt
            $result.Line | Should -Not -Match ([regex]::Escape($script:Password1))
            Should -Invoke -CommandName BackupToAAD-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                (@($MountPoint) -join ',') -eq 'C:' -and $KeyProtectorId -eq $script:Id1
            }
        }

        It 'checks the protector through Win32_EncryptableVolume without reading a password' {
            Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector { }
            (Invoke-Bkb -Name Backup-BkbToEntra -Json $script:Request).Answer.ok | Should -BeTrue
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $MethodName -eq 'GetKeyProtectorType' -and $Arguments['VolumeKeyProtectorID'] -eq $script:Id1
            }
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers ProtectorNotFound for a protector that is not a recovery password' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:IdTpm + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToEntra -Json $json) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName BackupToAAD-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers VolumeLocked for a locked volume' {
            $json = '{"mountPoint":"D:","keyProtectorId":"' + $script:Id2 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToEntra -Json $json) -Code 'VolumeLocked' -HResult '0x80310000'
            Should -Invoke -CommandName BackupToAAD-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'reports a cmdlet failure with its HRESULT and message' {
            Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector {
                throw (New-TestComException -HResult '0x801C0450' -Message 'The device is not joined to Microsoft Entra ID.')
            }
            $result = Invoke-Bkb -Name Backup-BkbToEntra -Json $script:Request
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x801C0450'
            $result.Answer.error.message | Should -Be 'The device is not joined to Microsoft Entra ID.'
        }

        It 'hides anything shaped like a recovery password in an error message' {
            Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector {
                throw (New-TestComException -HResult '0x80072F8F' -Message "Could not send $($script:Password1) to the service.")
            }
            $result = Invoke-Bkb -Name Backup-BkbToEntra -Json $script:Request
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x80072F8F'
            $result.Line | Should -Not -Match ([regex]::Escape($script:Password1))
            $result.Answer.error.message | Should -Match 'recovery password hidden'
        }

        It 'refuses an invalid request without calling the cmdlet' {
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToEntra -Json '{"mountPoint":"C:;","keyProtectorId":"x"}') -Code 'InvalidArgument'
            Should -Invoke -CommandName BackupToAAD-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Backup-BkbToActiveDirectory' {
        BeforeEach {
            $script:TestVolumes = @(New-TestCimVolume -DriveLetter 'C:' -Protectors @(@{ Id = $script:Id1; Type = 3; Password = $script:Password1 }))
            $script:Request = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
        }

        It 'backs up the protector and reports when it was sent' {
            Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector {
                [pscustomobject]@{ MountPoint = 'C:'; KeyProtector = @([pscustomobject]@{ KeyProtectorId = $script:Id1; RecoveryPassword = $script:Password1 }) }
            }
            $result = Invoke-Bkb -Name Backup-BkbToActiveDirectory -Json $script:Request
            $result.Line | Should -Match '^\{"ok":true,"data":\{"sentAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z"\}\}$'
            Should -Invoke -CommandName Backup-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                (@($MountPoint) -join ',') -eq 'C:' -and $KeyProtectorId -eq $script:Id1
            }
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'answers ProtectorNotFound for an unknown protector' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id2 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToActiveDirectory -Json $json) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName Backup-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'reports S_FALSE (policy forbids AD DS backup) as hresult 0x00000001' {
            Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector {
                throw [Microsoft.PowerShell.Commands.WriteErrorException]::new('Group policy does not permit the storage of recovery information to Active Directory.')
            }
            $result = Invoke-Bkb -Name Backup-BkbToActiveDirectory -Json $script:Request
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x00000001'
            $result.Answer.error.message | Should -Match 'Group Policy does not allow'
        }

        It 'reports other failures with their HRESULT' {
            Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector {
                throw (New-TestComException -HResult '0x8007054B' -Message 'The specified domain either does not exist or could not be contacted.')
            }
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToActiveDirectory -Json $script:Request) -Code 'CmdletFailed' -HResult '0x8007054B'
        }
    }

    Context 'Get-BkbBackupEvents' {
        BeforeEach {
            $script:Since = [DateTime]::new(2024, 5, 1, 10, 0, 0, [DateTimeKind]::Utc)
            $script:Request = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '","since":"2024-05-01T10:00:00.000Z","ids":[845,846,847,829,831]}'
        }

        It 'keeps the protector''s events and this volume''s events that name no protector, sorted by time' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(6) -ProtectorGuid '8a696888-99a7-4fac-92c7-6cc497ea7bdf' -VolumeMountPoint 'C:' -Message 'Backed up to Microsoft Entra ID.'
                New-TestEvent -Id 846 -TimeCreated $script:Since.AddSeconds(3) -ProtectorGuid $script:Id2 -VolumeMountPoint 'C:' -Message 'Another protector.'
                New-TestEvent -Id 829 -TimeCreated $script:Since.AddSeconds(2) -VolumeDriveLetter 'c:\' -Message 'Microsoft account backup failed.'
                New-TestEvent -Id 831 -TimeCreated $script:Since.AddSeconds(4) -VolumeDriveLetter 'D:' -Message 'Another volume.'
                New-TestEvent -Id 847 -TimeCreated $script:Since.AddSeconds(5) -Message 'Names no volume.'
                New-TestEvent -Id 846 -TimeCreated $script:Since.AddSeconds(1) -ProtectorGuid '' -VolumeMountPoint 'C:' -Message 'Entra ID backup failed.'
            }
            $result = Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request
            $result.Line | Should -Be ('{"ok":true,"data":{"events":[' +
                '{"id":846,"time":"2024-05-01T10:00:01.0000000Z","keyProtectorId":null,"message":"Entra ID backup failed."},' +
                '{"id":829,"time":"2024-05-01T10:00:02.0000000Z","keyProtectorId":null,"message":"Microsoft account backup failed."},' +
                '{"id":845,"time":"2024-05-01T10:00:06.0000000Z","keyProtectorId":"' + $script:Id1 + '","message":"Backed up to Microsoft Entra ID."}]}}')
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $filter = $FilterHashtable[0]
                $filter.LogName -eq 'Microsoft-Windows-BitLocker/BitLocker Management' -and
                (@($filter.Id) -join ',') -eq '845,846,847,829,831' -and
                $filter.StartTime.ToUniversalTime() -eq $script:Since
            }
        }

        It 'keeps an event of this protector on whatever volume it names' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(5) -ProtectorGuid $script:Id1 -VolumeMountPoint '\\?\Volume{6d1b5c2e-0000-0000-0000-100000000000}\' -Message 'Backed up.'
            }
            $result = Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request
            $result.Line | Should -Match '^\{"ok":true,"data":\{"events":\[\{"id":845,'
            ($result.Answer.data.events -is [array]) | Should -BeTrue
        }

        It 'drops an event without a protector when its volume is given as <Case>' -TestCases @(
            @{ Case = 'another letter'; Letter = 'E:' }
            @{ Case = 'a volume GUID path'; Letter = '\\?\Volume{6d1b5c2e-0000-0000-0000-100000000000}\' }
            @{ Case = 'nothing'; Letter = '' }
        ) {
            $script:EventLetter = $Letter
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent { New-TestEvent -Id 829 -TimeCreated $script:Since.AddSeconds(5) -VolumeDriveLetter $script:EventLetter -Message 'Failed.' }
            (Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request).Line | Should -Be '{"ok":true,"data":{"events":[]}}'
        }

        It 'answers an empty list when no event matches' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                throw [System.Management.Automation.ErrorRecord]::new(
                    [System.Exception]::new('No events were found that match the specified selection criteria.'),
                    'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand',
                    [System.Management.Automation.ErrorCategory]::ObjectNotFound,
                    $null)
            }
            (Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request).Line | Should -Be '{"ok":true,"data":{"events":[]}}'
        }

        It 'hides anything shaped like a recovery password in an event message' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(5) -ProtectorGuid $script:Id1 -Message "Key $($script:Password1) saved."
            }
            $result = Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request
            $result.Line | Should -Not -Match ([regex]::Escape($script:Password1))
        }

        It 'reports access denied as NotElevated when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent { throw [System.UnauthorizedAccessException]::new('Attempted to perform an unauthorized operation.') }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request) -Code 'NotElevated' -HResult '0x80070005'
        }

        It 'reports access denied in an elevated process as CmdletFailed' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent { throw [System.UnauthorizedAccessException]::new('Attempted to perform an unauthorized operation.') }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request) -Code 'CmdletFailed' -HResult '0x80070005'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'no mount point'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[845]}' }
            @{ Case = 'a mount point that is a path'; Json = '{"mountPoint":"C:\\","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[845]}' }
            @{ Case = 'no ids'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[]}' }
            @{ Case = 'an id that is not an array'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":845}' }
            @{ Case = 'a zero id'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[0]}' }
            @{ Case = 'an id as text'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":["845"]}' }
            @{ Case = 'a fractional id'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[845.5]}' }
            @{ Case = 'a boolean id'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[true]}' }
            @{ Case = 'an id too large'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[70000]}' }
            @{ Case = 'seventeen ids'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}' }
            @{ Case = 'a time that is not a time'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"yesterday","ids":[845]}' }
            @{ Case = 'a time as a number'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":1714557600000,"ids":[845]}' }
            @{ Case = 'a bad protector id'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888}","since":"2024-05-01T10:00:00.000Z","ids":[845]}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbBackupEvents -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Get-BkbKeyHistory' {
        BeforeEach {
            $script:T0 = [DateTime]::new(2026, 1, 5, 9, 0, 0, [DateTimeKind]::Utc)
            $script:Ids = '[775,776,845,4106,847]'
            # The log's oldest record, whatever its id (Get-WinEvent -LogName … -Oldest -MaxEvents 1).
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $Oldest } {
                New-TestEvent -Id 774 -TimeCreated $script:T0 -VolumeMountPoint 'C:' -Message 'Resumed.'
            }
        }

        It 'lists every event with one of the ids, oldest first, with its protector and volume and no message' {
            # Newest first, as Get-WinEvent reads a log.
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $null -ne $FilterHashtable } {
                New-TestEvent -Id 847 -TimeCreated $script:T0.AddDays(4) -Message 'Names no volume.'
                New-TestEvent -Id 845 -TimeCreated $script:T0.AddDays(3) -ProtectorGuid '8a696888-99a7-4fac-92c7-6cc497ea7bdf' -VolumeMountPoint 'C:' -Message "Key $($script:Password1) saved."
                New-TestEvent -Id 4106 -TimeCreated $script:T0.AddDays(2) -VolumeDriveLetter 'c:\' -Message 'Automatic backup failed.'
                New-TestEvent -Id 775 -TimeCreated $script:T0.AddDays(1) -ProtectorGuid $script:Id2 -VolumeMountPoint '\\?\Volume{6d1b5c2e-0000-0000-0000-100000000000}\' -Message 'Created.'
            }
            $result = Invoke-Bkb -Name Get-BkbKeyHistory -Json ('{"ids":' + $script:Ids + '}')
            $result.Line | Should -Be ('{"ok":true,"data":{"events":[' +
                '{"id":775,"time":"2026-01-06T09:00:00.0000000Z","keyProtectorId":"' + $script:Id2 + '","mountPoint":null},' +
                '{"id":4106,"time":"2026-01-07T09:00:00.0000000Z","keyProtectorId":null,"mountPoint":"C:"},' +
                '{"id":845,"time":"2026-01-08T09:00:00.0000000Z","keyProtectorId":"' + $script:Id1 + '","mountPoint":"C:"},' +
                '{"id":847,"time":"2026-01-09T09:00:00.0000000Z","keyProtectorId":null,"mountPoint":null}],' +
                '"logStartsAt":"2026-01-05T09:00:00.0000000Z","truncated":false}}')
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $null -ne $FilterHashtable -and $FilterHashtable[0].LogName -eq 'Microsoft-Windows-BitLocker/BitLocker Management' -and
                (@($FilterHashtable[0].Id) -join ',') -eq '775,776,845,4106,847' -and -not $FilterHashtable[0].ContainsKey('StartTime') -and $MaxEvents -eq 2001
            }
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $Oldest -and $MaxEvents -eq 1 -and (@($LogName) -join ',') -eq 'Microsoft-Windows-BitLocker/BitLocker Management'
            }
        }

        It 'keeps the newest 2,000 events of a fuller log, and then says the history starts at the oldest of them' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $null -ne $FilterHashtable } {
                for ($i = 2000; $i -ge 0; $i--) { New-TestEvent -Id 845 -TimeCreated $script:T0.AddMinutes($i) -ProtectorGuid $script:Id1 -VolumeMountPoint 'C:' }
            }
            $result = Invoke-Bkb -Name Get-BkbKeyHistory -Json '{"ids":[845]}'
            @($result.Answer.data.events).Count | Should -Be 2000
            $result.Line | Should -Match '^\{"ok":true,"data":\{"events":\[\{"id":845,"time":"2026-01-05T09:01:00\.0000000Z",'
            $result.Line | Should -Match '"time":"2026-01-06T18:20:00\.0000000Z","keyProtectorId":"[^"]+","mountPoint":"C:"\}\],"logStartsAt":"2026-01-05T09:01:00\.0000000Z","truncated":true\}\}$'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $Oldest }
        }

        It 'asks for at most 16 ids at a time (Windows refuses longer event-id filters) and merges the answers by time' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $null -ne $FilterHashtable } {
                foreach ($id in @($FilterHashtable[0].Id)) { New-TestEvent -Id $id -TimeCreated $script:T0.AddSeconds($id) -VolumeDriveLetter 'C:' }
            }
            $ids = 1..32 | ForEach-Object { 800 + (33 - $_) }
            $data = (Invoke-Bkb -Name Get-BkbKeyHistory -Json ('{"ids":[' + ($ids -join ',') + ']}')).Answer.data
            @($data.events | ForEach-Object { $_.id }) -join ',' | Should -Be ((801..832) -join ',')
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 2 -Exactly -ParameterFilter { $null -ne $FilterHashtable -and @($FilterHashtable[0].Id).Count -eq 16 }
        }

        It 'answers an empty history starting nowhere when the log is <Case>' -TestCases @(
            @{ Case = 'empty'; ErrorId = 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' }
            @{ Case = 'missing'; ErrorId = 'NoMatchingLogsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' }
        ) {
            $script:ErrorId = $ErrorId
            $nothing = { throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('Nothing.'), $script:ErrorId, [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null) }
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $null -ne $FilterHashtable } $nothing
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $Oldest } $nothing
            (Invoke-Bkb -Name Get-BkbKeyHistory -Json '{"ids":[845]}').Line | Should -Be '{"ok":true,"data":{"events":[],"logStartsAt":null,"truncated":false}}'
        }

        It 'says where the log starts even when no event has one of the ids' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent -ParameterFilter { $null -ne $FilterHashtable } {
                throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('No events.'), 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null)
            }
            (Invoke-Bkb -Name Get-BkbKeyHistory -Json '{"ids":[845]}').Line | Should -Be '{"ok":true,"data":{"events":[],"logStartsAt":"2026-01-05T09:00:00.0000000Z","truncated":false}}'
        }

        It 'reports access denied as NotElevated when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent { throw [System.UnauthorizedAccessException]::new('Attempted to perform an unauthorized operation.') }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbKeyHistory -Json '{"ids":[845]}') -Code 'NotElevated' -HResult '0x80070005'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'no ids'; Json = '{"ids":[]}' }
            @{ Case = 'thirty-three ids'; Json = '{"ids":[' + ((1..33) -join ',') + ']}' }
            @{ Case = 'ids that are not a list'; Json = '{"ids":845}' }
            @{ Case = 'a zero id'; Json = '{"ids":[0]}' }
            @{ Case = 'an id as text'; Json = '{"ids":["845"]}' }
            @{ Case = 'a fractional id'; Json = '{"ids":[845.5]}' }
            @{ Case = 'an id too large'; Json = '{"ids":[70000]}' }
            @{ Case = 'an extra field'; Json = '{"ids":[845],"since":"2026-01-01T00:00:00Z"}' }
            @{ Case = 'a missing field'; Json = '{}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbKeyHistory -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Add-BkbRecoveryPassword' {
        BeforeEach {
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'C:' -Protectors @(@{ Id = $script:IdTpm; Type = 1 }))
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 1 -Lock 1 -Protectors @(@{ Id = $script:Id2; Type = 3; Password = $script:Password2 }))
            )
        }

        It 'has Windows generate a recovery password and answers only its ID, never the password' {
            $result = Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"c:"}'
            $result.Line | Should -Be ('{"ok":true,"data":{"keyProtectorId":"' + $script:NewId + '"}}')
            $result.Line | Should -Not -Match ([regex]::Escape($script:NewPassword))
            # No password given (Windows makes one), and none read back.
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $MethodName -eq 'ProtectKeyWithNumericalPassword' -and ($null -eq $Arguments -or $Arguments.Count -eq 0)
            }
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            @($script:TestVolumes[0].TestState.Protectors | Where-Object { $_.Type -eq 3 }).Count | Should -Be 1
        }

        It 'answers PolicyForbids in plain words when <Case> (<HResult>)' -TestCases @(
            @{ Case = 'Group Policy does not allow recovery passwords'; HResult = '0x8031005C' }
            @{ Case = 'Group Policy requires FIPS compliance'; HResult = '0x80310037' }
        ) {
            $script:TestVolumes[0].TestState.Fail['ProtectKeyWithNumericalPassword'] = $HResult
            $result = Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"C:"}'
            Assert-Failure -Result $result -Code 'PolicyForbids' -HResult $HResult
            $result.Answer.error.message | Should -Match 'Group Policy'
            $result.Answer.error.message | Should -Not -Match '0x8031'
        }

        It 'answers VolumeLocked for a locked volume without asking Windows to add anything' {
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"D:"}') -Code 'VolumeLocked' -HResult '0x80310000'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'ProtectKeyWithNumericalPassword' }
        }

        It 'answers VolumeLocked when the volume locks before Windows adds the password' {
            $script:TestVolumes[0].TestState.Fail['ProtectKeyWithNumericalPassword'] = '0x80310000'
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"C:"}') -Code 'VolumeLocked' -HResult '0x80310000'
        }

        It 'reports any other refusal as CmdletFailed with its HRESULT' {
            $script:TestVolumes[0].TestState.Fail['ProtectKeyWithNumericalPassword'] = '0x80310009'
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"C:"}') -Code 'CmdletFailed' -HResult '0x80310009'
        }

        It 'fails when Windows does not say which protector it added' {
            Mock -ModuleName BitLockerKeyBackup Invoke-CimMethod -RemoveParameterType InputObject -ParameterFilter { $MethodName -eq 'ProtectKeyWithNumericalPassword' } {
                [pscustomobject]@{ ReturnValue = [uint32]0; VolumeKeyProtectorID = '' }
            }
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"C:"}') -Code 'CmdletFailed'
        }

        It 'answers VolumeNotFound for a drive BitLocker does not know' {
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"Z:"}') -Code 'VolumeNotFound' -HResult '0x80070490'
        }

        It 'refuses when not elevated, before touching BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Assert-Failure -Result (Invoke-Bkb -Name Add-BkbRecoveryPassword -Json '{"mountPoint":"C:"}') -Code 'NotElevated' -HResult '0x80041003'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a mount point that is a path'; Json = '{"mountPoint":"C:\\"}' }
            @{ Case = 'a password of its own'; Json = '{"mountPoint":"C:","recoveryPassword":"123453-234564-345675-456786-567897-679008-123453-234564"}' }
            @{ Case = 'a missing mount point'; Json = '{}' }
        ) {
            $result = Invoke-Bkb -Name Add-BkbRecoveryPassword -Json $Json
            Assert-Failure -Result $result -Code 'InvalidArgument'
            $result.Line | Should -Not -Match '123453'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Remove-BkbRecoveryPassword' {
        BeforeEach {
            $script:IdOnly = '{2C3D4E5F-6071-4B8C-9DAE-BF0C1D2E3F40}'
            $script:TestVolumes = @(
                (New-TestCimVolume -DriveLetter 'C:' -Protectors @(
                        @{ Id = $script:IdTpm; Type = 1 },
                        @{ Id = $script:Id1; Type = 3; Password = $script:Password1 },
                        @{ Id = $script:Id2; Type = 3; Password = $script:Password2 }))
                (New-TestCimVolume -DriveLetter 'D:' -VolumeType 1 -Protectors @(@{ Id = $script:IdTpm; Type = 8 }, @{ Id = $script:IdOnly; Type = 3; Password = $script:Password1 }))
                (New-TestCimVolume -DriveLetter 'E:' -VolumeType 2 -Lock 1 -Protectors @(@{ Id = $script:Id1; Type = 3 }, @{ Id = $script:Id2; Type = 3 }))
            )
        }

        It 'removes the recovery password asked for and keeps the other' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id2.ToLowerInvariant() + '"}'
            (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json $json).Line | Should -Be '{"ok":true,"data":{"removed":true}}'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $MethodName -eq 'DeleteKeyProtector' -and $Arguments['VolumeKeyProtectorID'] -eq $script:Id2
            }
            @($script:TestVolumes[0].TestState.Protectors | ForEach-Object { $_.Id }) -join ',' | Should -Be ($script:IdTpm + ',' + $script:Id1)
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'GetKeyProtectorNumericalPassword' }
        }

        It 'refuses to remove a drive''s only recovery password, and deletes nothing' {
            $result = Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json ('{"mountPoint":"D:","keyProtectorId":"' + $script:IdOnly + '"}')
            Assert-Failure -Result $result -Code 'LastRecoveryPassword'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'DeleteKeyProtector' }
            @($script:TestVolumes[1].TestState.Protectors).Count | Should -Be 2
        }

        It 'answers ProtectorNotFound for <Case>, and deletes nothing' -TestCases @(
            @{ Case = 'a protector that is not a recovery password'; Id = '{0F0E0D0C-0B0A-4908-8706-050403020100}' }
            @{ Case = 'an unknown protector'; Id = '{00000000-0000-4000-8000-000000000001}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json ('{"mountPoint":"C:","keyProtectorId":"' + $Id + '"}')) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'DeleteKeyProtector' }
        }

        It 'answers VolumeLocked for a locked volume' {
            Assert-Failure -Result (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json ('{"mountPoint":"E:","keyProtectorId":"' + $script:Id1 + '"}')) -Code 'VolumeLocked' -HResult '0x80310000'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly -ParameterFilter { $MethodName -eq 'DeleteKeyProtector' }
        }

        It 'reports a refused delete as CmdletFailed with its HRESULT' {
            $script:TestVolumes[0].TestState.Fail['DeleteKeyProtector'] = '0x8031005D'
            Assert-Failure -Result (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json ('{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}')) -Code 'CmdletFailed' -HResult '0x8031005D'
        }

        It 'refuses when not elevated, before touching BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Assert-Failure -Result (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json ('{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}')) -Code 'NotElevated' -HResult '0x80041003'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a GUID without braces'; Json = '{"mountPoint":"C:","keyProtectorId":"8A696888-99A7-4FAC-92C7-6CC497EA7BDF"}' }
            @{ Case = 'a bad mount point'; Json = '{"mountPoint":"C:;","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a missing field'; Json = '{"mountPoint":"C:"}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Remove-BkbRecoveryPassword -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Invoke-CimMethod -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Write-BkbAuditEvent' {
        BeforeAll {
            $script:SourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\BitLocker Key Backup'
            $script:Refused = 'The request carries something shaped like a recovery password: the audit trail records key IDs, never keys.'
            function ConvertTo-TestAuditJson {
                param([hashtable]$Fields)
                $entry = [ordered]@{ action = 'backup'; outcome = 'succeeded'; mountPoint = 'C:'; keyProtectorIds = @($script:Id1); destination = 'entra' }
                foreach ($name in $Fields.Keys) { $entry[$name] = $Fields[$name] }
                ConvertTo-Json -InputObject $entry -Compress -Depth 5
            }
        }

        BeforeEach {
            # The source as the installer registers it, and a log that takes every entry.
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $LiteralPath -ceq $script:SourceKey } {
                [pscustomobject]@{ EventMessageFile = '%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll'; TypesSupported = 7 }
            }
            Mock -ModuleName BitLockerKeyBackup Write-EventLog { }
        }

        It 'writes one entry, worded from the fields alone: <Case>' -TestCases @(
            @{ Case = 'a backup'; Fields = @{}; EventId = 1000; EntryType = 'Information'
                Message = 'Backing up 1 recovery key of C: to Microsoft Entra ID succeeded. Key IDs: {8A696888-99A7-4FAC-92C7-6CC497EA7BDF}.' }
            @{ Case = 'a partial backup of two keys'; Fields = @{ outcome = 'partial'; mountPoint = $null; keyProtectorIds = @('{8a696888-99a7-4fac-92c7-6cc497ea7bdf}', '{1B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D}'); destination = 'file' }; EventId = 1000; EntryType = 'Warning'
                Message = 'Backing up 2 recovery keys to a file partly succeeded. Key IDs: {8A696888-99A7-4FAC-92C7-6CC497EA7BDF}, {1B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D}.' }
            @{ Case = 'a failed addition'; Fields = @{ action = 'add'; outcome = 'failed'; keyProtectorIds = @(); destination = $null }; EventId = 1001; EntryType = 'Warning'
                Message = 'Adding a recovery key to C: failed. Key IDs: none.' }
            @{ Case = 'a removal'; Fields = @{ action = 'remove'; mountPoint = 'd:'; destination = $null }; EventId = 1002; EntryType = 'Information'
                Message = 'Removing 1 recovery key from D: succeeded. Key IDs: {8A696888-99A7-4FAC-92C7-6CC497EA7BDF}.' }
            @{ Case = 'a reveal, always a warning'; Fields = @{ action = 'reveal'; mountPoint = $null; destination = $null }; EventId = 1003; EntryType = 'Warning'
                Message = 'Revealing 1 recovery key succeeded. Key IDs: {8A696888-99A7-4FAC-92C7-6CC497EA7BDF}.' }
        ) {
            (Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson $Fields)).Line | Should -Be '{"ok":true,"data":{"written":true}}'
            $script:Expected = @{ EventId = $EventId; EntryType = $EntryType; Message = $Message }
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 1 -Exactly
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $LogName -ceq 'Application' -and $Source -ceq 'BitLocker Key Backup' -and $EventId -eq $script:Expected.EventId -and
                [string]$EntryType -ceq $script:Expected.EntryType -and $Message -ceq $script:Expected.Message
            }
        }

        It 'refuses a recovery password in <Case>, writing nothing and repeating none of it' -TestCases @(
            @{ Case = 'the key IDs'; Fields = @{ keyProtectorIds = @('111111-222222-333333-444444-555555-666666-777777-888888') } }
            @{ Case = 'the key IDs, among real ones'; Fields = @{ keyProtectorIds = @('{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}', '111111 222222 333333 444444 555555 666666 777777 888888') } }
            @{ Case = 'the mount point'; Fields = @{ mountPoint = '111111222222333333444444555555666666777777888888' } }
            @{ Case = 'the destination'; Fields = @{ destination = 'file 111111-222222-333333-444444-555555-666666-777777-888888' } }
            @{ Case = 'the action'; Fields = @{ action = '111111-222222-333333-444444-555555-666666-777777-888888' } }
            @{ Case = 'the outcome'; Fields = @{ outcome = '111111-222222-333333-444444-555555-666666-777777-888888' } }
        ) {
            $result = Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson $Fields)
            Assert-Failure -Result $result -Code 'InvalidArgument'
            $result.Answer.error.message | Should -BeExactly $script:Refused
            $result.Line | Should -Not -Match '111111|\d{6}'
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses <Case>, writing nothing' -TestCases @(
            @{ Case = 'an action in another case'; Fields = @{ action = 'Backup' }; Message = 'action must be backup, add, remove or reveal.' }
            @{ Case = 'an action given as a list'; Fields = @{ action = @('backup') }; Message = 'action must be backup, add, remove or reveal.' }
            @{ Case = 'an unknown outcome'; Fields = @{ outcome = 'ok' }; Message = 'outcome must be succeeded, partial or failed.' }
            @{ Case = 'a mount point that is not a drive letter'; Fields = @{ mountPoint = 'C:\' }; Message = 'mountPoint must be a drive letter such as C:.' }
            @{ Case = 'key IDs that are not a list'; Fields = @{ keyProtectorIds = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}' }; Message = 'keyProtectorIds must list at most 64 key protector IDs.' }
            @{ Case = '65 key IDs'; Fields = @{ keyProtectorIds = @(1..65 | ForEach-Object { '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}' }) }; Message = 'keyProtectorIds must list at most 64 key protector IDs.' }
            @{ Case = 'a key ID without braces'; Fields = @{ keyProtectorIds = @('8A696888-99A7-4FAC-92C7-6CC497EA7BDF') }; Message = 'keyProtectorIds must be GUIDs in braces.' }
            @{ Case = 'text after a key ID'; Fields = @{ keyProtectorIds = @("{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}`nforged entry") }; Message = 'keyProtectorIds must be GUIDs in braces.' }
            @{ Case = 'an unknown destination'; Fields = @{ destination = 'cloud' }; Message = 'destination must be entra, activeDirectory, microsoftAccount, file, usb, pdf, print or null.' }
            @{ Case = 'a backup without a destination'; Fields = @{ destination = $null }; Message = 'destination must name where a backup went, and only a backup.' }
            @{ Case = 'a destination for a removal'; Fields = @{ action = 'remove' }; Message = 'destination must name where a backup went, and only a backup.' }
        ) {
            $result = Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson $Fields)
            Assert-Failure -Result $result -Code 'InvalidArgument'
            $result.Answer.error.message | Should -BeExactly $Message
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses a request with free text of its own' {
            $json = (ConvertTo-TestAuditJson @{}).TrimEnd('}') + ',"message":"all fine"}'
            Assert-Failure -Result (Invoke-Bkb -Name Write-BkbAuditEvent -Json $json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers written false, writing nothing, where the installer registered no source (the portable build)' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $LiteralPath -ceq $script:SourceKey } {
                throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$LiteralPath' because it does not exist.")
            }
            (Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson @{})).Line | Should -Be '{"ok":true,"data":{"written":false}}'
            Should -Invoke -CommandName Write-EventLog -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers written false when the log refuses the entry' {
            Mock -ModuleName BitLockerKeyBackup Write-EventLog { throw [System.InvalidOperationException]::new('The source name "BitLocker Key Backup" does not exist on computer "localhost".') }
            (Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson @{})).Line | Should -Be '{"ok":true,"data":{"written":false}}'
        }

        It 'fails as Windows does when the registry cannot be read' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $LiteralPath -ceq $script:SourceKey } { throw (New-TestComException -HResult '0x80004005' -Message 'Unspecified error') }
            Assert-Failure -Result (Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson @{})) -Code 'CmdletFailed' -HResult '0x80004005'
        }

        It 'needs no administrator rights: any user may write to the Application log' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            (Invoke-Bkb -Name Write-BkbAuditEvent -Json (ConvertTo-TestAuditJson @{})).Answer.data.written | Should -BeTrue
        }
    }

    Context 'Get-BkbAuditEvents' {
        BeforeAll {
            $script:SourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\BitLocker Key Backup'
            function New-TestAuditRecord {
                # An Application-log EventLogRecord of the app's source; Message is $null where Windows cannot format it.
                param([int]$Id, [datetime]$TimeCreated, [long]$RecordId, $Message, [string]$Text)
                [pscustomobject]@{
                    Id = $Id; TimeCreated = $TimeCreated; RecordId = $RecordId; Message = $Message; ProviderName = 'BitLocker Key Backup'
                    Properties = @([pscustomobject]@{ Value = $Text })
                }
            }
        }

        BeforeEach {
            $script:Since = [DateTime]::new(2026, 3, 1, 10, 0, 0, [DateTimeKind]::Utc)
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $LiteralPath -ceq $script:SourceKey } { [pscustomobject]@{ TypesSupported = 7 } }
        }

        It 'reads this source''s entries since the time, oldest first, in the shape of the key history' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                # Newest first, as Get-WinEvent reads a log; two in the same instant keep the log's order.
                New-TestAuditRecord -Id 1002 -TimeCreated $script:Since.AddSeconds(5).ToLocalTime() -RecordId 12 -Message 'Removed.' -Text 'Removed.'
                New-TestAuditRecord -Id 1001 -TimeCreated $script:Since.AddSeconds(5).ToLocalTime() -RecordId 11 -Message 'Added.' -Text 'Added.'
                New-TestAuditRecord -Id 1000 -TimeCreated $script:Since.AddMilliseconds(1).ToLocalTime() -RecordId 10 -Message "Backed up $($script:Password1)." -Text 'Backed up.'
            }
            (Invoke-Bkb -Name Get-BkbAuditEvents -Json '{"since":"2026-03-01T10:00:00Z"}').Line | Should -Be ('{"ok":true,"data":{"events":[' +
                '{"id":1000,"time":"2026-03-01T10:00:00.0010000Z","message":"Backed up [recovery password hidden]."},' +
                '{"id":1001,"time":"2026-03-01T10:00:05.0000000Z","message":"Added."},' +
                '{"id":1002,"time":"2026-03-01T10:00:05.0000000Z","message":"Removed."}]}}')
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $filter = $FilterHashtable[0]
                $filter.LogName -ceq 'Application' -and $filter.ProviderName -ceq 'BitLocker Key Backup' -and $filter.StartTime.ToUniversalTime() -eq $script:Since
            }
        }

        It 'takes an entry''s own text where Windows cannot word its message' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent { New-TestAuditRecord -Id 1003 -TimeCreated $script:Since.ToLocalTime() -RecordId 1 -Message $null -Text 'Revealing 1 recovery key succeeded. Key IDs: none.' }
            (Invoke-Bkb -Name Get-BkbAuditEvents -Json '{"since":"2026-03-01T10:00:00Z"}').Answer.data.events[0].message | Should -BeExactly 'Revealing 1 recovery key succeeded. Key IDs: none.'
        }

        It 'answers an empty list when nothing is logged' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('No events.'), 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null)
            }
            (Invoke-Bkb -Name Get-BkbAuditEvents -Json '{"since":"2026-03-01T10:00:00Z"}').Line | Should -Be '{"ok":true,"data":{"events":[]}}'
        }

        It 'answers an empty list, without reading the log, where no source is registered' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty -ParameterFilter { $LiteralPath -ceq $script:SourceKey } {
                throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$LiteralPath' because it does not exist.")
            }
            (Invoke-Bkb -Name Get-BkbAuditEvents -Json '{"since":"2026-03-01T10:00:00Z"}').Line | Should -Be '{"ok":true,"data":{"events":[]}}'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses a since that is not a time' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbAuditEvents -Json '{"since":"yesterday"}') -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Open-BkbBitLockerPanel' {
        It 'opens the BitLocker control panel on <_>' -ForEach @('Professional', 'Enterprise') {
            $script:Edition = $_
            Mock -ModuleName BitLockerKeyBackup Get-ItemPropertyValue -ParameterFilter {
                $LiteralPath -contains 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -and $Name -contains 'EditionID'
            } { $script:Edition }
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:"}').Line | Should -Be '{"ok":true,"data":{"opened":true,"page":"bitLockerPanel"}}'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $FilePath -eq [System.IO.Path]::Combine($env:SystemRoot, 'System32', 'control.exe') -and
                ($ArgumentList -join ' ') -eq '/name Microsoft.BitLockerDriveEncryption'
            }
        }

        It 'opens Settings, Device encryption on Windows Home (<_>), which has no BitLocker panel' -ForEach @('Core', 'CoreSingleLanguage', 'CoreN') {
            $script:Edition = $_
            Mock -ModuleName BitLockerKeyBackup Get-ItemPropertyValue { $script:Edition }
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:"}').Line | Should -Be '{"ok":true,"data":{"opened":true,"page":"deviceEncryption"}}'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $FilePath -eq 'ms-settings:deviceencryption' -and $null -eq $ArgumentList
            }
        }

        It 'opens the control panel when the edition cannot be read' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:"}').Line | Should -Be '{"ok":true,"data":{"opened":true,"page":"bitLockerPanel"}}'
        }

        It 'reports a failure to start as CmdletFailed with its HRESULT' {
            Mock -ModuleName BitLockerKeyBackup Get-ItemPropertyValue { 'Core' }
            Mock -ModuleName BitLockerKeyBackup Start-Process { throw [System.ComponentModel.Win32Exception]::new(1155) }
            Assert-Failure -Result (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:"}') -Code 'CmdletFailed' -HResult '0x80070483'
        }

        It 'refuses a bad mount point without starting anything' {
            Assert-Failure -Result (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:\\Windows"}') -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Start-BkbElevated' {
        BeforeAll {
            # The app's executable: a real file with an .exe name in this OS's own absolute path form.
            $script:AppExe = Join-Path -Path $TestDrive -ChildPath 'BitLocker Key Backup.exe'
            Set-Content -LiteralPath $script:AppExe -Value 'not a real program'
            Set-Content -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'notes.txt') -Value 'text'
            $script:ParentId = 4242

            function New-ElevationRequest {
                param([string[]]$Arguments)
                $items = @($Arguments | ForEach-Object { ConvertTo-TestJsonString $_ })
                '{"arguments":[' + ($items -join ',') + ']}'
            }
        }

        BeforeEach {
            $script:ParentExe = $script:AppExe
            # This PowerShell's process, and its parent: the app that owns the session.
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Process' } {
                if ($Filter -ceq ('ProcessId=' + $PID)) { return [pscustomobject]@{ ProcessId = [uint32]$PID; ParentProcessId = [uint32]$script:ParentId; ExecutablePath = 'C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe' } }
                if ($Filter -ceq ('ProcessId=' + $script:ParentId)) { return [pscustomobject]@{ ProcessId = [uint32]$script:ParentId; ParentProcessId = [uint32]1; ExecutablePath = $script:ParentExe } }
                throw "Unexpected Win32_Process filter: $Filter"
            }
        }

        It 'starts the app''s own executable elevated, with each argument quoted' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $json = New-ElevationRequest -Arguments @('--elevated', 'two words', 'say "hi"', 'C:\dir\', '')
            (Invoke-Bkb -Name Start-BkbElevated -Json $json).Line | Should -Be '{"ok":true,"data":{"started":true}}'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $FilePath -eq $script:AppExe -and $Verb -eq 'RunAs' -and
                ($ArgumentList -join '|') -eq '"--elevated"|"two words"|"say \"hi\""|"C:\dir\\"|""'
            }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $ClassName -eq 'Win32_Process' -and $Filter -ceq ('ProcessId=' + $PID) }
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $ClassName -eq 'Win32_Process' -and $Filter -ceq 'ProcessId=4242' }
        }

        It 'quotes arguments so that Windows splits them back exactly' -Skip:([Environment]::OSVersion.Platform -ne [PlatformID]::Win32NT) {
            if (-not ('BkbTest.NativeArgs' -as [type])) {
                Add-Type -Namespace BkbTest -Name NativeArgs -MemberDefinition @'
[DllImport("shell32.dll", SetLastError = true)]
private static extern IntPtr CommandLineToArgvW([MarshalAs(UnmanagedType.LPWStr)] string lpCmdLine, out int pNumArgs);
[DllImport("kernel32.dll")]
private static extern IntPtr LocalFree(IntPtr hMem);
public static string[] Split(string commandLine)
{
    int count;
    IntPtr argv = CommandLineToArgvW(commandLine, out count);
    if (argv == IntPtr.Zero) { throw new System.ComponentModel.Win32Exception(); }
    try
    {
        string[] result = new string[count];
        for (int i = 0; i < count; i++) { result[i] = Marshal.PtrToStringUni(Marshal.ReadIntPtr(argv, i * IntPtr.Size)); }
        return result;
    }
    finally { LocalFree(argv); }
}
'@
            }
            $original = @('--elevated', 'two words', 'say "hi"', 'C:\dir\', '', 'a\\"b', 'back\slash', "tab`there")
            # Control characters are refused; the tab case checks exactly that.
            $accepted = @($original | Where-Object { $_ -notmatch '[\x00-\x1F]' })
            Mock -ModuleName BitLockerKeyBackup Start-Process { $script:StartedWith = $PesterBoundParameters }
            (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments $accepted)).Answer.ok | Should -BeTrue
            $split = [BkbTest.NativeArgs]::Split('app.exe ' + ($script:StartedWith['ArgumentList'] -join ' '))
            @($split | Select-Object -Skip 1) | Should -Be $accepted
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments $original)) -Code 'InvalidArgument'
        }

        It 'passes no ArgumentList when there are no arguments' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @())).Answer.ok | Should -BeTrue
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $null -eq $ArgumentList }
        }

        It 'reports a cancelled UAC prompt as CmdletFailed 0x800704C7' {
            Mock -ModuleName BitLockerKeyBackup Start-Process {
                throw [System.InvalidOperationException]::new('This command cannot be run due to the error: ' + [System.ComponentModel.Win32Exception]::new(1223).Message)
            }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @('--elevated'))
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x800704C7'
            $result.Answer.error.message | Should -Be 'The request to run as administrator was cancelled.'
        }

        It 'reports other start failures as CmdletFailed' {
            # Start-Process hands over the Win32 error as text only, so there is no HRESULT to report.
            Mock -ModuleName BitLockerKeyBackup Start-Process {
                throw [System.InvalidOperationException]::new('This command cannot be run due to the error: The file or directory is corrupted and unreadable.')
            }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @())
            Assert-Failure -Result $result -Code 'CmdletFailed'
            $result.Answer.error.message | Should -Match 'corrupted'
        }

        It 'reports a start failure that carries a Win32 error with its HRESULT' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { throw [System.ComponentModel.Win32Exception]::new(1392) }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @())
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x80070570'
        }

        It 'refuses a request that names an executable' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $json = '{"executable":' + (ConvertTo-TestJsonString $script:AppExe) + ',"arguments":[]}'
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json $json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'fails with CmdletFailed when the app''s executable is <Case>' -TestCases @(
            @{ Case = 'unknown'; Executable = $null }
            @{ Case = 'a relative path'; Executable = 'BitLocker Key Backup.exe' }
            @{ Case = 'a drive-relative path'; Executable = 'C:app.exe' }
            @{ Case = 'behind a parent segment'; Executable = '%TESTDRIVE%/../BitLocker Key Backup.exe' }
            @{ Case = 'not an .exe'; Executable = '%TESTDRIVE%/notes.txt' }
            @{ Case = 'missing'; Executable = '%TESTDRIVE%/missing.exe' }
            @{ Case = 'a device path'; Executable = '\\?\C:\Windows\notepad.exe' }
            @{ Case = 'an alternate data stream'; Executable = '%TESTDRIVE%/notes.txt:hidden.exe' }
            @{ Case = 'a path with a quote'; Executable = 'C:\bad"name.exe' }
        ) {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $script:ParentExe = $Executable
            if ($Executable) { $script:ParentExe = $Executable.Replace('%TESTDRIVE%/', $TestDrive + [System.IO.Path]::DirectorySeparatorChar) }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @())
            Assert-Failure -Result $result -Code 'CmdletFailed'
            $result.Answer.error.message | Should -Match 'program'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'fails with CmdletFailed when Windows does not know this process''s parent' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Process' } { }
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Arguments @())) -Code 'CmdletFailed'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses arguments that are not a list of strings' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json '{"arguments":"--elevated"}') -Code 'InvalidArgument'
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json '{"arguments":[1]}') -Code 'InvalidArgument'
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json '{"arguments":null}') -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }
}

Describe 'Windows'' own modules only (BKB_SYSTEM_MODULES: the packaged app''s session)' {
    BeforeAll {
        # Stand-ins for Windows' BitLocker and Storage modules, in a folder standing for Windows' module folder.
        $script:WindowsModules = Join-Path -Path $TestDrive -ChildPath 'WindowsModules'
        foreach ($name in 'BitLocker', 'Storage') {
            $folder = Join-Path -Path $script:WindowsModules -ChildPath $name
            $null = New-Item -ItemType Directory -Path $folder -Force
            Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$name.psm1") -Value "function Get-StandIn$name { '$name' }"
            Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$name.psd1") -Value "@{ RootModule = '$name.psm1'; ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @('Get-StandIn$name') }"
        }
    }

    It 'switches module autoloading off for the session and imports BitLocker and Storage by full path from that folder' {
        $saved = Get-Variable -Name PSModuleAutoLoadingPreference -Scope Global -ValueOnly -ErrorAction SilentlyContinue
        try {
            $state = InModuleScope BitLockerKeyBackup -Parameters @{ Folder = $script:WindowsModules } {
                param($Folder)
                $script:SystemModules = $Folder
                try {
                    Import-BkbSystemModules
                    @{ AutoLoading = [string]$global:PSModuleAutoLoadingPreference; BitLocker = [bool](Test-BkbBitLockerModule) }
                }
                finally { $script:SystemModules = $null }
            }
        }
        finally {
            if ($null -eq $saved) { Remove-Variable -Name PSModuleAutoLoadingPreference -Scope Global -ErrorAction SilentlyContinue }
            else { $global:PSModuleAutoLoadingPreference = $saved }
        }
        try {
            $state.AutoLoading | Should -Be 'None'
            $state.BitLocker | Should -BeTrue
            foreach ($name in 'BitLocker', 'Storage') {
                @(Get-Module -Name $name | ForEach-Object { $_.Path }) | Should -Contain ([System.IO.Path]::Combine($script:WindowsModules, $name, "$name.psm1"))
            }
        }
        finally {
            Get-Module -Name BitLocker, Storage | Where-Object { $_.Path.StartsWith($script:WindowsModules) } | Remove-Module -Force
        }
    }

    It 'reports the BitLocker module missing when Windows'' folder has none, whatever PSModulePath offers' {
        $empty = Join-Path -Path $TestDrive -ChildPath 'NoModules'
        $null = New-Item -ItemType Directory -Path $empty -Force
        InModuleScope BitLockerKeyBackup -Parameters @{ Folder = $empty } {
            param($Folder)
            Mock Get-Module { } -ParameterFilter { $Name -eq 'BitLocker' -and -not $ListAvailable }
            $script:SystemModules = $Folder
            try { Test-BkbBitLockerModule | Should -BeFalse }
            finally { $script:SystemModules = $null }
            Should -Invoke Get-Module -Times 1 -Exactly -ParameterFilter { -not $ListAvailable }
        }
    }

    It 'leaves autoloading alone without it (development and tests)' {
        $source = Get-Content -LiteralPath $script:ModuleFile -Raw
        $source | Should -Match '(?m)^if \(\$script:SystemModules\) \{ Import-BkbSystemModules \}$'
        InModuleScope BitLockerKeyBackup { $script:SystemModules | Should -BeNullOrEmpty }
    }
}
