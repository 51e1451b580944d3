import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from '@playwright/test';
import { keyFileName } from '../main/bitlocker/key-file';
import { RECOVERY_PASSWORD_PATTERN } from '../main/security/redact';
import { expect, test } from './fixtures';

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
/** A recovery password in any shape it could be written (redaction's own pattern), in UTF-8 or UTF-16. */
const PASSWORD = new RegExp(RECOVERY_PASSWORD_PATTERN);

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** Text of a file as UTF-8 and as UTF-16 LE, so a key in either encoding is found. */
function readable(path: string): string {
  const bytes = readFileSync(path);
  return `${bytes.toString('utf8')}\n${bytes.toString('utf16le')}`;
}

async function backUp(page: Page, choose: () => Promise<void>) {
  await page.getByRole('button', { name: 'Back up your recovery key for C:' }).click();
  await choose();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Back up', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Finish' })).toBeVisible();
  await page.getByRole('button', { name: 'Finish' }).click();
}

test.describe('the recovery password stays secret', () => {
  test.use({ tempDrives: ['F:'] });

  test('after every kind of backup, the key is only in the files the user chose', async ({ page, app }) => {
    test.setTimeout(120_000);
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    const chosenFile = join(app.driveRoot('F:'), 'chosen', keyFileName(HOME_C));
    const chosenPdf = join(app.driveRoot('F:'), 'key.pdf');
    const usbFile = join(app.driveRoot('F:'), keyFileName(HOME_C));

    await backUp(page, async () => {
      await page.getByRole('radio', { name: 'Save to a file' }).check();
      mkdirSync(join(app.driveRoot('F:'), 'chosen'));
      await app.answerSaveDialog(chosenFile);
      await page.getByRole('button', { name: 'Choose where to save…' }).click();
    });
    await backUp(page, async () => {
      await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
      await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    });
    await backUp(page, async () => {
      await page.getByRole('radio', { name: 'Print the recovery key' }).check();
      await page.getByRole('radio', { name: 'Save as PDF' }).check();
      await app.answerSaveDialog(chosenPdf);
      await page.getByRole('button', { name: 'Choose where to save…' }).click();
    });
    if (app.kind === 'browser') {
      await backUp(page, async () => {
        await page.getByRole('radio', { name: 'Print the recovery key' }).check();
        await page.getByRole('radio', { name: 'Print', exact: true }).check();
      });
    }
    await backUp(page, async () => {
      await page.getByRole('radio', { name: 'Save to your Microsoft account' }).check();
    });

    const destinations = new Set([chosenFile, chosenPdf, usbFile]);
    // Everything below the test's folder is what the app wrote, except the scenario (the input) and Playwright's own files.
    const written = filesBelow(app.outputDir).filter((f) => f !== app.scenarioFile && !/[/\\](trace|test-failed)/.test(f));
    // The chosen files hold the key (the PDF compresses its text, so it is checked by the wizard spec instead).
    for (const file of [chosenFile, usbFile]) expect(readable(file)).toMatch(PASSWORD);
    const leaks = written.filter((f) => !destinations.has(f) && PASSWORD.test(readable(f))).map((f) => relative(app.outputDir, f));
    expect(leaks).toEqual([]);
    expect(written.some((f) => f.includes(`${join('logs', '')}`))).toBe(true);
    expect(JSON.stringify(app.ipcResponses())).not.toMatch(PASSWORD);
    expect(console.join('\n')).not.toMatch(PASSWORD);
    // No temporary files left beside the chosen ones.
    expect(filesBelow(app.driveRoot('F:')).sort()).toEqual([...destinations].sort());
  });
});

test.describe('the recovery password stays secret through key changes', () => {
  test.use({ tempDrives: ['F:'] });

  test('replacing a key and checking the saved files put keys only in the file on the stick', async ({ page, app }) => {
    test.setTimeout(120_000);
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await expect(page.getByText('Checking where your recovery keys are backed up…')).toHaveCount(0, { timeout: 60_000 });
    await page.getByRole('button', { name: `Replace this key: Recovery key ID ${HOME_C.slice(1, 9)}` }).click();
    await page.getByRole('button', { name: 'Add a new key and back it up' }).click();
    await page.getByRole('radio', { name: 'Save to a USB flash drive' }).check();
    await page.getByRole('radio', { name: /^USB DISK \(F:\)/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Back up', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'The recovery key was replaced' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Finish' }).click();
    await app.answerFolderDialog(app.driveRoot('F:'));
    await page.getByRole('button', { name: 'Check saved keys' }).click();
    await expect(page.getByText(/^Current: this key unlocks/)).toBeVisible();

    const saved = filesBelow(app.driveRoot('F:'));
    expect(saved).toHaveLength(1);
    expect(readable(saved[0]!)).toMatch(PASSWORD);
    const written = filesBelow(app.outputDir).filter((f) => f !== app.scenarioFile && !/[/\\](trace|test-failed)/.test(f));
    const leaks = written.filter((f) => f !== saved[0] && PASSWORD.test(readable(f))).map((f) => relative(app.outputDir, f));
    expect(leaks).toEqual([]);
    expect(JSON.stringify(app.ipcResponses())).not.toMatch(PASSWORD);
    expect(console.join('\n')).not.toMatch(PASSWORD);
  });
});

test.describe('the page cannot choose where a key goes', () => {
  test.use({ tempDrives: ['F:'] });

  test('a forged file or PDF destination sent from the page is refused, and nothing is written', async ({ page, app }) => {
    await expect(page.getByRole('group', { name: 'Windows (C:)' })).toBeVisible();
    const target = join(app.driveRoot('F:'), keyFileName(HOME_C));
    const answers = await page.evaluate(
      async ([id, path]) => {
        const api = (window as unknown as { bitlocker: { runBackup: (request: unknown) => Promise<{ ok: boolean; error?: { code: string } }> } }).bitlocker;
        const run = (destination: unknown) => api.runBackup({ mountPoint: 'C:', keyProtectorIds: [id], destination });
        return Promise.all([
          run({ kind: 'file', paths: [{ keyProtectorId: id, path }], replace: true }),
          run({ kind: 'pdf', path, replace: true }),
          run({ kind: 'file', token: 'A'.repeat(43), replace: true }),
          run({ kind: 'pdf', token: 'A'.repeat(43), replace: true }),
        ]);
      },
      [HOME_C, target] as const,
    );
    expect(answers.map((a) => [a.ok, a.error?.code])).toEqual([
      [false, 'InvalidRequest'],
      [false, 'InvalidRequest'],
      [false, 'InvalidRequest'],
      [false, 'InvalidRequest'],
    ]);
    expect(filesBelow(app.driveRoot('F:'))).toEqual([]);
  });
});
