import { describe, expect, it } from 'vitest';
import { scriptedModule } from '../../tests/support/scripted-module';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../../tests/support/volumes';
import type { AuditEntry } from './audit';
import type { HistoryEntryT } from './backup-history';
import { addRecoveryPassword, removeReplacedKey } from './key-changes';

const OLD = RECOVERY.keyProtectorId;
const NEW = RECOVERY_2.keyProtectorId;

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined };

function pc({ locked = false, accepted = [] as string[] } = {}) {
  const audited: AuditEntry[] = [];
  const audit = async (entry: AuditEntry) => {
    audited.push(entry);
    return true;
  };
  const module = scriptedModule({
    'Get-BkbVolumes': () => ({ volumes: [volume({ lockStatus: locked ? 'Locked' : 'Unlocked', keyProtectors: [TPM, RECOVERY, RECOVERY_2] })] }),
    'Get-BkbKeyHistory': () => ({ events: accepted.map((id) => ({ id: 845, time: '2026-03-02T09:00:00.000Z', keyProtectorId: id, mountPoint: 'C:' })), logStartsAt: null, truncated: false }),
    'Add-BkbRecoveryPassword': () => ({ keyProtectorId: NEW }),
    'Remove-BkbRecoveryPassword': () => ({ removed: true }),
  });
  return { ...module, audited, deps: { session: module.session, log, audit } };
}

const proof = (outcome: HistoryEntryT['outcome'], keyProtectorId = NEW, mountPoint = 'C:'): HistoryEntryT => ({
  keyProtectorId: keyProtectorId.toUpperCase(),
  mountPoint,
  place: outcome === 'printed' ? 'print' : 'file',
  path: null,
  at: '2026-03-02T09:00:00.000Z',
  outcome,
});

const rotate = { mountPoint: 'C:', keyProtectorId: OLD, replacedBy: NEW };
const removals = (calls: { fn: string }[]) => calls.filter((c) => c.fn === 'Remove-BkbRecoveryPassword');

describe('addRecoveryPassword', () => {
  it('adds one on an unlocked drive and returns only its identifier', async () => {
    const { deps, calls, audited } = pc();
    expect(await addRecoveryPassword(deps, 'C:')).toEqual({ keyProtectorId: NEW, audited: true });
    expect(calls.at(-1)).toEqual({ fn: 'Add-BkbRecoveryPassword', request: { mountPoint: 'C:' } });
    expect(audited).toEqual([{ action: 'add', outcome: 'succeeded', mountPoint: 'C:', keyProtectorIds: [NEW], destination: null }]);
  });

  it('refuses a locked drive without asking Windows to add anything', async () => {
    const { deps, calls } = pc({ locked: true });
    await expect(addRecoveryPassword(deps, 'C:')).rejects.toMatchObject({ code: 'VolumeLocked' });
    expect(calls.map((c) => c.fn)).toEqual(['Get-BkbVolumes']);
  });
});

describe('removeReplacedKey', () => {
  it('removes the old key once the new one was read back from a file', async () => {
    const { deps, calls, audited } = pc();
    expect(await removeReplacedKey({ ...deps, history: [proof('verified')] }, rotate)).toEqual({ removed: true, audited: true });
    expect(removals(calls)).toEqual([{ fn: 'Remove-BkbRecoveryPassword', request: { mountPoint: 'C:', keyProtectorId: OLD } }]);
    expect(audited).toEqual([{ action: 'remove', outcome: 'succeeded', mountPoint: 'C:', keyProtectorIds: [OLD], destination: null }]);
  });

  it('accepts an escrow Windows confirmed after the app stopped waiting (event 845 naming the new key)', async () => {
    const { deps, calls } = pc({ accepted: [NEW] });
    await removeReplacedKey({ ...deps, history: [] }, rotate);
    expect(removals(calls)).toHaveLength(1);
  });

  it.each([
    ['no backup at all', []],
    ['only a printout (it cannot be checked)', [proof('printed')]],
    ['a backup of another key', [proof('verified', OLD)]],
    ['a backup recorded for another drive', [proof('verified', NEW, 'D:')]],
  ])('keeps the old key when the new one has %s', async (_name, history) => {
    const { deps, calls, audited } = pc({ accepted: [OLD] });
    await expect(removeReplacedKey({ ...deps, history }, rotate)).rejects.toMatchObject({ code: 'NewKeyNotBackedUp', message: expect.stringContaining('the old key 8A696888 was kept') });
    expect(removals(calls)).toEqual([]);
    expect(audited).toEqual([]);
  });

  it('refuses a replacement that is not on the drive, a key replacing itself, and a locked drive', async () => {
    const history = [proof('verified', '{11111111-2222-4333-8444-555555555555}'), proof('verified')];
    const { deps, calls } = pc();
    await expect(removeReplacedKey({ ...deps, history }, { ...rotate, replacedBy: '{11111111-2222-4333-8444-555555555555}' })).rejects.toMatchObject({ code: 'ProtectorNotFound' });
    await expect(removeReplacedKey({ ...deps, history }, { ...rotate, replacedBy: OLD.toLowerCase() })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(removeReplacedKey({ ...pc({ locked: true }).deps, history }, rotate)).rejects.toMatchObject({ code: 'VolumeLocked' });
    expect(removals(calls)).toEqual([]);
  });
});

describe('the audit trail', () => {
  it('records a change Windows refused as failed, and the error still reaches the caller', async () => {
    const audited: AuditEntry[] = [];
    const { session } = scriptedModule({
      'Get-BkbVolumes': () => ({ volumes: [volume({ keyProtectors: [TPM, RECOVERY] })] }),
      'Add-BkbRecoveryPassword': () => {
        throw Object.assign(new Error('refused'), { code: 'PolicyForbids' });
      },
    });
    const deps = { session, log, audit: async (entry: AuditEntry) => (audited.push(entry), true) };
    await expect(addRecoveryPassword(deps, 'C:')).rejects.toMatchObject({ code: 'PolicyForbids' });
    expect(audited).toEqual([{ action: 'add', outcome: 'failed', mountPoint: 'C:', keyProtectorIds: [], destination: null }]);
  });
});
