import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { scenarioWith } from '../tests/support/scenarios';
import { expect, test } from './fixtures';
import { screenshot } from './harness/screenshot';

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const HOME_C_KEY = '000440-249799-223619-263626-375034-667139-257378-230010';
const SEVERAL = [
  { id: '{4B319A6B-C0D6-4316-A3F1-33830437D79B}', key: '257708-305107-370942-167827-115577-457039-380776-281292' },
  { id: '{1DEE841F-76A7-427F-92FF-AA8FFFB73A75}', key: '196658-289091-554499-119284-200618-466158-567501-107393' },
  { id: '{9572FB9C-46B1-4F9E-B95C-F0E44CFE26C6}', key: '002486-443784-270358-176429-479479-184426-144551-314556' },
];
/**
 * What Windows' wizard would have saved for this key: the hand-made golden file (tests/fixtures/key-file, not
 * produced by the code under test) with its identifier and key swapped for these. Comparing with formatKeyFile
 * would only prove the app agrees with itself.
 */
const GOLDEN_ID = '8A696888-99A7-4FAC-92C7-6CC497EA7BDF';
const GOLDEN_KEY = '000033-502458-135795-660000-099990-299002-345565-720885';
const GOLDEN = readFileSync(join(__dirname, '..', 'tests', 'fixtures', 'key-file', `BitLocker Recovery Key ${GOLDEN_ID}.TXT`));
function windowsKeyFile(keyProtectorId: string, recoveryPassword: string): Buffer {
  expect(GOLDEN.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])), 'the golden file starts with the UTF-16 LE BOM').toBe(true);
  const text = GOLDEN.subarray(2).toString('utf16le');
  expect(text.split(`\t${GOLDEN_ID}\r\n`), 'the golden file holds its identifier once').toHaveLength(2);
  expect(text.split(`\t${GOLDEN_KEY}\r\n`), 'the golden file holds its key once').toHaveLength(2);
  const swapped = text.replace(`\t${GOLDEN_ID}\r\n`, `\t${keyProtectorId.slice(1, -1).toUpperCase()}\r\n`).replace(`\t${GOLDEN_KEY}\r\n`, `\t${recoveryPassword}\r\n`);
  return Buffer.concat([GOLDEN.subarray(0, 2), Buffer.from(swapped, 'utf16le')]);
}
/** The key file on disk is byte for byte what Windows writes (compared as text first, for a readable failure). */
function expectWindowsKeyFile(path: string, keyProtectorId: string, recoveryPassword: string) {
  const actual = readFileSync(path);
  const expected = windowsKeyFile(keyProtectorId, recoveryPassword);
  expect(actual.subarray(2).toString('utf16le')).toBe(expected.subarray(2).toString('utf16le'));
  expect(actual.equals(expected), `${path} is byte for byte Windows' key file`).toBe(true);
}

/** A network share standing in for \\nas\keys: Windows allows key files on network locations. */
const NAS = mkdtempSync(join(tmpdir(), 'bkb-nas-'));

