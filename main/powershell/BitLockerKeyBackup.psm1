#Requires -Version 5.1
<#
    BitLocker Key Backup: the PowerShell side of the app (Windows PowerShell 5.1 and PowerShell 7).

    Wire protocol, one line each way (see main/powershell/module-api.ts):
        call:    <Function-Name> -Request '<base64 of UTF-8 JSON>'
        answer:  {"ok":true,"data":{...}}
             or  {"ok":false,"error":{"code":"...","message":"...","hresult":"0x8xxxxxxx"|null}}

    Every exported function writes exactly one JSON line to stdout and nothing to any other stream: the
    Node side fails a call on any stderr text and reads stdout as one document. Request data is never
    spliced into code; it arrives as base64 JSON and every field is validated before use.

    A recovery password only ever leaves this module in the answer of Get-BkbRecoveryPassword. Cmdlets
    that return BitLocker volumes (and with them every password) have their output discarded, and every
    message that leaves the module is scrubbed of anything shaped like a recovery password.
#>

Set-StrictMode -Version 1.0

# Index = the number Windows PowerShell 5.1 (or a deserialised object) hands over instead of the enum.
$script:VolumeStatusNames = @(
    'FullyDecrypted', 'FullyEncrypted', 'EncryptionInProgress', 'DecryptionInProgress',
    # 6 and 7 follow the enum's declaration order; Windows does not document their numbers.
    'EncryptionSuspended', 'DecryptionSuspended', 'FullyEncryptedWipeInProgress', 'FullyEncryptedWipeSuspended'
)
$script:ProtectionStatusNames = @('Off', 'On', 'Unknown')
$script:LockStatusNames = @('Unlocked', 'Locked')
$script:VolumeTypeNames = @('OperatingSystem', 'Data')
$script:EncryptionMethodNames = @('None', 'Aes128Diffuser', 'Aes256Diffuser', 'Aes128', 'Aes256', 'Hardware', 'XtsAes128', 'XtsAes256')
$script:KeyProtectorTypeNames = @(
    'Unknown', 'Tpm', 'ExternalKey', 'RecoveryPassword', 'TpmPin', 'TpmStartupKey',
    'TpmPinStartupKey', 'PublicKey', 'Password', 'TpmNetworkKey', 'AdAccountOrGroup'
)

$script:MountPointPattern = '^[A-Za-z]:\z'
$script:ProtectorIdPattern = '^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}\z'
$script:RecoveryPasswordPattern = '^\d{6}(-\d{6}){7}\z'
# The same shape main/security/redact.ts masks: hyphens or spaces between the groups.
$script:RecoveryPasswordLike = '(?<!\d)\d{6}(?:[- ]\d{6}){7}(?!\d)'

$script:WmiAccessDenied = '0x80041003'
$script:AccessDeniedCodes = @($script:WmiAccessDenied, '0x80070005')
$script:ElementNotFound = '0x80070490'
$script:CancelledByUser = '0x800704C7'
$script:BitLockerManagementLog = 'Microsoft-Windows-BitLocker/BitLocker Management'

#region Envelope, errors and request parsing

function New-BkbFault {
    # An error this module raises on purpose: its code, message and HRESULT go into the envelope as they are.
    param([string]$Code, [string]$Message, $HResult = $null)
    $exception = [System.Exception]::new($Message)
    $exception.Data['BkbCode'] = $Code
    $exception.Data['BkbHResult'] = $HResult
    $exception
}

function Protect-BkbText {
    # Defence in depth: no message this module writes may carry something shaped like a recovery password.
    param([string]$Text)
    if (-not $Text) { return '' }
    ($Text -replace $script:RecoveryPasswordLike, '[recovery password hidden]').Trim()
}

function Format-BkbHResult {
    param([long]$Value)
    '0x{0:X8}' -f ($Value -band 4294967295)
}

function Get-BkbHResult {
    # The first Windows code in the exception chain. .NET's own wrapper codes (0x8013xxxx) say nothing about
    # the cause, Win32Exception keeps its code in NativeErrorCode, and CIM errors carry the WMI code separately.
    param([System.Exception]$Exception)
    for ($current = $Exception; $null -ne $current; $current = $current.InnerException) {
        $code = $null
        if ($current -is [System.ComponentModel.Win32Exception]) {
            $native = [long]$current.NativeErrorCode
            if ($native -gt 0 -and $native -le 65535) { $code = 2147942400 + $native } else { $code = $native }  # HRESULT_FROM_WIN32
        }
        elseif ($current.GetType().FullName -eq 'Microsoft.Management.Infrastructure.CimException') {
            try { $code = $current.ErrorData.CimInstanceProperties['error_Code'].Value } catch { $code = $null }
            if ($null -eq $code -and [string]$current.NativeErrorCode -eq 'AccessDenied') { $code = 2147749891 }  # WBEM_E_ACCESS_DENIED
        }
        if ($null -eq $code) { $code = $current.HResult }
        if ($code -ne 0) {
            $text = Format-BkbHResult -Value $code
            if (-not $text.StartsWith('0x8013')) { return $text }
        }
    }
    $null
}

