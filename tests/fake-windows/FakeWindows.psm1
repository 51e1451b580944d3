#Requires -Version 7.2
<#
    A fake Windows for BitLockerKeyBackup.psm1 running in PowerShell 7 on any OS (docs/fake-windows.md).

    It answers every Windows command the module calls from a simulated-PC scenario file ($env:BKB_SCENARIO, the
    format of docs/simulated-pc.md) with the shapes Windows returns, and keeps the PC's changes (calls, events,
    locked drives, removed protectors, audit entries) in $env:BKB_SIM_STATE, in the same JSON format as main/simulation/state.ts.

    - Global functions shadow the cmdlets (a function wins over a cmdlet of the same name): Get-CimInstance,
      Invoke-CimMethod, Get-Volume, Get-ItemPropertyValue/Get-ItemProperty (HKLM:\...\CurrentVersion, the MDM enrollments,
      the app's event source), Get-WinEvent (the BitLocker Management log, and the Application log's audit trail),
      Write-EventLog (Windows PowerShell 5.1's; PowerShell 7 has none), Start-Process. The backup cmdlets live in a fake BitLocker module (modules/BitLocker), put on PSModulePath only
      when computer.bitLockerModule is true.
    - Import-Module is proxied: right after BitLockerKeyBackup is imported, its private primitives Test-BkbElevated,
      Invoke-BkbDsregcmd, Invoke-BkbSubst and Get-BkbLinkTarget are replaced inside its scope (as Pester's Mock -ModuleName does), its exported functions are
      watched with command breakpoints (calls counted, mutations applied, faults and latency acted out), and the
      scenario's startup fault and latency are played.
    - Volumes with a root folder are PowerShell drives (F: -> that folder) while they are unlocked and plugged in.

    Nothing here is reachable from the app: tests/fake-windows/pwsh-fake imports it before the session starts.
#>

Set-StrictMode -Version 3.0

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../..'))
$script:EncryptionNamespace = 'root/cimv2/security/microsoftvolumeencryption'
$script:ManagementLog = 'Microsoft-Windows-BitLocker/BitLocker Management'
$script:ApplicationLog = 'Application'
# The app's event source as the installer registers it (assets/installer.nsh): that script is what makes it exist.
$script:AuditSourceKeyPattern = '(?m)^!define BKB_EVENT_SOURCE_KEY "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\([^"\\]+)"\r?$'
if ([System.IO.File]::ReadAllText((Join-Path $script:RepoRoot 'assets/installer.nsh')) -notmatch $script:AuditSourceKeyPattern) { throw 'assets/installer.nsh registers no event source' }
$script:AuditSource = $Matches[1]
$script:AuditSourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\' + $script:AuditSource
$script:BytesPerGB = [double]1073741824

# WMI/CIM and BitLocker result codes (uint32, as Win32_EncryptableVolume methods return them).
$script:S_OK = [uint32]0
$script:FVE_E_LOCKED_VOLUME = [uint32]0x80310000u
$script:FVE_E_PROTECTOR_NOT_FOUND = [uint32]0x80310033u
$script:FVE_E_INVALID_PROTECTOR_TYPE = [uint32]0x8031003Au
$script:E_INVALIDARG = [uint32]0x80070057u
# What ProtectKeyWithNumericalPassword answers under the scenario's policy.recoveryPassword.
$script:RecoveryPasswordPolicies = @{ allowed = $script:S_OK; forbidden = [uint32]0x8031005Cu; forbiddenByFips = [uint32]0x80310037u }

# Enum numbers as Windows defines them (bitlocker.md §1; Win32_EncryptableVolume).
$script:VolumeTypes = @{ OperatingSystem = [uint32]0; Fixed = [uint32]1; Removable = [uint32]2 }
$script:ProtectionStatuses = @{ Off = [uint32]0; On = [uint32]1; Unknown = [uint32]2 }
$script:EncryptionMethods = @('None', 'Aes128Diffuser', 'Aes256Diffuser', 'Aes128', 'Aes256', 'Hardware', 'XtsAes128', 'XtsAes256')
$script:KeyProtectorTypes = @('Unknown', 'Tpm', 'ExternalKey', 'RecoveryPassword', 'TpmPin', 'TpmStartupKey', 'TpmPinStartupKey', 'PublicKey', 'Password', 'TpmNetworkKey', 'AdAccountOrGroup')
$script:FriendlyNames = @{ Tpm = 'TPM'; ExternalKey = 'External Key'; RecoveryPassword = 'Numerical Password'; TpmPin = 'TPM And PIN'; Password = 'Password' }
# VolumeStatus name -> GetConversionStatus's ConversionStatus and WipingStatus.
$script:ConversionStatuses = @{
    FullyDecrypted               = @([uint32]0, [uint32]0)
    FullyEncrypted               = @([uint32]1, [uint32]0)
    EncryptionInProgress         = @([uint32]2, [uint32]0)
    DecryptionInProgress         = @([uint32]3, [uint32]0)
    EncryptionSuspended          = @([uint32]4, [uint32]0)
    DecryptionSuspended          = @([uint32]5, [uint32]0)
    FullyEncryptedWipeInProgress = @([uint32]1, [uint32]2)
    FullyEncryptedWipeSuspended  = @([uint32]1, [uint32]3)
}
$script:FailureEvents = @(785, 829, 831, 846, 847, 4106)

#region Scenario and state

function Read-FakeJson {
    param([string]$Path)
    # -DateKind String: times stay the ISO text the scenario wrote, as Node reads them.
    Get-Content -LiteralPath $Path -Raw -Encoding utf8 | ConvertFrom-Json -AsHashtable -DateKind String -Depth 64 -NoEnumerate
}

function Get-FakeValue {
    # $Table[$Key], or $Default when the key is absent (a JSON null stays null). Not for lists: see Get-FakeList.
    param($Table, [string]$Key, $Default = $null)
    if ($null -ne $Table -and $Table.ContainsKey($Key)) { return $Table[$Key] }
    $Default
}

function Get-FakeList {
    # The items of the list $Table[$Key]; none when it is absent or null.
    param($Table, [string]$Key)
    if ($null -eq $Table -or -not $Table.ContainsKey($Key) -or $null -eq $Table[$Key]) { return }
    foreach ($item in $Table[$Key]) { $item }
}

function Read-FakeScenario {
    $file = $env:BKB_SCENARIO
    if (-not $file) { throw 'BKB_SCENARIO is not set: it must name a scenario JSON file' }
    $file = [System.IO.Path]::GetFullPath($file)
    try { $json = Read-FakeJson -Path $file } catch { throw "scenario ${file}: $($_.Exception.Message)" }
    $dir = Split-Path -Parent $file
    $computer = $json['computer']
    $scenario = @{
        File             = $file
        Computer         = @{
            Name              = [string]$computer['name']
            Elevated          = [bool]$computer['elevated']
            Edition           = Get-FakeValue $computer 'edition'
            EntraJoined       = [bool]$computer['entraJoined']
            DomainJoined      = [bool]$computer['domainJoined']
            DomainName        = Get-FakeValue $computer 'domainName'
            TenantName        = Get-FakeValue $computer 'tenantName'
            BitLockerModule   = [bool](Get-FakeValue $computer 'bitLockerModule' $true)
            DsregcmdEncoding  = [string](Get-FakeValue $computer 'dsregcmdEncoding' 'oem')
            DsregcmdHangs     = [bool](Get-FakeValue $computer 'dsregcmdHangs' $false)
            IntuneManaged     = Get-FakeValue $computer 'intuneManaged' $false
            LanguageMode      = [string](Get-FakeValue $computer 'languageMode' 'FullLanguage')
            MachinePolicy     = [string](Get-FakeValue $computer 'machinePolicy' 'Undefined')
            UserPolicy        = [string](Get-FakeValue $computer 'userPolicy' 'Undefined')
            NetworkShares     = @(foreach ($share in @(Get-FakeList $computer 'networkShares')) {
                    $letter = Get-FakeValue $share 'driveLetter'
                    @{ Root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($dir, [string]$share['root'])); Unc = [string]$share['unc']; Letter = if ($null -ne $letter) { ([string]$letter).ToUpperInvariant() } else { $null } }
                })
            SubstDrives       = @(foreach ($drive in @(Get-FakeList $computer 'substDrives')) { @{ Letter = ([string]$drive['driveLetter']).ToUpperInvariant(); Target = [string]$drive['target'] } })
            Links             = @(foreach ($link in @(Get-FakeList $computer 'links')) { @{ Path = [string]$link['path']; Target = [string]$link['target'] } })
            AuditSourceRegistered = [bool](Get-FakeValue $computer 'auditSourceRegistered' $true)
        }
        Volumes          = @(foreach ($v in @(Get-FakeList $json 'volumes')) {
                $root = Get-FakeValue $v 'root'
                if ($null -ne $root) { $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($dir, [string]$root)) }
                @{
                    MountPoint           = [string]$v['mountPoint']
                    Label                = Get-FakeValue $v 'label'
                    DriveType            = [string]$v['driveType']
                    CapacityGB           = Get-FakeValue $v 'capacityGB'
                    FileSystem           = Get-FakeValue $v 'fileSystem'
                    VolumeStatus         = Get-FakeValue $v 'volumeStatus'
                    ProtectionStatus     = Get-FakeValue $v 'protectionStatus'
                    LockStatus           = [string]$v['lockStatus']
                    EncryptionMethod     = Get-FakeValue $v 'encryptionMethod'
                    EncryptionPercentage = Get-FakeValue $v 'encryptionPercentage'
                    KeyProtectors        = @(foreach ($p in @(Get-FakeList $v 'keyProtectors')) {
                            @{ Id = [string]$p['keyProtectorId']; Type = [string]$p['keyProtectorType']; Password = Get-FakeValue $p 'recoveryPassword' }
                        })
                    Root                 = $root
                    FreeSpaceGB          = Get-FakeValue $v 'freeSpaceGB'
                }
            })
        Events           = @(Get-FakeList $json 'events')
        Faults           = Get-FakeValue $json 'faults' @{}
        LatencyMs        = Get-FakeValue $json 'latencyMs' @{}
        EventDelayMs     = [int](Get-FakeValue $json 'eventDelayMs' 2000)
        Entra            = Get-FakeValue $json 'entra' @{}
        ActiveDirectory  = Get-FakeValue $json 'activeDirectory' @{}
        MicrosoftAccount = Get-FakeValue $json 'microsoftAccount' @{}
        Mutations        = @(Get-FakeList $json 'mutations')
        RecoveryPolicy   = [string](Get-FakeValue (Get-FakeValue $json 'policy' @{}) 'recoveryPassword' 'allowed')
    }
    foreach ($v in $scenario.Volumes) {
        if ($null -ne $v.Root -and -not [System.IO.Directory]::Exists($v.Root)) { throw "scenario ${file}: root folder $($v.Root) does not exist" }
    }
    $scenario
}

