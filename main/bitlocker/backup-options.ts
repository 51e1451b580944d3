import type { BackupOptionsT, EnvironmentT, VolumeT } from '../../preload/contract';
import { AppFailure } from '../errors';

/** A key file is about 1.5 KB; ask for a little room so a nearly full stick is not offered. */
export const MIN_FREE_BYTES = 64 * 1024;

type Usb = BackupOptionsT['usbDrives'][number];
type Destination = BackupOptionsT['destinations'][number];

export function findVolume(volumes: readonly VolumeT[], mountPoint: string): VolumeT {
  const volume = volumes.find((v) => v.mountPoint.toUpperCase() === mountPoint.toUpperCase());
  if (!volume) throw new AppFailure('VolumeNotFound', `${mountPoint} is no longer available.`);
  return volume;
}

export function recoveryProtectors(volume: VolumeT): VolumeT['keyProtectors'] {
  return volume.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
}

/** Removable drives that could take a key file, each with the reason it can't where it can't. */
export function usbCandidates(volumes: readonly VolumeT[], source: string): Usb[] {
  return volumes
    .filter((v) => v.driveType === 'Removable')
    .map((v) => {
      const reason: Usb['reason'] =
        v.mountPoint.toUpperCase() === source.toUpperCase()
          ? 'SameDrive'
          : v.lockStatus === 'Locked'
            ? 'Locked'
            : v.volumeStatus !== 'FullyDecrypted'
              ? 'Encrypted'
              : v.freeSpaceBytes !== null && v.freeSpaceBytes < MIN_FREE_BYTES
                ? 'NotEnoughSpace'
                : null;
      return { mountPoint: v.mountPoint, label: v.label, freeSpaceBytes: v.freeSpaceBytes, usable: reason === null, reason };
    });
}

/** Every destination Windows offers, in its order, each available or disabled with the reason (bitlocker.md §3). */
export function destinations(environment: Pick<EnvironmentT, 'entraJoined' | 'domainJoined'>, usb: readonly Usb[]): Destination[] {
  const { entraJoined, domainJoined } = environment;
  const entry = (kind: Destination['kind'], reason: Destination['reason']): Destination => ({ kind, available: reason === null, reason });
  return [
    entry('microsoftAccount', domainJoined ? 'DomainJoined' : entraJoined === true ? 'OrganizationManaged' : null),
    // Unknown (dsregcmd gave no answer) is offered: the cmdlet itself says 0x801C0450 if the PC is not joined.
    entry('entra', entraJoined === false ? 'NotEntraJoined' : null),
    entry('activeDirectory', domainJoined ? null : 'NotDomainJoined'),
    entry('usb', usb.some((u) => u.usable) ? null : 'NoUsbDrive'),
    entry('file', null),
    entry('print', null),
  ];
}

/** What the destination step offers for one drive. A locked drive has nothing to offer until unlocked. */
export function backupOptions(environment: EnvironmentT, volumes: readonly VolumeT[], mountPoint: string): BackupOptionsT {
  const volume = findVolume(volumes, mountPoint);
  if (volume.lockStatus === 'Locked') throw new AppFailure('VolumeLocked', `${volume.mountPoint} is locked. Unlock it to back up its recovery key.`);
  const usbDrives = usbCandidates(volumes, volume.mountPoint);
  return {
    mountPoint: volume.mountPoint,
    protectors: recoveryProtectors(volume),
    destinations: destinations(environment, usbDrives),
    usbDrives,
  };
}
