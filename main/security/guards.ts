import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from './origin';

/** Deny-by-default for every WebContents the app ever creates: no new windows, no leaving the app, no webviews. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
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

/** The app window's session: deny-by-default permissions, and nothing loads but the app's own files. */
export function guardSession(session: Session): void {
  denyPermissions(session);
  // Nothing remote is ever loaded; refuse any request that is not the app's own protocol.
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAppUrl(details.url) && !details.url.startsWith('devtools://') }));
}

export function guardApp(app: App): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
