/**
 * "Is every key of this PC backed up, and where?": each recovery password of each drive, joined with what the
 * BitLocker Management log says about it and what this app's history says. Matching is by ProtectorGUID only,
 * never by message text (it changed between Windows builds). An empty answer is "unknown" unless the log
 * reaches back to the key's creation.
 */
import type { EnvironmentT, KeyBackupStatusT, KeyStatusReportT, VolumeT } from '../../preload/contract';
import type { ModuleData } from '../powershell/module-api';
import type { PowerShellSession } from '../powershell/session';
import type { HistoryEntryT } from './backup-history';
import { recoveryProtectors } from './backup-options';
import { listVolumes } from './volumes';

type LoggedEvent = ModuleData<'Get-BkbKeyHistory'>['events'][number];
type EscrowRecord = KeyBackupStatusT['windows'][number];

/** The events that accept a key into a directory or account (bitlocker.md §2, §7). */
const ACCEPTED: Record<number, Pick<EscrowRecord, 'place' | 'alreadyPresent'>> = {
  845: { place: 'entra', alreadyPresent: false },
  784: { place: 'activeDirectory', alreadyPresent: false },
  783: { place: 'activeDirectory', alreadyPresent: true },
  828: { place: 'microsoftAccount', alreadyPresent: false },
  830: { place: 'microsoftAccount', alreadyPresent: true },
};
export const KEY_CREATED = 775;
export const KEY_REMOVED = 776;
/** Windows' own warnings: 869 OS key not in the Microsoft account, 4106 automatic backup failed, 858 rotation failed. */
const WARNINGS = [869, 4106, 858];
/** A later Microsoft-account backup of the volume settles these two warnings. */
const SETTLED_BY_ACCOUNT_BACKUP = [869, 4106];

/** Every event id the status needs, asked of the log in one call. */
export const KEY_HISTORY_EVENT_IDS = [...Object.keys(ACCEPTED).map(Number), KEY_CREATED, KEY_REMOVED, ...WARNINGS];

const SAVED_PLACES = new Set(['file', 'usb', 'pdf', 'print']);
const same = (a: string | null, b: string) => a !== null && a.toUpperCase() === b.toUpperCase();
const newestFirst = <T extends { at: string }>(items: T[]) => items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

/** Which directory the PC can send keys to: Entra ID first (hybrid PCs back up there too), then Active Directory. */
export function directoryOf(environment: Pick<EnvironmentT, 'entraJoined' | 'domainJoined'>): KeyStatusReportT['directory'] {
  if (environment.entraJoined === true) return 'entra';
  return environment.domainJoined ? 'activeDirectory' : null;
}

export interface KeyStatusFacts {
  volumes: readonly VolumeT[];
  events: readonly LoggedEvent[];
  logStartsAt: string | null;
  history: readonly HistoryEntryT[];
  directory: KeyStatusReportT['directory'];
}

function statusOfKey(keyProtectorId: string, facts: KeyStatusFacts): KeyBackupStatusT {
  const mine = facts.events.filter((e) => same(e.keyProtectorId, keyProtectorId));
  const windows = newestFirst(
    mine.flatMap((e) => {
      const accepted = ACCEPTED[e.id];
      return accepted ? [{ ...accepted, eventId: e.id, at: e.time }] : [];
    }),
  );
  const app = newestFirst(
    facts.history
      .filter((h) => same(h.keyProtectorId, keyProtectorId) && SAVED_PLACES.has(h.place))
      .map((h) => ({ place: h.place as KeyBackupStatusT['app'][number]['place'], path: h.path, at: h.at, verified: h.outcome === 'verified' })),
  );
  const created = mine.filter((e) => e.id === KEY_CREATED).at(-1);
  const backedUp = windows.length > 0 || app.length > 0;
  return {
    keyProtectorId,
    createdAt: created?.time ?? null,
    windows,
    app,
    // "Not backed up" only when the log holds the key's whole life; otherwise the log may have lost the backup.
    summary: backedUp ? 'backedUp' : created ? 'notBackedUp' : 'unknown',
    // A copy in a directory the PC has left (an old domain) is not where this organisation will look.
    inDirectory: windows.some((w) => w.place === facts.directory),
  };
}

