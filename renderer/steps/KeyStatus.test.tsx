// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyStatusReportT, VolumeT } from '../../preload/contract';
import { App } from '../App';
import { createWizardStore } from '../store/wizard';
import { fail, installFakeBridge, ok, successfulReport } from '../testing/fake-bridge';
import { entraOptionsWithNewKey, environment, keyStatus, keyStatusReport, NEW_KEY, RECOVERY, RECOVERY_2, TPM, volume } from '../testing/fixtures';
import { announced, renderWithStore } from '../testing/render';

afterEach(cleanup);

function start(pc: Parameters<typeof installFakeBridge>[0] = {}) {
  const fake = installFakeBridge(pc);
  const store = createWizardStore();
  renderWithStore(<App />, store);
  return { fake, store };
}

const card = (name: string) => screen.getByRole('group', { name });
/** How the app writes a time: built the same way, so the test does not depend on the machine's time zone. */
const at = (iso: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso));

const ENTRA = environment({ entraJoined: true, tenantName: 'Contoso', intuneManaged: true });

const mixedVolumes: VolumeT[] = [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] }), volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', keyProtectors: [TPM] })];
const REMOVED = '{0BADC0DE-0000-4000-8000-000000000001}';
const mixed: KeyStatusReportT = keyStatusReport(mixedVolumes, ENTRA, {
  drives: [
    {
      mountPoint: 'C:',
      keys: [
        keyStatus({
          summary: 'backedUp',
          inDirectory: true,
          windows: [{ place: 'entra', eventId: 845, at: '2025-01-10T08:00:00.000Z', alreadyPresent: false }],
          app: [{ place: 'usb', path: 'F:\\BitLocker Recovery Key 8A696888.TXT', at: '2025-02-01T12:30:00.000Z', verified: true }],
        }),
        keyStatus({ keyProtectorId: RECOVERY_2.keyProtectorId, summary: 'unknown', createdAt: null }),
      ],
      removedKeys: [{ keyProtectorId: REMOVED, removedAt: '2024-12-24T10:00:00.000Z' }],
    },
    { mountPoint: 'D:', keys: [], removedKeys: [] },
  ],
  warnings: [{ eventId: 4106, at: '2025-03-01T07:00:00.000Z', mountPoint: 'C:' }],
});

