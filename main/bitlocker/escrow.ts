import type { BackupOutcomeT, ProgressStageT } from '../../preload/contract';
import { AppFailure, toAppError } from '../errors';
import type { ModuleData } from '../powershell/module-api';
import type { PowerShellSession } from '../powershell/session';
import { mapEscrowError } from './escrow-errors';

export type EscrowKind = 'entra' | 'activeDirectory' | 'microsoftAccount';

export interface EscrowTimings {
  pollIntervalMs: number;
  /** How long to wait for Entra ID / AD to confirm (the event appears a few seconds after the cmdlet). */
  confirmWaitMs: number;
  /** How long to wait while the user works in Windows' BitLocker panel. */
  panelWaitMs: number;
}

export const DEFAULT_ESCROW_TIMINGS: EscrowTimings = { pollIntervalMs: 1_000, confirmWaitMs: 15_000, panelWaitMs: 180_000 };

/** The timings to use: the defaults, or BKB_CONFIRM_WAIT_MS (tests, trainers) for both waits. */
export function escrowTimings(confirmWaitMs: number | undefined): EscrowTimings {
  return confirmWaitMs ? { ...DEFAULT_ESCROW_TIMINGS, confirmWaitMs, panelWaitMs: confirmWaitMs } : DEFAULT_ESCROW_TIMINGS;
}

export type Progress = (update: { keyProtectorId: string | null; stage: ProgressStageT; waitedMs: number | null; waitLimitMs: number | null }) => void;

/** The BitLocker Management events that settle each kind of escrow (bitlocker.md §2 and §7). */
const EVENTS: Record<EscrowKind, { confirmed: number[]; alreadyPresent: number[]; rejected: number[] }> = {
  entra: { confirmed: [845], alreadyPresent: [], rejected: [846, 847] },
  activeDirectory: { confirmed: [784], alreadyPresent: [783], rejected: [785] },
  microsoftAccount: { confirmed: [828], alreadyPresent: [830], rejected: [829, 831] },
};

type LoggedEvent = ModuleData<'Get-BkbBackupEvents'>['events'][number];

function outcome(keyProtectorId: string, status: BackupOutcomeT['status'], event: LoggedEvent | null, error: unknown = null): BackupOutcomeT {
  return {
    keyProtectorId,
    status,
    path: null,
    event: event ? { id: event.id, time: event.time } : null,
    error: error === null ? null : toAppError(error),
  };
}

const sameId = (a: string | null, b: string) => a !== null && a.toUpperCase() === b.toUpperCase();

/**
 * Which logged events speak for this protector: successes only when they name it (never by volume or message
 * text, which changed between Windows builds); failures also when they name no protector at all, since
 * Windows logs 829/831/847 without one and the module already kept only those of this volume.
 */
function relevant(kind: EscrowKind, keyProtectorId: string, event: LoggedEvent): boolean {
  if (sameId(event.keyProtectorId, keyProtectorId)) return true;
  return event.keyProtectorId === null && EVENTS[kind].rejected.includes(event.id);
}

/** The latest settling event for one protector decides; none yet means "not confirmed". */
function settle(kind: EscrowKind, keyProtectorId: string, events: readonly LoggedEvent[]): BackupOutcomeT | null {
  const ids = EVENTS[kind];
  const latest = events
    .filter((e) => relevant(kind, keyProtectorId, e))
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .at(-1);
  if (!latest) return null;
  if (ids.confirmed.includes(latest.id)) return outcome(keyProtectorId, 'confirmed', latest);
  if (ids.alreadyPresent.includes(latest.id)) return outcome(keyProtectorId, 'alreadyPresent', latest);
  return outcome(keyProtectorId, 'failed', latest, new AppFailure('BackupRejected', `Windows logged event ${latest.id}: ${latest.message}`));
}

/** What the event log is asked: one protector of one volume, since the backup started. */
export interface EscrowQuery {
  kind: EscrowKind;
  mountPoint: string;
  since: string;
}

async function queryOnce(session: PowerShellSession, query: EscrowQuery, keyProtectorId: string): Promise<BackupOutcomeT | null> {
  const ids = EVENTS[query.kind];
  const { events } = await session.call('Get-BkbBackupEvents', {
    mountPoint: query.mountPoint,
    keyProtectorId,
    since: query.since,
    ids: [...ids.confirmed, ...ids.alreadyPresent, ...ids.rejected],
  });
  return settle(query.kind, keyProtectorId, events);
}

