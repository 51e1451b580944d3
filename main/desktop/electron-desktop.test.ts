import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Electron, faked: the key-page window records what it loads, its session what it serves. */
const fake = vi.hoisted(() => {
  const state = {
    loaded: [] as string[],
    handler: null as ((request: Request) => Response | Promise<Response>) | null,
    unhandled: [] as string[],
    served: [] as { url: string; status: number; body: string }[],
  };
  return state;
});

vi.mock('electron', () => {
  const session = {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
    on: () => undefined,
    protocol: {
      handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
        expect(scheme).toBe('https');
        fake.handler = handler;
      },
      unhandle: (scheme: string) => fake.unhandled.push(scheme),
    },
  };
  class BrowserWindow {
    webContents = {};
    async loadURL(url: string) {
      fake.loaded.push(url);
      // What Chromium would do: ask the session's handler for the page, and (for the test) a second time.
      for (const attempt of [url, url, 'https://key-page.invalid/other']) {
        const response = await fake.handler!(new Request(attempt));
        fake.served.push({ url: attempt, status: response.status, body: await response.text() });
      }
    }
    destroy() {}
  }
  return { BrowserWindow, dialog: {}, session: { fromPartition: () => session } };
});

const KEY = '000440-249799-223619-263626-375034-667139-257378-230010';

beforeEach(() => {
  fake.loaded.length = 0;
  fake.served.length = 0;
  fake.unhandled.length = 0;
  fake.handler = null;
});

describe('the print and PDF page', () => {
  it('is served from memory, once, at an address that carries no key, and the handler goes afterwards', async () => {
    const { withKeyPage } = await import('./electron-desktop');
    const html = `<p>${KEY}</p>`;
    await withKeyPage(html, async () => 'done');
    expect(fake.loaded).toHaveLength(1);
    expect(fake.loaded[0]).toMatch(/^https:\/\/key-page\.invalid\/[0-9a-f]{32}$/);
    expect(fake.loaded[0]).not.toContain('data:');
    expect(fake.loaded.join('')).not.toContain('000440');
    expect(fake.served.map((s) => s.status)).toEqual([200, 404, 404]);
    expect(fake.served[0]!.body).toBe(html);
    expect(fake.unhandled).toEqual(['https']);
  });
});
