import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ModuleEnvelope, moduleFunctions, type ModuleData, type ModuleFunctionName } from '../powershell/module-api';
import { isValidRecoveryPassword } from '../bitlocker/recovery-password';
import { addedProtectorId } from './added-protectors';
import { createMachine } from './machine';
import { Scenario } from './scenario';
import { openStateStore } from './state';

type ScenarioJson = z.input<typeof Scenario>;

const TPM = '{37971100-6D67-4587-B169-0ED452AA0F4E}';
const C_KEY = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const D_KEY_1 = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';
const D_KEY_2 = '{7798F121-A387-400D-917D-1F5377B72CEE}';
const E_KEY = '{80E4F05A-F2CE-4A07-8560-0E1ED9F5D6C3}';
const C_PASSWORD = '000440-249799-223619-263626-375034-667139-257378-230010';

const drives = fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-drives-'));
const F_ROOT = path.join(drives, 'F');
const NESTED_ROOT = path.join(F_ROOT, 'G'); // a root inside another: the deeper one wins
const SHARE_ROOT = path.join(drives, 'share');
[F_ROOT, NESTED_ROOT, SHARE_ROOT].forEach((dir) => fs.mkdirSync(dir, { recursive: true }));

const volume = (mountPoint: string, fields: Partial<ScenarioJson['volumes'][number]>): ScenarioJson['volumes'][number] => ({
  mountPoint,
  label: `Drive ${mountPoint}`,
  driveType: 'Fixed',
  capacityGB: 100,
  fileSystem: 'NTFS',
  volumeStatus: 'FullyEncrypted',
  protectionStatus: 'On',
  lockStatus: 'Unlocked',
  encryptionMethod: 'XtsAes128',
  encryptionPercentage: 100,
  keyProtectors: [],
  ...fields,
});
const recovery = (keyProtectorId: string, recoveryPassword: string) => ({ keyProtectorId, keyProtectorType: 'RecoveryPassword' as const, recoveryPassword });

const BASE: ScenarioJson = {
  computer: { name: 'DESKTOP-TEST', elevated: true, edition: 'Professional', entraJoined: true, domainJoined: true, domainName: 'corp.example', networkShares: [{ root: SHARE_ROOT, unc: '\\\\files\\keys' }] },
  volumes: [
    volume('C:', { driveType: 'OperatingSystem', keyProtectors: [{ keyProtectorId: TPM, keyProtectorType: 'Tpm' }, recovery(C_KEY, C_PASSWORD)], freeSpaceGB: 2 }),
    volume('D:', { keyProtectors: [recovery(D_KEY_1, '311289-275792-021175-640277-204655-640739-398464-395472'), recovery(D_KEY_2, '472615-322234-681252-175087-119097-619454-001452-629959')] }),
    volume('E:', { driveType: 'Removable', lockStatus: 'Locked', keyProtectors: [recovery(E_KEY, '150502-507111-095425-135696-695376-123101-447040-177870')] }),
    volume('F:', { driveType: 'Removable', volumeStatus: 'FullyDecrypted', protectionStatus: 'Off', encryptionMethod: 'None', encryptionPercentage: 0, root: F_ROOT }),
    volume('G:', { driveType: 'Removable', volumeStatus: 'FullyDecrypted', protectionStatus: 'Off', root: NESTED_ROOT }),
  ],
};

const START = Date.parse('2026-03-01T12:00:00Z');
/** A request as the app sends it: base64 of its JSON (a string is sent as it is). */
const encoded = (request: unknown) => (typeof request === 'string' ? request : Buffer.from(JSON.stringify(request), 'utf8').toString('base64'));
const volumeOf = (keyProtectorId: string) =>
  BASE.volumes.find((v) => v.keyProtectors.some((p) => p.keyProtectorId === keyProtectorId))?.mountPoint ?? 'C:';

/** A machine on BASE (changed by `change`) with a clock the test moves, answering like the host would. */
function simulate(change: (s: ScenarioJson) => void = () => {}, stateFile?: string) {
  const json = structuredClone(BASE);
  change(json);
  const clock = { now: START };
  const machine = createMachine(Scenario.parse(json), openStateStore(stateFile), () => new Date(clock.now));

  /** The envelope, checked against module-api.ts as main checks it. */
  function ask<F extends ModuleFunctionName>(fn: F, request: unknown) {
    const output = machine.call(fn, encoded(request)).answer();
    expect(output?.stream).toBe('out');
    const envelope = ModuleEnvelope.parse(JSON.parse(output!.text));
    return envelope.ok ? { ok: true as const, data: moduleFunctions[fn].data.parse(envelope.data) as ModuleData<F> } : envelope;
  }
  function data<F extends ModuleFunctionName>(fn: F, request: unknown): ModuleData<F> {
    const envelope = ask(fn, request);
    if (!envelope.ok) throw new Error(`${fn} failed: ${envelope.error.message}`);
    return envelope.data;
  }
  /** The events Get-BkbBackupEvents finds for a protector of BASE (on its own volume unless told). */
  const events = (keyProtectorId: string, ids = [783, 784, 785, 828, 829, 830, 845, 846, 847], mountPoint = volumeOf(keyProtectorId)) =>
    data('Get-BkbBackupEvents', { mountPoint, keyProtectorId, since: new Date(START).toISOString(), ids }).events;
  return { machine, clock, ask, data, events };
}