/** Keys this app saved from the drive that the drive no longer has: their saved copies unlock nothing now. */
function removedKeys(volume: VolumeT, facts: KeyStatusFacts): KeyStatusReportT['drives'][number]['removedKeys'] {
  const current = new Set(volume.keyProtectors.map((p) => p.keyProtectorId.toUpperCase()));
  const saved = new Set(facts.history.filter((h) => same(h.mountPoint, volume.mountPoint)).map((h) => h.keyProtectorId.toUpperCase()));
  return [...saved]
    .filter((id) => !current.has(id))
    .map((id) => ({ keyProtectorId: id, removedAt: facts.events.filter((e) => e.id === KEY_REMOVED && same(e.keyProtectorId, id)).at(-1)?.time ?? null }));
}

/** The newest of each warning per volume, unless a later Microsoft-account backup of that volume settled it. */
function warnings(facts: KeyStatusFacts): KeyStatusReportT['warnings'] {
  const latest = new Map<string, LoggedEvent>();
  for (const e of facts.events) if (WARNINGS.includes(e.id)) latest.set(`${e.id}|${e.mountPoint ?? ''}`, e);
  const accountBackups = facts.events.filter((e) => ACCEPTED[e.id]?.place === 'microsoftAccount');
  const settled = (w: LoggedEvent) =>
    SETTLED_BY_ACCOUNT_BACKUP.includes(w.id) &&
    accountBackups.some((b) => Date.parse(b.time) > Date.parse(w.time) && (w.mountPoint === null || same(b.mountPoint, w.mountPoint) || volumeHasKey(facts, w.mountPoint, b.keyProtectorId)));
  return newestFirst(
    [...latest.values()].filter((w) => !settled(w)).map((w) => ({ eventId: w.id, at: w.time, mountPoint: w.mountPoint })),
  );
}

function volumeHasKey(facts: KeyStatusFacts, mountPoint: string, keyProtectorId: string | null): boolean {
  const volume = facts.volumes.find((v) => same(v.mountPoint, mountPoint));
  return volume !== undefined && keyProtectorId !== null && volume.keyProtectors.some((p) => same(p.keyProtectorId, keyProtectorId));
}

/** The status report from the facts: pure, so every rule above is tested without a PC. */
export function keyStatus(facts: KeyStatusFacts): KeyStatusReportT {
  return {
    drives: facts.volumes.map((volume) => ({
      mountPoint: volume.mountPoint,
      keys: recoveryProtectors(volume).map((p) => statusOfKey(p.keyProtectorId, facts)),
      removedKeys: removedKeys(volume, facts),
    })),
    warnings: warnings(facts),
    logStartsAt: facts.logStartsAt,
    directory: facts.directory,
  };
}

/** Reads the facts from the PC (volumes, one event-log query) beside this app's history. */
export async function readKeyStatusFacts(
  session: PowerShellSession,
  environment: Pick<EnvironmentT, 'entraJoined' | 'domainJoined'>,
  history: readonly HistoryEntryT[],
): Promise<KeyStatusFacts> {
  const volumes = await listVolumes(session);
  const { events, logStartsAt } = await session.call('Get-BkbKeyHistory', { ids: KEY_HISTORY_EVENT_IDS });
  return { volumes, events, logStartsAt, history, directory: directoryOf(environment) };
}

/** Whether Windows logged an escrow of this key as accepted (any directory or the Microsoft account). */
export async function acceptedByWindows(session: PowerShellSession, keyProtectorId: string): Promise<boolean> {
  const { events } = await session.call('Get-BkbKeyHistory', { ids: Object.keys(ACCEPTED).map(Number) });
  return events.some((e) => same(e.keyProtectorId, keyProtectorId));
}
