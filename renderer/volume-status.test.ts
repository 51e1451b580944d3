import { describe, expect, it } from 'vitest';
import type { KeyProtectorT } from '../preload/contract';
import { strings } from './strings';
import { RECOVERY, RECOVERY_2, TPM, volume } from './testing/fixtures';
import {
  backupAvailability,
  describeVolume,
  driveLabel,
  driveStatus,
  groupVolumes,
  recoveryKeys,
  shortProtectorId,
  statusText,
} from './volume-status';

const TPM_PIN: KeyProtectorT = { keyProtectorId: '{0A0B0C0D-1111-4222-8333-444455556666}', keyProtectorType: 'TpmPin' };
const EXTERNAL_KEY: KeyProtectorT = { keyProtectorId: '{BEBEBEBE-1111-4222-8333-444455556666}', keyProtectorType: 'ExternalKey' };

const locked = volume({
  mountPoint: 'E:',
  driveType: 'Fixed',
  lockStatus: 'Locked',
  volumeStatus: null,
  protectionStatus: 'Unknown',
  encryptionPercentage: null,
  capacityGB: null,
  freeSpaceBytes: null,
  keyProtectors: [RECOVERY, EXTERNAL_KEY],
});

const plainUsb = volume({
  mountPoint: 'F:',
  label: 'USB',
  driveType: 'Removable',
  volumeStatus: 'FullyDecrypted',
  protectionStatus: 'Off',
  encryptionPercentage: 0,
  keyProtectors: [],
});

describe('driveStatus', () => {
  it('says BitLocker on for a fully encrypted, protected drive', () => {
    expect(driveStatus(volume())).toEqual({ kind: 'on' });
  });

  it('says BitLocker off for a fully decrypted drive', () => {
    expect(driveStatus(plainUsb)).toEqual({ kind: 'off' });
  });

  it('says Locked for a locked drive whatever else it reports', () => {
    expect(driveStatus(locked)).toEqual({ kind: 'locked' });
    expect(driveStatus({ ...locked, volumeStatus: 'FullyEncrypted', protectionStatus: 'On' })).toEqual({ kind: 'locked' });
  });

  it('reports encryption progress, rounded down so 99.6% never reads as 100%', () => {
    const v = volume({ volumeStatus: 'EncryptionInProgress', encryptionPercentage: 45.9 });
    expect(driveStatus(v)).toEqual({ kind: 'encrypting', percent: 45 });
    expect(driveStatus({ ...v, encryptionPercentage: 99.6 })).toEqual({ kind: 'encrypting', percent: 99 });
  });

  it('reports decryption progress as how far decryption has got (Windows reports what is still encrypted)', () => {
    const v = volume({ volumeStatus: 'DecryptionInProgress', encryptionPercentage: 90 });
    expect(driveStatus(v)).toEqual({ kind: 'decrypting', percent: 10 });
  });

  it('reports paused encryption and decryption with their progress', () => {
    expect(driveStatus(volume({ volumeStatus: 'EncryptionSuspended', encryptionPercentage: 30 }))).toEqual({
      kind: 'encryptionPaused',
      percent: 30,
    });
    expect(driveStatus(volume({ volumeStatus: 'DecryptionSuspended', encryptionPercentage: 75 }))).toEqual({
      kind: 'decryptionPaused',
      percent: 25,
    });
  });

  it('keeps the progress word when the percentage is unknown', () => {
    expect(driveStatus(volume({ volumeStatus: 'EncryptionInProgress', encryptionPercentage: null }))).toEqual({
      kind: 'encrypting',
      percent: null,
    });
  });

  describe('protection off on an encrypted drive', () => {
    it('is Suspended when a TPM (or other non-recovery) protector is present', () => {
      expect(driveStatus(volume({ protectionStatus: 'Off' }))).toEqual({ kind: 'suspended' });
      expect(driveStatus(volume({ protectionStatus: 'Off', keyProtectors: [TPM_PIN] }))).toEqual({ kind: 'suspended' });
      expect(driveStatus(volume({ protectionStatus: 'Off', keyProtectors: [EXTERNAL_KEY, RECOVERY] }))).toEqual({
        kind: 'suspended',
      });
    });

    it('is Waiting for activation with only recovery passwords: device encryption before the key is backed up', () => {
      expect(driveStatus(volume({ protectionStatus: 'Off', keyProtectors: [RECOVERY] }))).toEqual({
        kind: 'waitingForActivation',
      });
      expect(driveStatus(volume({ protectionStatus: 'Off', keyProtectors: [RECOVERY, RECOVERY_2] }))).toEqual({
        kind: 'waitingForActivation',
      });
    });

    it('is Waiting for activation with no protectors at all (the clear key)', () => {
      expect(driveStatus(volume({ protectionStatus: 'Off', keyProtectors: [] }))).toEqual({ kind: 'waitingForActivation' });
    });

    it('is Waiting for activation while device encryption is still encrypting', () => {
      const v = volume({ volumeStatus: 'EncryptionInProgress', encryptionPercentage: 20, protectionStatus: 'Off', keyProtectors: [] });
      expect(driveStatus(v)).toEqual({ kind: 'waitingForActivation' });
    });

    it('is plain encryption progress when a TPM protector is present', () => {
      const v = volume({ volumeStatus: 'EncryptionInProgress', encryptionPercentage: 20, protectionStatus: 'Off' });
      expect(driveStatus(v)).toEqual({ kind: 'encrypting', percent: 20 });
    });

    it('applies while free space is being wiped too', () => {
      expect(driveStatus(volume({ volumeStatus: 'FullyEncryptedWipeInProgress', protectionStatus: 'Off' }))).toEqual({
        kind: 'suspended',
      });
      expect(driveStatus(volume({ volumeStatus: 'FullyEncryptedWipeSuspended' }))).toEqual({ kind: 'on' });
    });
  });

  it('treats an unknown protection status on an encrypted drive as on', () => {
    expect(driveStatus(volume({ protectionStatus: 'Unknown' }))).toEqual({ kind: 'on' });
    expect(driveStatus(volume({ protectionStatus: null }))).toEqual({ kind: 'on' });
  });

  it('admits it does not know when an unlocked drive reports no volume status', () => {
    expect(driveStatus(volume({ volumeStatus: null }))).toEqual({ kind: 'unknown' });
  });
});