function Read-FakeState {
    $state = @{ calls = [ordered]@{}; events = [System.Collections.Generic.List[object]]::new(); locked = [System.Collections.Generic.List[string]]::new(); removedProtectors = [System.Collections.Generic.List[string]]::new(); addedProtectors = [System.Collections.Generic.List[object]]::new(); auditEvents = [System.Collections.Generic.List[object]]::new() }
    $file = $script:StateFile
    if (-not $file -or -not [System.IO.File]::Exists($file)) { return $state }
    $text = [System.IO.File]::ReadAllText($file)
    if (-not $text.Trim()) { return $state }
    try { $json = $text | ConvertFrom-Json -AsHashtable -DateKind String -Depth 64 -NoEnumerate } catch { throw "state file ${file}: $($_.Exception.Message) (delete the file to start afresh)" }
    foreach ($name in $json['calls'].Keys) { $state.calls[$name] = [int]$json['calls'][$name] }
    foreach ($e in @(Get-FakeList $json 'events')) { $state.events.Add($e) }
    foreach ($m in @(Get-FakeList $json 'locked')) { $state.locked.Add([string]$m) }
    foreach ($id in @(Get-FakeList $json 'removedProtectors')) { $state.removedProtectors.Add([string]$id) }
    foreach ($added in @(Get-FakeList $json 'addedProtectors')) { $state.addedProtectors.Add(@{ mountPoint = [string]$added['mountPoint']; keyProtectorId = [string]$added['keyProtectorId'] }) }
    foreach ($entry in @(Get-FakeList $json 'auditEvents')) { $state.auditEvents.Add(@{ id = [int]$entry['id']; time = [string]$entry['time']; entryType = [string]$entry['entryType']; message = [string]$entry['message'] }) }
    $state
}

function Save-FakeState {
    # Written at once, so a crash right after loses nothing (as main/simulation/state.ts does).
    if (-not $script:StateFile) { return }
    $json = [ordered]@{
        calls             = $script:State.calls
        events            = @($script:State.events | ForEach-Object {
                $e = [ordered]@{ id = [int]$_['id']; time = [string]$_['time']; mountPoint = [string]$_['mountPoint'] }
                if ($_.ContainsKey('protectorId')) { $e['protectorId'] = $_['protectorId'] }
                $e
            })
        locked            = @($script:State.locked)
        removedProtectors = @($script:State.removedProtectors)
        addedProtectors   = @($script:State.addedProtectors | ForEach-Object { [ordered]@{ mountPoint = $_['mountPoint']; keyProtectorId = $_['keyProtectorId'] } })
        auditEvents       = @($script:State.auditEvents | ForEach-Object { [ordered]@{ id = $_['id']; time = $_['time']; entryType = $_['entryType']; message = $_['message'] } })
    }
    [System.IO.File]::WriteAllText($script:StateFile, (ConvertTo-Json -InputObject $json -Depth 10), [System.Text.UTF8Encoding]::new($false))
}

function Test-FakeLettered {
    param([string]$MountPoint)
    $MountPoint -match '^[A-Za-z]:\z'
}

function Get-FakeDeviceId {
    # The volume's \\?\Volume{GUID}\ name: its mount point when it has no letter, otherwise a GUID derived from the letter.
    param([string]$MountPoint)
    if (-not (Test-FakeLettered $MountPoint)) { return $MountPoint }
    $hash = [System.Security.Cryptography.MD5]::HashData([System.Text.Encoding]::UTF8.GetBytes('fake-windows:' + $MountPoint.ToUpperInvariant()))
    '\\?\Volume{' + [guid]::new($hash).ToString() + '}\'
}

function Get-FakeVolumes {
    # The PC's volumes now: mutations applied, unplugged drives (root folder deleted) gone, as main/simulation does.
    foreach ($v in $script:Scenario.Volumes) {
        if ($null -ne $v.Root -and -not [System.IO.Directory]::Exists($v.Root)) { continue }
        $locked = $v.LockStatus -eq 'Locked' -or $script:State.locked -contains $v.MountPoint
        $added = @($script:State.addedProtectors | Where-Object { $_['mountPoint'] -eq $v.MountPoint } | ForEach-Object {
                @{ Id = $_['keyProtectorId']; Type = 'RecoveryPassword'; Password = Get-FakeAddedPassword -KeyProtectorId $_['keyProtectorId'] }
            })
        $protectors = @(@($v.KeyProtectors) + $added | Where-Object { $script:State.removedProtectors -notcontains $_.Id })
        $letter = if (Test-FakeLettered $v.MountPoint) { $v.MountPoint.ToUpperInvariant() } else { $null }
        [pscustomobject]@{
            Scenario   = $v
            MountPoint = $v.MountPoint
            Letter     = $letter
            DeviceId   = Get-FakeDeviceId -MountPoint $v.MountPoint
            Locked     = $locked
            Protectors = $protectors
        }
    }
}

function Get-FakeHash {
    param([string]$Text)
    [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Text))
}

function Get-FakeAddedId {
    # The id of the n-th recovery password added on this PC, derived as main/simulation/added-protectors.ts derives it.
    param([string]$MountPoint, [int]$Number)
    $hex = [Convert]::ToHexString((Get-FakeHash "bkb-added-protector:$($MountPoint.ToUpperInvariant()):$Number"))
    '{' + $hex.Substring(0, 8) + '-' + $hex.Substring(8, 4) + '-' + $hex.Substring(12, 4) + '-' + $hex.Substring(16, 4) + '-' + $hex.Substring(20, 12) + '}'
}

function Get-FakeAddedPassword {
    # Its password: 8 groups, each a big-endian 16-bit value of the hash times 11 (added-protectors.ts).
    param([string]$KeyProtectorId)
    $bytes = Get-FakeHash "bkb-recovery-password:$($KeyProtectorId.ToUpperInvariant())"
    @(for ($i = 0; $i -lt 8; $i++) { ((256 * [int]$bytes[2 * $i] + [int]$bytes[2 * $i + 1]) * 11).ToString('D6') }) -join '-'
}

function Find-FakeVolume {
    param([string]$DeviceId, [string]$Letter)
    foreach ($volume in @(Get-FakeVolumes)) {
        if ($DeviceId -and $volume.DeviceId -eq $DeviceId) { return $volume }
        if ($Letter -and $volume.Letter -eq $Letter) { return $volume }
    }
    $null
}

function Get-FakeFreeBytes {
    param($Volume)
    $v = $Volume.Scenario
    if ($null -ne $v.FreeSpaceGB) { return [uint64][Math]::Floor([double]$v.FreeSpaceGB * $script:BytesPerGB + 0.5) }
    if ($null -ne $v.Root) {
        # The drive's own free space: its size less the bytes its folder holds, never below 0 (the host disk's free
        # space says nothing about a 16 GB stick). The simulated PC reports the same (main/simulation/volumes.ts).
        $used = [double]0
        foreach ($file in @(Get-ChildItem -LiteralPath $v.Root -Recurse -File -Force)) { $used += [double]$file.Length }
        return [uint64][Math]::Max([double]0, [double](Get-FakeSizeBytes -Volume $Volume) - $used)
    }
    $null
}

function Get-FakeSizeBytes {
    param($Volume)
    if ($null -eq $Volume.Scenario.CapacityGB) { return [uint64]0 }
    [uint64][Math]::Floor([double]$Volume.Scenario.CapacityGB * $script:BytesPerGB + 0.5)
}

#endregion

#region Errors Windows throws

function ConvertFrom-FakeHResult {
    # '0x801C0450' as the uint32 it names.
    param([string]$Text)
    [uint32]::Parse($Text.Substring(2), [System.Globalization.NumberStyles]::HexNumber, [cultureinfo]::InvariantCulture)
}

function New-FakeComException {
    param([string]$Message, [uint32]$HResult)
    [System.Runtime.InteropServices.COMException]::new($Message, [BitConverter]::ToInt32([BitConverter]::GetBytes($HResult), 0))
}

function New-FakeCimException {
    # CIM's own exception type (the module recognises it by name), carrying the WMI code as its HResult.
    param([string]$Message, [uint32]$HResult)
    $exception = [Microsoft.Management.Infrastructure.CimException]::new($Message)
    [System.Exception].GetProperty('HResult').SetValue($exception, [BitConverter]::ToInt32([BitConverter]::GetBytes($HResult), 0))
    $exception
}

function Assert-FakeElevatedForBitLocker {
    # Unelevated, the MicrosoftVolumeEncryption namespace refuses access (WBEM_E_ACCESS_DENIED).
    if (-not $script:Scenario.Computer.Elevated) { throw (New-FakeCimException -Message 'Access denied ' -HResult 0x80041003u) }
}

function Invoke-FakePendingFault {
    # A scenario `error` fault of the module function now running: the first fake Windows command it calls fails.
    $fault = $script:PendingFault
    if ($null -eq $fault) { return }
    if ($null -ne $fault.HResult) { throw (New-FakeComException -Message $fault.Message -HResult $fault.HResult) }
    throw [System.Exception]::new($fault.Message)
}

#endregion

#region Events

$script:Texts = Read-FakeJson -Path (Join-Path $script:RepoRoot 'main/simulation/windows-texts.json')

function Add-FakeEvent {
    # Logged now + eventDelayMs, invisible to Get-WinEvent until then (as main/simulation/machine.ts logs them);
    # -Immediately: now, as Windows logs a key protector's creation and removal.
    param([int]$Id, $Volume, [string]$ProtectorId, [switch]$Immediately)
    $delay = if ($Immediately) { 0 } else { $script:Scenario.EventDelayMs }
    $time = [DateTime]::UtcNow.AddMilliseconds($delay).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
    $e = @{ id = $Id; time = $time; mountPoint = $Volume.MountPoint }
    if ($ProtectorId) { $e['protectorId'] = $ProtectorId }
    $script:State.events.Add($e)
    Save-FakeState
}

function Get-FakeEventMessage {
    param([int]$Id, [string]$MountPoint)
    $template = Get-FakeValue $script:Texts['events'] ([string]$Id) $script:Texts['otherEvent']
    $template.Replace('{v}', $MountPoint).Replace('{id}', [string]$Id)
}

function ConvertTo-FakeXmlText {
    # XML text content: escaped, and without the control characters XML 1.0 cannot carry.
    param([string]$Text)
    [System.Security.SecurityElement]::Escape(($Text -replace '[\x00-\x08\x0B\x0C\x0E-\x1F]', ''))
}

