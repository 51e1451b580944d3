import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { scenarioWith } from '../tests/support/scenarios';
import { announced, expectAccessible, firstPage, listenToLiveRegions } from './axe';
import { expect, test } from './fixtures';
import { REPO_ROOT } from './harness/paths';

/**
 * axe-core on every step of every shipped scenario, in light, dark and forced colours (Windows' contrast
 * themes); any violation fails. One test per scenario and mode walks that scenario's steps.
 */

const SCENARIOS = readdirSync(join(REPO_ROOT, 'assets', 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

const MODES = [
  { name: 'light', media: { colorScheme: 'light' } },
  { name: 'dark', media: { colorScheme: 'dark' } },
  { name: 'forced colours', media: { forcedColors: 'active' } },
] as const;

// The real module in pwsh answers in seconds rather than milliseconds: its tests get the longer timeout.
test.beforeEach(async ({ app }) => {
  test.slow(app.host === 'real-module', 'the real module in pwsh is slow to start and to answer');
});

async function chooseDrive(page: Page, mountPoint: string) {
  await page.getByRole('button', { name: `Back up your recovery key for ${mountPoint}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Back up the recovery key for / })).toBeVisible();
  await expect(page.getByRole('radiogroup', { name: 'Where do you want to back up your recovery key?' })).toBeVisible();
}

async function confirmAndRun(page: Page, check: (step: string) => Promise<void>) {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeVisible();
  await check('confirm');
  await page.getByRole('button', { name: 'Back up', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Finish' })).toBeVisible({ timeout: 30_000 });
  await check('result');
}

/** The wizard as each kind of PC would use it; scenarios not listed show their first page only. */
const WALKS: Record<string, (page: Page, check: (step: string) => Promise<void>) => Promise<void>> = {
  'home-pc': async (page, check) => {
    await chooseDrive(page, 'C:');
    await check('destination');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await expect(page.getByRole('button', { name: 'Choose where to save…' })).toBeVisible();
    await check('destination, file');
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await page.getByRole('radio', { name: 'Save as PDF' }).check();
    await check('destination, print as PDF');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await expect(page.getByRole('radio', { name: /^USB DISK \(F:\)/ })).toBeChecked();
    await check('destination, USB flash drive');
    await confirmAndRun(page, check);
  },
  'entra-office': async (page, check) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: /Microsoft Entra ID/ }).check();
    await check('destination');
    await confirmAndRun(page, check);
  },
  'domain-pc': async (page, check) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: /Active Directory/ }).check();
    await check('destination');
    await confirmAndRun(page, check);
  },
  'device-encryption': async (page, check) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await check('destination');
    await confirmAndRun(page, check);
  },
  'several-passwords': async (page, check) => {
    await chooseDrive(page, 'C:');
    await check('destination with three keys');
  },
  'hostile-strings': async (page, check) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await check('destination, hostile USB labels');
  },
  'windows-quirks': async (page, check) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await check('destination');
    await confirmAndRun(page, check);
  },
  'crash-once': async (page, check) => {
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible({ timeout: 60_000 });
    await check('drive list after Retry');
  },
};

for (const mode of MODES) {
  test.describe(`axe-core, ${mode.name}`, () => {
    for (const scenario of SCENARIOS) {
      test.describe(scenario, () => {
        test.use({ scenario: `assets/scenarios/${scenario}.json`, tempDrives: scenario === 'home-pc' ? ['F:'] : [] });
        test('every step has no violations', async ({ page }) => {
          await page.emulateMedia(mode.media);
          const check = (step: string) => expectAccessible(page, `${scenario}, ${mode.name}: ${step}`);
          await firstPage(page);
          await check('first page');
          await WALKS[scenario]?.(page, check);
        });
      });
    }

    test.describe('Microsoft account, waiting for Windows', () => {
      test.use({ scenario: scenarioWith('home-pc', { microsoftAccount: { userCompletes: false } }), confirmWaitMs: 30_000 });
      test('the waiting view and the result when nothing was done have no violations', async ({ page }) => {
        await page.emulateMedia(mode.media);
        const check = (step: string) => expectAccessible(page, `Microsoft account, ${mode.name}: ${step}`);
        await firstPage(page);
        await chooseDrive(page, 'C:');
        await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByRole('button', { name: 'Back up', exact: true }).click();
        const stop = page.getByRole('button', { name: 'Stop waiting' });
        await expect(stop).toBeVisible();
        await check('waiting for the BitLocker panel');
        await stop.click();
        await expect(page.getByRole('button', { name: 'Check again' })).toBeVisible();
        await check('result, nothing reported');
      });
    });
  });
}

test.describe('screen readers', () => {
  test.use({ tempDrives: ['F:'] });

  test('hear the progress and the result as they happen', async ({ page }) => {
    await firstPage(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
    await listenToLiveRegions(page);
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    await expect.poll(async () => (await announced(page)).join('\n')).toContain('Your recovery key is backed up');
    const stages = ['Reading the recovery key…', 'Saving…', 'Checking the saved file…', 'Starting the backup…'];
    expect((await announced(page)).some((text) => stages.some((stage) => text.includes(stage))), 'a progress stage was announced').toBe(true);
  });

  test('find the simulated-PC banner inside a landmark', async ({ page }) => {
    await firstPage(page);
    const banner = page.getByText('Simulated PC — no real drives are touched');
    await expect(banner).toBeVisible();
    const landmark = await banner.evaluate((el) => el.closest('header, main, aside, nav, footer, [role="banner"], [role="region"], [role="complementary"]')?.tagName ?? null);
    expect(landmark, 'the banner is inside a landmark').not.toBeNull();
  });
});

test.describe('forced colours', () => {
  test('drive cards keep their outline, which a shadow alone would lose', async ({ page }) => {
    await page.emulateMedia({ forcedColors: 'active' });
    await firstPage(page);
    const cards = page.getByRole('group').filter({ has: page.getByRole('heading', { level: 3 }) });
    await expect(cards).toHaveCount(4);
    for (const card of await cards.all()) {
      const border = await card.evaluate((el) => {
        const style = getComputedStyle(el);
        return { width: parseFloat(style.borderTopWidth), style: style.borderTopStyle, color: style.borderTopColor };
      });
      expect(border.width, 'a border is drawn').toBeGreaterThanOrEqual(1);
      expect(border.style).toBe('solid');
      expect(border.color, 'in a system colour, not transparent').not.toMatch(/rgba\(\d+, \d+, \d+, 0\)|transparent/);
    }
  });
});

test.describe('screen readers, errors', () => {
  test.use({ scenario: scenarioWith('home-pc', { faults: { 'Get-BkbVolumes': { failTimes: 2, error: 'Get-BitLockerVolume failed', hresult: '0x80310000' } } }) });

  test('the error page has an h1, and a repeated error is announced', async ({ page }) => {
    const heading = page.getByRole('heading', { level: 1 });
    await firstPage(page);
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(heading).toHaveCount(1);
    const title = (await heading.textContent()) ?? '';
    expect(title).not.toBe('');
    await listenToLiveRegions(page);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible({ timeout: 60_000 });
    await expect.poll(async () => (await announced(page)).join('\n')).toContain(title);
  });
});
