/**
 * Chromium for the benchmark: launched as playwright.config.ts launches it, the built renderer served as the
 * browser e2e harness serves it, and an init script that timestamps inside the page what Node cannot see
 * precisely: when listVolumes' answer arrived and when the last expected drive card entered the DOM.
 *
 * The page scripts are plain JavaScript strings on purpose: tsx compiles functions with `__name(…)` helpers
 * that do not exist in the page, so serialising a TypeScript function would break.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { bridgeShape, type ChannelName, type Result } from '../preload/contract';
import { buildBridge } from '../preload/bridge';
import { readRendererFile } from '../main/protocol';
import { RENDERER_DIR } from '../e2e/harness/paths';
import { TEST_ORIGIN } from '../e2e/harness/browser-app';
import playwrightConfig from '../playwright.config';
import { check } from './common';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  const launchOptions = playwrightConfig.use?.launchOptions ?? {};
  return chromium.launch({ ...launchOptions, executablePath: launchOptions.executablePath ?? DEFAULT_CHROMIUM, headless: true });
}

/** Epoch milliseconds recorded in the page (performance.timeOrigin + performance.now()). */
export interface PageMarks {
  /** The renderer asked for the environment (its first call: the page's script has run). */
  environmentRequested?: number;
  /** getEnvironment's answer arrived. */
  environmentArrived?: number;
  /** The renderer asked for the volumes. */
  listRequested?: number;
  /** listVolumes' promise resolved in the page: the data arrived. */
  dataArrived?: number;
  /** The h1 "Back up your recovery key" and one card per expected mount point are in the DOM. */
  listShown?: number;
  /** The first animation frame after listShown (the list has been painted by then). */
  listPainted?: number;
}

/**
 * Must be added before the bridge's own init script: it catches the assignment of `window.bitlocker` (by the
 * harness or the stub) and wraps listVolumes to note when its answer arrives.
 */
export function marksScript(expectedMountPoints: readonly string[]): string {
  return `(() => {
    const expected = ${JSON.stringify(expectedMountPoints.map((mp) => `(${mp})`))};
    const marks = {};
    window.__benchMarks = marks;
    const stamp = () => performance.timeOrigin + performance.now();
    let api;
    Object.defineProperty(window, 'bitlocker', {
      configurable: true,
      enumerable: true,
      get: () => api,
      set: (real) => {
        api = Object.freeze({
          ...real,
          getEnvironment: async (request) => {
            if (marks.environmentRequested === undefined) marks.environmentRequested = stamp();
            const result = await real.getEnvironment(request);
            if (marks.environmentArrived === undefined) marks.environmentArrived = stamp();
            return result;
          },
          listVolumes: async (request) => {
            if (marks.listRequested === undefined) marks.listRequested = stamp();
            const result = await real.listVolumes(request);
            if (marks.dataArrived === undefined) marks.dataArrived = stamp();
            return result;
          },
        });
      },
    });
    const shown = () => {
      const h1 = document.querySelector('h1');
      if (!h1 || !h1.textContent.includes('Back up your recovery key')) return false;
      const cards = document.querySelectorAll('[role="group"]');
      if (cards.length < expected.length) return false;
      let text = '';
      for (const card of cards) text += card.textContent + '\\n';
      return expected.every((name) => text.includes(name));
    };
    const observer = new MutationObserver(() => {
      const t = stamp();
      if (marks.listShown !== undefined || !shown()) return;
      marks.listShown = t;
      observer.disconnect();
      requestAnimationFrame(() => { marks.listPainted = stamp(); });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

/**
 * A bridge answering at once from canned results (no main process, no PowerShell): the renderer alone.
 * Built with the same buildBridge preload uses; session events never fire.
 */
export function stubBridgeScript(results: Partial<Record<ChannelName, Result<unknown>>>): string {
  return `(() => {
    const results = ${JSON.stringify(results)};
    const buildBridge = ${buildBridge.toString()};
    window.bitlocker = buildBridge(${JSON.stringify(bridgeShape)}, async (channel) => {
      const result = results[channel];
      return result === undefined
        ? { ok: false, error: { code: 'Internal', message: 'not answered by the bench stub', hresult: null } }
        : structuredClone(result);
    }, () => () => undefined);
  })();`;
}

/** Serves the built renderer at TEST_ORIGIN exactly as the e2e harness does, and opens it. */
export async function serveAndOpenRenderer(page: Page): Promise<void> {
  await page.route(`${TEST_ORIGIN}/**`, async (route) => {
    const file = await readRendererFile(RENDERER_DIR, new URL(route.request().url()).pathname);
    await route.fulfill({ status: file.status, headers: file.headers, body: file.body ?? '' });
  });
  await page.goto(`${TEST_ORIGIN}/index.html`);
}

/** Waits until the page noted the list as shown, then for its first frame; returns the marks. */
export async function waitForList(page: Page, timeoutMs = 30_000): Promise<PageMarks> {
  try {
    await page.waitForFunction(() => (window as unknown as { __benchMarks?: PageMarks }).__benchMarks?.listPainted !== undefined, undefined, {
      timeout: timeoutMs,
    });
  } catch (error) {
    const text = await page.locator('body').innerText().catch(() => '(page unreadable)');
    throw new Error(`bench: the drive list did not appear within ${timeoutMs} ms. The page shows:\n${text.slice(0, 800)}`, { cause: error });
  }
  const marks = await page.evaluate(() => (window as unknown as { __benchMarks: PageMarks }).__benchMarks);
  // Not timed: proves the marks mean what the bench says (the card is there and visible to a user).
  const card = page.getByRole('group', { name: 'Windows (C:)' });
  check(await card.isVisible(), 'the marks say the list is shown but the card "Windows (C:)" is not visible');
  return marks;
}

export interface HeapMetrics {
  /** Chromium's JSHeapUsedSize as the page left it (garbage included), bytes. */
  usedBytes: number;
  /** The same after a forced full garbage collection, bytes. */
  usedAfterGcBytes: number;
  totalBytes: number;
}

export async function jsHeap(page: Page): Promise<HeapMetrics> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const metric = async (name: string) => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const found = metrics.find((m) => m.name === name);
      check(found, `Chromium reported no ${name} metric`);
      return found.value;
    };
    const usedBytes = await metric('JSHeapUsedSize');
    const totalBytes = await metric('JSHeapTotalSize');
    await cdp.send('HeapProfiler.collectGarbage');
    const usedAfterGcBytes = await metric('JSHeapUsedSize');
    return { usedBytes, usedAfterGcBytes, totalBytes };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
