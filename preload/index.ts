import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridge } from './bridge';
import { bridgeShape } from './contract';

// The one place that touches ipcRenderer. The renderer sees only window.bitlocker, never ipcRenderer itself.
contextBridge.exposeInMainWorld(
  'bitlocker',
  buildBridge(
    bridgeShape,
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    (event, listener) => {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(event, wrapped);
      return () => ipcRenderer.removeListener(event, wrapped);
    },
  ),
);
