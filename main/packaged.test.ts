import { describe, expect, it } from 'vitest';
import { buildFlavour, commandLineSwitches, scrubEnvironment, startRefusal, SYSTEM_ROOT_LINK, systemWindowsFolder } from './packaged';

const EXE = 'C:\\Program Files\\BitLocker Key Backup\\BitLocker Key Backup.exe';
const release = { flavour: 'release' as const, windowsFolder: 'C:\\Windows' };

describe('a packaged build refuses command-line switches', () => {
  it.each([
    ['--inspect=9229'],
    ['--inspect-brk'],
    ['--inspect-port=0'],
    ['--debug'],
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
    ['--js-flags=--allow-natives-syntax'],
    ['--no-sandbox'],
    ['--gpu-launcher=cmd /c calc'],
    ['--auto-open-devtools-for-tabs'],
    ['-inspect'],
    ['/remote-debugging-port=9222'],
    ['  --inspect'],
    ['\u00a0--inspect'],
    ['--scenario'],
  ])('%s', (arg) => {
    const refusal = startRefusal({ ...release, argv: [EXE, arg] });
    expect(refusal).toMatch(/did not start/);
    expect(refusal).toContain(arg.trim().split('=')[0]);
  });

  it('starts with no arguments, or with plain (non-switch) ones', () => {
    expect(startRefusal({ ...release, argv: [EXE] })).toBeNull();
    expect(startRefusal({ ...release, argv: [EXE, 'C:\\Users\\me\\file.txt'] })).toBeNull();
  });

  it("lets headless mode's own options through, and nothing else beside them", () => {
    expect(startRefusal({ ...release, argv: [EXE, 'status', '--intune', '--json-out', 'C:\\ProgramData\\status.json'] })).toBeNull();
    expect(startRefusal({ ...release, argv: [EXE, 'backup', '--mount', 'C:', '--to', 'usb', '--usb', 'E:'] })).toBeNull();
    for (const extra of ['--inspect=9229', '--remote-debugging-port=9222', '--scenario=C:\\x.json', '--scenario', '--js-flags=--expose-gc']) {
      expect(startRefusal({ ...release, argv: [EXE, 'status', extra] }), extra).toMatch(/did not start/);
    }
    expect(startRefusal({ ...release, argv: [EXE, 'status', '--mount', 'C:'] })).toMatch(/did not start/);
  });

  it('names at most three switches, each cut short', () => {
    const refusal = startRefusal({ ...release, argv: [EXE, '--a', '--b', '--c', `--${'x'.repeat(500)}`] }) ?? '';
    expect(refusal).toContain('(--a, --b, --c, …)');
    expect(refusal).not.toContain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  });

  it('lets only the never-published e2e test build take them (Playwright attaches with --inspect=0 --remote-debugging-port=0)', () => {
    expect(startRefusal({ flavour: 'e2e-test', windowsFolder: 'C:\\Windows', argv: [EXE, '--inspect=0', '--remote-debugging-port=0'] })).toBeNull();
  });

  it('does not start when the OS cannot say where Windows is, whatever the flavour', () => {
    expect(startRefusal({ flavour: 'release', windowsFolder: null, argv: [EXE] })).toMatch(/Windows folder/);
    expect(startRefusal({ flavour: 'e2e-test', windowsFolder: null, argv: [EXE] })).toMatch(/Windows folder/);
  });

  it('reads switches as Chromium does on Windows: --x, -x and /x, after white space', () => {
    expect(commandLineSwitches([EXE, '--a', '-b', '/c', ' --d', 'e', 'C:\\f'])).toEqual(['--a', '-b', '/c', ' --d']);
    expect(commandLineSwitches([EXE])).toEqual([]);
  });
});

describe('buildFlavour', () => {
  const reading = (text: string) => (file: string) => {
    expect(file.replace(/\\/g, '/')).toBe('/app.asar/package.json');
    return text;
  };
  it('is the e2e test build only when its own package.json says so', () => {
    expect(buildFlavour('/app.asar', reading('{"name":"x","bkbBuildFlavour":"e2e-test"}'))).toBe('e2e-test');
  });
  it('is the release otherwise: no field, another value, bad JSON, no file', () => {
    expect(buildFlavour('/app.asar', reading('{"name":"x"}'))).toBe('release');
    expect(buildFlavour('/app.asar', reading('{"bkbBuildFlavour":"E2E-TEST"}'))).toBe('release');
    expect(buildFlavour('/app.asar', reading('{'))).toBe('release');
    expect(
      buildFlavour('/app.asar', () => {
        throw new Error('ENOENT');
      }),
    ).toBe('release');
  });
});

describe('systemWindowsFolder', () => {
  it('asks the OS: the kernel’s \\SystemRoot link, resolved, never an environment variable', () => {
    const saved = { SystemRoot: process.env.SystemRoot, windir: process.env.windir };
    Object.assign(process.env, { SystemRoot: 'C:\\Users\\me\\FakeWindows', windir: 'C:\\Users\\me\\FakeWindows' });
    try {
      const asked: string[] = [];
      const folder = systemWindowsFolder((path) => (asked.push(path), 'D:\\Windows'), 'win32');
      expect(folder).toBe('D:\\Windows');
      expect(asked).toEqual(['\\\\?\\GLOBALROOT\\SystemRoot']);
      expect(SYSTEM_ROOT_LINK).toBe('\\\\?\\GLOBALROOT\\SystemRoot');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('gives up (null) off Windows, when the OS cannot resolve it, or answers something that is not a drive folder', () => {
    expect(systemWindowsFolder(() => 'C:\\Windows', 'linux')).toBeNull();
    expect(
      systemWindowsFolder(() => {
        throw new Error('EPERM');
      }, 'win32'),
    ).toBeNull();
    for (const odd of ['', 'C:\\', 'Windows', '\\\\server\\share\\Windows', '\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\Windows', 'C:\\Win\ndows']) {
      expect(systemWindowsFolder(() => odd, 'win32')).toBeNull();
    }
  });
});

describe('scrubEnvironment', () => {
  it('removes NODE_POWERSHELL and every BKB_* variable, whatever their case, and nothing else', () => {
    const env: NodeJS.ProcessEnv = {
      NODE_POWERSHELL: 'C:\\evil\\powershell.exe',
      node_powershell: 'x',
      BKB_SCENARIO: 'assets/scenarios/home-pc.json',
      BKB_USER_DATA: 'C:\\elsewhere',
      bkb_call_timeout_ms: '1',
      BKB_SYSTEM_MODULES: 'C:\\Users\\me\\Documents',
      PATH: 'C:\\Windows\\System32',
      SystemRoot: 'C:\\Windows',
      XBKB_KEEP: 'kept',
    };
    expect(scrubEnvironment(env).sort()).toEqual(['BKB_SCENARIO', 'BKB_SYSTEM_MODULES', 'BKB_USER_DATA', 'NODE_POWERSHELL', 'bkb_call_timeout_ms', 'node_powershell']);
    expect(env).toEqual({ PATH: 'C:\\Windows\\System32', SystemRoot: 'C:\\Windows', XBKB_KEEP: 'kept' });
  });
});
