import { randomBytes } from 'node:crypto';
import { BrowserWindow, dialog, session as electronSession } from 'electron';
import type { Desktop } from '../bitlocker/desktop';
import { AppFailure } from '../errors';
import { denyPermissions } from '../security/guards';

const FILTERS = {
  text: [{ name: 'Text Files', extensions: ['txt'] }],
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
};

/** Where the key page is served from: a name that never resolves, answered only by the handler below. */
const KEY_PAGE_ORIGIN = 'https://key-page.invalid';

/**
 * The key page is served from memory into a hidden, script-less window in its own in-memory session, so the
 * key never touches a file other than the one the user chose. It is not a `data:` URL: that would put the
 * whole page, key included, in the window's URL, where the debugger's target list and crash reports see it.
 * The page's address carries only a random token, and answers once.
 */
export async function withKeyPage<T>(html: string, use: (window: BrowserWindow) => Promise<T>): Promise<T> {
  const session = electronSession.fromPartition('bkb-key-page', { cache: false });
  denyPermissions(session);
  const token = randomBytes(16).toString('hex');
  let served = false;
  // Every https request of this session ends here: the page itself once, anything else refused.
  session.protocol.handle('https', (request) => {
    if (served || request.url !== `${KEY_PAGE_ORIGIN}/${token}`) return new Response(null, { status: 404 });
    served = true;
    return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
  });
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      disableBlinkFeatures: 'Auxclick',
      session,
    },
  });
  try {
    await window.loadURL(`${KEY_PAGE_ORIGIN}/${token}`);
    return await use(window);
  } finally {
    window.destroy();
    session.protocol.unhandle('https');
  }
}

export function electronDesktop(parent: () => BrowserWindow | undefined): Desktop {
  return {
    async chooseSavePath({ defaultName, format }) {
      const owner = parent();
      const options = { defaultPath: defaultName, filters: FILTERS[format], properties: ['showOverwriteConfirmation' as const] };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder() {
      const owner = parent();
      const options = { properties: ['openDirectory' as const] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    renderPdf: (html) => withKeyPage(html, async (window) => Buffer.from(await window.webContents.printToPDF({ pageSize: 'A4', printBackground: false }))),
    print: (html) =>
      withKeyPage(
        html,
        (window) =>
          new Promise((resolve, reject) => {
            window.webContents.print({ silent: false, printBackground: false }, (success, failureReason) => {
              if (success) resolve('printed');
              else if (/cancel/i.test(failureReason)) resolve('cancelled');
              else reject(new AppFailure('PrintFailed', `Printing failed: ${failureReason}`));
            });
          }),
      ),
  };
}
