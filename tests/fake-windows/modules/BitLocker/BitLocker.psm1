<#
    The three commands of Windows' BitLocker module that matter here, answering from tests/fake-windows (FakeWindows
    module): the backups act on its scenario and state; Get-BitLockerVolume returns what Microsoft's returns, every
    recovery password of every unlocked volume included (bitlocker.md §7). Errors are thrown as Microsoft's module
    throws them: the exception carries the HRESULT (e.g. COMException 0x801C0450 on a PC not joined to Entra ID),
    and S_FALSE from AD DS backup (policy forbids it) is a bare Write-Error.
#>

Set-StrictMode -Version 3.0

# Real .NET types, as Microsoft's module returns them (in Microsoft.BitLocker.Structures). Compiled once per
# machine into the temp folder: Add-Type's compiler takes a second, loading the assembly a few milliseconds.
$script:StructuresSource = @'
namespace Microsoft.BitLocker.Structures
{
    public enum BitLockerVolumeType { OperatingSystem = 0, Data = 1 }
    public enum BitLockerVolumeStatus { FullyDecrypted = 0, FullyEncrypted = 1, EncryptionInProgress = 2, DecryptionInProgress = 3, EncryptionSuspended = 4, DecryptionSuspended = 5, FullyEncryptedWipeInProgress = 6, FullyEncryptedWipeSuspended = 7 }
    public enum BitLockerVolumeProtectionStatus { Off = 0, On = 1, Unknown = 2 }
    public enum BitLockerVolumeLockStatus { Unlocked = 0, Locked = 1 }
    public enum BitLockerVolumeEncryptionMethodOnGet { None = 0, Aes128Diffuser = 1, Aes256Diffuser = 2, Aes128 = 3, Aes256 = 4, Hardware = 5, XtsAes128 = 6, XtsAes256 = 7, Unknown = 8 }
    public enum BitLockerVolumeKeyProtectorType { Unknown = 0, Tpm = 1, ExternalKey = 2, RecoveryPassword = 3, TpmPin = 4, TpmStartupKey = 5, TpmPinStartupKey = 6, PublicKey = 7, Password = 8, TpmNetworkKey = 9, AdAccountOrGroup = 10 }

    public class BitLockerVolumeKeyProtector
    {
        public string KeyProtectorId { get; set; }
        public System.Nullable<bool> AutoUnlockProtector { get; set; }
        public BitLockerVolumeKeyProtectorType KeyProtectorType { get; set; }
        public string KeyFileName { get; set; }
        public string RecoveryPassword { get; set; }
        public string KeyCertificateType { get; set; }
        public string Thumbprint { get; set; }
        public override string ToString() { return KeyProtectorType.ToString(); }
    }

    public class BitLockerVolume
    {
        public string ComputerName { get; set; }
        public string MountPoint { get; set; }
        public System.Nullable<BitLockerVolumeEncryptionMethodOnGet> EncryptionMethod { get; set; }
        public System.Nullable<bool> AutoUnlockEnabled { get; set; }
        public System.Nullable<bool> AutoUnlockKeyStored { get; set; }
        public System.Nullable<uint> MetadataVersion { get; set; }
        public System.Nullable<BitLockerVolumeStatus> VolumeStatus { get; set; }
        public System.Nullable<BitLockerVolumeProtectionStatus> ProtectionStatus { get; set; }
        public System.Nullable<BitLockerVolumeLockStatus> LockStatus { get; set; }
        public System.Nullable<float> EncryptionPercentage { get; set; }
        public System.Nullable<float> WipePercentage { get; set; }
        public BitLockerVolumeType VolumeType { get; set; }
        public System.Nullable<float> CapacityGB { get; set; }
        public System.Collections.ObjectModel.ReadOnlyCollection<BitLockerVolumeKeyProtector> KeyProtector { get; set; }
        public override string ToString() { return MountPoint; }
    }
}
'@

function Import-BitLockerStructures {
    if ('Microsoft.BitLocker.Structures.BitLockerVolume' -as [type]) { return }
    $hash = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($script:StructuresSource))).Substring(0, 16)
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) 'bkb-fake-windows'
    $assembly = Join-Path $folder "BitLockerStructures-$hash.dll"
    if (-not [System.IO.File]::Exists($assembly)) {
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $building = "$assembly.$PID.tmp"
        Add-Type -TypeDefinition $script:StructuresSource -OutputAssembly $building -OutputType Library
        try { [System.IO.File]::Move($building, $assembly) } catch { Remove-Item -LiteralPath $building -ErrorAction SilentlyContinue }
    }
    Add-Type -Path $assembly
}

