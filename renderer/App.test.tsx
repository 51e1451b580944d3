// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { createWizardStore } from './store/wizard';
import { fail, installFakeBridge } from './testing/fake-bridge';
import { environment } from './testing/fixtures';
import { announced, renderWithStore } from './testing/render';

afterEach(cleanup);

function start(pc?: Parameters<typeof installFakeBridge>[0]) {
  const fake = installFakeBridge(pc);
  const store = createWizardStore();
  renderWithStore(<App />, store);
  return { fake, store };
}

describe('App', () => {
  it('shows a spinner first, then the drives', async () => {
    start();
    expect(screen.getByText('Starting PowerShell…')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Back up your recovery key for C:' })).toBeTruthy();
  });

  it('asks for administrator rights and restarts elevated', async () => {
    const { fake } = start({ environment: environment({ elevated: false }) });
    expect(await screen.findByRole('heading', { name: 'BitLocker Key Backup needs administrator rights' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Restart as administrator' }));
    expect(fake.restartElevated).toHaveBeenCalledOnce();
  });

  it('explains where to find the key when the BitLocker module is missing', async () => {
    start({ environment: environment({ bitLockerModule: false }) });
    expect(await screen.findByRole('heading', { level: 1, name: "BitLocker tools aren't available in this edition of Windows" })).toBeTruthy();
    expect(screen.getByText('https://aka.ms/myrecoverykey')).toBeTruthy();
  });

  it('shows what happened and a Retry button after a crash, and recovers', async () => {
    const { fake } = start();
    fake.getEnvironment.mockResolvedValueOnce(fail('HostCrashed', 'PowerShell exited with code 1.'));
    // The mount already started the first load with the healthy answer; the crash hits the refresh.
    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'The connection to BitLocker stopped unexpectedly' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'The connection to BitLocker stopped unexpectedly' })).toBeTruthy();
    expect(screen.getByText('Details: PowerShell exited with code 1. (HostCrashed)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Back up your recovery key for C:' })).toBeTruthy();
    expect(fake.retrySession).toHaveBeenCalledOnce();
  });

  it('labels the simulated PC with its scenario on every page', async () => {
    start({ environment: environment({ simulated: true, scenarioName: 'two-drives' }) });
    expect(await screen.findByText('Simulated PC — no real drives are touched')).toBeTruthy();
    expect(screen.getByText('Scenario: two-drives')).toBeTruthy();
    // In the header landmark, with the app's name: every piece of the page is in a landmark.
    expect(within(screen.getByRole('banner')).getByText('Simulated PC — no real drives are touched')).toBeTruthy();
  });

  it('walks to the destination step and back', async () => {
    start();
    fireEvent.click(await screen.findByRole('button', { name: 'Back up your recovery key for C:' }));
    expect(screen.getByRole('heading', { name: 'Back up the recovery key for Windows (C:)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
  });

  it('walks drive list → destination → confirm → result → drive list', async () => {
    const { fake } = start();
    fireEvent.click(await screen.findByRole('button', { name: 'Back up your recovery key for C:' }));
    fireEvent.click(await screen.findByRole('radio', { name: 'Save to a USB flash drive' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Confirm your backup' })).toBeTruthy();
    expect(screen.getByText('A text file will be saved to the root of USB DISK (F:)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back up' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your recovery key is backed up' })).toBeTruthy();
    expect(screen.getByText('Saved to F:\\BitLocker Recovery Key 8A696888-99A7-4FAC-92C7-6CC497EA7BDF.TXT, read back and verified')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
    expect(fake.listVolumes).toHaveBeenCalledTimes(2);
  });

  it('moves focus to each step’s heading, and announces the progress and the result', async () => {
    const { fake } = start();
    const heading = () => screen.getByRole('heading', { level: 1 });
    await screen.findByRole('button', { name: 'Back up your recovery key for C:' });
    expect(document.activeElement).toBe(heading());
    fireEvent.click(screen.getByRole('button', { name: 'Back up your recovery key for C:' }));
    expect(document.activeElement).toBe(heading());
    expect(heading().textContent).toBe('Back up the recovery key for Windows (C:)');
    expect(heading().getAttribute('tabindex')).toBe('-1');
    fireEvent.click(await screen.findByRole('radio', { name: 'Save to a USB flash drive' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(document.activeElement).toBe(heading());
    expect(heading().textContent).toBe('Confirm your backup');
    let finish: (value: Awaited<ReturnType<typeof fake.runBackup>>) => void = () => {};
    fake.runBackup.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    fireEvent.click(screen.getByRole('button', { name: 'Back up' }));
    act(() => fake.emitProgress({ stage: 'writing' }));
    expect(announced().polite).toBe('Saving…');
    const request = fake.runBackup.mock.calls[0]![0];
    const keyProtectorId = request.keyProtectorIds[0]!;
    await act(async () =>
      finish({ ok: true, data: { mountPoint: 'C:', destination: 'usb', startedAt: '2025-03-14T09:41:00.000Z', outcomes: [{ keyProtectorId, status: 'verified', path: 'F:\\k.TXT', event: null, error: null }] } }),
    );
    expect(document.activeElement).toBe(heading());
    expect(heading().textContent).toBe('Your recovery key is backed up');
    expect(announced().polite).toBe('Your recovery key is backed up. Saved to F:\\k.TXT, read back and verified.');
    expect(announced().all).toEqual(['Starting the backup…', 'Saving…', 'Your recovery key is backed up. Saved to F:\\k.TXT, read back and verified.']);
  });

  it('gives the error page an h1 and announces the error urgently', async () => {
    const { fake } = start();
    fake.getEnvironment.mockResolvedValueOnce(fail('Timeout', 'Get-CimInstance did not answer.'));
    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Windows took too long to answer' });
    expect(document.activeElement).toBe(heading);
    expect(announced().assertive).toBe(
      'Windows took too long to answer. Your drives may be busy, for example while a drive is being encrypted. Wait a moment, then select Retry.',
    );
  });
});
