// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { VolumeT } from '../../preload/contract';
import { createWizardStore } from '../store/wizard';
import { installFakeBridge } from '../testing/fake-bridge';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../testing/fixtures';
import { renderWithStore } from '../testing/render';
import { DriveList } from './DriveList';

afterEach(cleanup);

async function showDrives(volumes: VolumeT[]) {
  installFakeBridge({ volumes });
  const store = createWizardStore();
  await store.getState().load();
  renderWithStore(<DriveList />, store);
  return store;
}

const drives: VolumeT[] = [
  volume(),
  volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', keyProtectors: [TPM, RECOVERY, RECOVERY_2] }),
  volume({ mountPoint: 'E:', label: 'Archive', driveType: 'Fixed', lockStatus: 'Locked', volumeStatus: null, encryptionPercentage: null }),
  volume({ mountPoint: 'G:', label: 'TPM only', driveType: 'Fixed', keyProtectors: [TPM] }),
  volume({ mountPoint: 'F:', label: 'USB', driveType: 'Removable', volumeStatus: 'FullyDecrypted', protectionStatus: 'Off', keyProtectors: [] }),
];

describe('DriveList', () => {
  it('shows the computer name, the heading and a Refresh button', async () => {
    await showDrives(drives);
    expect(screen.getByRole('heading', { level: 1, name: 'Back up your recovery key' })).toBeTruthy();
    expect(screen.getByText('DESKTOP-4Q7R2LM')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeTruthy();
  });

  it('groups drives under the headings Windows uses, in its order', async () => {
    await showDrives(drives);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Operating system drive',
      'Fixed data drives',
      'Removable data drives – BitLocker To Go',
    ]);
  });

  it('offers "Back up your recovery key" only for drives that have a recovery password to back up', async () => {
    await showDrives(drives);
    const buttons = screen.getAllByRole('button', { name: /^Back up your recovery key/ });
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Back up your recovery key for C:',
      'Back up your recovery key for D:',
    ]);
    for (const button of buttons) expect(button.textContent).toBe('Back up your recovery key');
  });

  it('says why the other drives cannot be backed up', async () => {
    await showDrives(drives);
    expect(within(card('Archive')).getByText('Unlock this drive first to back up its recovery key')).toBeTruthy();
    expect(within(card('TPM only')).getByText('This drive has no recovery password to back up')).toBeTruthy();
    expect(within(card('USB')).getByText('BitLocker is off for this drive')).toBeTruthy();
    expect(within(card('Archive')).queryByRole('button')).toBeNull();
  });

  it('shows size, status and every recovery key ID on each card', async () => {
    await showDrives(drives);
    const c = within(card('Windows'));
    expect(c.getByText('475.8 GB')).toBeTruthy();
    expect(c.getByText('BitLocker on')).toBeTruthy();
    expect(c.getByText('Recovery key ID: 8A696888')).toBeTruthy();
    expect(within(card('Data')).getByText('Recovery key IDs: 8A696888, 1F2E3D4C')).toBeTruthy();
    expect(within(card('Archive')).getByText('Locked')).toBeTruthy();
  });

  it('moves to the destination step with the chosen drive', async () => {
    const store = await showDrives(drives);
    fireEvent.click(screen.getByRole('button', { name: 'Back up your recovery key for D:' }));
    expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'D:' });
  });

  it('shows a hostile label as plain text, whole in its tooltip, without running or parsing it', async () => {
    const label = `<img src=x onerror=alert(1)> "quoted" $(Remove-Item C:\\ -Recurse)\n\u202Eevil 😀 ${'x'.repeat(10_000)}`;
    await showDrives([volume({ label })]);
    const name = screen.getByRole('heading', { level: 3 });
    const labelElement = name.querySelector('[title]');
    expect(labelElement?.getAttribute('title')).toBe(label);
    expect(labelElement?.textContent).toBe(label);
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByRole('button', { name: 'Back up your recovery key for C:' })).toBeTruthy();
  });

  it('says so plainly when there are no drives', async () => {
    await showDrives([]);
    expect(screen.getByRole('heading', { name: 'No drives found' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Back up/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeTruthy();
  });
});

/** The card (Fluent Card, role group) named by the drive's label. */
function card(label: string): HTMLElement {
  return screen.getByRole('group', { name: new RegExp(`^${label} \\(`) });
}

describe('DriveList: what things mean', () => {
  const card = (name: string) => screen.getByRole('group', { name });

  it('says what a recovery key ID is for', async () => {
    await showDrives(drives);
    expect(screen.getByText('A recovery key ID is what the BitLocker recovery screen shows, so you can find the matching key.')).toBeTruthy();
  });

  it('says how to add a recovery password to a drive protected without one', async () => {
    await showDrives(drives);
    expect(within(card('TPM only (G:)')).getByText(/^To add one, open Command Prompt as administrator and run: manage-bde -protectors -add G: -RecoveryPassword\. Then select Refresh\.$/)).toBeTruthy();
  });

  it('explains "Waiting for activation" and "Suspended"', async () => {
    await showDrives([
      volume({ protectionStatus: 'Off', keyProtectors: [RECOVERY] }),
      volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', protectionStatus: 'Off', keyProtectors: [TPM, RECOVERY] }),
    ]);
    expect(within(card('Windows (C:)')).getByText('Waiting for activation')).toBeTruthy();
    expect(within(card('Windows (C:)')).getByText(/^The drive is encrypted but not protected yet: Windows turns protection on once the recovery key is backed up/)).toBeTruthy();
    expect(within(card('Data (D:)')).getByText('Suspended')).toBeTruthy();
    expect(within(card('Data (D:)')).getByText(/^Protection is paused: the drive stays encrypted/)).toBeTruthy();
  });

  it('focuses its heading when it appears', async () => {
    await showDrives(drives);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });
});
