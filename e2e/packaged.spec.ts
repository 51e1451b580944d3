import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strings } from '../renderer/strings';
import { REPO_ROOT } from './harness/paths';

/**
 * The packaged app on a real Windows (the `packaged` project; .github/workflows/windows.yml runs it on an elevated
 * runner after `npm run dist:win`). Two builds:
 * - BKB_PACKAGED_APP: the end-to-end test build (electron-builder.e2e.yml), the only one Playwright can attach to;
 * - BKB_PACKAGED_RELEASE: the installed release exe, checked from outside (it takes no debugging switch at all).
 * The runner's volumes are most likely not encrypted, and Windows Server may lack the BitLocker module: either is
 * what the app must show, from the real Windows and never from the simulated PC.
 */
const E2E_APP = process.env.BKB_PACKAGED_APP;
const RELEASE_APP = process.env.BKB_PACKAGED_RELEASE;

// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
test.beforeEach(({}, testInfo) => test.skip(testInfo.project.name !== 'packaged', 'Only the packaged project runs these (against a built app).'));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

test.describe('the end-to-end test build on this Windows', () => {
  test.skip(!E2E_APP, 'BKB_PACKAGED_APP names no packaged app (the Windows workflow sets it after `npm run dist:win -- --e2e-test --dir`).');
  let app: ElectronApplication;

  test.beforeEach(async () => {
    const ignored = mkdtempSync(join(tmpdir(), 'bkb-ignored-'));
    // Everything that steers a development build, set on purpose: a packaged build must ignore all of it.
    app = await _electron.launch({
      executablePath: E2E_APP!,
      args: ['--scenario', join(REPO_ROOT, 'assets', 'scenarios', 'domain-pc.json')],
      env: {
        ...process.env,
        BKB_SCENARIO: join(REPO_ROOT, 'assets', 'scenarios', 'domain-pc.json'),
        BKB_USER_DATA: ignored,
        BKB_CALL_TIMEOUT_MS: '1',
        NODE_POWERSHELL: join(ignored, 'powershell.exe'),
        ELECTRON_RUN_AS_NODE: '1',
      },
      timeout: 60_000,
    });
  });

  test.afterEach(async () => {
    await app?.close();
  });

  test('shows this PC from its real Windows PowerShell, never the simulated PC, whatever the command line and environment say', async () => {
    const page = await app.firstWindow();
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toHaveText(new RegExp(`^(?:${strings.drives.title}|${strings.moduleMissing.title.replace(/'/g, '.')})$`), { timeout: 60_000 });
    await expect(page.getByText(strings.simulated.title)).toHaveCount(0);
    if ((await heading.textContent()) === strings.drives.title) {
      // The system drive is there, with a status Windows gave (an unencrypted runner: BitLocker off).
      const system = page.getByRole('group', { name: /\(C:\)$/ });
      await expect(system).toBeVisible();
      const statuses = Object.values(strings.drives.status).filter((s) => typeof s === 'string') as string[];
      await expect(system).toContainText(new RegExp(statuses.join('|')));
      // Not the domain PC the ignored --scenario and BKB_SCENARIO name.
      const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'assets', 'scenarios', 'domain-pc.json'), 'utf8')) as { computer: { name: string } };
      await expect(page.getByText(scenario.computer.name, { exact: true })).toHaveCount(0);
    }
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(userData).not.toContain('bkb-ignored-');
    const log = readFileSync(join(userData, 'logs', 'bitlocker-key-backup.log'), 'utf8');
    expect(log).toContain('"simulated":false');
  });

  test('has no DevTools: no application menu, openDevTools does nothing (devTools off), F12 and Ctrl+Shift+I neither', async () => {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 60_000 });
    await page.keyboard.press('F12');
    await page.keyboard.press('Control+Shift+I');
    const state = await app.evaluate(async ({ BrowserWindow, Menu }) => {
      const [window] = BrowserWindow.getAllWindows();
      window!.webContents.openDevTools({ mode: 'detach' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return {
        menu: Menu.getApplicationMenu(),
        opened: window!.webContents.isDevToolsOpened(),
        windows: BrowserWindow.getAllWindows().length,
      };
    });
    expect(state).toEqual({ menu: null, opened: false, windows: 1 });
  });

  test('the page has no Node, Electron or ipcRenderer, only the bridge', async () => {
    const page = await app.firstWindow();
    expect(
      await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process, typeof (window as unknown as { bitlocker?: unknown }).bitlocker]),
    ).toEqual(['undefined', 'undefined', 'object']);
  });
});

test.describe('the installed release', () => {
  test.skip(!RELEASE_APP, 'BKB_PACKAGED_RELEASE names no installed release exe (the Windows workflow sets it after installing).');

  for (const option of ['--remote-debugging-port', '--inspect', '/remote-debugging-port']) {
    test(`refuses ${option}=PORT: nothing ever listens there, and it starts nothing`, async () => {
      const port = await freePort();
      const child = spawn(RELEASE_APP!, [`${option}=${port}`], { stdio: 'ignore', windowsHide: false });
      try {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          expect(await answers(port), `something answered on ${port}`).toBe(false);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        // It waits on its error box (or has exited): end it and anything it started.
        if (child.pid && child.exitCode === null) {
          try {
            execFileSync('taskkill', ['/PID', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
          } catch {
            // Already gone.
          }
        }
      }
    });
  }

  test('starts without switches on the real Windows, and its files are where the packaging rules put them', async () => {
    const folder = join(RELEASE_APP!, '..');
    expect(existsSync(join(folder, 'resources', 'app.asar'))).toBe(true);
    expect(existsSync(join(folder, 'resources', 'app'))).toBe(false);
    expect(existsSync(join(folder, 'resources', 'main', 'powershell', 'BitLockerKeyBackup.psm1'))).toBe(true);
    const child = spawn(RELEASE_APP!, [], { stdio: 'ignore' });
    try {
      const log = join(process.env.APPDATA ?? '', 'BitLocker Key Backup', 'logs', 'bitlocker-key-backup.log');
      await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 30_000 }).toMatch(/"simulated":false/);
      await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 60_000 }).toMatch(/PowerShell session.*"state":"(?:ready|failed)"/);
      expect(child.exitCode).toBeNull();
    } finally {
      if (child.pid) execFileSync('taskkill', ['/PID', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    }
  });
});