function ConvertTo-BkbErrorInfo {
    # Any caught error becomes the envelope's error object. It must never throw itself.
    param($ErrorRecord)
    try {
        $exception = $ErrorRecord.Exception
        if ($exception.Data.Contains('BkbCode')) {
            return [ordered]@{
                code    = [string]$exception.Data['BkbCode']
                message = Protect-BkbText -Text $exception.Message
                hresult = $exception.Data['BkbHResult']
            }
        }
        $hresult = Get-BkbHResult -Exception $exception
        $message = $exception.Message
        # The BitLocker module puts its readable text in ErrorDetails and the bare HRESULT exception underneath.
        if ($null -ne $ErrorRecord.ErrorDetails -and $ErrorRecord.ErrorDetails.Message) { $message = $ErrorRecord.ErrorDetails.Message }
        $message = (Protect-BkbText -Text $message) -replace '\s+', ' '
        if (-not $message) { $message = 'Windows reported an error without a description.' }
        if ($script:AccessDeniedCodes -contains $hresult) {
            $elevated = $false
            try { $elevated = Test-BkbElevated } catch { $elevated = $false }
            # Elevated and still refused means something else (policy, the service), not missing rights.
            if (-not $elevated) {
                return [ordered]@{ code = 'NotElevated'; message = 'This needs administrator rights. Restart BitLocker Key Backup as administrator.'; hresult = $hresult }
            }
        }
        [ordered]@{ code = 'CmdletFailed'; message = $message; hresult = $hresult }
    }
    catch {
        [ordered]@{ code = 'CmdletFailed'; message = 'The BitLocker Key Backup module failed unexpectedly.'; hresult = $null }
    }
}

function Read-BkbRequest {
    # Decodes the base64 JSON request and refuses anything but an object with exactly the expected fields.
    param([string]$Request, [string[]]$Fields)
    try {
        $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Request))
        # Only an object will do; PowerShell 7 would unroll a one-element array into the object inside it.
        if (-not $json.TrimStart().StartsWith('{')) { throw 'not an object' }
        $parameters = @{ InputObject = $json; ErrorAction = 'Stop' }
        # PowerShell 7 turns ISO-looking strings into DateTime unless told otherwise (7.5+ can be told).
        if ((Get-Command -Name ConvertFrom-Json -ErrorAction Stop).Parameters.ContainsKey('DateKind')) { $parameters['DateKind'] = 'String' }
        $body = ConvertFrom-Json @parameters
    }
    catch {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'The request is not a base64-encoded JSON object.')
    }
    if ($body -isnot [System.Management.Automation.PSCustomObject]) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'The request must be a JSON object.')
    }
    $names = @($body.PSObject.Properties | ForEach-Object { $_.Name })
    foreach ($name in $names) {
        if ($Fields -cnotcontains $name) { throw (New-BkbFault -Code 'InvalidArgument' -Message "The request has an unknown field '$name'.") }
    }
    foreach ($field in $Fields) {
        if ($names -cnotcontains $field) { throw (New-BkbFault -Code 'InvalidArgument' -Message "The request lacks the field '$field'.") }
    }
    $body
}

function Invoke-BkbCall {
    # Runs one handler and writes its envelope as the call's only line. Everything the handler emits is
    # collected here: stray output must never reach stdout, where it could carry a BitLocker volume's passwords.
    # Errors are escalated (Stop) and caught, so the error stream, and with it stderr, stays empty.
    param([string]$Request, [string[]]$Fields, [scriptblock]$Handler)
    $ErrorActionPreference = 'Stop'
    $WarningPreference = 'SilentlyContinue'
    $ProgressPreference = 'SilentlyContinue'
    $InformationPreference = 'SilentlyContinue'
    $VerbosePreference = 'SilentlyContinue'
    $DebugPreference = 'SilentlyContinue'
    try {
        $body = Read-BkbRequest -Request $Request -Fields $Fields
        # Warning, verbose, debug and information records have no place on the wire either.
        $results = @(& $Handler $body 3>$null 4>$null 5>$null 6>$null)
        if ($results.Count -ne 1 -or $results[0] -isnot [System.Collections.IDictionary]) {
            throw (New-BkbFault -Code 'CmdletFailed' -Message 'The BitLocker Key Backup module produced unexpected output.')
        }
        $envelope = [ordered]@{ ok = $true; data = $results[0] }
    }
    catch {
        $envelope = [ordered]@{ ok = $false; error = (ConvertTo-BkbErrorInfo -ErrorRecord $_) }
    }
    try {
        $line = ConvertTo-Json -InputObject $envelope -Depth 10 -Compress -ErrorAction Stop -WarningAction SilentlyContinue
    }
    catch {
        $line = '{"ok":false,"error":{"code":"CmdletFailed","message":"The answer could not be encoded as JSON.","hresult":null}}'
    }
    [Console]::Out.WriteLine($line)
    [Console]::Out.Flush()
}

#endregion

#region Field validation

function Read-BkbMountPoint {
    param($Value)
    if ($Value -isnot [string] -or $Value -notmatch $script:MountPointPattern) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'mountPoint must be a drive letter such as C:.')
    }
    $Value.ToUpperInvariant()
}

function Read-BkbProtectorId {
    param($Value)
    if ($Value -isnot [string] -or $Value -notmatch $script:ProtectorIdPattern) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'keyProtectorId must be a GUID in braces.')
    }
    $Value.ToUpperInvariant()
}

