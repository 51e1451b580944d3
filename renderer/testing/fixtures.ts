import type { BackupOptionsT, BackupOutcomeT, BackupReportT, EnvironmentT } from '../../preload/contract';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../../tests/support/volumes';

export { RECOVERY, RECOVERY_2, TPM, volume };

export function environment(overrides: Partial<EnvironmentT> = {}): EnvironmentT {
  return {
    computerName: 'DESKTOP-4Q7R2LM',
    elevated: true,
    edition: 'Professional',
    entraJoined: false,
    domainJoined: false,
    domainName: null,
    tenantName: null,
    bitLockerModule: true,
    simulated: false,
    scenarioName: null,
    ...overrides,
  };
}

type UsbDriveT = BackupOptionsT['usbDrives'][number];

/** A USB stick that can take the key file. */
export function usbDrive(overrides: Partial<UsbDriveT> = {}): UsbDriveT {
  return { mountPoint: 'F:', label: 'USB DISK', freeSpaceBytes: 14.2 * 1024 ** 3, usable: true, reason: null, ...overrides };
}

/** A home PC: Microsoft account, USB, file and print offered; Entra ID and Active Directory not. */
export function backupOptions(overrides: Partial<BackupOptionsT> = {}): BackupOptionsT {
  return {
    mountPoint: 'C:',
    protectors: [RECOVERY],
    destinations: [
      { kind: 'microsoftAccount', available: true, reason: null },
      { kind: 'entra', available: false, reason: 'NotEntraJoined' },
      { kind: 'activeDirectory', available: false, reason: 'NotDomainJoined' },
      { kind: 'usb', available: true, reason: null },
      { kind: 'file', available: true, reason: null },
      { kind: 'print', available: true, reason: null },
    ],
    usbDrives: [usbDrive()],
    ...overrides,
  };
}

/** The name Windows gives a recovery key file. */
export function keyFileName(keyProtectorId: string): string {
  return `BitLocker Recovery Key ${keyProtectorId.replace(/[{}]/g, '').toUpperCase()}.TXT`;
}

export const STARTED_AT = '2025-03-14T09:41:00.000Z';

export function outcome(overrides: Partial<BackupOutcomeT> = {}): BackupOutcomeT {
  return { keyProtectorId: RECOVERY.keyProtectorId, status: 'verified', path: `E:\\${keyFileName(RECOVERY.keyProtectorId)}`, event: null, error: null, ...overrides };
}

export function report(overrides: Partial<BackupReportT> = {}): BackupReportT {
  return { mountPoint: 'C:', destination: 'file', startedAt: STARTED_AT, outcomes: [outcome()], ...overrides };
}
