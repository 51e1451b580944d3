import type { BackupReportT } from '../../preload/contract';
import { backupOptions } from '../bitlocker/backup-options';
import { createBackupRunner, type BackupDeps } from '../bitlocker/backup';
import type { Audit } from '../bitlocker/audit';
import { entriesOf, type BackupHistory, type HistoryEntryT } from '../bitlocker/backup-history';
import { recordBackup } from '../bitlocker/backup-record';
import type { Cleanup } from '../bitlocker/temp-journal';
import { backupMissing } from '../bitlocker/backup-missing';
import { addRecoveryPassword, removeReplacedKey } from '../bitlocker/key-changes';
import { keyStatus, readKeyStatusFacts } from '../bitlocker/key-status';
import { checkSavedKeys } from '../bitlocker/saved-keys';
import { readEnvironment, type RuntimeFacts } from '../bitlocker/environment';
import { restartElevated, type Relaunch } from '../bitlocker/elevation';
import { listVolumes } from '../bitlocker/volumes';
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import type { Handlers } from './dispatch';

export interface AppServices extends BackupDeps {
  runtime: RuntimeFacts;
  relaunch: Relaunch;
  log: AppLog;
  /** Where this app's own backups are recorded (identifiers, places, times; never a key). */
  history: BackupHistory;
  /** The audit trail in Windows' Application log: every backup and key change, by key ID. */
  audit: Audit;
  /** What this start did with an earlier run's temporary key copies (main/bitlocker/temp-journal.ts); none when absent. */
  leftovers?: Cleanup;
}

/** One handler per contract channel; the same object serves Electron's ipcMain and the browser test harness. */
export function createHandlers(services: AppServices): Handlers {
  const { session } = services;
  const backups = createBackupRunner(services);
  const environment = () => readEnvironment(session, services.runtime);
  /** The helpdesk's trail and the key-status evidence: where each key went and how it ended, by identifier only. */
  /**
   * What this run of the app itself saw proven (read back, or confirmed by event): the only history a removal may
   * rely on. The history file is evidence to show; whoever can write the user's profile could edit it.
   */
  const provenHere: HistoryEntryT[] = [];
  const settled = async (report: BackupReportT): Promise<BackupReportT> => {
    provenHere.push(...entriesOf(report));
    await recordBackup(services, report);
    return report;
  };
  const notWhileBackingUp = () => {
    if (backups.busy) throw new AppFailure('BackupInProgress', 'A backup is running. Wait for it to finish, then try again.');
  };
  return {
    'environment:get': environment,
    'volumes:list': async () => ({ volumes: await listVolumes(session) }),
    'session:retry': async () => {
      notWhileBackingUp();
      await session.restart();
      return { state: session.state };
    },
    'app:restartElevated': async () => {
      notWhileBackingUp();
      return { restarting: await restartElevated(session, services.relaunch) };
    },
    'backup:options': async ({ mountPoint }) =>
      backupOptions(await environment(), await listVolumes(session), mountPoint),
    'backup:chooseFile': async (request) => {
      const choice = await backups.chooseFile(request);
      return choice === null ? { cancelled: true } : { cancelled: false, ...choice };
    },
    'backup:run': async (request) => settled(await backups.run(request)),
    'backup:check': async (request) => settled(await backups.check(request)),
    'backup:stopWaiting': async () => ({ stopped: backups.stopWaiting() }),
    'app:leftoverCopies': async () => services.leftovers ?? { removed: [], remaining: [] },
    'keys:status': async () => keyStatus(await readKeyStatusFacts(session, await environment(), services.history.entries())),
    'keys:backupMissing': async () => {
      const result = await backupMissing({ session, environment: await environment(), history: services.history.entries(), runAll: backups.runAll });
      for (const report of result.reports) await settled(report);
      return result;
    },
    'keys:add': ({ mountPoint }) =>
      backups.exclusive(async () => {
        const { keyProtectorId } = await addRecoveryPassword(services, mountPoint);
        return { keyProtectorId };
      }),
    'keys:removeOld': (request) =>
      backups.exclusive(async () => {
        await removeReplacedKey({ ...services, history: provenHere }, request);
        return { removed: true as const };
      }),
    'keys:checkSaved': async () => {
      const folder = await services.desktop.chooseFolder();
      if (folder === null) return { cancelled: true };
      return { cancelled: false, ...(await checkSavedKeys({ session, history: services.history.entries() }, folder)) };
    },
  };
}
