#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
<#
    Pester 5 tests for BitLockerKeyBackup.psm1, for Windows PowerShell 5.1 and PowerShell 7 alike.
    Every Windows cmdlet the module uses is mocked: nothing here reads or changes the machine's BitLocker state.
    Each call goes through Invoke-Bkb, which calls the function the way the app does (one base64 JSON argument)
    and checks the wire rules every answer must keep: exactly one line on stdout, nothing in any PowerShell stream.
#>

BeforeAll {
    $script:ModuleFile = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'BitLockerKeyBackup.psm1'

    # Mock needs a command to replace; Windows Server images lack the BitLocker module unless the feature is
    # installed, and PowerShell 7 off Windows lacks the rest.
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
        function global:Get-Volume { [CmdletBinding()] param([char[]]$DriveLetter) }
        $script:Stubs.Add('Get-Volume')
    }
    if (-not (Get-Command -Name Get-CimInstance -ErrorAction SilentlyContinue)) {
        function global:Get-CimInstance { [CmdletBinding()] param([string]$ClassName, [string]$Namespace, [string]$Filter) }
        $script:Stubs.Add('Get-CimInstance')
    }
    if (-not (Get-Command -Name Get-WinEvent -ErrorAction SilentlyContinue)) {
        function global:Get-WinEvent { [CmdletBinding()] param([hashtable[]]$FilterHashtable) }
        $script:Stubs.Add('Get-WinEvent')
    }

    # Real .NET enums, as Get-BitLockerVolume hands them over (Windows PowerShell 5.1 would write them as numbers).
    if (-not ('BkbTest.VolumeStatus' -as [type])) {
        Add-Type -TypeDefinition @'
namespace BkbTest
{
    public enum VolumeStatus { FullyDecrypted = 0, FullyEncrypted = 1, EncryptionInProgress = 2, DecryptionInProgress = 3, EncryptionSuspended = 4, DecryptionSuspended = 5 }
    public enum ProtectionStatus { Off = 0, On = 1, Unknown = 2 }
    public enum LockStatus { Unlocked = 0, Locked = 1 }
    public enum VolumeType { OperatingSystem = 0, Data = 1 }
    public enum EncryptionMethod { None = 0, Aes128 = 3, XtsAes128 = 6, XtsAes256 = 7 }
    public enum KeyProtectorType { Unknown = 0, Tpm = 1, ExternalKey = 2, RecoveryPassword = 3, TpmPin = 4 }
}
'@
    }

    $script:Id1 = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}'
    $script:Id2 = '{1B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D}'
    $script:IdTpm = '{0F0E0D0C-0B0A-4908-8706-050403020100}'
    $script:Password1 = '111111-222222-333333-444444-555555-666666-777777-888888'
    $script:Password2 = '000011-000022-000033-000044-000055-000066-000077-000088'
    # A French-and-Chinese label, built from code points so the file reads the same in every PowerShell's default encoding.
    $script:UnicodeLabel = 'Donn' + [char]0x00E9 + 'es-' + [char]0x6570 + [char]0x636E

    function ConvertTo-TestBase64 {
        param([string]$Json)
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json))
    }

    function ConvertTo-TestJsonString {
        param([string]$Value)
        ConvertTo-Json -InputObject $Value -Compress
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

    function New-TestProtector {
        param([string]$Id, $Type, [string]$RecoveryPassword = '')
        [pscustomobject]@{
            KeyProtectorId      = $Id
            AutoUnlockProtector = $null
            KeyProtectorType    = $Type
            KeyFileName         = ''
            RecoveryPassword    = $RecoveryPassword
            KeyCertificateType  = $null
            Thumbprint          = ''
        }
    }

    function New-TestVolume {
        param(
            [string]$MountPoint = 'C:',
            $VolumeType = [BkbTest.VolumeType]::OperatingSystem,
            $VolumeStatus = [BkbTest.VolumeStatus]::FullyEncrypted,
            $ProtectionStatus = [BkbTest.ProtectionStatus]::On,
            $LockStatus = [BkbTest.LockStatus]::Unlocked,
            $EncryptionMethod = [BkbTest.EncryptionMethod]::XtsAes128,
            $EncryptionPercentage = 100,
            $CapacityGB = [single]475.7,
            [object[]]$KeyProtector = @()
        )
        [pscustomobject]@{
            ComputerName         = 'TESTPC'
            MountPoint           = $MountPoint
            EncryptionMethod     = $EncryptionMethod
            AutoUnlockEnabled    = $null
            AutoUnlockKeyStored  = $null
            MetadataVersion      = 2
            VolumeStatus         = $VolumeStatus
            ProtectionStatus     = $ProtectionStatus
            LockStatus           = $LockStatus
            EncryptionPercentage = $EncryptionPercentage
            WipePercentage       = 0
            VolumeType           = $VolumeType
            CapacityGB           = $CapacityGB
            KeyProtector         = $KeyProtector
        }
    }

    function New-TestEvent {
        param([int]$Id, [datetime]$TimeCreated, [string]$ProtectorGuid, [string]$Message)
        $data = "<Data Name='VolumeName'>C:</Data><Data Name='VolumeMountPoint'>C:</Data>"
        if ($ProtectorGuid) { $data += "<Data Name='ProtectorGUID'>$ProtectorGuid</Data>" }
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
            'Backup-BkbToActiveDirectory', 'Backup-BkbToEntra', 'Get-BkbBackupEvents', 'Get-BkbEnvironment',
            'Get-BkbPathInfo', 'Get-BkbRecoveryPassword', 'Get-BkbVolumeRoot', 'Get-BkbVolumes', 'Open-BkbBitLockerPanel',
            'Start-BkbElevated'
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

    It 'exports exactly the module functions' {
        $module = Get-Module -Name BitLockerKeyBackup
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @($script:Exported | Sort-Object)
        $module.ExportedFunctions.ContainsKey('Invoke-BkbCall') | Should -BeFalse
    }

    It '<_> takes one mandatory string -Request and documents it' -ForEach @(
        'Backup-BkbToActiveDirectory', 'Backup-BkbToEntra', 'Get-BkbBackupEvents', 'Get-BkbEnvironment',
        'Get-BkbPathInfo', 'Get-BkbRecoveryPassword', 'Get-BkbVolumeRoot', 'Get-BkbVolumes', 'Open-BkbBitLockerPanel',
        'Start-BkbElevated'
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

Describe 'BitLockerKeyBackup functions' {
    BeforeEach {
        # Every Windows dependency refuses unless a test says otherwise.
        Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $true }
        Mock -ModuleName BitLockerKeyBackup Test-BkbBitLockerModule { $true }
        Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd { }
        Mock -ModuleName BitLockerKeyBackup Get-CimInstance { throw 'Get-CimInstance is not mocked for this query.' }
        Mock -ModuleName BitLockerKeyBackup Get-ItemProperty { throw 'Get-ItemProperty is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Get-Volume { throw 'Get-Volume is not mocked for this drive.' }
        Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume { throw 'Get-BitLockerVolume is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector { throw 'BackupToAAD-BitLockerKeyProtector is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector { throw 'Backup-BitLockerKeyProtector is not mocked.' }
        Mock -ModuleName BitLockerKeyBackup Get-WinEvent { throw 'Get-WinEvent is not mocked.' }
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
        It 'reports the join state parsed from dsregcmd /status' {
            Mock -ModuleName BitLockerKeyBackup Invoke-BkbDsregcmd {
                '+----------------------------------------------------------------------+'
                '| Device State                                                         |'
                '+----------------------------------------------------------------------+'
                ''
                '             AzureAdJoined : YES'
                '          EnterpriseJoined : NO'
                '              DomainJoined : YES'
                '                DomainName : CONTOSO'
                '               Device Name : pc01.contoso.com'
                ''
                '+----------------------------------------------------------------------+'
                '| Tenant Details                                                       |'
                '+----------------------------------------------------------------------+'
                ''
                '                TenantName : Contoso Ltd'
                '                  TenantId : 72f988bf-86f1-41af-91ab-2d7cd011db47'
            }
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' } {
                [pscustomobject]@{ Caption = 'Microsoft Windows 11 Pro ' }
            }

            $result = Invoke-Bkb -Name Get-BkbEnvironment
            $result.Answer.ok | Should -BeTrue
            $data = $result.Answer.data
            @($data.PSObject.Properties.Name | Sort-Object) | Should -Be @(
                'bitLockerModule', 'computerName', 'domainJoined', 'domainName', 'edition', 'elevated',
                'entraJoined', 'powerShellVersion', 'tenantName' | Sort-Object)
            $data.computerName | Should -Not -BeNullOrEmpty
            $data.elevated | Should -BeTrue
            $data.edition | Should -Be 'Microsoft Windows 11 Pro'
            $data.entraJoined | Should -BeTrue
            $data.domainJoined | Should -BeTrue
            $data.domainName | Should -Be 'CONTOSO'
            $data.tenantName | Should -Be 'Contoso Ltd'
            $data.bitLockerModule | Should -BeTrue
            $data.powerShellVersion | Should -Be $PSVersionTable.PSVersion.ToString()
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } -Times 0 -Exactly
        }

        It 'falls back to Win32_ComputerSystem and the registry without dsregcmd' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            Mock -ModuleName BitLockerKeyBackup Test-BkbBitLockerModule { $false }
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ PartOfDomain = $true; Domain = 'corp.contoso.com' }
            }
            Mock -ModuleName BitLockerKeyBackup Get-ItemProperty { [pscustomobject]@{ EditionID = 'Professional' } }

            $data = (Invoke-Bkb -Name Get-BkbEnvironment).Answer.data
            $data.elevated | Should -BeFalse
            $data.bitLockerModule | Should -BeFalse
            $data.edition | Should -Be 'Professional'
            $data.entraJoined | Should -BeFalse
            $data.domainJoined | Should -BeTrue
            $data.domainName | Should -Be 'corp.contoso.com'
            $data.tenantName | Should -BeNullOrEmpty
        }

        It 'reports a workgroup PC with an unknown edition as such' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' } {
                [pscustomobject]@{ PartOfDomain = $false; Domain = 'WORKGROUP' }
            }
            $result = Invoke-Bkb -Name Get-BkbEnvironment
            $result.Line | Should -Match '"edition":null'
            $result.Line | Should -Match '"domainName":null'
            $result.Answer.data.domainJoined | Should -BeFalse
        }
    }

    Context 'Get-BkbVolumes' {
        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
                [pscustomobject]@{ DriveLetter = 'E:'; VolumeType = 2 }
                [pscustomobject]@{ DriveLetter = $null; VolumeType = 1 }
                [pscustomobject]@{ DriveLetter = 'C:'; VolumeType = 0 }
                [pscustomobject]@{ DriveLetter = 'D:'; VolumeType = 1 }
            }
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'E:' -VolumeType 1 -VolumeStatus 0 -ProtectionStatus 0 -LockStatus 0 -EncryptionMethod 0 -EncryptionPercentage 0 -CapacityGB 29.3
                New-TestVolume -MountPoint '\\?\Volume{6d1b5c2e-0000-0000-0000-100000000000}\' -VolumeType 'Data'
                New-TestVolume -MountPoint 'C:' -EncryptionMethod ([BkbTest.EncryptionMethod]::XtsAes256) -KeyProtector @(
                    (New-TestProtector -Id $script:IdTpm -Type ([BkbTest.KeyProtectorType]::Tpm)),
                    (New-TestProtector -Id $script:Id1 -Type ([BkbTest.KeyProtectorType]::RecoveryPassword) -RecoveryPassword $script:Password1))
                New-TestVolume -MountPoint 'D:' -VolumeType 'Data' -VolumeStatus $null -ProtectionStatus 'On' -LockStatus 'Locked' -EncryptionMethod 'XtsAes128' -EncryptionPercentage $null -KeyProtector @(
                    (New-TestProtector -Id $script:Id2 -Type 'RecoveryPassword'))
            }
            Mock -ModuleName BitLockerKeyBackup Get-Volume -ParameterFilter { $DriveLetter -contains 'C' } {
                [pscustomobject]@{ DriveLetter = 'C'; FileSystemLabel = 'Windows'; FileSystem = 'NTFS'; DriveType = 'Fixed'; SizeRemaining = [uint64]123456789012 }
            }
            Mock -ModuleName BitLockerKeyBackup Get-Volume -ParameterFilter { $DriveLetter -contains 'D' } {
                [pscustomobject]@{ DriveLetter = 'D'; FileSystemLabel = ''; FileSystem = ''; DriveType = 'Fixed'; SizeRemaining = [uint64]0 }
            }
            Mock -ModuleName BitLockerKeyBackup Get-Volume -ParameterFilter { $DriveLetter -contains 'E' } {
                [pscustomobject]@{ DriveLetter = 'E'; FileSystemLabel = $script:UnicodeLabel; FileSystem = 'FAT32'; DriveType = 'Removable'; SizeRemaining = [uint64]1048576 }
            }
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

        It 'turns .NET enums, numbers and names alike into enum names' {
            $volumes = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)
            $c = $volumes[0]
            $c.driveType | Should -Be 'OperatingSystem'
            $c.volumeStatus | Should -Be 'FullyEncrypted'
            $c.protectionStatus | Should -Be 'On'
            $c.lockStatus | Should -Be 'Unlocked'
            $c.encryptionMethod | Should -Be 'XtsAes256'
            $c.encryptionPercentage | Should -Be 100
            $c.capacityGB | Should -Be 475.7
            $c.label | Should -Be 'Windows'
            $c.fileSystem | Should -Be 'NTFS'
            $c.freeSpaceBytes | Should -Be 123456789012
            @($c.keyProtectors.keyProtectorType) | Should -Be @('Tpm', 'RecoveryPassword')
            @($c.keyProtectors.keyProtectorId) | Should -Be @($script:IdTpm, $script:Id1)

            $e = $volumes[2]
            $e.driveType | Should -Be 'Removable'
            $e.volumeStatus | Should -Be 'FullyDecrypted'
            $e.protectionStatus | Should -Be 'Off'
            $e.lockStatus | Should -Be 'Unlocked'
            $e.encryptionMethod | Should -Be 'None'
            $e.encryptionPercentage | Should -Be 0
            $e.label | Should -Be $script:UnicodeLabel
        }

        It 'reports a locked volume without status, percentage, label or free space' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $d = @($result.Answer.data.volumes)[1]
            $d.lockStatus | Should -Be 'Locked'
            $d.driveType | Should -Be 'Fixed'
            $d.protectionStatus | Should -Be 'On'
            $d.volumeStatus | Should -BeNullOrEmpty
            $d.encryptionPercentage | Should -BeNullOrEmpty
            $d.freeSpaceBytes | Should -BeNullOrEmpty
            $d.label | Should -BeNullOrEmpty
            $result.Line | Should -Match '"mountPoint":"D:","label":null'
            $result.Line | Should -Match '"volumeStatus":null'
            $result.Line | Should -Match '"encryptionPercentage":null'
        }

        It 'keeps one-item and empty arrays as JSON arrays' {
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $result.Line | Should -Match ('"keyProtectors":\[\{"keyProtectorId":"' + [regex]::Escape($script:Id2) + '","keyProtectorType":"RecoveryPassword"\}\]')
            $result.Line | Should -Match '"keyProtectors":\[\]'
            (@($result.Answer.data.volumes)[1].keyProtectors -is [array]) | Should -BeTrue
        }

        It 'keeps a single volume in an array' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
                [pscustomobject]@{ DriveLetter = 'C:'; VolumeType = 0 }
            }
            $result = Invoke-Bkb -Name Get-BkbVolumes
            $result.Line | Should -Match '^\{"ok":true,"data":\{"volumes":\[\{"mountPoint":"C:"'
            ($result.Answer.data.volumes -is [array]) | Should -BeTrue
        }

        It 'answers an empty list when BitLocker has no volume to offer' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } { }
            (Invoke-Bkb -Name Get-BkbVolumes).Line | Should -Be '{"ok":true,"data":{"volumes":[]}}'
        }

        It 'never includes a recovery password' {
            $line = (Invoke-Bkb -Name Get-BkbVolumes).Line
            $line | Should -Not -Match ([regex]::Escape($script:Password1))
            $line | Should -Not -Match '\d{6}-\d{6}-\d{6}'
        }

        It 'falls back to the BitLocker volume type and Get-Volume when WMI gives no drive type' {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
                [pscustomobject]@{ DriveLetter = 'C:'; VolumeType = $null }
                [pscustomobject]@{ DriveLetter = 'D:'; VolumeType = $null }
                [pscustomobject]@{ DriveLetter = 'E:'; VolumeType = $null }
            }
            @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes.driveType) | Should -Be @('OperatingSystem', 'Fixed', 'Removable')
        }

        It 'still lists a volume whose label and free space cannot be read' {
            Mock -ModuleName BitLockerKeyBackup Get-Volume -ParameterFilter { $DriveLetter -contains 'C' } { throw 'The Storage module failed.' }
            $c = @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes)[0]
            $c.mountPoint | Should -Be 'C:'
            $c.label | Should -BeNullOrEmpty
            $c.fileSystem | Should -BeNullOrEmpty
            $c.freeSpaceBytes | Should -BeNullOrEmpty
            $c.volumeStatus | Should -Be 'FullyEncrypted'
        }

        It 'leaves out a volume Windows cannot read and lists the others' {
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume -ParameterFilter { $MountPoint -contains 'D:' } {
                throw (New-TestComException -HResult '0x80070015' -Message 'The device is not ready.')
            }
            @((Invoke-Bkb -Name Get-BkbVolumes).Answer.data.volumes.mountPoint) | Should -Be @('C:', 'E:')
        }

        It 'fails with the HRESULT when no volume can be read' {
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume { throw (New-TestComException -HResult '0x80070015' -Message 'The device is not ready.') }
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumes) -Code 'CmdletFailed' -HResult '0x80070015'
        }

        It 'refuses when not elevated, before touching BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $result = Invoke-Bkb -Name Get-BkbVolumes
            Assert-Failure -Result $result -Code 'NotElevated' -HResult '0x80041003'
            $result.Answer.error.message | Should -Be 'Reading BitLocker volumes needs administrator rights.'
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
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
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'C:' -KeyProtector @(
                    (New-TestProtector -Id $script:IdTpm -Type 'Tpm'),
                    (New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword $script:Password1),
                    (New-TestProtector -Id $script:Id2 -Type 3 -RecoveryPassword $script:Password2))
                New-TestVolume -MountPoint 'D:' -VolumeType 'Data' -VolumeStatus $null -LockStatus 'Locked' -KeyProtector @(
                    (New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword'))
            }
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume -ParameterFilter { $MountPoint -contains 'Z:' } {
                throw (New-TestComException -HResult '0x80070490' -Message 'Element not found.')
            }
        }

        It 'returns the requested recovery password, not the first one' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id2 + '"}'
            $result = Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json
            $result.Answer.ok | Should -BeTrue
            $result.Answer.data.keyProtectorId | Should -Be $script:Id2
            $result.Answer.data.recoveryPassword | Should -Be $script:Password2
            @($result.Answer.data.PSObject.Properties.Name) | Should -Be @('keyProtectorId', 'recoveryPassword')
        }

        It 'accepts a lower-case drive letter and GUID' {
            $json = '{"mountPoint":"c:","keyProtectorId":"' + $script:Id1.ToLowerInvariant() + '"}'
            $result = Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json
            $result.Answer.data.keyProtectorId | Should -Be $script:Id1
            $result.Answer.data.recoveryPassword | Should -Be $script:Password1
        }

        It 'answers ProtectorNotFound for a protector that is not a recovery password' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:IdTpm + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'ProtectorNotFound'
        }

        It 'answers ProtectorNotFound for an unknown protector' {
            $json = '{"mountPoint":"C:","keyProtectorId":"{00000000-0000-0000-0000-000000000001}"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'ProtectorNotFound'
        }

        It 'answers VolumeLocked for a locked volume' {
            $json = '{"mountPoint":"D:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'VolumeLocked'
        }

        It 'answers VolumeNotFound for a drive BitLocker does not know' {
            $json = '{"mountPoint":"Z:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'VolumeNotFound' -HResult '0x80070490'
        }

        It 'refuses when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'NotElevated' -HResult '0x80041003'
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'fails without echoing anything when Windows returns no readable password' {
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'C:' -KeyProtector @((New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword ''))
            }
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $json) -Code 'CmdletFailed'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a mount point with a backslash'; Json = '{"mountPoint":"C:\\","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'two letters'; Json = '{"mountPoint":"CC:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a digit'; Json = '{"mountPoint":"1:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a trailing newline'; Json = '{"mountPoint":"C:\n","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a number as mount point'; Json = '{"mountPoint":3,"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}"}' }
            @{ Case = 'a GUID without braces'; Json = '{"mountPoint":"C:","keyProtectorId":"8A696888-99A7-4FAC-92C7-6CC497EA7BDF"}' }
            @{ Case = 'a GUID with a suffix'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}x"}' }
            @{ Case = 'code in the GUID'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-$(whoami)}"}' }
            @{ Case = 'an extra field'; Json = '{"mountPoint":"C:","keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","extra":1}' }
            @{ Case = 'a missing field'; Json = '{"mountPoint":"C:"}' }
            @{ Case = 'null fields'; Json = '{"mountPoint":null,"keyProtectorId":null}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbRecoveryPassword -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Get-BkbPathInfo' {
        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_LogicalDisk' } {
                [pscustomobject]@{ DeviceID = 'C:'; DriveType = 3 }
                [pscustomobject]@{ DeviceID = 'D:'; DriveType = 2 }
                [pscustomobject]@{ DeviceID = 'E:'; DriveType = 3 }
                [pscustomobject]@{ DeviceID = 'F:'; DriveType = 2 }
                [pscustomobject]@{ DeviceID = 'Z:'; DriveType = 4 }
            }
            Mock -ModuleName BitLockerKeyBackup Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_EncryptableVolume' } {
                [pscustomobject]@{ DriveLetter = 'C:'; VolumeType = 0 }
                [pscustomobject]@{ DriveLetter = 'D:'; VolumeType = 2 }
                [pscustomobject]@{ DriveLetter = 'F:'; VolumeType = 2 }
            }
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'C:'
                New-TestVolume -MountPoint 'D:' -VolumeType 'Data' -VolumeStatus 'FullyDecrypted' -ProtectionStatus 'Off' -EncryptionMethod 'None' -EncryptionPercentage 0
                New-TestVolume -MountPoint 'F:' -VolumeType 'Data' -VolumeStatus $null -LockStatus 'Locked' -EncryptionPercentage $null
            }
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume -ParameterFilter { $MountPoint -contains 'E:' } {
                throw (New-TestComException -HResult '0x80070490' -Message 'Element not found.')
            }
        }

        It 'treats a UNC path as a network location without asking BitLocker' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"path":' + (ConvertTo-TestJsonString '\\fileserver\keys$\BitLocker Recovery Key.TXT') + '}'
            $result = Invoke-Bkb -Name Get-BkbPathInfo -Json $json
            $result.Line | Should -Be '{"ok":true,"data":{"isNetwork":true,"mountPoint":null,"driveType":null,"volumeStatus":null,"protectionStatus":null,"lockStatus":null}}'
            Should -Invoke -CommandName Get-CimInstance -ModuleName BitLockerKeyBackup -Times 0 -Exactly
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'describes an unencrypted USB stick' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'd:\Keys\BitLocker Recovery Key.TXT') + '}'
            $data = (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer.data
            $data.isNetwork | Should -BeFalse
            $data.mountPoint | Should -Be 'D:'
            $data.driveType | Should -Be 'Removable'
            $data.volumeStatus | Should -Be 'FullyDecrypted'
            $data.protectionStatus | Should -Be 'Off'
            $data.lockStatus | Should -Be 'Unlocked'
        }

        It 'describes the encrypted system drive' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'C:\Users\me\Documents\key.txt') + '}'
            $data = (Invoke-Bkb -Name Get-BkbPathInfo -Json $json).Answer.data
            $data.driveType | Should -Be 'OperatingSystem'
            $data.volumeStatus | Should -Be 'FullyEncrypted'
            $data.protectionStatus | Should -Be 'On'
        }

        It 'describes a locked volume without its conversion status' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'F:\key.txt') + '}'
            $result = Invoke-Bkb -Name Get-BkbPathInfo -Json $json
            $result.Answer.data.lockStatus | Should -Be 'Locked'
            $result.Answer.data.driveType | Should -Be 'Removable'
            $result.Line | Should -Match '"volumeStatus":null'
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
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers VolumeNotFound for a drive that does not exist' {
            $json = '{"path":' + (ConvertTo-TestJsonString 'Q:\key.txt') + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'VolumeNotFound'
        }

        It 'refuses a drive path when not elevated' {
            Mock -ModuleName BitLockerKeyBackup Test-BkbElevated { $false }
            $json = '{"path":' + (ConvertTo-TestJsonString 'D:\key.txt') + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'NotElevated' -HResult '0x80041003'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a relative path'; Path = 'keys\key.txt' }
            @{ Case = 'a drive-relative path'; Path = 'C:key.txt' }
            @{ Case = 'a bare drive letter'; Path = 'C:' }
            @{ Case = 'a rooted path without a drive'; Path = '\keys\key.txt' }
            @{ Case = 'a parent segment'; Path = 'D:\Keys\..\Windows\key.txt' }
            @{ Case = 'a parent segment in a UNC path'; Path = '\\server\share\..\other\key.txt' }
            @{ Case = 'a \\?\ path'; Path = '\\?\C:\keys\key.txt' }
            @{ Case = 'a \\.\ path'; Path = '\\.\PhysicalDrive0' }
            @{ Case = 'a server without a share'; Path = '\\server' }
            @{ Case = 'an empty path'; Path = '' }
            @{ Case = 'a control character'; Path = "D:\keys`n\key.txt" }
        ) {
            $json = '{"path":' + (ConvertTo-TestJsonString $Path) + '}'
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json $json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses a path that is not a string' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbPathInfo -Json '{"path":["C:\\"]}') -Code 'InvalidArgument'
        }
    }

    Context 'Get-BkbVolumeRoot' {
        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'E:' -VolumeType 'Data' -VolumeStatus 'FullyDecrypted' -ProtectionStatus 'Off'
                New-TestVolume -MountPoint 'F:' -VolumeType 'Data' -VolumeStatus $null -LockStatus 'Locked'
            }
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume -ParameterFilter { $MountPoint -contains 'Q:' } {
                throw (New-TestComException -HResult '0x80070490' -Message 'Element not found.')
            }
            Mock -ModuleName BitLockerKeyBackup Test-Path { $true }
        }

        It 'gives the root folder of an unlocked drive' {
            (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"e:"}').Line | Should -Be '{"ok":true,"data":{"path":"E:\\"}}'
            Should -Invoke -CommandName Test-Path -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $LiteralPath -contains 'E:\' }
        }

        It 'answers VolumeLocked for a locked drive' {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbVolumeRoot -Json '{"mountPoint":"F:"}') -Code 'VolumeLocked'
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
            Should -Invoke -CommandName Get-BitLockerVolume -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Backup-BkbToEntra' {
        BeforeEach {
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'C:' -KeyProtector @(
                    (New-TestProtector -Id $script:IdTpm -Type 'Tpm'),
                    (New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword $script:Password1))
                New-TestVolume -MountPoint 'D:' -VolumeType 'Data' -VolumeStatus $null -LockStatus 'Locked' -KeyProtector @(
                    (New-TestProtector -Id $script:Id2 -Type 'RecoveryPassword'))
            }
            $script:Request = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
        }

        It 'backs up the protector and reports when it was sent' {
            Mock -ModuleName BitLockerKeyBackup BackupToAAD-BitLockerKeyProtector {
                $script:CalledAt = [DateTime]::UtcNow
                # The real cmdlet returns the volume, passwords included.
                New-TestVolume -MountPoint 'C:' -KeyProtector @((New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword $script:Password1))
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

        It 'answers ProtectorNotFound for a protector that is not a recovery password' {
            $json = '{"mountPoint":"C:","keyProtectorId":"' + $script:IdTpm + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToEntra -Json $json) -Code 'ProtectorNotFound'
            Should -Invoke -CommandName BackupToAAD-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'answers VolumeLocked for a locked volume' {
            $json = '{"mountPoint":"D:","keyProtectorId":"' + $script:Id2 + '"}'
            Assert-Failure -Result (Invoke-Bkb -Name Backup-BkbToEntra -Json $json) -Code 'VolumeLocked'
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
            Mock -ModuleName BitLockerKeyBackup Get-BitLockerVolume {
                New-TestVolume -MountPoint 'C:' -KeyProtector @((New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword $script:Password1))
            }
            $script:Request = '{"mountPoint":"C:","keyProtectorId":"' + $script:Id1 + '"}'
        }

        It 'backs up the protector and reports when it was sent' {
            Mock -ModuleName BitLockerKeyBackup Backup-BitLockerKeyProtector {
                New-TestVolume -MountPoint 'C:' -KeyProtector @((New-TestProtector -Id $script:Id1 -Type 'RecoveryPassword' -RecoveryPassword $script:Password1))
            }
            $result = Invoke-Bkb -Name Backup-BkbToActiveDirectory -Json $script:Request
            $result.Line | Should -Match '^\{"ok":true,"data":\{"sentAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z"\}\}$'
            Should -Invoke -CommandName Backup-BitLockerKeyProtector -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                (@($MountPoint) -join ',') -eq 'C:' -and $KeyProtectorId -eq $script:Id1
            }
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
            $script:Request = '{"keyProtectorId":"' + $script:Id1 + '","since":"2024-05-01T10:00:00.000Z","ids":[845,846]}'
        }

        It 'keeps the protector''s events and those naming none, sorted by time' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(5) -ProtectorGuid '8a696888-99a7-4fac-92c7-6cc497ea7bdf' -Message 'BitLocker Drive Encryption recovery information was backed up successfully to Microsoft Entra ID.'
                New-TestEvent -Id 846 -TimeCreated $script:Since.AddSeconds(3) -ProtectorGuid $script:Id2 -Message 'Another protector.'
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(1) -Message 'No protector named.'
            }
            $result = Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request
            $result.Answer.ok | Should -BeTrue
            $events = @($result.Answer.data.events)
            $events.Count | Should -Be 2
            $events[0].id | Should -Be 845
            $events[0].keyProtectorId | Should -BeNullOrEmpty
            $events[0].message | Should -Be 'No protector named.'
            $events[1].keyProtectorId | Should -Be $script:Id1
            $result.Line | Should -Match '"time":"2024-05-01T10:00:01\.0000000Z","keyProtectorId":null'
            $result.Line | Should -Match ('"time":"2024-05-01T10:00:05\.0000000Z","keyProtectorId":"' + [regex]::Escape($script:Id1) + '"')
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $filter = $FilterHashtable[0]
                $filter.LogName -eq 'Microsoft-Windows-BitLocker/BitLocker Management' -and
                (@($filter.Id) -join ',') -eq '845,846' -and
                $filter.StartTime.ToUniversalTime() -eq $script:Since
            }
        }

        It 'keeps a single event in an array' {
            Mock -ModuleName BitLockerKeyBackup Get-WinEvent {
                New-TestEvent -Id 845 -TimeCreated $script:Since.AddSeconds(5) -ProtectorGuid $script:Id1 -Message 'Backed up.'
            }
            $result = Invoke-Bkb -Name Get-BkbBackupEvents -Json $script:Request
            $result.Line | Should -Match '^\{"ok":true,"data":\{"events":\[\{"id":845,'
            ($result.Answer.data.events -is [array]) | Should -BeTrue
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
            @{ Case = 'no ids'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[]}' }
            @{ Case = 'an id that is not an array'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":845}' }
            @{ Case = 'a zero id'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[0]}' }
            @{ Case = 'an id as text'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":["845"]}' }
            @{ Case = 'a fractional id'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[845.5]}' }
            @{ Case = 'a boolean id'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[true]}' }
            @{ Case = 'an id too large'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[70000]}' }
            @{ Case = 'seventeen ids'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"2024-05-01T10:00:00.000Z","ids":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}' }
            @{ Case = 'a time that is not a time'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":"yesterday","ids":[845]}' }
            @{ Case = 'a time as a number'; Json = '{"keyProtectorId":"{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}","since":1714557600000,"ids":[845]}' }
            @{ Case = 'a bad protector id'; Json = '{"keyProtectorId":"{8A696888}","since":"2024-05-01T10:00:00.000Z","ids":[845]}' }
        ) {
            Assert-Failure -Result (Invoke-Bkb -Name Get-BkbBackupEvents -Json $Json) -Code 'InvalidArgument'
            Should -Invoke -CommandName Get-WinEvent -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Open-BkbBitLockerPanel' {
        It 'opens the BitLocker control panel' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:"}').Line | Should -Be '{"ok":true,"data":{"opened":true}}'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $FilePath -eq [System.IO.Path]::Combine($env:SystemRoot, 'System32', 'control.exe') -and
                ($ArgumentList -join ' ') -eq '/name Microsoft.BitLockerDriveEncryption'
            }
        }

        It 'refuses a bad mount point without starting anything' {
            Assert-Failure -Result (Invoke-Bkb -Name Open-BkbBitLockerPanel -Json '{"mountPoint":"C:\\Windows"}') -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }

    Context 'Start-BkbElevated' {
        BeforeAll {
            $script:AppExe = Join-Path -Path $TestDrive -ChildPath 'BitLocker Key Backup.exe'
            Set-Content -LiteralPath $script:AppExe -Value 'not a real program'
            Set-Content -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'notes.txt') -Value 'text'

            function New-ElevationRequest {
                param([string]$Executable, [string[]]$Arguments)
                $items = @($Arguments | ForEach-Object { ConvertTo-TestJsonString $_ })
                '{"executable":' + (ConvertTo-TestJsonString $Executable) + ',"arguments":[' + ($items -join ',') + ']}'
            }
        }

        It 'starts the executable elevated with each argument quoted' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $json = New-ElevationRequest -Executable $script:AppExe -Arguments @('--elevated', 'two words', 'say "hi"', 'C:\dir\', '')
            (Invoke-Bkb -Name Start-BkbElevated -Json $json).Line | Should -Be '{"ok":true,"data":{"started":true}}'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter {
                $FilePath -eq $script:AppExe -and $Verb -eq 'RunAs' -and
                ($ArgumentList -join '|') -eq '"--elevated"|"two words"|"say \"hi\""|"C:\dir\\"|""'
            }
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
            (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $script:AppExe -Arguments $accepted)).Answer.ok | Should -BeTrue
            $split = [BkbTest.NativeArgs]::Split('app.exe ' + ($script:StartedWith['ArgumentList'] -join ' '))
            @($split | Select-Object -Skip 1) | Should -Be $accepted
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $script:AppExe -Arguments $original)) -Code 'InvalidArgument'
        }

        It 'passes no ArgumentList when there are no arguments' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $script:AppExe -Arguments @())).Answer.ok | Should -BeTrue
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 1 -Exactly -ParameterFilter { $null -eq $ArgumentList }
        }

        It 'reports a cancelled UAC prompt as CmdletFailed 0x800704C7' {
            Mock -ModuleName BitLockerKeyBackup Start-Process {
                throw [System.InvalidOperationException]::new('This command cannot be run due to the error: ' + [System.ComponentModel.Win32Exception]::new(1223).Message)
            }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $script:AppExe -Arguments @('--elevated'))
            Assert-Failure -Result $result -Code 'CmdletFailed' -HResult '0x800704C7'
            $result.Answer.error.message | Should -Be 'The request to run as administrator was cancelled.'
        }

        It 'reports other start failures as CmdletFailed' {
            Mock -ModuleName BitLockerKeyBackup Start-Process {
                throw [System.InvalidOperationException]::new('This command cannot be run due to the error: The file or directory is corrupted and unreadable.')
            }
            $result = Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $script:AppExe -Arguments @())
            Assert-Failure -Result $result -Code 'CmdletFailed'
            $result.Answer.error.message | Should -Match 'corrupted'
        }

        It 'refuses <Case>' -TestCases @(
            @{ Case = 'a relative path'; Executable = 'BitLocker Key Backup.exe' }
            @{ Case = 'a drive-relative path'; Executable = 'C:app.exe' }
            @{ Case = 'a parent segment'; Executable = '%TESTDRIVE%\..\app.exe' }
            @{ Case = 'a file that is not an .exe'; Executable = '%TESTDRIVE%\notes.txt' }
            @{ Case = 'a missing file'; Executable = '%TESTDRIVE%\missing.exe' }
            @{ Case = 'a device path'; Executable = '\\?\C:\Windows\notepad.exe' }
            @{ Case = 'an alternate data stream'; Executable = '%TESTDRIVE%\notes.txt:hidden.exe' }
            @{ Case = 'a quote in the path'; Executable = 'C:\bad"name.exe' }
        ) {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $path = $Executable.Replace('%TESTDRIVE%', $TestDrive)
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json (New-ElevationRequest -Executable $path -Arguments @())) -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }

        It 'refuses arguments that are not a list of strings' {
            Mock -ModuleName BitLockerKeyBackup Start-Process { }
            $exe = ConvertTo-TestJsonString $script:AppExe
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json ('{"executable":' + $exe + ',"arguments":"--elevated"}')) -Code 'InvalidArgument'
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json ('{"executable":' + $exe + ',"arguments":[1]}')) -Code 'InvalidArgument'
            Assert-Failure -Result (Invoke-Bkb -Name Start-BkbElevated -Json ('{"executable":' + $exe + ',"arguments":null}')) -Code 'InvalidArgument'
            Should -Invoke -CommandName Start-Process -ModuleName BitLockerKeyBackup -Times 0 -Exactly
        }
    }
}
