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
}

/**
 * Start-Process -Verb RunAs cannot redirect output, so the whole app restarts elevated (UAC asks) and this
 * instance quits. If the user cancels UAC the call fails and this instance stays.
 */
export async function restartElevated(session: PowerShellSession, relaunch: Relaunch): Promise<boolean> {
  const { started } = await session.call('Start-BkbElevated', { arguments: relaunch.arguments });
  if (started) relaunch.quit();
  return started;
}