describe('the drive list: where every key is', () => {
  it('shows each key’s evidence, the unknown with its reason, removed keys and Windows’ warnings', async () => {
    start({ environment: ENTRA, volumes: mixedVolumes, keyStatus: mixed });
    const c = within(await screen.findByRole('group', { name: 'Windows (C:)' }));
    expect(await c.findByText(`Microsoft Entra ID accepted it on ${at('2025-01-10T08:00:00.000Z')} (event 845)`)).toBeTruthy();
    expect(c.getByText(`Saved to a USB flash drive at F:\\BitLocker Recovery Key 8A696888.TXT on ${at('2025-02-01T12:30:00.000Z')}, read back and verified`)).toBeTruthy();
    expect(c.getByText(`Created ${at('2024-11-02T08:15:00.000Z')}`)).toBeTruthy();
    expect(c.getByText('Backed up')).toBeTruthy();
    // The log no longer reaches back: "Unknown" with the reason, never "not backed up".
    expect(c.getByText('Unknown')).toBeTruthy();
    expect(c.getByText(`Windows' event log only goes back to ${at('2024-06-01T00:00:00.000Z')}, after this key was created, so it can't show whether the key was backed up before then.`)).toBeTruthy();
    expect(c.queryByText('Not backed up anywhere')).toBeNull();
    expect(c.getByText(/^Recovery key ID 0BADC0DE was removed from this drive on .*\. Copies of it that this app saved no longer unlock the drive\.$/)).toBeTruthy();
    expect(screen.getByText("Windows couldn't back up a recovery key by itself")).toBeTruthy();
    expect(screen.getByText(/^An event from Windows proves the backup was accepted at that time, not that the directory still holds the key\./)).toBeTruthy();
    // One key not in Entra ID: the one button that sends it.
    expect(screen.getByText("1 recovery key isn’t in Microsoft Entra ID yet.")).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back up all keys to Microsoft Entra ID' })).toBeTruthy();
    expect(within(card('Data (D:)')).getByRole('button', { name: 'Add a recovery password to D:' })).toBeTruthy();
  });

  it('says "Not backed up anywhere" when the log reaches back to the key’s creation', async () => {
    const volumes = [volume()];
    start({ volumes, keyStatus: keyStatusReport(volumes, environment(), { drives: [{ mountPoint: 'C:', keys: [keyStatus()], removedKeys: [] }] }) });
    expect(await screen.findByText('Not backed up anywhere')).toBeTruthy();
    expect(screen.getByText("Windows' event log shows no backup of this key since it was created, and this app hasn't saved it.")).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back up the keys that aren’t backed up' })).toBeTruthy();
  });

  it('keeps the drive list when the status fails, says so, and tries again', async () => {
    const fake = installFakeBridge();
    fake.getKeyStatus.mockResolvedValueOnce(fail('Timeout', 'Get-WinEvent took too long.'));
    renderWithStore(<App />, createWizardStore());
    expect(await screen.findByText("The app couldn't check where your recovery keys are backed up")).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back up your recovery key for C:' })).toBeTruthy();
    expect(screen.getByText('Details: Get-WinEvent took too long. (Timeout)')).toBeTruthy();
    expect(announced().assertive).toMatch(/^The app couldn't check where your recovery keys are backed up\./);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Backed up')).toBeTruthy();
    expect(fake.getKeyStatus).toHaveBeenCalledTimes(2);
    expect(screen.queryByText("The app couldn't check where your recovery keys are backed up")).toBeNull();
  });

  it('explains device encryption waiting for activation, with the address to copy', async () => {
    start({ volumes: [volume({ protectionStatus: 'Off', keyProtectors: [RECOVERY] })] });
    const c = within(await screen.findByRole('group', { name: 'Windows (C:)' }));
    expect(c.getByText('Sign in with a Microsoft account to protect this drive')).toBeTruthy();
    expect(c.getByText('https://aka.ms/myrecoverykey')).toBeTruthy();
    // Text to copy, not a link: the app opens no web pages.
    expect(document.querySelector('a')).toBeNull();
  });
});

async function replaceC(fake: ReturnType<typeof installFakeBridge>) {
  fireEvent.click(await screen.findByRole('button', { name: 'Replace this key: Recovery key ID 8A696888' }));
  expect(await screen.findByRole('heading', { level: 1, name: 'Replace Recovery key ID 8A696888' })).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  fireEvent.click(screen.getByRole('button', { name: 'Add a new key and back it up' }));
  expect(await screen.findByRole('heading', { level: 1, name: /^Back up the recovery key for Windows \(C:\)$/ })).toBeTruthy();
  expect(fake.addRecoveryPassword.mock.calls).toEqual([[{ mountPoint: 'C:' }]]);
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Back up' }));
}

