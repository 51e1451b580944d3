import { vi } from 'vitest';
import type {
  AppErrorT,
  BackupOptionsT,
  BitLockerApi,
  EnvironmentT,
  EventPayloadOf,
  RequestOf,
  ResponseOf,
  Result,
  SessionStateT,
  VolumeT,
} from '../../preload/contract';
import { backupOptions, environment as defaultEnvironment, keyFileName, volume } from './fixtures';

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(code: AppErrorT['code'], message = 'It failed.', hresult: string | null = null): Result<never> {
  return { ok: false, error: { code, message, hresult } };
}

type SessionListener = Parameters<BitLockerApi['onSessionState']>[0];
type ProgressListener = Parameters<BitLockerApi['onBackupProgress']>[0];

/** The event each store confirms a backup with (bitlocker.md §2). */
const confirmingEvent = { entra: 845, activeDirectory: 784, microsoftAccount: 828 } as const;
export const CONFIRMED_AT = '2025-03-14T09:41:07.000Z';

/** What a backup that went well reports: files verified, paper printed, escrow confirmed. */
export function successfulReport(request: RequestOf<'backup:run'>): ResponseOf<'backup:run'> {
  const { destination } = request;
  const outcomes = request.keyProtectorIds.map((keyProtectorId, i) => {
    switch (destination.kind) {
      case 'file':
        return { keyProtectorId, status: 'verified' as const, path: destination.paths[i]?.path ?? null, event: null, error: null };
      case 'pdf':
        return { keyProtectorId, status: 'verified' as const, path: destination.path, event: null, error: null };
      case 'usb':
        return { keyProtectorId, status: 'verified' as const, path: `${destination.target}\\${keyFileName(keyProtectorId)}`, event: null, error: null };
      case 'print':
        return { keyProtectorId, status: 'printed' as const, path: null, event: null, error: null };
      default:
        return { keyProtectorId, status: 'confirmed' as const, path: null, event: { id: confirmingEvent[destination.kind], time: CONFIRMED_AT }, error: null };
    }
  });
  return { mountPoint: request.mountPoint, destination: destination.kind, startedAt: '2025-03-14T09:41:00.000Z', outcomes };
}

/**
 * Installs a `window.bitlocker` whose methods are spies answering a healthy PC by default; override one
 * call with `fake.listVolumes.mockResolvedValueOnce(fail('HostCrashed'))`. `emitSession` and
 * `emitProgress` play main's events.
 */
export function installFakeBridge(pc: { environment?: EnvironmentT; volumes?: VolumeT[]; backupOptions?: BackupOptionsT } = {}) {
  const sessionListeners = new Set<SessionListener>();
  const progressListeners = new Set<ProgressListener>();
  const fake = {
    getEnvironment: vi.fn<BitLockerApi['getEnvironment']>(async () => ok(pc.environment ?? defaultEnvironment())),
    listVolumes: vi.fn<BitLockerApi['listVolumes']>(async () => ok({ volumes: pc.volumes ?? [volume()] })),
    retrySession: vi.fn<BitLockerApi['retrySession']>(async () => ok({ state: 'ready' })),
    restartElevated: vi.fn<BitLockerApi['restartElevated']>(async () => ok({ restarting: true })),
    getBackupOptions: vi.fn<BitLockerApi['getBackupOptions']>(async ({ mountPoint }) => {
      if (pc.backupOptions !== undefined) return ok(pc.backupOptions);
      const drive = (pc.volumes ?? [volume()]).find((v) => v.mountPoint === mountPoint);
      const protectors = drive?.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
      return ok(backupOptions({ mountPoint, ...(protectors === undefined ? {} : { protectors }) }));
    }),
    chooseFile: vi.fn<BitLockerApi['chooseFile']>(async ({ keyProtectorIds, format }) =>
      ok({
        cancelled: false as const,
        targets:
          format === 'pdf'
            ? [{ keyProtectorId: null, path: 'E:\\BitLocker Recovery Keys.pdf', exists: false }]
            : keyProtectorIds.map((keyProtectorId) => ({ keyProtectorId, path: `E:\\${keyFileName(keyProtectorId)}`, exists: false })),
      }),
    ),
    runBackup: vi.fn<BitLockerApi['runBackup']>(async (request) => ok(successfulReport(request))),
    checkBackup: vi.fn<BitLockerApi['checkBackup']>(async (request) =>
      ok(successfulReport({ mountPoint: request.mountPoint, keyProtectorIds: request.keyProtectorIds, destination: { kind: request.destination } })),
    ),
    stopWaiting: vi.fn<BitLockerApi['stopWaiting']>(async () => ok({ stopped: true })),
    onSessionState: vi.fn<BitLockerApi['onSessionState']>((listener) => {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    }),
    onBackupProgress: vi.fn<BitLockerApi['onBackupProgress']>((listener) => {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    }),
    emitSession(state: SessionStateT) {
      for (const listener of sessionListeners) listener({ state });
    },
    emitProgress(progress: Partial<EventPayloadOf<'backup:progress'>> & Pick<EventPayloadOf<'backup:progress'>, 'stage'>) {
      for (const listener of progressListeners) listener({ keyProtectorId: null, waitedMs: null, waitLimitMs: null, ...progress });
    },
  };
  window.bitlocker = fake;
  return fake;
}

/** A promise the test settles by hand, to look at the page while a call is still running. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