describe('statusText', () => {
  it.each([
    [{ kind: 'on' } as const, 'BitLocker on'],
    [{ kind: 'off' } as const, 'BitLocker off'],
    [{ kind: 'locked' } as const, 'Locked'],
    [{ kind: 'suspended' } as const, 'Suspended'],
    [{ kind: 'waitingForActivation' } as const, 'Waiting for activation'],
    [{ kind: 'encrypting', percent: 45 } as const, 'Encrypting 45%'],
    [{ kind: 'decrypting', percent: 10 } as const, 'Decrypting 10%'],
    [{ kind: 'encrypting', percent: null } as const, 'Encrypting'],
    [{ kind: 'encryptionPaused', percent: 30 } as const, 'Encryption paused at 30%'],
  ])('%o reads %s', (status, text) => {
    expect(statusText(status)).toBe(text);
  });
});

describe('recoveryKeys', () => {
  it('lists every recovery password, never other protectors, with the 8-character ID helpdesks ask for', () => {
    const v = volume({ keyProtectors: [TPM, RECOVERY, EXTERNAL_KEY, RECOVERY_2] });
    expect(recoveryKeys(v)).toEqual([
      { keyProtectorId: RECOVERY.keyProtectorId, shortId: '8A696888' },
      { keyProtectorId: RECOVERY_2.keyProtectorId, shortId: '1F2E3D4C' },
    ]);
  });

  it('is empty for a TPM-only drive', () => {
    expect(recoveryKeys(volume({ keyProtectors: [TPM] }))).toEqual([]);
  });

  it('shortens a braced GUID to its first 8 characters, upper case', () => {
    expect(shortProtectorId('{8a696888-99A7-4FAC-92C7-6CC497EA7BDF}')).toBe('8A696888');
  });
});

