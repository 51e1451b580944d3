import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

/** The app's log (BKB_USER_DATA is this test's user-data folder), as text; empty until the first line. */
const appLog = (outputDir: string) => {
  const file = join(outputDir, 'user-data', 'logs', 'bitlocker-key-backup.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

// These guards live in Electron's main process (main/security/guards.ts); the browser project has no main
// process, so there they are covered by main/security/guards.test.ts instead.
test.describe('the Electron window is locked down', () => {
  test.skip(({ appKind }) => appKind !== 'electron', 'Needs the real Electron main process (its guards are unit-tested in main/security/guards.test.ts).');

  test('window.open is refused', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  });

  test('navigation away from the app is refused', async ({ page, app }) => {
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(appLog(app.outputDir)).not.toContain('refused a navigation off the app');
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    // The event that proves it: main's will-navigate guard refused it and wrote so in the app log.
    await expect.poll(() => appLog(app.outputDir)).toContain('"origin":"https://example.com"');
    expect(appLog(app.outputDir)).toContain('refused a navigation off the app');
    expect(page.url()).toBe('app://bitlocker/index.html');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });

  test('every permission is denied', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  });

  test('the page has no Node, Electron or ipcRenderer', async ({ page }) => {
    expect(
      await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process, typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer]),
    ).toEqual(['undefined', 'undefined', 'undefined']);
  });
});