function Read-BkbTime {
    # An ISO 8601 time as UTC. PowerShell 7 before 7.5 has already made a DateTime of it while parsing the JSON.
    param($Value)
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($Value, [System.DateTimeKind]::Utc) }
        return $Value.ToUniversalTime()
    }
    $parsed = [System.DateTimeOffset]::MinValue
    if ($Value -isnot [string] -or -not [System.DateTimeOffset]::TryParse($Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref]$parsed)) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'since must be an ISO 8601 time.')
    }
    $parsed.UtcDateTime
}

function Test-BkbControlCharacter {
    param([string]$Text)
    $Text -match '[\x00-\x1F]'
}

function Test-BkbParentSegment {
    param([string]$Path)
    @($Path -split '[\\/]') -contains '..'
}

function ConvertTo-BkbQuotedArgument {
    # Start-Process joins ArgumentList with spaces, so each argument is quoted the way CommandLineToArgvW
    # splits it again: backslashes are literal except before a quote, where they must be doubled.
    param([string]$Value)
    $escaped = $Value -replace '(\\*)"', '$1$1\"'
    $escaped = $escaped -replace '(\\+)\z', '$1$1'
    '"' + $escaped + '"'
}

#endregion

#region Windows facts

function Test-BkbElevated {
    $principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
    $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Test-BkbBitLockerModule {
    try { [bool](Get-Module -ListAvailable -Name BitLocker -ErrorAction Stop) } catch { $false }
}

function Assert-BkbBitLockerReady {
    # Unelevated, Get-BitLockerVolume fails deep in WMI with a confusing pair of errors; say what is wrong first.
    param([string]$Activity)
    if (-not (Test-BkbElevated)) {
        throw (New-BkbFault -Code 'NotElevated' -Message "$Activity needs administrator rights." -HResult $script:WmiAccessDenied)
    }
    if (-not (Test-BkbBitLockerModule)) {
        throw (New-BkbFault -Code 'BitLockerModuleMissing' -Message 'The BitLocker PowerShell module is not installed on this edition of Windows.')
    }
}

function Invoke-BkbDsregcmd {
    # dsregcmd /status output as lines, or nothing when this Windows has no dsregcmd. Run through
    # System.Diagnostics.Process so that neither of its streams can reach this session's stdout or stderr.
    $exe = [System.IO.Path]::Combine($env:SystemRoot, 'System32', 'dsregcmd.exe')
    if (-not [System.IO.File]::Exists($exe)) { return }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($exe, '/status')
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        # Both pipes are drained concurrently: a full stderr pipe would otherwise stall dsregcmd.
        $errorText = $process.StandardError.ReadToEndAsync()
        $outputText = $process.StandardOutput.ReadToEndAsync()
        if (-not $process.WaitForExit(10000)) {
            try { $process.Kill() } catch { $null = $_ }
            throw 'dsregcmd /status did not finish in time.'
        }
        $null = $errorText.Result
        $outputText.Result -split "`r?`n"
    }
    finally {
        $process.Dispose()
    }
}

function ConvertTo-BkbOptionalText {
    param($Value)
    $text = ([string]$Value).Trim()
    if ($text) { $text } else { $null }
}

function Get-BkbJoinState {
    $state = [ordered]@{ entraJoined = $false; domainJoined = $false; domainName = $null; tenantName = $null }
    $lines = $null
    try { $lines = Invoke-BkbDsregcmd } catch { $lines = $null }
    $fields = @{}
    foreach ($line in @($lines)) {
        if ([string]$line -match '^\s*(\w+)\s*:\s*(.*)$' -and -not $fields.ContainsKey($Matches[1])) {
            $fields[$Matches[1]] = $Matches[2].Trim()
        }
    }
    if ($fields.ContainsKey('AzureAdJoined') -or $fields.ContainsKey('DomainJoined')) {
        $state.entraJoined = $fields['AzureAdJoined'] -eq 'YES'
        $state.domainJoined = $fields['DomainJoined'] -eq 'YES'
        $state.domainName = ConvertTo-BkbOptionalText -Value $fields['DomainName']
        $state.tenantName = ConvertTo-BkbOptionalText -Value $fields['TenantName']
        return $state
    }
    # No usable dsregcmd: WMI still knows about AD membership, though not about Entra ID.
    try {
        $system = Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop
        if ($system.PartOfDomain -eq $true) {
            $state.domainJoined = $true
            $state.domainName = ConvertTo-BkbOptionalText -Value $system.Domain
        }
    }
    catch {
        $null = $_  # the environment report is informative: unknown join state reads as "not joined"
    }
    $state
}

function Get-BkbEdition {
    try {
        $os = Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop
        $caption = ConvertTo-BkbOptionalText -Value $os.Caption
        if ($caption) { return $caption }
    }
    catch {
        $null = $_  # the registry below is the fallback
    }
    try {
        $version = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -Name EditionID -ErrorAction Stop
        ConvertTo-BkbOptionalText -Value $version.EditionID
    }
    catch {
        $null
    }
}

function ConvertTo-BkbEnumName {
    # Enum values come as .NET enums (their text is the name), as numbers (Windows PowerShell 5.1 JSON,
    # deserialised objects) or as names. Unknown values become $null rather than a name the app cannot know.
    param($Value, [string[]]$Names, [switch]$KeepUnknownName)
    if ($null -eq $Value) { return $null }
    $text = ([string]$Value).Trim()
    $number = 0
    if ([int]::TryParse($text, [ref]$number)) {
        if ($number -ge 0 -and $number -lt $Names.Count) { return $Names[$number] }
        return $null
    }
    foreach ($name in $Names) {
        if ($name -eq $text) { return $name }
    }
    if ($KeepUnknownName -and $text) { return $text }
    $null
}

