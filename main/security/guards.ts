import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from './origin';

/** Records what a guard refused (the app log's warn); told the origin only, never the full URL. */
export type RefusalLog = (message: string, fields: { origin: string }) => void;

/** Scheme and host of a refused URL, bounded: enough to tell what was tried, without paths or queries. */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`.slice(0, 200);
  } catch {
    return 'an unparsable URL';
  }
}

/** Deny-by-default for every WebContents the app ever creates: no new windows, no leaving the app, no webviews. */
export function guardWebContents(contents: WebContents, onRefused: RefusalLog = () => undefined): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    onRefused('refused a navigation off the app', { origin: originOf(url) });
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    onRefused('refused a redirect off the app', { origin: originOf(url) });
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No camera, notifications, clipboard reads or any other permission; no downloads. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/**
 * The app window's session: deny-by-default permissions, and nothing loads but the app's own files. DevTools'
 * own pages (devtools://) load only when `devTools` says so: in development, never in a packaged build.
 */
export function guardSession(session: Session, { devTools = false }: { devTools?: boolean } = {}): void {
  denyPermissions(session);
  // Nothing remote is ever loaded; refuse any request that is not the app's own protocol.
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAppUrl(details.url) && !(devTools && details.url.startsWith('devtools://')) }));
}

export function guardApp(app: App, onRefused?: RefusalLog): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, onRefused));
}