function New-FakeEventRecord {
    param($Event, [long]$RecordId)
    $id = [int]$Event['id']
    $mountPoint = [string]$Event['mountPoint']
    $protectorId = Get-FakeValue $Event 'protectorId'
    $utc = [DateTime]::Parse([string]$Event['time'], [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
    $deviceId = Get-FakeDeviceId -MountPoint $mountPoint
    $data = [ordered]@{}
    if ($protectorId) {
        # Success events (and others that concern one key protector).
        $data['ProtectorGUID'] = [string]$protectorId
        $data['VolumeName'] = $deviceId.TrimEnd('\')
        $data['VolumeMountPoint'] = $mountPoint
    }
    else {
        # Failure events such as 829/831/847 name no key protector, only the volume (bitlocker.md §7).
        $data['IdentityGuid'] = '{' + [guid]::new([System.Security.Cryptography.MD5]::HashData([System.Text.Encoding]::UTF8.GetBytes("identity:$id"))).ToString().ToUpperInvariant() + '}'
        $data['VolumePath'] = $deviceId
        $data['VolumeDriveLetter'] = if (Test-FakeLettered $mountPoint) { $mountPoint.ToUpperInvariant() } else { '' }
        $data['hr'] = [string](Get-FakeValue $script:Texts['eventHr'] ([string]$id) $script:Texts['eventHr']['other'])
    }
    $failure = $script:FailureEvents -contains $id
    $computer = ConvertTo-FakeXmlText -Text $script:Scenario.Computer.Name
    $systemTime = $utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [cultureinfo]::InvariantCulture)
    $eventData = ($data.Keys | ForEach-Object { "<Data Name='$_'>$(ConvertTo-FakeXmlText -Text $data[$_])</Data>" }) -join ''
    $xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-BitLocker-API' Guid='{5D674230-CA9F-11DA-A94D-0800200C9A66}'/><EventID>$id</EventID><Version>0</Version><Level>$(if ($failure) { 2 } else { 4 })</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x4000000000000000</Keywords><TimeCreated SystemTime='$systemTime'/><EventRecordID>$RecordId</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='$(1000 + $RecordId)'/><Channel>$($script:ManagementLog)</Channel><Computer>$computer</Computer><Security UserID='S-1-5-18'/></System><EventData>$eventData</EventData></Event>"

    $record = [pscustomobject]@{
        Message          = Get-FakeEventMessage -Id $id -MountPoint $mountPoint
        Id               = $id
        Version          = [byte]0
        Qualifiers       = $null
        Level            = [byte]$(if ($failure) { 2 } else { 4 })
        Task             = 0
        Opcode           = [int16]0
        Keywords         = [long]0x4000000000000000
        RecordId         = $RecordId
        ProviderName     = 'Microsoft-Windows-BitLocker-API'
        ProviderId       = [guid]'5d674230-ca9f-11da-a94d-0800200c9a66'
        LogName          = $script:ManagementLog
        ProcessId        = 4
        ThreadId         = 1000 + $RecordId
        MachineName      = $script:Scenario.Computer.Name
        UserId           = 'S-1-5-18'
        TimeCreated      = $utc.ToLocalTime()
        LevelDisplayName = if ($failure) { 'Error' } else { 'Information' }
        Properties       = @($data.Values | ForEach-Object { [pscustomobject]@{ PSTypeName = 'System.Diagnostics.Eventing.Reader.EventProperty'; Value = $_ } })
    }
    $record.PSObject.TypeNames.Insert(0, 'System.Diagnostics.Eventing.Reader.EventLogRecord')
    $record | Add-Member -MemberType ScriptMethod -Name ToXml -Value ({ $xml }.GetNewClosure())
    $record
}

function New-FakeAuditRecord {
    # An Application-log record of the app's event source as Write-EventLog left it: a classic event whose one insertion
    # string is the message, which the .NET Framework's message file the installer names words as it is.
    param($Entry, [long]$RecordId)
    $utc = [DateTime]::Parse([string]$Entry['time'], [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
    $warning = $Entry['entryType'] -eq 'Warning'
    $record = [pscustomobject]@{
        Message          = [string]$Entry['message']
        Id               = [int]$Entry['id']
        Level            = [byte]$(if ($warning) { 3 } else { 4 })
        RecordId         = $RecordId
        ProviderName     = $script:AuditSource
        LogName          = $script:ApplicationLog
        MachineName      = $script:Scenario.Computer.Name
        TimeCreated      = $utc.ToLocalTime()
        LevelDisplayName = if ($warning) { 'Warning' } else { 'Information' }
        Properties       = @([pscustomobject]@{ PSTypeName = 'System.Diagnostics.Eventing.Reader.EventProperty'; Value = [string]$Entry['message'] })
    }
    $record.PSObject.TypeNames.Insert(0, 'System.Diagnostics.Eventing.Reader.EventLogRecord')
    $record
}

function Get-FakeLoggedEvents {
    # A log's records, oldest first, each with its record number and provider: the BitLocker Management log's
    # (scenario events, then the ones this PC appended) or the Application log's (the app's audit entries).
    param([string]$LogName)
    if ($LogName -eq $script:ApplicationLog) { $all = @($script:State.auditEvents); $provider = $script:AuditSource }
    else { $all = @($script:Scenario.Events) + @($script:State.events); $provider = 'Microsoft-Windows-BitLocker-API' }
    for ($i = 0; $i -lt $all.Count; $i++) { [pscustomobject]@{ Event = $all[$i]; RecordId = [long]($i + 1); Provider = $provider } }
}

#endregion

#region Acting out the user and the services

function Get-FakeRequestedMountPoint {
    # The drive the module's Open-BkbBitLockerPanel call is about, read from that call's own request.
    foreach ($frame in @(Get-PSCallStack)) {
        $info = $frame.InvocationInfo
        if ($null -eq $info -or $null -eq $info.MyCommand -or $info.MyCommand.Name -ne 'Open-BkbBitLockerPanel') { continue }
        try {
            $json = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([string]$info.BoundParameters['Request']))
            return [string](ConvertFrom-Json -InputObject $json -AsHashtable)['mountPoint']
        }
        catch { return $null }
    }
    $null
}

function Invoke-FakeMicrosoftAccountUser {
    # The user in Windows' BitLocker panel or Settings' Device encryption page (as main/simulation/machine.ts plays it).
    $account = $script:Scenario.MicrosoftAccount
    $mountPoint = Get-FakeRequestedMountPoint
    if (-not $mountPoint -or -not (Test-FakeLettered $mountPoint)) { return }
    $volume = Find-FakeVolume -Letter $mountPoint.ToUpperInvariant()
    if ($null -eq $volume) { return }
    $recovery = @($volume.Protectors | Where-Object { $_.Type -eq 'RecoveryPassword' })
    if (Get-FakeValue $account 'userFails' $false) { Add-FakeEvent -Id 829 -Volume $volume; return }
    $id = if (Get-FakeValue $account 'userCompletes' $false) { 828 } elseif (Get-FakeValue $account 'alreadyPresent' $false) { 830 } else { 0 }
    if ($id -eq 0) { return }
    foreach ($protector in $recovery) { Add-FakeEvent -Id $id -Volume $volume -ProtectorId $protector.Id }
}

function Resolve-FakeBackupProtector {
    # What BitLocker's own module checks before a backup; errors as it reports them (with the HRESULT).
    param([string]$MountPoint, [string]$KeyProtectorId)
    Assert-FakeElevatedForBitLocker
    $volume = if (Test-FakeLettered $MountPoint) { Find-FakeVolume -Letter $MountPoint.ToUpperInvariant() } else { Find-FakeVolume -DeviceId $MountPoint }
    if ($null -eq $volume) { throw (New-FakeComException -Message 'Element not found. (Exception from HRESULT: 0x80070490)' -HResult 0x80070490u) }
    if ($volume.Locked) { throw (New-FakeComException -Message 'Exception from HRESULT: 0x80310000' -HResult $script:FVE_E_LOCKED_VOLUME) }
    $protector = $volume.Protectors | Where-Object { $_.Id -eq $KeyProtectorId } | Select-Object -First 1
    if ($null -eq $protector) { throw (New-FakeComException -Message 'Exception from HRESULT: 0x80310033' -HResult $script:FVE_E_PROTECTOR_NOT_FOUND) }
    if ($protector.Type -ne 'RecoveryPassword') { throw (New-FakeComException -Message 'Exception from HRESULT: 0x8031003A' -HResult $script:FVE_E_INVALID_PROTECTOR_TYPE) }
    [pscustomobject]@{ Volume = $volume; Protector = $protector }
}

function Invoke-FakeEntraBackup {
    # BackupToAAD-BitLockerKeyProtector: the service's answer arrives later as event 845 (846/847 on failure).
    param([string]$MountPoint, [string]$KeyProtectorId)
    Invoke-FakePendingFault
    $found = Resolve-FakeBackupProtector -MountPoint $MountPoint -KeyProtectorId $KeyProtectorId
    $computer = $script:Scenario.Computer
    if (-not $computer.EntraJoined) {
        Add-FakeEvent -Id 846 -Volume $found.Volume -ProtectorId $found.Protector.Id
        $err = $script:Texts['errors']['entraNotJoined']
        throw (New-FakeComException -Message $err['message'] -HResult (ConvertFrom-FakeHResult $err['hresult']))
    }
    $entra = $script:Scenario.Entra
    if (Get-FakeValue $entra 'suppressEvent' $false) { return $found.Volume }
    $id = [int](Get-FakeValue $entra 'failEvent' 845)
    # 847 (service error) names no key protector.
    if ($id -eq 847) { Add-FakeEvent -Id 847 -Volume $found.Volume } else { Add-FakeEvent -Id $id -Volume $found.Volume -ProtectorId $found.Protector.Id }
    $found.Volume
}

function Invoke-FakeActiveDirectoryBackup {
    # Backup-BitLockerKeyProtector: 784 (783 already there); 785 when refused. Policy forbidding it (S_FALSE) is the
    # one result BitLocker's module reports as a bare Write-Error; the caller does that when this answers 'PolicyForbids'.
    param([string]$MountPoint, [string]$KeyProtectorId)
    Invoke-FakePendingFault
    $found = Resolve-FakeBackupProtector -MountPoint $MountPoint -KeyProtectorId $KeyProtectorId
    if (-not $script:Scenario.Computer.DomainJoined) {
        Add-FakeEvent -Id 785 -Volume $found.Volume -ProtectorId $found.Protector.Id
        $err = $script:Texts['errors']['domainUnreachable']
        throw (New-FakeComException -Message $err['message'] -HResult (ConvertFrom-FakeHResult $err['hresult']))
    }
    $ad = $script:Scenario.ActiveDirectory
    if (Get-FakeValue $ad 'policyForbids' $false) {
        Add-FakeEvent -Id 785 -Volume $found.Volume -ProtectorId $found.Protector.Id
        return 'PolicyForbids'
    }
    Add-FakeEvent -Id $(if (Get-FakeValue $ad 'alreadyPresent' $false) { 783 } else { 784 }) -Volume $found.Volume -ProtectorId $found.Protector.Id
    $found.Volume
}

function Get-FakeBitLockerVolumeData {
    # What Microsoft's Get-BitLockerVolume assembles for one volume: every recovery password of an unlocked volume
    # included (it calls GetKeyProtectorNumericalPassword for each), status and percentage unknown while locked.
    param([string[]]$MountPoint)
    Invoke-FakePendingFault
    Assert-FakeElevatedForBitLocker
    $volumes = @(Get-FakeVolumes)
    $selected = if ($MountPoint) {
        foreach ($requested in $MountPoint) {
            $text = $requested.TrimEnd('\')
            $match = $volumes | Where-Object { $_.Letter -eq $text -or $_.DeviceId.TrimEnd('\') -eq $text } | Select-Object -First 1
            if ($null -eq $match) { throw (New-FakeComException -Message 'Element not found. (Exception from HRESULT: 0x80070490)' -HResult 0x80070490u) }
            $match
        }
    }
    else { $volumes }
    foreach ($volume in $selected) {
        $v = $volume.Scenario
        [pscustomobject]@{
            ComputerName         = $script:Scenario.Computer.Name
            MountPoint           = if ($volume.Letter) { $volume.Letter } else { $volume.DeviceId }
            EncryptionMethod     = $v.EncryptionMethod
            VolumeType           = if ($v.DriveType -eq 'OperatingSystem') { 'OperatingSystem' } else { 'Data' }
            VolumeStatus         = if ($volume.Locked) { $null } else { $v.VolumeStatus }
            ProtectionStatus     = $v.ProtectionStatus
            LockStatus           = if ($volume.Locked) { 'Locked' } else { 'Unlocked' }
            EncryptionPercentage = if ($volume.Locked) { $null } else { $v.EncryptionPercentage }
            CapacityGB           = $v.CapacityGB
            KeyProtector         = @(foreach ($p in $volume.Protectors) {
                    [pscustomobject]@{ Id = $p.Id; Type = $p.Type; Password = if ($p.Type -eq 'RecoveryPassword' -and -not $volume.Locked -and $p.Password) { [string]$p.Password } else { '' } }
                })
        }
    }
}

#endregion

#region dsregcmd and the module's private primitives

function Format-FakeDsregcmdBlock {
    param([string]$Title, [System.Collections.IDictionary]$Fields)
    $rule = '+' + ('-' * 70) + '+'
    $lines = @($rule, ('| ' + $Title.PadRight(69) + '|'), $rule, '')
    foreach ($name in $Fields.Keys) { $lines += ($name.PadLeft(26) + ' : ' + $Fields[$name]) }
    $lines += ''
    $lines
}

function Get-FakeDsregcmdText {
    # `dsregcmd /status` as Windows 11 prints it, from the scenario's join state.
    $computer = $script:Scenario.Computer
    $yesNo = { param($b) if ($b) { 'YES' } else { 'NO' } }
    $firstLine = { param($text) ([string]$text -split "`r?`n")[0] }
    $device = [ordered]@{ AzureAdJoined = & $yesNo $computer.EntraJoined; EnterpriseJoined = 'NO'; DomainJoined = & $yesNo $computer.DomainJoined }
    if ($computer.DomainJoined -and $null -ne $computer.DomainName) { $device['DomainName'] = & $firstLine $computer.DomainName }
    $device['Virtual Desktop'] = 'NOT SET'
    $hostName = & $firstLine $computer.Name
    if ($computer.DomainJoined -and $computer.DomainName) { $hostName += '.' + (& $firstLine $computer.DomainName) }
    $device['Device Name'] = $hostName
    $lines = @(Format-FakeDsregcmdBlock -Title 'Device State' -Fields $device)
    if ($computer.EntraJoined) {
        $lines += Format-FakeDsregcmdBlock -Title 'Device Details' -Fields ([ordered]@{
                DeviceId = '5e8b6a0c-4e2f-4d3b-9a1c-7f6e5d4c3b2a'; Thumbprint = '3F2A1B0C9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A'
                DeviceCertificateValidity = '[ 2025-01-15 09:12:44.000 UTC -- 2035-01-15 09:42:44.000 UTC ]'
                KeyContainerId = 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e'; KeyProvider = 'Microsoft Platform Crypto Provider'; TpmProtected = 'YES'; DeviceAuthStatus = 'SUCCESS'
            })
    }
    if ($null -ne $computer.TenantName) {
        # Printed for an Entra-joined PC, and for one with a work account registered (WorkplaceJoined).
        $lines += Format-FakeDsregcmdBlock -Title 'Tenant Details' -Fields ([ordered]@{
                TenantName = & $firstLine $computer.TenantName; TenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'
                AuthCodeUrl = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize'
                AccessTokenUrl = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/token'
                MdmUrl = 'https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc'
            })
    }
    $lines += Format-FakeDsregcmdBlock -Title 'User State' -Fields ([ordered]@{
            NgcSet = 'NO'; WorkplaceJoined = & $yesNo ($null -ne $computer.TenantName -and -not $computer.EntraJoined); WamDefaultSet = 'YES'
        })
    $lines += Format-FakeDsregcmdBlock -Title 'SSO State' -Fields ([ordered]@{ AzureAdPrt = & $yesNo $computer.EntraJoined; EnterprisePrt = 'NO' })
    ($lines -join "`r`n") + "`r`n"
}

function Get-FakeDsregcmdEncoding {
    # oem: what a console program writes to a pipe, the OEM code page (437 under en-US and the invariant culture).
    switch ($script:Scenario.Computer.DsregcmdEncoding) {
        'utf8' { return [System.Text.UTF8Encoding]::new($false) }
        'utf16le' { return [System.Text.UnicodeEncoding]::new($false, $false) }
        default { return [System.Text.Encoding]::GetEncoding([cultureinfo]::CurrentCulture.TextInfo.OEMCodePage) }
    }
}

# Installed as the module's own private primitives (Test-BkbElevated, Invoke-BkbDsregcmd, Invoke-BkbSubst, Get-BkbLinkTarget). They run here, in this module's scope.
$script:Overrides = @{
    'Test-BkbElevated'   = {
        Invoke-FakePendingFault
        [bool]$script:Scenario.Computer.Elevated
    }
    'Invoke-BkbDsregcmd' = {
        # dsregcmd's raw stdout bytes; a hang ends as the module's own timeout does.
        Invoke-FakePendingFault
        if ($script:Scenario.Computer.DsregcmdHangs) { throw 'dsregcmd /status did not finish in time.' }
        , [byte[]](Get-FakeDsregcmdEncoding).GetBytes((Get-FakeDsregcmdText))
    }
    'Invoke-BkbSubst'    = {
        # subst.exe's listing of computer.substDrives, in the OEM code page as it writes to a pipe.
        Invoke-FakePendingFault
        $text = -join @(foreach ($drive in $script:Scenario.Computer.SubstDrives) { $drive.Letter + '\: => ' + $drive.Target + "`r`n" })
        , [byte[]][System.Text.Encoding]::GetEncoding([cultureinfo]::CurrentCulture.TextInfo.OEMCodePage).GetBytes($text)
    }
    'Get-BkbLinkTarget'  = {
        # computer.links: junctions, symbolic links and mounted folders, by their path (case-insensitive, as NTFS).
        param([string]$Path)
        Invoke-FakePendingFault
        $link = $script:Scenario.Computer.Links | Where-Object { $_.Path -eq $Path } | Select-Object -First 1
        if ($null -eq $link) { $null } else { $link.Target }
    }
}

#endregion

#region Watching the module: calls, mutations, faults, latency

function Get-FakeFault {
    # The scenario fault for the call-th call of a function (or 'startup'), or $null once failTimes calls have had it.
    param([string]$Key, [int]$Call)
    $fault = Get-FakeValue $script:Scenario.Faults $Key
    if ($null -eq $fault) { return $null }
    $failTimes = Get-FakeValue $fault 'failTimes'
    if ($null -ne $failTimes -and $Call -gt [int]$failTimes) { return $null }
    $fault
}

function Add-FakeCall {
    param([string]$Key)
    $count = 1
    if ($script:State.calls.Contains($Key)) { $count = [int]$script:State.calls[$Key] + 1 }
    $script:State.calls[$Key] = $count
    Save-FakeState
    $count
}

function Update-FakeMutations {
    # A mutation takes effect once its function has been called `calls` times; Node applies it as that call
    # answers, this fake as the next module call starts, which nothing can tell apart. It lasts (kept in the state).
    $changed = $false
    foreach ($m in $script:Scenario.Mutations) {
        $after = [string]$m['after']
        $calls = [int](Get-FakeValue $m 'calls' 1)
        $done = if ($script:State.calls.Contains($after)) { [int]$script:State.calls[$after] } else { 0 }
        if ($done -lt $calls) { continue }
        $lock = Get-FakeValue $m 'lock'
        $remove = Get-FakeValue $m 'removeProtector'
        if ($null -ne $lock -and $script:State.locked -notcontains $lock) { $script:State.locked.Add([string]$lock); $changed = $true }
        if ($null -ne $remove -and $script:State.removedProtectors -notcontains $remove) { $script:State.removedProtectors.Add([string]$remove); $changed = $true }
    }
    if ($changed) { Save-FakeState }
}

function Update-FakeDrives {
    # F: is the folder the scenario names while the volume is plugged in (folder present) and unlocked; a mapped
    # network drive is its share's folder.
    foreach ($share in $script:Scenario.Computer.NetworkShares) {
        if (-not $share.Letter -or -not [System.IO.Directory]::Exists($share.Root)) { continue }
        $name = $share.Letter.Substring(0, 1)
        if ($null -eq (Get-PSDrive -Name $name -PSProvider FileSystem -Scope Global -ErrorAction SilentlyContinue)) {
            $null = New-PSDrive -Name $name -PSProvider FileSystem -Root $share.Root -Scope Global -ErrorAction Stop
        }
    }
    foreach ($v in $script:Scenario.Volumes) {
        if (-not (Test-FakeLettered $v.MountPoint) -or $null -eq $v.Root) { continue }
        $name = $v.MountPoint.Substring(0, 1).ToUpperInvariant()
        $locked = $v.LockStatus -eq 'Locked' -or $script:State.locked -contains $v.MountPoint
        $existing = Get-PSDrive -Name $name -PSProvider FileSystem -Scope Global -ErrorAction SilentlyContinue
        $wanted = -not $locked -and [System.IO.Directory]::Exists($v.Root)
        if ($wanted -and $null -eq $existing) {
            $null = New-PSDrive -Name $name -PSProvider FileSystem -Root $v.Root -Scope Global -ErrorAction Stop
        }
        elseif ($locked -and $null -ne $existing) {
            Remove-PSDrive -Name $name -PSProvider FileSystem -Scope Global -Force -ErrorAction SilentlyContinue
        }
    }
}

function Invoke-FakeFaultAction {
    # Acts out a fault in the running host. `error` is left for the first fake command the function calls.
    param($Fault)
    if (Get-FakeValue $Fault 'crash' $false) { [Environment]::Exit(1) }
    if (Get-FakeValue $Fault 'exit0' $false) { [Environment]::Exit(0) }
    $hang = Get-FakeValue $Fault 'hangMs'
    if ($null -ne $hang) { Start-Sleep -Milliseconds ([int]$hang) }
    $stderr = Get-FakeValue $Fault 'stderr'
    if ($null -ne $stderr) { [Console]::Error.WriteLine([string]$stderr); [Console]::Error.Flush() }
    $message = Get-FakeValue $Fault 'error'
    if ($null -ne $message) {
        $hresult = Get-FakeValue $Fault 'hresult'
        $script:PendingFault = [pscustomobject]@{ Message = [string]$message; HResult = if ($null -ne $hresult) { ConvertFrom-FakeHResult $hresult } else { $null } }
    }
    # garbage and halfJson change what the host writes: only the Node simulated host can act them out.
}

function Enter-FakeModuleCall {
    # Runs (from a command breakpoint) as each exported module function starts.
    param([string]$Name)
    $script:PendingFault = $null
    Update-FakeMutations
    Update-FakeDrives
    $count = Add-FakeCall -Key $Name
    $fault = Get-FakeFault -Key $Name -Call $count
    if ($null -ne $fault) { Invoke-FakeFaultAction -Fault $fault; return }
    $latency = Get-FakeValue $script:Scenario.LatencyMs $Name
    if ($null -ne $latency -and [int]$latency -gt 0) { Start-Sleep -Milliseconds ([int]$latency) }
}

$script:BreakpointAction = { $null = Enter-FakeModuleCall -Name $_.Command }

function Install-FakeWindowsInModule {
    # Right after BitLockerKeyBackup is imported: its primitives replaced in its own scope, its functions watched.
    param([psmoduleinfo]$Module)
    & $Module {
        param($Overrides)
        foreach ($name in $Overrides.Keys) { Set-Item -Path "function:script:$name" -Value $Overrides[$name] }
    } $script:Overrides
    foreach ($breakpoint in $script:Breakpoints) { Remove-PSBreakpoint -Breakpoint $breakpoint -ErrorAction SilentlyContinue }
    $script:Breakpoints = @(foreach ($name in $Module.ExportedFunctions.Keys) { Set-PSBreakpoint -Command $name -Action $script:BreakpointAction })
}

#endregion

#region Commands that shadow Windows' own

function Import-Module {
    <#
        Import-Module as usual (into the global scope, as the session's start-up line does); when the module is
        BitLockerKeyBackup, the scenario's startup latency and fault first, then the fake installed in it.
    #>
    $arguments = @($args)
    $isBkb = @($arguments | Where-Object { $_ -is [string] -and $_ -match '(^|[\\/])BitLockerKeyBackup(\.psm1|\.psd1)?$' }).Count -gt 0
    if ($isBkb -and (@($script:Scenario.Computer.MachinePolicy, $script:Scenario.Computer.UserPolicy) | Where-Object { $script:BlockingPolicies -contains $_ })) {
        # What Windows says when Group Policy's execution policy refuses an unsigned module (PSSecurityException).
        $message = 'File BitLockerKeyBackup.psm1 cannot be loaded. The file BitLockerKeyBackup.psm1 is not digitally signed. You cannot run this script on the current system.'
        Write-Error -Exception ([System.Management.Automation.PSSecurityException]::new($message)) -Category SecurityError -ErrorId 'UnauthorizedAccess'
        return
    }
    if ($isBkb) {
        $count = Add-FakeCall -Key 'startup'
        $fault = Get-FakeFault -Key 'startup' -Call $count
        $latency = Get-FakeValue $script:Scenario.LatencyMs 'startup'
        if ($null -ne $latency -and [int]$latency -gt 0) { Start-Sleep -Milliseconds ([int]$latency) }
        if ($null -ne $fault) {
            $message = Get-FakeValue $fault 'error'
            if ($null -ne $message) {
                # As Import-Module reports a module that does not load; the module stays unimported.
                Write-Error -Exception ([System.IO.FileLoadException]::new([string]$message)) -Category ResourceUnavailable -ErrorId 'Modules_ModuleNotLoaded'
                return
            }
            Invoke-FakeFaultAction -Fault $fault
        }
    }
    $passThru = @($arguments | Where-Object { $_ -is [string] -and $_ -like '-PassThru*' }).Count -gt 0
    $global = @($arguments | Where-Object { $_ -is [string] -and $_ -like '-Global*' }).Count -gt 0
    $call = @{ PassThru = $true }
    if (-not $global) { $call['Global'] = $true }
    $modules = @(Microsoft.PowerShell.Core\Import-Module @arguments @call)
    foreach ($module in $modules) {
        if ($module.Name -eq 'BitLockerKeyBackup') { Install-FakeWindowsInModule -Module $module }
    }
    if ($passThru) { $modules }
}

function Get-ExecutionPolicy {
    <# The execution policy of a scope, as Group Policy sets it in the scenario (pwsh on Linux has none of its own). #>
    param([string]$Scope, [switch]$List)
    switch ($Scope) {
        'MachinePolicy' { $script:Scenario.Computer.MachinePolicy }
        'UserPolicy' { $script:Scenario.Computer.UserPolicy }
        default { 'Bypass' }
    }
}

function ConvertFrom-FakeWql {
    # The WHERE clause of the WQL the module sends: Name='text', Name="text" or Name=number, joined by AND.
    param([string]$Filter)
    $conditions = @{}
    if (-not $Filter) { return $conditions }
    foreach ($part in ($Filter -split '\s+AND\s+')) {
        if ($part -match "^\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*$") { $conditions[$Matches[1]] = $Matches[2].Replace("''", "'") }
        elseif ($part -match '^\s*(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$') { $conditions[$Matches[1]] = $Matches[2] -replace '\\(.)', '$1' }
        elseif ($part -match '^\s*(\w+)\s*=\s*(\d+)\s*$') { $conditions[$Matches[1]] = $Matches[2] }
        else { throw (New-FakeCimException -Message 'Invalid query ' -HResult 0x80041017u) }
    }
    $conditions
}

function Test-FakeWqlMatch {
    param($Instance, [hashtable]$Conditions)
    foreach ($name in $Conditions.Keys) {
        $property = $Instance.PSObject.Properties[$name]
        if ($null -eq $property) { throw (New-FakeCimException -Message 'Invalid query ' -HResult 0x80041017u) }
        if ([string]$property.Value -ne $Conditions[$name]) { return $false }
    }
    $true
}

function New-FakeCimInstance {
    param([string]$Namespace, [string]$ClassName, [System.Collections.IDictionary]$Properties)
    $instance = [pscustomobject]$Properties
    $instance | Add-Member -NotePropertyName PSComputerName -NotePropertyValue $null
    $instance.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance')
    $instance.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#$Namespace/$ClassName")
    $instance
}

function Get-FakeEditionInfo {
    $edition = $script:Scenario.Computer.Edition
    $product = switch -Wildcard ($edition) {
        'Core*' { 'Windows 11 Home' }
        'Professional*' { 'Windows 11 Pro' }
        'Enterprise*' { 'Windows 11 Enterprise' }
        'Education*' { 'Windows 11 Education' }
        default { 'Windows 11' }
    }
    [pscustomobject]@{ EditionID = $edition; ProductName = $product }
}

function Get-FakeParentProcessId {
    param([int]$ProcessId)
    $stat = [System.IO.File]::ReadAllText("/proc/$ProcessId/stat")
    [int]$stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1]
}

function Get-FakeProcessInstance {
    <#
        Win32_Process from the host's /proc, except that the process which started this PowerShell (the app, on
        Windows) is the app's program file: a stand-in 'BitLocker Key Backup.exe' this fake creates, so that
        Start-BkbElevated, which restarts only the app's own .exe, finds one. It is never run (Start-Process is fake).
    #>
    param([int]$ProcessId)
    $proc = "/proc/$ProcessId"
    if (-not [System.IO.Directory]::Exists($proc)) { return }
    $exe = $null
    try { $exe = [System.IO.File]::ResolveLinkTarget("$proc/exe", $true).FullName } catch { $exe = $null }
    if ($ProcessId -eq $script:AppProcessId) { $exe = $script:AppExecutable }
    $commandLine = ([System.IO.File]::ReadAllText("$proc/cmdline") -split "`0" | Where-Object { $_ }) -join ' '
    New-FakeCimInstance -Namespace 'root/cimv2' -ClassName 'Win32_Process' -Properties ([ordered]@{
            Name = if ($exe) { Split-Path -Leaf $exe } else { $null }; ProcessId = [uint32]$ProcessId; ParentProcessId = [uint32](Get-FakeParentProcessId -ProcessId $ProcessId)
            ExecutablePath = $exe; CommandLine = $commandLine
        })
}

function Get-CimInstance {
    <# Win32_EncryptableVolume, Win32_LogicalDisk, Win32_ComputerSystem, Win32_OperatingSystem and Win32_Process. #>
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true)][string]$Query,
        [string]$Namespace = 'root/cimv2',
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][string]$Filter,
        [string[]]$Property,
        [string[]]$ComputerName,
        [uint32]$OperationTimeoutSec,
        [switch]$Shallow,
        [switch]$KeyOnly,
        [string]$QueryDialect
    )
    Invoke-FakePendingFault
    if ($PSCmdlet.ParameterSetName -eq 'QueryComputerSet') {
        if ($Query -notmatch '^\s*SELECT\s+.+?\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+))?\s*$') { throw (New-FakeCimException -Message 'Invalid query ' -HResult 0x80041017u) }
        $ClassName = $Matches[1]
        $Filter = if ($Matches.Count -gt 2) { $Matches[2] } else { $null }
    }
    $ns = ($Namespace -replace '\\', '/').Trim('/').ToLowerInvariant()
    $conditions = ConvertFrom-FakeWql -Filter $Filter
    $instances = switch ($ClassName) {
        'Win32_EncryptableVolume' {
            if ($ns -ne $script:EncryptionNamespace) { throw (New-FakeCimException -Message 'Invalid class ' -HResult 0x80041010u) }
            Assert-FakeElevatedForBitLocker
            foreach ($volume in @(Get-FakeVolumes)) {
                $v = $volume.Scenario
                $encrypted = $volume.Locked -or $v.VolumeStatus -ne 'FullyDecrypted'
                $conversion = if ($volume.Locked -or $null -eq $v.VolumeStatus) { $null } else { $script:ConversionStatuses[$v.VolumeStatus][0] }
                New-FakeCimInstance -Namespace $script:EncryptionNamespace -ClassName 'Win32_EncryptableVolume' -Properties ([ordered]@{
                        ConversionStatus                 = $conversion
                        DeviceID                         = $volume.DeviceId
                        DriveLetter                      = $volume.Letter
                        EncryptionMethod                 = [uint32]$(if ($null -eq $v.EncryptionMethod) { 0 } else { [array]::IndexOf($script:EncryptionMethods, $v.EncryptionMethod) })
                        IsVolumeInitializedForProtection = [bool]$encrypted
                        PersistentVolumeID               = if ($encrypted) { '{' + $volume.DeviceId.Substring(11, 36).ToUpperInvariant() + '}' } else { '' }
                        ProtectionStatus                 = $script:ProtectionStatuses[[string]$v.ProtectionStatus]
                        VolumeType                       = $script:VolumeTypes[$v.DriveType]
                    })
            }
        }
        'Win32_LogicalDisk' {
            foreach ($share in @($script:Scenario.Computer.NetworkShares | Where-Object { $_.Letter })) {
                # A mapped network drive.
                New-FakeCimInstance -Namespace 'root/cimv2' -ClassName 'Win32_LogicalDisk' -Properties ([ordered]@{
                        DeviceID = $share.Letter; DriveType = [uint32]4; FileSystem = 'NTFS'; FreeSpace = $null; ProviderName = $share.Unc; Size = $null; VolumeName = ''
                    })
            }
            foreach ($volume in @(Get-FakeVolumes | Where-Object { $_.Letter })) {
                $v = $volume.Scenario
                New-FakeCimInstance -Namespace 'root/cimv2' -ClassName 'Win32_LogicalDisk' -Properties ([ordered]@{
                        DeviceID     = $volume.Letter
                        DriveType    = [uint32]$(if ($v.DriveType -eq 'Removable') { 2 } else { 3 })
                        FileSystem   = if ($volume.Locked) { $null } else { $v.FileSystem }
                        FreeSpace    = if ($volume.Locked) { $null } else { Get-FakeFreeBytes -Volume $volume }
                        ProviderName = $null
                        Size         = if ($volume.Locked) { $null } else { Get-FakeSizeBytes -Volume $volume }
                        VolumeName   = if ($volume.Locked) { $null } else { $v.Label }
                    })
            }
        }
        'Win32_ComputerSystem' {
            $computer = $script:Scenario.Computer
            $domain = if ($computer.DomainJoined -and $computer.DomainName) { $computer.DomainName } else { 'WORKGROUP' }
            New-FakeCimInstance -Namespace 'root/cimv2' -ClassName 'Win32_ComputerSystem' -Properties ([ordered]@{
                    Name = $computer.Name; DNSHostName = $computer.Name; Domain = $domain; PartOfDomain = [bool]$computer.DomainJoined
                    Workgroup = if ($computer.DomainJoined) { $null } else { 'WORKGROUP' }; Manufacturer = 'Contoso Computers'; Model = 'Simulated PC'
                })
        }
        'Win32_OperatingSystem' {
            $info = Get-FakeEditionInfo
            New-FakeCimInstance -Namespace 'root/cimv2' -ClassName 'Win32_OperatingSystem' -Properties ([ordered]@{
                    Caption = "Microsoft $($info.ProductName)"; Version = '10.0.22631'; BuildNumber = '22631'; CSName = $script:Scenario.Computer.Name
                    OSArchitecture = '64-bit'; SystemDrive = 'C:'; WindowsDirectory = 'C:\WINDOWS'
                })
        }
        'Win32_Process' {
            if ($conditions.ContainsKey('ProcessId')) { Get-FakeProcessInstance -ProcessId ([int]$conditions['ProcessId']) }
            else { Get-FakeProcessInstance -ProcessId $PID }
        }
        default { throw (New-FakeCimException -Message 'Invalid class ' -HResult 0x80041010u) }
    }
    foreach ($instance in @($instances)) {
        if ($null -ne $instance -and (Test-FakeWqlMatch -Instance $instance -Conditions $conditions)) { $instance }
    }
}

function New-FakeMethodResult {
    param([string]$MethodName, [uint32]$ReturnValue, [System.Collections.IDictionary]$Out = @{})
    $properties = [ordered]@{}
    # Assigned, not piped: a one-item string[] stays an array, as WMI's out-parameters do.
    foreach ($name in $Out.Keys) {
        if ($ReturnValue -eq 0) { $properties[$name] = $Out[$name] } else { $properties[$name] = $null }
    }
    $properties['ReturnValue'] = $ReturnValue
    $properties['PSComputerName'] = $null
    $result = [pscustomobject]$properties
    $result.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimMethodResult')
    $result.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimMethodResult#Win32_EncryptableVolume#$MethodName")
    $result
}

function Invoke-CimMethod {
    <# Win32_EncryptableVolume's methods on a volume from Get-CimInstance: ReturnValue (uint32 HRESULT) plus out-parameters. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, ValueFromPipeline = $true)][Alias('CimInstance')]$InputObject,
        [Parameter(Mandatory = $true)][Alias('Name')][string]$MethodName,
        [System.Collections.IDictionary]$Arguments = @{},
        [string[]]$ComputerName,
        [uint32]$OperationTimeoutSec
    )
    process {
        Invoke-FakePendingFault
        if ($InputObject.PSObject.TypeNames -notcontains "Microsoft.Management.Infrastructure.CimInstance#$($script:EncryptionNamespace)/Win32_EncryptableVolume") {
            throw (New-FakeCimException -Message 'Invalid method ' -HResult 0x80041055u)
        }
        Assert-FakeElevatedForBitLocker
        $volume = Find-FakeVolume -DeviceId ([string]$InputObject.DeviceID)
        if ($null -eq $volume) { throw (New-FakeCimException -Message 'Not found ' -HResult 0x80041002u) }
        $v = $volume.Scenario
        $argument = { param($name) foreach ($key in $Arguments.Keys) { if ($key -eq $name) { return $Arguments[$key] } }; $null }
        $findProtector = {
            $id = [string](& $argument 'VolumeKeyProtectorID')
            $volume.Protectors | Where-Object { $_.Id -eq $id } | Select-Object -First 1
        }
        switch ($MethodName) {
            'GetLockStatus' { New-FakeMethodResult $MethodName 0 @{ LockStatus = [uint32]$(if ($volume.Locked) { 1 } else { 0 }) } }
            'GetProtectionStatus' { New-FakeMethodResult $MethodName 0 @{ ProtectionStatus = $script:ProtectionStatuses[[string]$v.ProtectionStatus] } }
            'GetConversionStatus' {
                if ($volume.Locked) { New-FakeMethodResult $MethodName $script:FVE_E_LOCKED_VOLUME ([ordered]@{ ConversionStatus = $null; EncryptionFlags = $null; EncryptionPercentage = $null; WipingPercentage = $null; WipingStatus = $null }); break }
                $precision = & $argument 'PrecisionFactor'
                $scale = [Math]::Pow(10, [int]$(if ($null -ne $precision) { $precision } else { 0 }))
                $codes = $script:ConversionStatuses[$v.VolumeStatus]
                New-FakeMethodResult $MethodName 0 ([ordered]@{
                        ConversionStatus = $codes[0]; EncryptionFlags = [uint32]0
                        EncryptionPercentage = [uint32][Math]::Floor([double]$v.EncryptionPercentage * $scale)
                        WipingPercentage = [uint32]0; WipingStatus = $codes[1]
                    })
            }
            'GetEncryptionMethod' {
                $method = if ($null -eq $v.EncryptionMethod) { [uint32]::MaxValue } else { [uint32][array]::IndexOf($script:EncryptionMethods, $v.EncryptionMethod) }
                New-FakeMethodResult $MethodName 0 ([ordered]@{ EncryptionMethod = $method; SelfEncryptionDriveEncryptionMethod = '' })
            }
            'GetKeyProtectors' {
                $type = & $argument 'KeyProtectorType'
                $ids = [string[]]@($volume.Protectors | Where-Object { $null -eq $type -or [int]$type -eq 0 -or [array]::IndexOf($script:KeyProtectorTypes, $_.Type) -eq [int]$type } | ForEach-Object { $_.Id })
                New-FakeMethodResult $MethodName 0 @{ VolumeKeyProtectorID = $ids }
            }
            'GetKeyProtectorType' {
                $protector = & $findProtector
                if ($null -eq $protector) { New-FakeMethodResult $MethodName $script:FVE_E_PROTECTOR_NOT_FOUND @{ KeyProtectorType = $null }; break }
                New-FakeMethodResult $MethodName 0 @{ KeyProtectorType = [uint32][array]::IndexOf($script:KeyProtectorTypes, $protector.Type) }
            }
            'GetKeyProtectorFriendlyName' {
                $protector = & $findProtector
                if ($null -eq $protector) { New-FakeMethodResult $MethodName $script:FVE_E_PROTECTOR_NOT_FOUND @{ FriendlyName = $null }; break }
                New-FakeMethodResult $MethodName 0 @{ FriendlyName = [string](Get-FakeValue $script:FriendlyNames $protector.Type '') }
            }
            'GetKeyProtectorNumericalPassword' {
                $protector = & $findProtector
                $code = if ($null -eq $protector) { $script:FVE_E_PROTECTOR_NOT_FOUND }
                elseif ($protector.Type -ne 'RecoveryPassword') { $script:FVE_E_INVALID_PROTECTOR_TYPE }
                elseif ($volume.Locked -or -not $protector.Password) { $script:FVE_E_LOCKED_VOLUME }
                else { $script:S_OK }
                New-FakeMethodResult $MethodName $code @{ NumericalPassword = if ($code -eq 0) { [string]$protector.Password } else { $null } }
            }
            'ProtectKeyWithNumericalPassword' {
                # Windows generates the password (the module never gives one); 775 is logged at once.
                $code = if ($volume.Locked) { $script:FVE_E_LOCKED_VOLUME } else { $script:RecoveryPasswordPolicies[$script:Scenario.RecoveryPolicy] }
                if ($code -ne 0) { New-FakeMethodResult $MethodName $code @{ VolumeKeyProtectorID = $null }; break }
                $id = Get-FakeAddedId -MountPoint $volume.MountPoint -Number ($script:State.addedProtectors.Count + 1)
                $script:State.addedProtectors.Add(@{ mountPoint = $volume.MountPoint; keyProtectorId = $id })
                Save-FakeState
                Add-FakeEvent -Id 775 -Volume $volume -ProtectorId $id -Immediately
                New-FakeMethodResult $MethodName 0 @{ VolumeKeyProtectorID = $id }
            }
            'DeleteKeyProtector' {
                $protector = & $findProtector
                $code = if ($volume.Locked) { $script:FVE_E_LOCKED_VOLUME } elseif ($null -eq $protector) { $script:FVE_E_PROTECTOR_NOT_FOUND } else { $script:S_OK }
                if ($code -eq 0) {
                    $script:State.removedProtectors.Add([string]$protector.Id)
                    Save-FakeState
                    Add-FakeEvent -Id 776 -Volume $volume -ProtectorId $protector.Id -Immediately
                }
                New-FakeMethodResult $MethodName $code @{}
            }
            default { throw (New-FakeCimException -Message 'Method not implemented ' -HResult 0x80041055u) }
        }
    }
}

