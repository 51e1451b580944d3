import type { PowerShellSession } from '../powershell/session';

export interface Relaunch {
  /** The app's own executable and arguments, to start again elevated. */
  executable: string;
  arguments: string[];
  /** Quits this unelevated instance once the elevated one is on its way. */
  quit(): void;
}

/**
 * Start-Process -Verb RunAs cannot redirect output, so the whole app restarts elevated (UAC asks) and this
 * instance quits. If the user cancels UAC the call fails and this instance stays.
 */
export async function restartElevated(session: PowerShellSession, relaunch: Relaunch): Promise<boolean> {
  const { started } = await session.call('Start-BkbElevated', { executable: relaunch.executable, arguments: relaunch.arguments });
  if (started) relaunch.quit();
  return started;
}
