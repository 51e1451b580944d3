import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { bridgeShape, type EventName } from '../../preload/contract';
import { buildBridge } from '../../preload/bridge';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { fileHistory } from '../../main/bitlocker/backup-history';
import { moduleAudit } from '../../main/bitlocker/audit';
import { PowerShellSession } from '../../main/powershell/session';
import { readRendererFile } from '../../main/protocol';
import { resolveRuntime, scenarioName } from '../../main/runtime';
import { DEFAULT_ESCROW_TIMINGS } from '../../main/bitlocker/escrow';
import { createAppLog } from '../../main/log/app-log';
import { RENDERER_DIR, REPO_ROOT } from './paths';
import { scriptedDesktop, type ScriptedDesktop } from './scripted-desktop';
import type { HostTier } from '../../tests/support/hosts';

/** The origin the renderer is served from in the browser project (intercepted, never resolved). */
export const TEST_ORIGIN = 'http://bitlocker.test';

export interface BrowserAppOptions {
  scenario: string;
  outputDir: string;
  hostLogPath: string;
  callTimeoutMs: number | undefined;
  /** How long to wait for escrow events; the simulated PC logs them after `eventDelayMs` (2 s). */
  confirmWaitMs: number;
  /** The PowerShell host: the simulated PC, or real pwsh with the shipped module over the fake Windows. */
  tier: HostTier;
}

export interface BrowserApp {
  session: PowerShellSession;
  /** Every answer main gave the renderer, in order (for the secret scan). */
  responses: unknown[];
  /** How often "quit after restarting elevated" was asked for. */
  quitRequests: number;
  desktop: ScriptedDesktop;
  close(): Promise<void>;
}

/** The init script: the same buildBridge preload uses, bound to the exposed binding instead of ipcRenderer. */
function bridgeScript(): string {
  return `(() => {
    const listeners = new Map();
    window.__bkbEmit = (event, payload) => (listeners.get(event) ?? []).forEach((listener) => listener(payload));
    const buildBridge = ${buildBridge.toString()};
    window.bitlocker = buildBridge(${JSON.stringify(bridgeShape)}, (channel, payload) => window.__bkbInvoke(channel, payload), (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
    });
  })();`;
}

/**
 * The app as the browser project sees it: the built renderer in Chromium, `window.bitlocker` calling the
 * real handlers in this process, which drive the real session against the simulated PC — started while the
 * page loads, as main does.
 */
export async function openBrowserApp(page: Page, options: BrowserAppOptions): Promise<BrowserApp> {
  const runtime = resolveRuntime({
    platform: 'linux',
    argv: [],
    env: { BKB_SCENARIO: options.scenario },
    appPath: REPO_ROOT,
    resourcesPath: REPO_ROOT,
    nodePath: process.execPath,
    runAsNode: false,
    simStatePath: join(options.outputDir, 'sim-state.json'),
  });
  const responses: unknown[] = [];
  const log = createAppLog(join(options.outputDir, 'logs'));
  const desktop = scriptedDesktop(page.context().browser()!);
  const emitToPage = (name: EventName, payload: unknown) =>
    page.evaluate(([event, data]) => (window as unknown as { __bkbEmit?: (e: string, p: unknown) => void }).__bkbEmit?.(event, data), [name, payload] as const).catch(() => undefined);
  let quitRequests = 0;
  const session = new PowerShellSession({
    executable: options.tier.name === 'simulated PC' ? runtime.executable : options.tier.executable,
    modulePath: runtime.modulePath,
    env: { ...runtime.hostEnv, ...options.tier.env, BKB_HOST_LOG: options.hostLogPath },
    callTimeoutMs: options.callTimeoutMs,
    onState: (state) => void emitToPage('session:state', { state }),
  });
  const handlers = createHandlers({
    session,
    desktop,
    pathStyle: runtime.pathStyle,
    timings: { ...DEFAULT_ESCROW_TIMINGS, pollIntervalMs: 250, confirmWaitMs: options.confirmWaitMs, panelWaitMs: options.confirmWaitMs },
    progress: (update) => void emitToPage('backup:progress', update),
    log,
    runtime: { simulated: true, scenarioName: scenarioName(runtime) },
    history: fileHistory(join(options.outputDir, 'backup-history.json')),
    audit: moduleAudit(session),
    relaunch: { arguments: ['/opt/bitlocker-key-backup/resources/app'], quit: () => quitRequests++, releaseLock: () => undefined, reacquireLock: () => undefined },
  });

  await page.exposeBinding('__bkbInvoke', async (_source, channel: unknown, payload: unknown) => {
    const result = await dispatch(handlers, channel, payload, log);
    responses.push(result);
    return result;
  });
  await page.addInitScript({ content: bridgeScript() });
  await page.route(`${TEST_ORIGIN}/**`, async (route) => {
    const file = await readRendererFile(RENDERER_DIR, new URL(route.request().url()).pathname);
    await route.fulfill({ status: file.status, headers: file.headers, body: file.body ?? '' });
  });
  session.start().catch(() => undefined);
  await page.goto(`${TEST_ORIGIN}/index.html`);
  return {
    session,
    responses,
    get quitRequests() {
      return quitRequests;
    },
    desktop,
    close: async () => {
      await session.dispose();
      await log.close();
    },
  };
}
