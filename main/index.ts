import { app, dialog, ipcMain, Menu, protocol, session as electronSession, type BrowserWindow } from 'electron';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, registerIpc } from './ipc/register';
import { createHandlers } from './ipc/handlers';
import { escrowTimings } from './bitlocker/escrow';
import { electronDesktop } from './desktop/electron-desktop';
import { PowerShellSession } from './powershell/session';
import { serveRendererFile } from './protocol';
import { APP_SCHEME } from './security/origin';
import { resolveRuntime, scenarioName } from './runtime';
import { guardApp, guardSession } from './security/guards';
import { createMainWindow } from './window';
import { createAppLog } from './log/app-log';
import { buildFlavour, scrubEnvironment, startRefusal, systemWindowsFolder } from './packaged';
import { fileJournal } from './bitlocker/temp-journal';
import { fileHistory } from './bitlocker/backup-history';
import { moduleAudit } from './bitlocker/audit';
import { cliCommandIn } from './cli/grammar';
import { EXIT_CODES } from './cli/exit-codes';
import { runCli } from './cli/run';

// A packaged build takes no switches (no --inspect, --remote-debugging-port, --js-flags…), finds Windows from the
// OS, and drops NODE_POWERSHELL and every BKB_* from its environment before anything reads them (main/packaged.ts).
const windowsFolder = app.isPackaged ? systemWindowsFolder() : null;
// What the shortcut or script added: after the exe when packaged, after the app folder in development (`electron .`).
const userArgs = process.argv.slice(app.isPackaged ? 1 : 2);
// Headless mode: a command first (`status`, `ensure-escrow`, …) runs it without a window and exits (main/cli).
const headless = cliCommandIn(userArgs) !== null;
if (app.isPackaged) {
  const refusal = startRefusal({ argv: process.argv, flavour: buildFlavour(app.getAppPath()), windowsFolder });
  if (refusal) {
    // A script run as SYSTEM has no desktop to show a dialog on: it would wait for a click that never comes.
    if (headless) process.stderr.write(`${refusal}\n`);
    else dialog.showErrorBox('BitLocker Key Backup', refusal);
    process.exit(headless ? EXIT_CODES.usage.code : 1);
  }
  scrubEnvironment(process.env);
}

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
  packaged: app.isPackaged,
  windowsFolder,
});

const log = createAppLog(join(app.getPath('userData'), 'logs'));
log.info('starting', { version: app.getVersion(), simulated: runtime.simulated, scenario: scenarioName(runtime) });

// Temp copies of a key that a crash or a pulled stick left last time are removed before anything else.
const tempJournal = fileJournal(join(app.getPath('userData'), 'pending-temp-files.json'));
const leftovers = tempJournal.cleanUp();
if (leftovers.removed.length + leftovers.remaining.length > 0) log.warn('temporary key copies from an earlier run', { ...leftovers });

const windows = new Set<BrowserWindow>();
const windowIds = new Set<number>();
const appContents = () => [...windows].map((w) => w.webContents);

const powershell = new PowerShellSession({
  executable: runtime.executable,
  modulePath: runtime.modulePath,
  env: runtime.hostEnv,
  inheritEnvironment: runtime.inheritEnvironment,
  callTimeoutMs: runtime.callTimeoutMs,
  onState: (state) => {
    log.info('PowerShell session', { state });
    emit(appContents(), 'session:state', { state });
  },
});

const history = fileHistory(join(app.getPath('userData'), 'backup-history.json'), (reason) => log.warn('backup history unreadable; starting a new one', { reason }));
const timings = escrowTimings(runtime.confirmWaitMs);

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

if (headless) {
  // No single-instance lock: a script may check or back up keys while a technician has the window open. Each runs
  // its own PowerShell; backups of the same key from both are safe (escrow is idempotent, files are never replaced unasked).
  void runCli({ args: userArgs, session: powershell, history, log, audit: moduleAudit(powershell), pathStyle: runtime.pathStyle, timings, journal: tempJournal, stdout: (text) => process.stdout.write(`${text}\n`) })
    .catch(() => EXIT_CODES.internal.code)
    .then(async (code) => {
      await powershell.dispose();
      await log.close();
      app.exit(code);
    });
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  guardApp(app, (message, fields) => log.warn(message, fields));
  app.on('second-instance', () => {
    const [window] = windows;
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  // Start PowerShell at once: its slow start-up then overlaps the window load instead of following it.
  powershell.start().catch(() => undefined);

  void app.whenReady().then(() => {
    // Packaged: no application menu (its View menu opens DevTools) and devtools:// refused; window.ts turns DevTools off.
    if (app.isPackaged) Menu.setApplicationMenu(null);
    guardSession(electronSession.defaultSession, { devTools: !app.isPackaged });
    protocol.handle(APP_SCHEME, (request) => serveRendererFile(join(__dirname, '../renderer'), request.url));
    registerIpc(
      ipcMain,
      createHandlers({
        session: powershell,
        desktop: electronDesktop(() => [...windows][0]),
        pathStyle: runtime.pathStyle,
        timings,
        progress: (update) => emit(appContents(), 'backup:progress', update),
        runtime: { simulated: runtime.simulated, scenarioName: scenarioName(runtime) },
        log,
        journal: tempJournal,
        leftovers,
        audit: moduleAudit(powershell),
        history,
        relaunch: {
          arguments: app.isPackaged ? [] : [app.getAppPath()],
          quit: () => app.quit(),
          releaseLock: () => app.releaseSingleInstanceLock(),
          reacquireLock: () => void app.requestSingleInstanceLock(),
        },
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
