import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../preload/contract';
import { CONTENT_SECURITY_POLICY } from './security/csp';

/**
 * main/index.ts as it ships, run against a fake Electron: the guards, the app:// protocol and the IPC
 * registration must all be wired, and wired before the window opens. (Each piece is unit-tested on its own in
 * guards.test.ts, protocol.test.ts and register.test.ts; this proves the app actually uses them.)
 */

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    /** Everything that happened, in order, as short labels. */
    calls: [] as string[],
    appListeners: new Map<string, Listener[]>(),
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, Listener>(),
    privileged: [] as unknown[],
    sessionHandlers: {} as Record<string, Listener>,
    singleInstance: true,
    ready: { resolve: () => undefined as void, promise: Promise.resolve() },
    userData: '',
    windows: [] as { contents: FakeContents; listeners: Map<string, Listener> }[],
    warnings: [] as unknown[],
  };
  interface FakeContents {
    id: number;
    handlers: Map<string, Listener>;
    openHandler?: Listener;
  }
  const emitApp = (name: string, ...args: unknown[]) => (state.appListeners.get(name) ?? []).forEach((l) => (l as (...a: unknown[]) => unknown)(...args));
  const session = {
    setPermissionRequestHandler: (h: Listener) => ((state.sessionHandlers.request = h), state.calls.push('session: permission requests')),
    setPermissionCheckHandler: (h: Listener) => ((state.sessionHandlers.check = h), state.calls.push('session: permission checks')),
    setDevicePermissionHandler: (h: Listener) => ((state.sessionHandlers.device = h), state.calls.push('session: devices')),
    on: (name: string, h: Listener) => ((state.sessionHandlers[name] = h), state.calls.push(`session: ${name}`)),
    webRequest: { onBeforeRequest: (h: Listener) => ((state.sessionHandlers.beforeRequest = h), state.calls.push('session: requests')) },
  };
  const electron = {
    app: {
      on: (name: string, listener: Listener) => {
        state.appListeners.set(name, [...(state.appListeners.get(name) ?? []), listener]);
        state.calls.push(`app.on ${name}`);
      },
      whenReady: () => state.ready.promise,
      requestSingleInstanceLock: () => (state.calls.push('app.requestSingleInstanceLock'), state.singleInstance),
      quit: () => state.calls.push('app.quit'),
      exit: (code: number) => state.calls.push(`app.exit ${code}`),
      setPath: () => undefined,
      getPath: () => state.userData,
      getAppPath: () => '/app',
      getVersion: () => '0.1.0',
      isPackaged: false,
    },
    ipcMain: {
      handle: (channel: string, listener: Listener) => {
        state.ipcHandlers.set(channel, listener);
        state.calls.push(`ipc ${channel}`);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.privileged.push(...schemes);
        state.calls.push('protocol.registerSchemesAsPrivileged');
      },
      handle: (scheme: string, handler: Listener) => {
        state.protocolHandlers.set(scheme, handler);
        state.calls.push(`protocol.handle ${scheme}`);
      },
    },
    session: { defaultSession: session },
    // Imported by modules index.ts loads; never called by these tests.
    BrowserWindow: class {},
    dialog: {},
    nativeTheme: { shouldUseDarkColors: false },
  };
  /** As Electron does: creating a window creates its WebContents, which emits app's web-contents-created. */
  const createMainWindow = (preload: string) => {
    state.calls.push(`window ${preload.split(/[\\/]/).slice(-2).join('/')}`);
    const contents: FakeContents & Record<string, unknown> = {
      id: 40 + state.windows.length,
      handlers: new Map(),
      setWindowOpenHandler(h: Listener) {
        contents.openHandler = h;
      },
      on(name: string, h: Listener) {
        contents.handlers.set(name, h);
      },
      isDestroyed: () => false,
      send: () => undefined,
    };
    const listeners = new Map<string, Listener>();
    emitApp('web-contents-created', {}, contents);
    state.windows.push({ contents, listeners });
    return { webContents: contents, on: (name: string, l: Listener) => listeners.set(name, l), isMinimized: () => false, restore: () => undefined, focus: () => undefined };
  };
  return { state, electron, createMainWindow, emitApp };
});

