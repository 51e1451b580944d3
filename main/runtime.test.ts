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

  describe('a packaged build (app.isPackaged)', () => {
    const hostile: RuntimeInputs = {
      ...base,
      argv: ['C:\\Program Files\\BitLocker Key Backup\\BitLocker Key Backup.exe', '--scenario', 'C:\\evil\\pc.json'],
      env: {
        BKB_SCENARIO: 'C:\\evil\\pc.json',
        BKB_CALL_TIMEOUT_MS: '1',
        BKB_CONFIRM_WAIT_MS: '1',
        BKB_SYSTEM_MODULES: 'C:\\Users\\me\\Documents\\WindowsPowerShell\\Modules',
        NODE_POWERSHELL: 'C:\\evil\\powershell.exe',
        SystemRoot: 'C:\\evil',
        windir: 'C:\\evil',
        PSModulePath: 'C:\\Users\\me\\Documents\\WindowsPowerShell\\Modules;C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules',
        PATH: '.;C:\\evil',
      },
      resourcesPath: 'C:\\Program Files\\BitLocker Key Backup\\resources',
      packaged: true,
      windowsFolder: 'D:\\WINDOWS',
    };

    it('runs Windows PowerShell by full path under the Windows folder the OS reported, never the simulated PC', () => {
      for (const platform of ['win32', 'linux'] as const) {
        const runtime = resolveRuntime({ ...hostile, platform });
        expect(runtime).toMatchObject({
          simulated: false,
          scenarioPath: null,
          executable: 'D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          pathStyle: 'windows',
          callTimeoutMs: undefined,
          confirmWaitMs: undefined,
        });
        expect(runtime.modulePath.replace(/\\/g, '/')).toBe('C:/Program Files/BitLocker Key Backup/resources/main/powershell/BitLockerKeyBackup.psm1');
        expect(scenarioName(runtime)).toBeNull();
      }
    });

    it('gives PowerShell a fixed environment built from that folder alone, and not the app’s own', () => {
      const runtime = resolveRuntime(hostile);
      expect(runtime.inheritEnvironment).toBe(false);
      expect(runtime.hostEnv).toEqual({
        SystemRoot: 'D:\\WINDOWS',
        windir: 'D:\\WINDOWS',
        SystemDrive: 'D:',
        PATH: 'D:\\WINDOWS\\System32;D:\\WINDOWS;D:\\WINDOWS\\System32\\Wbem;D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0',
        PSModulePath: 'D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\Modules',
        BKB_SYSTEM_MODULES: 'D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\Modules',
        TEMP: 'D:\\WINDOWS\\Temp',
        TMP: 'D:\\WINDOWS\\Temp',
      });
    });

    it('reads nothing from argv or the environment', () => {
      expect(resolveRuntime(hostile)).toEqual(resolveRuntime({ ...hostile, argv: [hostile.argv[0]!], env: {} }));
    });

    it('will not start without the Windows folder from the OS', () => {
      expect(() => resolveRuntime({ ...hostile, windowsFolder: null })).toThrow(/Windows folder/);
      expect(() => resolveRuntime({ ...hostile, windowsFolder: 'WINDOWS' })).toThrow(/Windows folder/);
    });
  });

  it('development builds hand PowerShell the app’s environment too', () => {
    expect(resolveRuntime(base).inheritEnvironment).toBe(true);
    expect(resolveRuntime({ ...base, platform: 'linux' }).inheritEnvironment).toBe(true);
  });

  it('reads a per-call timeout only when it is a plain positive number', () => {
    expect(resolveRuntime({ ...base, env: { BKB_CALL_TIMEOUT_MS: '1500' } }).callTimeoutMs).toBe(1500);
    for (const bad of ['0', '-1', '1e3', 'abc', '']) {
      expect(resolveRuntime({ ...base, env: { BKB_CALL_TIMEOUT_MS: bad } }).callTimeoutMs).toBeUndefined();
    }
  });
});