/** Waits `ms`, or less when `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** What an escrow needs; `signal` aborts the wait for confirmation ("Stop waiting"), never a send. */
export interface EscrowDeps {
  session: PowerShellSession;
  timings: EscrowTimings;
  progress: Progress;
  signal?: AbortSignal;
}

/**
 * Polls the event log until every protector is settled, the wait is over or the user stops waiting (the log is
 * always asked at least once), reporting the wait as progress.
 */
export async function awaitConfirmation(
  deps: EscrowDeps,
  query: EscrowQuery,
  keyProtectorIds: readonly string[],
  waitMs: number,
): Promise<BackupOutcomeT[]> {
  const settled = new Map<string, BackupOutcomeT>();
  const started = Date.now();
  for (;;) {
    for (const id of keyProtectorIds.filter((k) => !settled.has(k))) {
      const result = await queryOnce(deps.session, query, id);
      if (result) settled.set(id, result);
    }
    const waited = Date.now() - started;
    if (settled.size === keyProtectorIds.length || waited >= waitMs || deps.signal?.aborted === true) break;
    deps.progress({ keyProtectorId: null, stage: 'confirming', waitedMs: waited, waitLimitMs: waitMs });
    await sleep(Math.min(deps.timings.pollIntervalMs, waitMs - waited), deps.signal);
  }
  return keyProtectorIds.map((id) => settled.get(id) ?? outcome(id, 'sentNotConfirmed', null));
}

/** One query per protector, no waiting: "Check again". */
export async function checkConfirmation(session: PowerShellSession, query: EscrowQuery, keyProtectorIds: readonly string[]): Promise<BackupOutcomeT[]> {
  const results: BackupOutcomeT[] = [];
  for (const id of keyProtectorIds) results.push((await queryOnce(session, query, id)) ?? outcome(id, 'sentNotConfirmed', null));
  return results;
}

/**
 * Entra ID or Active Directory: send each protector with its cmdlet, then wait for the event log to
 * confirm. A cmdlet that returns without error is "sent", not yet success.
 */
export async function escrowToDirectory(
  deps: EscrowDeps,
  kind: 'entra' | 'activeDirectory',
  mountPoint: string,
  keyProtectorIds: readonly string[],
): Promise<BackupOutcomeT[]> {
  const fn = kind === 'entra' ? 'Backup-BkbToEntra' : 'Backup-BkbToActiveDirectory';
  const failed: BackupOutcomeT[] = [];
  const sent: { id: string; sentAt: string }[] = [];
  for (const id of keyProtectorIds) {
    deps.progress({ keyProtectorId: id, stage: 'sending', waitedMs: null, waitLimitMs: null });
    try {
      const { sentAt } = await deps.session.call(fn, { mountPoint, keyProtectorId: id });
      sent.push({ id, sentAt });
    } catch (error) {
      failed.push(outcome(id, 'failed', null, mapEscrowError(error)));
    }
  }
  const earliest = sent.map((s) => s.sentAt).sort()[0];
  const confirmed = earliest ? await awaitConfirmation(deps, { kind, mountPoint, since: earliest }, sent.map((s) => s.id), deps.timings.confirmWaitMs) : [];
  return keyProtectorIds.map((id) => [...failed, ...confirmed].find((o) => o.keyProtectorId === id)!);
}

/**
 * The Microsoft account has no public API: Windows' own BitLocker panel opens, the user saves the key
 * there, and the event log (828/829) tells what happened.
 */
export async function escrowViaPanel(
  deps: EscrowDeps,
  mountPoint: string,
  keyProtectorIds: readonly string[],
): Promise<BackupOutcomeT[]> {
  const since = new Date().toISOString();
  deps.progress({ keyProtectorId: null, stage: 'openingPanel', waitedMs: null, waitLimitMs: null });
  const { page } = await deps.session.call('Open-BkbBitLockerPanel', { mountPoint });
  if (page === 'deviceEncryption') deps.progress({ keyProtectorId: null, stage: 'inDeviceEncryption', waitedMs: null, waitLimitMs: null });
  return awaitConfirmation(deps, { kind: 'microsoftAccount', mountPoint, since }, keyProtectorIds, deps.timings.panelWaitMs);
}
