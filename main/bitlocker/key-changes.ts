/**
 * Adding a recovery password, and removing the one it replaces. Rotation is the renderer walking add → back up
 * → remove, but the rule that matters is kept here: a key is removed only once its replacement is on the same
 * drive and proven backed up (a file read back, or an escrow Windows confirmed), so no sequence of calls can
 * leave a drive without a backed-up recovery password. The module refuses the last one on its own as well.
 */
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import type { Audit, AuditEntry } from './audit';
import type { PowerShellSession } from '../powershell/session';
import { provenBackup, type HistoryEntryT } from './backup-history';
import { findVolume, recoveryProtectors } from './backup-options';
import { acceptedByWindows } from './key-status';
import { bareIdentifier } from './key-file';
import { listVolumes } from './volumes';

const short = (id: string) => bareIdentifier(id).slice(0, 8);

async function unlockedDrive(session: PowerShellSession, mountPoint: string) {
  const volume = findVolume(await listVolumes(session), mountPoint);
  if (volume.lockStatus === 'Locked') throw new AppFailure('VolumeLocked', `${volume.mountPoint} is locked. Unlock it in File Explorer, then try again.`);
  return volume;
}

/** Who hears of a key change: the app's log and the audit trail (by key ID only). */
export interface KeyChangeDeps {
  session: PowerShellSession;
  log: AppLog;
  audit: Audit;
}

/**
 * Makes one change through the module and records it, or its failure, in the audit trail; `ids` names the keys
 * concerned once the answer (or none, on failure) is known.
 */
async function change<T>(deps: KeyChangeDeps, entry: Pick<AuditEntry, 'action' | 'mountPoint'>, ids: (answer: T | null) => string[], call: () => Promise<T>) {
  let answer: T;
  try {
    answer = await call();
  } catch (error) {
    await deps.audit({ ...entry, outcome: 'failed', keyProtectorIds: ids(null), destination: null });
    throw error;
  }
  return { answer, audited: await deps.audit({ ...entry, outcome: 'succeeded', keyProtectorIds: ids(answer), destination: null }) };
}

/** Adds a recovery password Windows generates; only its identifier comes back (and whether the audit trail took it). */
export async function addRecoveryPassword(deps: KeyChangeDeps, mountPoint: string): Promise<{ keyProtectorId: string; audited: boolean }> {
  const volume = await unlockedDrive(deps.session, mountPoint);
  const { answer, audited } = await change(
    deps,
    { action: 'add', mountPoint: volume.mountPoint },
    (added) => (added ? [added.keyProtectorId] : []),
    () => deps.session.call('Add-BkbRecoveryPassword', { mountPoint: volume.mountPoint }),
  );
  deps.log.info('recovery password added', { mountPoint: volume.mountPoint, id: answer.keyProtectorId });
  return { keyProtectorId: answer.keyProtectorId, audited };
}

/**
 * Removes `keyProtectorId` once `replacedBy` is a recovery password of the same drive with a proven backup:
 * `history` (what this run of the app itself read back or saw confirmed; never the history file, which the
 * user's profile holds) or, for a backup confirmed after the app stopped waiting, the event log.
 */
export async function removeReplacedKey(
  deps: KeyChangeDeps & { history: readonly HistoryEntryT[] },
  request: { mountPoint: string; keyProtectorId: string; replacedBy: string },
): Promise<{ removed: true; audited: boolean }> {
  const { session } = deps;
  const { mountPoint, keyProtectorId, replacedBy } = request;
  if (keyProtectorId.toUpperCase() === replacedBy.toUpperCase()) throw new AppFailure('InvalidArgument', 'A recovery key cannot replace itself.');
  const volume = await unlockedDrive(session, mountPoint);
  const ids = new Set(recoveryProtectors(volume).map((p) => p.keyProtectorId.toUpperCase()));
  if (!ids.has(keyProtectorId.toUpperCase())) throw new AppFailure('ProtectorNotFound', `The recovery key ${short(keyProtectorId)} is no longer on ${volume.mountPoint}.`);
  if (!ids.has(replacedBy.toUpperCase())) throw new AppFailure('ProtectorNotFound', `The new recovery key ${short(replacedBy)} is not on ${volume.mountPoint}.`);
  const proven =
    provenBackup(
      deps.history.filter((e) => e.mountPoint === volume.mountPoint.toUpperCase()),
      replacedBy,
    ) !== null || (await acceptedByWindows(session, replacedBy));
  if (!proven) {
    throw new AppFailure(
      'NewKeyNotBackedUp',
      `The new recovery key ${short(replacedBy)} has no confirmed backup yet, so the old key ${short(keyProtectorId)} was kept. Back up the new key, then try again.`,
    );
  }
  const { audited } = await change(
    deps,
    { action: 'remove', mountPoint: volume.mountPoint },
    () => [keyProtectorId],
    () => session.call('Remove-BkbRecoveryPassword', { mountPoint: volume.mountPoint, keyProtectorId }),
  );
  deps.log.info('recovery password removed', { mountPoint: volume.mountPoint, id: keyProtectorId, replacedBy });
  return { removed: true, audited };
}
