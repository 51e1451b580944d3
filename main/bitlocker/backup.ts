import type { BackupDestinationT, BackupOutcomeT, BackupReportT } from '../../preload/contract';
import { AppFailure, toAppError } from '../errors';
import type { PowerShellSession } from '../powershell/session';
import { writeFileAtomically, type FsLike } from './atomic-write';
import type { TempJournal } from './temp-journal';
import { findVolume, recoveryProtectors, usbCandidates } from './backup-options';
import type { Desktop } from './desktop';
import type { PathStyle } from './location-rules';
import { checkConfirmation, escrowToDirectory, escrowViaPanel, type EscrowKind, type EscrowTimings, type Progress } from './escrow';
import { createFileChoices, type FileChoice, type FileChoices, type FileTarget } from './file-choices';
import { checkTarget, chooseFileTargets, usbTargetPath } from './file-targets';
import { bareIdentifier, formatKeyFile, parseKeyFile } from './key-file';
import { renderKeyPage } from './print-page';
import { readRecoveryKey, type RecoveryKey } from './recovery-keys';
import { listVolumes } from './volumes';

export interface BackupDeps {
  session: PowerShellSession;
  desktop: Desktop;
  pathStyle: PathStyle;
  timings: EscrowTimings;
  progress: Progress;
  /** The file system key files and PDFs are written to and read back from; node:fs/promises unless a test injects one. */
  fs?: FsLike;
  /** Where temp copies of a key are recorded while they exist (main keeps it in the user-data folder). */
  journal?: TempJournal;
  /** Set by the runner for each run: aborted when the user stops waiting for Windows' confirmation. */
  waitSignal?: AbortSignal;
  /** Where the Save dialog's answers wait for their backup; the runner keeps its own unless a test injects one (to move the clock). */
  choices?: FileChoices;
}

export interface BackupRequest {
  mountPoint: string;
  keyProtectorIds: string[];
  destination: BackupDestinationT;
}

function outcome(keyProtectorId: string, status: BackupOutcomeT['status'], path: string | null, error: unknown = null): BackupOutcomeT {
  return { keyProtectorId, status, path, event: null, error: error === null ? null : toAppError(error) };
}

/** The drive as it is now, not as it was listed: it may have been locked, or a protector removed, since. */
async function currentDrive(session: PowerShellSession, request: BackupRequest) {
  const volumes = await listVolumes(session);
  const volume = findVolume(volumes, request.mountPoint);
  if (volume.lockStatus === 'Locked') throw new AppFailure('VolumeLocked', `${volume.mountPoint} was locked. Unlock it to back up its recovery key.`);
  const known = new Set(recoveryProtectors(volume).map((p) => p.keyProtectorId.toUpperCase()));
  const missing = request.keyProtectorIds.find((id) => !known.has(id.toUpperCase()));
  if (missing) throw new AppFailure('ProtectorNotFound', `The recovery key ${bareIdentifier(missing).slice(0, 8)} no longer exists on ${volume.mountPoint}.`);
  return { volume, volumes };
}

/** One key file: place checked, key read, file written beside a temp name, read back and compared. */
async function writeKeyFile(deps: BackupDeps, mountPoint: string, keyProtectorId: string, path: string, replace: boolean): Promise<BackupOutcomeT> {
  try {
    await checkTarget(deps.session, deps.pathStyle, mountPoint, path);
    deps.progress({ keyProtectorId, stage: 'readingKey', waitedMs: null, waitLimitMs: null });
    const key = await readRecoveryKey(deps.session, mountPoint, keyProtectorId);
    deps.progress({ keyProtectorId, stage: 'writing', waitedMs: null, waitLimitMs: null });
    const bytes = formatKeyFile(key.keyProtectorId, key.recoveryPassword);
    // The buffer holds the key: wiped as soon as it is on disk (or failed to get there).
    await writeFileAtomically(path, bytes, {
      replace,
      fs: deps.fs,
      journal: deps.journal,
      verify: (readBack) => {
        deps.progress({ keyProtectorId, stage: 'verifying', waitedMs: null, waitLimitMs: null });
        const parsed = parseKeyFile(readBack);
        return parsed !== null && parsed.identifier === bareIdentifier(keyProtectorId) && parsed.recoveryPassword === key.recoveryPassword;
      },
    }).finally(() => bytes.fill(0));
    return outcome(keyProtectorId, 'verified', path);
  } catch (error) {
    return outcome(keyProtectorId, 'failed', path, error);
  }
}