describe('Get-BkbEnvironment', () => {
  it('reports the computer with the defaults filled in', () => {
    expect(simulate().data('Get-BkbEnvironment', {})).toEqual({
      computerName: 'DESKTOP-TEST',
      elevated: true,
      edition: 'Professional',
      entraJoined: true,
      domainJoined: true,
      domainName: 'corp.example',
      tenantName: null,
      bitLockerModule: true,
      intuneManaged: false,
      powerShellVersion: '5.1.22621.4391',
    });
  });

  it.each([true, false, null])('reports intuneManaged %s as the scenario says', (intuneManaged) => {
    expect(simulate((s) => (s.computer.intuneManaged = intuneManaged)).data('Get-BkbEnvironment', {}).intuneManaged).toBe(intuneManaged);
  });

  it('reads names as the module reads dsregcmd: the first line, trimmed; the domain only when joined', () => {
    const env = simulate((s) => {
      s.computer.tenantName = '  Fabrikam Bücher \n  second line';
      s.computer.domainJoined = false;
    }).data('Get-BkbEnvironment', {});
    expect(env).toMatchObject({ tenantName: 'Fabrikam Bücher', domainJoined: false, domainName: null });
  });

  it('knows nothing of Entra ID when dsregcmd hangs: the domain comes from WMI', () => {
    const env = simulate((s) => ((s.computer.dsregcmdHangs = true), (s.computer.tenantName = 'Contoso'))).data('Get-BkbEnvironment', {});
    expect(env).toMatchObject({ entraJoined: null, domainJoined: true, domainName: 'corp.example', tenantName: null });
  });

  it('rejects a request with extra fields, naming the field', () => {
    expect(simulate().ask('Get-BkbEnvironment', { x: 1 })).toMatchObject({
      ok: false,
      error: { code: 'InvalidArgument', message: "The request has an unknown field 'x'.", hresult: null },
    });
  });

  it.each<[string, string, string]>([
    ['not base64', 'not base64!', 'The request is not a base64-encoded JSON object.'],
    ['not JSON', Buffer.from('not json').toString('base64'), 'The request is not a base64-encoded JSON object.'],
    ['an array', Buffer.from('[{}]').toString('base64'), 'The request is not a base64-encoded JSON object.'],
    ['empty', '', 'The request is not a base64-encoded JSON object.'],
  ])('refuses a request that is %s, in the module\'s words', (_, request, message) => {
    expect(simulate().ask('Get-BkbEnvironment', request)).toEqual({ ok: false, error: { code: 'InvalidArgument', message, hresult: null } });
  });
});

describe('Get-BkbVolumes', () => {
  it('lists volumes without recovery passwords', () => {
    const { volumes } = simulate().data('Get-BkbVolumes', {});
    expect(volumes.map((v) => v.mountPoint)).toEqual(['C:', 'D:', 'E:', 'F:', 'G:']);
    expect(volumes[0]?.keyProtectors).toEqual([
      { keyProtectorId: TPM, keyProtectorType: 'Tpm' },
      { keyProtectorId: C_KEY, keyProtectorType: 'RecoveryPassword' },
    ]);
    expect(JSON.stringify(volumes)).not.toContain('recoveryPassword');
  });

  it('hides status, percentage and free space of a locked volume', () => {
    const e = simulate().data('Get-BkbVolumes', {}).volumes[2];
    expect(e).toMatchObject({ lockStatus: 'Locked', volumeStatus: null, encryptionPercentage: null, freeSpaceBytes: null });
  });

  it('leaves out volumes without a drive letter and sorts by letter, as the module does', () => {
    const sim = simulate((s) => {
      s.volumes.unshift(volume('\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}\\', {}));
      s.volumes.reverse();
    });
    expect(sim.data('Get-BkbVolumes', {}).volumes.map((v) => v.mountPoint)).toEqual(['C:', 'D:', 'E:', 'F:', 'G:']);
  });

  it('lists a locked volume whose recovery password Windows cannot read', () => {
    const sim = simulate((s) => {
      s.volumes[2] = volume('E:', { lockStatus: 'Locked', volumeStatus: null, encryptionPercentage: null, keyProtectors: [{ keyProtectorId: E_KEY, keyProtectorType: 'RecoveryPassword' }] });
    });
    expect(sim.data('Get-BkbVolumes', {}).volumes[2]?.keyProtectors).toEqual([{ keyProtectorId: E_KEY, keyProtectorType: 'RecoveryPassword' }]);
    expect(sim.ask('Get-BkbRecoveryPassword', { mountPoint: 'E:', keyProtectorId: E_KEY })).toMatchObject({ error: { code: 'VolumeLocked' } });
  });

  it('reports free space from freeSpaceGB, from the root folder, or not at all', () => {
    const [c, d, , f] = simulate().data('Get-BkbVolumes', {}).volumes;
    expect(c?.freeSpaceBytes).toBe(2 * 1024 ** 3);
    expect(d?.freeSpaceBytes).toBeNull();
    // The stick's own free space (its 100 GB less what its folder holds), not the host disk's.
    const before = f?.freeSpaceBytes ?? 0;
    expect(before).toBeLessThanOrEqual(100 * 1024 ** 3);
    expect(before).toBeGreaterThan(99 * 1024 ** 3);
    fs.writeFileSync(path.join(F_ROOT, 'notes.txt'), 'x'.repeat(1000));
    try {
      expect(simulate().data('Get-BkbVolumes', {}).volumes[3]?.freeSpaceBytes).toBe(before - 1000);
    } finally {
      fs.rmSync(path.join(F_ROOT, 'notes.txt'));
    }
  });

  it('refuses without elevation or without the BitLocker module', () => {
    expect(simulate((s) => (s.computer.elevated = false)).ask('Get-BkbVolumes', {})).toEqual({
      ok: false,
      error: { code: 'NotElevated', message: 'Reading BitLocker volumes needs administrator rights.', hresult: '0x80041003' },
    });
    expect(simulate((s) => (s.computer.bitLockerModule = false)).ask('Get-BkbVolumes', {})).toMatchObject({
      ok: false,
      error: { code: 'BitLockerModuleMissing' },
    });
  });
});