function ConvertTo-BkbMountPoint {
    # 'C:' (or 'c:\') as 'C:'; $null for \\?\Volume{...}\ names, which have no letter to offer.
    param($Value)
    if ([string]$Value -match '^([A-Za-z]):\\?\z') { return $Matches[1].ToUpperInvariant() + ':' }
    $null
}

function ConvertTo-BkbProtectorId {
    # Braced upper-case GUID, whatever form Windows used; $null when it is not a GUID.
    param($Value)
    $guid = [guid]::Empty
    if ([guid]::TryParse([string]$Value, [ref]$guid)) { return '{' + $guid.ToString().ToUpperInvariant() + '}' }
    $null
}

function Get-BkbLockStatus {
    # A volume whose lock state cannot be read is treated as locked: nothing is read from it.
    param($BitLockerVolume)
    if ((ConvertTo-BkbEnumName -Value $BitLockerVolume.LockStatus -Names $script:LockStatusNames) -eq 'Unlocked') { 'Unlocked' } else { 'Locked' }
}

function Get-BkbBitLockerVolume {
    # The BitLocker volume at a drive letter, or $null when BitLocker does not know that drive.
    param([string]$MountPoint)
    try {
        $found = @(Get-BitLockerVolume -MountPoint $MountPoint -ErrorAction Stop -WarningAction SilentlyContinue)
    }
    catch {
        # The BitLocker module reports an unknown mount point as E_NOTFOUND.
        if ((Get-BkbHResult -Exception $_.Exception) -eq $script:ElementNotFound) { return $null }
        throw
    }
    foreach ($volume in $found) {
        if ((ConvertTo-BkbMountPoint -Value $volume.MountPoint) -eq $MountPoint) { return $volume }
    }
    $null
}

function Get-BkbEncryptableVolumes {
    # Every lettered volume BitLocker can protect: drive letter -> drive type, or $null where Windows does not
    # say (VolumeType is missing before Windows 8). Get-BitLockerVolume reports USB sticks and fixed data
    # drives alike as "Data"; Win32_EncryptableVolume tells them apart.
    $types = @{}
    $instances = @(Get-CimInstance -Namespace 'root/cimv2/Security/MicrosoftVolumeEncryption' -ClassName Win32_EncryptableVolume -ErrorAction Stop)
    foreach ($instance in $instances) {
        $mountPoint = ConvertTo-BkbMountPoint -Value $instance.DriveLetter
        if (-not $mountPoint) { continue }
        $types[$mountPoint] = switch ([string]$instance.VolumeType) { '0' { 'OperatingSystem' } '1' { 'Fixed' } '2' { 'Removable' } }
    }
    $types
}

function Resolve-BkbDriveType {
    param($BitLockerVolume, [string]$MountPoint, [hashtable]$EncryptableTypes, [string]$Fallback)
    if ($EncryptableTypes[$MountPoint]) { return $EncryptableTypes[$MountPoint] }
    if ((ConvertTo-BkbEnumName -Value $BitLockerVolume.VolumeType -Names $script:VolumeTypeNames) -eq 'OperatingSystem') { return 'OperatingSystem' }
    if ($Fallback) { return $Fallback }
    'Fixed'
}

function Get-BkbStorageVolume {
    # Label, file system and free space; a volume the Storage module cannot read simply lacks them.
    param([string]$MountPoint)
    try { @(Get-Volume -DriveLetter $MountPoint[0] -ErrorAction Stop -WarningAction SilentlyContinue)[0] } catch { $null }
}

