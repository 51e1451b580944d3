import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { firstPage } from './axe';
import { expect, test } from './fixtures';

/** A file backup done with the keyboard alone: Tab, Shift+Tab, Enter, Space and the arrow keys, never the mouse. */

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';

/** Presses Tab until `target` has focus (at most `max` times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `reached with Tab within ${max} presses`).toBeFocused({ timeout: 1 });
}

/** The step's heading has focus, so a screen reader starts reading the new step from its title. */
async function expectHeadingFocused(page: Page, name: string | RegExp) {
  const heading = page.getByRole('heading', { level: 1, name });
  // A backup on the real module in pwsh takes a while on a loaded machine.
  await expect(heading).toBeVisible({ timeout: 45_000 });
  await expect(heading).toBeFocused();
  expect(await heading.getAttribute('tabindex')).toBe('-1');
}

test.describe('keyboard only', () => {
  test.use({ tempDrives: ['F:'] });
  // The real module in pwsh answers in seconds rather than milliseconds.
  test.beforeEach(async ({ page, app }) => {
    test.slow(app.host === 'real-module', 'the real module in pwsh is slow to start and to answer');
    await firstPage(page);
  });

  test('completes a file backup, and focus lands on each step’s heading', async ({ page, app }) => {
    const path = join(app.driveRoot('F:'), keyFileName(HOME_C));
    await expectHeadingFocused(page, 'Back up your recovery key');

    await tabTo(page, page.getByRole('button', { name: 'Back up your recovery key for C:' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /^Back up the recovery key for .*C:/);

    // Into the destinations; the arrow keys move between them.
    const file = page.getByRole('radio', { name: 'Save to a file' });
    await tabTo(page, page.getByRole('radiogroup', { name: 'Where do you want to back up your recovery key?' }).getByRole('radio').first());
    for (let i = 0; i < 8 && !(await file.isChecked()); i++) await page.keyboard.press('ArrowDown');
    await expect(file).toBeChecked();
    await expect(file).toBeFocused();

    await app.answerSaveDialog(path);
    await tabTo(page, page.getByRole('button', { name: 'Choose where to save…' }));
    await page.keyboard.press('Enter');
    await expect(page.getByText(path, { exact: true })).toBeVisible();

    await tabTo(page, page.getByRole('button', { name: 'Next' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, 'Confirm your backup');

    await tabTo(page, page.getByRole('button', { name: 'Back up', exact: true }));
    await page.keyboard.press('Space');
    await expectHeadingFocused(page, 'Your recovery key is backed up');
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    expect(existsSync(path)).toBe(true);

    await tabTo(page, page.getByRole('button', { name: 'Finish' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, 'Back up your recovery key');
  });

  test('Escape cancels, from the destination and from the confirm step', async ({ page }) => {
    await tabTo(page, page.getByRole('button', { name: 'Back up your recovery key for C:' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /^Back up the recovery key for .*C:/);
    await page.keyboard.press('Escape');
    await expectHeadingFocused(page, 'Back up your recovery key');

    await tabTo(page, page.getByRole('button', { name: 'Back up your recovery key for C:' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /^Back up the recovery key for .*C:/);
    const print = page.getByRole('radio', { name: 'Print the recovery key' });
    await tabTo(page, page.getByRole('radio').first());
    for (let i = 0; i < 8 && !(await print.isChecked()); i++) await page.keyboard.press('ArrowDown');
    await tabTo(page, page.getByRole('button', { name: 'Next' }));
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, 'Confirm your backup');
    await page.keyboard.press('Escape');
    await expectHeadingFocused(page, 'Back up your recovery key');
  });
});
