import { backupOptions } from '../bitlocker/backup-options';
import { createBackupRunner, type BackupDeps } from '../bitlocker/backup';
import { readEnvironment, type RuntimeFacts } from '../bitlocker/environment';
import { restartElevated, type Relaunch } from '../bitlocker/elevation';
import { chooseFileTargets } from '../bitlocker/file-targets';
import { listVolumes } from '../bitlocker/volumes';
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import type { Handlers } from './dispatch';

export interface AppServices extends BackupDeps {
  runtime: RuntimeFacts;
  relaunch: Relaunch;
  log: AppLog;
}

/** One handler per contract channel; the same object serves Electron's ipcMain and the browser test harness. */
export function createHandlers(services: AppServices): Handlers {
  const { session } = services;
  const backups = createBackupRunner(services);
  const notWhileBackingUp = () => {
    if (backups.busy) throw new AppFailure('BackupInProgress', 'A backup is running. Wait for it to finish, then try again.');
  };
  return {
    'environment:get': () => readEnvironment(session, services.runtime),
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
      backupOptions(await readEnvironment(session, services.runtime), await listVolumes(session), mountPoint),
    'backup:chooseFile': async (request) => {
      const targets = await chooseFileTargets(services, request);
      return targets === null ? { cancelled: true } : { cancelled: false, targets };
    },
    'backup:run': async (request) => {
      const report = await backups.run(request);
      // The helpdesk's trail: where each key went and how it ended, by identifier only.
      services.log.info('backup finished', {
        mountPoint: report.mountPoint,
        destination: report.destination,
        outcomes: report.outcomes.map((o) => ({ id: o.keyProtectorId, status: o.status, code: o.error?.code ?? null, event: o.event?.id ?? null })),
      });
      return report;
    },
    'backup:check': (request) => backups.check(request),
    'backup:stopWaiting': async () => ({ stopped: backups.stopWaiting() }),
  };
}