vi.mock('electron', () => fake.electron);
vi.mock('./window', () => ({ createMainWindow: fake.createMainWindow }));
vi.mock('./log/app-log', () => ({
  createAppLog: () => ({ info: () => undefined, warn: (message: string, fields: unknown) => fake.state.warnings.push({ message, fields }), error: () => undefined, close: async () => undefined }),
}));
// No PowerShell is started: the session only records that it was asked to.
vi.mock('./powershell/session', () => ({
  PowerShellSession: class {
    state = 'starting';
    start = async () => void fake.state.calls.push('powershell.start');
    call = async () => {
      const { AppFailure } = await import('./errors');
      throw new AppFailure('PowerShellUnavailable', 'PowerShell is a fake here.');
    };
    dispose = async () => undefined;
  },
}));

beforeEach(() => {
  vi.resetModules();
  const s = fake.state;
  s.calls = [];
  s.appListeners = new Map();
  s.ipcHandlers = new Map();
  s.protocolHandlers = new Map();
  s.privileged = [];
  s.sessionHandlers = {};
  s.singleInstance = true;
  s.windows = [];
  s.warnings = [];
  s.userData = mkdtempSync(join(tmpdir(), 'bkb-index-'));
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  s.ready = { resolve, promise };
});
afterEach(() => fake.state.ready.resolve());

/** Loads main/index.ts, which wires everything at import; `ready` lets app.whenReady() resolve. */
async function start({ ready = true } = {}) {
  await import('./index');
  if (ready) {
    fake.state.ready.resolve();
    await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1));
  }
  return fake.state;
}

const fire = (contents: { handlers: Map<string, Listener> }, name: string, url?: string) => {
  let prevented = false;
  (contents.handlers.get(name) as ((e: { preventDefault(): void }, url?: string) => void) | undefined)?.({ preventDefault: () => (prevented = true) }, url);
  return prevented;
};

describe('headless mode', () => {
  it('runs a command line without a window or the single-instance lock, prints the report and exits with its code', async () => {
    const argv = process.argv;
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => (printed.push(String(text)), true));
    process.argv = [argv[0]!, '/app', 'status'];
    try {
      await import('./index');
      fake.state.ready.resolve();
      // The fake PowerShell never answers: "PowerShell didn't start" is exit 5.
      await vi.waitFor(() => expect(fake.state.calls).toContain('app.exit 5'));
    } finally {
      process.argv = argv;
      write.mockRestore();
    }
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.calls).not.toContain('app.requestSingleInstanceLock');
    expect(JSON.parse(printed.join(''))).toMatchObject({ command: 'status', exitCode: 5, error: { code: 'PowerShellUnavailable' } });
  });
});

