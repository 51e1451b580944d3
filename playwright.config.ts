import { defineConfig } from '@playwright/test';
import type { AppKindOption } from './e2e/fixtures';

/**
 * Three projects run the same specs: `browser` (always: the built renderer in Debian's Chromium, wired to the
 * real main-process handlers in this process, on the simulated PC), `browser-pwsh` (the same, on the shipped
 * module in real pwsh over the fake Windows) and `electron` (the real app; skips itself with the reason
 * when the Electron binary is not installed). A fourth, `packaged`, runs e2e/packaged.spec.ts against the
 * packaged app on Windows (.github/workflows/windows.yml); everywhere else it skips.
 */
export default defineConfig<AppKindOption>({
  testDir: 'e2e',
  // Only the packaged project runs it (its own testIgnore replaces this one).
  testIgnore: ['packaged.spec.ts'],
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
    // Real pwsh and the fake answer in tens of milliseconds per call where the Node host takes one; more headroom.
    { name: 'browser-pwsh', timeout: 150_000, use: { appKind: 'browser', host: 'real-module' }, testMatch: ['drive-list.spec.ts', 'backup-wizard.spec.ts', 'secrets.spec.ts', 'keys.spec.ts'] },
    { name: 'electron', use: { appKind: 'electron', host: 'simulated' } },
    // The built, installed app on a real Windows (BKB_PACKAGED_APP, BKB_PACKAGED_RELEASE: set by the Windows workflow).
    { name: 'packaged', testMatch: ['packaged.spec.ts'], testIgnore: [], timeout: 120_000, workers: 1 },
  ],
});