function ConvertTo-BkbVolume {
    # One Volume of preload/contract.ts. Key protectors are listed by id and type only, never with a password.
    param($BitLockerVolume, [string]$MountPoint, [hashtable]$EncryptableTypes)
    $lockStatus = Get-BkbLockStatus -BitLockerVolume $BitLockerVolume
    $unlocked = $lockStatus -eq 'Unlocked'
    $storage = Get-BkbStorageVolume -MountPoint $MountPoint

    $fallbackType = $null
    $label = $null
    $fileSystem = $null
    $freeSpaceBytes = $null
    if ($null -ne $storage) {
        if (@('Removable', '2') -contains [string]$storage.DriveType) { $fallbackType = 'Removable' }
        $label = ConvertTo-BkbOptionalText -Value $storage.FileSystemLabel
        $fileSystem = ConvertTo-BkbOptionalText -Value $storage.FileSystem
        # A locked volume reports 0 bytes free, which is not true, merely unknown.
        if ($unlocked -and $null -ne $storage.SizeRemaining) { $freeSpaceBytes = [Math]::Max([long]0, [long]$storage.SizeRemaining) }
    }

    $capacityGB = $null
    if ($null -ne $BitLockerVolume.CapacityGB -and [double]$BitLockerVolume.CapacityGB -ge 0) {
        $capacityGB = [Math]::Round([double]$BitLockerVolume.CapacityGB, 2)
    }
    $volumeStatus = $null
    $encryptionPercentage = $null
    if ($unlocked) {
        $volumeStatus = ConvertTo-BkbEnumName -Value $BitLockerVolume.VolumeStatus -Names $script:VolumeStatusNames
        if ($null -ne $BitLockerVolume.EncryptionPercentage) {
            $encryptionPercentage = [Math]::Min([double]100, [Math]::Max([double]0, [double]$BitLockerVolume.EncryptionPercentage))
        }
    }

    $protectors = [System.Collections.Generic.List[object]]::new()
    foreach ($protector in @($BitLockerVolume.KeyProtector)) {
        if ($null -eq $protector) { continue }
        $id = ConvertTo-BkbProtectorId -Value $protector.KeyProtectorId
        if (-not $id) { continue }
        $type = ConvertTo-BkbEnumName -Value $protector.KeyProtectorType -Names $script:KeyProtectorTypeNames
        if (-not $type) { $type = 'Unknown' }
        $protectors.Add([ordered]@{ keyProtectorId = $id; keyProtectorType = $type })
    }

    [ordered]@{
        mountPoint           = $MountPoint
        label                = $label
        driveType            = Resolve-BkbDriveType -BitLockerVolume $BitLockerVolume -MountPoint $MountPoint -EncryptableTypes $EncryptableTypes -Fallback $fallbackType
        capacityGB           = $capacityGB
        fileSystem           = $fileSystem
        volumeStatus         = $volumeStatus
        protectionStatus     = ConvertTo-BkbEnumName -Value $BitLockerVolume.ProtectionStatus -Names $script:ProtectionStatusNames
        lockStatus           = $lockStatus
        encryptionMethod     = ConvertTo-BkbEnumName -Value $BitLockerVolume.EncryptionMethod -Names $script:EncryptionMethodNames -KeepUnknownName
        encryptionPercentage = $encryptionPercentage
        # ToArray() gives a plain object[]: ConvertTo-Json keeps it a JSON array even with one element.
        keyProtectors        = $protectors.ToArray()
        freeSpaceBytes       = $freeSpaceBytes
    }
}

function Find-BkbRecoveryProtector {
    # Filters on type and id together: a volume may carry several recovery passwords, and positions shift.
    param($BitLockerVolume, [string]$KeyProtectorId)
    foreach ($protector in @($BitLockerVolume.KeyProtector)) {
        if ($null -eq $protector) { continue }
        if ((ConvertTo-BkbEnumName -Value $protector.KeyProtectorType -Names $script:KeyProtectorTypeNames) -ne 'RecoveryPassword') { continue }
        if ((ConvertTo-BkbProtectorId -Value $protector.KeyProtectorId) -eq $KeyProtectorId) { return $protector }
    }
    $null
}

function Get-BkbUnlockedVolume {
    # The BitLocker volume at a drive letter, or the fault that says why it cannot be used.
    param([string]$MountPoint)
    $volume = Get-BkbBitLockerVolume -MountPoint $MountPoint
    if ($null -eq $volume) {
        throw (New-BkbFault -Code 'VolumeNotFound' -Message "There is no BitLocker volume $MountPoint on this PC." -HResult $script:ElementNotFound)
    }
    if ((Get-BkbLockStatus -BitLockerVolume $volume) -ne 'Unlocked') {
        throw (New-BkbFault -Code 'VolumeLocked' -Message "Drive $MountPoint is locked. Unlock it first.")
    }
    $volume
}

function Get-BkbRecoveryProtector {
    # The unlocked volume's recovery-password protector with that id, or the fault that explains its absence.
    param([string]$MountPoint, [string]$KeyProtectorId)
    $volume = Get-BkbUnlockedVolume -MountPoint $MountPoint
    $protector = Find-BkbRecoveryProtector -BitLockerVolume $volume -KeyProtectorId $KeyProtectorId
    if ($null -eq $protector) {
        throw (New-BkbFault -Code 'ProtectorNotFound' -Message "Drive $MountPoint has no recovery password with the ID $KeyProtectorId.")
    }
    $protector
}

#endregion

#region Exported functions

function Get-BkbEnvironment {
    <#
    .SYNOPSIS
        Who and what this PC is.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {} (no fields).
    .OUTPUTS
        One JSON line. data: {computerName: string, elevated: bool, edition: string|null, entraJoined: bool,
        domainJoined: bool, domainName: string|null, tenantName: string|null, bitLockerModule: bool,
        powerShellVersion: string}. Join state comes from dsregcmd /status, or Win32_ComputerSystem without it.
        Errors: InvalidArgument.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields @() -Handler {
        $join = Get-BkbJoinState
        $computerName = $env:COMPUTERNAME
        if (-not $computerName) { $computerName = [Environment]::MachineName }
        [ordered]@{
            computerName      = [string]$computerName
            elevated          = [bool](Test-BkbElevated)
            edition           = Get-BkbEdition
            entraJoined       = [bool]$join.entraJoined
            domainJoined      = [bool]$join.domainJoined
            domainName        = $join.domainName
            tenantName        = $join.tenantName
            bitLockerModule   = [bool](Test-BkbBitLockerModule)
            powerShellVersion = $PSVersionTable.PSVersion.ToString()
        }
    }
}

