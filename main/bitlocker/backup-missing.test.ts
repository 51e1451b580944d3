import { describe, expect, it } from 'vitest';
import { scriptedModule } from '../../tests/support/scripted-module';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../../tests/support/volumes';
import type { BackupRequest } from './backup';
import { backupMissing } from './backup-missing';

const IN_ENTRA = RECOVERY.keyProtectorId;
const MISSING = RECOVERY_2.keyProtectorId;
const D_KEY = '{0BF962D1-FFA3-42D4-9B2E-A046EDBD47EE}';
const LOCKED_KEY = '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}';
const ONLY_IN_ACCOUNT = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';

function pc() {
  return scriptedModule({
    'Get-BkbVolumes': () => ({
      volumes: [
        volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] }),
        volume({ mountPoint: 'D:', driveType: 'Fixed', keyProtectors: [{ keyProtectorId: D_KEY, keyProtectorType: 'RecoveryPassword' }] }),
        volume({ mountPoint: 'E:', driveType: 'Removable', lockStatus: 'Locked', keyProtectors: [{ keyProtectorId: LOCKED_KEY, keyProtectorType: 'RecoveryPassword' }] }),
        volume({ mountPoint: 'F:', driveType: 'Fixed', keyProtectors: [{ keyProtectorId: ONLY_IN_ACCOUNT, keyProtectorType: 'RecoveryPassword' }] }),
        volume({ mountPoint: 'G:', driveType: 'Fixed', keyProtectors: [TPM] }),
      ],
    }),
    'Get-BkbKeyHistory': () => ({
      events: [
        { id: 845, time: '2026-02-01T00:00:00.000Z', keyProtectorId: IN_ENTRA, mountPoint: 'C:' },
        { id: 784, time: '2026-02-01T00:00:00.000Z', keyProtectorId: D_KEY, mountPoint: 'D:' },
        { id: 828, time: '2026-02-01T00:00:00.000Z', keyProtectorId: ONLY_IN_ACCOUNT, mountPoint: 'F:' },
      ],
      logStartsAt: null,
      truncated: false,
    }),
  });
}

async function run(environment: { entraJoined: boolean | null; domainJoined: boolean }) {
  const sent: BackupRequest[] = [];
  const result = await backupMissing({
    session: pc().session,
    environment,
    history: [],
    runAll: async (requests) => {
      sent.push(...requests);
      return [];
    },
  });
  return { result, sent };
}

describe('backupMissing', () => {
  it("sends every unlocked drive's keys that Entra ID has not accepted, and no others", async () => {
    const { result, sent } = await run({ entraJoined: true, domainJoined: false });
    expect(result.destination).toBe('entra');
    // An AD backup (784) or a Microsoft account (828) is not Entra ID; the locked E: cannot be read; G: has no recovery password.
    expect(sent).toEqual([
      { mountPoint: 'C:', keyProtectorIds: [MISSING], destination: { kind: 'entra' } },
      { mountPoint: 'D:', keyProtectorIds: [D_KEY], destination: { kind: 'entra' } },
      { mountPoint: 'F:', keyProtectorIds: [ONLY_IN_ACCOUNT], destination: { kind: 'entra' } },
    ]);
  });

  it('counts an Active Directory backup as the directory on a domain PC', async () => {
    const { sent } = await run({ entraJoined: false, domainJoined: true });
    expect(sent.map((r) => [r.mountPoint, r.keyProtectorIds, r.destination.kind])).toEqual([
      ['C:', [IN_ENTRA, MISSING], 'activeDirectory'],
      ['F:', [ONLY_IN_ACCOUNT], 'activeDirectory'],
    ]);
  });

  it('refuses on a PC with no organisation, sending nothing', async () => {
    await expect(run({ entraJoined: false, domainJoined: false })).rejects.toMatchObject({ code: 'EntraNotJoined', message: expect.stringContaining('Save them to a file') });
  });
});