async function readKeys(deps: BackupDeps, mountPoint: string, ids: readonly string[]): Promise<RecoveryKey[]> {
  const keys: RecoveryKey[] = [];
  for (const id of ids) {
    deps.progress({ keyProtectorId: id, stage: 'readingKey', waitedMs: null, waitLimitMs: null });
    keys.push(await readRecoveryKey(deps.session, mountPoint, id));
  }
  return keys;
}

/** The print page (and PDF): the key file's facts plus computer, drive and date. */
async function keyPage(deps: BackupDeps, request: BackupRequest, label: string | null): Promise<string> {
  const { computerName } = await deps.session.call('Get-BkbEnvironment', {});
  const keys = await readKeys(deps, request.mountPoint, request.keyProtectorIds);
  return renderKeyPage({ computerName, mountPoint: request.mountPoint, label, printedAt: new Date(), keys });
}

type Drive = Awaited<ReturnType<typeof currentDrive>>;

async function toUsb(deps: BackupDeps, request: BackupRequest, volumes: Drive['volumes'], target: string, replace: boolean) {
  const stick = usbCandidates(volumes, request.mountPoint).find((u) => u.mountPoint.toUpperCase() === target.toUpperCase());
  if (!stick) throw new AppFailure('DriveRemoved', `The USB drive ${target} is no longer connected.`);
  if (stick.reason === 'Locked') throw new AppFailure('VolumeLocked', `The USB drive ${target} is locked.`);
  if (stick.reason === 'Encrypted') throw new AppFailure('LocationEncrypted', 'Your recovery key cannot be saved to an encrypted drive.');
  if (stick.reason === 'SameDrive') throw new AppFailure('LocationSameDrive', "A recovery key can't be saved on the drive it unlocks.");
  if (stick.reason === 'NotEnoughSpace') throw new AppFailure('NotEnoughSpace', `The USB drive ${target} is full.`);
  const outcomes: BackupOutcomeT[] = [];
  for (const id of request.keyProtectorIds) {
    const path = await usbTargetPath(deps.session, deps.pathStyle, target, id);
    outcomes.push(await writeKeyFile(deps, request.mountPoint, id, path, replace));
  }
  return outcomes;
}

/** `chosen`: for a file or PDF, the places main's Save dialog returned for the request's token; empty otherwise. */
async function toDestination(deps: BackupDeps, request: BackupRequest, { volume, volumes }: Drive, chosen: readonly FileTarget[]): Promise<BackupOutcomeT[]> {
  const { destination, keyProtectorIds, mountPoint } = request;
  const forAll = (status: BackupOutcomeT['status'], path: string | null) => keyProtectorIds.map((id) => outcome(id, status, path));
  const escrow = { session: deps.session, timings: deps.timings, progress: deps.progress, signal: deps.waitSignal };
  switch (destination.kind) {
    case 'file': {
      const outcomes: BackupOutcomeT[] = [];
      // The token was chosen for exactly these keys, in this order: one file each. Consent to replace covers only
      // a file the user saw was there; one that appeared since stays FileExists.
      for (const [index, id] of keyProtectorIds.entries()) {
        const target = chosen[index]!;
        outcomes.push(await writeKeyFile(deps, mountPoint, id, target.path, destination.replace && target.exists));
      }
      return outcomes;
    }
    case 'usb':
      return toUsb(deps, request, volumes, destination.target, destination.replace);
    case 'pdf': {
      const target = chosen[0]!;
      await checkTarget(deps.session, deps.pathStyle, mountPoint, target.path);
      const html = await keyPage(deps, request, volume.label);
      deps.progress({ keyProtectorId: null, stage: 'printing', waitedMs: null, waitLimitMs: null });
      const pdf = await deps.desktop.renderPdf(html);
      await writeFileAtomically(target.path, pdf, {
        replace: destination.replace && target.exists,
        fs: deps.fs,
        journal: deps.journal,
        verify: (bytes) => bytes.length > 0 && bytes.subarray(0, 5).toString('latin1') === '%PDF-',
      }).finally(() => pdf.fill(0));
      return forAll('verified', target.path);
    }
    case 'print': {
      const html = await keyPage(deps, request, volume.label);
      deps.progress({ keyProtectorId: null, stage: 'printing', waitedMs: null, waitLimitMs: null });
      return forAll((await deps.desktop.print(html)) === 'printed' ? 'printed' : 'cancelled', null);
    }
    case 'entra':
    case 'activeDirectory':
      return escrowToDirectory(escrow, destination.kind, mountPoint, keyProtectorIds);
    case 'microsoftAccount':
      return escrowViaPanel(escrow, mountPoint, keyProtectorIds);
  }
}

