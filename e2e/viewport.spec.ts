import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { firstPage } from './axe';
import { expect, test } from './fixtures';

/**
 * The first screenful at Windows' default window size for the app (960×720): Back, Next and Cancel are always
 * in view without scrolling, as in Windows' own wizards, and what a choice opens comes into view.
 */

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';

test.use({ viewport: { width: 960, height: 720 } });
// The real module in pwsh answers in seconds rather than milliseconds.
test.beforeEach(async ({ page, app }) => {
  test.slow(app.host === 'real-module', 'the real module in pwsh is slow to start and to answer');
  await firstPage(page);
});

/** Wholly inside the window, and not covered by anything (the footer stays on top of the scrolling content). */
async function expectFullyInView(page: Page, target: Locator, what: string) {
  await expect(target, `${what} is in view`).toBeInViewport({ ratio: 1 });
  const covered = await target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    return top === null || !(el === top || el.contains(top));
  });
  expect(covered, `${what} is not covered by anything`).toBe(false);
}

async function expectFooter(page: Page, step: string, buttons: string[]) {
  for (const name of buttons) await expectFullyInView(page, page.getByRole('button', { name, exact: true }), `${step}: ${name}`);
  // Nothing scrolled to get there: the page itself never scrolls, only the content above the footer.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

async function chooseDrive(page: Page, mountPoint: string) {
  await page.getByRole('button', { name: `Back up your recovery key for ${mountPoint}` }).click();
  await expect(page.getByRole('radiogroup', { name: 'Where do you want to back up your recovery key?' })).toBeVisible();
}

test.describe('at 960×720', () => {
  test.use({ tempDrives: ['F:'] });

  test('the footer is in view on every step, and a choice brings its follow-up section into view', async ({ page, app }) => {
    await chooseDrive(page, 'C:');
    await expectFooter(page, 'destination', ['Back', 'Next', 'Cancel']);

    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await expectFullyInView(page, page.getByRole('heading', { level: 2, name: 'Where do you want to save the file?' }), 'the file section');
    await expectFullyInView(page, page.getByRole('button', { name: 'Choose where to save…' }), 'Choose where to save…');
    await expectFooter(page, 'destination, file', ['Back', 'Next', 'Cancel']);

    // A disabled Next says why.
    const next = page.getByRole('button', { name: 'Next' });
    await expect(next).toHaveAccessibleDescription('Choose where to save the file');
    await expectFullyInView(page, page.getByText('Choose where to save the file', { exact: true }), 'why Next is disabled');

    const path = join(app.driveRoot('F:'), keyFileName(HOME_C));
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByText(path, { exact: true })).toBeVisible();
    await expect(next).toBeEnabled();
    await next.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeVisible();
    await expectFooter(page, 'confirm', ['Back', 'Back up', 'Cancel']);

    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    await expectFooter(page, 'result', ['Back up another way', 'Finish']);
  });

  test('the USB and print sections come into view when chosen', async ({ page }) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await expectFullyInView(page, page.getByRole('radio', { name: /^USB DISK \(F:\)/ }), 'the USB flash drive');
    await expectFooter(page, 'destination, USB', ['Back', 'Next', 'Cancel']);
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await page.getByRole('radio', { name: 'Save as PDF' }).check();
    await expectFullyInView(page, page.getByRole('button', { name: 'Choose where to save…' }), 'Choose where to save… (PDF)');
    await expectFooter(page, 'destination, PDF', ['Back', 'Next', 'Cancel']);
  });
});

test.describe('at 960×720 with three recovery keys', () => {
  test.use({ scenario: 'assets/scenarios/several-passwords.json' });
  test('the footer is in view on the destination step', async ({ page }) => {
    await chooseDrive(page, 'C:');
    await expectFooter(page, 'destination with three keys', ['Back', 'Next', 'Cancel']);
  });
});

test.describe('at 960×720 with hostile labels', () => {
  test.use({ scenario: 'assets/scenarios/hostile-strings.json' });
  test('long labels are cut to one line wherever they appear', async ({ page }) => {
    await chooseDrive(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    const longest = page.getByRole('radio', { name: /^Very long label/ });
    await expect(longest).toHaveCount(1);
    const label = page.locator('label').filter({ hasText: /^Very long label/ });
    const height = await label.evaluate((el) => el.getBoundingClientRect().height);
    expect(height, 'the 10 000-character label takes one line').toBeLessThan(40);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectFooter(page, 'destination, hostile labels', ['Back', 'Next', 'Cancel']);
  });
});
