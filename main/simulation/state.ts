/**
 * What the simulated PC remembers across host restarts (when BKB_SIM_STATE names a file): how often each
 * function was called (for failTimes and mutations), the events backups appended, the mutations applied, and the
 * audit trail the app wrote to the Application log.
 * Without a file the state lives in memory and dies with the host.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { MountPoint, ProtectorId } from '../../preload/contract';
import { AuditEvent } from './audit-trail';
import { SimEvent } from './event-log';
import { describeIssues } from './issues';

const SimState = z.strictObject({
  /** Calls started per module function name (and "startup"). */
  calls: z.record(z.string(), z.int().nonnegative()),
  events: z.array(SimEvent),
  locked: z.array(MountPoint),
  removedProtectors: z.array(ProtectorId),
  /** Recovery passwords added (added-protectors.ts derives each one's password from its id), oldest first. */
  addedProtectors: z.array(z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId })).default([]),
  /** Write-BkbAuditEvent's entries in the Application log, oldest first. */
  auditEvents: z.array(AuditEvent).default([]),
});
export type SimStateT = z.infer<typeof SimState>;

export type StateStore = {
  readonly state: Readonly<SimStateT>;
  /** Changes the state and saves it at once, so a crash right after loses nothing. */
  update(change: (state: SimStateT) => void): void;
};

export function openStateStore(file: string | undefined): StateStore {
  const state = readState(file);
  return {
    state,
    update(change) {
      change(state);
      if (file !== undefined) fs.writeFileSync(file, JSON.stringify(state, null, 2));
    },
  };
}

/** No file, or an absent or empty one (e.g. from mktemp), starts a fresh machine. */
function readState(file: string | undefined): SimStateT {
  const text = file !== undefined && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (file === undefined || text.trim() === '') return { calls: {}, events: [], locked: [], removedProtectors: [], addedProtectors: [], auditEvents: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`state file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = SimState.safeParse(json);
  if (!parsed.success) throw new Error(`state file ${file}: ${describeIssues(parsed.error)} (delete the file to start afresh)`);
  return parsed.data;
}