function Get-BkbVolumes {
    <#
    .SYNOPSIS
        Every lettered volume BitLocker can protect, without any recovery password.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {} (no fields).
    .OUTPUTS
        One JSON line. data: {volumes: Volume[]} sorted by mountPoint, Volume as in preload/contract.ts:
        {mountPoint, label, driveType, capacityGB, fileSystem, volumeStatus, protectionStatus, lockStatus,
        encryptionMethod, encryptionPercentage, keyProtectors: [{keyProtectorId, keyProtectorType}], freeSpaceBytes}.
        Enums are names; volumeStatus, encryptionPercentage and freeSpaceBytes are null while locked.
        Volumes without a drive letter are left out. A volume that Windows fails to read is left out too,
        unless no volume could be read at all, which is then an error.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields @() -Handler {
        Assert-BkbBitLockerReady -Activity 'Reading BitLocker volumes'
        $encryptableTypes = Get-BkbEncryptableVolumes
        $volumes = [System.Collections.Generic.List[object]]::new()
        $firstFailure = $null
        # Volume by volume, so that one unreadable volume (a card reader, a failing disk) cannot hide the others.
        foreach ($mountPoint in ($encryptableTypes.Keys | Sort-Object)) {
            try {
                $bitLockerVolume = Get-BkbBitLockerVolume -MountPoint $mountPoint
            }
            catch {
                if ($null -eq $firstFailure) { $firstFailure = $_ }
                continue
            }
            if ($null -eq $bitLockerVolume) { continue }
            $volumes.Add((ConvertTo-BkbVolume -BitLockerVolume $bitLockerVolume -MountPoint $mountPoint -EncryptableTypes $encryptableTypes))
        }
        if ($volumes.Count -eq 0 -and $null -ne $firstFailure) { throw $firstFailure }
        [ordered]@{ volumes = $volumes.ToArray() }
    }
}

function Get-BkbRecoveryPassword {
    <#
    .SYNOPSIS
        One recovery password, read only when a backup needs it. The only answer that carries a password.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}"}.
    .OUTPUTS
        One JSON line. data: {keyProtectorId: "{GUID}", recoveryPassword: "NNNNNN-...-NNNNNN" (8 groups)}.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked,
        ProtectorNotFound (no RecoveryPassword protector with that id), CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        Assert-BkbBitLockerReady -Activity 'Reading a recovery password'
        $protector = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $password = [string]$protector.RecoveryPassword
        if ($password -notmatch $script:RecoveryPasswordPattern) {
            throw (New-BkbFault -Code 'CmdletFailed' -Message "Windows did not return a readable recovery password for $keyProtectorId on drive $mountPoint.")
        }
        [ordered]@{ keyProtectorId = $keyProtectorId; recoveryPassword = $password }
    }
}

function Get-BkbPathInfo {
    <#
    .SYNOPSIS
        Which volume a path lies on and what kind it is, for the rules on where a key file may be saved.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {path: "D:\Keys\file.txt" or "\\server\share\file.txt"}.
    .OUTPUTS
        One JSON line. data: {isNetwork: bool, mountPoint: "X:"|null, driveType, volumeStatus,
        protectionStatus, lockStatus} (enum names or null).
        UNC path: isNetwork true and everything else null. Mapped network drive: isNetwork true, its letter,
        the rest null. Drive path: the volume's BitLocker state; nulls where BitLocker does not know the
        volume, with driveType then from Win32_LogicalDisk (2 Removable, 3 Fixed).
        Errors: InvalidArgument (relative path, "..", \\?\ or \\.\ device path), VolumeNotFound (no such
        drive), NotElevated, BitLockerModuleMissing, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'path' -Handler {
        param($Body)
        $path = $Body.path
        if ($path -isnot [string] -or $path.Length -lt 1 -or $path.Length -gt 32767 -or (Test-BkbControlCharacter -Text $path)) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'path must be a non-empty path.')
        }
        if ($path -match '^[\\/]{2}[?.](?:[\\/]|\z)') {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'path must not be a \\?\ or \\.\ device path.')
        }
        if (Test-BkbParentSegment -Path $path) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'path must not contain ".." segments.')
        }
        $answer = [ordered]@{ isNetwork = $false; mountPoint = $null; driveType = $null; volumeStatus = $null; protectionStatus = $null; lockStatus = $null }
        if ($path -match '^[\\/]{2}[^\\/]+[\\/][^\\/]+') {
            $answer.isNetwork = $true
            return $answer
        }
        if ($path -match '^([A-Za-z]):[\\/]') {
            $mountPoint = $Matches[1].ToUpperInvariant() + ':'
        }
        else {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'path must be absolute, such as D:\Keys or \\server\share.')
        }
        $answer.mountPoint = $mountPoint

        $disk = $null
        foreach ($candidate in @(Get-CimInstance -ClassName Win32_LogicalDisk -ErrorAction Stop)) {
            if ([string]$candidate.DeviceID -eq $mountPoint) { $disk = $candidate }
        }
        if ($null -eq $disk) {
            throw (New-BkbFault -Code 'VolumeNotFound' -Message "There is no drive $mountPoint on this PC.")
        }
        $diskType = [string]$disk.DriveType
        if ($diskType -eq '4') {
            $answer.isNetwork = $true
            return $answer
        }
        $fallbackType = switch ($diskType) { '2' { 'Removable' } '3' { 'Fixed' } }

        Assert-BkbBitLockerReady -Activity 'Checking the drive of a save location'
        $volume = Get-BkbBitLockerVolume -MountPoint $mountPoint
        if ($null -eq $volume) {
            $answer.driveType = $fallbackType
            return $answer
        }
        $lockStatus = Get-BkbLockStatus -BitLockerVolume $volume
        $answer.driveType = Resolve-BkbDriveType -BitLockerVolume $volume -MountPoint $mountPoint -EncryptableTypes (Get-BkbEncryptableVolumes) -Fallback $fallbackType
        if ($lockStatus -eq 'Unlocked') { $answer.volumeStatus = ConvertTo-BkbEnumName -Value $volume.VolumeStatus -Names $script:VolumeStatusNames }
        $answer.protectionStatus = ConvertTo-BkbEnumName -Value $volume.ProtectionStatus -Names $script:ProtectionStatusNames
        $answer.lockStatus = $lockStatus
        $answer
    }
}

