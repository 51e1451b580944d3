import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * main/index.ts as a packaged build runs it (app.isPackaged true), against a fake Electron: it refuses debugging
 * switches before anything starts, drops NODE_POWERSHELL and BKB_* from its environment, starts Windows' own
 * PowerShell by full path with a fixed environment, and leaves DevTools no way in. (main/index.test.ts covers
 * the wiring every build shares.)
 */

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    calls: [] as string[],
    isPackaged: true,
    windowsFolder: 'C:\\Windows' as string | null,
    errorBoxes: [] as string[],
    sessions: [] as Record<string, unknown>[],
    sessionHandlers: {} as Record<string, Listener>,
    ready: { resolve: () => undefined as void, promise: Promise.resolve() },
    userData: '',
  };
  const session = {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
    on: () => undefined,
    webRequest: { onBeforeRequest: (h: Listener) => (state.sessionHandlers.beforeRequest = h) },
  };
  const electron = {
    app: {
      on: () => undefined,
      whenReady: () => state.ready.promise,
      requestSingleInstanceLock: () => true,
      releaseSingleInstanceLock: () => undefined,
      quit: () => state.calls.push('app.quit'),
      setPath: (name: string, path: string) => state.calls.push(`app.setPath ${name} ${path}`),
      getPath: () => state.userData,
      getAppPath: () => join(state.userData, 'no-app.asar'),
      getVersion: () => '0.1.0',
      get isPackaged() {
        return state.isPackaged;
      },
    },
    dialog: { showErrorBox: (_title: string, text: string) => state.errorBoxes.push(text) },
    Menu: { setApplicationMenu: (menu: unknown) => state.calls.push(`Menu.setApplicationMenu ${String(menu)}`) },
    ipcMain: { handle: () => undefined },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: { defaultSession: session },
    BrowserWindow: class {},
    nativeTheme: { shouldUseDarkColors: false },
  };
  const createMainWindow = () => {
    state.calls.push('window');
    return { webContents: { id: 1 }, on: () => undefined };
  };
  return { state, electron, createMainWindow };
});

vi.mock('electron', () => fake.electron);
vi.mock('./window', () => ({ createMainWindow: fake.createMainWindow }));
vi.mock('./log/app-log', () => ({
  createAppLog: () => ({ info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined }),
}));
vi.mock('./packaged', async (original) => ({ ...(await original<typeof import('./packaged')>()), systemWindowsFolder: () => fake.state.windowsFolder }));
vi.mock('./powershell/session', () => ({
  PowerShellSession: class {
    state = 'starting';
    constructor(options: Record<string, unknown>) {
      fake.state.sessions.push(options);
    }
    start = async () => void fake.state.calls.push('powershell.start');
    dispose = async () => undefined;
  },
}));

class Exited extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

const EXE = 'C:\\Program Files\\BitLocker Key Backup\\BitLocker Key Backup.exe';
const savedArgv = process.argv;
const steering = {
  NODE_POWERSHELL: 'C:\\Users\\me\\Downloads\\powershell.exe',
  BKB_SCENARIO: 'C:\\Users\\me\\pc.json',
  BKB_USER_DATA: 'C:\\Users\\me\\elsewhere',
  BKB_SYSTEM_MODULES: 'C:\\Users\\me\\Documents\\WindowsPowerShell\\Modules',
};

beforeEach(() => {
  vi.resetModules();
  const s = fake.state;
  Object.assign(s, { calls: [], isPackaged: true, windowsFolder: 'C:\\Windows', errorBoxes: [], sessions: [], sessionHandlers: {} });
  s.userData = mkdtempSync(join(tmpdir(), 'bkb-index-packaged-'));
  let resolve!: () => void;
  s.ready = { resolve, promise: new Promise<void>((r) => (resolve = r)) };
  s.ready.resolve = resolve;
  Object.assign(process.env, steering);
  (process as { resourcesPath?: string }).resourcesPath = 'C:\\Program Files\\BitLocker Key Backup\\resources';
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Exited(code);
  }) as never);
});

