// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationKindT } from '../../preload/contract';
import { deferred, ok, successfulReport, type installFakeBridge } from '../testing/fake-bridge';
import { backupOptions, keyFileName, RECOVERY, RECOVERY_2, TPM, volume } from '../testing/fixtures';
import { isDisabled, renderWithStore } from '../testing/render';
import { atDestination, settle } from '../testing/wizard';
import { Confirm } from './Confirm';

afterEach(cleanup);

type Fake = ReturnType<typeof installFakeBridge>;

const everywhere = backupOptions({
  destinations: (['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print'] as const).map((kind) => ({ kind, available: true, reason: null })),
});

/** Walks to the confirm step with `kind` chosen (and its place, for file and PDF), then renders it. */
async function confirm(kind: DestinationKindT | 'pdf', pc: Parameters<typeof atDestination>[0] = {}, prepare?: (fake: Fake) => void) {
  const setup = await atDestination({ backupOptions: { ...everywhere, ...pc.backupOptions }, ...pc });
  prepare?.(setup.fake);
  const s = setup.store.getState();
  s.chooseDestination(kind === 'pdf' ? 'print' : kind);
  if (kind === 'pdf') s.choosePrintMode('pdf');
  if (kind === 'file') await s.chooseFileTargets('text');
  if (kind === 'pdf') await s.chooseFileTargets('pdf');
  setup.store.getState().next();
  expect(setup.store.getState().step).toBe('confirm');
  renderWithStore(<Confirm />, setup.store);
  return setup;
}

const backUp = () => screen.getByRole('button', { name: 'Back up' });
const twoKeys = { volumes: [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })], backupOptions: { ...everywhere, protectors: [RECOVERY, RECOVERY_2] } };

describe('Confirm', () => {
  it('names the drive, the key, the destination and what will happen', async () => {
    await confirm('file');
    expect(screen.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeTruthy();
    expect(screen.getByText('Windows (C:)')).toBeTruthy();
    expect(screen.getByText('Recovery key ID 8A696888')).toBeTruthy();
    expect(screen.getByText('Save to a file')).toBeTruthy();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY.keyProtectorId)}`)).toBeTruthy();
    expect(isDisabled(backUp())).toBe(false);
    fireEvent.click(screen.getByRole('switch', { name: 'Show full IDs' }));
    expect(screen.getByText('8A696888-99A7-4FAC-92C7-6CC497EA7BDF')).toBeTruthy();
  });

  it('says one line per file when several keys are saved', async () => {
    await confirm('file', twoKeys);
    expect(screen.getByText('Recovery keys')).toBeTruthy();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY.keyProtectorId)}`)).toBeTruthy();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY_2.keyProtectorId)}`)).toBeTruthy();
  });

  it.each([
    ['usb', 'Save to a USB flash drive', 'A text file will be saved to the root of USB DISK (F:)'],
    ['pdf', 'Print the recovery key — Save as PDF', 'A PDF will be saved to E:\\BitLocker Recovery Keys.pdf'],
    ['print', 'Print the recovery key', "Your printer's dialog will open"],
    [
      'entra',
      "Save to your organization's Microsoft Entra ID",
      'The recovery key will be sent to Microsoft Entra ID, then the app waits up to 15 seconds for Windows to confirm it',
    ],
    [
      'activeDirectory',
      'Save to Active Directory',
      'The recovery key will be sent to Active Directory, then the app waits up to 15 seconds for Windows to confirm it',
    ],
    [
      'microsoftAccount',
      'Save to your Microsoft account',
      "Windows' BitLocker panel will open. Choose 'Back up your recovery key' and 'Save to your Microsoft account' there. The app then checks Windows' event log for the confirmation.",
    ],
  ] as const)('%s: says "%s" and what will happen', async (kind, name, sentence) => {
    await confirm(kind);
    expect(screen.getByText(name)).toBeTruthy();
    expect(screen.getByText(sentence)).toBeTruthy();
  });

  it('never replaces an existing file until the user agrees', async () => {
    const path = `E:\\${keyFileName(RECOVERY.keyProtectorId)}`;
    const { fake } = await confirm('file', {}, (f) =>
      f.chooseFile.mockResolvedValueOnce(ok({ cancelled: false, targets: [{ keyProtectorId: RECOVERY.keyProtectorId, path, exists: true }] })),
    );
    expect(screen.getByText(`A file with this name already exists: ${path}`)).toBeTruthy();
    expect(isDisabled(backUp())).toBe(true);
    fireEvent.click(backUp());
    expect(fake.runBackup).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Replace the existing file' }));
    expect(isDisabled(backUp())).toBe(false);
    await act(async () => {
      fireEvent.click(backUp());
      await settle();
    });
    expect(fake.runBackup).toHaveBeenCalledWith({
      mountPoint: 'C:',
      keyProtectorIds: [RECOVERY.keyProtectorId],
      destination: { kind: 'file', paths: [{ keyProtectorId: RECOVERY.keyProtectorId, path }], replace: true },
    });
  });

  it('shows progress while it runs, holds every button, and starts one backup however often it is clicked', async () => {
    const { fake, store } = await confirm('entra');
    const answer = deferred<Awaited<ReturnType<typeof fake.runBackup>>>();
    fake.runBackup.mockReturnValueOnce(answer.promise);
    fireEvent.click(backUp());
    fireEvent.click(backUp());
    expect(fake.runBackup).toHaveBeenCalledOnce();
    expect(isDisabled(backUp())).toBe(true);
    expect(isDisabled(screen.getByRole('button', { name: 'Back' }))).toBe(true);
    expect(isDisabled(screen.getByRole('button', { name: 'Cancel' }))).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Starting the backup…');

    act(() => fake.emitProgress({ stage: 'sending', keyProtectorId: RECOVERY.keyProtectorId }));
    expect(screen.getByRole('status').textContent).toBe('Sending the recovery key…');
    expect(screen.queryByRole('progressbar', { name: 'Sending the recovery key…' })).toBeNull();
    act(() => fake.emitProgress({ stage: 'confirming', keyProtectorId: RECOVERY.keyProtectorId, waitedMs: 6000, waitLimitMs: 15000 }));
    expect(screen.getByRole('status').textContent).toBe('Waiting for Windows to confirm…');
    expect(screen.getByRole('progressbar', { name: 'Waiting for Windows to confirm…' }).getAttribute('aria-valuenow')).toBe('0.4');
    expect(screen.getByText('6 of 15 seconds')).toBeTruthy();

    await act(async () => answer.resolve(ok(successfulReport(fake.runBackup.mock.calls[0]![0]))));
    expect(store.getState().step).toBe('result');
  });

  it.each([
    ['readingKey', 'Reading the recovery key…'],
    ['writing', 'Saving…'],
    ['verifying', 'Checking the saved file…'],
    ['printing', 'Opening the print dialog…'],
    ['openingPanel', "Opening Windows' BitLocker panel…"],
  ] as const)('names the %s stage "%s"', async (stage, text) => {
    const { fake } = await confirm('usb');
    fake.runBackup.mockReturnValueOnce(new Promise(() => {}));
    fireEvent.click(backUp());
    act(() => fake.emitProgress({ stage }));
    expect(screen.getByRole('status').textContent).toBe(text);
  });

  it('Back returns to the destination with the choice kept; Cancel forgets it', async () => {
    const { store } = await confirm('print');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(store.getState()).toMatchObject({ step: 'destination', draft: { kind: 'print' } });
    store.getState().next();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(store.getState()).toMatchObject({ step: 'drives', draft: { kind: null } });
  });
});
