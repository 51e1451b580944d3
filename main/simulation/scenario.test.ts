import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadScenario, type Scenario } from './scenario';

type ScenarioJson = z.input<typeof Scenario>;

const SHIPPED = path.resolve(__dirname, '../../assets/scenarios');
const shipped = fs.readdirSync(SHIPPED).filter((f) => f.endsWith('.json'));

const minimal: ScenarioJson = {
  computer: { name: 'PC', elevated: true, edition: 'Professional', entraJoined: false, domainJoined: false },
  volumes: [
    {
      mountPoint: 'C:',
      label: 'Windows',
      driveType: 'OperatingSystem',
      capacityGB: 100,
      fileSystem: 'NTFS',
      volumeStatus: 'FullyEncrypted',
      protectionStatus: 'On',
      lockStatus: 'Unlocked',
      encryptionMethod: 'XtsAes128',
      encryptionPercentage: 100,
      keyProtectors: [
        {
          keyProtectorId: '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}',
          keyProtectorType: 'RecoveryPassword',
          recoveryPassword: '000440-249799-223619-263626-375034-667139-257378-230010',
        },
      ],
    },
  ],
};

/** Writes a scenario (the minimal one with `change` applied) to a temp folder and loads it. */
function loadWith(change: (s: ScenarioJson) => void): () => ReturnType<typeof loadScenario> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-scenario-'));
  const scenario = structuredClone(minimal);
  change(scenario);
  const file = path.join(dir, 'scenario.json');
  fs.writeFileSync(file, JSON.stringify(scenario));
  return () => loadScenario(file);
}

describe('shipped scenarios', () => {
  it('are all there', () => {
    expect(shipped.sort()).toEqual(
      [
        'crash-once.json',
        'device-encryption.json',
        'domain-pc.json',
        'entra-office.json',
        'home-pc.json',
        'hostile-strings.json',
        'mixed-history.json',
        'module-missing.json',
        'several-passwords.json',
        'tpm-only.json',
        'unelevated.json',
        'windows-quirks.json',
      ].sort(),
    );
  });

  it.each(shipped)('%s loads (valid recovery passwords, existing roots)', (file) => {
    expect(() => loadScenario(path.join(SHIPPED, file))).not.toThrow();
  });

  it('resolves home-pc F: root relative to the scenario file', () => {
    const home = loadScenario(path.join(SHIPPED, 'home-pc.json'));
    expect(home.volumes.find((v) => v.mountPoint === 'F:')?.root).toBe(path.resolve(SHIPPED, '../sim-drives/home-pc/F'));
    expect(home.computer.bitLockerModule).toBe(true);
    expect(home.microsoftAccount.userCompletes).toBe(true);
    expect(home.computer.intuneManaged).toBe(false);
    expect(home.policy.recoveryPassword).toBe('allowed');
  });
});

