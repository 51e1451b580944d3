import { readEnvironment, type RuntimeFacts } from '../bitlocker/environment';
import { restartElevated, type Relaunch } from '../bitlocker/elevation';
import { listVolumes } from '../bitlocker/volumes';
import type { PowerShellSession } from '../powershell/session';
import type { Handlers } from './dispatch';

export interface AppServices {
  session: PowerShellSession;
  runtime: RuntimeFacts;
  relaunch: Relaunch;
}

/** One handler per contract channel; the same object serves Electron's ipcMain and the browser test harness. */
export function createHandlers(services: AppServices): Handlers {
  const { session } = services;
  return {
    'environment:get': () => readEnvironment(session, services.runtime),
    'volumes:list': async () => ({ volumes: await listVolumes(session) }),
    'session:retry': async () => {
      await session.restart();
      return { state: session.state };
    },
    'app:restartElevated': async () => ({ restarting: await restartElevated(session, services.relaunch) }),
  };
}
