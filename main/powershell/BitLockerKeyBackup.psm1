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

    A recovery password only ever leaves this module in the answer of Get-BkbRecoveryPassword. Volumes and
    key protectors are read through the Win32_EncryptableVolume WMI class, never with Get-BitLockerVolume,
    which reads every recovery password of every volume (and, with PowerShell module logging on, can put
    them into the event log); the one password asked for is read by GetKeyProtectorNumericalPassword only in
    Get-BkbRecoveryPassword. The backup cmdlets return BitLocker volumes, passwords included: their output
    is discarded. Every message that leaves the module is scrubbed of anything shaped like a recovery password.

    What the module asks of Windows goes through the commands docs/fake-windows.md lists, so that the
    real-module test tier can stand in for Windows at exactly that boundary.
#>

Set-StrictMode -Version 1.0

# Under Constrained Language Mode (WDAC or AppLocker on a managed PC, for a module the policy does not trust)
# nearly every line below fails one call at a time, on stderr. Refuse at import instead, in plain words: the
# app then asks PowerShell which policy is in force and names it (main/powershell/session.ts).
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    throw "BitLocker Key Backup's PowerShell module needs Full Language mode, and this PowerShell runs in $($ExecutionContext.SessionState.LanguageMode)."
}
# The app reads every answer as UTF-8 (labels such as "Données-数据"); no byte order mark before the first line.
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)

# Index = the number WMI hands over. Win32_EncryptableVolume.GetConversionStatus: 4 and 5 are the paused states;
# FullyEncryptedWipeInProgress/-Suspended are ConversionStatus 1 with WipingStatus 2/3.
$script:ConversionStatusNames = @(
    'FullyDecrypted', 'FullyEncrypted', 'EncryptionInProgress', 'DecryptionInProgress', 'EncryptionSuspended', 'DecryptionSuspended'
)
$script:ProtectionStatusNames = @('Off', 'On', 'Unknown')
$script:LockStatusNames = @('Unlocked', 'Locked')
$script:EncryptionMethodNames = @('None', 'Aes128Diffuser', 'Aes256Diffuser', 'Aes128', 'Aes256', 'Hardware', 'XtsAes128', 'XtsAes256')
# The BitLocker module's KeyProtectorType names; WMI numbers them the same (3 = numerical password).
$script:KeyProtectorTypeNames = @(
    'Unknown', 'Tpm', 'ExternalKey', 'RecoveryPassword', 'TpmPin', 'TpmStartupKey',
    'TpmPinStartupKey', 'PublicKey', 'Password', 'TpmNetworkKey', 'AdAccountOrGroup'
)
$script:NumericalPasswordType = 3

$script:MountPointPattern = '^[A-Za-z]:\z'
$script:ProtectorIdPattern = '^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}\z'
$script:RecoveryPasswordPattern = '^\d{6}(-\d{6}){7}\z'
# The very pattern main/security/redact.ts masks with (its test compares them): any common separator, or none.
$script:RecoveryPasswordLike = '(?<!\d)\d{6}(?:[-\u2010-\u2015.\s]{0,3}\d{6}){7}(?!\d)'

$script:WmiAccessDenied = '0x80041003'
$script:AccessDeniedCodes = @($script:WmiAccessDenied, '0x80070005')
$script:ElementNotFound = '0x80070490'
$script:PathNotFound = '0x80070003'
$script:CancelledByUser = '0x800704C7'
$script:LockedVolume = '0x80310000'  # FVE_E_LOCKED_VOLUME
# What ProtectKeyWithNumericalPassword answers when a recovery password may not be added, and the words for each.
$script:RecoveryPasswordRefusals = @{
    '0x8031005C' = 'Group Policy on this PC does not allow recovery passwords. Ask your IT administrator.'  # FVE_E_POLICY_RECOVERY_PASSWORD_NOT_ALLOWED
    '0x80310037' = 'The Group Policy setting that requires FIPS compliance does not allow recovery passwords on this PC. Ask your IT administrator.'  # FVE_E_FIPS_PREVENTS_RECOVERY_PASSWORD
}
# Key history: the newest this many events at most (the app's timeout and memory), asked for this many ids at a time
# (Windows refuses an event-id filter of more than about 20 ids as "The specified query is invalid").
$script:KeyHistoryLimit = 2000
$script:EventIdsPerQuery = 16
# MDM enrollments, one key each; Intune's has ProviderID 'MS DM Server', and EnrollmentState 1 once enrolled.
$script:EnrollmentsKeys = 'HKLM:\SOFTWARE\Microsoft\Enrollments\*'
$script:BitLockerManagementLog = 'Microsoft-Windows-BitLocker/BitLocker Management'
# The audit trail: the app's own event source in the Application log, the very name assets/installer.nsh registers
# (a Pester test compares them), and the key the installer creates for it.
$script:AuditLog = 'Application'
$script:AuditSource = 'BitLocker Key Backup'
$script:AuditSourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\' + $script:AuditSource
# Per action: its fixed event id, how the message words it, and the preposition before the drive.
$script:AuditActions = @{
    backup = @{ EventId = 1000; Verb = 'Backing up'; Drive = 'of' }
    add    = @{ EventId = 1001; Verb = 'Adding'; Drive = 'to' }
    remove = @{ EventId = 1002; Verb = 'Removing'; Drive = 'from' }
    reveal = @{ EventId = 1003; Verb = 'Revealing'; Drive = 'of' }
}
$script:AuditActionNames = @('backup', 'add', 'remove', 'reveal')
$script:AuditOutcomes = @{ succeeded = 'succeeded'; partial = 'partly succeeded'; failed = 'failed' }
$script:AuditOutcomeNames = @('succeeded', 'partial', 'failed')
$script:AuditDestinations = @{
    entra = 'Microsoft Entra ID'; activeDirectory = 'Active Directory'; microsoftAccount = 'the Microsoft account'
    file = 'a file'; usb = 'a USB flash drive'; pdf = 'a PDF file'; print = 'a printer'
}
$script:AuditDestinationNames = @('entra', 'activeDirectory', 'microsoftAccount', 'file', 'usb', 'pdf', 'print')
$script:AuditMaxKeys = 64
$script:EncryptionNamespace = 'root/cimv2/Security/MicrosoftVolumeEncryption'
$script:WindowsVersionKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'

# Set by the packaged app only (main/runtime.ts): Windows' own module folder, from the Windows folder the OS reported.
# Then no module is ever found by name on PSModulePath, where the user's Documents come first (Import-BkbSystemModules).
$script:SystemModules = $env:BKB_SYSTEM_MODULES
# Every module whose commands this one calls: PowerShell's own (from $PSHOME), then Windows' (from $script:SystemModules).
$script:PowerShellModules = @('Microsoft.PowerShell.Utility', 'Microsoft.PowerShell.Management', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.Diagnostics', 'CimCmdlets')
$script:WindowsModules = @('Storage', 'BitLocker')


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

function Read-BkbEventIds {
    # 1 to $Maximum event ids (integers from 1 to 65535), without repeats.
    param($Value, [int]$Maximum)
    if ($Value -isnot [array] -or $Value.Count -lt 1 -or $Value.Count -gt $Maximum) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message "ids must list 1 to $Maximum event ids.")
    }
    $idList = [System.Collections.Generic.List[int]]::new()
    foreach ($id in $Value) {
        if (($id -isnot [int] -and $id -isnot [long]) -or $id -lt 1 -or $id -gt 65535) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'ids must be event ids from 1 to 65535.')
        }
        if (-not $idList.Contains([int]$id)) { $idList.Add([int]$id) }
    }
    , $idList
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

function Import-BkbSystemModules {
    # The packaged app's session: module autoloading off for the whole session (a BitLocker or Storage module planted
    # in the user's Documents would otherwise load, elevated, the first time one of its commands runs), and every
    # module this one calls imported by full path: PowerShell's own from its own folder, Windows' from Windows' module
    # folder. PowerShell's own must load; Windows' may be missing (some editions lack BitLocker: Test-BkbBitLockerModule).
    $global:PSModuleAutoLoadingPreference = 'None'
    foreach ($name in $script:PowerShellModules) {
        $file = [System.IO.Path]::Combine($PSHOME, 'Modules', $name, "$name.psd1")
        if ([System.IO.File]::Exists($file)) {
            Microsoft.PowerShell.Core\Import-Module -Name $file -Global -DisableNameChecking -ErrorAction Stop -WarningAction SilentlyContinue
        }
    }
    foreach ($name in $script:WindowsModules) {
        $file = [System.IO.Path]::Combine($script:SystemModules, $name, "$name.psd1")
        if (-not [System.IO.File]::Exists($file)) { continue }
        try { Microsoft.PowerShell.Core\Import-Module -Name $file -Global -DisableNameChecking -ErrorAction Stop -WarningAction SilentlyContinue }
        catch { $null = $_ }
    }
}

