/**
 * This app's own record of where each key went: key ID, drive, destination, file, time and how it ended.
 * Windows keeps no trace of file, USB or print backups, so this is the only evidence of them. Never a key:
 * the schema has no field that could hold one, and every entry is checked against it before it is written.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { BackupReport, MountPoint, ProtectorId, type BackupReportT } from '../../preload/contract';

const Place = z.enum(['file', 'usb', 'pdf', 'print', 'entra', 'activeDirectory', 'microsoftAccount']);
/** Only outcomes that put the key somewhere are history; failures, cancellations and unconfirmed sends are in the log. */
const Outcome = z.enum(['verified', 'printed', 'confirmed', 'alreadyPresent']);

export const HistoryEntry = z.strictObject({
  keyProtectorId: ProtectorId,
  mountPoint: MountPoint,
  place: Place,
  path: z.string().max(32_767).nullable(),
  at: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO time'),
  outcome: Outcome,
});
export type HistoryEntryT = z.infer<typeof HistoryEntry>;

/** Enough for years of backups; the oldest entries go first when it fills. */
const MAX_ENTRIES = 5_000;

export interface BackupHistory {
  /** Every entry, oldest first. */
  entries(): HistoryEntryT[];
  /** Adds the outcomes of a backup report (or a later check) that put a key somewhere. */
  record(report: BackupReportT): void;
}

/** The entries a report adds: one per key that reached its destination. */
export function entriesOf(report: BackupReportT, now: Date = new Date()): HistoryEntryT[] {
  BackupReport.parse(report);
  const entries: HistoryEntryT[] = [];
  for (const o of report.outcomes) {
    const outcome = Outcome.safeParse(o.status);
    if (!outcome.success) continue;
    entries.push({
      keyProtectorId: o.keyProtectorId.toUpperCase(),
      mountPoint: report.mountPoint.toUpperCase(),
      place: report.destination,
      path: o.path,
      // A confirmation's time is Windows' (the event); a saved file's is when the app read it back.
      at: o.event?.time ?? now.toISOString(),
      outcome: outcome.data,
    });
  }
  return entries;
}

/**
 * Evidence that a key is safely somewhere else, strong enough to remove the key it replaces: a file read back
 * identical, or an escrow Windows confirmed by event. A printout cannot be checked, so it does not count.
 */
export function provenBackup(entries: readonly HistoryEntryT[], keyProtectorId: string): HistoryEntryT | null {
  const id = keyProtectorId.toUpperCase();
  return (
    entries.findLast(
      (e) => e.keyProtectorId === id && (e.outcome === 'verified' || e.outcome === 'confirmed' || e.outcome === 'alreadyPresent'),
    ) ?? null
  );
}

/**
 * The history as a JSON file (in the user-data folder). A missing or damaged file reads as empty, and is
 * replaced at the next write: history is evidence for the user, never a reason to refuse a backup.
 */
export function fileHistory(file: string, onDamaged: (reason: string) => void = () => {}): BackupHistory {
  const read = (): HistoryEntryT[] => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = z.array(HistoryEntry).safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      onDamaged('the backup history does not have the expected shape');
    } catch {
      onDamaged('the backup history is not valid JSON');
    }
    return [];
  };
  return {
    entries: read,
    record(report) {
      const added = entriesOf(report);
      if (added.length === 0) return;
      const all = [...read(), ...added].slice(-MAX_ENTRIES);
      // Written whole beside itself and renamed, so a crash mid-write cannot lose the entries already there.
      writeFileSync(`${file}.new`, JSON.stringify(all, null, 1), { mode: 0o600 });
      renameSync(`${file}.new`, file);
    },
  };
}
