import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeShape } from '../preload/contract';
import { STARTUP_COMMAND } from '../main/powershell/startup';
import { expect, test } from './fixtures';
import { REPO_ROOT } from './harness/paths';
import { screenshot } from './harness/screenshot';
import { scenarioWith } from '../tests/support/scenarios';

interface ScenarioFile {
  computer: { name: string };
  volumes: { mountPoint: string; label: string | null; keyProtectors: { keyProtectorId: string; keyProtectorType: string }[]; lockStatus: string; volumeStatus: string | null }[];
}

const readScenario = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'assets', 'scenarios', `${name}.json`), 'utf8')) as ScenarioFile;

const listScenarios = ['home-pc', 'entra-office', 'domain-pc', 'device-encryption', 'tpm-only', 'several-passwords', 'hostile-strings', 'windows-quirks', 'crash-once'];

for (const name of listScenarios.filter((n) => n !== 'crash-once')) {
  test.describe(`drive list of ${name}`, () => {
    test.use({ scenario: `assets/scenarios/${name}.json` });

    test('shows every drive with its recovery key IDs and the right action', async ({ page }) => {
      const scenario = readScenario(name);
      await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
      await expect(page.getByText('Simulated PC — no real drives are touched')).toBeVisible();
      await expect(page.getByText(scenario.computer.name, { exact: true })).toBeVisible();
      // Windows lists volumes mounted without a letter too; the app has nowhere to show them and leaves them out.
      const [lettered, unlettered] = [scenario.volumes.filter((v) => /^[A-Z]:$/.test(v.mountPoint)), scenario.volumes.filter((v) => !/^[A-Z]:$/.test(v.mountPoint))];
      for (const volume of unlettered) await expect(page.getByText(volume.mountPoint)).toHaveCount(0);
      for (const volume of lettered) {
        const card = page.getByRole('group').filter({ hasText: `(${volume.mountPoint})` });
        await expect(card).toHaveCount(1);
        const backup = card.getByRole('button', { name: `Back up your recovery key for ${volume.mountPoint}` });
        const passwords = volume.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
        for (const p of passwords) await expect(card).toContainText(p.keyProtectorId.slice(1, 9));
        const canBackUp = passwords.length > 0 && volume.lockStatus === 'Unlocked' && volume.volumeStatus !== 'FullyDecrypted';
        await expect(backup).toHaveCount(canBackUp ? 1 : 0);
      }
      if (name === 'home-pc') {
        await screenshot(page, 'drive-list');
      }
    });
  });
}

test.describe('home PC drive statuses', () => {
  test('says why a drive cannot be backed up', async ({ page }) => {
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toContainText('BitLocker on');
    await expect(page.getByRole('group', { name: 'Travel (E:)' })).toContainText('Locked');
    await expect(page.getByRole('group', { name: 'Travel (E:)' })).toContainText('Unlock this drive first to back up its recovery key');
    await expect(page.getByRole('group', { name: 'USB DISK (F:)' })).toContainText('BitLocker is off for this drive');
    await expect(page.getByRole('heading', { level: 2, name: 'Removable data drives – BitLocker To Go' })).toBeVisible();
  });
});

test.describe('device encryption', () => {
  test.use({ scenario: 'assets/scenarios/device-encryption.json' });
  test('shows the drive waiting for activation, with its key ready to back up', async ({ page }) => {
    const card = page.getByRole('group', { name: 'Windows (C:)' });
    await expect(card).toContainText('Waiting for activation');
    await expect(card).toContainText('The drive is encrypted but not protected yet');
    await expect(card.getByRole('button', { name: 'Back up your recovery key for C:' })).toBeVisible();
  });
});

test.describe('TPM-only drive', () => {
  test.use({ scenario: 'assets/scenarios/tpm-only.json' });
  test('says there is no recovery password to back up, and how to add one', async ({ page }) => {
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toContainText('This drive has no recovery password to back up');
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toContainText('manage-bde -protectors -add C: -RecoveryPassword');
  });
});

test.describe('hostile strings from the PC', () => {
  test.use({ scenario: 'assets/scenarios/hostile-strings.json' });
  test('are shown verbatim and reach PowerShell only as encoded data', async ({ page, app }) => {
    const scenario = readScenario('hostile-strings');
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
    const titles = await page.locator('[title]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('title')));
    for (const volume of scenario.volumes) expect(titles).toContain(volume.label);
    // Nothing breaks the layout: no card is pushed wider than the window, even by a 10 000-character label.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expect(page.getByRole('group', { name: /^Very long label/ })).toBeVisible();
    await expect(page.getByText(scenario.computer.name, { exact: true })).toBeVisible();
    await expect(page.getByText('Données-数据', { exact: false })).toBeVisible();
    const log = app.hostLog();
    expect(log.length).toBeGreaterThan(0);
    for (const line of log) {
      if (line === STARTUP_COMMAND) continue;
      expect(line).toMatch(/^(\[Console\]::(Out|Error)\.WriteLine\("[0-9A-Za-z]{16}"\)|[A-Z][a-z]+-Bkb[A-Za-z]+ -Request '[A-Za-z0-9+/]*={0,2}')$/);
      expect(line).not.toContain('Get-Process');
    }
  });
});

test.describe('not elevated', () => {
  test.use({ scenario: 'assets/scenarios/unelevated.json' });
  test('asks to restart as administrator and relaunches through the module', async ({ page, app }) => {
    await expect(page.getByRole('heading', { level: 1, name: 'BitLocker Key Backup needs administrator rights' })).toBeVisible();
    await page.getByRole('button', { name: 'Restart as administrator' }).click();
    await expect.poll(() => app.hostLog().filter((l) => l.startsWith('Start-BkbElevated -Request ')).length).toBe(1);
    const call = app.hostLog().find((l) => l.startsWith('Start-BkbElevated'))!;
    const request = JSON.parse(Buffer.from(/'(.*)'/.exec(call)![1]!, 'base64').toString('utf8')) as { arguments: string[] };
    // The app's own folder at most, never the arguments it was started with (a shortcut's --inspect).
    expect(request.arguments.every((a) => !a.startsWith('--'))).toBe(true);
    if (app.kind === 'browser') await expect.poll(() => app.quitRequests()).toBe(1);
  });
});

test.describe('BitLocker module missing', () => {
  test.use({ scenario: 'assets/scenarios/module-missing.json' });
  test('explains the edition and where the key is instead', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1, name: "BitLocker tools aren't available in this edition of Windows" })).toBeVisible();
    await expect(page.getByText('https://aka.ms/myrecoverykey')).toBeVisible();
  });
});