function Test-BkbBitLockerModule {
    # Packaged: the BitLocker module from Windows' own folder, imported at start; otherwise any that PowerShell can find.
    if ($script:SystemModules) { return [bool](Get-Module -Name BitLocker) }
    try { [bool](Get-Module -ListAvailable -Name BitLocker -ErrorAction Stop) } catch { $false }
}

function Assert-BkbBitLockerReady {
    # Unelevated, Win32_EncryptableVolume refuses with a bare access-denied error; say what is wrong first.
    param([string]$Activity)
    if (-not (Test-BkbElevated)) {
        throw (New-BkbFault -Code 'NotElevated' -Message "$Activity needs administrator rights." -HResult $script:WmiAccessDenied)
    }
    if (-not (Test-BkbBitLockerModule)) {
        throw (New-BkbFault -Code 'BitLockerModuleMissing' -Message 'The BitLocker PowerShell module is not installed on this edition of Windows.')
    }
}

function Test-BkbWindowsHost {
    # False only in PowerShell 7 on Linux or macOS (the test tier); Windows PowerShell 5.1 has no $IsWindows.
    $value = Get-Variable -Name IsWindows -ValueOnly -ErrorAction SilentlyContinue
    -not ($value -eq $false)
}

function Invoke-BkbSystemTool {
    # The raw bytes a tool of System32 writes to stdout, or nothing when this Windows has no such tool; throws when it
    # does not finish in 10 seconds. Run through System.Diagnostics.Process so that neither of its streams can reach
    # this session's stdout or stderr, and read below any text decoding (the caller decodes).
    param([Parameter(Mandatory = $true)][string]$Name, [string]$Arguments = '')
    if (-not $env:SystemRoot) { return }
    $exe = [System.IO.Path]::Combine($env:SystemRoot, 'System32', $Name)
    if (-not [System.IO.File]::Exists($exe)) { return }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($exe, $Arguments)
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $buffer = [System.IO.MemoryStream]::new()
    try {
        # Both pipes are drained concurrently: a full stderr pipe would otherwise stall the tool.
        $errorText = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.BaseStream.CopyToAsync($buffer)
        if (-not $process.WaitForExit(10000) -or -not $output.Wait(5000)) {
            try { $process.Kill() } catch { $null = $_ }
            throw (($Name -replace '\.exe$', '') + ' ' + $Arguments).Trim() + ' did not finish in time.'
        }
        $null = $errorText.Wait(5000)
        , $buffer.ToArray()
    }
    finally {
        $process.Dispose()
    }
}

function Invoke-BkbDsregcmd {
    # dsregcmd /status's raw bytes (ConvertFrom-BkbDsregcmdOutput decodes them). A private primitive, so tests can stand in for it.
    Invoke-BkbSystemTool -Name 'dsregcmd.exe' -Arguments '/status'
}

function Test-BkbUtf16LittleEndian {
    # UTF-16 LE without a byte order mark: dsregcmd's text is mostly ASCII, so most high (odd) bytes are zero, which
    # never happens in UTF-8 or an OEM code page. "Most", not "all": a tenant name in Chinese has non-zero high bytes.
    param([byte[]]$Bytes)
    if ($Bytes.Length -lt 2 -or ($Bytes.Length % 2) -ne 0) { return $false }
    $zeros = 0
    for ($i = 1; $i -lt $Bytes.Length; $i += 2) {
        if ($Bytes[$i] -eq 0) { $zeros++ }
    }
    ($zeros * 2) -gt ($Bytes.Length / 2)
}

function ConvertFrom-BkbDsregcmdOutput {
    # dsregcmd's stdout as text. Depending on the build and on where its output goes it writes UTF-16 LE, or text in
    # the console's code page: UTF-8 where the session set it, the OEM code page otherwise. UTF-16 LE (by its byte
    # order mark, or mostly-zero high bytes), then strict UTF-8, then the OEM code page.
    param([byte[]]$Bytes)
    if ($null -eq $Bytes -or $Bytes.Length -eq 0) { return '' }
    if ($Bytes[0] -eq 0xFF -and $Bytes.Length -ge 2 -and $Bytes[1] -eq 0xFE) {
        return [System.Text.Encoding]::Unicode.GetString($Bytes, 2, $Bytes.Length - 2)
    }
    if (Test-BkbUtf16LittleEndian -Bytes $Bytes) { return [System.Text.Encoding]::Unicode.GetString($Bytes) }
    $offset = 0
    if ($Bytes.Length -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF) { $offset = 3 }
    try {
        # throwOnInvalidBytes: text in a legacy code page is almost never valid UTF-8.
        return [System.Text.UTF8Encoding]::new($false, $true).GetString($Bytes, $offset, $Bytes.Length - $offset)
    }
    catch {
        $null = $_  # not UTF-8: the OEM code page below
    }
    try {
        $encoding = [System.Text.Encoding]::GetEncoding([System.Globalization.CultureInfo]::CurrentCulture.TextInfo.OEMCodePage)
    }
    catch {
        $encoding = [System.Text.Encoding]::GetEncoding(28591)  # ISO-8859-1 maps every byte to a character
    }
    $encoding.GetString($Bytes)
}

function ConvertTo-BkbOptionalText {
    param($Value)
    $text = ([string]$Value).Trim()
    if ($text) { $text } else { $null }
}

function Get-BkbComputerSystem {
    try { @(Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop)[0] } catch { $null }
}

function Test-BkbThisComputer {
    # Whether a UNC host name is this PC: loopback names and addresses, or its own name (with or without its
    # domain). \\localhost\C$\… is drive C: of this very PC, not a network location.
    param([string]$HostName, $ComputerSystem)
    $name = $HostName.TrimEnd('.').ToLowerInvariant()
    if (@('localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '0--1.ipv6-literal.net', '--1.ipv6-literal.net') -contains $name) { return $true }
    if ($name -match '^127\.\d{1,3}\.\d{1,3}\.\d{1,3}\z') { return $true }
    if ($null -eq $ComputerSystem) { return $false }
    $own = @([string]$ComputerSystem.Name, [string]$ComputerSystem.DNSHostName) | Where-Object { $_ } | ForEach-Object { $_.ToLowerInvariant() }
    $domain = ([string]$ComputerSystem.Domain).ToLowerInvariant()
    foreach ($candidate in $own) {
        if ($name -eq $candidate -or ($domain -and $name -eq ($candidate + '.' + $domain))) { return $true }
    }
    $false
}

function Get-BkbJoinState {
    # Join state from dsregcmd /status, the only source for Entra ID: when it is missing, fails, times out or says
    # nothing about it, entraJoined is $null (unknown). AD membership then comes from Win32_ComputerSystem.
    param($ComputerSystem)
    $state = [ordered]@{ entraJoined = $null; domainJoined = $false; domainName = $null; tenantName = $null }
    $text = ''
    try {
        $output = Invoke-BkbDsregcmd
        if ($null -ne $output) {
            # A byte[] as one object, or its bytes one by one if whoever stood in for dsregcmd let them unroll.
            if ($output -is [byte[]]) { $bytes = $output } else { $bytes = [byte[]]@($output) }
            $text = ConvertFrom-BkbDsregcmdOutput -Bytes $bytes
        }
    }
    catch {
        $text = ''
    }
    $fields = @{}
    foreach ($line in ($text -split "`r?`n")) {
        if ($line -match '^\s*(\w+)\s*:\s*(.*)$' -and -not $fields.ContainsKey($Matches[1])) {
            $fields[$Matches[1]] = $Matches[2].Trim()
        }
    }
    if ($fields.ContainsKey('AzureAdJoined')) { $state.entraJoined = $fields['AzureAdJoined'] -eq 'YES' }
    $state.tenantName = ConvertTo-BkbOptionalText -Value $fields['TenantName']
    if ($fields.ContainsKey('DomainJoined')) {
        $state.domainJoined = $fields['DomainJoined'] -eq 'YES'
        $state.domainName = ConvertTo-BkbOptionalText -Value $fields['DomainName']
    }
    elseif ($null -ne $ComputerSystem -and $ComputerSystem.PartOfDomain -eq $true) {
        $state.domainJoined = $true
        $state.domainName = ConvertTo-BkbOptionalText -Value $ComputerSystem.Domain
    }
    $state
}

function Get-BkbEditionId {
    # The registry's EditionID: 'Professional', 'Enterprise', 'Core' (Home), 'CoreSingleLanguage', ...; $null if unreadable.
    try {
        ConvertTo-BkbOptionalText -Value (Get-ItemPropertyValue -LiteralPath $script:WindowsVersionKey -Name EditionID -ErrorAction Stop)
    }
    catch {
        $null
    }
}

function Test-BkbIntuneManaged {
    # Enrolled in Intune: an Enrollments key with ProviderID 'MS DM Server' and EnrollmentState 1. No Enrollments key
    # at all is a PC never enrolled; any other failure to read them is unknown ($null).
    try {
        $enrollments = @(Get-ItemProperty -Path $script:EnrollmentsKeys -ErrorAction Stop)
    }
    catch {
        if ($_.Exception -is [System.Management.Automation.ItemNotFoundException]) { return $false }
        return $null
    }
    foreach ($enrollment in $enrollments) {
        $provider = $enrollment.PSObject.Properties['ProviderID']
        $state = $enrollment.PSObject.Properties['EnrollmentState']
        if ($null -ne $provider -and $null -ne $state -and [string]$provider.Value -eq 'MS DM Server' -and [string]$state.Value -eq '1') { return $true }
    }
    $false
}

function ConvertTo-BkbEnumName {
    # WMI hands over numbers (uint32); a name is accepted as well. Unknown values become $null rather than a
    # name the app cannot know.
    param($Value, [string[]]$Names)
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
    $null
}

function ConvertTo-BkbMountPoint {
    # 'C:', 'c:\' or a bare letter (Get-Volume's DriveLetter) as 'C:'; $null for \\?\Volume{...}\ names and nothing.
    param($Value)
    if ([string]$Value -match '^([A-Za-z]):?\\?\z') { return $Matches[1].ToUpperInvariant() + ':' }
    $null
}

function ConvertTo-BkbProtectorId {
    # Braced upper-case GUID, whatever form Windows used; $null when it is not a GUID or is the empty GUID.
    param($Value)
    $guid = [guid]::Empty
    if ([guid]::TryParse([string]$Value, [ref]$guid) -and $guid -ne [guid]::Empty) { return '{' + $guid.ToString().ToUpperInvariant() + '}' }
    $null
}

function ConvertTo-BkbStorageDriveType {
    # Get-Volume's DriveType, a name or MSFT_Volume's number, as 'Fixed', 'Removable' or 'Remote'; $null otherwise.
    param($Value)
    switch ([string]$Value) {
        { $_ -eq 'Removable' -or $_ -eq '2' } { return 'Removable' }
        { $_ -eq 'Fixed' -or $_ -eq '3' } { return 'Fixed' }
        { $_ -eq 'Remote' -or $_ -eq '4' } { return 'Remote' }
    }
    $null
}

function Get-BkbEncryptableVolume {
    # Win32_EncryptableVolume instances: every one, or those at one drive letter. The filter is built only from
    # a letter that matched $MountPointPattern, never from other text.
    param([string]$MountPoint)
    $query = @{ Namespace = $script:EncryptionNamespace; ClassName = 'Win32_EncryptableVolume'; ErrorAction = 'Stop' }
    if ($MountPoint) {
        if ($MountPoint -notmatch $script:MountPointPattern) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'mountPoint must be a drive letter such as C:.')
        }
        $query['Filter'] = "DriveLetter='" + $MountPoint.ToUpperInvariant() + "'"
    }
    @(Get-CimInstance @query)
}