afterEach(() => {
  fake.state.ready.resolve();
  process.argv = savedArgv;
  for (const name of Object.keys(steering)) delete process.env[name];
  vi.restoreAllMocks();
});

async function start(argv: string[]) {
  process.argv = argv;
  await import('./index');
  fake.state.ready.resolve();
  await vi.waitFor(() => expect(fake.state.calls).toContain('window'));
  return fake.state;
}

describe('a packaged build’s start', () => {
  it.each([['--inspect=9229'], ['--remote-debugging-port=9222'], ['--js-flags=--allow-natives-syntax'], ['/remote-debugging-port=9222']])(
    'refuses %s: says why, exits 1, and starts nothing',
    async (option) => {
      process.argv = [EXE, option];
      await expect(import('./index')).rejects.toEqual(new Exited(1));
      expect(fake.state.errorBoxes).toHaveLength(1);
      expect(fake.state.errorBoxes[0]).toContain(option.split('=')[0]);
      expect(fake.state.sessions).toHaveLength(0);
      expect(fake.state.calls).toEqual([]);
    },
  );

  it('refuses to start when the OS cannot say where Windows is', async () => {
    fake.state.windowsFolder = null;
    process.argv = [EXE];
    await expect(import('./index')).rejects.toEqual(new Exited(1));
    expect(fake.state.errorBoxes[0]).toMatch(/Windows folder/);
    expect(fake.state.sessions).toHaveLength(0);
  });

  it('drops NODE_POWERSHELL and every BKB_* variable before anything reads them (no other profile folder)', async () => {
    const s = await start([EXE]);
    for (const name of Object.keys(steering)) expect(process.env[name], name).toBeUndefined();
    expect(s.calls.filter((c) => c.startsWith('app.setPath'))).toEqual([]);
  });

  it('starts Windows’ own PowerShell by full path, with a fixed environment and the module from resources', async () => {
    const s = await start([EXE]);
    expect(s.sessions).toHaveLength(1);
    const [options] = s.sessions as [Record<string, unknown>];
    expect(options.executable).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(options.inheritEnvironment).toBe(false);
    expect(String(options.modulePath).replace(/\\/g, '/')).toBe('C:/Program Files/BitLocker Key Backup/resources/main/powershell/BitLockerKeyBackup.psm1');
    expect(options.env).toMatchObject({ SystemRoot: 'C:\\Windows', PSModulePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\Modules' });
    expect(Object.keys(options.env as object).filter((name) => name.startsWith('BKB_'))).toEqual(['BKB_SYSTEM_MODULES']);
    expect(options.callTimeoutMs).toBeUndefined();
  });

  it('removes the application menu before the window opens, and refuses devtools://', async () => {
    const s = await start([EXE]);
    expect(s.calls.indexOf('Menu.setApplicationMenu null')).toBeGreaterThanOrEqual(0);
    expect(s.calls.indexOf('Menu.setApplicationMenu null')).toBeLessThan(s.calls.indexOf('window'));
    let cancel: boolean | undefined;
    (s.sessionHandlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)(
      { url: 'devtools://devtools/bundled/devtools_app.html' },
      (r) => (cancel = r.cancel),
    );
    expect(cancel).toBe(true);
  });
});

describe('a development build’s start (npm start, the test suites)', () => {
  it('keeps the menu, DevTools, the simulated PC and its variables', async () => {
    fake.state.isPackaged = false;
    const s = await start(['electron', '.', '--scenario', 'assets/scenarios/domain-pc.json']);
    expect(s.errorBoxes).toEqual([]);
    expect(process.env.NODE_POWERSHELL).toBe(steering.NODE_POWERSHELL);
    expect(s.calls).not.toContain('Menu.setApplicationMenu null');
    expect(s.sessions[0]).toMatchObject({ inheritEnvironment: true });
    let cancel: boolean | undefined;
    (s.sessionHandlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)(
      { url: 'devtools://devtools/bundled/devtools_app.html' },
      (r) => (cancel = r.cancel),
    );
    expect(cancel).toBe(false);
  });
});