function Get-BkbVolumeRoot {
    <#
    .SYNOPSIS
        The root folder of a drive, where a key file for a USB stick goes.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "E:"}.
    .OUTPUTS
        One JSON line. data: {path: "E:\"}.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound (BitLocker does not know
        the drive, or its root folder cannot be reached), VolumeLocked, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        Assert-BkbBitLockerReady -Activity 'Finding the root folder of a drive'
        $null = Get-BkbUnlockedVolume -MountPoint $mountPoint
        $root = $mountPoint + '\'
        # A card reader without a card, or a stick pulled out a moment ago, keeps its letter but has no folder.
        if (-not (Test-Path -LiteralPath $root -PathType Container -ErrorAction Stop)) {
            throw (New-BkbFault -Code 'VolumeNotFound' -Message "Drive $mountPoint cannot be reached." -HResult '0x80070003')
        }
        [ordered]@{ path = $root }
    }
}

function Backup-BkbToEntra {
    <#
    .SYNOPSIS
        Sends one recovery password to Microsoft Entra ID (BackupToAAD-BitLockerKeyProtector).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}"}.
    .OUTPUTS
        One JSON line. data: {sentAt: UTC ISO 8601 time taken just before the cmdlet ran}. The cmdlet
        returning is not proof: events 845/846/847 (Get-BkbBackupEvents) confirm it.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked,
        ProtectorNotFound, CmdletFailed (with the HRESULT, e.g. 0x801C0450 on a PC not joined to Entra ID).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        Assert-BkbBitLockerReady -Activity 'Backing up a recovery password'
        $null = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $sentAt = (Get-Date).ToUniversalTime().ToString('o')
        # The cmdlet returns the BitLocker volume, recovery passwords included: discard it.
        $null = BackupToAAD-BitLockerKeyProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue
        [ordered]@{ sentAt = $sentAt }
    }
}

function Backup-BkbToActiveDirectory {
    <#
    .SYNOPSIS
        Sends one recovery password to Active Directory Domain Services (Backup-BitLockerKeyProtector).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}"}.
    .OUTPUTS
        One JSON line. data: {sentAt: UTC ISO 8601 time taken just before the cmdlet ran}. Events
        784/785/783 (Get-BkbBackupEvents) confirm it.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked,
        ProtectorNotFound, CmdletFailed (hresult 0x00000001 when Group Policy forbids AD DS backup).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        Assert-BkbBitLockerReady -Activity 'Backing up a recovery password'
        $null = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $sentAt = (Get-Date).ToUniversalTime().ToString('o')
        try {
            # The cmdlet returns the BitLocker volume, recovery passwords included: discard it.
            $null = Backup-BitLockerKeyProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue
        }
        catch {
            # S_FALSE (policy forbids AD DS backup) is the one result the cmdlet reports as a bare Write-Error
            # message; every other failure carries the HRESULT's exception.
            if ($_.Exception.GetType().FullName -eq 'Microsoft.PowerShell.Commands.WriteErrorException') {
                throw (New-BkbFault -Code 'CmdletFailed' -Message 'Group Policy does not allow storing BitLocker recovery information in Active Directory Domain Services.' -HResult '0x00000001')
            }
            throw
        }
        [ordered]@{ sentAt = $sentAt }
    }
}

function Get-BkbBackupEvents {
    <#
    .SYNOPSIS
        Events from the BitLocker Management log for one protector since a time.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {keyProtectorId: "{GUID}", since: ISO 8601 time, ids: [1 to 16 event ids]}.
    .OUTPUTS
        One JSON line. data: {events: [{id: int, time: UTC ISO 8601, keyProtectorId: "{GUID}"|null,
        message: string}]} sorted by time. Events naming another protector are left out; events naming none
        are kept with keyProtectorId null. No matching events is an empty list, not an error.
        Errors: InvalidArgument, NotElevated, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'keyProtectorId', 'since', 'ids' -Handler {
        param($Body)
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        $since = Read-BkbTime -Value $Body.since
        $ids = $Body.ids
        if ($ids -isnot [array] -or $ids.Count -lt 1 -or $ids.Count -gt 16) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'ids must list 1 to 16 event ids.')
        }
        $idList = [System.Collections.Generic.List[int]]::new()
        foreach ($id in $ids) {
            if (($id -isnot [int] -and $id -isnot [long]) -or $id -lt 1 -or $id -gt 65535) {
                throw (New-BkbFault -Code 'InvalidArgument' -Message 'ids must be event ids from 1 to 65535.')
            }
            $idList.Add([int]$id)
        }

        $filter = @{ LogName = $script:BitLockerManagementLog; Id = $idList.ToArray(); StartTime = $since.ToLocalTime() }
        try {
            $records = @(Get-WinEvent -FilterHashtable $filter -ErrorAction Stop)
        }
        catch {
            # Nothing logged yet (or no such log on this edition) is an answer, not a failure.
            if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*' -or $_.FullyQualifiedErrorId -like 'NoMatchingLogsFound*') {
                $records = @()
            }
            else {
                throw
            }
        }

        $events = [System.Collections.Generic.List[object]]::new()
        foreach ($record in ($records | Sort-Object -Property TimeCreated)) {
            if ($null -eq $record.TimeCreated) { continue }
            $protectorGuid = $null
            $xml = [xml]$record.ToXml()
            foreach ($data in @($xml.Event.EventData.Data)) {
                if ($data -is [System.Xml.XmlElement] -and $data.GetAttribute('Name') -eq 'ProtectorGUID') {
                    $protectorGuid = ConvertTo-BkbProtectorId -Value $data.InnerText
                    break
                }
            }
            if ($null -ne $protectorGuid -and $protectorGuid -ne $keyProtectorId) { continue }
            $events.Add([ordered]@{
                id             = [int]$record.Id
                time           = ([datetime]$record.TimeCreated).ToUniversalTime().ToString('o')
                keyProtectorId = $protectorGuid
                message        = Protect-BkbText -Text ([string]$record.Message)
            })
        }
        [ordered]@{ events = $events.ToArray() }
    }
}