function Find-BkbEncryptableVolume {
    # The volume at a drive letter, or $null when BitLocker cannot protect that drive.
    param([string]$MountPoint)
    foreach ($volume in (Get-BkbEncryptableVolume -MountPoint $MountPoint)) {
        if ((ConvertTo-BkbMountPoint -Value $volume.DriveLetter) -eq $MountPoint) { return $volume }
    }
    $null
}

function Invoke-BkbVolumeMethod {
    # One Win32_EncryptableVolume method. Its ReturnValue is an HRESULT: anything but 0 fails, as VolumeLocked for
    # FVE_E_LOCKED_VOLUME and as CmdletFailed with the HRESULT otherwise. -NullWhenLocked answers $null on a locked
    # volume instead, for facts Windows cannot read while the volume is locked.
    param($Volume, [string]$MethodName, [hashtable]$Arguments, [string]$MountPoint, [switch]$NullWhenLocked)
    $call = @{ InputObject = $Volume; MethodName = $MethodName; ErrorAction = 'Stop' }
    if ($null -ne $Arguments) { $call['Arguments'] = $Arguments }
    $result = Invoke-CimMethod @call
    $code = $null
    if ($null -ne $result) { $code = $result.ReturnValue }
    if ($null -eq $code) {
        throw (New-BkbFault -Code 'CmdletFailed' -Message "Windows gave no result for $MethodName on drive $MountPoint.")
    }
    $hresult = Format-BkbHResult -Value ([long]$code)
    if ($hresult -eq '0x00000000') { return $result }
    if ($hresult -eq $script:LockedVolume) {
        if ($NullWhenLocked) { return $null }
        throw (New-BkbFault -Code 'VolumeLocked' -Message "Drive $MountPoint is locked. Unlock it first." -HResult $hresult)
    }
    throw (New-BkbFault -Code 'CmdletFailed' -Message "Windows could not run $MethodName on drive $MountPoint ($hresult)." -HResult $hresult)
}

function Get-BkbVolumeLockStatus {
    # 'Unlocked' or 'Locked'; a lock state Windows reports in no known way counts as locked: nothing is read from it.
    param($Volume, [string]$MountPoint)
    $result = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetLockStatus' -MountPoint $MountPoint
    if ((ConvertTo-BkbEnumName -Value $result.LockStatus -Names $script:LockStatusNames) -eq 'Unlocked') { 'Unlocked' } else { 'Locked' }
}

function Get-BkbVolumeState {
    # Lock, protection and conversion state. Conversion status and percentage are unknown ($null) while locked.
    param($Volume, [string]$MountPoint)
    $state = [ordered]@{ lockStatus = 'Locked'; protectionStatus = $null; volumeStatus = $null; encryptionPercentage = $null }
    $state.lockStatus = Get-BkbVolumeLockStatus -Volume $Volume -MountPoint $MountPoint
    $protection = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetProtectionStatus' -MountPoint $MountPoint -NullWhenLocked
    if ($null -ne $protection) { $state.protectionStatus = ConvertTo-BkbEnumName -Value $protection.ProtectionStatus -Names $script:ProtectionStatusNames }
    if ($state.lockStatus -eq 'Unlocked') {
        $conversion = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetConversionStatus' -MountPoint $MountPoint -NullWhenLocked
        if ($null -eq $conversion) {
            $state.lockStatus = 'Locked'  # locked since GetLockStatus answered
        }
        else {
            $state.volumeStatus = ConvertTo-BkbEnumName -Value $conversion.ConversionStatus -Names $script:ConversionStatusNames
            # Wiping free space (WipingStatus 2 in progress, 3 paused) is a state of a fully encrypted volume.
            if ($state.volumeStatus -eq 'FullyEncrypted') {
                $wiping = [string]$conversion.WipingStatus
                if ($wiping -eq '2') { $state.volumeStatus = 'FullyEncryptedWipeInProgress' }
                elseif ($wiping -eq '3') { $state.volumeStatus = 'FullyEncryptedWipeSuspended' }
            }
            if ($null -ne $conversion.EncryptionPercentage) {
                # A whole number from WMI; an int keeps it one in JSON (PowerShell 7.6 writes a double 100 as 100.0).
                $state.encryptionPercentage = [int][Math]::Min([long]100, [Math]::Max([long]0, [long]$conversion.EncryptionPercentage))
            }
        }
    }
    $state
}

function Get-BkbKeyProtectorList {
    # Every key protector of a volume as {keyProtectorId, keyProtectorType}: the ids from GetKeyProtectors, each
    # type from GetKeyProtectorType. Works on a locked volume, and reads no password.
    param($Volume, [string]$MountPoint)
    $found = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetKeyProtectors' -MountPoint $MountPoint
    foreach ($windowsId in @($found.VolumeKeyProtectorID)) {
        $id = ConvertTo-BkbProtectorId -Value $windowsId
        if (-not $id) { continue }
        $typeResult = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetKeyProtectorType' -Arguments @{ VolumeKeyProtectorID = [string]$windowsId } -MountPoint $MountPoint
        $type = ConvertTo-BkbEnumName -Value $typeResult.KeyProtectorType -Names $script:KeyProtectorTypeNames
        if (-not $type) { $type = 'Unknown' }
        [ordered]@{ keyProtectorId = $id; keyProtectorType = $type }
    }
}

function Resolve-BkbDriveType {
    # Win32_EncryptableVolume.VolumeType (Windows 8 and later): 0 operating system, 1 fixed data, 2 removable.
    # Without it: the system drive, else what the Storage module says, else fixed.
    param($VolumeType, [string]$MountPoint, $Storage)
    switch ([string]$VolumeType) {
        '0' { return 'OperatingSystem' }
        '1' { return 'Fixed' }
        '2' { return 'Removable' }
    }
    if ($env:SystemDrive -and (ConvertTo-BkbMountPoint -Value $env:SystemDrive) -eq $MountPoint) { return 'OperatingSystem' }
    if ($null -ne $Storage -and (ConvertTo-BkbStorageDriveType -Value $Storage.DriveType) -eq 'Removable') { return 'Removable' }
    'Fixed'
}

