import { app, ipcMain, protocol, session as electronSession, type BrowserWindow } from 'electron';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, registerIpc } from './ipc/register';
import { createHandlers } from './ipc/handlers';
import { DEFAULT_ESCROW_TIMINGS } from './bitlocker/escrow';
import { electronDesktop } from './desktop/electron-desktop';
import { PowerShellSession } from './powershell/session';
import { serveRendererFile } from './protocol';
import { APP_SCHEME } from './security/origin';
import { resolveRuntime, scenarioName } from './runtime';
import { guardApp, guardSession } from './security/guards';
import { createMainWindow } from './window';
import { createAppLog } from './log/app-log';

// Tests give each run its own profile folder.
if (process.env.BKB_USER_DATA) app.setPath('userData', process.env.BKB_USER_DATA);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const simStatePath = join(tmpdir(), `bkb-sim-state-${process.pid}.json`);
const runtime = resolveRuntime({
  platform: process.platform,
  argv: process.argv,
  env: process.env,
  appPath: app.getAppPath(),
  resourcesPath: app.isPackaged ? process.resourcesPath : app.getAppPath(),
  nodePath: process.execPath,
  runAsNode: true,
  simStatePath,
});

const log = createAppLog(join(app.getPath('userData'), 'logs'));
log.info('starting', { version: app.getVersion(), simulated: runtime.simulated, scenario: scenarioName(runtime) });

const windows = new Set<BrowserWindow>();
const windowIds = new Set<number>();
const appContents = () => [...windows].map((w) => w.webContents);

const powershell = new PowerShellSession({
  executable: runtime.executable,
  modulePath: runtime.modulePath,
  env: runtime.hostEnv,
  callTimeoutMs: runtime.callTimeoutMs,
  onState: (state) => {
    log.info('PowerShell session', { state });
    emit(appContents(), 'session:state', { state });
  },
});

function openWindow(): void {
  const window = createMainWindow(join(__dirname, '../preload/index.js'));
  const id = window.webContents.id;
  windows.add(window);
  windowIds.add(id);
  window.on('closed', () => {
    windows.delete(window);
    windowIds.delete(id);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  guardApp(app);
  app.on('second-instance', () => {
    const [window] = windows;
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  // Start PowerShell at once: its slow start-up then overlaps the window load instead of following it.
  powershell.start().catch(() => undefined);

  void app.whenReady().then(() => {
    guardSession(electronSession.defaultSession);
    protocol.handle(APP_SCHEME, (request) => serveRendererFile(join(__dirname, '../renderer'), request.url));
    registerIpc(
      ipcMain,
      createHandlers({
        session: powershell,
        desktop: electronDesktop(() => [...windows][0]),
        pathStyle: runtime.pathStyle,
        timings: runtime.confirmWaitMs
          ? { ...DEFAULT_ESCROW_TIMINGS, confirmWaitMs: runtime.confirmWaitMs, panelWaitMs: runtime.confirmWaitMs }
          : DEFAULT_ESCROW_TIMINGS,
        progress: (update) => emit(appContents(), 'backup:progress', update),
        runtime: { simulated: runtime.simulated, scenarioName: scenarioName(runtime) },
        log,
        relaunch: { arguments: app.isPackaged ? [] : [app.getAppPath()], quit: () => app.quit() },
      }),
      windowIds,
      log,
    );
    openWindow();
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (powershell.state === 'stopped') return;
    event.preventDefault();
    void powershell
      .dispose()
      .then(() => rm(simStatePath, { force: true }))
      .then(() => log.close())
      .finally(() => app.quit());
  });
}
