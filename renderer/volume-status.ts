/**
 * What a volume means to the user, derived from Get-BitLockerVolume's fields: its group, a plain status,
 * its recovery passwords and whether "Back up your recovery key" is possible. Pure: no store, no DOM.
 */
import type { VolumeT } from '../preload/contract';
import { strings } from './strings';

export type DriveGroup = VolumeT['driveType'];

/** The order Windows' BitLocker control panel lists its groups in. */
export const groupOrder: readonly DriveGroup[] = ['OperatingSystem', 'Fixed', 'Removable'];

export type DriveStatus =
  | { kind: 'on' | 'off' | 'locked' | 'suspended' | 'waitingForActivation' | 'unknown' }
  | { kind: 'encrypting' | 'decrypting' | 'encryptionPaused' | 'decryptionPaused'; percent: number | null };

export type CannotBackUpReason = keyof typeof strings.drives.cannotBackUp;

export type BackupAvailability = { possible: true } | { possible: false; reason: CannotBackUpReason };

export interface RecoveryKeyRef {
  keyProtectorId: string;
  /** The first 8 characters of the GUID, which recovery screens and helpdesks ask for. */
  shortId: string;
}

/** The volume states in which every sector is encrypted (wiping free space changes nothing about that). */
const fullyEncrypted: ReadonlySet<VolumeT['volumeStatus']> = new Set([
  'FullyEncrypted',
  'FullyEncryptedWipeInProgress',
  'FullyEncryptedWipeSuspended',
]);

export function shortProtectorId(keyProtectorId: string): string {
  return keyProtectorId.replace(/^\{/, '').slice(0, 8).toUpperCase();
}

/** The whole identifier as recovery screens print it: upper case, without braces. */
export function fullProtectorId(keyProtectorId: string): string {
  return keyProtectorId.replace(/[{}]/g, '').toUpperCase();
}

/** Every RecoveryPassword protector, in the order Windows lists them: a drive may have several. */
export function recoveryKeys(volume: VolumeT): RecoveryKeyRef[] {
  return volume.keyProtectors
    .filter((p) => p.keyProtectorType === 'RecoveryPassword')
    .map((p) => ({ keyProtectorId: p.keyProtectorId, shortId: shortProtectorId(p.keyProtectorId) }));
}

/**
 * Device encryption's clear-key state: the data is encrypted but the key sits unprotected on the disk
 * until a recovery key is backed up. Protection is Off and nothing but recovery passwords (or nothing
 * at all) protects the key. With a TPM or other protector present, Off means suspended instead.
 */
function awaitsActivation(volume: VolumeT): boolean {
  return volume.protectionStatus === 'Off' && volume.keyProtectors.every((p) => p.keyProtectorType === 'RecoveryPassword');
}

function floorPercent(value: number | null): number | null {
  return value === null ? null : Math.floor(value);
}

/** How far decryption has got: Windows reports the share still encrypted. */
function decryptedPercent(volume: VolumeT): number | null {
  return volume.encryptionPercentage === null ? null : Math.floor(100 - volume.encryptionPercentage);
}

export function driveStatus(volume: VolumeT): DriveStatus {
  if (volume.lockStatus === 'Locked') return { kind: 'locked' };
  const status = volume.volumeStatus;
  if (status === null) return { kind: 'unknown' };
  if (fullyEncrypted.has(status)) {
    if (volume.protectionStatus !== 'Off') return { kind: 'on' };
    return { kind: awaitsActivation(volume) ? 'waitingForActivation' : 'suspended' };
  }
  switch (status) {
    case 'FullyDecrypted':
      return { kind: 'off' };
    case 'EncryptionInProgress':
      return awaitsActivation(volume)
        ? { kind: 'waitingForActivation' }
        : { kind: 'encrypting', percent: floorPercent(volume.encryptionPercentage) };
    case 'EncryptionSuspended':
      return { kind: 'encryptionPaused', percent: floorPercent(volume.encryptionPercentage) };
    case 'DecryptionInProgress':
      return { kind: 'decrypting', percent: decryptedPercent(volume) };
    case 'DecryptionSuspended':
      return { kind: 'decryptionPaused', percent: decryptedPercent(volume) };
    default:
      return { kind: 'unknown' };
  }
}

export function statusText(status: DriveStatus): string {
  const text = strings.drives.status;
  switch (status.kind) {
    case 'encrypting':
    case 'decrypting':
    case 'encryptionPaused':
    case 'decryptionPaused':
      return text[status.kind](status.percent);
    default:
      return text[status.kind];
  }
}

/** Locked first (nothing is readable), then BitLocker off, then a drive without a recovery password. */
export function backupAvailability(volume: VolumeT): BackupAvailability {
  if (volume.lockStatus === 'Locked') return { possible: false, reason: 'locked' };
  if (volume.volumeStatus === 'FullyDecrypted') return { possible: false, reason: 'bitLockerOff' };
  if (recoveryKeys(volume).length === 0) return { possible: false, reason: 'noRecoveryPassword' };
  return { possible: true };
}

export interface VolumeGroup {
  group: DriveGroup;
  volumes: VolumeT[];
}

/** Non-empty groups in Windows' order, each sorted by drive letter. */
export function groupVolumes(volumes: readonly VolumeT[]): VolumeGroup[] {
  const byLetter = [...volumes].sort((a, b) => a.mountPoint.toUpperCase().localeCompare(b.mountPoint.toUpperCase()));
  return groupOrder
    .map((group) => ({ group, volumes: byLetter.filter((v) => v.driveType === group) }))
    .filter((g) => g.volumes.length > 0);
}

/** What File Explorer would call the drive: its label, or "Local Disk"/"USB Drive" when it has none. */
export function driveLabel(volume: VolumeT): string {
  return volume.label === null || volume.label.trim() === '' ? strings.drives.defaultLabel[volume.driveType] : volume.label;
}

export interface VolumeSummary {
  label: string;
  status: DriveStatus;
  recoveryKeys: RecoveryKeyRef[];
  backup: BackupAvailability;
}

export function describeVolume(volume: VolumeT): VolumeSummary {
  return {
    label: driveLabel(volume),
    status: driveStatus(volume),
    recoveryKeys: recoveryKeys(volume),
    backup: backupAvailability(volume),
  };
}