describe('main/index.ts wiring', () => {
  it('registers app:// as a standard, secure scheme at load, before the app is ready, without bypassing the CSP', async () => {
    const s = await start({ ready: false });
    expect(s.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(s.calls).not.toContain('protocol.handle app');
  });

  it('guards every WebContents from the start: the listener is on before the app is ready', async () => {
    const s = await start({ ready: false });
    expect(s.appListeners.get('web-contents-created')).toHaveLength(1);
    expect(s.windows).toHaveLength(0);
  });

  it('guards the window it opens: no new windows, no navigation or redirect off the app, no webviews', async () => {
    const s = await start();
    const [{ contents }] = s.windows as [(typeof s.windows)[number]];
    expect((contents.openHandler as (d: { url: string }) => unknown)({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(fire(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(fire(contents, 'will-navigate', 'app://bitlocker/index.html')).toBe(false);
    expect(fire(contents, 'will-redirect', 'https://example.com/')).toBe(true);
    expect(fire(contents, 'will-attach-webview')).toBe(true);
    // What the guard refused is in the app log (the Electron e2e suite waits for this line).
    expect(s.warnings).toContainEqual({ message: 'refused a navigation off the app', fields: { origin: 'https://example.com' } });
    expect(s.warnings).toContainEqual({ message: 'refused a redirect off the app', fields: { origin: 'https://example.com' } });
  });

  it('guards the default session before the window opens: every permission denied, nothing remote loads', async () => {
    const s = await start();
    const windowAt = s.calls.findIndex((c) => c.startsWith('window '));
    for (const step of ['session: permission requests', 'session: permission checks', 'session: devices', 'session: will-download', 'session: requests']) {
      expect(s.calls.indexOf(step), step).toBeGreaterThanOrEqual(0);
      expect(s.calls.indexOf(step), `${step} before the window`).toBeLessThan(windowAt);
    }
    const answers: boolean[] = [];
    (s.sessionHandlers.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect((s.sessionHandlers.check as () => boolean)()).toBe(false);
    const cancel = (url: string) => {
      let decision: boolean | undefined;
      (s.sessionHandlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url }, (r) => (decision = r.cancel));
      return decision;
    };
    expect(cancel('https://example.com/app.js')).toBe(true);
    expect(cancel('app://bitlocker/index.html')).toBe(false);
  });

  it('serves the renderer over app:// with the CSP header, only for the app origin, before the window opens', async () => {
    const s = await start();
    expect(s.calls.indexOf('protocol.handle app')).toBeLessThan(s.calls.findIndex((c) => c.startsWith('window ')));
    const handler = s.protocolHandlers.get('app') as (request: { url: string }) => Promise<Response>;
    // In the built app __dirname is out/main, so this is out/renderer; here it is the renderer source folder.
    const page = await handler({ url: 'app://bitlocker/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler({ url: 'app://elsewhere/index.html' })).status).toBe(404);
    expect((await handler({ url: 'app://bitlocker/../main/index.ts' })).status).toBe(404);
    expect((await handler({ url: 'app://bitlocker/%2e%2e/package.json' })).status).toBe(404);
  });

  it('loads the built preload beside main', async () => {
    const s = await start();
    expect(s.calls).toContain('window preload/index.js');
  });

  it('registers every channel behind the sender check, with the windows it opened, before the window opens', async () => {
    const s = await start();
    const windowAt = s.calls.findIndex((c) => c.startsWith('window '));
    expect([...s.ipcHandlers.keys()].sort()).toEqual([...channelNames].sort());
    for (const channel of channelNames) expect(s.calls.indexOf(`ipc ${channel}`)).toBeLessThan(windowAt);

    const [window] = s.windows as [(typeof s.windows)[number]];
    const invoke = (senderId: number, url: string, parent: unknown = null) =>
      (s.ipcHandlers.get('volumes:list') as (e: unknown, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(
        { sender: { id: senderId }, senderFrame: { url, parent } },
        {},
      );
    // The app's window gets through to the handler (which fails: PowerShell is a fake here).
    expect(await invoke(window.contents.id, 'app://bitlocker/index.html')).toMatchObject({ ok: false, error: { code: 'PowerShellUnavailable' } });
    expect(await invoke(window.contents.id + 1, 'app://bitlocker/index.html')).toMatchObject({ error: { code: 'ForbiddenSender' } });
    expect(await invoke(window.contents.id, 'https://example.com/')).toMatchObject({ error: { code: 'ForbiddenSender' } });
    expect(await invoke(window.contents.id, 'app://bitlocker/index.html', {})).toMatchObject({ error: { code: 'ForbiddenSender' } });
    // A closed window is no longer trusted.
    (window.listeners.get('closed') as () => void)();
    expect(await invoke(window.contents.id, 'app://bitlocker/index.html')).toMatchObject({ error: { code: 'ForbiddenSender' } });
  });

  it('starts PowerShell at once, while the window loads', async () => {
    const s = await start({ ready: false });
    expect(s.calls).toContain('powershell.start');
  });

  it('a second instance quits without wiring anything', async () => {
    fake.state.singleInstance = false;
    const s = await start({ ready: false });
    s.ready.resolve();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.calls).toContain('app.quit');
    expect(s.windows).toHaveLength(0);
    expect(s.ipcHandlers.size).toBe(0);
    expect(s.protocolHandlers.size).toBe(0);
  });
});