function Get-BkbStorageVolume {
    # Label, file system, size and free space; a volume the Storage module cannot read simply lacks them.
    param([string]$MountPoint)
    try { @(Get-Volume -DriveLetter $MountPoint[0] -ErrorAction Stop -WarningAction SilentlyContinue)[0] } catch { $null }
}

function ConvertTo-BkbVolume {
    # One Volume of preload/contract.ts. Key protectors are listed by id and type only, never with a password.
    param($Volume, [string]$MountPoint)
    $state = Get-BkbVolumeState -Volume $Volume -MountPoint $MountPoint
    $unlocked = $state.lockStatus -eq 'Unlocked'
    $encryptionMethod = $null
    $method = Invoke-BkbVolumeMethod -Volume $Volume -MethodName 'GetEncryptionMethod' -MountPoint $MountPoint -NullWhenLocked
    if ($null -ne $method) { $encryptionMethod = ConvertTo-BkbEnumName -Value $method.EncryptionMethod -Names $script:EncryptionMethodNames }
    $protectors = @(Get-BkbKeyProtectorList -Volume $Volume -MountPoint $MountPoint)

    $storage = Get-BkbStorageVolume -MountPoint $MountPoint
    $label = $null
    $fileSystem = $null
    $capacityGB = $null
    $freeSpaceBytes = $null
    if ($null -ne $storage) {
        $label = ConvertTo-BkbOptionalText -Value $storage.FileSystemLabel
        $fileSystem = ConvertTo-BkbOptionalText -Value $storage.FileSystem
        if ($null -ne $storage.Size -and [double]$storage.Size -gt 0) { $capacityGB = [Math]::Round([double]$storage.Size / 1GB, 2) }
        # A locked volume reports 0 bytes free, which is not true, merely unknown.
        if ($unlocked -and $null -ne $storage.SizeRemaining) { $freeSpaceBytes = [Math]::Max([long]0, [long]$storage.SizeRemaining) }
    }

    [ordered]@{
        mountPoint           = $MountPoint
        label                = $label
        driveType            = Resolve-BkbDriveType -VolumeType $Volume.VolumeType -MountPoint $MountPoint -Storage $storage
        capacityGB           = $capacityGB
        fileSystem           = $fileSystem
        volumeStatus         = $state.volumeStatus
        protectionStatus     = $state.protectionStatus
        lockStatus           = $state.lockStatus
        encryptionMethod     = $encryptionMethod
        encryptionPercentage = $state.encryptionPercentage
        # @() gives a plain object[]: ConvertTo-Json keeps it a JSON array even with one element.
        keyProtectors        = $protectors
        freeSpaceBytes       = $freeSpaceBytes
    }
}

function Get-BkbUnlockedVolume {
    # The Win32_EncryptableVolume at a drive letter, or the fault that says why it cannot be used.
    param([string]$MountPoint)
    $volume = Find-BkbEncryptableVolume -MountPoint $MountPoint
    if ($null -eq $volume) {
        throw (New-BkbFault -Code 'VolumeNotFound' -Message "There is no BitLocker volume $MountPoint on this PC." -HResult $script:ElementNotFound)
    }
    if ((Get-BkbVolumeLockStatus -Volume $volume -MountPoint $MountPoint) -ne 'Unlocked') {
        throw (New-BkbFault -Code 'VolumeLocked' -Message "Drive $MountPoint is locked. Unlock it first." -HResult $script:LockedVolume)
    }
    $volume
}

function Get-BkbRecoveryProtector {
    # The unlocked volume and its numerical-password protector with that id (as Windows spells it), or the fault
    # that explains its absence. A volume may carry several recovery passwords: the id and the type must both
    # match. Reads no password.
    param([string]$MountPoint, [string]$KeyProtectorId)
    $volume = Get-BkbUnlockedVolume -MountPoint $MountPoint
    $found = Invoke-BkbVolumeMethod -Volume $volume -MethodName 'GetKeyProtectors' -MountPoint $MountPoint
    $windowsId = $null
    foreach ($candidate in @($found.VolumeKeyProtectorID)) {
        if ((ConvertTo-BkbProtectorId -Value $candidate) -eq $KeyProtectorId) { $windowsId = [string]$candidate }
    }
    if ($null -ne $windowsId) {
        $type = Invoke-BkbVolumeMethod -Volume $volume -MethodName 'GetKeyProtectorType' -Arguments @{ VolumeKeyProtectorID = $windowsId } -MountPoint $MountPoint
        if ([string]$type.KeyProtectorType -eq [string]$script:NumericalPasswordType) {
            return [pscustomobject]@{ Volume = $volume; KeyProtectorId = $windowsId }
        }
    }
    throw (New-BkbFault -Code 'ProtectorNotFound' -Message "Drive $MountPoint has no recovery password with the ID $KeyProtectorId.")
}