describe('Get-BkbRecoveryPassword', () => {
  const get = (mountPoint: string, keyProtectorId: string) => simulate().ask('Get-BkbRecoveryPassword', { mountPoint, keyProtectorId });

  it('returns the password of a RecoveryPassword protector, matching case-insensitively', () => {
    expect(get('c:', C_KEY.toLowerCase())).toEqual({ ok: true, data: { keyProtectorId: C_KEY, recoveryPassword: C_PASSWORD } });
  });

  it.each([
    ['an unknown drive', 'Z:', C_KEY, 'VolumeNotFound'],
    ['a locked drive', 'E:', E_KEY, 'VolumeLocked'],
    ['a TPM protector', 'C:', TPM, 'ProtectorNotFound'],
    ["another drive's protector", 'C:', D_KEY_1, 'ProtectorNotFound'],
  ])('fails for %s', (_, mountPoint, id, code) => {
    expect(get(mountPoint, id)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses in the module\'s words', () => {
    expect(get('z:', C_KEY)).toEqual({ ok: false, error: { code: 'VolumeNotFound', message: 'There is no BitLocker volume Z: on this PC.', hresult: '0x80070490' } });
    expect(get('E:', E_KEY)).toEqual({ ok: false, error: { code: 'VolumeLocked', message: 'Drive E: is locked. Unlock it first.', hresult: '0x80310000' } });
    expect(get('C:', TPM.toLowerCase())).toEqual({
      ok: false,
      error: { code: 'ProtectorNotFound', message: `Drive C: has no recovery password with the ID ${TPM}.`, hresult: null },
    });
    expect(get('C:', 'D307AC93-88BB-41AC-ABE2-F4E1B72C2641')).toEqual({ ok: false, error: { code: 'InvalidArgument', message: 'keyProtectorId must be a GUID in braces.', hresult: null } });
  });

  it('names the invalid field', () => {
    expect(get('C', C_KEY)).toMatchObject({ ok: false, error: { code: 'InvalidArgument', message: expect.stringContaining('mountPoint') } });
  });
});

describe('Get-BkbPathInfo', () => {
  const info = (p: string) => simulate().ask('Get-BkbPathInfo', { path: p });

  it('places a path on the volume whose root holds it', () => {
    expect(info(path.join(F_ROOT, 'BitLocker Recovery Key.TXT'))).toEqual({
      ok: true,
      data: { isNetwork: false, mountPoint: 'F:', driveType: 'Removable', volumeStatus: 'FullyDecrypted', protectionStatus: 'Off', lockStatus: 'Unlocked' },
    });
    // The module asks Get-Volume about the path's folder: the root folder itself lies outside the drive.
    expect(info(F_ROOT)).toMatchObject({ data: { mountPoint: null } });
    expect(info(`${F_ROOT}-other/key.txt`)).toMatchObject({ data: { mountPoint: null } });
  });

  it('places a Windows path on the volume with its letter, and refuses an unknown letter', () => {
    expect(info('e:\\key.txt')).toEqual({
      ok: true,
      data: { isNetwork: false, mountPoint: 'E:', driveType: 'Removable', volumeStatus: null, protectionStatus: 'On', lockStatus: 'Locked' },
    });
    expect(info('Q:\\key.txt')).toEqual({ ok: false, error: { code: 'VolumeNotFound', message: 'There is no drive Q: on this PC.', hresult: null } });
  });

  it('checks elevation only once the path lies on a volume', () => {
    const unelevated = simulate((s) => (s.computer.elevated = false));
    expect(unelevated.ask('Get-BkbPathInfo', { path: path.join(os.homedir(), 'key.txt') }).ok).toBe(true);
    expect(unelevated.ask('Get-BkbPathInfo', { path: path.join(F_ROOT, 'key.txt') })).toEqual({
      ok: false,
      error: { code: 'NotElevated', message: 'Checking the drive of a save location needs administrator rights.', hresult: '0x80041003' },
    });
  });

  it('prefers the deepest root', () => {
    expect(info(path.join(NESTED_ROOT, 'key.txt'))).toMatchObject({ data: { mountPoint: 'G:' } });
  });

  it('recognises network shares and unknown places', () => {
    const nulls = { mountPoint: null, driveType: null, volumeStatus: null, protectionStatus: null, lockStatus: null };
    expect(info(path.join(SHARE_ROOT, 'key.txt'))).toEqual({ ok: true, data: { isNetwork: true, ...nulls } });
    expect(info(path.join(os.homedir(), 'key.txt'))).toEqual({ ok: true, data: { isNetwork: false, ...nulls } });
  });

  it('knows a mapped network drive by its letter and by its folder', () => {
    const sim = simulate((s) => (s.computer.networkShares = [{ root: SHARE_ROOT, unc: '\\\\files\\keys', driveLetter: 'z:' }]));
    const nulls = { driveType: null, volumeStatus: null, protectionStatus: null, lockStatus: null };
    expect(sim.ask('Get-BkbPathInfo', { path: 'Z:\\Keys\\key.txt' })).toEqual({ ok: true, data: { isNetwork: true, mountPoint: 'Z:', ...nulls } });
    expect(sim.ask('Get-BkbPathInfo', { path: path.join(SHARE_ROOT, 'key.txt') })).toEqual({ ok: true, data: { isNetwork: true, mountPoint: 'Z:', ...nulls } });
  });

  it('judges where a file lands, not the path text: SUBST, a letter mapped to this PC, links and mounted folders on the stick', () => {
    const sim = simulate((s) => {
      s.computer.substDrives = [{ driveLetter: 'S:', target: 'C:\\Users\\Public' }];
      s.computer.networkShares = [{ root: SHARE_ROOT, unc: '\\\\localhost\\C$', driveLetter: 'Y:' }];
      s.computer.links = [
        { path: 'F:\\j', target: 'C:\\' },
        { path: 'F:\\deep\\er', target: '\\\\nas\\keys' },
        { path: 'F:\\loop', target: 'F:\\loop\\again' },
      ];
    });
    const where = (p: string) => sim.ask('Get-BkbPathInfo', { path: p });
    for (const p of ['S:\\key.txt', 'Y:\\Keys\\key.txt', 'F:\\j\\key.txt', 'f:/J//Keys/key.txt', '\\\\localhost\\F$\\j\\key.txt']) {
      expect(where(p), p).toMatchObject({ ok: true, data: { isNetwork: false, mountPoint: 'C:', driveType: 'OperatingSystem' } });
    }
    expect(where('F:\\deep\\er\\key.txt')).toMatchObject({ ok: true, data: { isNetwork: true, mountPoint: null } });
    // A loop of links never settles: an unknown place.
    expect(where('F:\\loop\\key.txt')).toMatchObject({ ok: true, data: { isNetwork: false, mountPoint: null } });
    // Only the folder is followed: a file named like the link is written in F:\ itself.
    expect(where('F:\\j')).toMatchObject({ ok: true, data: { mountPoint: 'F:' } });
    expect(where('F:\\deep\\key.txt')).toMatchObject({ ok: true, data: { mountPoint: 'F:' } });
  });

  it('refuses relative paths and .. segments', () => {
    expect(info('key.txt')).toMatchObject({ ok: false, error: { code: 'InvalidArgument', message: 'path must be absolute, such as D:\\Keys or \\\\server\\share.' } });
    expect(info(`${F_ROOT}/../F/key.txt`)).toMatchObject({ ok: false, error: { code: 'InvalidArgument', message: 'path must not contain ".." segments.' } });
    expect(info('\\\\?\\C:\\key.txt')).toMatchObject({ ok: false, error: { message: 'path must not be a \\\\?\\ or \\\\.\\ device path.' } });
    expect(info(`${F_ROOT}/nul\u0000byte`)).toMatchObject({ ok: false, error: { message: 'path must be a non-empty path.' } });
    expect(info('\\\\server\\share\\key.txt')).toMatchObject({ ok: true, data: { isNetwork: true, mountPoint: null } });
  });
});

describe('Backup-BkbToEntra', () => {
  const backup = { mountPoint: 'C:', keyProtectorId: C_KEY };

  it('logs event 845 a little after the cmdlet returns', () => {
    const sim = simulate();
    expect(sim.data('Backup-BkbToEntra', backup)).toEqual({ sentAt: new Date(START).toISOString() });
    expect(sim.events(C_KEY)).toEqual([]);
    sim.clock.now += 2000;
    expect(sim.events(C_KEY)).toEqual([
      {
        id: 845,
        time: new Date(START + 2000).toISOString(),
        keyProtectorId: C_KEY,
        message: 'BitLocker Drive Encryption recovery information for volume C: was backed up successfully to your Azure AD.',
      },
    ]);
  });

  it('fails on a device not joined to Entra ID and logs 846', () => {
    const sim = simulate((s) => (s.computer.entraJoined = false));
    expect(sim.ask('Backup-BkbToEntra', backup)).toEqual({
      ok: false,
      error: { code: 'CmdletFailed', message: 'Exception from HRESULT: 0x801C0450', hresult: '0x801C0450' },
    });
    sim.clock.now += 2000;
    expect(sim.events(C_KEY).map((e) => e.id)).toEqual([846]);
  });

  it('can succeed without an event, or with a failure event', () => {
    const silent = simulate((s) => (s.entra = { suppressEvent: true }));
    silent.data('Backup-BkbToEntra', backup);
    silent.clock.now += 60_000;
    expect(silent.events(C_KEY)).toEqual([]);

    const failing = simulate((s) => ((s.entra = { failEvent: 847 }), (s.eventDelayMs = 0)));
    failing.data('Backup-BkbToEntra', backup);
    expect(failing.events(C_KEY)).toEqual([expect.objectContaining({ id: 847, keyProtectorId: null })]);
  });

  it('backs up only a RecoveryPassword protector of an unlocked drive', () => {
    const sim = simulate();
    expect(sim.ask('Backup-BkbToEntra', { mountPoint: 'C:', keyProtectorId: TPM })).toMatchObject({ error: { code: 'ProtectorNotFound' } });
    expect(sim.ask('Backup-BkbToEntra', { mountPoint: 'E:', keyProtectorId: E_KEY })).toMatchObject({ error: { code: 'VolumeLocked' } });
  });
});

describe('Backup-BkbToActiveDirectory', () => {
  const backup = { mountPoint: 'D:', keyProtectorId: D_KEY_2 };
  const eventsAfter = (change: (s: ScenarioJson) => void) => {
    const sim = simulate((s) => ((s.eventDelayMs = 0), change(s)));
    return { answer: sim.ask('Backup-BkbToActiveDirectory', backup), events: sim.events(D_KEY_2).map((e) => e.id) };
  };

  it('logs 784, or 783 when the key is already there', () => {
    expect(eventsAfter(() => {})).toEqual({ answer: { ok: true, data: { sentAt: new Date(START).toISOString() } }, events: [784] });
    expect(eventsAfter((s) => (s.activeDirectory = { alreadyPresent: true })).events).toEqual([783]);
  });

  it('fails off the domain, or when Group Policy forbids it, and logs 785', () => {
    expect(eventsAfter((s) => (s.computer.domainJoined = false))).toMatchObject({
      answer: { ok: false, error: { code: 'CmdletFailed', hresult: '0x8007054B', message: expect.stringContaining('domain either does not exist') } },
      events: [785],
    });
    expect(eventsAfter((s) => (s.activeDirectory = { policyForbids: true }))).toEqual({
      answer: {
        ok: false,
        error: { code: 'CmdletFailed', message: 'Group Policy does not allow storing BitLocker recovery information in Active Directory Domain Services.', hresult: '0x00000001' },
      },
      events: [785],
    });
  });
});

describe('Get-BkbBackupEvents', () => {
  it('checks the request as the module does: mountPoint, keyProtectorId, since, then ids', () => {
    const ask = (request: Record<string, unknown>) =>
      simulate().ask('Get-BkbBackupEvents', { mountPoint: 'C:', keyProtectorId: C_KEY, since: '2026-03-01T12:00:00Z', ids: [845], ...request });
    expect(ask({ since: 'yesterday', ids: [] })).toMatchObject({ error: { message: 'since must be an ISO 8601 time.' } });
    expect(ask({ ids: [] })).toMatchObject({ error: { message: 'ids must list 1 to 16 event ids.' } });
    expect(ask({ ids: [845, 70000] })).toMatchObject({ error: { message: 'ids must be event ids from 1 to 65535.' } });
    expect(ask({ since: '2026-03-01' }).ok).toBe(true);
  });

  it('keeps events naming no protector when they concern the requested volume', () => {
    const sim = simulate((s) => {
      s.events = [
        { id: 829, time: '2026-03-01T12:00:01Z', mountPoint: 'D:' },
        { id: 847, time: '2026-03-01T12:00:02Z', mountPoint: 'C:', protectorId: null },
        { id: 831, time: '2026-03-01T12:00:03Z', mountPoint: 'd:' },
      ];
    });
    sim.clock.now += 60_000;
    expect(sim.events(D_KEY_1, [829, 831, 847])).toEqual([
      { id: 829, time: '2026-03-01T12:00:01.000Z', keyProtectorId: null, message: 'BitLocker Drive Encryption recovery information for volume D: could not be backed up to your Microsoft account.' },
      expect.objectContaining({ id: 831, keyProtectorId: null }),
    ]);
    expect(sim.events(C_KEY, [829, 831, 847]).map((e) => e.id)).toEqual([847]);
  });

  it('filters by id, protector and time, sorted by time', () => {
    const sim = simulate((s) => {
      s.events = [
        { id: 845, time: '2026-03-01T12:00:05Z', mountPoint: 'D:', protectorId: D_KEY_1 },
        { id: 784, time: '2026-03-01T12:00:01Z', mountPoint: 'D:', protectorId: D_KEY_1.toLowerCase() },
        { id: 845, time: '2026-02-28T12:00:00Z', mountPoint: 'D:', protectorId: D_KEY_1 }, // before since
        { id: 845, time: '2026-03-01T12:00:02Z', mountPoint: 'D:', protectorId: D_KEY_2 }, // other protector
        { id: 775, time: '2026-03-01T12:00:02Z', mountPoint: 'D:', protectorId: D_KEY_1 }, // other id
        { id: 4106, time: '2026-03-01T12:00:02Z', mountPoint: 'C:' }, // no protector, another volume
        { id: 845, time: '2026-03-01T13:00:00Z', mountPoint: 'D:', protectorId: D_KEY_1 }, // not yet
      ];
    });
    sim.clock.now += 60_000;
    expect(sim.events(D_KEY_1, [784, 845, 4106])).toEqual([
      expect.objectContaining({ id: 784, time: '2026-03-01T12:00:01.000Z', keyProtectorId: D_KEY_1 }),
      expect.objectContaining({ id: 845, time: '2026-03-01T12:00:05.000Z', keyProtectorId: D_KEY_1 }),
    ]);
  });
});

describe('Open-BkbBitLockerPanel', () => {
  it('logs 828 for every recovery password of the drive when the user completes the backup', () => {
    const sim = simulate((s) => ((s.microsoftAccount = { userCompletes: true }), (s.eventDelayMs = 0)));
    expect(sim.data('Open-BkbBitLockerPanel', { mountPoint: 'D:' })).toEqual({ opened: true, page: 'bitLockerPanel' });
    expect(sim.events(D_KEY_1).map((e) => e.id)).toEqual([828]);
    expect(sim.events(D_KEY_2).map((e) => e.id)).toEqual([828]);
  });

  it('logs 830 per recovery password when the key is already in the account', () => {
    const sim = simulate((s) => ((s.microsoftAccount = { alreadyPresent: true }), (s.eventDelayMs = 0)));
    sim.data('Open-BkbBitLockerPanel', { mountPoint: 'D:' });
    expect(sim.events(D_KEY_1)).toEqual([
      expect.objectContaining({ id: 830, keyProtectorId: D_KEY_1, message: expect.stringContaining('already present in your Microsoft account') }),
    ]);
  });

  it("opens Settings' Device encryption page on Windows Home", () => {
    expect(simulate((s) => (s.computer.edition = 'CoreSingleLanguage')).data('Open-BkbBitLockerPanel', { mountPoint: 'C:' })).toEqual({
      opened: true,
      page: 'deviceEncryption',
    });
  });

  it('logs 829 for the volume, naming no protector, when the user fails; nothing when the user does nothing', () => {
    const failing = simulate((s) => ((s.microsoftAccount = { userFails: true }), (s.eventDelayMs = 0)));
    failing.data('Open-BkbBitLockerPanel', { mountPoint: 'D:' });
    expect(failing.events(D_KEY_1)).toEqual([expect.objectContaining({ id: 829, keyProtectorId: null })]);
    expect(failing.events(D_KEY_2).map((e) => e.id)).toEqual([829]);

    const idle = simulate((s) => (s.eventDelayMs = 0));
    idle.data('Open-BkbBitLockerPanel', { mountPoint: 'C:' });
    expect(idle.events(C_KEY)).toEqual([]);
  });
});

describe('Start-BkbElevated', () => {
  it('reports the restart as started', () => {
    expect(simulate().data('Start-BkbElevated', { arguments: [] })).toEqual({ started: true });
  });

  it('refuses arguments the module refuses', () => {
    expect(simulate().ask('Start-BkbElevated', { arguments: 'x' })).toMatchObject({ error: { message: 'arguments must be a list of strings.' } });
    expect(simulate().ask('Start-BkbElevated', { arguments: ['a\nb'] })).toMatchObject({ error: { message: 'arguments must be strings without control characters.' } });
  });
});

describe('Get-BkbVolumeRoot', () => {
  it('answers the root folder as Convert-Path does, or that the drive cannot be reached', () => {
    expect(simulate().data('Get-BkbVolumeRoot', { mountPoint: 'f:' })).toEqual({ path: F_ROOT + path.sep });
    expect(simulate().ask('Get-BkbVolumeRoot', { mountPoint: 'D:' })).toEqual({
      ok: false,
      error: { code: 'VolumeNotFound', message: 'Drive D: cannot be reached.', hresult: '0x80070003' },
    });
  });
});

describe('faults', () => {
  it('turns an error fault into the error envelope for the first failTimes calls', () => {
    const sim = simulate((s) => (s.faults = { 'Get-BkbVolumes': { error: 'RPC server unavailable', hresult: '0x800706BA', failTimes: 1 } }));
    expect(sim.ask('Get-BkbVolumes', {})).toEqual({ ok: false, error: { code: 'CmdletFailed', message: 'RPC server unavailable', hresult: '0x800706BA' } });
    expect(sim.ask('Get-BkbVolumes', {}).ok).toBe(true);
  });

  it('hands I/O faults and latency to the host, and runs nothing for a crash', () => {
    const sim = simulate((s) => {
      s.faults = { 'Backup-BkbToEntra': { crash: true }, 'Get-BkbVolumes': { halfJson: true } };
      s.latencyMs = { 'Get-BkbEnvironment': 150 };
      s.eventDelayMs = 0;
    });
    const crash = sim.machine.call('Backup-BkbToEntra', encoded({ mountPoint: 'C:', keyProtectorId: C_KEY }));
    expect(crash.fault).toEqual({ kind: 'crash' });
    expect(sim.events(C_KEY)).toEqual([]);
    expect(sim.machine.call('Get-BkbVolumes', encoded({})).fault).toEqual({ kind: 'halfJson' });
    expect(sim.machine.call('Get-BkbEnvironment', encoded({}))).toMatchObject({ fault: null, latencyMs: 150 });
  });

  it('fails the start-up line with an Import-Module error', () => {
    const sim = simulate((s) => (s.faults = { startup: { error: 'The specified module was not loaded.', failTimes: 1 } }));
    const first = sim.machine.startup();
    expect(first.imported).toBe(false);
    expect(first.answer()).toEqual({ stream: 'err', text: 'Import-Module : The specified module was not loaded.' });
    const second = sim.machine.startup();
    expect(second.imported).toBe(true);
    expect(second.answer()).toBeNull();
  });

  it('keeps failTimes counters and logged events in the state file across restarts', () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-state-')), 'state.json');
    const withCrash = (s: ScenarioJson) => ((s.faults = { 'Get-BkbVolumes': { crash: true, failTimes: 1 } }), (s.eventDelayMs = 0));
    const first = simulate(withCrash, stateFile);
    expect(first.machine.call('Get-BkbVolumes', encoded({})).fault).toEqual({ kind: 'crash' });
    first.data('Backup-BkbToEntra', { mountPoint: 'C:', keyProtectorId: C_KEY });

    const restarted = simulate(withCrash, stateFile);
    expect(restarted.machine.call('Get-BkbVolumes', encoded({})).fault).toBeNull();
    expect(restarted.events(C_KEY).map((e) => e.id)).toEqual([845]);
  });
});

describe('mutations', () => {
  it('locks a drive after it was listed', () => {
    const sim = simulate((s) => (s.mutations = [{ after: 'Get-BkbVolumes', lock: 'D:' }]));
    expect(sim.data('Get-BkbVolumes', {}).volumes[1]?.lockStatus).toBe('Unlocked');
    expect(sim.ask('Backup-BkbToEntra', { mountPoint: 'D:', keyProtectorId: D_KEY_1 })).toMatchObject({ error: { code: 'VolumeLocked' } });
    expect(sim.data('Get-BkbVolumes', {}).volumes[1]?.lockStatus).toBe('Locked');
  });

  it('removes a protector after the given number of calls', () => {
    const sim = simulate((s) => (s.mutations = [{ after: 'Get-BkbVolumes', calls: 2, removeProtector: D_KEY_2 }]));
    sim.data('Get-BkbVolumes', {});
    expect(sim.ask('Get-BkbRecoveryPassword', { mountPoint: 'D:', keyProtectorId: D_KEY_2 }).ok).toBe(true);
    expect(sim.data('Get-BkbVolumes', {}).volumes[1]?.keyProtectors).toHaveLength(2);
    expect(sim.ask('Get-BkbRecoveryPassword', { mountPoint: 'D:', keyProtectorId: D_KEY_2 })).toMatchObject({ error: { code: 'ProtectorNotFound' } });
    expect(sim.data('Get-BkbVolumes', {}).volumes[1]?.keyProtectors.map((p) => p.keyProtectorId)).toEqual([D_KEY_1]);
  });
});

describe('Get-BkbKeyHistory', () => {
  const HISTORY = [775, 776, 828, 845, 869, 4106];
  const withLog = (events: ScenarioJson['events']) => simulate((s) => (s.events = events));

  it('lists the events with one of the ids, oldest first, with protector and drive letter and no message; the log starts at its oldest record', () => {
    const sim = withLog([
      { id: 845, time: '2026-02-10T09:16:02Z', mountPoint: 'C:', protectorId: C_KEY.toLowerCase() },
      { id: 774, time: '2026-02-03T07:58:12Z', mountPoint: 'C:' }, // the oldest record, of an id not asked for
      { id: 4106, time: '2026-02-12T08:00:00Z', mountPoint: 'c:' },
      { id: 775, time: '2026-02-10T09:15:40.5Z', mountPoint: '\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}\\', protectorId: D_KEY_1 },
      { id: 845, time: '2026-03-01T13:00:00Z', mountPoint: 'C:', protectorId: C_KEY }, // not logged yet
    ]);
    expect(sim.data('Get-BkbKeyHistory', { ids: HISTORY })).toEqual({
      events: [
        { id: 775, time: '2026-02-10T09:15:40.5000000Z', keyProtectorId: D_KEY_1, mountPoint: null },
        { id: 845, time: '2026-02-10T09:16:02.0000000Z', keyProtectorId: C_KEY, mountPoint: 'C:' },
        { id: 4106, time: '2026-02-12T08:00:00.0000000Z', keyProtectorId: null, mountPoint: 'C:' },
      ],
      logStartsAt: '2026-02-03T07:58:12.0000000Z',
      truncated: false,
    });
  });

  it('keeps the newest 2,000 events of a fuller log; the history then starts at the oldest of them', () => {
    const sim = withLog(Array.from({ length: 2001 }, (_, i) => ({ id: 845, time: new Date(Date.parse('2026-01-05T09:00:00Z') + i * 60_000).toISOString(), mountPoint: 'C:', protectorId: C_KEY })));
    const history = sim.data('Get-BkbKeyHistory', { ids: [845] });
    expect(history.events).toHaveLength(2000);
    expect(history).toMatchObject({ truncated: true, logStartsAt: '2026-01-05T09:01:00.0000000Z' });
    expect(history.events[0]?.time).toBe('2026-01-05T09:01:00.0000000Z');
  });

  it('starts nowhere when the log holds nothing yet', () => {
    expect(withLog([]).data('Get-BkbKeyHistory', { ids: HISTORY })).toEqual({ events: [], logStartsAt: null, truncated: false });
  });

  it.each<[string, unknown, string]>([
    ['no ids', [], 'ids must list 1 to 32 event ids.'],
    ['33 ids', Array.from({ length: 33 }, (_, i) => i + 1), 'ids must list 1 to 32 event ids.'],
    ['an id as text', ['845'], 'ids must be event ids from 1 to 65535.'],
  ])('refuses %s in the module\'s words', (_, ids, message) => {
    expect(simulate().ask('Get-BkbKeyHistory', { ids })).toEqual({ ok: false, error: { code: 'InvalidArgument', message, hresult: null } });
  });
});

describe('Add-BkbRecoveryPassword', () => {
  it('adds a recovery password Windows generates, answers only its id, and logs 775 at once', () => {
    const sim = simulate();
    const { keyProtectorId } = sim.data('Add-BkbRecoveryPassword', { mountPoint: 'c:' });
    expect(keyProtectorId).toBe(addedProtectorId('C:', 1));
    expect(sim.data('Get-BkbVolumes', {}).volumes[0]?.keyProtectors.map((p) => p.keyProtectorId)).toEqual([TPM, C_KEY, keyProtectorId]);
    const { recoveryPassword } = sim.data('Get-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId });
    expect(isValidRecoveryPassword(recoveryPassword)).toBe(true);
    expect(sim.data('Get-BkbKeyHistory', { ids: [775] }).events).toEqual([{ id: 775, time: '2026-03-01T12:00:00.0000000Z', keyProtectorId, mountPoint: 'C:' }]);
    // The next one is another key.
    expect(sim.data('Add-BkbRecoveryPassword', { mountPoint: 'C:' }).keyProtectorId).toBe(addedProtectorId('C:', 2));
  });

  it.each<['forbidden' | 'forbiddenByFips', string]>([
    ['forbidden', '0x8031005C'],
    ['forbiddenByFips', '0x80310037'],
  ])('answers PolicyForbids when Group Policy says %s, adding nothing', (recoveryPassword, hresult) => {
    const sim = simulate((s) => (s.policy = { recoveryPassword }));
    expect(sim.ask('Add-BkbRecoveryPassword', { mountPoint: 'C:' })).toMatchObject({ ok: false, error: { code: 'PolicyForbids', hresult } });
    expect(sim.data('Get-BkbVolumes', {}).volumes[0]?.keyProtectors).toHaveLength(2);
    expect(sim.data('Get-BkbKeyHistory', { ids: [775] }).events).toEqual([]);
  });

  it('refuses a locked or unknown drive in the module\'s words', () => {
    const sim = simulate();
    expect(sim.ask('Add-BkbRecoveryPassword', { mountPoint: 'E:' })).toMatchObject({ error: { code: 'VolumeLocked', hresult: '0x80310000' } });
    expect(sim.ask('Add-BkbRecoveryPassword', { mountPoint: 'Z:' })).toMatchObject({ error: { code: 'VolumeNotFound', hresult: '0x80070490' } });
    expect(simulate((s) => (s.computer.elevated = false)).ask('Add-BkbRecoveryPassword', { mountPoint: 'C:' })).toMatchObject({ error: { code: 'NotElevated' } });
  });
});

describe('Remove-BkbRecoveryPassword', () => {
  it('removes one recovery password and logs 776 at once', () => {
    const sim = simulate();
    expect(sim.data('Remove-BkbRecoveryPassword', { mountPoint: 'D:', keyProtectorId: D_KEY_2.toLowerCase() })).toEqual({ removed: true });
    expect(sim.data('Get-BkbVolumes', {}).volumes[1]?.keyProtectors.map((p) => p.keyProtectorId)).toEqual([D_KEY_1]);
    expect(sim.data('Get-BkbKeyHistory', { ids: [776] }).events).toEqual([{ id: 776, time: '2026-03-01T12:00:00.0000000Z', keyProtectorId: D_KEY_2, mountPoint: 'D:' }]);
  });

  it('never removes a drive\'s last recovery password', () => {
    const sim = simulate();
    expect(sim.ask('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: C_KEY })).toMatchObject({ ok: false, error: { code: 'LastRecoveryPassword', hresult: null } });
    expect(sim.data('Get-BkbVolumes', {}).volumes[0]?.keyProtectors).toHaveLength(2);
  });

  it('rotates: a key added, then the old one removed, then the new one cannot be', () => {
    const sim = simulate();
    const { keyProtectorId } = sim.data('Add-BkbRecoveryPassword', { mountPoint: 'C:' });
    expect(sim.data('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: C_KEY })).toEqual({ removed: true });
    expect(sim.ask('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId })).toMatchObject({ error: { code: 'LastRecoveryPassword' } });
    expect(sim.data('Get-BkbKeyHistory', { ids: [775, 776] }).events.map((e) => [e.id, e.keyProtectorId])).toEqual([
      [775, keyProtectorId],
      [776, C_KEY],
    ]);
  });

  it('answers ProtectorNotFound for anything but a recovery password of that drive, and VolumeLocked for a locked one', () => {
    const sim = simulate();
    expect(sim.ask('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: TPM })).toMatchObject({ error: { code: 'ProtectorNotFound' } });
    expect(sim.ask('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: D_KEY_1 })).toMatchObject({ error: { code: 'ProtectorNotFound' } });
    expect(sim.ask('Remove-BkbRecoveryPassword', { mountPoint: 'E:', keyProtectorId: E_KEY })).toMatchObject({ error: { code: 'VolumeLocked' } });
  });
});

describe('the audit trail (Write-BkbAuditEvent, Get-BkbAuditEvents)', () => {
  const backup = { action: 'backup', outcome: 'succeeded', mountPoint: 'C:', keyProtectorIds: [C_KEY], destination: 'entra' };

  it('writes entries worded from the fields, keeps them in the state file, and reads them back oldest first', () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-state-')), 'state.json');
    const sim = simulate(() => {}, stateFile);
    expect(sim.data('Write-BkbAuditEvent', backup)).toEqual({ written: true });
    sim.clock.now += 1000;
    const add = { action: 'add', outcome: 'failed', mountPoint: 'd:', keyProtectorIds: [], destination: null };
    expect(sim.data('Write-BkbAuditEvent', add)).toEqual({ written: true });
    sim.clock.now += 1000;
    expect(sim.data('Write-BkbAuditEvent', { ...backup, action: 'reveal', mountPoint: null, keyProtectorIds: [D_KEY_1.toLowerCase(), D_KEY_2], destination: null })).toEqual({
      written: true,
    });

    const restarted = simulate(() => {}, stateFile);
    expect(restarted.data('Get-BkbAuditEvents', { since: new Date(START).toISOString() }).events).toEqual([
      { id: 1000, time: '2026-03-01T12:00:00.0000000Z', message: `Backing up 1 recovery key of C: to Microsoft Entra ID succeeded. Key IDs: ${C_KEY}.` },
      { id: 1001, time: '2026-03-01T12:00:01.0000000Z', message: 'Adding a recovery key to D: failed. Key IDs: none.' },
      { id: 1003, time: '2026-03-01T12:00:02.0000000Z', message: `Revealing 2 recovery keys succeeded. Key IDs: ${D_KEY_1}, ${D_KEY_2}.` },
    ]);
    expect(restarted.data('Get-BkbAuditEvents', { since: '2026-03-01T12:00:01Z' }).events.map((e) => e.id)).toEqual([1001, 1003]);
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { auditEvents: { entryType: string }[] };
    expect(saved.auditEvents.map((e) => e.entryType)).toEqual(['Information', 'Warning', 'Warning']);
  });

  it('writes nothing and answers written false where no event source is registered (the portable build)', () => {
    const sim = simulate((s) => (s.computer.auditSourceRegistered = false));
    expect(sim.data('Write-BkbAuditEvent', backup)).toEqual({ written: false });
    expect(sim.data('Get-BkbAuditEvents', { since: '2000-01-01T00:00:00Z' })).toEqual({ events: [] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a recovery password among the key IDs', { keyProtectorIds: [C_KEY, C_PASSWORD] }, 'The request carries something shaped like a recovery password: the audit trail records key IDs, never keys.'],
    ['a recovery password as the destination', { destination: C_PASSWORD.replace(/-/g, ' ') }, 'The request carries something shaped like a recovery password: the audit trail records key IDs, never keys.'],
    ['an action in another case', { action: 'Backup' }, 'action must be backup, add, remove or reveal.'],
    ['a backup without a destination', { destination: null }, 'destination must name where a backup went, and only a backup.'],
    ['a key ID with text after it', { keyProtectorIds: [`${C_KEY}\nforged`] }, 'keyProtectorIds must be GUIDs in braces.'],
  ])('refuses %s in the module\'s words, writing nothing', (_, fields, message) => {
    const sim = simulate();
    expect(sim.ask('Write-BkbAuditEvent', { ...backup, ...fields })).toEqual({ ok: false, error: { code: 'InvalidArgument', message, hresult: null } });
    expect(sim.data('Get-BkbAuditEvents', { since: '2000-01-01T00:00:00Z' })).toEqual({ events: [] });
  });
});
