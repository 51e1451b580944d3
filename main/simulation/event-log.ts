/**
 * The simulated "Microsoft-Windows-BitLocker/BitLocker Management" log: scenario events plus the ones the
 * simulated backups append, and the query Get-BkbBackupEvents runs on it. The messages are in
 * windows-texts.json, which the fake Windows for pwsh (tests/fake-windows) reads too.
 */
import { z } from 'zod';
import { ProtectorId } from '../../preload/contract';
import type { ModuleData, ModuleRequest } from '../powershell/module-api';
import { hasDriveLetter, ScenarioMountPoint } from './mount-points';
import { sameName } from './names';
import texts from './windows-texts.json';

const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time such as 2026-03-01T10:00:00Z');

export const SimEvent = z.strictObject({
  id: z.int().positive(),
  time: IsoTime,
  /** The volume the event is about: its letter, or its GUID path when it has none. */
  mountPoint: ScenarioMountPoint,
  /**
   * The event data's ProtectorGUID. Success events carry one; failure events such as 829/831/847 (and 773,
   * 4106) carry none and name only the volume.
   */
  protectorId: ProtectorId.nullable().optional(),
});
export type SimEventT = z.infer<typeof SimEvent>;

const MESSAGES: Readonly<Record<string, string>> = texts.events;

export const eventMessage = (e: Pick<SimEventT, 'id' | 'mountPoint'>): string =>
  (MESSAGES[String(e.id)] ?? texts.otherEvent).replace('{v}', e.mountPoint).replace('{id}', String(e.id));

type Query = Pick<ModuleRequest<'Get-BkbBackupEvents'>, 'mountPoint' | 'keyProtectorId' | 'ids'> & { since: Date };

/**
 * The events with one of the ids, from `since` up to `now`, that concern this protector: those naming it, and
 * those naming no protector whose volume is the requested one (the module's rule). Events dated later are not
 * visible yet: that is how a backup's confirmation arrives a few seconds after the cmdlet returns.
 */
export function queryEvents(log: SimEventT[], query: Query, now: Date): ModuleData<'Get-BkbBackupEvents'> {
  const concerns = (e: SimEventT) =>
    e.protectorId != null ? sameName(e.protectorId, query.keyProtectorId) : sameName(e.mountPoint, query.mountPoint);
  const visible = log
    .map((e) => ({ e, at: Date.parse(e.time) }))
    .filter(({ e, at }) => query.ids.includes(e.id) && at >= query.since.getTime() && at <= now.getTime() && concerns(e))
    .sort((a, b) => a.at - b.at);
  return {
    events: visible.map(({ e, at }) => ({
      id: e.id,
      time: new Date(at).toISOString(),
      keyProtectorId: e.protectorId == null ? null : e.protectorId.toUpperCase(),
      message: eventMessage(e),
    })),
  };
}

/** An instant as the module writes one: .NET's round-trip format of a UTC DateTime, 7 fractional digits. */
export const windowsTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

/** At most this many events in Get-BkbKeyHistory: the newest. */
export const KEY_HISTORY_LIMIT = 2000;

/**
 * Get-BkbKeyHistory on this log: the visible events with one of the ids, newest 2,000 at most, oldest first, and
 * where the log starts: its oldest visible record of any id (that is how a rolled-over log shows: its oldest record
 * is younger than the keys it no longer knows about), or, when truncated, the oldest event returned.
 */
export function keyHistory(log: SimEventT[], ids: number[], now: Date): ModuleData<'Get-BkbKeyHistory'> {
  const visible = log.map((e) => ({ e, at: Date.parse(e.time) })).filter(({ at }) => at <= now.getTime());
  const wanted = visible.filter(({ e }) => ids.includes(e.id)).sort((a, b) => a.at - b.at);
  const truncated = wanted.length > KEY_HISTORY_LIMIT;
  const kept = wanted.slice(-KEY_HISTORY_LIMIT);
  const oldest = truncated ? kept[0]!.at : Math.min(...visible.map(({ at }) => at));
  return {
    events: kept.map(({ e, at }) => ({
      id: e.id,
      time: windowsTime(at),
      keyProtectorId: e.protectorId == null ? null : e.protectorId.toUpperCase(),
      mountPoint: hasDriveLetter(e.mountPoint) ? e.mountPoint.toUpperCase() : null,
    })),
    logStartsAt: Number.isFinite(oldest) ? windowsTime(oldest) : null,
    truncated,
  };
}