test.describe('session crash', () => {
  test.use({ scenario: 'assets/scenarios/crash-once.json' });
  test('shows what happened, and Retry brings the drive list back', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1, name: 'The connection to BitLocker stopped unexpectedly' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'The connection to BitLocker stopped unexpectedly' })).toBeVisible();
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
  });
});

test.describe('faults of the PowerShell host', () => {
  const cases = [
    // Long enough that no honest call times out on a loaded 2-core machine (real pwsh runs alongside), far below the hang.
    { fault: { hangMs: 60_000 }, title: 'Windows took too long to answer', timeout: 6_000 },
    // Output faults only the Node host can act out: real pwsh always writes the module's own line.
    { fault: { garbage: 'WARNING: profile loaded' }, title: "Windows sent an answer the app couldn't read", nodeOnly: true },
    { fault: { stderr: 'Get-BitLockerVolume : Access is denied' }, title: 'Windows reported a problem while the app talked to BitLocker' },
    { fault: { error: 'Get-BitLockerVolume failed', hresult: '0x80310000' }, title: "Windows couldn't read your BitLocker drives" },
  ];
  for (const { fault, title, timeout, nodeOnly } of cases) {
    test.describe(Object.keys(fault)[0]!, () => {
      test.use({ callTimeoutMs: timeout, scenario: scenarioWith('home-pc', { faults: { 'Get-BkbVolumes': { failTimes: 1, ...fault } } }) });
      test(`says "${title}", then recovers on Retry`, async ({ page, app }) => {
        test.skip(nodeOnly === true && app.host === 'real-module', 'Only the simulated PC can write garbage in place of the module’s answer.');
        await expect(page.getByRole('group', { name: title })).toBeVisible();
        await page.getByRole('button', { name: 'Retry' }).click();
        await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
      });
    });
  }
});

test.describe('host that cannot start', () => {
  test.use({ scenario: 'assets/scenarios/does-not-exist.json' });
  test('says PowerShell did not start, never a blank page', async ({ page }) => {
    await expect(page.getByRole('group', { name: "The app couldn't connect to BitLocker" })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  });
});

test.describe('the bridge', () => {
  test('refuses malformed and unknown requests with a code, and the app keeps working', async ({ page, app }) => {
    test.skip(app.kind !== 'browser', 'Calls the main-process dispatcher directly; the Electron project checks preload exposes only contract methods.');
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
    const results = await page.evaluate(async () => {
      const invoke = (window as unknown as { __bkbInvoke: (c: unknown, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }> }).__bkbInvoke;
      return Promise.all([
        invoke('volumes:list', { extra: 1 }),
        invoke('volumes:list', 'x'.repeat(100_000)),
        invoke('disk:format', {}),
        invoke('__proto__', {}),
      ]);
    });
    expect(results.map((r) => r.error?.code)).toEqual(['InvalidRequest', 'InvalidRequest', 'UnknownChannel', 'UnknownChannel']);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
  });

  test('exposes only the contract methods, and no Node or Electron', async ({ page }) => {
    const shape = await page.evaluate(() => ({
      methods: Object.keys((window as unknown as { bitlocker: object }).bitlocker).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(shape).toEqual({
      methods: [...Object.keys(bridgeShape.methods), ...Object.keys(bridgeShape.events)].sort(),
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });
  });
});

test.describe('slow PowerShell start-up', () => {
  test.use({ scenario: scenarioWith('home-pc', { latencyMs: { startup: 5_000 } }), callTimeoutMs: 4_000 });
  test('shows progress while PowerShell starts, and nothing times out early', async ({ page }) => {
    await expect(page.getByText('Starting PowerShell…')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
  });
});

test.describe('a hostile error text from Windows', () => {
  const message = `<img src=x onerror="document.title='pwned'"> $(Get-Process) ${'very long error text '.repeat(600)}`;
  // An HRESULT the app has no words of its own for, so Windows' text is what the user reads.
  test.use({ scenario: scenarioWith('home-pc', { faults: { 'Get-BkbVolumes': { error: message, hresult: '0x80004005' } } }) });
  test('is shown as text, cut short, without breaking the layout', async ({ page }) => {
    const group = page.getByRole('group', { name: "Windows couldn't read your BitLocker drives" });
    await expect(group).toContainText(`<img src=x onerror="document.title='pwned'"> $(Get-Process)`);
    await expect(group.locator('img')).toHaveCount(0);
    expect(await page.title()).not.toBe('pwned');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
