import { describe, expect, it } from 'vitest';
import type { VolumeT } from '../../preload/contract';
import { volume } from '../../tests/support/volumes';
import { backupOptions, destinations, MIN_FREE_BYTES, usbCandidates } from './backup-options';


const rp = (n: number) => ({ keyProtectorId: `{${String(n).repeat(8)}-0000-0000-0000-000000000000}`, keyProtectorType: 'RecoveryPassword' as const });
const stick = (mountPoint: string, overrides: Partial<VolumeT> = {}) =>
  volume({ mountPoint, driveType: 'Removable', volumeStatus: 'FullyDecrypted', protectionStatus: 'Off', ...overrides });

describe('usbCandidates', () => {
  it('offers plain unlocked sticks with room, and says why the others are not', () => {
    const volumes = [
      volume({ mountPoint: 'C:' }),
      stick('E:'),
      stick('F:', { lockStatus: 'Locked', volumeStatus: null }),
      stick('G:', { volumeStatus: 'FullyEncrypted' }),
      stick('H:', { freeSpaceBytes: MIN_FREE_BYTES - 1 }),
      stick('I:', { freeSpaceBytes: null }),
      stick('J:', { freeSpaceBytes: MIN_FREE_BYTES }),
    ];
    expect(usbCandidates(volumes, 'C:').map((u) => [u.mountPoint, u.usable, u.reason])).toEqual([
      ['E:', true, null],
      ['F:', false, 'Locked'],
      ['G:', false, 'Encrypted'],
      ['H:', false, 'NotEnoughSpace'],
      ['I:', true, null],
      ['J:', true, null],
    ]);
  });

  it('never offers the drive being backed up', () => {
    expect(usbCandidates([stick('E:', { volumeStatus: 'FullyEncrypted' })], 'e:')[0]).toMatchObject({ usable: false, reason: 'SameDrive' });
  });
});

describe('destinations', () => {
  const reasons = (env: { entraJoined: boolean; domainJoined: boolean }, usable = true) =>
    Object.fromEntries(destinations(env, [{ mountPoint: 'E:', label: null, freeSpaceBytes: null, usable, reason: usable ? null : 'Locked' }]).map((d) => [d.kind, d.reason]));

  it('offers the Microsoft account on a home PC, not the directories', () => {
    expect(reasons({ entraJoined: false, domainJoined: false })).toEqual({
      microsoftAccount: null,
      entra: 'NotEntraJoined',
      activeDirectory: 'NotDomainJoined',
      usb: null,
      file: null,
      print: null,
    });
  });

  it('offers Entra ID on an Entra-joined PC, where the organisation replaces the Microsoft account', () => {
    expect(reasons({ entraJoined: true, domainJoined: false })).toMatchObject({ microsoftAccount: 'OrganizationManaged', entra: null, activeDirectory: 'NotDomainJoined' });
  });

  it('offers both directories on a hybrid-joined PC and never the Microsoft account on a domain member', () => {
    expect(reasons({ entraJoined: true, domainJoined: true })).toMatchObject({ microsoftAccount: 'DomainJoined', entra: null, activeDirectory: null });
  });

  it('disables USB when no stick can take the file', () => {
    expect(reasons({ entraJoined: false, domainJoined: false }, false).usb).toBe('NoUsbDrive');
  });

  it('offers USB when one stick of several can take the file', () => {
    const usb = [
      { mountPoint: 'E:', label: null, freeSpaceBytes: null, usable: false, reason: 'Locked' as const },
      { mountPoint: 'F:', label: null, freeSpaceBytes: null, usable: true, reason: null },
    ];
    expect(destinations({ entraJoined: false, domainJoined: false }, usb).find((d) => d.kind === 'usb')).toEqual({ kind: 'usb', available: true, reason: null });
  });

  it('marks a destination available exactly when it has no reason against it', () => {
    for (const d of destinations({ entraJoined: true, domainJoined: false }, [])) expect(d.available, d.kind).toBe(d.reason === null);
    expect(destinations({ entraJoined: true, domainJoined: false }, []).map((d) => [d.kind, d.available])).toEqual([
      ['microsoftAccount', false],
      ['entra', true],
      ['activeDirectory', false],
      ['usb', false],
      ['file', true],
      ['print', true],
    ]);
  });
});

describe('backupOptions', () => {
  const env = { computerName: 'PC', elevated: true, edition: null, entraJoined: false, domainJoined: false, domainName: null, tenantName: null, bitLockerModule: true, simulated: true, scenarioName: null, intuneManaged: false };

  it('lists only the recovery-password protectors', () => {
    const options = backupOptions(env, [volume({ keyProtectors: [{ keyProtectorId: rp(1).keyProtectorId.replace('1', '9'), keyProtectorType: 'Tpm' }, rp(1), rp(2)] })], 'c:');
    expect(options.protectors).toEqual([rp(1), rp(2)]);
    expect(options.mountPoint).toBe('C:');
  });

  it('refuses a locked drive and an unknown one', () => {
    expect(() => backupOptions(env, [volume({ lockStatus: 'Locked' })], 'C:')).toThrow(
      expect.objectContaining({ code: 'VolumeLocked', message: 'C: is locked. Unlock it to back up its recovery key.' }),
    );
    expect(() => backupOptions(env, [volume({})], 'Z:')).toThrow(expect.objectContaining({ code: 'VolumeNotFound', message: 'Z: is no longer available.' }));
  });
});