async function startBackup(page: Page, mountPoint: string) {
  await page.getByRole('button', { name: `Back up your recovery key for ${mountPoint}` }).click();
  // The drive as the list names it: "Windows (C:)".
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Back up the recovery key for .*\\(${mountPoint}\\)$`) })).toBeVisible();
}

async function confirmAndBackUp(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeVisible();
  await page.getByRole('button', { name: 'Back up', exact: true }).click();
}

test.describe('save to a file', () => {
  test.use({ tempDrives: ['F:', 'D:'] });

  test('writes Windows’ key file, reads it back, and says so', async ({ page, app }) => {
    const path = join(app.driveRoot('F:'), keyFileName(HOME_C));
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByText(path)).toBeVisible();
    await screenshot(page, 'wizard-1-destination');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(`A text file will be saved to ${path}`)).toBeVisible();
    await screenshot(page, 'wizard-2-confirm');
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    await screenshot(page, 'wizard-3-result');
    expectWindowsKeyFile(path, HOME_C, HOME_C_KEY);
    expect(readdirSync(app.driveRoot('F:'))).toEqual([keyFileName(HOME_C)]);

    await page.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
  });

  test('refuses an encrypted drive with Windows’ words and lets the user choose again', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(join(app.driveRoot('D:'), 'key.txt'));
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByText('Your recovery key cannot be saved to an encrypted drive.').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
    expect(readdirSync(app.driveRoot('D:'))).toEqual([]);

    await app.answerSaveDialog(join(app.driveRoot('F:'), 'key.txt'));
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled();
  });

  test('asks before replacing a file, and never replaces it silently', async ({ page, app }) => {
    const path = join(app.driveRoot('F:'), 'recovery key.txt');
    writeFileSync(path, 'my old notes');
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(`A file with this name already exists: ${path}`)).toBeVisible();
    const backUp = page.getByRole('button', { name: 'Back up', exact: true });
    await expect(backUp).toBeDisabled();
    expect(readFileSync(path, 'utf8')).toBe('my old notes');
    await page.getByRole('checkbox', { name: 'Replace the existing file' }).check();
    await backUp.click();
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    expectWindowsKeyFile(path, HOME_C, HOME_C_KEY);
  });

  test('cancelling the Save dialog changes nothing', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(null);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  });
});

test.describe('save to a USB flash drive', () => {
  test.use({ tempDrives: ['F:'] });

  test('writes the key file to the stick’s root', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    // The 14.9 GB stick's own free space, not the disk its folder lives on.
    await expect(page.getByRole('radio', { name: 'USB DISK (F:) — 14.9 GB free' })).toBeVisible();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await expect(page.getByRole('radio', { name: /^Travel \(E:\)/ })).toBeDisabled();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('A text file will be saved to the root of USB DISK (F:)')).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    const path = join(app.driveRoot('F:'), keyFileName(HOME_C));
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    expectWindowsKeyFile(path, HOME_C, HOME_C_KEY);
  });

  test('says the stick was removed when it is pulled out before the write, and leaves nothing behind', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    rmSync(app.driveRoot('F:'), { recursive: true });
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: "Your recovery key wasn't backed up" })).toBeVisible();
    await expect(page.getByText('DriveRemoved')).toBeVisible();
    expect(existsSync(app.driveRoot('F:'))).toBe(false);
  });
});

test.describe('print', () => {
  test.use({ tempDrives: ['F:', 'D:'] });

  test('prints a page with the computer, drive, identifier and key', async ({ page, app }) => {
    test.skip(app.kind !== 'browser', 'The print dialog is native; the browser harness records what would be printed.');
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await page.getByRole('radio', { name: 'Print', exact: true }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText("Your printer's dialog will open")).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByText('Sent to the printer')).toBeVisible();
    const printed = app.printedPages();
    expect(printed).toHaveLength(1);
    for (const fact of ['DESKTOP-4Q7R2LM', 'C:', HOME_C.slice(1, -1), HOME_C_KEY]) expect(printed[0]).toContain(fact);
  });

  test('saves a PDF through the same location rules', async ({ page, app }) => {
    const path = join(app.driveRoot('F:'), 'recovery-key.pdf');
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Print the recovery key' }).check();
    await page.getByRole('radio', { name: 'Save as PDF' }).check();
    await app.answerSaveDialog(join(app.driveRoot('D:'), 'recovery-key.pdf'));
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await expect(page.getByText('Your recovery key cannot be saved to an encrypted drive.').first()).toBeVisible();
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await confirmAndBackUp(page);
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    const pdf = readFileSync(path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });
});

test.describe('Microsoft Entra ID', () => {
  test.use({ scenario: 'assets/scenarios/entra-office.json' });

  test('sends the key and shows the confirming event', async ({ page }) => {
    await startBackup(page, 'C:');
    await expect(page.getByRole('radio', { name: 'Save to your Microsoft account' })).toBeDisabled();
    // On a joined PC the organisation's directory is chosen already, and named.
    await expect(page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID (Contoso)" })).toBeChecked();
    await page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID" }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/sent to Microsoft Entra ID, then the app waits up to 15 seconds/)).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByText('Waiting for Windows to confirm…')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    await expect(page.getByText(/^Microsoft Entra ID confirmed the backup at \d{1,2}:\d{2}.*\(event 845\)$/)).toBeVisible();
    await expect(page.getByText(/https:\/\/myaccount\.microsoft\.com\/device-list/)).toBeVisible();
  });
});

test.describe('Microsoft Entra ID refuses (event 846)', () => {
  test.use({ scenario: scenarioWith('entra-office', { entra: { failEvent: 846 } }) });
  test('says it was not backed up, with the event', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID" }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: "Your recovery key wasn't backed up" })).toBeVisible();
    await expect(page.getByText(/event 846/).first()).toBeVisible();
  });
});

test.describe('Microsoft Entra ID unreachable (0x80072F8F)', () => {
  test.use({ scenario: scenarioWith('entra-office', { faults: { 'Backup-BkbToEntra': { error: 'A security error occurred', hresult: '0x80072F8F' } } }) });
  test('explains the network and what to do', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID" }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText("Windows couldn't reach Microsoft Entra ID")).toBeVisible();
    await expect(page.getByText(/NetworkUnavailable, 0x80072F8F/)).toBeVisible();
  });
});

test.describe('Microsoft Entra ID accepts but no event arrives', () => {
  test.use({ scenario: scenarioWith('entra-office', { entra: { suppressEvent: true } }), confirmWaitMs: 1_500 });
  test('says "sent, not yet confirmed", not success, and can check again', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID" }).check();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Sent, not yet confirmed' })).toBeVisible();
    await expect(page.getByText("Sent, but Windows hasn't confirmed it yet. It can take a few minutes.")).toBeVisible();
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => app.hostLog().filter((l) => l.startsWith('Get-BkbBackupEvents')).length).toBeGreaterThan(1);
    await expect(page.getByRole('heading', { level: 1, name: 'Sent, not yet confirmed' })).toBeVisible();
  });
});

test.describe('not joined to Microsoft Entra ID', () => {
  test('tucks Entra ID and Active Directory away, and names them with the reason on request', async ({ page }) => {
    await startBackup(page, 'C:');
    await expect(page.getByRole('radio', { name: /Microsoft Entra ID/ })).toHaveCount(0);
    await expect(page.getByText("This PC isn't joined to Microsoft Entra ID")).toBeHidden();
    await page.getByRole('button', { name: "Options that don't apply to this PC" }).click();
    await expect(page.getByText("This PC isn't joined to Microsoft Entra ID")).toBeVisible();
    await expect(page.getByText("This PC isn't joined to a domain")).toBeVisible();
  });
});

test.describe('Active Directory', () => {
  test.use({ scenario: 'assets/scenarios/domain-pc.json' });
  test('backs up and shows event 784', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to Active Directory' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText(/^Active Directory confirmed the backup at .*\(event 784\)$/)).toBeVisible();
  });
});

test.describe('Active Directory policy forbids it', () => {
  test.use({ scenario: scenarioWith('domain-pc', { activeDirectory: { policyForbids: true } }) });
  test('says Group Policy does not allow it', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to Active Directory' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText("Group Policy doesn't allow storing recovery keys in Active Directory")).toBeVisible();
  });
});

test.describe('Microsoft account, nothing done in Windows’ panel', () => {
  test.use({ scenario: scenarioWith('home-pc', { microsoftAccount: { userCompletes: false } }), confirmWaitMs: 60_000 });
  test('says what to do there while waiting, stops waiting on request, and never says "Sent"', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText('Finish in the BitLocker window')).toBeVisible();
    await expect(page.getByText(/^In the BitLocker Drive Encryption window, select 'Back up your recovery key', then 'Save to your Microsoft account'/)).toBeVisible();
    await page.getByRole('button', { name: 'Stop waiting' }).click();
    await expect(page.getByRole('heading', { level: 1, name: "Windows hasn't reported a backup yet" })).toBeVisible();
    await expect(
      page.getByText("Windows hasn't reported a backup to your Microsoft account. If you finished the steps in the BitLocker window, select Check again."),
    ).toBeVisible();
    await expect(page.getByText(/\bSent\b/)).toHaveCount(0);
    await expect(page.getByText(/^Last checked at \d{2}:\d{2}:\d{2}$/)).toBeVisible();
    // The way forward is the primary button; Finish is not.
    const footer = page.locator('footer');
    await expect(footer.getByRole('button').filter({ hasText: /^(Check again|Finish|Back up another way)$/ })).toHaveText(['Back up another way', 'Check again', 'Finish']);
    const checks = () => app.hostLog().filter((l) => l.startsWith('Get-BkbBackupEvents')).length;
    const before = checks();
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(checks).toBeGreaterThan(before);
    await expect(page.getByRole('heading', { level: 1, name: "Windows hasn't reported a backup yet" })).toBeVisible();
  });
});

test.describe('Microsoft account on Windows Home (Device encryption)', () => {
  test.use({ scenario: scenarioWith('device-encryption', { microsoftAccount: { userCompletes: false } }), confirmWaitMs: 60_000 });
  test('waits in Settings, not in a BitLocker panel Windows Home does not have', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/^Settings will open at Device encryption\./)).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByText('Finish in Settings')).toBeVisible();
    await page.getByRole('button', { name: 'Stop waiting' }).click();
    await expect(page.getByText(/If you finished the steps in Settings, select Check again\.$/)).toBeVisible();
  });
});

test.describe('Microsoft account', () => {
  test('opens Windows’ panel, then finds the confirmation in the event log', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/Windows' BitLocker panel will open/)).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByText(/^Your Microsoft account confirmed the backup at .*\(event 828\)$/)).toBeVisible();
    await expect(page.getByText('See the keys stored in your Microsoft account at https://aka.ms/myrecoverykey')).toBeVisible();
    expect(app.hostLog().filter((l) => l.startsWith('Open-BkbBitLockerPanel -Request '))).toHaveLength(1);
  });
});

test.describe('several recovery passwords, to a network share', () => {
  test.use({
    scenario: scenarioWith('several-passwords', {
      computer: { name: 'DESKTOP-M3RV8TA', elevated: true, edition: 'Professional', entraJoined: false, domainJoined: false, networkShares: [{ root: NAS, unc: '\\\\nas\\keys' }] },
    }),
  });
  test('backs up the chosen keys, one verified file each, and none of the others', async ({ page, app }) => {
    const [first, second, third] = SEVERAL as [(typeof SEVERAL)[number], (typeof SEVERAL)[number], (typeof SEVERAL)[number]];
    const folder = mkdtempSync(join(NAS, 'run-'));
    await startBackup(page, 'C:');
    for (const { id } of SEVERAL) await expect(page.getByRole('checkbox', { name: new RegExp(id.slice(1, 9)) })).toBeChecked();
    await page.getByRole('checkbox', { name: new RegExp(second.id.slice(1, 9)) }).uncheck();
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(join(folder, keyFileName(first.id)));
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await confirmAndBackUp(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    expect(readdirSync(folder).sort()).toEqual([keyFileName(first.id), keyFileName(third.id)].sort());
    for (const { id, key } of [first, third]) expectWindowsKeyFile(join(folder, keyFileName(id)), id, key);
  });
});

test.describe('back and cancel', () => {
  test.use({ tempDrives: ['F:'] });
  test('Back keeps earlier choices; Cancel returns to the drive list', async ({ page }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(page.getByRole('radio', { name: 'Save to a USB flash drive' })).toBeChecked();
    await expect(page.getByRole('radio', { name: /^USB DISK \(F:\)/ })).toBeChecked();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
  });
});

test.describe('the drive is locked between listing and backup', () => {
  test.use({ scenario: scenarioWith('home-pc', { mutations: [{ after: 'Get-BkbVolumes', calls: 3, lock: 'C:' }] }), tempDrives: ['F:'] });
  test('says to unlock it, and writes nothing', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText(/VolumeLocked/)).toBeVisible();
    expect(readdirSync(app.driveRoot('F:'))).toEqual([]);
  });
});

test.describe('the recovery key is removed between listing and backup', () => {
  test.use({ scenario: scenarioWith('home-pc', { mutations: [{ after: 'Get-BkbVolumes', calls: 3, removeProtector: HOME_C }] }), tempDrives: ['F:'] });
  test('says the key no longer exists, and writes nothing', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText('This recovery key no longer exists on the drive').first()).toBeVisible();
    expect(readdirSync(app.driveRoot('F:'))).toEqual([]);
  });
});

test.describe('double clicks', () => {
  test.use({ scenario: 'assets/scenarios/entra-office.json' });
  test('never start two backups', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: "Save to your organization's Microsoft Entra ID" }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Back up', exact: true }).dblclick();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeVisible();
    expect(app.hostLog().filter((l) => l.startsWith('Backup-BkbToEntra -Request '))).toHaveLength(1);
  });
});

test.describe('back up another way', () => {
  test.use({ tempDrives: ['F:'] });
  test('returns to the destination step for the same drive, then Finish reads the drives again', async ({ page, app }) => {
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await confirmAndBackUp(page);
    await page.getByRole('button', { name: 'Back up another way' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up the recovery key for Windows (C:)' })).toBeVisible();
    await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    await confirmAndBackUp(page);
    await expect(page.getByText(/^Your Microsoft account confirmed the backup/)).toBeVisible();
    const listings = () => app.hostLog().filter((l) => l.startsWith('Get-BkbVolumes ')).length;
    const before = listings();
    await page.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeVisible();
    await expect.poll(listings).toBeGreaterThan(before);
  });
});

test.describe('a hostile file name', () => {
  test.use({ tempDrives: ['F:'] });
  test('is shown verbatim, written as named, and never reaches PowerShell as code', async ({ page, app }) => {
    const name = `key $(Remove-Item C:\\) 'q' "dq" \`tick\` ; | Données-数据 🔑.txt`;
    const path = join(app.driveRoot('F:'), name);
    await startBackup(page, 'C:');
    await page.getByRole('radio', { name: 'Save to a file' }).check();
    await app.answerSaveDialog(path);
    await page.getByRole('button', { name: 'Choose where to save…' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(`A text file will be saved to ${path}`)).toBeVisible();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByText(`Saved to ${path}, read back and verified`)).toBeVisible();
    expectWindowsKeyFile(path, HOME_C, HOME_C_KEY);
    for (const line of app.hostLog()) expect(line).not.toContain('Remove-Item');
  });
});