describe('loadScenario errors name the wrong field', () => {
  it.each<[string, (s: ScenarioJson) => void, string]>([
    ['a bad drive letter', (s) => (s.volumes[0]!.mountPoint = 'C'), 'volumes[0].mountPoint: a drive letter such as C:'],
    ['a bad recovery password group', (s) => (s.volumes[0]!.keyProtectors[0]!.recoveryPassword = '000441-249799-223619-263626-375034-667139-257378-230010'), 'volumes[0].keyProtectors[0].recoveryPassword: each 6-digit group must be divisible by 11'],
    ['a recovery password protector without password', (s) => delete s.volumes[0]!.keyProtectors[0]!.recoveryPassword, 'volumes[0].keyProtectors[0].recoveryPassword: a RecoveryPassword protector needs recoveryPassword'],
    ['a password on a TPM protector', (s) => (s.volumes[0]!.keyProtectors[0]!.keyProtectorType = 'Tpm'), 'volumes[0].keyProtectors[0].recoveryPassword: only RecoveryPassword protectors have recoveryPassword'],
    ['no status on an unlocked volume', (s) => ((s.volumes[0]!.volumeStatus = null), (s.volumes[0]!.encryptionPercentage = null)), 'volumes[0].volumeStatus: is known once a volume is unlocked: null only on a locked volume; volumes[0].encryptionPercentage:'],
    ['a root on a volume without a letter', (s) => ((s.volumes[0]!.mountPoint = '\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}\\'), (s.volumes[0]!.root = '.')), 'volumes[0].root: a volume without a drive letter has no root folder'],
    ['a volume path without its trailing backslash', (s) => (s.volumes[0]!.mountPoint = '\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}'), 'volumes[0].mountPoint: a drive letter such as C:, or a volume GUID path'],
    ['a tenant name outside the OEM code page', (s) => Object.assign(s.computer, { entraJoined: true, tenantName: 'Contoso 🔐' }), 'computer.tenantName: has characters outside the OEM code page (437)'],
    ['two Microsoft-account outcomes', (s) => (s.microsoftAccount = { userCompletes: true, alreadyPresent: true }), 'microsoftAccount: give at most one of userCompletes, userFails or alreadyPresent'],
    ['an unknown field', (s) => Object.assign(s.computer, { elevatd: true }), 'computer: Unrecognized key: "elevatd"'],
    ['an unknown fault key', (s) => Object.assign(s, { faults: { 'Get-BkbVolume': { crash: true } } }), 'faults'],
    ['a fault with two actions', (s) => (s.faults = { 'Get-BkbVolumes': { crash: true, hangMs: 5 } }), 'faults.Get-BkbVolumes: give exactly one of'],
    ['hresult without error', (s) => (s.faults = { startup: { crash: true, hresult: '0x80070005' } }), 'faults.startup: hresult and code only go with error'],
    ['a duplicate drive', (s) => s.volumes.push(structuredClone(s.volumes[0]!)), 'volumes: mount point C: appears twice'],
    ['a mutation of an unknown drive', (s) => (s.mutations = [{ after: 'Get-BkbVolumes', lock: 'Z:' }]), 'mutations[0].lock: no volume Z:'],
    ['a mutation with two changes', (s) => (s.mutations = [{ after: 'Get-BkbVolumes', lock: 'C:', removeProtector: '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}' }]), 'mutations[0]: give exactly one of lock or removeProtector'],
    ['a missing root folder', (s) => (s.volumes[0]!.root = 'no-such-folder'), 'volumes[0].root: folder'],
    ['an unknown recovery-password policy', (s) => Object.assign(s, { policy: { recoveryPassword: 'maybe' } }), 'policy.recoveryPassword'],
    ['Intune enrollment as text', (s) => Object.assign(s.computer, { intuneManaged: 'yes' }), 'computer.intuneManaged'],
  ])('%s', (_, change, message) => {
    expect(loadWith(change)).toThrow(message);
  });

  it('accepts what Windows reports: a locked volume without status or readable password, a volume without a letter', () => {
    const load = loadWith((s) => {
      s.volumes.push({
        ...structuredClone(s.volumes[0]!),
        mountPoint: 'E:',
        driveType: 'Removable',
        lockStatus: 'Locked',
        volumeStatus: null,
        encryptionPercentage: null,
        keyProtectors: [{ keyProtectorId: '{80E4F05A-F2CE-4A07-8560-0E1ED9F5D6C3}', keyProtectorType: 'RecoveryPassword' }],
      });
      s.volumes.push({ ...structuredClone(s.volumes[0]!), mountPoint: '\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}\\', keyProtectors: [] });
      s.events = [{ id: 829, time: '2026-03-01T10:00:00Z', mountPoint: 'E:' }];
      Object.assign(s.computer, { entraJoined: true, tenantName: 'Fabrikam Bücher & Söhne', dsregcmdEncoding: 'oem' });
    });
    expect(load().volumes.map((v) => v.mountPoint)).toEqual(['C:', 'E:', '\\\\?\\Volume{0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9}\\']);
  });

  it('reports unreadable JSON with the file name', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-scenario-')), 'broken.json');
    fs.writeFileSync(file, '{ "computer": ');
    expect(() => loadScenario(file)).toThrow(`scenario ${file}:`);
  });
});