function Open-BkbBitLockerPanel {
    <#
    .SYNOPSIS
        Opens Windows' own BitLocker panel, the only supported way to save a key to a Microsoft account.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:"}.
    .OUTPUTS
        One JSON line. data: {opened: true}. Events 828/829 (Get-BkbBackupEvents) tell what the user did.
        Errors: InvalidArgument, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint' -Handler {
        param($Body)
        $null = Read-BkbMountPoint -Value $Body.mountPoint
        $control = [System.IO.Path]::Combine($env:SystemRoot, 'System32', 'control.exe')
        Start-Process -FilePath $control -ArgumentList '/name', 'Microsoft.BitLockerDriveEncryption' -ErrorAction Stop
        [ordered]@{ opened = $true }
    }
}

function Start-BkbElevated {
    <#
    .SYNOPSIS
        Starts the app again as administrator (Start-Process -Verb RunAs); the caller then quits.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {executable: absolute path of an existing .exe, arguments: string[]}.
    .OUTPUTS
        One JSON line. data: {started: true}. Each argument reaches the new process exactly as given.
        Errors: InvalidArgument, CmdletFailed (hresult 0x800704C7 when the user cancels the UAC prompt).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'executable', 'arguments' -Handler {
        param($Body)
        $executable = $Body.executable
        if ($executable -isnot [string] -or $executable.Length -gt 32767 -or $executable -match '[\x00-\x1F"*?<>|]' -or $executable.LastIndexOf(':') -gt 1) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'executable must be a path to a program.')
        }
        if ($executable -notmatch '^(?:[A-Za-z]:\\|\\\\[^\\/.][^\\/]*\\[^\\/]+\\)' -or (Test-BkbParentSegment -Path $executable)) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'executable must be an absolute path without ".." segments.')
        }
        if ($executable -notmatch '\.exe\z') {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'executable must be an .exe file.')
        }
        if (-not (Test-Path -LiteralPath $executable -PathType Leaf -ErrorAction Stop)) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'executable does not exist.')
        }
        $arguments = $Body.arguments
        if ($arguments -isnot [array]) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'arguments must be a list of strings.')
        }
        $quoted = [System.Collections.Generic.List[string]]::new()
        foreach ($argument in $arguments) {
            if ($argument -isnot [string] -or (Test-BkbControlCharacter -Text $argument)) {
                throw (New-BkbFault -Code 'InvalidArgument' -Message 'arguments must be strings without control characters.')
            }
            $quoted.Add((ConvertTo-BkbQuotedArgument -Value $argument))
        }

        $start = @{ FilePath = $executable; Verb = 'RunAs'; ErrorAction = 'Stop' }
        # Start-Process refuses an empty ArgumentList.
        if ($quoted.Count -gt 0) { $start['ArgumentList'] = $quoted.ToArray() }
        try {
            Start-Process @start
        }
        catch {
            # Start-Process rewraps the Win32 error as text only, so the cancellation is recognised by the
            # system's own (localised) wording for ERROR_CANCELLED.
            $cancelledText = [System.ComponentModel.Win32Exception]::new(1223).Message
            $message = [string]$_.Exception.Message
            if ((Get-BkbHResult -Exception $_.Exception) -eq $script:CancelledByUser -or ($cancelledText -and $message.Contains($cancelledText))) {
                throw (New-BkbFault -Code 'CmdletFailed' -Message 'The request to run as administrator was cancelled.' -HResult $script:CancelledByUser)
            }
            throw
        }
        [ordered]@{ started = $true }
    }
}

#endregion

Export-ModuleMember -Function @(
    'Get-BkbEnvironment',
    'Get-BkbVolumes',
    'Get-BkbRecoveryPassword',
    'Get-BkbPathInfo',
    'Get-BkbVolumeRoot',
    'Backup-BkbToEntra',
    'Backup-BkbToActiveDirectory',
    'Get-BkbBackupEvents',
    'Open-BkbBitLockerPanel',
    'Start-BkbElevated'
)
