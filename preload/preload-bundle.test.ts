import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { channelNames, channels, eventNames, events } from './contract';

/**
 * The preload that ships: out/preload/*.js as the build made it (the suite's global setup has just built it),
 * run the way Electron runs a sandboxed preload (a CommonJS wrapper in its own global, `require` limited), with a
 * fake `contextBridge` and `ipcRenderer`. Not the browser harness's bridge: this is the bundle itself.
 */
const PRELOAD_DIR = join(__dirname, '..', 'out', 'preload');

type Listener = (...args: unknown[]) => unknown;

function loadPreload() {
  const files = readdirSync(PRELOAD_DIR).filter((f) => f.endsWith('.js'));
  const required: string[] = [];
  const exposed: { key: string; api: unknown }[] = [];
  /** Which members of ipcRenderer the bundle touched, and how it called them. */
  const touched = new Set<string>();
  const invoked: { channel: string; payload: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcTarget = {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push({ channel, payload });
      return { ok: true, data: { answered: channel } };
    },
    on: (channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    send: () => undefined,
    sendSync: () => undefined,
    postMessage: () => undefined,
    once: () => undefined,
    removeAllListeners: () => undefined,
    sendToHost: () => undefined,
  };
  const ipcRenderer: typeof ipcTarget = new Proxy(ipcTarget, {
    get(target, property, receiver) {
      touched.add(String(property));
      return Reflect.get(target, property, receiver);
    },
  });
  const contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }),
    exposeInIsolatedWorld: () => {
      throw new Error('the preload must not expose into other worlds');
    },
  };
  const electron = { contextBridge, ipcRenderer };
  const require = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const sandbox: Record<string, unknown> = {};
  for (const file of files) {
    const module = { exports: {} };
    const code = readFileSync(join(PRELOAD_DIR, file), 'utf8');
    const wrapper = runInNewContext(`(function (exports, require, module, __filename, __dirname) {\n${code}\n})`, sandbox, { filename: file }) as (
      ...args: unknown[]
    ) => void;
    wrapper(module.exports, require, module, `/app/out/preload/${file}`, '/app/out/preload');
  }
  /** main pushing an event to the window, as webContents.send would. */
  const push = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: ipcRenderer, senderId: 0 }, payload));
  return { files, required, exposed, touched, invoked, listeners, push, sandbox };
}

const methodNames = [...channelNames.map((c) => channels[c].method), ...eventNames.map((e) => events[e].method)].sort();

describe('the built preload bundle', () => {
  it('is one file that requires only electron', () => {
    const { files, required } = loadPreload();
    expect(files).toEqual(['index.js']);
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it('exposes exactly one thing to the page: window.bitlocker', () => {
    // The preload's own globals (zod's bookkeeping) stay in its isolated world; only contextBridge reaches the page.
    const { exposed } = loadPreload();
    expect(exposed.map((e) => e.key)).toEqual(['bitlocker']);
  });

  it('window.bitlocker has exactly the contract’s methods, all functions, frozen, with no prototype tricks', () => {
    const { exposed, sandbox } = loadPreload();
    const api = exposed[0]!.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(methodNames);
    expect(Reflect.ownKeys(api).filter((k) => typeof k === 'symbol')).toEqual([]);
    for (const name of methodNames) expect(typeof api[name], name).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.getPrototypeOf(api)).toBe(runInNewContext('Object.prototype', sandbox));
    expect(() => {
      'use strict';
      (api as Record<string, unknown>).invoke = () => undefined;
    }).toThrow(TypeError);
    for (const name of ['invoke', 'send', 'on', 'ipcRenderer', 'require', 'process']) expect(api[name], name).toBeUndefined();
  });

  it.each(channelNames)('the %s method invokes exactly that channel with the request, and returns main’s answer', async (channel) => {
    const loaded = loadPreload();
    const api = loaded.exposed[0]!.api as Record<string, (request?: unknown) => Promise<unknown>>;
    const request = { mountPoint: 'C:' };
    expect(await api[channels[channel].method]!(request)).toEqual({ ok: true, data: { answered: channel } });
    expect(await api[channels[channel].method]!()).toEqual({ ok: true, data: { answered: channel } });
    expect(loaded.invoked).toEqual([
      { channel, payload: request },
      { channel, payload: {} },
    ]);
  });

  it.each(eventNames)('the %s subscription hands the listener the payload only (never the IPC event), and unsubscribes', (event) => {
    const loaded = loadPreload();
    const api = loaded.exposed[0]!.api as Record<string, (listener: Listener) => () => void>;
    const received: unknown[][] = [];
    const unsubscribe = api[events[event].method]!((...args) => received.push(args));
    expect([...loaded.listeners.keys()]).toEqual([event]);
    loaded.push(event, { state: 'ready' });
    expect(received).toEqual([[{ state: 'ready' }]]);
    unsubscribe();
    expect(loaded.listeners.get(event)?.size).toBe(0);
    loaded.push(event, { state: 'failed' });
    expect(received).toHaveLength(1);
  });

  it('uses only invoke, on and removeListener of ipcRenderer', async () => {
    const loaded = loadPreload();
    const api = loaded.exposed[0]!.api as Record<string, (arg?: unknown) => unknown>;
    for (const c of channelNames) await api[channels[c].method]!({});
    for (const e of eventNames) (api[events[e].method]!(() => undefined) as () => void)();
    expect([...loaded.touched].sort()).toEqual(['invoke', 'on', 'removeListener']);
  });
});
