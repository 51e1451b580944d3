import { vi } from 'vitest';
import type {
  AppErrorT,
  BackupOptionsT,
  BitLockerApi,
  EnvironmentT,
  EventPayloadOf,
  KeyStatusReportT,
  RequestOf,
  ResponseOf,
  Result,
  SessionStateT,
  VolumeT,
} from '../../preload/contract';
import { backupOptions, directoryOf, environment as defaultEnvironment, keyFileName, keyStatusReport, NEW_KEY, volume } from './fixtures';

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

type ChosenTargets = Extract<ResponseOf<'backup:chooseFile'>, { cancelled: false }>['targets'];
/** The places each fake Save dialog answer stands for, by token, as main keeps them. */
const chosenPlaces = new Map<string, ChosenTargets>();

/** Answers as main's Save dialog does: the places, and the token that names them. */
export function chosenFile(targets: ChosenTargets) {
  const token = String(chosenPlaces.size + 1).padStart(43, 'T');
  chosenPlaces.set(token, targets);
  return { cancelled: false as const, token, targets };
}

/** What a backup that went well reports: files verified, paper printed, escrow confirmed. */
export function successfulReport(request: RequestOf<'backup:run'>): ResponseOf<'backup:run'> {
  const { destination } = request;
  const outcomes = request.keyProtectorIds.map((keyProtectorId, i) => {
    switch (destination.kind) {
      case 'file':
        return { keyProtectorId, status: 'verified' as const, path: chosenPlaces.get(destination.token)?.[i]?.path ?? null, event: null, error: null };
      case 'pdf':
        return { keyProtectorId, status: 'verified' as const, path: chosenPlaces.get(destination.token)?.[0]?.path ?? null, event: null, error: null };
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
export function installFakeBridge(
  pc: { environment?: EnvironmentT; volumes?: VolumeT[]; backupOptions?: BackupOptionsT; keyStatus?: KeyStatusReportT } = {},
) {
  const sessionListeners = new Set<SessionListener>();
  const progressListeners = new Set<ProgressListener>();
  const env = pc.environment ?? defaultEnvironment();
  /** The PC's drives: keys:add and keys:removeOld change them, as they change the real drive. */
  let volumes = pc.volumes ?? [volume()];
  const changeProtectors = (mountPoint: string, change: (protectors: VolumeT['keyProtectors']) => VolumeT['keyProtectors']) => {
    volumes = volumes.map((v) => (v.mountPoint === mountPoint ? { ...v, keyProtectors: change(v.keyProtectors) } : v));
  };
  const currentStatus = () => pc.keyStatus ?? keyStatusReport(volumes, env);
  const fake = {
    getEnvironment: vi.fn<BitLockerApi['getEnvironment']>(async () => ok(env)),
    listVolumes: vi.fn<BitLockerApi['listVolumes']>(async () => ok({ volumes })),
    retrySession: vi.fn<BitLockerApi['retrySession']>(async () => ok({ state: 'ready' })),
    restartElevated: vi.fn<BitLockerApi['restartElevated']>(async () => ok({ restarting: true })),
    getBackupOptions: vi.fn<BitLockerApi['getBackupOptions']>(async ({ mountPoint }) => {
      if (pc.backupOptions !== undefined) return ok(pc.backupOptions);
      const drive = volumes.find((v) => v.mountPoint === mountPoint);
      const protectors = drive?.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
      return ok(backupOptions({ mountPoint, ...(protectors === undefined ? {} : { protectors }) }));
    }),
    chooseFile: vi.fn<BitLockerApi['chooseFile']>(async ({ keyProtectorIds, format }) =>
      ok(
        chosenFile(
          format === 'pdf'
            ? [{ keyProtectorId: null, path: 'E:\\BitLocker Recovery Keys.pdf', exists: false }]
            : keyProtectorIds.map((keyProtectorId) => ({ keyProtectorId, path: `E:\\${keyFileName(keyProtectorId)}`, exists: false })),
        ),
      ),
    ),
    runBackup: vi.fn<BitLockerApi['runBackup']>(async (request) => ok(successfulReport(request))),
    checkBackup: vi.fn<BitLockerApi['checkBackup']>(async (request) =>
      ok(successfulReport({ mountPoint: request.mountPoint, keyProtectorIds: request.keyProtectorIds, destination: { kind: request.destination } })),
    ),
    stopWaiting: vi.fn<BitLockerApi['stopWaiting']>(async () => ok({ stopped: true })),
    getLeftoverCopies: vi.fn<BitLockerApi['getLeftoverCopies']>(async () => ok({ removed: [], remaining: [] })),
    getKeyStatus: vi.fn<BitLockerApi['getKeyStatus']>(async () => ok(currentStatus())),
    /** Sends every key the status says is not in the directory, each confirmed by its event; refused without a directory. */
    backupMissing: vi.fn<BitLockerApi['backupMissing']>(async () => {
      const destination = directoryOf(env);
      if (destination === null) return fail('EntraNotJoined', 'This PC is not joined to Microsoft Entra ID.');
      const reports = currentStatus()
        .drives.map((d) => ({ mountPoint: d.mountPoint, ids: d.keys.filter((k) => !k.inDirectory).map((k) => k.keyProtectorId) }))
        .filter((d) => d.ids.length > 0)
        .map(({ mountPoint, ids: [first, ...rest] }) =>
          successfulReport({ mountPoint, keyProtectorIds: [first ?? '', ...rest], destination: { kind: destination } }),
        );
      return ok({ destination, reports });
    }),
    addRecoveryPassword: vi.fn<BitLockerApi['addRecoveryPassword']>(async ({ mountPoint }) => {
      changeProtectors(mountPoint, (protectors) => [...protectors, NEW_KEY]);
      return ok({ keyProtectorId: NEW_KEY.keyProtectorId });
    }),
    removeOldKey: vi.fn<BitLockerApi['removeOldKey']>(async ({ mountPoint, keyProtectorId }) => {
      changeProtectors(mountPoint, (protectors) => protectors.filter((p) => p.keyProtectorId !== keyProtectorId));
      return ok({ removed: true as const });
    }),
    /** A folder holding one current key file per recovery password of this PC. */
    checkSavedKeys: vi.fn<BitLockerApi['checkSavedKeys']>(async () =>
      ok({
        cancelled: false as const,
        folder: 'E:\\',
        truncated: false,
        files: volumes.flatMap((v) =>
          v.keyProtectors
            .filter((p) => p.keyProtectorType === 'RecoveryPassword')
            .map((p) => ({ name: keyFileName(p.keyProtectorId), keyProtectorId: p.keyProtectorId, mountPoint: v.mountPoint, verdict: 'current' as const })),
        ),
      }),
    ),
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