describe('backupAvailability', () => {
  it('allows backup of a drive with a recovery password', () => {
    expect(backupAvailability(volume())).toEqual({ possible: true });
  });

  it.each([
    ['suspended', volume({ protectionStatus: 'Off' })],
    ['waiting for activation', volume({ protectionStatus: 'Off', keyProtectors: [RECOVERY] })],
    ['encrypting', volume({ volumeStatus: 'EncryptionInProgress', encryptionPercentage: 5 })],
  ])('allows backup while %s', (_name, v) => {
    expect(backupAvailability(v)).toEqual({ possible: true });
  });

  it('refuses a locked drive first, even though it lists a recovery password', () => {
    expect(backupAvailability(locked)).toEqual({ possible: false, reason: 'locked' });
  });

  it('refuses a drive with BitLocker off', () => {
    expect(backupAvailability(plainUsb)).toEqual({ possible: false, reason: 'bitLockerOff' });
  });

  it('refuses a drive without a recovery password', () => {
    expect(backupAvailability(volume({ keyProtectors: [TPM] }))).toEqual({ possible: false, reason: 'noRecoveryPassword' });
    expect(backupAvailability(volume({ protectionStatus: 'Off', keyProtectors: [] }))).toEqual({
      possible: false,
      reason: 'noRecoveryPassword',
    });
  });

  it('has user-facing wording for every reason', () => {
    expect(strings.drives.cannotBackUp).toEqual({
      locked: 'Unlock this drive first to back up its recovery key',
      noRecoveryPassword: 'This drive has no recovery password to back up',
      bitLockerOff: 'BitLocker is off for this drive',
    });
  });
});

describe('groupVolumes', () => {
  it('groups as Windows does, in its order, each sorted by drive letter, leaving out empty groups', () => {
    const d = volume({ mountPoint: 'D:', driveType: 'Fixed' });
    const e = volume({ mountPoint: 'e:', driveType: 'Fixed' });
    const groups = groupVolumes([plainUsb, e, volume(), d]);
    expect(groups.map((g) => [g.group, g.volumes.map((v) => v.mountPoint)])).toEqual([
      ['OperatingSystem', ['C:']],
      ['Fixed', ['D:', 'e:']],
      ['Removable', ['F:']],
    ]);
    expect(groupVolumes([plainUsb]).map((g) => g.group)).toEqual(['Removable']);
    expect(groupVolumes([])).toEqual([]);
  });

  it('names the groups as the BitLocker control panel does', () => {
    expect(strings.drives.groups).toEqual({
      OperatingSystem: 'Operating system drive',
      Fixed: 'Fixed data drives',
      Removable: 'Removable data drives – BitLocker To Go',
    });
  });
});

describe('driveLabel', () => {
  it('keeps the label verbatim, whatever it contains', () => {
    const label = '"Quotes" $(Remove-Item C:\\) \n\u202Eevil 😀';
    expect(driveLabel(volume({ label }))).toBe(label);
  });

  it('falls back to what File Explorer shows for an unlabelled drive', () => {
    expect(driveLabel(volume({ label: null }))).toBe('Local Disk');
    expect(driveLabel(volume({ label: '  ', driveType: 'Fixed' }))).toBe('Local Disk');
    expect(driveLabel({ ...plainUsb, label: '' })).toBe('USB Drive');
  });
});

describe('describeVolume', () => {
  it('puts it all together', () => {
    expect(describeVolume(volume())).toEqual({
      label: 'Windows',
      status: { kind: 'on' },
      recoveryKeys: [{ keyProtectorId: RECOVERY.keyProtectorId, shortId: '8A696888' }],
      backup: { possible: true },
    });
  });
});

describe('capacity', () => {
  it('shows sizes as Windows does', () => {
    expect(strings.drives.capacity(475.83)).toBe('475.8 GB');
    expect(strings.drives.capacity(14.9)).toBe('14.9 GB');
    expect(strings.drives.capacity(32)).toBe('32 GB');
    expect(strings.drives.capacity(1863)).toBe('1.8 TB');
  });
});