function Get-BkbParentFolder {
    # The folder a file path lies in: 'D:\Keys\key.txt' -> 'D:\Keys', 'D:\key.txt' and 'D:\' -> 'D:\',
    # '/media/stick/key.txt' -> '/media/stick', '/key.txt' -> '/'.
    param([string]$Path)
    $trimmed = $Path.TrimEnd([char[]]@('\', '/'))
    $cut = $trimmed.LastIndexOfAny([char[]]@('\', '/'))
    $parent = $trimmed
    if ($cut -ge 0) { $parent = $trimmed.Substring(0, $cut) }
    if ($parent -match '^[A-Za-z]:\z') { return $parent + '\' }
    if (-not $parent) { return '/' }
    $parent
}

function Get-BkbVolumeOfPath {
    # The Storage module's volume that holds a folder (a volume mounted in a folder included), or $null.
    param([string]$Folder)
    try { @(Get-Volume -FilePath $Folder -ErrorAction Stop -WarningAction SilentlyContinue)[0] } catch { $null }
}

function Invoke-BkbSubst {
    # The raw bytes subst.exe writes (one "S:\: => C:\Folder" line per SUBST drive), or nothing when it is missing or
    # does not answer in time. A private primitive, so tests can stand in for it.
    try { Invoke-BkbSystemTool -Name 'subst.exe' } catch { $null = $_ }
}

function Get-BkbSubstDrives {
    # SUBST drive letters and the folders they stand for: @{ 'S:' = 'C:\Users\Public' }.
    $drives = @{}
    foreach ($line in ((ConvertFrom-BkbDsregcmdOutput -Bytes (Invoke-BkbSubst)) -split '\r?\n')) {
        if ($line -match '^([A-Za-z]):\\: => ([A-Za-z]:\\.*|\\\\[^\\]+\\.+)\z') { $drives[$Matches[1].ToUpperInvariant() + ':'] = $Matches[2].TrimEnd() }
    }
    $drives
}

function Get-BkbLinkTarget {
    # Where a junction or symbolic link points, as an absolute drive or UNC path; $null for anything else (not
    # there, not a link, or a folder a volume is mounted in, which Get-Volume -FilePath already finds); '?' for a
    # target that cannot be pinned down (relative, or a device path).
    param([string]$Path)
    $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue
    if ($null -eq $item -or -not ($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint)) { return $null }
    # Target in Windows PowerShell 5.1 and PowerShell 7 alike (LinkTarget exists only in 7).
    $target = [string]($item.Target | Select-Object -First 1)
    if (-not $target) { return $null }
    $target = $target -replace '^\\\?\?\\|^\\\\\?\\', ''
    if ($target -match '^Volume\{') { return $null }
    if ($target -match '^UNC\\(.+)\z') { return '\\' + $Matches[1] }
    if ($target -match '^[A-Za-z]:\\' -or $target -match '^\\\\[^\\?.][^\\]*\\[^\\]+') { return $target }
    '?'
}

function Resolve-BkbFinalPath {
    # Where a file at $Path really lands: a SUBST letter replaced by its folder, a letter mapped to a share of this
    # PC by that share, this PC's administrative share X$ by drive X:, and every junction or symbolic link along
    # its folder followed, so the location rules judge the place, not the path text. $null when that cannot be
    # told: a link that cannot be pinned down, or more than 32 redirections (a loop).
    param([string]$Path)
    $substs = $null
    for ($hop = 0; $hop -lt 32; $hop++) {
        if ($Path -match '^[\\/]{2}([^\\/]+)[\\/]([A-Za-z])\$(\z|[\\/].*)\z' -and (Test-BkbThisComputer -HostName $Matches[1] -ComputerSystem (Get-BkbComputerSystem))) {
            $Path = $Matches[2] + ':' + $(if ($Matches[3]) { $Matches[3] } else { '\' })
            continue
        }
        if ($Path -notmatch '^([A-Za-z]):([\\/].*)\z') { return $Path }
        $letter = $Matches[1].ToUpperInvariant() + ':'
        $rest = $Matches[2] -replace '[\\/]+', '\'
        $Path = $Matches[1] + ':' + $rest
        if ($null -eq $substs) { $substs = Get-BkbSubstDrives }
        if ($substs.ContainsKey($letter)) {
            $Path = $substs[$letter].TrimEnd('\') + $rest
            continue
        }
        # The letter matched the pattern above, so the filter is built from nothing but a checked letter.
        $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='" + $letter + "'") -ErrorAction Stop | Where-Object { [string]$_.DeviceID -eq $letter } | Select-Object -First 1
        if ($null -ne $disk -and [string]$disk.DriveType -eq '4' -and [string]$disk.ProviderName -match '^\\\\([^\\]+)\\' -and
            (Test-BkbThisComputer -HostName $Matches[1] -ComputerSystem (Get-BkbComputerSystem))) {
            $Path = ([string]$disk.ProviderName).TrimEnd('\') + $rest
            continue
        }
        # The folder's segments, each tried as a link: the first link found redirects the rest of the path.
        $segments = @((Get-BkbParentFolder -Path $Path).Substring(2) -split '[\\/]' | Where-Object { $_ })
        $redirected = $false
        $walked = $letter
        for ($i = 0; $i -lt $segments.Count -and -not $redirected; $i++) {
            $walked = $walked + '\' + $segments[$i]
            $target = Get-BkbLinkTarget -Path $walked
            if ($target -eq '?') { return $null }
            if ($null -ne $target) {
                $Path = $target.TrimEnd('\') + $Path.Substring($walked.Length)
                $redirected = $true
            }
        }
        if (-not $redirected) { return $Path }
    }
    $null
}

function Test-BkbProgramPath {
    # An absolute path (drive, UNC, or / off Windows) without "..", device prefixes or streams, of an existing .exe.
    param($Path)
    if ($Path -isnot [string] -or $Path.Length -lt 5 -or $Path.Length -gt 32767) { return $false }
    if ($Path -match '[\x00-\x1F"*?<>|]' -or $Path.LastIndexOf(':') -gt 1) { return $false }
    $absolute = $Path -match '^(?:[A-Za-z]:\\|\\\\[^\\/.][^\\/]*\\[^\\/]+\\)'
    if (-not $absolute -and $Path.StartsWith('/') -and -not (Test-BkbWindowsHost)) { $absolute = $true }
    if (-not $absolute -or (Test-BkbParentSegment -Path $Path) -or $Path -notmatch '\.exe\z') { return $false }
    Test-Path -LiteralPath $Path -PathType Leaf
}

function Get-BkbAppExecutable {
    # The executable of the process that owns this PowerShell: the app. The Win32_Process filters are built from
    # integers only.
    $path = $null
    $self = @(Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId=' + [uint32]$PID) -ErrorAction Stop)
    $parentId = [uint32]0
    if ($self.Count -gt 0 -and [uint32]::TryParse([string]$self[0].ParentProcessId, [ref]$parentId) -and $parentId -gt 0) {
        $parent = @(Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId=' + $parentId) -ErrorAction Stop)
        if ($parent.Count -gt 0) { $path = $parent[0].ExecutablePath }
    }
    if (-not (Test-BkbProgramPath -Path $path)) {
        throw (New-BkbFault -Code 'CmdletFailed' -Message "The app's own program file could not be found, so it cannot start itself as administrator. Right-click BitLocker Key Backup and choose 'Run as administrator'.")
    }
    $path
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
        One JSON line. data: {computerName: string, elevated: bool, edition: EditionID string|null (e.g.
        'Professional', 'Core' for Home, 'Enterprise'), entraJoined: bool|null, domainJoined: bool,
        domainName: string|null, tenantName: string|null, bitLockerModule: bool, intuneManaged: bool|null,
        powerShellVersion: string}. intuneManaged: enrolled in Intune (an HKLM:\SOFTWARE\Microsoft\Enrollments key with
        ProviderID 'MS DM Server' and EnrollmentState 1); false without such a key, null when the keys cannot be read.
        Join state comes from dsregcmd /status. Without an answer from it entraJoined is null (unknown: only
        dsregcmd knows about Entra ID) and AD membership comes from Win32_ComputerSystem. The computer name is
        Win32_ComputerSystem's, else COMPUTERNAME, else the machine name .NET knows.
        Errors: InvalidArgument.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields @() -Handler {
        $system = Get-BkbComputerSystem
        $join = Get-BkbJoinState -ComputerSystem $system
        $computerName = $null
        if ($null -ne $system) { $computerName = ConvertTo-BkbOptionalText -Value $system.Name }
        if (-not $computerName) { $computerName = $env:COMPUTERNAME }
        if (-not $computerName) { $computerName = [Environment]::MachineName }
        [ordered]@{
            computerName      = [string]$computerName
            elevated          = [bool](Test-BkbElevated)
            edition           = Get-BkbEditionId
            entraJoined       = $join.entraJoined
            domainJoined      = [bool]$join.domainJoined
            domainName        = $join.domainName
            tenantName        = $join.tenantName
            bitLockerModule   = [bool](Test-BkbBitLockerModule)
            intuneManaged     = Test-BkbIntuneManaged
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
        Read from Win32_EncryptableVolume (GetLockStatus, GetProtectionStatus, GetConversionStatus,
        GetEncryptionMethod, GetKeyProtectors, GetKeyProtectorType; never a password) and Get-Volume (label, file
        system, capacityGB = Size in GiB to 2 places, free space). Enums are names; volumeStatus,
        encryptionPercentage and freeSpaceBytes are null while locked; a locked volume's protectors are listed.
        Volumes without a drive letter are left out. A volume that Windows fails to read (any method's
        ReturnValue other than 0) is left out too, unless no volume could be read at all, which is then an error.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, CmdletFailed (with the HRESULT).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields @() -Handler {
        Assert-BkbBitLockerReady -Activity 'Reading BitLocker volumes'
        $byLetter = @{}
        foreach ($volume in (Get-BkbEncryptableVolume)) {
            $mountPoint = ConvertTo-BkbMountPoint -Value $volume.DriveLetter
            if ($mountPoint -and -not $byLetter.ContainsKey($mountPoint)) { $byLetter[$mountPoint] = $volume }
        }
        $volumes = [System.Collections.Generic.List[object]]::new()
        $firstFailure = $null
        # Volume by volume, so that one unreadable volume (a card reader, a failing disk) cannot hide the others.
        foreach ($mountPoint in ($byLetter.Keys | Sort-Object)) {
            try {
                $volumes.Add((ConvertTo-BkbVolume -Volume $byLetter[$mountPoint] -MountPoint $mountPoint))
            }
            catch {
                if ($null -eq $firstFailure) { $firstFailure = $_ }
            }
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
        GetKeyProtectorType must say numerical password (3) before GetKeyProtectorNumericalPassword reads that
        one protector's password; no other password is read.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked (0x80310000),
        ProtectorNotFound (no RecoveryPassword protector with that id), CmdletFailed (with the HRESULT).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        Assert-BkbBitLockerReady -Activity 'Reading a recovery password'
        $protector = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $read = Invoke-BkbVolumeMethod -Volume $protector.Volume -MethodName 'GetKeyProtectorNumericalPassword' -Arguments @{ VolumeKeyProtectorID = $protector.KeyProtectorId } -MountPoint $mountPoint
        $password = [string]$read.NumericalPassword
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
        Base64 of the UTF-8 JSON {path: "D:\Keys\file.txt" or "\\server\share\file.txt"}; off Windows (the
        test tier) also an absolute host path such as "/media/stick/file.txt".
    .OUTPUTS
        One JSON line. data: {isNetwork: bool, mountPoint: "X:"|null, driveType, volumeStatus,
        protectionStatus, lockStatus} (enum names or null).
        UNC path: isNetwork true and everything else null, unless it names this PC (localhost, a loopback
        address, its own name or full name): then its administrative share X$ is judged as drive X:, and any
        other share of this PC is an unknown place. Mapped network drive (Win32_LogicalDisk, asked for
        that one DeviceID: DriveType 4) or a Remote volume: isNetwork true, its letter, the rest null. Otherwise
        the volume Get-Volume -FilePath finds for the path's folder (a volume mounted in a folder included):
        none, or one without a drive letter, is an unknown place (isNetwork false, everything else null). Then
        the volume's BitLocker state from Win32_EncryptableVolume; nulls where BitLocker does not know the
        volume, with driveType then from Get-Volume (Fixed, Removable).
        First the path is followed to where the file lands (Resolve-BkbFinalPath: SUBST drives, letters mapped to
        a share of this PC, this PC's administrative shares, junctions and symbolic links along its folder); one
        that never settles is an unknown place.
        Errors: InvalidArgument (relative path, "..", \\?\ or \\.\ device path), VolumeNotFound (no such
        drive letter), NotElevated, BitLockerModuleMissing, CmdletFailed (with the HRESULT).
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
        $path = Resolve-BkbFinalPath -Path $path
        if ($null -eq $path) { return $answer }
        if ($path -match '^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)(.*)\z') {
            $shareName = $Matches[2]
            $rest = $Matches[3]
            if (-not (Test-BkbThisComputer -HostName $Matches[1] -ComputerSystem (Get-BkbComputerSystem))) {
                $answer.isNetwork = $true
                return $answer
            }
            # This PC through a share: its administrative share X$ is drive X:, judged as that drive. Any other
            # share of this PC is somewhere on its own disks that the app cannot pin down: an unknown place.
            if ($shareName -notmatch '^([A-Za-z])\$\z') { return $answer }
            $path = $Matches[1] + ':' + $(if ($rest) { $rest } else { '\' })
        }
        if ($path -match '^([A-Za-z]):[\\/]') {
            # The letter matched the pattern above, so the filter is built from nothing but a checked letter.
            $letter = $Matches[1].ToUpperInvariant() + ':'
            $disk = $null
            foreach ($candidate in @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='" + $letter + "'") -ErrorAction Stop)) {
                if ([string]$candidate.DeviceID -eq $letter) { $disk = $candidate }
            }
            if ($null -eq $disk) {
                throw (New-BkbFault -Code 'VolumeNotFound' -Message "There is no drive $letter on this PC.")
            }
            if ([string]$disk.DriveType -eq '4') {
                $answer.isNetwork = $true
                $answer.mountPoint = $letter
                return $answer
            }
        }
        elseif (-not ($path.StartsWith('/') -and -not (Test-BkbWindowsHost))) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'path must be absolute, such as D:\Keys or \\server\share.')
        }

        $storage = Get-BkbVolumeOfPath -Folder (Get-BkbParentFolder -Path $path)
        if ($null -eq $storage) { return $answer }
        $storageType = ConvertTo-BkbStorageDriveType -Value $storage.DriveType
        $mountPoint = ConvertTo-BkbMountPoint -Value $storage.DriveLetter
        if ($storageType -eq 'Remote') {
            $answer.isNetwork = $true
            $answer.mountPoint = $mountPoint
            return $answer
        }
        # A volume without a letter is nothing the app can name or check: an unknown place.
        if (-not $mountPoint) { return $answer }
        $answer.mountPoint = $mountPoint

        Assert-BkbBitLockerReady -Activity 'Checking the drive of a save location'
        $volume = Find-BkbEncryptableVolume -MountPoint $mountPoint
        if ($null -eq $volume) {
            $answer.driveType = $storageType
            return $answer
        }
        $state = Get-BkbVolumeState -Volume $volume -MountPoint $mountPoint
        $answer.driveType = Resolve-BkbDriveType -VolumeType $volume.VolumeType -MountPoint $mountPoint -Storage $storage
        $answer.volumeStatus = $state.volumeStatus
        $answer.protectionStatus = $state.protectionStatus
        $answer.lockStatus = $state.lockStatus
        $answer
    }
}

function Get-BkbVolumeRoot {
    <#
    .SYNOPSIS
        The root folder of a drive, where a key file for a USB stick goes, as a path the caller can write to.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "E:"}.
    .OUTPUTS
        One JSON line. data: {path: Convert-Path of "E:\"}: "E:\" on Windows; in the test tier, the host folder
        the drive's PowerShell drive maps to.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound (BitLocker does not know
        the drive, or its root folder cannot be reached), VolumeLocked (0x80310000), CmdletFailed.
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
            throw (New-BkbFault -Code 'VolumeNotFound' -Message "Drive $mountPoint cannot be reached." -HResult $script:PathNotFound)
        }
        $path = [string](@(Convert-Path -LiteralPath $root -ErrorAction Stop)[0])
        if (-not $path) {
            throw (New-BkbFault -Code 'VolumeNotFound' -Message "Drive $mountPoint cannot be reached." -HResult $script:PathNotFound)
        }
        [ordered]@{ path = $path }
    }
}

function Backup-BkbToEntra {
    <#
    .SYNOPSIS
        Sends one recovery password to Microsoft Entra ID (BackupToAAD-BitLockerKeyProtector).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}"}.
    .OUTPUTS
        One JSON line. data: {sentAt: UTC ISO 8601 time taken just before the cmdlet ran}. The protector is
        checked through Win32_EncryptableVolume first (no password read). The cmdlet returning is not proof:
        events 845/846/847 (Get-BkbBackupEvents) confirm it.
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
        $protector = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $sentAt = (Get-Date).ToUniversalTime().ToString('o')
        # The cmdlet returns the BitLocker volume, recovery passwords included: discard it.
        $null = BackupToAAD-BitLockerKeyProtector -MountPoint $mountPoint -KeyProtectorId $protector.KeyProtectorId -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue
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
        One JSON line. data: {sentAt: UTC ISO 8601 time taken just before the cmdlet ran}. The protector is
        checked through Win32_EncryptableVolume first (no password read). Events 784/785/783
        (Get-BkbBackupEvents) confirm it.
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
        $protector = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $sentAt = (Get-Date).ToUniversalTime().ToString('o')
        try {
            # The cmdlet returns the BitLocker volume, recovery passwords included: discard it.
            $null = Backup-BitLockerKeyProtector -MountPoint $mountPoint -KeyProtectorId $protector.KeyProtectorId -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue
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

function Get-BkbEventData {
    # An event record's EventData as name -> text (the first of each name).
    param($Record)
    $data = @{}
    $xml = [xml]$Record.ToXml()
    foreach ($item in @($xml.Event.EventData.Data)) {
        if ($item -isnot [System.Xml.XmlElement]) { continue }
        $name = $item.GetAttribute('Name')
        if ($name -and -not $data.ContainsKey($name)) { $data[$name] = $item.InnerText }
    }
    $data
}

function Get-BkbEventVolume {
    # The drive letter an event names (VolumeMountPoint, or VolumeDriveLetter in events without a protector), or $null.
    param([hashtable]$Data)
    $volume = ConvertTo-BkbMountPoint -Value $Data['VolumeMountPoint']
    if (-not $volume) { $volume = ConvertTo-BkbMountPoint -Value $Data['VolumeDriveLetter'] }
    $volume
}

function Get-BkbLogRecords {
    # Get-WinEvent with these parameters; nothing logged (or no such log on this edition) is no records, not a failure.
    param([hashtable]$Query)
    try {
        Get-WinEvent @Query -ErrorAction Stop
    }
    catch {
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*' -and $_.FullyQualifiedErrorId -notlike 'NoMatchingLogsFound*') { throw }
    }
}

function ConvertTo-BkbEventTime {
    # An event's TimeCreated (local time) as UTC ISO 8601.
    param($Record)
    ([datetime]$Record.TimeCreated).ToUniversalTime().ToString('o')
}

function Get-BkbBackupEvents {
    <#
    .SYNOPSIS
        Events from the BitLocker Management log about one protector of one volume since a time.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}", since: ISO 8601 time, ids: [1 to 16 event ids]}.
    .OUTPUTS
        One JSON line. data: {events: [{id: int, time: UTC ISO 8601, keyProtectorId: "{GUID}"|null,
        message: string}]} sorted by time. An event whose ProtectorGUID is this protector is kept; an event
        with no ProtectorGUID (failures such as 829/831/847, sometimes 846) is kept with keyProtectorId null
        only if its VolumeMountPoint or VolumeDriveLetter is this mountPoint; every other event is left out.
        Which events count as success is the caller's rule. No matching events is an empty list, not an error.
        Errors: InvalidArgument, NotElevated, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId', 'since', 'ids' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        $since = Read-BkbTime -Value $Body.since
        $idList = Read-BkbEventIds -Value $Body.ids -Maximum 16

        $records = @(Get-BkbLogRecords -Query @{ FilterHashtable = @{ LogName = $script:BitLockerManagementLog; Id = $idList.ToArray(); StartTime = $since.ToLocalTime() } })

        $events = [System.Collections.Generic.List[object]]::new()
        foreach ($record in ($records | Sort-Object -Property TimeCreated)) {
            if ($null -eq $record.TimeCreated) { continue }
            $data = Get-BkbEventData -Record $record
            $protectorGuid = ConvertTo-BkbProtectorId -Value $data['ProtectorGUID']
            if ($null -ne $protectorGuid) {
                if ($protectorGuid -ne $keyProtectorId) { continue }
            }
            elseif ((Get-BkbEventVolume -Data $data) -ne $mountPoint) {
                # No protector named: only the volume can tie the event to this backup.
                continue
            }
            $events.Add([ordered]@{
                id             = [int]$record.Id
                time           = ConvertTo-BkbEventTime -Record $record
                keyProtectorId = $protectorGuid
                message        = Protect-BkbText -Text ([string]$record.Message)
            })
        }
        [ordered]@{ events = $events.ToArray() }
    }
}

function Get-BkbKeyHistory {
    <#
    .SYNOPSIS
        Every event with one of the ids in the BitLocker Management log, and how far back the log reaches: the facts
        behind each key's backup status (created 775, removed 776, escrowed 845/784/783/828/830, warnings 869/4106).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {ids: [1 to 32 event ids]}.
    .OUTPUTS
        One JSON line. data: {events: [{id: int, time: UTC ISO 8601, keyProtectorId: "{GUID}"|null (ProtectorGUID),
        mountPoint: "C:"|null (VolumeMountPoint, else VolumeDriveLetter; null for a volume without a letter)}] oldest
        first, no message text; logStartsAt: UTC ISO 8601 of the oldest record the log still holds (any id), or null
        when it holds none or does not exist; truncated: bool}. At most the newest 2,000 events: when there are more,
        truncated is true and logStartsAt is the oldest event returned, so that "the log does not reach back" stays
        true of what the caller sees. Ids are asked for 16 at a time (Windows refuses longer event-id filters).
        Errors: InvalidArgument, NotElevated, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'ids' -Handler {
        param($Body)
        $idList = Read-BkbEventIds -Value $Body.ids -Maximum 32

        # Newest first; one more than the limit tells whether the log holds more.
        $records = [System.Collections.Generic.List[object]]::new()
        for ($first = 0; $first -lt $idList.Count; $first += $script:EventIdsPerQuery) {
            $chunk = $idList.GetRange($first, [Math]::Min($script:EventIdsPerQuery, $idList.Count - $first)).ToArray()
            $query = @{ FilterHashtable = @{ LogName = $script:BitLockerManagementLog; Id = $chunk }; MaxEvents = $script:KeyHistoryLimit + 1 }
            foreach ($record in @(Get-BkbLogRecords -Query $query)) {
                if ($null -ne $record.TimeCreated) { $records.Add($record) }
            }
        }
        $newest = @($records | Sort-Object -Property @{ Expression = 'TimeCreated'; Descending = $true }, @{ Expression = 'RecordId'; Descending = $true } |
                Select-Object -First $script:KeyHistoryLimit)
        $truncated = $records.Count -gt $script:KeyHistoryLimit

        $events = [System.Collections.Generic.List[object]]::new()
        for ($i = $newest.Count - 1; $i -ge 0; $i--) {
            $data = Get-BkbEventData -Record $newest[$i]
            $events.Add([ordered]@{
                    id             = [int]$newest[$i].Id
                    time           = ConvertTo-BkbEventTime -Record $newest[$i]
                    keyProtectorId = ConvertTo-BkbProtectorId -Value $data['ProtectorGUID']
                    mountPoint     = Get-BkbEventVolume -Data $data
                })
        }

        $logStartsAt = $null
        if ($truncated) {
            $logStartsAt = $events[0].time
        }
        else {
            $oldest = @(Get-BkbLogRecords -Query @{ LogName = $script:BitLockerManagementLog; Oldest = $true; MaxEvents = 1 })
            if ($oldest.Count -gt 0 -and $null -ne $oldest[0].TimeCreated) { $logStartsAt = ConvertTo-BkbEventTime -Record $oldest[0] }
        }
        [ordered]@{ events = $events.ToArray(); logStartsAt = $logStartsAt; truncated = $truncated }
    }
}

function Test-BkbAuditSource {
    # Whether the installer registered the app's event source: its key under the Application log. Read from the registry,
    # not with [EventLog]::SourceExists, which searches every log and throws unelevated once it reaches the Security log.
    try {
        $null = Get-ItemProperty -LiteralPath $script:AuditSourceKey -ErrorAction Stop
        $true
    }
    catch {
        if ($_.Exception -is [System.Management.Automation.ItemNotFoundException]) { return $false }
        throw
    }
}

function Read-BkbAuditEntry {
    # The fields of Write-BkbAuditEvent, each one of a fixed set or checked shape, so that no text of the caller's
    # reaches the log; a request carrying anything shaped like a recovery password is refused whole first.
    param($Body)
    foreach ($value in @($Body.action, $Body.outcome, $Body.mountPoint, $Body.destination) + @($Body.keyProtectorIds)) {
        if ([string]$value -match $script:RecoveryPasswordLike) {
            throw (New-BkbFault -Code 'InvalidArgument' -Message 'The request carries something shaped like a recovery password: the audit trail records key IDs, never keys.')
        }
    }
    if ($Body.action -isnot [string] -or $script:AuditActionNames -cnotcontains $Body.action) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'action must be backup, add, remove or reveal.')
    }
    if ($Body.outcome -isnot [string] -or $script:AuditOutcomeNames -cnotcontains $Body.outcome) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'outcome must be succeeded, partial or failed.')
    }
    $mountPoint = $null
    if ($null -ne $Body.mountPoint) { $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint }
    if ($Body.keyProtectorIds -isnot [array] -or $Body.keyProtectorIds.Count -gt $script:AuditMaxKeys) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message "keyProtectorIds must list at most $($script:AuditMaxKeys) key protector IDs.")
    }
    $ids = @(foreach ($id in $Body.keyProtectorIds) {
            if ($id -isnot [string] -or $id -notmatch $script:ProtectorIdPattern) {
                throw (New-BkbFault -Code 'InvalidArgument' -Message 'keyProtectorIds must be GUIDs in braces.')
            }
            $id.ToUpperInvariant()
        })
    if ($null -ne $Body.destination -and ($Body.destination -isnot [string] -or $script:AuditDestinationNames -cnotcontains $Body.destination)) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'destination must be entra, activeDirectory, microsoftAccount, file, usb, pdf, print or null.')
    }
    if (($Body.action -ceq 'backup') -ne ($null -ne $Body.destination)) {
        throw (New-BkbFault -Code 'InvalidArgument' -Message 'destination must name where a backup went, and only a backup.')
    }
    [pscustomobject]@{ Action = $Body.action; Outcome = $Body.outcome; MountPoint = $mountPoint; KeyProtectorIds = $ids; Destination = $Body.destination }
}

function Format-BkbAuditMessage {
    # "Backing up 1 recovery key of C: to Microsoft Entra ID succeeded. Key IDs: {…}.", from the checked entry alone.
    param($Entry)
    $action = $script:AuditActions[$Entry.Action]
    $count = $Entry.KeyProtectorIds.Count
    $keys = if ($count -eq 0) { 'a recovery key' } elseif ($count -eq 1) { '1 recovery key' } else { "$count recovery keys" }
    $text = $action.Verb + ' ' + $keys
    if ($null -ne $Entry.MountPoint) { $text += ' ' + $action.Drive + ' ' + $Entry.MountPoint }
    if ($null -ne $Entry.Destination) { $text += ' to ' + $script:AuditDestinations[$Entry.Destination] }
    $ids = if ($count -eq 0) { 'none' } else { $Entry.KeyProtectorIds -join ', ' }
    $text + ' ' + $script:AuditOutcomes[$Entry.Outcome] + '. Key IDs: ' + $ids + '.'
}

function Write-BkbAuditEvent {
    <#
    .SYNOPSIS
        Writes one entry of the audit trail to the Application log under the app's event source (Write-EventLog).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {action: "backup"|"add"|"remove"|"reveal", outcome: "succeeded"|"partial"|"failed", mountPoint: "C:"|null, keyProtectorIds: ["{GUID}", at most 64], destination: "entra"|"activeDirectory"|"microsoftAccount"|"file"|"usb"|"pdf"|"print"|null}.
    .OUTPUTS
        One JSON line. data: {written: bool}. Event id 1000 backup, 1001 add, 1002 remove, 1003 reveal; entry type
        Information for a success, Warning for a partial or failed action and for every reveal. The message is worded
        here from the checked fields only ("Backing up 1 recovery key of C: to Microsoft Entra ID succeeded. Key IDs:
        {GUID}."); destination is given for a backup and only for one. written is false, and nothing is written,
        where the installer registered no source (the portable build), and false when the log refuses the entry: the
        action it records stands either way. Needs no administrator rights.
        Errors: InvalidArgument (any field shaped like a recovery password, or outside its set), CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'action', 'outcome', 'mountPoint', 'keyProtectorIds', 'destination' -Handler {
        param($Body)
        $entry = Read-BkbAuditEntry -Body $Body
        if (-not (Test-BkbAuditSource)) { return [ordered]@{ written = $false } }
        $entryType = 'Information'
        if ($entry.Outcome -cne 'succeeded' -or $entry.Action -ceq 'reveal') { $entryType = 'Warning' }
        try {
            # Windows PowerShell 5.1's cmdlet (the shipped host); PowerShell 7 has none, which also ends in written false.
            Write-EventLog -LogName $script:AuditLog -Source $script:AuditSource -EventId $script:AuditActions[$entry.Action].EventId -EntryType $entryType -Message (Format-BkbAuditMessage -Entry $entry) -ErrorAction Stop
        }
        catch {
            return [ordered]@{ written = $false }
        }
        [ordered]@{ written = $true }
    }
}

function Get-BkbAuditEvents {
    <#
    .SYNOPSIS
        The app's own audit entries from the Application log since a time: what an auditor, or a test, reads back.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {since: ISO 8601 time}.
    .OUTPUTS
        One JSON line. data: {events: [{id: int, time: UTC ISO 8601, message: string}]} oldest first, the entries of
        the event source 'BitLocker Key Backup' only. The message is Windows' wording of the entry, or where Windows
        cannot word it (no message file) the entry's own text. None, or no source registered, is an empty list.
        Errors: InvalidArgument, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'since' -Handler {
        param($Body)
        $since = Read-BkbTime -Value $Body.since
        if (-not (Test-BkbAuditSource)) { return [ordered]@{ events = @() } }
        $records = @(Get-BkbLogRecords -Query @{ FilterHashtable = @{ LogName = $script:AuditLog; ProviderName = $script:AuditSource; StartTime = $since.ToLocalTime() } })
        $events = [System.Collections.Generic.List[object]]::new()
        foreach ($record in ($records | Sort-Object -Property TimeCreated, RecordId)) {
            if ($null -eq $record.TimeCreated) { continue }
            $message = [string]$record.Message
            if (-not $message) { $message = [string](@($record.Properties)[0].Value) }
            $events.Add([ordered]@{ id = [int]$record.Id; time = ConvertTo-BkbEventTime -Record $record; message = Protect-BkbText -Text $message })
        }
        [ordered]@{ events = $events.ToArray() }
    }
}

function Add-BkbRecoveryPassword {
    <#
    .SYNOPSIS
        Adds a recovery password that Windows generates to an unlocked volume (ProtectKeyWithNumericalPassword).
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:"}.
    .OUTPUTS
        One JSON line. data: {keyProtectorId: "{GUID}"}: the new protector's id only. No password is given to Windows
        (it generates one) and none is read: the backup that follows reads it with Get-BkbRecoveryPassword. Windows
        logs event 775.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked (0x80310000),
        PolicyForbids (0x8031005C Group Policy does not allow recovery passwords, 0x80310037 FIPS compliance
        forbids them), CmdletFailed (with the HRESULT).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        Assert-BkbBitLockerReady -Activity 'Adding a recovery password'
        $volume = Get-BkbUnlockedVolume -MountPoint $mountPoint
        try {
            $added = Invoke-BkbVolumeMethod -Volume $volume -MethodName 'ProtectKeyWithNumericalPassword' -MountPoint $mountPoint
        }
        catch {
            $hresult = $_.Exception.Data['BkbHResult']
            if ($null -ne $hresult -and $script:RecoveryPasswordRefusals.ContainsKey($hresult)) {
                throw (New-BkbFault -Code 'PolicyForbids' -Message $script:RecoveryPasswordRefusals[$hresult] -HResult $hresult)
            }
            throw
        }
        $keyProtectorId = ConvertTo-BkbProtectorId -Value $added.VolumeKeyProtectorID
        if (-not $keyProtectorId) {
            throw (New-BkbFault -Code 'CmdletFailed' -Message "Windows added a recovery password to drive $mountPoint but did not say which one.")
        }
        [ordered]@{ keyProtectorId = $keyProtectorId }
    }
}

function Remove-BkbRecoveryPassword {
    <#
    .SYNOPSIS
        Removes one recovery password from an unlocked volume (DeleteKeyProtector), never the volume's last one.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:", keyProtectorId: "{GUID}"}.
    .OUTPUTS
        One JSON line. data: {removed: true}. Only a RecoveryPassword protector of that volume is removed, and only
        while the volume has another (GetKeyProtectors of type 3): a drive is never left without a recovery password,
        whatever the caller checked. Reads no password. Windows logs event 776.
        Errors: InvalidArgument, NotElevated, BitLockerModuleMissing, VolumeNotFound, VolumeLocked (0x80310000),
        ProtectorNotFound, LastRecoveryPassword, CmdletFailed (with the HRESULT).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint', 'keyProtectorId' -Handler {
        param($Body)
        $mountPoint = Read-BkbMountPoint -Value $Body.mountPoint
        $keyProtectorId = Read-BkbProtectorId -Value $Body.keyProtectorId
        Assert-BkbBitLockerReady -Activity 'Removing a recovery password'
        $protector = Get-BkbRecoveryProtector -MountPoint $mountPoint -KeyProtectorId $keyProtectorId
        $recovery = Invoke-BkbVolumeMethod -Volume $protector.Volume -MethodName 'GetKeyProtectors' -Arguments @{ KeyProtectorType = [uint32]$script:NumericalPasswordType } -MountPoint $mountPoint
        $others = @($recovery.VolumeKeyProtectorID | Where-Object { (ConvertTo-BkbProtectorId -Value $_) -and (ConvertTo-BkbProtectorId -Value $_) -ne $keyProtectorId })
        if ($others.Count -eq 0) {
            throw (New-BkbFault -Code 'LastRecoveryPassword' -Message "This is the only recovery password of drive $mountPoint, so it stays: a drive must always keep one. Add a new one first.")
        }
        $null = Invoke-BkbVolumeMethod -Volume $protector.Volume -MethodName 'DeleteKeyProtector' -Arguments @{ VolumeKeyProtectorID = $protector.KeyProtectorId } -MountPoint $mountPoint
        [ordered]@{ removed = $true }
    }
}

function Open-BkbBitLockerPanel {
    <#
    .SYNOPSIS
        Opens Windows' own BitLocker panel, the only supported way to save a key to a Microsoft account; on
        Windows Home, which has no such panel, Settings' Device encryption page.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {mountPoint: "C:"}.
    .OUTPUTS
        One JSON line. data: {opened: true, page: 'deviceEncryption' when the EditionID starts with 'Core'
        (Home: ms-settings:deviceencryption), else 'bitLockerPanel' (control.exe /name
        Microsoft.BitLockerDriveEncryption)}. Events 828/829/830/831 (Get-BkbBackupEvents) tell what the user did.
        Errors: InvalidArgument, CmdletFailed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'mountPoint' -Handler {
        param($Body)
        $null = Read-BkbMountPoint -Value $Body.mountPoint
        $edition = Get-BkbEditionId
        if ($edition -and $edition.StartsWith('Core', [System.StringComparison]::OrdinalIgnoreCase)) {
            Start-Process -FilePath 'ms-settings:deviceencryption' -ErrorAction Stop
            return [ordered]@{ opened = $true; page = 'deviceEncryption' }
        }
        $control = [System.IO.Path]::Combine($env:SystemRoot, 'System32', 'control.exe')
        Start-Process -FilePath $control -ArgumentList '/name', 'Microsoft.BitLockerDriveEncryption' -ErrorAction Stop
        [ordered]@{ opened = $true; page = 'bitLockerPanel' }
    }
}

function Start-BkbElevated {
    <#
    .SYNOPSIS
        Starts the app again as administrator (Start-Process -Verb RunAs); the caller then quits.
    .PARAMETER Request
        Base64 of the UTF-8 JSON {arguments: string[]}.
    .OUTPUTS
        One JSON line. data: {started: true}. The program started is always the app's own: the executable of
        the process that owns this PowerShell (Win32_Process ParentProcessId, then its ExecutablePath), never a
        path from the request. Each argument reaches the new process exactly as given.
        Errors: InvalidArgument, CmdletFailed (the app's own program is not an existing absolute .exe path;
        hresult 0x800704C7 when the user cancels the UAC prompt).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Request)
    Invoke-BkbCall -Request $Request -Fields 'arguments' -Handler {
        param($Body)
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
        $executable = Get-BkbAppExecutable

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

if ($script:SystemModules) { Import-BkbSystemModules }

Export-ModuleMember -Function @(
    'Get-BkbEnvironment',
    'Get-BkbVolumes',
    'Get-BkbRecoveryPassword',
    'Get-BkbPathInfo',
    'Get-BkbVolumeRoot',
    'Backup-BkbToEntra',
    'Backup-BkbToActiveDirectory',
    'Get-BkbBackupEvents',
    'Get-BkbKeyHistory',
    'Add-BkbRecoveryPassword',
    'Remove-BkbRecoveryPassword',
    'Open-BkbBitLockerPanel',
    'Start-BkbElevated',
    'Write-BkbAuditEvent',
    'Get-BkbAuditEvents'
)
