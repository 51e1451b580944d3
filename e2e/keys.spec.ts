import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { expectAccessible, firstPage } from './axe';
import { expect, test } from './fixtures';
import { REPO_ROOT } from './harness/paths';

/** Issue 12 on the real main handlers: per-key status, back up what isn't, add, replace, and the saved-key checker. */

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const ENTRA_C = '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}';
const MIXED = 'assets/scenarios/mixed-history.json';

const short = (id: string) => id.slice(1, 9).toUpperCase();
const driveCard = (page: Page, name: string | RegExp) => page.getByRole('group', { name });

async function drives(page: Page) {
  await firstPage(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
  // Status comes after the volumes; wait until it has arrived (or failed, which fails the next assertion).
  await expect(page.getByText('Checking where your recovery keys are backed up…')).toHaveCount(0, { timeout: 60_000 });
}

async function confirmAndBackUp(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeVisible();
  await page.getByRole('button', { name: 'Back up', exact: true }).click();
}

test.describe('a home PC', () => {
  test.use({ tempDrives: ['F:'] });

  test('a key saved to a file shows under its drive, and the checker finds the file current', async ({ page, app }) => {
    await drives(page);
    const c = driveCard(page, 'Windows (C:)');
    await expect(c.getByText(`Recovery key ID ${short(HOME_C)}`, { exact: true })).toBeVisible();
    await expectAccessible(page, 'drive list with key status');

    const path = join(app.driveRoot('F:'), keyFileName(HOME_C));
    await page.getByRole('button', { name: 'Back up your recovery key for C:' }).click();
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await confirmAndBackUp(page);
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    await page.getByRole('button', { name: 'Finish' }).click();
    await drives(page);
    // This app's own history: the place, the path, and that it was read back.
    await expect(c.getByText(new RegExp(`^Saved to a file at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on .*, read back and verified$`))).toBeVisible();
    await expect(c.getByText('Backed up', { exact: true })).toBeVisible();

    await app.answerFolderDialog(app.driveRoot('F:'));
    await page.getByRole('button', { name: 'Check saved keys' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Check saved recovery keys' })).toBeFocused();
    await expect(page.getByText(keyFileName(HOME_C))).toBeVisible();
    await expect(page.getByText('Current: this key unlocks Windows (C:)')).toBeVisible();
    await expectAccessible(page, 'saved-key checker');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeFocused();
  });

  test('cancelling the folder picker stays on the drive list', async ({ page, app }) => {
    await drives(page);
    await app.answerFolderDialog(null);
    await page.getByRole('button', { name: 'Check saved keys' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Check saved recovery keys' })).toHaveCount(0);
  });
});

test.describe('a drive protected by the TPM alone', () => {
  test.use({ scenario: 'assets/scenarios/tpm-only.json' });

  test('gets a recovery password, backed up straight away', async ({ page, app }) => {
    await drives(page);
    await page.getByRole('button', { name: 'Add a recovery password to C:' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Add a recovery password to .*\(C:\)$/ })).toBeFocused();
    await expectAccessible(page, 'add a recovery password');
    await page.getByRole('button', { name: 'Add and back up' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Back up the recovery key for .*\(C:\)$/ })).toBeFocused();
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    expect(app.printedPages()).toHaveLength(1);
    await page.getByRole('button', { name: 'Finish' }).click();
    await drives(page);
    const c = driveCard(page, /\(C:\)$/);
    await expect(c.getByRole('button', { name: 'Back up your recovery key for C:' })).toBeVisible();
    await expect(c.getByText(/^Printed on /)).toBeVisible();
  });
});

test.describe('an Entra-joined PC', () => {
  test.use({ scenario: 'assets/scenarios/entra-office.json' });

  test('replaces a disclosed key: the new one is confirmed by Entra ID before the old one goes', async ({ page }) => {
    await drives(page);
    await page.getByRole('button', { name: `Replace this key: Recovery key ID ${short(ENTRA_C)}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Replace Recovery key ID ${short(ENTRA_C)}` })).toBeFocused();
    await expect(page.getByText('Copies of the old key will stop working')).toBeVisible();
    await expectAccessible(page, 'replace a key');
    await page.getByRole('button', { name: 'Add a new key and back it up' }).click();
    await expect(page.getByRole('radio', { name: /^Save to your organization's Microsoft Entra ID/ })).toBeChecked();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'The recovery key was replaced' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/^The new key: Microsoft Entra ID confirmed the backup at .* \(event 845\)$/)).toBeVisible();
    await expectAccessible(page, 'key replaced');
    await page.getByRole('button', { name: 'Finish' }).click();
    await drives(page);
    const c = driveCard(page, 'Windows (C:)');
    await expect(c.getByText(`Recovery key ID ${short(ENTRA_C)}`, { exact: true })).toHaveCount(0);
    await expect(c.getByText(/^Recovery key ID [0-9A-F]{8}$/)).toHaveCount(1);
  });
});

test.describe('a PC with a mixed history', () => {
  test.use({ scenario: MIXED });

  test('shows every key’s status, and backs up what isn’t to the directory', async ({ page }) => {
    await page.setViewportSize({ width: 960, height: 720 });
    await drives(page);
    await expect(page.getByText(/^(Backed up|Not backed up anywhere|Unknown)$/).first()).toBeVisible();
    await expectAccessible(page, 'drive list, mixed history');
    // The drives with their keys' status, not the intro above them; `npm run screenshots` copies it for the README.
    await page.getByRole('heading', { level: 2, name: 'Operating system drive' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(REPO_ROOT, 'e2e-output', 'screenshots', 'drive-list-key-status.png') });

    await page.getByRole('button', { name: /^Back up all keys to (Microsoft Entra ID|Active Directory)$/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Backing up your recovery keys' })).toBeFocused();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery keys are backed up' })).toBeFocused({ timeout: 90_000 });
    await expectAccessible(page, 'back up what isn’t: summary');
    await page.getByRole('button', { name: 'Done' }).click();
    await drives(page);
    // Every key of C: and D: is in Entra ID now: nothing is left to back up, and nothing is "not backed up".
    await expect(page.getByRole('button', { name: /^Back up all keys to/ })).toHaveCount(0);
    await expect(page.getByText('Not backed up anywhere', { exact: true })).toHaveCount(0);
  });
});
