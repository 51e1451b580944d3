// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupReportT, ErrorCodeT } from '../../preload/contract';
import { fail, ok } from '../testing/fake-bridge';
import { backupOptions, outcome, RECOVERY, RECOVERY_2, report, STARTED_AT } from '../testing/fixtures';
import { isDisabled, renderWithStore } from '../testing/render';
import { atDestination, settle } from '../testing/wizard';
import { Result } from './Result';

afterEach(cleanup);

const everywhere = backupOptions({
  protectors: [RECOVERY, RECOVERY_2],
  destinations: (['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print'] as const).map((kind) => ({ kind, available: true, reason: null })),
});

/** The result step showing `shown`, reached by a real run to the same destination. */
async function result(shown: BackupReportT) {
  const setup = await atDestination({ backupOptions: everywhere });
  const s = setup.store.getState();
  const kind = shown.destination === 'pdf' ? 'print' : shown.destination;
  s.chooseDestination(kind);
  if (shown.destination === 'pdf') s.choosePrintMode('pdf');
  if (kind === 'file') await s.chooseFileTargets('text');
  if (shown.destination === 'pdf') await s.chooseFileTargets('pdf');
  setup.store.getState().next();
  setup.fake.runBackup.mockResolvedValueOnce(ok(shown));
  await setup.store.getState().runBackup();
  expect(setup.store.getState().step).toBe('result');
  renderWithStore(<Result />, setup.store);
  return setup;
}

const heading = () => screen.getByRole('heading', { level: 1 }).textContent;
const row = (shortId: string) => screen.getByRole('group', { name: `Recovery key ID ${shortId}` });
const error = (code: ErrorCodeT, message = 'It failed.', hresult: string | null = null) => ({ code, message, hresult });
/** An ISO time that reads 10:42 on this machine's clock. */
const at1042 = new Date(2025, 2, 14, 10, 42, 7).toISOString();