/**
 * Runs backups one at a time: a second request while one runs is refused, so a double click can never
 * start two. A drive that changed since listing fails the whole request; a destination that fails turns
 * into a failed outcome per key, so the result page can say what happened to each.
 */
export function createBackupRunner(deps: BackupDeps) {
  let running = false;
  /** The running backup's wait for confirmation, which "Stop waiting" ends. */
  let waiting: AbortController | null = null;
  const choices = deps.choices ?? createFileChoices();
  /** A file or PDF backup's places, taken for its token before anything runs: a refused token reads no key. */
  const chosenFor = ({ destination, mountPoint, keyProtectorIds }: BackupRequest): readonly FileTarget[] =>
    destination.kind === 'file' || destination.kind === 'pdf'
      ? choices.take(destination.token, { mountPoint, keyProtectorIds, format: destination.kind === 'pdf' ? 'pdf' : 'text' })
      : [];
  /**
   * Runs a task under the one-at-a-time lock: adding or removing a key while a backup runs (or two backups at
   * once) could leave a key unsaved.
   */
  const exclusive = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running) throw new AppFailure('BackupInProgress', 'A backup is already running. Wait for it to finish.');
    running = true;
    try {
      return await task();
    } finally {
      running = false;
    }
  };
  const runOne = async (request: BackupRequest): Promise<BackupReportT> => {
    const chosen = chosenFor(request);
    const controller = new AbortController();
    waiting = controller;
    const startedAt = new Date().toISOString();
    try {
      const drive = await currentDrive(deps.session, request);
      const outcomes = await toDestination({ ...deps, waitSignal: controller.signal }, request, drive, chosen).catch((error: unknown) =>
        request.keyProtectorIds.map((id) => outcome(id, 'failed', null, error)),
      );
      return { mountPoint: request.mountPoint, destination: request.destination.kind, startedAt, outcomes };
    } finally {
      waiting = null;
    }
  };
  return {
    /** A backup is under way: restarting PowerShell now could lose a sent key's confirmation or leave a temp file. */
    get busy(): boolean {
      return running;
    },

    /** The Save dialog: the places it returned (checked) stay here; the renderer gets them to show, and a token to name them. */
    async chooseFile(request: Omit<FileChoice, 'targets'>): Promise<{ token: string; targets: FileTarget[] } | null> {
      const targets = await chooseFileTargets(deps, request);
      return targets === null ? null : { token: choices.remember({ ...request, targets }), targets };
    },

    exclusive,

    run(request: BackupRequest): Promise<BackupReportT> {
      return exclusive(() => runOne(request));
    },

    /** Several backups under one lock ("back up what isn't"); a drive that changed since listing fails alone. */
    runAll(requests: readonly BackupRequest[]): Promise<BackupReportT[]> {
      return exclusive(async () => {
        const reports: BackupReportT[] = [];
        for (const request of requests) {
          reports.push(
            await runOne(request).catch((error: unknown) => ({
              mountPoint: request.mountPoint,
              destination: request.destination.kind,
              startedAt: new Date().toISOString(),
              outcomes: request.keyProtectorIds.map((id) => outcome(id, 'failed', null, error)),
            })),
          );
        }
        return reports;
      });
    },

    /**
     * "Stop waiting": the running backup stops waiting for Windows' confirmation and reports what the event log
     * said so far (a key not yet confirmed stays "not confirmed"). False when no backup is running.
     */
    stopWaiting(): boolean {
      if (waiting === null) return false;
      waiting.abort();
      return true;
    },

    async check(request: { mountPoint: string; keyProtectorIds: string[]; destination: EscrowKind; since: string }): Promise<BackupReportT> {
      const outcomes = await checkConfirmation(deps.session, { kind: request.destination, mountPoint: request.mountPoint, since: request.since }, request.keyProtectorIds);
      return { mountPoint: request.mountPoint, destination: request.destination, startedAt: request.since, outcomes };
    },
  };
}
