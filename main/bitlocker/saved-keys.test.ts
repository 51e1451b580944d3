import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedModule } from '../../tests/support/scripted-module';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../../tests/support/volumes';
import { formatKeyFile, keyFileName } from './key-file';
import { checkSavedKeys } from './saved-keys';

const CURRENT = RECOVERY.keyProtectorId;
const CURRENT_KEY = '000440-249799-223619-263626-375034-667139-257378-230010';
/** Valid, but not CURRENT's key. */
const OTHER_KEY = '000033-502458-135795-660000-099990-299002-345565-720885';
const ON_LOCKED = RECOVERY_2.keyProtectorId.toUpperCase();
const REMOVED = '{0BF962D1-FFA3-42D4-9B2E-A046EDBD47EE}';
const ROTATED = '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}';
const STRANGER = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';

function pc() {
  return scriptedModule({
    'Get-BkbVolumes': () => ({
      volumes: [volume({ keyProtectors: [TPM, RECOVERY] }), volume({ mountPoint: 'D:', driveType: 'Fixed', lockStatus: 'Locked', keyProtectors: [RECOVERY_2] })],
    }),
    'Get-BkbKeyHistory': () => ({ events: [{ id: 776, time: '2026-04-01T08:00:00.000Z', keyProtectorId: REMOVED, mountPoint: 'C:' }], logStartsAt: null, truncated: false }),
    'Get-BkbRecoveryPassword': ({ keyProtectorId }) => ({ keyProtectorId, recoveryPassword: CURRENT_KEY }),
  });
}

function folderWith(files: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-saved-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('checkSavedKeys', () => {
  it('says of each key file whether it is current, damaged, stale or from another PC', async () => {
    const folder = folderWith({
      [keyFileName(CURRENT)]: formatKeyFile(CURRENT, CURRENT_KEY),
      'copy/old.txt': formatKeyFile(CURRENT, OTHER_KEY),
      [keyFileName(REMOVED)]: formatKeyFile(REMOVED, CURRENT_KEY),
      [keyFileName(ROTATED)]: formatKeyFile(ROTATED, CURRENT_KEY),
      [keyFileName(STRANGER)]: formatKeyFile(STRANGER, OTHER_KEY),
      [keyFileName(ON_LOCKED)]: formatKeyFile(ON_LOCKED, OTHER_KEY),
      'notes.txt': 'shopping list',
    });
    const { session, calls } = pc();
    const history = [{ keyProtectorId: ROTATED, mountPoint: 'C:', place: 'usb' as const, path: null, at: '2026-01-01T00:00:00.000Z', outcome: 'verified' as const }];
    const check = await checkSavedKeys({ session, history }, folder);
    expect(check).toEqual({
      folder,
      truncated: false,
      files: [
        { name: keyFileName(REMOVED), keyProtectorId: REMOVED, mountPoint: null, verdict: 'stale' },
        { name: keyFileName(ON_LOCKED), keyProtectorId: `{${ON_LOCKED.slice(1, -1)}}`, mountPoint: 'D:', verdict: 'current' },
        { name: keyFileName(ROTATED), keyProtectorId: ROTATED, mountPoint: null, verdict: 'stale' },
        { name: keyFileName(CURRENT), keyProtectorId: CURRENT, mountPoint: 'C:', verdict: 'current' },
        { name: keyFileName(STRANGER), keyProtectorId: STRANGER, mountPoint: null, verdict: 'otherPc' },
        { name: join('copy', 'old.txt'), keyProtectorId: CURRENT, mountPoint: 'C:', verdict: 'damaged' },
      ],
    });
    // The key of the locked drive cannot be read; only the unlocked drive's key was asked for, once per file naming it.
    expect(calls.filter((c) => c.fn === 'Get-BkbRecoveryPassword').map((c) => c.request)).toEqual([
      { mountPoint: 'C:', keyProtectorId: CURRENT },
      { mountPoint: 'C:', keyProtectorId: CURRENT },
    ]);
    expect(JSON.stringify(check)).not.toMatch(/\d{6}-\d{6}/);
  });

  it('reports a file named like a key file that is not one as unreadable, and skips other text files', async () => {
    const folder = folderWith({ [keyFileName(CURRENT)]: 'BitLocker Drive Encryption recovery key\r\n(cut off)', 'readme.txt': 'hello' });
    const check = await checkSavedKeys({ session: pc().session, history: [] }, folder);
    expect(check.files).toEqual([{ name: keyFileName(CURRENT), keyProtectorId: CURRENT, mountPoint: 'C:', verdict: 'unreadable' }]);
  });

  it('reads at most 200 files and says when there were more; never files too large to be key files', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 205; i++) files[`k${String(i).padStart(3, '0')}.txt`] = formatKeyFile(STRANGER, OTHER_KEY);
    files['big.txt'] = Buffer.concat([formatKeyFile(STRANGER, OTHER_KEY), Buffer.alloc(70_000)]);
    const check = await checkSavedKeys({ session: pc().session, history: [] }, folderWith(files));
    expect(check.files).toHaveLength(200);
    expect(check.truncated).toBe(true);
    expect(check.files.some((f) => f.name === 'big.txt')).toBe(false);
  });
});
