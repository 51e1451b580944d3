/** The simulated PC's volumes as the module reports them, and the lookups its functions share. */
import fs from 'node:fs';
import type { VolumeT } from '../../preload/contract';
import { optionalText } from './join-state';
import { hasDriveLetter } from './mount-points';
import { sameName } from './names';
import { refuse } from './requests';
import type { ScenarioVolumeT } from './scenario';

const BYTES_PER_GB = 1024 ** 3; // Get-Volume's Size in GiB, as the module reports capacityGB

/**
 * The volume status the module reads: Win32_EncryptableVolume's ConversionStatus knows no wipe states (those
 * are its WipingStatus, which the module does not read), so a volume wiping free space is FullyEncrypted.
 */
const conversionStatus = (status: ScenarioVolumeT['volumeStatus']): VolumeT['volumeStatus'] =>
  status === 'FullyEncryptedWipeInProgress' || status === 'FullyEncryptedWipeSuspended' ? 'FullyEncrypted' : status;

/**
 * A lettered volume as Get-BkbVolumes reports it: no passwords; status, percentage and free space unknown while
 * locked; label and file system as Get-Volume gives them (trimmed, null when empty); capacity in GiB to 2 places;
 * the percentage a whole number (GetConversionStatus's EncryptionPercentage is a uint32).
 */
export function listedVolume(v: ScenarioVolumeT): VolumeT {
  const locked = v.lockStatus === 'Locked';
  return {
    mountPoint: v.mountPoint.toUpperCase(),
    label: optionalText(v.label),
    driveType: v.driveType,
    capacityGB: v.capacityGB === null || v.capacityGB <= 0 ? null : Math.round(v.capacityGB * 100) / 100,
    fileSystem: locked ? null : optionalText(v.fileSystem),
    volumeStatus: locked ? null : conversionStatus(v.volumeStatus),
    protectionStatus: v.protectionStatus,
    lockStatus: v.lockStatus,
    encryptionMethod: v.encryptionMethod,
    encryptionPercentage: locked || v.encryptionPercentage === null ? null : Math.min(100, Math.max(0, Math.floor(v.encryptionPercentage))),
    keyProtectors: v.keyProtectors.map(({ keyProtectorId, keyProtectorType }) => ({ keyProtectorId: keyProtectorId.toUpperCase(), keyProtectorType })),
    freeSpaceBytes: locked ? null : freeSpaceBytes(v),
  };
}

/**
 * Free space as the scenario gives it; else, for a drive standing in a host folder, the drive's own: its capacity
 * less the bytes its folder holds, never below 0 (the host disk's free space says nothing about a 16 GB stick);
 * else unknown. The fake Windows' Get-Volume reports exactly this (tests/fake-windows, Get-FakeFreeBytes).
 */
function freeSpaceBytes(v: ScenarioVolumeT): number | null {
  if (v.freeSpaceGB !== undefined) return Math.round(v.freeSpaceGB * BYTES_PER_GB);
  if (v.root === undefined) return null;
  const capacity = v.capacityGB === null || v.capacityGB <= 0 ? 0 : Math.round(v.capacityGB * BYTES_PER_GB);
  return Math.max(0, capacity - bytesIn(v.root));
}

/** The size of every file below `dir` (hidden ones too; links are not followed). */
function bytesIn(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) total += bytesIn(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** The volume with this drive letter (a volume without one cannot be asked for), or null. */
export function volumeAt(volumes: ScenarioVolumeT[], mountPoint: string): ScenarioVolumeT | null {
  return volumes.find((v) => hasDriveLetter(v.mountPoint) && sameName(v.mountPoint, mountPoint)) ?? null;
}

/** Get-BkbUnlockedVolume: the unlocked volume at a drive letter, or the module's refusal. */
export function unlockedVolume(volumes: ScenarioVolumeT[], mountPoint: string): ScenarioVolumeT {
  const volume = volumeAt(volumes, mountPoint);
  if (!volume) return refuse('VolumeNotFound', `There is no BitLocker volume ${mountPoint} on this PC.`, '0x80070490');
  if (volume.lockStatus === 'Locked') return refuse('VolumeLocked', `Drive ${mountPoint} is locked. Unlock it first.`, '0x80310000');
  return volume;
}

/** Get-BkbRecoveryProtector: the unlocked volume's RecoveryPassword protector with this id, or the module's refusal. */
export function recoveryProtector(
  volumes: ScenarioVolumeT[],
  mountPoint: string,
  keyProtectorId: string,
): { volume: ScenarioVolumeT; keyProtectorId: string; recoveryPassword: string } {
  const volume = unlockedVolume(volumes, mountPoint);
  const protector = volume.keyProtectors.find((p) => sameName(p.keyProtectorId, keyProtectorId) && p.keyProtectorType === 'RecoveryPassword');
  // An unlocked volume's recovery passwords are all readable (the scenario format makes sure of it).
  if (protector?.recoveryPassword === undefined) {
    return refuse('ProtectorNotFound', `Drive ${mountPoint} has no recovery password with the ID ${keyProtectorId}.`);
  }
  return { volume, keyProtectorId: protector.keyProtectorId, recoveryPassword: protector.recoveryPassword };
}