function Find-FakeVolumeOfPath {
    # The volume holding a path: 'F:\...' lies on F:; a host path on the volume (or network share, returned as its
    # hashtable) whose root folder holds it, the deepest root winning. Host paths compare case-sensitively.
    param([string]$Path, $Volumes)
    if ($Path -match '^([A-Za-z]):(?:[\\/]|\z)') {
        $letter = $Matches[1].ToUpperInvariant() + ':'
        $share = $script:Scenario.Computer.NetworkShares | Where-Object { $_.Letter -eq $letter } | Select-Object -First 1
        if ($null -ne $share) { return $share }
        return $Volumes | Where-Object { $_.Letter -eq $letter } | Select-Object -First 1
    }
    $best = $null
    $bestLength = -1
    $candidates = @(foreach ($volume in $Volumes) { if ($null -ne $volume.Scenario.Root) { , @($volume.Scenario.Root, $volume) } }) +
    @(foreach ($share in $script:Scenario.Computer.NetworkShares) { , @($share.Root, $share) })
    foreach ($candidate in $candidates) {
        $root = ([string]$candidate[0]).TrimEnd('/')
        $inside = [string]::Equals($Path, $root, [System.StringComparison]::Ordinal) -or $Path.StartsWith($root + '/', [System.StringComparison]::Ordinal)
        if ($inside -and $root.Length -gt $bestLength) { $best = $candidate[1]; $bestLength = $root.Length }
    }
    $best
}

