import { BrowserWindow, dialog, session as electronSession } from 'electron';
import type { Desktop } from '../bitlocker/desktop';
import { AppFailure } from '../errors';
import { denyPermissions } from '../security/guards';

const FILTERS = {
  text: [{ name: 'Text Files', extensions: ['txt'] }],
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
};

/**
 * The key page is loaded from memory into a hidden, script-less window in its own in-memory session, so
 * the key never touches a file other than the one the user chose.
 */
async function withKeyPage<T>(html: string, use: (window: BrowserWindow) => Promise<T>): Promise<T> {
  const session = electronSession.fromPartition('bkb-key-page', { cache: false });
  denyPermissions(session);
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
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return await use(window);
  } finally {
    window.destroy();
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
