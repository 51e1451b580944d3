/**
 * The simulated "Microsoft-Windows-BitLocker/BitLocker Management" log: scenario events plus the ones the
 * simulated backups append, and the query Get-BkbBackupEvents runs on it.
 */
import { z } from 'zod';
import { MountPoint, ProtectorId } from '../../preload/contract';
import type { ModuleData } from '../powershell/module-api';
import { sameName } from './names';

const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time such as 2026-03-01T10:00:00Z');

export const SimEvent = z.strictObject({
  id: z.int().positive(),
  time: IsoTime,
  mountPoint: MountPoint,
  /** The event data's ProtectorGUID; events such as 4106 carry none. */
  protectorId: ProtectorId.nullable().optional(),
});
export type SimEventT = z.infer<typeof SimEvent>;

/** Event texts as Windows words them (short form); {v} is the volume. */
const MESSAGES: Record<number, string> = {
  773: 'BitLocker Drive Encryption was suspended on volume {v}.',
  774: 'BitLocker Drive Encryption was resumed on volume {v}.',
  775: 'A BitLocker key protector was created for volume {v}.',
  776: 'A BitLocker key protector was removed from volume {v}.',
  783: 'BitLocker Drive Encryption recovery information for volume {v} is already present in Active Directory Domain Services.',
  784: 'BitLocker Drive Encryption recovery information for volume {v} was backed up successfully to Active Directory Domain Services.',
  785: 'BitLocker Drive Encryption recovery information for volume {v} could not be backed up to Active Directory Domain Services.',
  828: 'BitLocker Drive Encryption recovery information for volume {v} was backed up successfully to your Microsoft account.',
  829: 'BitLocker Drive Encryption recovery information for volume {v} could not be backed up to your Microsoft account.',
  831: 'BitLocker Drive Encryption recovery information for volume {v} could not be backed up to your Microsoft account. Error: 0x80072EE7.',
  845: 'BitLocker Drive Encryption recovery information for volume {v} was backed up successfully to your Azure AD.',
  846: 'BitLocker Drive Encryption recovery information for volume {v} could not be backed up to your Azure AD.',
  847: 'BitLocker Drive Encryption recovery information for volume {v} could not be backed up to your Azure AD because of a service error.',
  4106: 'Automatic backup of BitLocker Drive Encryption recovery information for volume {v} to your Microsoft account failed.',
};

const messageFor = (e: SimEventT): string => (MESSAGES[e.id] ?? 'BitLocker event {id} for volume {v}.')
  .replace('{v}', e.mountPoint)
  .replace('{id}', String(e.id));

type Query = { keyProtectorId: string; since: string; ids: number[] };

/**
 * The events of one protector with one of the ids, from `since` up to `now`. Events dated later are not
 * visible yet: that is how a backup's confirmation arrives a few seconds after the cmdlet returns.
 */
export function queryEvents(log: SimEventT[], query: Query, now: Date): ModuleData<'Get-BkbBackupEvents'> {
  const since = Date.parse(query.since);
  const visible = log
    .map((e) => ({ e, at: Date.parse(e.time) }))
    .filter(({ e, at }) => query.ids.includes(e.id) && at >= since && at <= now.getTime())
    .filter(({ e }) => e.protectorId != null && sameName(e.protectorId, query.keyProtectorId))
    .sort((a, b) => a.at - b.at);
  return {
    events: visible.map(({ e, at }) => ({
      id: e.id,
      time: new Date(at).toISOString(),
      keyProtectorId: e.protectorId ?? null,
      message: messageFor(e),
    })),
  };
}