function Get-Volume {
    <# MSFT_Volume: label, file system, size and free space of a scenario volume. #>
    [CmdletBinding(DefaultParameterSetName = 'ByDriveLetter')]
    param(
        [Parameter(ParameterSetName = 'ByDriveLetter', Position = 0)][char[]]$DriveLetter,
        [Parameter(ParameterSetName = 'ByFilePath', Mandatory = $true)][string[]]$FilePath,
        [Parameter(ParameterSetName = 'ByPaths', Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByLabel', Mandatory = $true)][string[]]$FileSystemLabel
    )
    Invoke-FakePendingFault
    $volumes = @(Get-FakeVolumes)
    $toMsftVolume = {
        param($volume)
        $v = $volume.Scenario
        $instance = New-FakeCimInstance -Namespace 'ROOT/Microsoft/Windows/Storage' -ClassName 'MSFT_Volume' -Properties ([ordered]@{
                DriveLetter     = if ($volume.Letter) { [char]$volume.Letter[0] } else { $null }
                DriveType       = [uint32]$(if ($v.DriveType -eq 'Removable') { 2 } else { 3 })
                FileSystem      = if ($volume.Locked) { '' } else { [string]$v.FileSystem }
                FileSystemLabel = [string]$v.Label
                FileSystemType  = [uint16]$(if ($volume.Locked) { 0 } else { 14 })
                HealthStatus    = [uint16]0
                ObjectId        = '{1}\\FAKE\root/Microsoft/Windows/Storage/Providers_v2\WSP_Volume.ObjectId="' + $volume.DeviceId + '"'
                Path            = $volume.DeviceId
                Size            = Get-FakeSizeBytes -Volume $volume
                SizeRemaining   = if ($volume.Locked) { [uint64]0 } else { Get-FakeFreeBytes -Volume $volume }
                UniqueId        = $volume.DeviceId
            })
        $instance
    }
    $toShareVolume = {
        # A network share as Get-Volume shows one: a Remote volume without a drive letter.
        param($share)
        New-FakeCimInstance -Namespace 'ROOT/Microsoft/Windows/Storage' -ClassName 'MSFT_Volume' -Properties ([ordered]@{
                DriveLetter = if ($share.Letter) { [char]$share.Letter[0] } else { $null }; DriveType = [uint32]4; FileSystem = 'NTFS'; FileSystemLabel = ''; FileSystemType = [uint16]14; HealthStatus = [uint16]0
                ObjectId = $share.Unc; Path = $share.Unc; Size = [uint64]0; SizeRemaining = [uint64]0; UniqueId = $share.Unc
            })
    }
    $notFound = {
        param($property, $value)
        $exception = [System.Exception]::new("No MSFT_Volume objects found with property '$property' equal to '$value'.  Verify the value of the property and retry.")
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, "CmdletizationQuery_NotFound_$property", 'ObjectNotFound', $value))
    }
    switch ($PSCmdlet.ParameterSetName) {
        'ByDriveLetter' {
            if (-not $DriveLetter) { foreach ($volume in $volumes) { & $toMsftVolume $volume }; break }
            foreach ($letter in $DriveLetter) {
                $volume = $volumes | Where-Object { $_.Letter -eq "${letter}:" } | Select-Object -First 1
                if ($null -eq $volume) { & $notFound 'DriveLetter' $letter } else { & $toMsftVolume $volume }
            }
        }
        'ByFilePath' {
            foreach ($file in $FilePath) {
                $found = Find-FakeVolumeOfPath -Path ([string]$file) -Volumes $volumes
                if ($null -eq $found) { & $notFound 'FilePath' $file }
                elseif ($found -is [hashtable]) { & $toShareVolume $found }
                else { & $toMsftVolume $found }
            }
        }
        'ByPaths' { foreach ($p in $Path) { $volume = $volumes | Where-Object { $_.DeviceId -eq $p } | Select-Object -First 1; if ($volume) { & $toMsftVolume $volume } else { & $notFound 'Path' $p } } }
        'ByLabel' { foreach ($l in $FileSystemLabel) { $volumes | Where-Object { $_.Scenario.Label -eq $l } | ForEach-Object { & $toMsftVolume $_ } } }
    }
}