describe('Result', () => {
  it('says it is backed up, with the file that was read back', async () => {
    await result(report({ destination: 'file', outcomes: [outcome({ path: 'E:\\Keys\\BitLocker Recovery Key 8A696888.TXT' })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText('Saved to E:\\Keys\\BitLocker Recovery Key 8A696888.TXT, read back and verified')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says the printout went to the printer', async () => {
    await result(report({ destination: 'print', outcomes: [outcome({ status: 'printed', path: null })] }));
    expect(within(row('8A696888')).getByText('Sent to the printer')).toBeTruthy();
  });

  it.each([
    ['entra', 845, 'Microsoft Entra ID confirmed the backup at 10:42 (event 845)'],
    ['activeDirectory', 784, 'Active Directory confirmed the backup at 10:42 (event 784)'],
    ['microsoftAccount', 828, 'Your Microsoft account confirmed the backup at 10:42 (event 828)'],
  ] as const)('shows the %s confirmation with its local time and event', async (destination, id, text) => {
    await result(report({ destination, outcomes: [outcome({ status: 'confirmed', path: null, event: { id, time: at1042 } })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText(text)).toBeTruthy();
  });

  it('points to where Microsoft account keys can be seen, as text rather than a link', async () => {
    await result(report({ destination: 'microsoftAccount', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 828, time: at1042 } })] }));
    expect(screen.getByText('See the keys stored in your Microsoft account at https://aka.ms/myrecoverykey')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('says Active Directory already had the key', async () => {
    await result(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'alreadyPresent', path: null, event: { id: 783, time: at1042 } })] }));
    expect(heading()).toBe('Your recovery key is backed up');
    expect(within(row('8A696888')).getByText('Active Directory already had this recovery key (event 783)')).toBeTruthy();
  });

  it('says "Sent, not yet confirmed" and checks again from the start of the backup', async () => {
    const { fake } = await result(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    expect(heading()).toBe('Sent, not yet confirmed');
    expect(within(row('8A696888')).getByText("Sent, but Windows hasn't confirmed it yet. It can take a few minutes.")).toBeTruthy();
    fake.checkBackup.mockResolvedValueOnce(
      ok(report({ destination: 'entra', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 845, time: at1042 } })] })),
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await settle();
    });
    expect(fake.checkBackup).toHaveBeenCalledOnce();
    expect(fake.checkBackup).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], destination: 'entra', since: STARTED_AT });
    expect(heading()).toBe('Your recovery key is backed up');
    expect(screen.getByText('Microsoft Entra ID confirmed the backup at 10:42 (event 845)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
  });

  it('shows why "Check again" failed and keeps the button', async () => {
    const { fake } = await result(report({ destination: 'activeDirectory', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] }));
    fake.checkBackup.mockResolvedValueOnce(fail('Timeout', 'Get-WinEvent did not answer.'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await settle();
    });
    expect(screen.getByText('Windows took too long to answer')).toBeTruthy();
    expect(screen.getByText('Details: Get-WinEvent did not answer. (Timeout)')).toBeTruthy();
    expect(isDisabled(screen.getByRole('button', { name: 'Check again' }))).toBe(false);
  });

  it('says printing was cancelled, and Retry prints again', async () => {
    const { fake } = await result(report({ destination: 'print', outcomes: [outcome({ status: 'cancelled', path: null })] }));
    expect(heading()).toBe("Your recovery key wasn't backed up");
    expect(within(row('8A696888')).getByText('Printing was cancelled')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
      await settle();
    });
    expect(fake.runBackup).toHaveBeenCalledTimes(2);
    expect(fake.runBackup.mock.calls[1]?.[0].destination).toEqual({ kind: 'print' });
  });

  it.each([
    ['EntraNotJoined', 'entra', "This PC isn't joined to Microsoft Entra ID", 'Ask your IT support to join it, or choose another way to back up.'],
    ['NetworkUnavailable', 'entra', "Windows couldn't reach Microsoft Entra ID", 'Check the internet connection, then try again.'],
    ['NetworkUnavailable', 'activeDirectory', "Windows couldn't reach a domain controller", "Connect to your organization's network (or its VPN), then try again."],
    ['PolicyForbids', 'activeDirectory', "Group Policy doesn't allow storing recovery keys in Active Directory", 'Ask your IT support, or choose another way.'],
    ['VolumeLocked', 'usb', 'That drive is locked', 'Unlock the drive, then try again.'],
    ['ProtectorNotFound', 'file', 'This recovery key no longer exists on the drive', 'It may have been removed or replaced. Read the drives again, then choose the drive again.'],
    ['VerifyFailed', 'usb', "The saved file didn't match the recovery key", "Don't rely on that file. Try again, or choose another place."],
  ] as const)('explains %s (%s) with a next step and the details', async (code, destination, title, body) => {
    await result(report({ destination, outcomes: [outcome({ status: 'failed', path: null, error: error(code, 'Windows said no.', '0x80072F8F') })] }));
    expect(heading()).toBe("Your recovery key wasn't backed up");
    const r = within(row('8A696888'));
    expect(r.getByText(title)).toBeTruthy();
    expect(r.getByText(body)).toBeTruthy();
    expect(r.getByText(`Details: Windows said no. (${code}, 0x80072F8F)`)).toBeTruthy();
  });

  it('shows a refused run (BackupInProgress) as a failure for every chosen key', async () => {
    const setup = await atDestination({ backupOptions: everywhere });
    setup.store.getState().chooseDestination('activeDirectory');
    setup.store.getState().next();
    setup.fake.runBackup.mockResolvedValueOnce(fail('BackupInProgress', 'Another backup is running.'));
    await setup.store.getState().runBackup();
    renderWithStore(<Result />, setup.store);
    expect(heading()).toBe("Your recovery key wasn't backed up");
    for (const id of ['8A696888', '1F2E3D4C']) {
      expect(within(row(id)).getByText('Another backup is still running')).toBeTruthy();
      expect(within(row(id)).getByText('Details: Another backup is running. (BackupInProgress)')).toBeTruthy();
    }
  });

  it('says some keys were not backed up when the outcomes differ', async () => {
    await result(
      report({
        destination: 'file',
        outcomes: [outcome(), outcome({ keyProtectorId: RECOVERY_2.keyProtectorId, status: 'failed', path: null, error: error('NotEnoughSpace') })],
      }),
    );
    expect(heading()).toBe("Some recovery keys weren't backed up");
    expect(within(row('1F2E3D4C')).getByText("There isn't enough free space")).toBeTruthy();
  });

  it('offers "Replace it" after FileExists on a USB drive, which runs again replacing the file', async () => {
    const { fake } = await result(report({ destination: 'usb', outcomes: [outcome({ status: 'failed', path: null, error: error('FileExists', 'F:\\BitLocker Recovery Key 8A696888.TXT exists.') })] }));
    expect(within(row('8A696888')).getByText('A file with this name already exists')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Replace it' }));
      await settle();
    });
    expect(fake.runBackup.mock.calls[1]?.[0].destination).toEqual({ kind: 'usb', target: 'F:', replace: true });
    expect(heading()).toBe('Your recovery key is backed up');
  });

  it('"Back up another way" returns to the destination with the keys kept; "Finish" reads the drives again', async () => {
    const { store, fake } = await result(report({ destination: 'print', outcomes: [outcome({ status: 'printed', path: null })] }));
    fireEvent.click(screen.getByRole('button', { name: 'Back up another way' }));
    expect(store.getState()).toMatchObject({ step: 'destination', selectedKeyIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId], draft: { kind: null } });
    cleanup();

    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    renderWithStore(<Result />, store);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Finish' }));
      await settle();
    });
    expect(store.getState()).toMatchObject({ step: 'drives', report: null });
    expect(fake.listVolumes).toHaveBeenCalledTimes(2);
  });
});
