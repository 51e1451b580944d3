import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { options: Record<string, unknown>; url?: string }[] = [];

// Electron's binary is not needed to see what the window is created with.
const electronApp = vi.hoisted(() => ({ isPackaged: false }));

vi.mock('electron', () => ({
  app: electronApp,
  nativeTheme: { shouldUseDarkColors: false },
  BrowserWindow: class {
    private readonly record: { options: Record<string, unknown>; url?: string };
    constructor(options: Record<string, unknown>) {
      this.record = { options };
      created.push(this.record);
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      this.record.url = url;
    }
  },
}));

describe('createMainWindow', () => {
  beforeEach(() => {
    created.length = 0;
    electronApp.isPackaged = false;
  });

  it('creates the window with exactly the hardened webPreferences and loads the app origin', async () => {
    const { createMainWindow } = await import('./window');
    createMainWindow('/app/out/preload/index.js');
    expect(created).toHaveLength(1);
    expect(created[0]!.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: true,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(created[0]!.url).toBe('app://bitlocker/index.html');
  });

  it('has no DevTools in a packaged build', async () => {
    electronApp.isPackaged = true;
    const { createMainWindow } = await import('./window');
    createMainWindow('/app/out/preload/index.js');
    expect((created[0]!.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
  });
});
