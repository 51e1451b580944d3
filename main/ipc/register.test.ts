import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { channelNames, type ChannelName } from '../../preload/contract';
import { RECOVERY, volume } from '../../tests/support/volumes';
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import type { Handlers } from './dispatch';
import { emit, registerIpc } from './register';

const APP_WINDOW = 7;
const ID = RECOVERY.keyProtectorId;

/** A valid request for every channel, so only the sender can be the reason for a refusal. */
const validRequests: Record<ChannelName, unknown> = {
  'environment:get': {},
  'volumes:list': {},
  'session:retry': {},
  'app:restartElevated': {},
  'backup:options': { mountPoint: 'C:' },
  'backup:chooseFile': { mountPoint: 'C:', keyProtectorIds: [ID], format: 'text' },
  'backup:run': { mountPoint: 'C:', keyProtectorIds: [ID], destination: { kind: 'print' } },
  'backup:check': { mountPoint: 'C:', keyProtectorIds: [ID], destination: 'entra', since: '2025-03-14T10:42:07.000Z' },
  'backup:stopWaiting': {},
  'app:leftoverCopies': {},
  'keys:status': {},
  'keys:backupMissing': {},
  'keys:add': { mountPoint: 'C:' },
  'keys:removeOld': { mountPoint: 'C:', keyProtectorId: ID, replacedBy: '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}' },
  'keys:checkSaved': {},
};

type Listener = (event: unknown, payload: unknown) => unknown;

/** Electron's ipcMain as far as registerIpc uses it: handle(channel, listener), recorded so a test can invoke. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
  };
  const invoke = (channel: string, event: unknown, payload: unknown) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(listener(event, payload));
  };
  return { ipcMain: ipcMain as unknown as IpcMain, listeners, invoke };
}

/** Every handler records its calls and answers: volumes:list with a real answer, the others with a known failure. */
function recordingHandlers() {
  const calls: ChannelName[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      vi.fn(async () => {
        calls.push(channel);
        if (channel === 'volumes:list') return { volumes: [volume({ keyProtectors: [RECOVERY] })] };
        throw new AppFailure('VolumeLocked', 'C: is locked.');
      }),
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const silentLog = (): AppLog & { warnings: unknown[] } => {
  const warnings: unknown[] = [];
  return { info: () => undefined, warn: (message, fields) => warnings.push({ message, fields }), error: () => undefined, close: async () => undefined, warnings };
};

/** An IpcMainInvokeEvent as Electron builds it: the sending WebContents and the frame that sent. */
const event = (senderId: number, url: string | null, parent: unknown = null) => ({
  sender: { id: senderId },
  senderFrame: url === null ? null : { url, parent },
});

const TOP_FRAME = event(APP_WINDOW, 'app://bitlocker/index.html');
const FORBIDDEN = { ok: false, error: { code: 'ForbiddenSender', message: 'This request did not come from BitLocker Key Backup.', hresult: null } };

function setup(ids = new Set([APP_WINDOW])) {
  const ipc = fakeIpcMain();
  const { handlers, calls } = recordingHandlers();
  const log = silentLog();
  registerIpc(ipc.ipcMain, handlers, ids, log);
  return { ...ipc, handlers, calls, log, ids };
}

const untrusted = [
  ['a subframe of the app window (even one on the app origin)', event(APP_WINDOW, 'app://bitlocker/index.html', { url: 'app://bitlocker/index.html' })],
  ['a subframe on another origin', event(APP_WINDOW, 'https://evil.example/', { url: 'app://bitlocker/index.html' })],
  ['the app window navigated to another origin', event(APP_WINDOW, 'https://evil.example/index.html')],
  ['the app window showing a file:// page', event(APP_WINDOW, 'file:///C:/index.html')],
  ['the app window on a look-alike origin', event(APP_WINDOW, 'app://bitlocker.evil/index.html')],
  ['an unknown window on the app origin', event(99, 'app://bitlocker/index.html')],
  ['a frame that is already gone', event(APP_WINDOW, null)],
] as const;

describe('registerIpc', () => {
  it('registers exactly the contract’s channels, each once', () => {
    const { listeners } = setup();
    expect([...listeners.keys()].sort()).toEqual([...channelNames].sort());
  });

  it.each(channelNames)('runs the %s handler for the app window’s top frame', async (channel) => {
    const { invoke, calls } = setup();
    const result = await invoke(channel, TOP_FRAME, validRequests[channel]);
    expect(calls).toEqual([channel]);
    if (channel === 'volumes:list') expect(result).toMatchObject({ ok: true, data: { volumes: [{ mountPoint: 'C:' }] } });
    else expect(result).toEqual({ ok: false, error: { code: 'VolumeLocked', message: 'C: is locked.', hresult: null } });
  });

  describe.each(untrusted)('refuses %s', (_name, sender) => {
    it.each(channelNames)('on %s: ForbiddenSender, and the handler never runs', async (channel) => {
      const { invoke, calls, handlers, log } = setup();
      expect(await invoke(channel, sender, validRequests[channel])).toEqual(FORBIDDEN);
      expect(calls).toEqual([]);
      expect(handlers[channel]).not.toHaveBeenCalled();
      expect(log.warnings).toEqual([{ message: 'refused a request from an untrusted sender', fields: { channel, senderId: sender.sender.id } }]);
    });
  });

  it('follows the app’s windows as they open and close (the set is read at every call, not copied)', async () => {
    const { invoke, calls, ids } = setup(new Set());
    const window = event(12, 'app://bitlocker/index.html');
    expect(await invoke('volumes:list', window, {})).toEqual(FORBIDDEN);
    ids.add(12);
    expect(await invoke('volumes:list', window, {})).toMatchObject({ ok: true });
    ids.delete(12);
    expect(await invoke('volumes:list', window, {})).toEqual(FORBIDDEN);
    expect(calls).toEqual(['volumes:list']);
  });

  it('checks the sender before the request: a bad request from a stranger is ForbiddenSender, not InvalidRequest', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('backup:run', event(99, 'https://evil.example/'), { mountPoint: '../../etc' })).toEqual(FORBIDDEN);
    expect(calls).toEqual([]);
  });
});

describe('emit', () => {
  it('pushes an event to every window still open, and skips one already destroyed', () => {
    const sent: unknown[] = [];
    const contents = (id: number, destroyed: boolean) =>
      ({ isDestroyed: () => destroyed, send: (event: string, payload: unknown) => sent.push({ id, event, payload }) }) as unknown as WebContents;
    emit([contents(1, false), contents(2, true), contents(3, false)], 'session:state', { state: 'ready' });
    expect(sent).toEqual([
      { id: 1, event: 'session:state', payload: { state: 'ready' } },
      { id: 3, event: 'session:state', payload: { state: 'ready' } },
    ]);
  });
});
