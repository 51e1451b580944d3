import type { PowerShellSession } from '../powershell/session';

export interface Relaunch {
  /**
   * The arguments the app needs to start again (the app folder when run by a development Electron), never the
   * ones it was started with: a shortcut's `--inspect` must not come back elevated. The module starts the
   * session's own parent process, the app, so no executable path is sent.
   */
  arguments: string[];
  /** Quits this unelevated instance once the elevated one is on its way. */
  quit(): void;
  /**
   * Lets go of the single-instance lock before UAC asks, so the elevated copy, which may start before this one
   * has quit, does not find the lock taken and quit itself, leaving nothing on screen; takes it back if the
   * user says no.
   */
  releaseLock(): void;
  reacquireLock(): void;
}

/**
 * Start-Process -Verb RunAs cannot redirect output, so the whole app restarts elevated (UAC asks) and this
 * instance quits. If the user cancels UAC the call fails and this instance stays.
 */
export async function restartElevated(session: PowerShellSession, relaunch: Relaunch): Promise<boolean> {
  relaunch.releaseLock();
  let started = false;
  try {
    ({ started } = await session.call('Start-BkbElevated', { arguments: relaunch.arguments }));
  } finally {
    if (started) relaunch.quit();
    else relaunch.reacquireLock();
  }
  return started;
}
