import { defineConfig } from '@playwright/test';
import type { AppKindOption } from './e2e/fixtures';

/**
 * Three projects run the same specs: `browser` (always: the built renderer in Debian's Chromium, wired to the
 * real main-process handlers in this process, on the simulated PC), `browser-pwsh` (the same, on the shipped
 * module in real pwsh over the fake Windows) and `electron` (the real app; skips itself with the reason
 * when the Electron binary is not installed).
 */
export default defineConfig<AppKindOption>({
  testDir: 'e2e',
  outputDir: 'e2e-output/results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list'], ['html', { outputFolder: 'e2e-output/report', open: 'never' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.BKB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', use: { appKind: 'browser', host: 'simulated' } },
    // The same wizard on the shipped module in real pwsh over the fake Windows (docs/fake-windows.md).
    { name: 'browser-pwsh', use: { appKind: 'browser', host: 'real-module' }, testMatch: ['drive-list.spec.ts', 'backup-wizard.spec.ts', 'secrets.spec.ts'] },
    { name: 'electron', use: { appKind: 'electron', host: 'simulated' } },
  ],
});
