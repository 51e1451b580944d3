/**
 * The simulated Application log's audit trail: the entries Write-BkbAuditEvent writes under the app's event source,
 * checked and worded exactly as BitLockerKeyBackup.psm1 checks and words them (Read-BkbAuditEntry,
 * Format-BkbAuditMessage), and read back as Get-BkbAuditEvents reads them. Kept in the state file (state.ts).
 */
import { z } from 'zod';
import type { ModuleData, ModuleRequest } from '../powershell/module-api';
import { containsRecoveryPassword, redact } from '../security/redact';
import { windowsTime } from './event-log';
import { readMountPoint, refuse } from './requests';

export const AuditEvent = z.strictObject({
  id: z.int().positive(),
  time: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time'),
  /** EventLogEntryType: the module writes Information and Warning; the fake Windows keeps whatever Write-EventLog took. */
  entryType: z.enum(['Error', 'Warning', 'Information', 'SuccessAudit', 'FailureAudit']),
  message: z.string(),
});
export type AuditEventT = z.infer<typeof AuditEvent>;

type Entry = ModuleRequest<'Write-BkbAuditEvent'>;

/** Per action: its fixed event id, how the message words it, and the preposition before the drive. */
const ACTIONS: Record<Entry['action'], { id: number; verb: string; drive: string }> = {
  backup: { id: 1000, verb: 'Backing up', drive: 'of' },
  add: { id: 1001, verb: 'Adding', drive: 'to' },
  remove: { id: 1002, verb: 'Removing', drive: 'from' },
  reveal: { id: 1003, verb: 'Revealing', drive: 'of' },
};
const OUTCOMES: Record<Entry['outcome'], string> = { succeeded: 'succeeded', partial: 'partly succeeded', failed: 'failed' };
const DESTINATIONS: Record<NonNullable<Entry['destination']>, string> = {
  entra: 'Microsoft Entra ID',
  activeDirectory: 'Active Directory',
  microsoftAccount: 'the Microsoft account',
  file: 'a file',
  usb: 'a USB flash drive',
  pdf: 'a PDF file',
  print: 'a printer',
};
const MAX_KEYS = 64;

const has = <T extends object>(table: T, key: unknown): key is keyof T => typeof key === 'string' && Object.hasOwn(table, key);

/** PowerShell's [string] of a JSON value, as far as the recovery-password check can tell them apart. */
const asText = (value: unknown): string => (Array.isArray(value) ? value.map(asText).join(' ') : value === null || value === undefined ? '' : String(value));

/** Read-BkbAuditEntry: the same checks in the same order, in the same words. */
function readEntry(body: Record<string, unknown>): Entry {
  const ids = Array.isArray(body.keyProtectorIds) ? body.keyProtectorIds : [body.keyProtectorIds];
  if ([body.action, body.outcome, body.mountPoint, body.destination, ...ids].some((value) => containsRecoveryPassword(asText(value)))) {
    refuse('InvalidArgument', 'The request carries something shaped like a recovery password: the audit trail records key IDs, never keys.');
  }
  if (!has(ACTIONS, body.action)) refuse('InvalidArgument', 'action must be backup, add, remove or reveal.');
  if (!has(OUTCOMES, body.outcome)) refuse('InvalidArgument', 'outcome must be succeeded, partial or failed.');
  const mountPoint = body.mountPoint === null ? null : readMountPoint(body.mountPoint);
  if (!Array.isArray(body.keyProtectorIds) || body.keyProtectorIds.length > MAX_KEYS) {
    refuse('InvalidArgument', `keyProtectorIds must list at most ${MAX_KEYS} key protector IDs.`);
  }
  const keyProtectorIds = body.keyProtectorIds.map((id: unknown) => {
    if (typeof id !== 'string' || !/^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/.test(id)) {
      refuse('InvalidArgument', 'keyProtectorIds must be GUIDs in braces.');
    }
    return id.toUpperCase();
  });
  if (body.destination !== null && !has(DESTINATIONS, body.destination)) {
    refuse('InvalidArgument', 'destination must be entra, activeDirectory, microsoftAccount, file, usb, pdf, print or null.');
  }
  if ((body.action === 'backup') !== (body.destination !== null)) refuse('InvalidArgument', 'destination must name where a backup went, and only a backup.');
  return { action: body.action, outcome: body.outcome, mountPoint, keyProtectorIds, destination: body.destination as Entry['destination'] };
}

/** Format-BkbAuditMessage: "Backing up 1 recovery key of C: to Microsoft Entra ID succeeded. Key IDs: {…}." */
function message({ action, outcome, mountPoint, keyProtectorIds, destination }: Entry): string {
  const { verb, drive } = ACTIONS[action];
  const count = keyProtectorIds.length;
  const keys = count === 0 ? 'a recovery key' : count === 1 ? '1 recovery key' : `${count} recovery keys`;
  const where = (mountPoint === null ? '' : ` ${drive} ${mountPoint}`) + (destination === null ? '' : ` to ${DESTINATIONS[destination]}`);
  return `${verb} ${keys}${where} ${OUTCOMES[outcome]}. Key IDs: ${count === 0 ? 'none' : keyProtectorIds.join(', ')}.`;
}

/** The entry Write-BkbAuditEvent writes for this request at `now` (refusals are thrown). */
export function auditEvent(body: Record<string, unknown>, now: Date): AuditEventT {
  const entry = readEntry(body);
  const warning = entry.outcome !== 'succeeded' || entry.action === 'reveal';
  return { id: ACTIONS[entry.action].id, time: now.toISOString(), entryType: warning ? 'Warning' : 'Information', message: message(entry) };
}

/** Get-BkbAuditEvents on the trail: the entries from `since` on, oldest first (the log's order within an instant). */
export function auditEventsSince(trail: readonly AuditEventT[], since: Date): ModuleData<'Get-BkbAuditEvents'> {
  const kept = trail.map((e) => ({ e, at: Date.parse(e.time) })).filter(({ at }) => at >= since.getTime());
  return { events: kept.sort((a, b) => a.at - b.at).map(({ e, at }) => ({ id: e.id, time: windowsTime(at), message: redact(e.message) })) };
}
