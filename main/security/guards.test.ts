import { describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import type { App } from 'electron';
import { denyPermissions, guardApp, guardSession, guardWebContents } from './guards';
import { isAppUrl } from './origin';

type Listener = (event: { preventDefault(): void }, url?: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
    on: (name: string, listener: Listener) => listeners.set(name, listener),
  };
  const fire = (name: string, url?: string) => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
}

function fakeSession() {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: never) => (handlers.request = h),
    setPermissionCheckHandler: (h: never) => (handlers.check = h),
    setDevicePermissionHandler: (h: never) => (handlers.device = h),
    on: (name: string, h: never) => (handlers[name] = h),
    webRequest: { onBeforeRequest: (h: never) => (handlers.beforeRequest = h) },
  };
  return { session: session as unknown as Session, handlers };
}

describe('guardWebContents', () => {
  it('denies every new window', () => {
    const { contents, open } = fakeContents();
    guardWebContents(contents);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('app://bitlocker/index.html')).toEqual({ action: 'deny' });
  });

  it('refuses navigation and redirects away from the app, and every webview', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents);
    expect(fire('will-navigate', 'https://aka.ms/myrecoverykey')).toBe(true);
    expect(fire('will-navigate', 'file:///C:/Windows/')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'app://bitlocker/index.html')).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('records each refusal with the origin only (no path, query or credentials), and nothing it allowed', () => {
    const { contents, fire } = fakeContents();
    const refused: unknown[] = [];
    guardWebContents(contents, (message, fields) => refused.push({ message, ...fields }));
    fire('will-navigate', 'app://bitlocker/index.html#x');
    fire('will-navigate', 'https://user:pw@evil.example:8443/steal?key=000440-249799#frag');
    fire('will-redirect', 'http://evil.example/r');
    fire('will-navigate', 'not a url');
    fire('will-redirect', 'app://bitlocker/assets/index.js');
    expect(refused).toEqual([
      { message: 'refused a navigation off the app', origin: 'https://evil.example:8443' },
      { message: 'refused a redirect off the app', origin: 'http://evil.example' },
      { message: 'refused a navigation off the app', origin: 'an unparsable URL' },
    ]);
  });

  it('lets redirects within the app through', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents);
    expect(fire('will-redirect', 'app://bitlocker/index.html')).toBe(false);
  });

  it('records at most 200 characters of a refused origin', () => {
    const { contents, fire } = fakeContents();
    const origins: string[] = [];
    guardWebContents(contents, (_message, { origin }) => origins.push(origin));
    const host = `${'a'.repeat(60)}.`.repeat(6) + 'example';
    fire('will-navigate', `https://${host}/`);
    expect(origins).toEqual([`https://${host}`.slice(0, 200)]);
  });
});

describe('guardApp', () => {
  it('guards every WebContents the app creates, and reports what those guards refuse', () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const app = { on: (name: string, listener: (...args: unknown[]) => void) => listeners.set(name, listener) } as unknown as App;
    const refused: unknown[] = [];
    guardApp(app, (message, fields) => refused.push({ message, ...fields }));
    expect([...listeners.keys()]).toEqual(['web-contents-created']);
    const { contents, fire, open } = fakeContents();
    listeners.get('web-contents-created')!({}, contents);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(fire('will-navigate', 'https://example.com/x')).toBe(true);
    expect(refused).toEqual([{ message: 'refused a navigation off the app', origin: 'https://example.com' }]);
  });
});

describe('guardSession', () => {
  it('denies every permission request, check and device', () => {
    const { session, handlers } = fakeSession();
    denyPermissions(session);
    const answers: boolean[] = [];
    (handlers.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'media', (ok) => answers.push(ok));
    (handlers.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'clipboard-read', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect((handlers.check as () => boolean)()).toBe(false);
    expect((handlers.device as () => boolean)()).toBe(false);
    let prevented = false;
    (handlers['will-download'] as (e: { preventDefault(): void }) => void)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('cancels every request that is not the app’s own', () => {
    const { session, handlers } = fakeSession();
    guardSession(session, { devTools: true });
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (handlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('app://bitlocker/assets/index.js')).toBe(false);
    expect(decide('https://example.com/x.js')).toBe(true);
    expect(decide('http://localhost:5173/')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    // DevTools' own pages are allowed by scheme, not by a look-alike anywhere in the URL.
    expect(decide('devtools://devtools/bundled/devtools_app.html')).toBe(false);
    expect(decide('https://evil.example/?next=devtools://')).toBe(true);
  });

  it('refuses DevTools’ own pages unless told DevTools may open (a packaged build never is)', () => {
    for (const options of [undefined, { devTools: false }]) {
      const { session, handlers } = fakeSession();
      guardSession(session, options);
      let cancel: boolean | undefined;
      (handlers.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url: 'devtools://devtools/bundled/devtools_app.html' }, (r) => (cancel = r.cancel));
      expect(cancel).toBe(true);
    }
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://bitlocker/index.html', true],
    ['app://bitlocker', true],
    ['app://bitlocker.evil/index.html', false],
    ['app://user:pw@bitlocker/index.html', false],
    ['app://user@bitlocker/index.html', false],
    ['app://:pw@bitlocker/index.html', false],
    ['app://bitlocker:8080/', false],
    ['https://bitlocker/', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});