function Get-FakeWindowsModule {
    $module = Get-Module -Name FakeWindows
    if ($null -eq $module) { throw 'The fake BitLocker module needs the FakeWindows module (tests/fake-windows).' }
    $module
}

function ConvertTo-BitLockerVolume {
    param($Data)
    Import-BitLockerStructures
    $protectors = [System.Collections.Generic.List[Microsoft.BitLocker.Structures.BitLockerVolumeKeyProtector]]::new()
    foreach ($p in $Data.KeyProtector) {
        $protector = [Microsoft.BitLocker.Structures.BitLockerVolumeKeyProtector]::new()
        $protector.KeyProtectorId = $p.Id
        $protector.KeyProtectorType = $p.Type
        $protector.RecoveryPassword = $p.Password
        $protector.KeyFileName = ''
        $protector.Thumbprint = ''
        $protectors.Add($protector)
    }
    $volume = [Microsoft.BitLocker.Structures.BitLockerVolume]::new()
    $volume.ComputerName = $Data.ComputerName
    $volume.MountPoint = $Data.MountPoint
    if ($null -ne $Data.EncryptionMethod) { $volume.EncryptionMethod = $Data.EncryptionMethod } else { $volume.EncryptionMethod = 'Unknown' }
    $volume.MetadataVersion = 2
    if ($null -ne $Data.VolumeStatus) { $volume.VolumeStatus = $Data.VolumeStatus }
    if ($null -ne $Data.ProtectionStatus) { $volume.ProtectionStatus = $Data.ProtectionStatus }
    $volume.LockStatus = $Data.LockStatus
    if ($null -ne $Data.EncryptionPercentage) { $volume.EncryptionPercentage = [float]$Data.EncryptionPercentage }
    $volume.VolumeType = $Data.VolumeType
    if ($null -ne $Data.CapacityGB) { $volume.CapacityGB = [float]$Data.CapacityGB }
    $volume.KeyProtector = [System.Collections.ObjectModel.ReadOnlyCollection[Microsoft.BitLocker.Structures.BitLockerVolumeKeyProtector]]::new($protectors)
    $volume
}

function Get-BitLockerVolume {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$MountPoint)
    process {
        try {
            $data = & (Get-FakeWindowsModule) { param($m) Get-FakeBitLockerVolumeData -MountPoint $m } $MountPoint
        }
        catch {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($_.Exception, 'HRESULT,Get-BitLockerVolume', 'NotSpecified', $MountPoint))
            return
        }
        foreach ($d in @($data)) { ConvertTo-BitLockerVolume -Data $d }
    }
}

function BackupToAAD-BitLockerKeyProtector {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$MountPoint,
        [Parameter(Mandatory = $true, Position = 1)][Alias('id')][string]$KeyProtectorId
    )
    process {
        foreach ($mp in $MountPoint) {
            try {
                $null = & (Get-FakeWindowsModule) { param($m, $id) Invoke-FakeEntraBackup -MountPoint $m -KeyProtectorId $id } $mp $KeyProtectorId
            }
            catch {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($_.Exception, 'HRESULT,BackupToAAD-BitLockerKeyProtector', 'NotSpecified', $mp))
                continue
            }
            Get-BitLockerVolume -MountPoint $mp
        }
    }
}

function Backup-BitLockerKeyProtector {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$MountPoint,
        [Parameter(Mandatory = $true, Position = 1)][Alias('id')][string]$KeyProtectorId
    )
    process {
        foreach ($mp in $MountPoint) {
            try {
                $result = & (Get-FakeWindowsModule) { param($m, $id) Invoke-FakeActiveDirectoryBackup -MountPoint $m -KeyProtectorId $id } $mp $KeyProtectorId
            }
            catch {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($_.Exception, 'HRESULT,Backup-BitLockerKeyProtector', 'NotSpecified', $mp))
                continue
            }
            if ($result -eq 'PolicyForbids') {
                # S_FALSE: Microsoft's module reports it with a bare Write-Error (a WriteErrorException), no HRESULT.
                $texts = & (Get-FakeWindowsModule) { $script:Texts }
                Write-Error -Message $texts['errors']['policyForbidsAd']['message']
                continue
            }
            Get-BitLockerVolume -MountPoint $mp
        }
    }
}

Export-ModuleMember -Function 'Get-BitLockerVolume', 'BackupToAAD-BitLockerKeyProtector', 'Backup-BitLockerKeyProtector'
