/** The simulated PC's volumes as Get-BkbVolumes lists them, and the lookups the other functions share. */
import fs from 'node:fs';
import type { VolumeT } from '../../preload/contract';
import { fail, type Failure } from './envelope';
import { sameName } from './names';
import type { ScenarioVolumeT } from './scenario';

const BYTES_PER_GB = 1024 ** 3; // CapacityGB in Get-BitLockerVolume is in GiB

/** A volume as the module reports it: no passwords; status, percentage and free space unknown while locked. */
export function listedVolume(v: ScenarioVolumeT): VolumeT {
  const locked = v.lockStatus === 'Locked';
  return {
    mountPoint: v.mountPoint,
    label: v.label,
    driveType: v.driveType,
    capacityGB: v.capacityGB,
    fileSystem: v.fileSystem,
    volumeStatus: locked ? null : v.volumeStatus,
    protectionStatus: v.protectionStatus,
    lockStatus: v.lockStatus,
    encryptionMethod: v.encryptionMethod,
    encryptionPercentage: locked ? null : v.encryptionPercentage,
    keyProtectors: v.keyProtectors.map(({ keyProtectorId, keyProtectorType }) => ({ keyProtectorId, keyProtectorType })),
    freeSpaceBytes: locked ? null : freeSpaceBytes(v),
  };
}

function freeSpaceBytes(v: ScenarioVolumeT): number | null {
  if (v.freeSpaceGB !== undefined) return Math.round(v.freeSpaceGB * BYTES_PER_GB);
  if (v.root === undefined) return null;
  const stats = fs.statfsSync(v.root);
  return stats.bavail * stats.bsize;
}

export function findVolume(volumes: ScenarioVolumeT[], mountPoint: string): ScenarioVolumeT | Failure {
  return (
    volumes.find((v) => sameName(v.mountPoint, mountPoint)) ??
    fail('VolumeNotFound', `No BitLocker volume has the mount point ${mountPoint}.`, '0x80070490')
  );
}

/** The unlocked volume's RecoveryPassword protector with this id: the only kind that can be read or backed up. */
export function findRecoveryProtector(
  volumes: ScenarioVolumeT[],
  mountPoint: string,
  keyProtectorId: string,
): { volume: ScenarioVolumeT; keyProtectorId: string; recoveryPassword: string } | Failure {
  const volume = findVolume(volumes, mountPoint);
  if ('ok' in volume) return volume;
  if (volume.lockStatus === 'Locked') {
    return fail('VolumeLocked', `Volume ${volume.mountPoint} is locked. Unlock it first.`, '0x80310000');
  }
  const protector = volume.keyProtectors.find((p) => sameName(p.keyProtectorId, keyProtectorId) && p.keyProtectorType === 'RecoveryPassword');
  if (protector?.recoveryPassword === undefined) {
    return fail('ProtectorNotFound', `Volume ${volume.mountPoint} has no recovery password protector ${keyProtectorId}.`, '0x80310033');
  }
  return { volume, keyProtectorId: protector.keyProtectorId, recoveryPassword: protector.recoveryPassword };
}