function Test-FakeCurrentVersionKey {
    param([string[]]$Paths)
    foreach ($p in $Paths) {
        $normal = ($p -replace '^Microsoft\.PowerShell\.Core\\Registry::', '' -replace '^HKEY_LOCAL_MACHINE', 'HKLM:' -replace '^HKLM:(?!\\)', 'HKLM:\').TrimEnd('\')
        if ($normal -ne 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion') { return $false }
    }
    $true
}

function Get-FakeCurrentVersionValues {
    $info = Get-FakeEditionInfo
    $values = [ordered]@{ ProductName = $info.ProductName; CurrentBuild = '22631'; CurrentBuildNumber = '22631'; DisplayVersion = '23H2'; InstallationType = 'Client' }
    # An edition the scenario leaves null is one the registry does not name.
    if ($null -ne $info.EditionID) { $values['EditionID'] = $info.EditionID }
    $values
}

function Get-ItemPropertyValue {
    <# HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion answers from the scenario; any other path is the real cmdlet's. #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory = $true, Position = 1)][Alias('PSProperty')][string[]]$Name
    )
    Invoke-FakePendingFault
    $paths = if ($PSCmdlet.ParameterSetName -eq 'LiteralPath') { $LiteralPath } else { $Path }
    if (-not (Test-FakeCurrentVersionKey -Paths $paths)) { return Microsoft.PowerShell.Management\Get-ItemPropertyValue @PSBoundParameters }
    $values = Get-FakeCurrentVersionValues
    foreach ($n in $Name) {
        if (-not $values.Contains($n)) {
            $exception = [System.Management.Automation.PSArgumentException]::new("Property $n does not exist at path HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion.")
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'System.Management.Automation.PSArgumentException', 'InvalidArgument', $n))
            continue
        }
        $values[$n]
    }
}

