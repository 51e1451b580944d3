import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export interface ElectronAppOptions {
  binary: string;
  scenario: string;
  outputDir: string;
  hostLogPath: string;
  callTimeoutMs: number | undefined;
  confirmWaitMs: number;
}

/** The real app: built main, preload and renderer, with the simulated PC chosen by --scenario. */
export async function openElectronApp(options: ElectronAppOptions): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await _electron.launch({
    executablePath: options.binary,
    args: [REPO_ROOT, '--scenario', options.scenario, '--no-sandbox'],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BKB_HOST_LOG: options.hostLogPath,
      BKB_USER_DATA: join(options.outputDir, 'user-data'),
      BKB_CONFIRM_WAIT_MS: String(options.confirmWaitMs),
      ...(options.callTimeoutMs ? { BKB_CALL_TIMEOUT_MS: String(options.callTimeoutMs) } : {}),
    },
  });
  return { app, page: await app.firstWindow() };
}
