// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupOptionsT } from '../../preload/contract';
import { createWizardStore } from '../store/wizard';
import { deferred, fail, installFakeBridge, ok } from '../testing/fake-bridge';
import { backupOptions, environment, keyFileName, keyStatus, keyStatusReport, NEW_KEY, RECOVERY, RECOVERY_2, TPM, usbDrive, volume } from '../testing/fixtures';
import { announced, description, isDisabled, renderWithStore } from '../testing/render';
import { atDestination, settle } from '../testing/wizard';
import { Destination } from './Destination';

afterEach(cleanup);

async function show(pc: Parameters<typeof atDestination>[0] = {}) {
  const setup = await atDestination(pc);
  renderWithStore(<Destination />, setup.store);
  return setup;
}

const where = () => screen.getByRole('radiogroup', { name: 'Where do you want to back up your recovery key?' });
const next = () => screen.getByRole('button', { name: 'Next' });

function offers(destinations: BackupOptionsT['destinations']): BackupOptionsT {
  return backupOptions({ destinations });
}

const KINDS = ['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print'] as const;
const everywhere = offers(KINDS.map((kind) => ({ kind, available: true, reason: null })));

describe('Destination', () => {
  it('shows a spinner while it reads the options, then the heading, keys and destinations', async () => {
    const fake = installFakeBridge();
    const answer = deferred<Awaited<ReturnType<typeof fake.getBackupOptions>>>();
    fake.getBackupOptions.mockReturnValueOnce(answer.promise);
    const store = createWizardStore();
    await store.getState().load();
    store.getState().chooseDrive('C:');
    renderWithStore(<Destination />, store);
    expect(screen.getByRole('heading', { level: 1, name: 'Back up the recovery key for Windows (C:)' })).toBeTruthy();
    expect(screen.getByText('Checking where the recovery key can go…')).toBeTruthy();
    expect(isDisabled(next())).toBe(true);
    await act(async () => answer.resolve(ok(backupOptions())));
    expect(screen.getByRole('heading', { level: 2, name: 'Which recovery key?' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Where do you want to back up your recovery key?' })).toBeTruthy();
  });

  it('offers the destinations in the order given, by the names Windows uses', async () => {
    await show({ backupOptions: everywhere });
    expect(within(where()).getAllByRole('radio').map((r) => r.getAttribute('value'))).toEqual([
      'microsoftAccount',
      'entra',
      'activeDirectory',
      'usb',
      'file',
      'print',
    ]);
    for (const name of [
      'Save to your Microsoft account',
      "Save to your organization's Microsoft Entra ID",
      'Save to Active Directory',
      'Save to a USB flash drive',
      'Save to a file',
      'Print the recovery key',
    ]) {
      expect(screen.getByRole('radio', { name })).toBeTruthy();
    }
  });

  it.each([
    ['Save to your Microsoft account', 'microsoftAccount', 'DomainJoined', "Windows doesn't allow this on PCs joined to a domain"],
    ['Save to your Microsoft account', 'microsoftAccount', 'OrganizationManaged', 'This PC is managed by your organization: use Microsoft Entra ID instead'],
    ['Save to a USB flash drive', 'usb', 'NoUsbDrive', 'Insert a USB flash drive, then select Refresh'],
  ] as const)('shows "%s" disabled when %s is unavailable (%s), with the reason', async (name, kind, reason, text) => {
    const { store } = await show({
      backupOptions: offers(backupOptions().destinations.map((d) => (d.kind === kind ? { kind, available: false, reason } : { ...d, available: true, reason: null }))),
    });
    const radio = screen.getByRole('radio', { name });
    expect(isDisabled(radio)).toBe(true);
    expect(description(radio)).toBe(text);
    fireEvent.click(radio);
    expect(store.getState().draft.kind).toBeNull();
  });

  it('reads the options again on Refresh when no USB drive is inserted', async () => {
    const { fake } = await show({
      backupOptions: offers(backupOptions().destinations.map((d) => (d.kind === 'usb' ? { kind: 'usb', available: false, reason: 'NoUsbDrive' } : d))),
    });
    fake.getBackupOptions.mockResolvedValueOnce(ok(backupOptions()));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
      await settle();
    });
    expect(fake.getBackupOptions).toHaveBeenCalledTimes(2);
    expect(isDisabled(screen.getByRole('radio', { name: 'Save to a USB flash drive' }))).toBe(false);
  });

  it('lists the drive\'s recovery keys checked, keeps one checked, and shows full IDs on request', async () => {
    const { store } = await show({ volumes: [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })] });
    const keys = screen.getByRole('group', { name: 'Which recovery key?' });
    const first = within(keys).getByRole('checkbox', { name: 'Recovery key ID 8A696888' }) as HTMLInputElement;
    const second = within(keys).getByRole('checkbox', { name: 'Recovery key ID 1F2E3D4C' }) as HTMLInputElement;
    expect([first.checked, second.checked]).toEqual([true, true]);
    fireEvent.click(first);
    expect(store.getState().selectedKeyIds).toEqual([RECOVERY_2.keyProtectorId]);
    expect(first.checked).toBe(false);
    expect(isDisabled(second)).toBe(true);

    expect(screen.queryByText('8A696888-99A7-4FAC-92C7-6CC497EA7BDF')).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: 'Show full IDs' }));
    expect(screen.getByText('8A696888-99A7-4FAC-92C7-6CC497EA7BDF')).toBeTruthy();
    expect(screen.getByText('1F2E3D4C-0000-4000-8000-000000000001')).toBeTruthy();
  });

  it('shows a single key as text, not a checkbox', async () => {
    await show();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByText('Recovery key ID 8A696888')).toBeTruthy();
  });

  it('says so when the drive has no recovery password, and offers nowhere to go', async () => {
    await show({ backupOptions: backupOptions({ protectors: [] }) });
    expect(screen.getByText('This drive has no recovery password to back up')).toBeTruthy();
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(isDisabled(next())).toBe(true);
  });

  it('enables Next for a file only once a place is chosen, then moves on', async () => {
    const { fake, store } = await show();
    expect(isDisabled(next())).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a file' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Where do you want to save the file?' })).toBeTruthy();
    expect(isDisabled(next())).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Choose where to save…' }));
      await settle();
    });
    expect(fake.chooseFile).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], format: 'text' });
    expect(screen.getByText(`E:\\${keyFileName(RECOVERY.keyProtectorId)}`)).toBeTruthy();
    expect(isDisabled(next())).toBe(false);
    fireEvent.click(next());
    expect(store.getState().step).toBe('confirm');
  });

  it('explains why a place was refused and lets the user choose again', async () => {
    const { fake } = await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a file' }));
    fake.chooseFile.mockResolvedValueOnce(fail('LocationEncrypted', 'Your recovery key cannot be saved to an encrypted drive.'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Choose where to save…' }));
      await settle();
    });
    expect(screen.getByText('Choose another location')).toBeTruthy();
    expect(screen.getByText('Your recovery key cannot be saved to an encrypted drive.')).toBeTruthy();
    expect(screen.queryByText(/^Details:/)).toBeNull();
    expect(isDisabled(screen.getByRole('button', { name: 'Choose where to save…' }))).toBe(false);
    expect(isDisabled(next())).toBe(true);
  });

  it('changes nothing when the Save dialog is cancelled', async () => {
    const { fake, store } = await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a file' }));
    fake.chooseFile.mockResolvedValueOnce(ok({ cancelled: true }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Choose where to save…' }));
      await settle();
    });
    expect(store.getState().draft.fileTargets).toBeNull();
    expect(screen.queryByRole('group', { name: /Choose another/ })).toBeNull();
    expect(isDisabled(next())).toBe(true);
  });

  it('picks the only usable USB drive by itself', async () => {
    await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a USB flash drive' }));
    expect((screen.getByRole('radio', { name: 'USB DISK (F:) — 14.2 GB free' }) as HTMLInputElement).checked).toBe(true);
    expect(isDisabled(next())).toBe(false);
  });

  it('lists USB drives with their free space, the unusable ones disabled with the reason', async () => {
    const { store } = await show({
      backupOptions: backupOptions({
        usbDrives: [
          usbDrive(),
          usbDrive({ mountPoint: 'G:', label: null, freeSpaceBytes: 1024 ** 3 * 2, usable: false, reason: 'Encrypted' }),
          usbDrive({ mountPoint: 'H:', label: 'BACKUP', freeSpaceBytes: null }),
        ],
      }),
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a USB flash drive' }));
    const sticks = screen.getByRole('radiogroup', { name: 'Which USB flash drive?' });
    const usable = within(sticks).getByRole('radio', { name: 'USB DISK (F:) — 14.2 GB free' });
    const encrypted = within(sticks).getByRole('radio', { name: 'USB Drive (G:) — 2 GB free' });
    expect(isDisabled(encrypted)).toBe(true);
    expect(description(encrypted)).toBe('Your recovery key cannot be saved to an encrypted drive.');
    expect(within(sticks).getByRole('radio', { name: 'BACKUP (H:)' })).toBeTruthy();
    // Two sticks can take the file: the user picks one.
    expect(isDisabled(next())).toBe(true);
    fireEvent.click(usable);
    expect(store.getState().draft.usbTarget).toBe('F:');
    expect(isDisabled(next())).toBe(false);
  });

  it('prints by default, and Save as PDF asks where to save', async () => {
    const { fake } = await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Print the recovery key' }));
    const how = screen.getByRole('radiogroup', { name: 'How do you want to print?' });
    expect((within(how).getByRole('radio', { name: 'Print' }) as HTMLInputElement).checked).toBe(true);
    expect(isDisabled(next())).toBe(false);
    fireEvent.click(within(how).getByRole('radio', { name: 'Save as PDF' }));
    expect(isDisabled(next())).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Choose where to save…' }));
      await settle();
    });
    expect(fake.chooseFile).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], format: 'pdf' });
    expect(screen.getByText('E:\\BitLocker Recovery Keys.pdf')).toBeTruthy();
    expect(isDisabled(next())).toBe(false);
  });

  it('tucks the organisation directories away on a PC joined to none, naming them with the reason on request', async () => {
    await show();
    expect(within(where()).getAllByRole('radio').map((r) => r.getAttribute('value'))).toEqual(['microsoftAccount', 'usb', 'file', 'print']);
    expect(screen.queryByRole('radio', { name: /Entra ID/ })).toBeNull();
    const more = screen.getByRole('button', { name: "Options that don't apply to this PC" });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    const list = document.getElementById(more.getAttribute('aria-controls') ?? '')!;
    expect(list.hidden).toBe(true);
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(list.hidden).toBe(false);
    expect(within(list).getByText("Save to your organization's Microsoft Entra ID")).toBeTruthy();
    expect(within(list).getByText("This PC isn't joined to Microsoft Entra ID")).toBeTruthy();
    expect(within(list).getByText('Save to Active Directory')).toBeTruthy();
    expect(within(list).getByText("This PC isn't joined to a domain")).toBeTruthy();
  });

  it.each([
    ['an Entra-joined PC', { entraJoined: true, tenantName: 'Contoso' }, 'entra', "Save to your organization's Microsoft Entra ID (Contoso)"],
    ['a domain-joined PC', { domainJoined: true, domainName: 'corp.contoso.com' }, 'activeDirectory', 'Save to Active Directory (corp.contoso.com)'],
    ['a hybrid-joined PC', { entraJoined: true, domainJoined: true, tenantName: 'Contoso', domainName: 'corp.contoso.com' }, 'entra', "Save to your organization's Microsoft Entra ID (Contoso)"],
  ] as const)('on %s, preselects the organisation’s directory and names it', async (_pc, joined, kind, name) => {
    const { store } = await show({ environment: environment(joined), backupOptions: everywhere });
    expect(store.getState().draft.kind).toBe(kind);
    expect((screen.getByRole('radio', { name }) as HTMLInputElement).checked).toBe(true);
    expect(isDisabled(next())).toBe(false);
  });

  it('preselects nothing when Windows could not say whether the PC is joined to Entra ID', async () => {
    const { store } = await show({ environment: environment({ entraJoined: null }), backupOptions: everywhere });
    expect(store.getState().draft.kind).toBeNull();
  });

  it('keeps the user’s own choice over the directory when the options are read again', async () => {
    const { store, fake } = await show({ environment: environment({ entraJoined: true, tenantName: 'Contoso' }), backupOptions: everywhere });
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a file' }));
    fake.getBackupOptions.mockResolvedValueOnce(ok(everywhere));
    await act(async () => {
      await store.getState().loadBackupOptions();
    });
    expect(store.getState().draft.kind).toBe('file');
  });

  it.each([
    ['nothing is chosen', () => {}, 'Choose where to back up the recovery key'],
    ['a file has no place yet', () => fireEvent.click(screen.getByRole('radio', { name: 'Save to a file' })), 'Choose where to save the file'],
    [
      'a PDF has no place yet',
      () => {
        fireEvent.click(screen.getByRole('radio', { name: 'Print the recovery key' }));
        fireEvent.click(screen.getByRole('radio', { name: 'Save as PDF' }));
      },
      'Choose where to save the PDF',
    ],
  ] as const)('a disabled Next says why when %s, beside it and on the button', async (_case, choose, why) => {
    await show();
    choose();
    expect(isDisabled(next())).toBe(true);
    expect(description(next())).toBe(why);
    expect(screen.getByText(why)).toBeTruthy();
  });

  it('a disabled Next asks for a USB flash drive when two could take the file', async () => {
    await show({ backupOptions: backupOptions({ usbDrives: [usbDrive(), usbDrive({ mountPoint: 'G:', label: 'BACKUP' })] }) });
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a USB flash drive' }));
    expect(description(next())).toBe('Choose a USB flash drive');
  });

  it('refuses a locked BitLocker To Go stick as an encrypted drive', async () => {
    await show({ backupOptions: backupOptions({ usbDrives: [usbDrive(), usbDrive({ mountPoint: 'E:', label: 'Travel', freeSpaceBytes: null, usable: false, reason: 'Locked' })] }) });
    fireEvent.click(screen.getByRole('radio', { name: 'Save to a USB flash drive' }));
    expect(description(screen.getByRole('radio', { name: 'Travel (E:)' }))).toBe('Your recovery key cannot be saved to an encrypted drive.');
  });

  it('names the drive as the list does, its label cut to one line and whole in the tooltip', async () => {
    const label = `Very long label ${'x'.repeat(500)}`;
    await show({ volumes: [volume({ label, keyProtectors: [TPM, RECOVERY] })] });
    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading.textContent).toBe(`Back up the recovery key for ${label} (C:)`);
    expect(within(heading).getByTitle(label)).toBeTruthy();
  });

  it('says what a recovery key ID is for, and gives Windows’ advice to keep more than one copy', async () => {
    await show();
    expect(screen.getByText('A recovery key ID is what the BitLocker recovery screen shows, so you can find the matching key.')).toBeTruthy();
    expect(screen.getByText("It's a good idea to have more than one copy of your recovery key, and to keep each in a safe place away from this PC.")).toBeTruthy();
  });

  it('says how to add a recovery password to a drive that has none', async () => {
    await show({ backupOptions: backupOptions({ protectors: [] }) });
    expect(screen.getByText(/manage-bde -protectors -add C: -RecoveryPassword/)).toBeTruthy();
  });

  it('Escape cancels', async () => {
    const { store } = await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Print the recovery key' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(store.getState()).toMatchObject({ step: 'drives', draft: { kind: null } });
  });

  it('focuses its heading when it appears', async () => {
    await show();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('shows a failure to read the options with Retry and Back', async () => {
    const fake = installFakeBridge();
    fake.getBackupOptions.mockResolvedValueOnce(fail('HostCrashed', 'PowerShell exited with code 1.'));
    const store = createWizardStore();
    await store.getState().load();
    store.getState().chooseDrive('C:');
    await settle();
    renderWithStore(<Destination />, store);
    expect(screen.getByText('The connection to BitLocker stopped unexpectedly')).toBeTruthy();
    expect(screen.getByText('Details: PowerShell exited with code 1. (HostCrashed)')).toBeTruthy();
    expect(announced().assertive).toBe(
      'The connection to BitLocker stopped unexpectedly. Windows PowerShell, which the app uses to talk to BitLocker, stopped. Select Retry to start it again.',
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
      await settle();
    });
    expect(screen.getByRole('radiogroup', { name: 'Where do you want to back up your recovery key?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(store.getState().step).toBe('drives');
  });

  it('Back keeps the choice, Cancel forgets it', async () => {
    const { store } = await show();
    fireEvent.click(screen.getByRole('radio', { name: 'Print the recovery key' }));
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(store.getState()).toMatchObject({ step: 'drives', draft: { kind: 'print' } });
    cleanup();
    store.getState().chooseDrive('C:');
    await settle();
    renderWithStore(<Destination />, store);
    expect((screen.getByRole('radio', { name: 'Print the recovery key' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(store.getState()).toMatchObject({ step: 'drives', draft: { kind: null } });
  });

  it('says which drive of how many while a home PC backs up every key drive by drive, and nothing otherwise', async () => {
    const volumes = [volume({ keyProtectors: [TPM, RECOVERY] }), volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', keyProtectors: [NEW_KEY] })];
    const notBackedUp = keyStatusReport(volumes, environment(), {
      drives: [
        { mountPoint: 'C:', keys: [keyStatus()], removedKeys: [] },
        { mountPoint: 'D:', keys: [keyStatus({ keyProtectorId: NEW_KEY.keyProtectorId, summary: 'unknown' })], removedKeys: [] },
      ],
    });
    const { store } = await show({ volumes, keyStatus: notBackedUp });
    // Chosen from the drive list: a single backup, no walk.
    expect(screen.queryByText(/^Drive \d+ of \d+$/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await settle();
    cleanup();

    await store.getState().backUpMissing();
    await settle();
    renderWithStore(<Destination />, store);
    expect(screen.getByRole('heading', { level: 1, name: 'Back up the recovery key for Windows (C:)' })).toBeTruthy();
    expect(screen.getByText('Drive 1 of 2')).toBeTruthy();
    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    await act(async () => {
      await store.getState().finish();
      await settle();
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Back up the recovery key for Data (D:)' })).toBeTruthy();
    expect(screen.getByText('Drive 2 of 2')).toBeTruthy();
  });
});
