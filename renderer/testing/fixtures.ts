import type { BackupOptionsT, BackupOutcomeT, BackupReportT, EnvironmentT, KeyBackupStatusT, KeyStatusReportT, VolumeT } from '../../preload/contract';
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
    intuneManaged: false,
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

/** A recovery password keys:add creates (its identifier only, as main returns it). */
export const NEW_KEY = { keyProtectorId: '{5C0FFEE0-1234-4ABC-8DEF-0123456789AB}', keyProtectorType: 'RecoveryPassword' } as const;
/** What an Entra-joined PC offers for C: once keys:add gave it a second recovery password. */
export const entraOptionsWithNewKey = backupOptions({
  protectors: [RECOVERY, NEW_KEY],
  destinations: [
    { kind: 'microsoftAccount', available: false, reason: 'OrganizationManaged' },
    { kind: 'entra', available: true, reason: null },
    { kind: 'activeDirectory', available: false, reason: 'NotDomainJoined' },
    { kind: 'usb', available: true, reason: null },
    { kind: 'file', available: true, reason: null },
    { kind: 'print', available: true, reason: null },
  ],
});
/** When Windows logged the test keys' creation (775), and the oldest event its log still holds. */
export const CREATED_AT = '2024-11-02T08:15:00.000Z';
export const LOG_STARTS_AT = '2024-06-01T00:00:00.000Z';
export const BACKED_UP_AT = '2024-11-02T08:20:00.000Z';

/** A key with nothing known about its backups yet; add the records a test is about. */
export function keyStatus(overrides: Partial<KeyBackupStatusT> = {}): KeyBackupStatusT {
  return { keyProtectorId: RECOVERY.keyProtectorId, createdAt: CREATED_AT, windows: [], app: [], summary: 'notBackedUp', inDirectory: false, ...overrides };
}

/** The directory an environment can send keys to: Entra ID first on a hybrid PC, as main decides. */
export function directoryOf(env: EnvironmentT): KeyStatusReportT['directory'] {
  if (env.entraJoined === true) return 'entra';
  return env.domainJoined ? 'activeDirectory' : null;
}

/**
 * A healthy PC's status: every recovery password of every unlocked drive backed up where the PC would put it
 * (its directory, confirmed by event; on a home PC, a key file this app saved and read back).
 */
export function keyStatusReport(volumes: readonly VolumeT[], env: EnvironmentT = environment(), overrides: Partial<KeyStatusReportT> = {}): KeyStatusReportT {
  const directory = directoryOf(env);
  const drives = volumes
    .filter((v) => v.lockStatus === 'Unlocked')
    .map((v) => ({
      mountPoint: v.mountPoint,
      keys: v.keyProtectors
        .filter((p) => p.keyProtectorType === 'RecoveryPassword')
        .map(({ keyProtectorId }) =>
          directory === null
            ? keyStatus({ keyProtectorId, summary: 'backedUp', app: [{ place: 'file', path: `E:\\${keyFileName(keyProtectorId)}`, at: BACKED_UP_AT, verified: true }] })
            : keyStatus({
                keyProtectorId,
                summary: 'backedUp',
                inDirectory: true,
                windows: [{ place: directory, eventId: directory === 'entra' ? 845 : 784, at: BACKED_UP_AT, alreadyPresent: false }],
              }),
        ),
      removedKeys: [],
    }));
  return { drives, warnings: [], logStartsAt: LOG_STARTS_AT, directory, ...overrides };
}