function Get-FakeEnrollments {
    <#
        Get-ItemProperty of HKLM:\SOFTWARE\Microsoft\Enrollments\*: the values of each enrollment key. An Intune-managed
        PC has Intune's (ProviderID 'MS DM Server', EnrollmentState 1); Windows keeps keys without values (Context,
        Ownership, Status) that list nothing. computer.intuneManaged null: the keys cannot be read.
    #>
    $managed = $script:Scenario.Computer.IntuneManaged
    if ($null -eq $managed) { throw [System.Security.SecurityException]::new('Requested registry access is not allowed.') }
    if (-not $managed) { return }
    $key = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\{0D0C7E2B-1A3F-4B5C-9D8E-7F6A5B4C3D2E}'
    [pscustomobject]@{
        ProviderID = 'MS DM Server'; EnrollmentState = 1; EnrollmentType = 6; AADTenantID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
        PSPath = $key; PSParentPath = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments'
        PSChildName = '{0D0C7E2B-1A3F-4B5C-9D8E-7F6A5B4C3D2E}'
    }
}

function Get-FakeAuditSourceKey {
    <#
        Get-ItemProperty of the app's event source key: the values the installer writes, or, where the scenario's
        computer.auditSourceRegistered is false (the portable build), the provider's error for a key that is not there.
    #>
    param([System.Management.Automation.PSCmdlet]$Cmdlet)
    if (-not $script:Scenario.Computer.AuditSourceRegistered) {
        $exception = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$($script:AuditSourceKey)' because it does not exist.")
        $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand', 'ObjectNotFound', $script:AuditSourceKey))
        return
    }
    [pscustomobject]@{
        EventMessageFile = '%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll'; TypesSupported = 7
        PSPath = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\EventLog\Application\' + $script:AuditSource
    }
}

function Get-ItemProperty {
    <#
        As Get-ItemPropertyValue: the CurrentVersion key answers from the scenario, and so do the MDM enrollment keys
        (Get-FakeEnrollments) and the app's event source key (Get-FakeAuditSourceKey); any other path is the real cmdlet's.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][Alias('PSProperty')][string[]]$Name
    )
    Invoke-FakePendingFault
    $paths = if ($PSCmdlet.ParameterSetName -eq 'LiteralPath') { $LiteralPath } else { $Path }
    if ($PSCmdlet.ParameterSetName -eq 'Path' -and @($paths).Count -eq 1 -and @($paths)[0] -eq 'HKLM:\SOFTWARE\Microsoft\Enrollments\*') { return Get-FakeEnrollments }
    if (@($paths).Count -eq 1 -and @($paths)[0] -eq $script:AuditSourceKey) { return Get-FakeAuditSourceKey -Cmdlet $PSCmdlet }
    if (-not (Test-FakeCurrentVersionKey -Paths $paths)) { return Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters }
    $values = Get-FakeCurrentVersionValues
    $selected = [ordered]@{}
    foreach ($key in $values.Keys) { if (-not $Name -or $Name -contains $key) { $selected[$key] = $values[$key] } }
    if ($Name | Where-Object { -not $values.Contains($_) }) {
        $exception = [System.Management.Automation.PSArgumentException]::new("Property $(@($Name)[0]) does not exist at path HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion.")
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'System.Management.Automation.PSArgumentException', 'InvalidArgument', $Name))
        return
    }
    $selected['PSPath'] = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    [pscustomobject]$selected
}

