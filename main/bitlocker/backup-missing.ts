/**
 * "Back up what isn't": every recovery password of every unlocked drive that the organisation's directory has
 * not accepted yet is sent there, drive by drive under the backup lock, each confirmed by its event as a single
 * backup would be. Keys already accepted are left alone; a locked drive's keys cannot be read, so they are
 * reported by the status, not attempted.
 */
import type { BackupReportT, EnvironmentT } from '../../preload/contract';
import { AppFailure } from '../errors';
import type { PowerShellSession } from '../powershell/session';
import type { BackupRequest } from './backup';
import type { HistoryEntryT } from './backup-history';
import { keyStatus, readKeyStatusFacts, type KeyStatusFacts } from './key-status';

/** One backup request per unlocked drive with keys not in the directory; none when everything is there. */
export function missingFromDirectory(facts: KeyStatusFacts, directory: 'entra' | 'activeDirectory'): BackupRequest[] {
  const unlocked = new Set(facts.volumes.filter((v) => v.lockStatus === 'Unlocked').map((v) => v.mountPoint));
  return keyStatus(facts)
    .drives.filter((d) => unlocked.has(d.mountPoint))
    .map((d) => ({ mountPoint: d.mountPoint, keyProtectorIds: d.keys.filter((k) => !k.inDirectory).map((k) => k.keyProtectorId), destination: { kind: directory } }))
    .filter((r) => r.keyProtectorIds.length > 0);
}

export async function backupMissing(
  deps: {
    session: PowerShellSession;
    environment: Pick<EnvironmentT, 'entraJoined' | 'domainJoined'>;
    history: readonly HistoryEntryT[];
    runAll(requests: readonly BackupRequest[]): Promise<BackupReportT[]>;
  },
): Promise<{ destination: 'entra' | 'activeDirectory'; reports: BackupReportT[] }> {
  const facts = await readKeyStatusFacts(deps.session, deps.environment, deps.history);
  const destination = facts.directory;
  if (destination === null) {
    throw new AppFailure(
      'EntraNotJoined',
      "This PC isn't joined to Microsoft Entra ID or to an Active Directory domain, so there is no organisation to send its keys to. Save them to a file, a USB drive or paper instead.",
    );
  }
  return { destination, reports: await deps.runAll(missingFromDirectory(facts, destination)) };
}
