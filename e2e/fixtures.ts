import { test as base, expect } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variantOf } from '../tests/support/scenarios';
import { openBrowserApp } from './harness/browser-app';
import { openElectronApp } from './harness/electron-app';
import { electronBinary, scenarioPath } from './harness/paths';
import { realModuleTier, SIMULATED } from '../tests/support/hosts';

export type HostName = 'simulated' | 'real-module';

export interface AppUnderTest {
  kind: 'browser' | 'electron';
  /** Which PowerShell answers: the simulated PC, or the real module in pwsh over the fake Windows. */
  host: HostName;
  /** Every raw line the simulated PowerShell host received. */
  hostLog(): string[];
  /** Every answer main sent to the renderer (browser project only; empty for Electron). */
  ipcResponses(): unknown[];
  /** How often the app asked to quit after restarting elevated (browser project only). */
  quitRequests(): number;
  /** Scripts the next native Save dialog: the path the user picks, or null for Cancel. */
  answerSaveDialog(path: string | null): Promise<void>;
  /** Scripts the next folder picker (the saved-key checker): the folder the user picks, or null for Cancel. */
  answerFolderDialog(path: string | null): Promise<void>;
  /** Print jobs the app sent (browser project only: the Electron print dialog is native). */
  printedPages(): string[];
  /** The folder standing for a drive listed in `tempDrives` (its "root"). */
  driveRoot(mountPoint: string): string;
  /** This test's output folder: everything the app wrote lands below it (logs, host log, state, drives). */
  outputDir: string;
  /** The scenario the simulated PC runs (the test's input, with the PC's keys in it). */
  scenarioFile: string;
}

interface Options {
  /** Scenario JSON for the simulated PC: absolute or relative to the repository root. */
  scenario: string;
  /** Per-call PowerShell timeout, to make hang tests quick. */
  callTimeoutMs: number | undefined;
  /** How long the app waits for escrow confirmation events. */
  confirmWaitMs: number;
  /** Drives (e.g. ['F:']) whose root folder this test gets for itself, so key files never land in the repo. */
  tempDrives: string[];
  appKind: 'browser' | 'electron';
  host: HostName;
}

/** The options playwright.config.ts sets per project. */
export type AppKindOption = Pick<Options, 'appKind' | 'host'>;

interface Internal {
  app: AppUnderTest;
  appHolder: { current?: AppUnderTest };
}

const ELECTRON_MISSING =
  'The Electron binary is not installed (node_modules/electron/dist is missing and this machine cannot download it). ' +
  'Run `npx install-electron --no` on a machine that can reach GitHub to run the electron project.';

const readLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

/**
 * `page` is the app: in the browser project the built renderer wired to the real main-process handlers,
 * in the electron project the real app's window. `app` gives the evidence around it.
 */
export const test = base.extend<Options & Internal>({
  scenario: ['assets/scenarios/home-pc.json', { option: true }],
  callTimeoutMs: [undefined, { option: true }],
  confirmWaitMs: [6_000, { option: true }],
  tempDrives: [[], { option: true }],
  appKind: ['browser', { option: true }],
  host: ['simulated', { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  appHolder: async ({}, use) => use({}),

  page: async ({ page, appKind, host, scenario, callTimeoutMs, confirmWaitMs, tempDrives, appHolder }, use, testInfo) => {
    const tier = host === 'real-module' ? realModuleTier() : SIMULATED;
    test.skip(tier.skip !== null, tier.skip ?? '');
    const hostLogPath = testInfo.outputPath('host-commands.log');
    const outputDir = testInfo.outputPath();
    const roots = Object.fromEntries(tempDrives.map((d) => [d, testInfo.outputPath('drives', d.replace(':', ''))]));
    Object.values(roots).forEach((dir) => mkdirSync(dir, { recursive: true }));
    const scenarioFile = tempDrives.length > 0 ? variantOf(scenarioPath(scenario), {}, outputDir, roots) : scenarioPath(scenario);
    const driveRoot = (mountPoint: string) => roots[mountPoint] ?? join(outputDir, 'no-such-drive');
    const common = { scenario: scenarioFile, outputDir, hostLogPath, callTimeoutMs, confirmWaitMs };
    if (appKind === 'browser') {
      // The renderer must work under its CSP: any violation fails the test.
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const app = await openBrowserApp(page, { ...common, tier });
      appHolder.current = {
        kind: 'browser',
        host,
        hostLog: () => readLines(hostLogPath),
        ipcResponses: () => app.responses,
        quitRequests: () => app.quitRequests,
        answerSaveDialog: async (path) => app.desktop.answerSaveDialog(path),
        answerFolderDialog: async (path) => app.desktop.answerFolderDialog(path),
        printedPages: () => app.desktop.printedPages,
        driveRoot,
        outputDir,
        scenarioFile,
      };
      await use(page);
      await app.close();
      expect(violations, 'CSP violations in the renderer').toEqual([]);
      return;
    }
    const binary = electronBinary();
    test.skip(binary === null, ELECTRON_MISSING);
    test.skip(process.platform === 'linux' && !process.env.DISPLAY, 'No display for the Electron window: run the tests under `xvfb-run -a npm test`.');
    const electron = await openElectronApp({ ...common, binary: binary ?? '' });
    appHolder.current = {
      kind: 'electron',
      host,
      hostLog: () => readLines(hostLogPath),
      ipcResponses: () => [],
      quitRequests: () => 0,
      // The native dialog can't be clicked; replace it in main, as the user's choice would come back.
      answerSaveDialog: (path) =>
        electron.app.evaluate(({ dialog }, filePath) => {
          dialog.showSaveDialog = (async () => ({ canceled: filePath === null, filePath: filePath ?? '' })) as typeof dialog.showSaveDialog;
        }, path),
      answerFolderDialog: (path) =>
        electron.app.evaluate(({ dialog }, folder) => {
          dialog.showOpenDialog = (async () => ({ canceled: folder === null, filePaths: folder === null ? [] : [folder] })) as typeof dialog.showOpenDialog;
        }, path),
      printedPages: () => [],
      driveRoot,
      outputDir,
      scenarioFile,
    };
    await use(electron.page);
    await electron.app.close();
  },

  app: async ({ page, appHolder }, use) => {
    void page;
    await use(appHolder.current!);
  },
});

export { expect };