function Get-WinEvent {
    <#
        The BitLocker Management log (scenario events and those this PC logged, each visible from its time on) and the
        Application log, which holds the app's audit entries; -FilterHashtable's LogName, ProviderName, Id, StartTime, EndTime.
    #>
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0)][string[]]$LogName,
        [Parameter(ParameterSetName = 'HashQuerySet', Mandatory = $true, Position = 0)][hashtable[]]$FilterHashtable,
        [long]$MaxEvents = -1,
        [switch]$Oldest,
        [switch]$Force
    )
    Invoke-FakePendingFault
    $noLog = {
        param($name)
        $exception = [System.Exception]::new("There is not an event log on the localhost computer that matches `"$name`".")
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoMatchingLogsFound', 'ObjectNotFound', $name))
    }
    $filters = if ($PSCmdlet.ParameterSetName -eq 'HashQuerySet') { $FilterHashtable } else { @(@{ LogName = $LogName }) }
    $now = [DateTime]::UtcNow
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($filter in $filters) {
        $logs = @($filter['LogName'])
        foreach ($log in $logs) { if ($log -and $log -ne $script:ManagementLog -and $log -ne $script:ApplicationLog) { & $noLog $log; return } }
        $logName = if ($logs[0] -eq $script:ApplicationLog) { $script:ApplicationLog } else { $script:ManagementLog }
        $providers = if ($filter.ContainsKey('ProviderName')) { @($filter['ProviderName']) } else { $null }
        $ids = if ($filter.ContainsKey('Id')) { @($filter['Id'] | ForEach-Object { [int]$_ }) } else { $null }
        $start = if ($filter.ContainsKey('StartTime')) { ([datetime]$filter['StartTime']).ToUniversalTime() } else { [datetime]::MinValue }
        $end = if ($filter.ContainsKey('EndTime')) { ([datetime]$filter['EndTime']).ToUniversalTime() } else { [datetime]::MaxValue }
        foreach ($entry in @(Get-FakeLoggedEvents -LogName $logName)) {
            if ($null -ne $providers -and $providers -notcontains $entry.Provider) { continue }
            $logged = $entry.Event
            $time = [DateTime]::Parse([string]$logged['time'], [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
            if ($time -gt $now -or $time -lt $start -or $time -gt $end) { continue }
            if ($null -ne $ids -and $ids -notcontains [int]$logged['id']) { continue }
            if ($found | Where-Object { $_.Log -eq $logName -and $_.RecordId -eq $entry.RecordId }) { continue }
            $found.Add([pscustomobject]@{ Log = $logName; RecordId = $entry.RecordId; Time = $time; Event = $logged })
        }
    }
    # Newest first, as Get-WinEvent reads a log unless -Oldest.
    $ordered = @($found | Sort-Object -Property @{ Expression = 'Time'; Descending = -not $Oldest }, @{ Expression = 'RecordId'; Descending = -not $Oldest })
    if ($ordered.Count -eq 0) {
        $exception = [System.Exception]::new('No events were found that match the specified selection criteria.')
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoMatchingEventsFound', 'ObjectNotFound', $null))
        return
    }
    if ($MaxEvents -gt 0) { $ordered = @($ordered | Select-Object -First $MaxEvents) }
    foreach ($item in $ordered) {
        if ($item.Log -eq $script:ApplicationLog) { New-FakeAuditRecord -Entry $item.Event -RecordId $item.RecordId }
        else { New-FakeEventRecord -Event $item.Event -RecordId $item.RecordId }
    }
}

function Write-EventLog {
    <#
        Windows PowerShell 5.1's Write-EventLog (PowerShell 7 has none): an entry in the Application log under the app's
        event source, kept in the state file. Any other log or source, or the app's where the installer did not register
        it (computer.auditSourceRegistered false), is the cmdlet's error for a source that does not exist.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][Alias('LN')][string]$LogName,
        [Parameter(Mandatory = $true, Position = 1)][Alias('SRC')][string]$Source,
        [Parameter(Position = 2)][Alias('ET')][ValidateSet('Error', 'Warning', 'Information', 'SuccessAudit', 'FailureAudit')][string]$EntryType = 'Information',
        [Parameter(Mandatory = $true, Position = 3)][Alias('ID', 'EID')][ValidateRange(0, 65535)][int]$EventId,
        [Parameter(Mandatory = $true, Position = 4)][Alias('MSG')][ValidateLength(0, 32766)][string]$Message,
        [int16]$Category,
        [byte[]]$RawData,
        [string]$ComputerName = '.'
    )
    Invoke-FakePendingFault
    if ($LogName -ne $script:ApplicationLog -or $Source -ne $script:AuditSource -or -not $script:Scenario.Computer.AuditSourceRegistered) {
        $exception = [System.InvalidOperationException]::new("The source name `"$Source`" does not exist on computer `"localhost`".")
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'Microsoft.PowerShell.Commands.WriteEventLogCommand', 'InvalidOperation', $Source))
        return
    }
    $time = [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
    $script:State.auditEvents.Add(@{ id = $EventId; time = $time; entryType = $EntryType; message = $Message })
    Save-FakeState
}

$script:ProcessLog = [System.Collections.Generic.List[object]]::new()

function Get-FakeWindowsProcessLog {
    <# Every Start-Process call the module made in this host: FilePath, ArgumentList, Verb. #>
    $script:ProcessLog.ToArray()
}

function Start-Process {
    <#
        Records the call (and appends it to $env:BKB_FAKE_PROCESS_LOG as a JSON line); starts nothing. Windows' BitLocker
        panel (control.exe /name Microsoft.BitLockerDriveEncryption, which opens nothing on Home) and Settings' Device
        encryption page (ms-settings:deviceencryption) act out the user per the scenario's microsoftAccount.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][Alias('PSPath', 'Path')][string]$FilePath,
        [Parameter(Position = 1)][Alias('Args')][string[]]$ArgumentList,
        [string]$Verb,
        [string]$WorkingDirectory,
        [System.Diagnostics.ProcessWindowStyle]$WindowStyle,
        [switch]$PassThru,
        [switch]$Wait,
        [switch]$NoNewWindow,
        [switch]$UseNewEnvironment
    )
    Invoke-FakePendingFault
    $entry = [pscustomobject]@{ FilePath = $FilePath; ArgumentList = @($ArgumentList); Verb = $Verb }
    $script:ProcessLog.Add($entry)
    if ($env:BKB_FAKE_PROCESS_LOG) {
        [System.IO.File]::AppendAllText($env:BKB_FAKE_PROCESS_LOG, (ConvertTo-Json -InputObject $entry -Compress) + "`n")
    }
    $leaf = ($FilePath -split '[\\/]')[-1]
    $isHome = [string]$script:Scenario.Computer.Edition -like 'Core*'
    if ($leaf -eq 'control.exe' -and (@($ArgumentList) -join ' ') -match 'Microsoft\.BitLockerDriveEncryption') {
        if (-not $isHome) { Invoke-FakeMicrosoftAccountUser }
    }
    elseif ($FilePath -eq 'ms-settings:deviceencryption') {
        Invoke-FakeMicrosoftAccountUser
    }
    if ($PassThru) { [pscustomobject]@{ PSTypeName = 'System.Diagnostics.Process'; Id = 4242; ProcessName = [System.IO.Path]::GetFileNameWithoutExtension($leaf); HasExited = $false } }
}

#endregion

#region Start-up

try {
    $script:Scenario = Read-FakeScenario
    $script:StateFile = if ($env:BKB_SIM_STATE) { [System.IO.Path]::GetFullPath($env:BKB_SIM_STATE) } else { $null }
    $script:State = Read-FakeState
}
catch {
    # As the Node simulated host does: exit 2 before reading any input, so the session fails to start.
    [Console]::Error.WriteLine("fake Windows: $($_.Exception.Message)")
    [Console]::Error.Flush()
    [Environment]::Exit(2)
}
$script:PendingFault = $null
$script:Breakpoints = @()

# The app's program file, as Win32_Process reports the process that started this PowerShell.
$script:AppProcessId = if ($IsLinux) { Get-FakeParentProcessId -ProcessId $PID } else { -1 }
$appFolder = Join-Path ([System.IO.Path]::GetTempPath()) 'bkb-fake-windows'
$script:AppExecutable = Join-Path $appFolder 'BitLocker Key Backup.exe'
if (-not [System.IO.File]::Exists($script:AppExecutable)) {
    $null = [System.IO.Directory]::CreateDirectory($appFolder)
    [System.IO.File]::WriteAllBytes($script:AppExecutable, [byte[]]@())
}

# What Windows' environment says of itself.
$env:COMPUTERNAME = ($script:Scenario.Computer.Name -split "`r?`n")[0] -replace "`0", ''
$env:SystemRoot = 'C:\WINDOWS'
$env:windir = 'C:\WINDOWS'
$env:SystemDrive = 'C:'

# The BitLocker module exists only where the scenario says Windows has it. Its folder goes last on PSModulePath, as
# Windows' own module folder comes after the user's Documents (a module planted there is found first).
$bitLockerModules = Join-Path $PSScriptRoot 'modules'
$separator = [System.IO.Path]::PathSeparator
$paths = @(($env:PSModulePath -split [regex]::Escape($separator)) | Where-Object { $_ -and $_ -ne $bitLockerModules })
if ($script:Scenario.Computer.BitLockerModule) { $paths = $paths + @($bitLockerModules) }
$env:PSModulePath = $paths -join $separator

Update-FakeDrives

$script:BlockingPolicies = @('RemoteSigned', 'AllSigned', 'Restricted')
# Under a constrained scenario the start-up line must reach the real Import-Module: a proxy in this trusted
# module would import the app's module in Full Language mode.
$shadows = @(if ($script:Scenario.Computer.LanguageMode -eq 'FullLanguage') { 'Import-Module' })

function Enter-FakeLanguageMode {
    <#
        WDAC/AppLocker for real: the session's own PowerShell runs in the scenario's language mode from here on.
        Called by pwsh-fake's prelude right after this module is imported (a module cannot change the mode of
        the session that is still importing it).
    #>
    if ($script:Scenario.Computer.LanguageMode -ne 'FullLanguage') {
        [runspace]::DefaultRunspace.SessionStateProxy.LanguageMode = $script:Scenario.Computer.LanguageMode
    }
}

#endregion

Export-ModuleMember -Function @(
    $shadows +
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
