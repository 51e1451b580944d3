import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { scenarioWith } from '../tests/support/scenarios';
import { expectAccessible, firstPage } from './axe';
import { expect, test } from './fixtures';
import { REPO_ROOT } from './harness/paths';

/** Issue 12 on the real main handlers: per-key status, back up what isn't, add, replace, and the saved-key checker. */

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const HOME_C_KEY = '000440-249799-223619-263626-375034-667139-257378-230010';
const HOME_D = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';
const ENTRA_C = '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}';
const MIXED = 'assets/scenarios/mixed-history.json';
/** mixed-history: C:'s key created after the last backup, and D:'s key from before the log starts; neither is in Entra ID. */
const MIXED_C_NEW = '{E27B4C90-6D1A-4B3F-9E85-0A2C7D4F6B13}';
const MIXED_D = '{B6F0391C-7A2E-4D58-8C3B-E1F4A6D9027C}';

const short = (id: string) => id.slice(1, 9).toUpperCase();
const driveCard = (page: Page, name: string | RegExp) => page.getByRole('group', { name });

async function drives(page: Page) {
  await firstPage(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
  // Status comes after the volumes; wait until it has arrived (or failed, which fails the next assertion).
  await expect(page.getByText('Checking where your recovery keys are backed up…')).toHaveCount(0, { timeout: 60_000 });
}

/** The result page of a replacement that stopped: the old key still works, and the drive now has both. */
async function expectBothKeysNamed(page: Page, oldId: string, added: string) {
  await expect(page.getByText('The old key was not removed')).toBeVisible();
  const sentence = `Recovery key ID ${short(oldId)} still works. Windows (C:) now has two recovery keys: Recovery key ID ${short(oldId)} and the new Recovery key ID ${added}.`;
  await expect(page.getByText(new RegExp(`^${escapeRegExp(sentence)}`))).toBeVisible();
}

/** Back on the drive list after a stopped replacement: the notice, and C: showing both keys. */
async function expectBothKeysListed(page: Page, oldId: string, added: string) {
  await drives(page);
  await expect(page.getByText("The recovery key for Windows (C:) wasn't replaced")).toBeVisible();
  const c = driveCard(page, 'Windows (C:)');
  await expect(c.getByText(/^Recovery key ID [0-9A-F]{8}$/)).toHaveCount(2);
  await expect(c.getByText(`Recovery key ID ${short(oldId)}`, { exact: true })).toBeVisible();
  await expect(c.getByText(`Recovery key ID ${added}`, { exact: true })).toBeVisible();
}

/** The new key's ID as main answered keys:add to the renderer (the only place the test can learn it). */
function addedKeyId(responses: unknown[]): string {
  const added = responses.flatMap((r) => {
    const data = (r as { ok?: boolean; data?: { keyProtectorId?: unknown } }).data;
    return (r as { ok?: boolean }).ok === true && typeof data?.keyProtectorId === 'string' && Object.keys(data).length === 1 ? [data.keyProtectorId] : [];
  });
  expect(added, 'one keys:add answer').toHaveLength(1);
  return added[0] ?? '';
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

  test('backs up what isn’t drive by drive, then nothing is left to back up', async ({ page, app }) => {
    await drives(page);
    // C:'s key was created after the log starts (775) and never saved: not backed up. D:'s predates the log: unknown.
    // Both count on a PC with no organisation; E: is locked, so its key can't be read and isn't offered.
    await expect(page.getByText('2 recovery keys aren’t backed up as far as this PC can tell.')).toBeVisible();
    await page.getByRole('button', { name: 'Back up the keys that aren’t backed up' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Back up the recovery key for Windows (C:)' })).toBeFocused();
    await expect(page.getByText('Drive 1 of 2', { exact: true })).toBeVisible();
    await expectAccessible(page, 'back up what isn’t: drive 1 of 2');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /\(F:\)/ }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    // The key file is on the stick, holding C:'s key, and nothing else is.
    expect(readdirSync(app.driveRoot('F:'))).toEqual([keyFileName(HOME_C)]);
    expect(readFileSync(join(app.driveRoot('F:'), keyFileName(HOME_C))).toString('utf16le')).toContain(HOME_C_KEY);
    await page.getByRole('button', { name: 'Next drive: Data (D:)' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Back up the recovery key for Data (D:)' })).toBeFocused();
    await expect(page.getByText('Drive 2 of 2', { exact: true })).toBeVisible();
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    expect(app.printedPages()).toHaveLength(1);
    // The last drive: Finish, back to the list.
    await expect(page.getByRole('button', { name: /^Next drive/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Finish' }).click();

    await drives(page);
    const c = driveCard(page, 'Windows (C:)');
    const d = driveCard(page, 'Data (D:)');
    await expect(c.getByText(`Recovery key ID ${short(HOME_C)}`, { exact: true })).toBeVisible();
    await expect(c.getByText(/^Saved to a USB flash drive at .* on .*, read back and verified$/)).toBeVisible();
    await expect(c.getByText('Backed up', { exact: true })).toBeVisible();
    await expect(d.getByText(`Recovery key ID ${short(HOME_D)}`, { exact: true })).toBeVisible();
    await expect(d.getByText(/^Printed on /)).toBeVisible();
    await expect(d.getByText('Backed up', { exact: true })).toBeVisible();
    for (const card of [c, d]) await expect(card.getByText(/^(Not backed up anywhere|Unknown)$/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Back up the keys that aren’t backed up' })).toHaveCount(0);
    await expect(page.getByText(/aren’t backed up as far as this PC can tell|isn’t backed up as far as this PC can tell/)).toHaveCount(0);
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

test.describe('Windows Home, device encryption waiting for activation', () => {
  test.use({ scenario: 'assets/scenarios/device-encryption.json' });

  test('explains what it means, how to end it, and where the key will be', async ({ page, app }) => {
    await drives(page);
    const c = driveCard(page, 'Windows (C:)');
    await expect(c.getByText('Waiting for activation', { exact: true })).toBeVisible();
    await expect(c.getByText('Sign in with a Microsoft account to protect this drive')).toBeVisible();
    await expect(c.getByText(/^Device encryption has encrypted this drive, but it keeps the key unprotected until the recovery key is backed up\. Sign in to Windows with a Microsoft account/)).toBeVisible();
    await expect(c.getByText('You can see the recovery key later on any device, signed in to that account, at:')).toBeVisible();
    await expect(c.getByText('https://aka.ms/myrecoverykey', { exact: true })).toBeVisible();
    // What main told the renderer: encrypted, protection off (the state the explanation is for).
    expect(app.ipcResponses()).toContainEqual(
      expect.objectContaining({ ok: true, data: { volumes: [expect.objectContaining({ mountPoint: 'C:', volumeStatus: 'FullyEncrypted', protectionStatus: 'Off' })] } }),
    );
    await expectAccessible(page, 'device encryption waiting for activation');
  });
});

test.describe('a drive protected by the TPM alone, where Group Policy forbids recovery passwords', () => {
  test.use({ scenario: scenarioWith('tpm-only', { policy: { recoveryPassword: 'forbidden' } }) });

  test('says the policy forbids it, and adds nothing', async ({ page, app }) => {
    await drives(page);
    await page.getByRole('button', { name: 'Add a recovery password to C:' }).click();
    await page.getByRole('button', { name: 'Add and back up' }).click();
    // Its own words, not the Active Directory PolicyForbids message the backup uses.
    const refused = page.getByRole('group', { name: "Your organization's policy doesn't allow recovery passwords on this drive" });
    await expect(refused).toContainText('A Group Policy or Intune setting forbids them. Ask your IT support');
    await expect(refused).toContainText('(PolicyForbids, 0x8031005C)');
    await expect(page.getByText('Nothing was changed on the drive.')).toBeVisible();
    // Still asking, not on to a backup of a key that doesn't exist.
    await expect(page.getByRole('heading', { level: 1, name: /^Add a recovery password to .*\(C:\)$/ })).toBeVisible();
    // The PC was asked once and refused: the refusal is Windows', not the app's guess.
    expect(app.hostLog().filter((l) => l.startsWith('Add-BkbRecoveryPassword'))).toHaveLength(1);
    expect(app.ipcResponses()).toContainEqual(expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'PolicyForbids', hresult: '0x8031005C' }) }));
    await expectAccessible(page, 'add refused by policy');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await drives(page);
    const c = driveCard(page, /\(C:\)$/);
    await expect(c.getByRole('button', { name: 'Add a recovery password to C:' })).toBeVisible();
    await expect(c.getByText(/^Recovery key ID/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Back up your recovery key for C:' })).toHaveCount(0);
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

test.describe('an Entra-joined PC where the new key’s backup is sent but never confirmed', () => {
  test.use({ scenario: scenarioWith('entra-office', { entra: { suppressEvent: true } }), confirmWaitMs: 1_500 });

  test('keeps the old key, and says the drive has both', async ({ page, app }) => {
    await drives(page);
    await page.getByRole('button', { name: `Replace this key: Recovery key ID ${short(ENTRA_C)}` }).click();
    await page.getByRole('button', { name: 'Add a new key and back it up' }).click();
    await expect(page.getByRole('radio', { name: /^Save to your organization's Microsoft Entra ID/ })).toBeChecked();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Sent, not yet confirmed' })).toBeVisible({ timeout: 30_000 });
    const added = short(addedKeyId(app.ipcResponses()));
    expect(added).not.toBe(short(ENTRA_C));
    await expectBothKeysNamed(page, ENTRA_C, added);
    await expectAccessible(page, 'replacement stopped: sent, not confirmed');
    // One key added, and nothing asked the PC to remove one.
    expect(app.hostLog().filter((l) => l.startsWith('Add-BkbRecoveryPassword'))).toHaveLength(1);
    expect(app.hostLog().filter((l) => l.startsWith('Remove-BkbRecoveryPassword'))).toEqual([]);
    await page.getByRole('button', { name: 'Finish' }).click();
    await expectBothKeysListed(page, ENTRA_C, added);
  });
});

test.describe('a home PC where reading the new key for its backup fails', () => {
  // The add succeeds; the backup's first read of a recovery password (the new key's) is refused by Windows.
  test.use({
    scenario: scenarioWith('home-pc', { faults: { 'Get-BkbRecoveryPassword': { failTimes: 1, error: 'The device is not ready for use', hresult: '0x80310000' } } }),
    tempDrives: ['F:'],
  });

  test('keeps the old key, writes nothing, and the drive list shows both keys', async ({ page, app }) => {
    await drives(page);
    await page.getByRole('button', { name: `Replace this key: Recovery key ID ${short(HOME_C)}` }).click();
    await page.getByRole('button', { name: 'Add a new key and back it up' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up the recovery key for Windows (C:)' })).toBeFocused();
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /\(F:\)/ }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: "Your recovery key wasn't backed up" })).toBeVisible({ timeout: 30_000 });
    const added = short(addedKeyId(app.ipcResponses()));
    await expectBothKeysNamed(page, HOME_C, added);
    await expect(page.getByText(/CmdletFailed, 0x80310000/)).toBeVisible();
    expect(readdirSync(app.driveRoot('F:'))).toEqual([]);
    expect(app.hostLog().filter((l) => l.startsWith('Remove-BkbRecoveryPassword'))).toEqual([]);
    await page.getByRole('button', { name: 'Finish' }).click();
    await expectBothKeysListed(page, HOME_C, added);
  });
});

test.describe('a PC with a mixed history whose first send to Entra ID fails', () => {
  test.use({
    scenario: scenarioWith('mixed-history', { faults: { 'Backup-BkbToEntra': { failTimes: 1, error: 'A security error occurred', hresult: '0x80072F8F' } } }),
  });

  test('backs up the rest, and the summary names the failed key and why', async ({ page }) => {
    await drives(page);
    await page.getByRole('button', { name: 'Back up all keys to Microsoft Entra ID' }).click();
    await expect(page.getByRole('heading', { level: 1, name: "Some recovery keys weren't backed up" })).toBeFocused({ timeout: 90_000 });
    await expect(page.getByText('1 of 2 recovery keys backed up', { exact: true })).toBeVisible();
    // Drive order: C:'s new key is sent first and meets the fault; D:'s goes through.
    const failed = page.getByRole('listitem').filter({ hasText: `Windows (C:) — Recovery key ID ${short(MIXED_C_NEW)}` });
    await expect(failed.getByText("Windows couldn't reach Microsoft Entra ID")).toBeVisible();
    await expect(failed.getByText(/NetworkUnavailable, 0x80072F8F/)).toBeVisible();
    const sent = page.getByRole('listitem').filter({ hasText: `Projects (D:) — Recovery key ID ${short(MIXED_D)}` });
    await expect(sent.getByText(/^Microsoft Entra ID confirmed the backup at .*\(event 845\)$/)).toBeVisible();
    await expectAccessible(page, 'back up what isn’t: one failure');
    await page.getByRole('button', { name: 'Done' }).click();

    await drives(page);
    // Only the failed key is left to send.
    await expect(page.getByText('1 recovery key isn’t in Microsoft Entra ID yet.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Back up all keys to Microsoft Entra ID' })).toBeVisible();
    const c = driveCard(page, 'Windows (C:)');
    const failedRow = c.getByRole('listitem').filter({ hasText: `Recovery key ID ${short(MIXED_C_NEW)}` });
    await expect(failedRow.getByText('Not backed up anywhere', { exact: true })).toBeVisible();
    const d = driveCard(page, 'Projects (D:)');
    await expect(d.getByText(/^Microsoft Entra ID accepted it on .* \(event 845\)$/)).toBeVisible();
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
