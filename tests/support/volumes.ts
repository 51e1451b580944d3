import type { KeyProtectorT, VolumeT } from '../../preload/contract';

/** Test volumes as main reports them, shared by main's and the renderer's tests (no Node imports). */
export const TPM: KeyProtectorT = { keyProtectorId: '{3B3E091C-ECB9-4B46-9FDD-A9E699EC3C8C}', keyProtectorType: 'Tpm' };
export const RECOVERY: KeyProtectorT = {
  keyProtectorId: '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}',
  keyProtectorType: 'RecoveryPassword',
};
export const RECOVERY_2: KeyProtectorT = {
  keyProtectorId: '{1f2e3d4c-0000-4000-8000-000000000001}',
  keyProtectorType: 'RecoveryPassword',
};

/** A BitLocker-on OS drive with a TPM and one recovery password; override what a test is about. */
export function volume(overrides: Partial<VolumeT> = {}): VolumeT {
  return {
    mountPoint: 'C:',
    label: 'Windows',
    driveType: 'OperatingSystem',
    capacityGB: 475.8,
    fileSystem: 'NTFS',
    volumeStatus: 'FullyEncrypted',
    protectionStatus: 'On',
    lockStatus: 'Unlocked',
    encryptionMethod: 'XtsAes128',
    encryptionPercentage: 100,
    keyProtectors: [TPM, RECOVERY],
    freeSpaceBytes: 100_000_000_000,
    ...overrides,
  };
}