describe('replacing a key', () => {
  it('warns, adds, backs up the new key, removes the old one and says what the drive has now', async () => {
    const volumes = [volume()];
    const { fake } = start({ environment: ENTRA, volumes, backupOptions: entraOptionsWithNewKey, keyStatus: keyStatusReport(volumes, ENTRA) });
    fireEvent.click(await screen.findByRole('button', { name: 'Replace this key: Recovery key ID 8A696888' }));
    expect(await screen.findByText('Copies of the old key will stop working')).toBeTruthy();
    expect(screen.getByText(/^Once the old key is removed, every saved or printed copy of Recovery key ID 8A696888 no longer unlocks the drive\./)).toBeTruthy();
    expect(screen.getByText(/^Intune's own key rotation fails with event 858 unless/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await replaceC(fake);

    expect(await screen.findByRole('heading', { level: 1, name: 'The recovery key was replaced' })).toBeTruthy();
    expect(fake.removeOldKey.mock.calls).toEqual([[{ mountPoint: 'C:', keyProtectorId: RECOVERY.keyProtectorId, replacedBy: NEW_KEY.keyProtectorId }]]);
    expect(
      screen.getByText(
        'Recovery key ID 8A696888 was removed: saved or printed copies of it no longer unlock Windows (C:). Windows (C:) now has Recovery key ID 5C0FFEE0, and it is backed up.',
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^The new key: Microsoft Entra ID confirmed the backup at .* \(event 845\)$/)).toBeTruthy();
    expect(announced().polite).toMatch(/^The recovery key was replaced\./);
    fireEvent.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
  });

  it('stops without removing the old key when the new key’s backup fails, and names both keys', async () => {
    const volumes = [volume()];
    const { fake } = start({ environment: ENTRA, volumes, backupOptions: entraOptionsWithNewKey, keyStatus: keyStatusReport(volumes, ENTRA) });
    fake.runBackup.mockImplementationOnce(async (request) => {
      const report = successfulReport(request);
      const error = { code: 'NetworkUnavailable' as const, message: 'The network is unreachable.', hresult: '0x80072EE7' };
      return ok({ ...report, outcomes: report.outcomes.map((o) => ({ ...o, status: 'failed' as const, event: null, error })) });
    });
    await replaceC(fake);
    expect(await screen.findByText('The old key was not removed')).toBeTruthy();
    expect(screen.getByText(/^Recovery key ID 8A696888 still works\. Windows \(C:\) now has two recovery keys: Recovery key ID 8A696888 and the new Recovery key ID 5C0FFEE0\./)).toBeTruthy();
    expect(screen.getByText("Windows couldn't reach Microsoft Entra ID")).toBeTruthy();
    expect(fake.removeOldKey).not.toHaveBeenCalled();

    // Leaving keeps saying what state the drive is in, until dismissed.
    fireEvent.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByText("The recovery key for Windows (C:) wasn't replaced")).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText("The recovery key for Windows (C:) wasn't replaced")).toBeNull();
    expect(fake.removeOldKey).not.toHaveBeenCalled();
  });

  it('says both keys work when removing the old one fails, and removes it on Try again', async () => {
    const volumes = [volume()];
    const { fake } = start({ environment: ENTRA, volumes, backupOptions: entraOptionsWithNewKey, keyStatus: keyStatusReport(volumes, ENTRA) });
    fake.removeOldKey.mockResolvedValueOnce(fail('CmdletFailed', 'Remove-BitLockerKeyProtector failed.'));
    await replaceC(fake);
    expect(await screen.findByRole('heading', { level: 1, name: 'The old key was not removed' })).toBeTruthy();
    expect(screen.getByText(/^Recovery key ID 8A696888 still works\. Windows \(C:\) now has two recovery keys/)).toBeTruthy();
    expect(screen.getByText('Details: Remove-BitLockerKeyProtector failed. (CmdletFailed)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'The recovery key was replaced' })).toBeTruthy();
    expect(fake.removeOldKey).toHaveBeenCalledTimes(2);
  });
});

describe('adding a recovery password', () => {
  it('says what it does, and gives a policy that forbids it its own words', async () => {
    const { fake } = start({ volumes: [volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', keyProtectors: [TPM] })] });
    fake.addRecoveryPassword.mockResolvedValueOnce(fail('PolicyForbids', 'Group Policy does not allow recovery passwords.'));
    fireEvent.click(await screen.findByRole('button', { name: 'Add a recovery password to D:' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Add a recovery password to Data (D:)' })).toBeTruthy();
    expect(screen.getByText(/^Windows creates a new 48-digit recovery password for this drive\. The app never shows it on screen/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add and back up' }));
    expect(await screen.findByText("Your organization's policy doesn't allow recovery passwords on this drive")).toBeTruthy();
    expect(screen.getByText('Nothing was changed on the drive.')).toBeTruthy();
    expect(fake.getBackupOptions).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Add and back up' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Back up the recovery key for Data (D:)' })).toBeTruthy();
    // The new key is the one to back up, and the only one.
    expect(screen.getByText('Recovery key ID 5C0FFEE0')).toBeTruthy();
  });
});

describe('backing up what isn’t, to the directory', () => {
  it('shows each key’s progress, then every outcome with why it failed', async () => {
    const volumes = [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })];
    const status = keyStatusReport(volumes, ENTRA, {
      drives: [{ mountPoint: 'C:', keys: [keyStatus(), keyStatus({ keyProtectorId: RECOVERY_2.keyProtectorId })], removedKeys: [] }],
    });
    const { fake } = start({ environment: ENTRA, volumes, keyStatus: status });
    let answer: (value: Awaited<ReturnType<typeof fake.backupMissing>>) => void = () => {};
    fake.backupMissing.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    fireEvent.click(await screen.findByRole('button', { name: 'Back up all keys to Microsoft Entra ID' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Backing up your recovery keys' })).toBeTruthy();
    fake.emitProgress({ keyProtectorId: RECOVERY.keyProtectorId, stage: 'sending' });
    fake.emitProgress({ keyProtectorId: RECOVERY_2.keyProtectorId, stage: 'confirming', waitedMs: 3_000, waitLimitMs: 15_000 });
    expect(await screen.findByText('Waiting for Windows to confirm…')).toBeTruthy();
    expect(screen.getByText('Done')).toBeTruthy();
    expect(screen.getByText('3 of 15 seconds')).toBeTruthy();

    const good = successfulReport({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId], destination: { kind: 'entra' } });
    const error = { code: 'BackupRejected' as const, message: 'Event 846: the directory refused the key.', hresult: null };
    answer(ok({ destination: 'entra', reports: [{ ...good, outcomes: [good.outcomes[0]!, { ...good.outcomes[1]!, status: 'failed', event: null, error }] }] }));
    expect(await screen.findByRole('heading', { level: 1, name: "Some recovery keys weren't backed up" })).toBeTruthy();
    expect(screen.getByText('1 of 2 recovery keys backed up')).toBeTruthy();
    expect(screen.getByText('Windows reported that the backup failed')).toBeTruthy();
    expect(screen.getByText('Details: Event 846: the directory refused the key. (BackupRejected)')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    expect(announced().polite).toBe("Some recovery keys weren't backed up. 1 of 2 recovery keys backed up.");
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
  });
});

describe('the saved-key checker', () => {
  it('lists each file with its verdict and what to do', async () => {
    const { fake } = start();
    fake.checkSavedKeys.mockResolvedValueOnce(
      ok({
        cancelled: false as const,
        folder: 'F:\\Keys',
        truncated: false,
        files: [
          { name: 'BitLocker Recovery Key 8A696888.TXT', keyProtectorId: RECOVERY.keyProtectorId, mountPoint: 'C:', verdict: 'current' as const },
          { name: 'old.txt', keyProtectorId: REMOVED, mountPoint: null, verdict: 'stale' as const },
          { name: 'neighbour.txt', keyProtectorId: NEW_KEY.keyProtectorId, mountPoint: null, verdict: 'otherPc' as const },
          { name: 'broken.txt', keyProtectorId: null, mountPoint: null, verdict: 'unreadable' as const },
        ],
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Check saved keys' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Check saved recovery keys' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    expect(screen.getByText('Current: this key unlocks Windows (C:)')).toBeTruthy();
    expect(screen.getByText('Out of date: this key was replaced or removed')).toBeTruthy();
    expect(screen.getByText("Not for this PC: it doesn't match any drive here")).toBeTruthy();
    expect(screen.getByText("Can't be read")).toBeTruthy();
    expect(screen.getByText('No recovery key ID found')).toBeTruthy();
    expect(announced().polite).toBe('Folder: F:\\Keys. 4 key files checked.');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
  });
});
