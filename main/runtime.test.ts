import { describe, expect, it } from 'vitest';
import { resolveRuntime, scenarioName, type RuntimeInputs } from './runtime';

const base: RuntimeInputs = {
  platform: 'win32',
  argv: ['electron', '.'],
  env: {},
  appPath: '/app',
  resourcesPath: '/res',
  nodePath: '/electron',
  runAsNode: true,
  simStatePath: '/tmp/state.json',
};

describe('resolveRuntime', () => {
  it('uses Windows PowerShell and the shipped module on Windows', () => {
    const runtime = resolveRuntime(base);
    expect(runtime).toMatchObject({ simulated: false, executable: 'powershell.exe', modulePath: '/res/main/powershell/BitLockerKeyBackup.psm1' });
    expect(scenarioName(runtime)).toBeNull();
  });

  it('uses the simulated PC with the default scenario elsewhere', () => {
    const runtime = resolveRuntime({ ...base, platform: 'linux' });
    expect(runtime).toMatchObject({
      simulated: true,
      scenarioPath: '/res/assets/scenarios/home-pc.json',
      executable: '/res/main/simulation/pwsh-sim',
      hostEnv: { BKB_SCENARIO: '/res/assets/scenarios/home-pc.json', BKB_NODE: '/electron', ELECTRON_RUN_AS_NODE: '1', BKB_SIM_STATE: '/tmp/state.json' },
    });
    expect(scenarioName(runtime)).toBe('home-pc');
  });

  it('takes --scenario before BKB_SCENARIO, even on Windows', () => {
    const runtime = resolveRuntime({ ...base, argv: ['electron', '.', '--scenario', '/s/domain-pc.json'], env: { BKB_SCENARIO: '/s/other.json' } });
    expect(runtime).toMatchObject({ simulated: true, scenarioPath: '/s/domain-pc.json' });
    expect(resolveRuntime({ ...base, env: { BKB_SCENARIO: '/s/other.json' } }).scenarioPath).toBe('/s/other.json');
  });

  it('reads a per-call timeout only when it is a plain positive number', () => {
    expect(resolveRuntime({ ...base, env: { BKB_CALL_TIMEOUT_MS: '1500' } }).callTimeoutMs).toBe(1500);
    for (const bad of ['0', '-1', '1e3', 'abc', '']) {
      expect(resolveRuntime({ ...base, env: { BKB_CALL_TIMEOUT_MS: bad } }).callTimeoutMs).toBeUndefined();
    }
  });
});
