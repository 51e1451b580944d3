// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationKindT } from '../../preload/contract';
import { chosenFile, deferred, ok, successfulReport, type installFakeBridge } from '../testing/fake-bridge';
import { backupOptions, keyFileName, RECOVERY, RECOVERY_2, TPM, volume } from '../testing/fixtures';
import { environment } from '../testing/fixtures';
import { announced, isDisabled, renderWithStore } from '../testing/render';
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
/** The stage is on screen and was the last thing announced (politely) to screen readers. */
function expectStage(text: string) {
  expect(screen.getByText(text)).toBeTruthy();
  expect(announced().polite).toBe(text);
}
const twoKeys = { volumes: [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })], backupOptions: { ...everywhere, protectors: [RECOVERY, RECOVERY_2] } };

describe('Confirm', () => {
  it('names the drive, the key, the destination and what will happen', async () => {
    await confirm('file');
    expect(screen.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeTruthy();
    expect(screen.getByText('Drive').closest('dt')?.nextElementSibling?.textContent).toBe('Windows (C:)');
    expect(screen.getByText('Recovery key ID 8A696888')).toBeTruthy();
    // "Back up to: a file", and one key reads as one line, without a switch.
    expect(screen.getByText('Back up to').closest('dt')?.nextElementSibling?.textContent).toBe('a file');
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY.keyProtectorId)}`)).toBeTruthy();
    expect(isDisabled(backUp())).toBe(false);
  });

  it('says one line per file when several keys are saved, with their full IDs on request', async () => {
    await confirm('file', twoKeys);
    expect(screen.getByText('Recovery keys')).toBeTruthy();
    fireEvent.click(screen.getByRole('switch', { name: 'Show full IDs' }));
    expect(screen.getByText('8A696888-99A7-4FAC-92C7-6CC497EA7BDF')).toBeTruthy();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY.keyProtectorId)}`)).toBeTruthy();
    expect(screen.getByText(`A text file will be saved to E:\\${keyFileName(RECOVERY_2.keyProtectorId)}`)).toBeTruthy();
  });

  it.each([
    ['usb', 'a USB flash drive', 'A text file will be saved to the root of USB DISK (F:)'],
    ['pdf', 'a PDF file', 'A PDF will be saved to E:\\BitLocker Recovery Keys.pdf'],
    ['print', 'a printer', "Your printer's dialog will open"],
    [
      'entra',
      "your organization's Microsoft Entra ID",
      'The recovery key will be sent to Microsoft Entra ID, then the app waits up to 15 seconds for Windows to confirm it',
    ],
    [
      'activeDirectory',
      'Active Directory',
      'The recovery key will be sent to Active Directory, then the app waits up to 15 seconds for Windows to confirm it',
    ],
    [
      'microsoftAccount',
      'your Microsoft account',
      "Windows' BitLocker panel will open. Choose 'Back up your recovery key' and 'Save to your Microsoft account' there. The app then checks Windows' event log for the confirmation.",
    ],
  ] as const)('%s: says "Back up to: %s" and what will happen', async (kind, name, sentence) => {
    await confirm(kind);
    expect(screen.getByText('Back up to').closest('dt')?.nextElementSibling?.textContent).toBe(name);
    expect(screen.getByText(sentence)).toBeTruthy();
  });

  it.each([
    ['entra', { entraJoined: true, tenantName: 'Contoso' }, "your organization's Microsoft Entra ID (Contoso)"],
    ['activeDirectory', { domainJoined: true, domainName: 'corp.contoso.com' }, 'Active Directory (corp.contoso.com)'],
  ] as const)('%s: names the organisation’s directory', async (kind, joined, name) => {
    await confirm(kind, { environment: environment(joined) });
    expect(screen.getByText('Back up to').closest('dt')?.nextElementSibling?.textContent).toBe(name);
  });

  it('on Windows Home, says Settings opens at Device encryption instead of the BitLocker panel', async () => {
    await confirm('microsoftAccount', { environment: environment({ edition: 'Core' }) });
    expect(screen.getByText(/^Settings will open at Device encryption\./)).toBeTruthy();
  });

  it('waits for the Microsoft account in the BitLocker panel, says what to do there, and can stop waiting', async () => {
    const { fake, store } = await confirm('microsoftAccount');
    const answer = deferred<Awaited<ReturnType<typeof fake.runBackup>>>();
    fake.runBackup.mockReturnValueOnce(answer.promise);
    fireEvent.click(backUp());
    act(() => fake.emitProgress({ stage: 'openingPanel' }));
    expect(announced().polite).toBe("Opening Windows' BitLocker panel…");
    act(() => fake.emitProgress({ stage: 'confirming', waitedMs: 12_000, waitLimitMs: 180_000 }));
    expect(screen.getByText('Finish in the BitLocker window')).toBeTruthy();
    expect(screen.getByText(/^In the BitLocker Drive Encryption window, select 'Back up your recovery key', then 'Save to your Microsoft account'/)).toBeTruthy();
    expect(announced().polite).toMatch(/^Finish in the BitLocker window\. In the BitLocker Drive Encryption window/);
    expect(screen.getByText('12 of 180 seconds')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Stop waiting' }));
      fireEvent.click(screen.getByRole('button', { name: 'Stop waiting' }));
      await settle();
    });
    expect(fake.stopWaiting).toHaveBeenCalledOnce();
    expect(isDisabled(screen.getByRole('button', { name: 'Stop waiting' }))).toBe(true);
    const notReported = { keyProtectorId: RECOVERY.keyProtectorId, status: 'sentNotConfirmed' as const, path: null, event: null, error: null };
    await act(async () => answer.resolve(ok({ mountPoint: 'C:', destination: 'microsoftAccount', startedAt: '2025-03-14T09:41:00.000Z', outcomes: [notReported] })));
    expect(store.getState()).toMatchObject({ step: 'result', panelPage: 'bitLockerPanel', stoppingWait: false });
  });

  it('on Windows Home, waits in Settings’ Device encryption page', async () => {
    const { fake, store } = await confirm('microsoftAccount', { environment: environment({ edition: 'Core' }) });
    fake.runBackup.mockReturnValueOnce(new Promise(() => {}));
    fireEvent.click(backUp());
    act(() => fake.emitProgress({ stage: 'openingPanel' }));
    act(() => fake.emitProgress({ stage: 'inDeviceEncryption' }));
    expect(screen.getByText('Finish in Settings')).toBeTruthy();
    expect(screen.getByText(/^Settings is open at Device encryption\. Sign in to Windows with your Microsoft account there/)).toBeTruthy();
    act(() => fake.emitProgress({ stage: 'confirming', waitedMs: 1_000, waitLimitMs: 180_000 }));
    expect(screen.getByText('Finish in Settings')).toBeTruthy();
    expect(store.getState().panelPage).toBe('deviceEncryption');
    expect(screen.getByRole('button', { name: 'Stop waiting' })).toBeTruthy();
  });

  it('Escape cancels, except while the backup runs', async () => {
    const { fake, store } = await confirm('entra');
    fake.runBackup.mockReturnValueOnce(new Promise(() => {}));
    fireEvent.click(backUp());
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(store.getState().step).toBe('confirm');
    cleanup();
    const other = await confirm('print');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(other.store.getState()).toMatchObject({ step: 'drives', draft: { kind: null } });
  });

  it('never replaces an existing file until the user agrees', async () => {
    const path = `E:\\${keyFileName(RECOVERY.keyProtectorId)}`;
    const { fake } = await confirm('file', {}, (f) =>
      f.chooseFile.mockResolvedValueOnce(ok(chosenFile([{ keyProtectorId: RECOVERY.keyProtectorId, path, exists: true }]))),
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
      destination: { kind: 'file', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), replace: true },
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
    expectStage('Starting the backup…');

    act(() => fake.emitProgress({ stage: 'sending', keyProtectorId: RECOVERY.keyProtectorId }));
    expectStage('Sending the recovery key…');
    expect(screen.queryByRole('progressbar', { name: 'Sending the recovery key…' })).toBeNull();
    act(() => fake.emitProgress({ stage: 'confirming', keyProtectorId: RECOVERY.keyProtectorId, waitedMs: 6000, waitLimitMs: 15000 }));
    expectStage('Waiting for Windows to confirm…');
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
    expectStage(text);
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
