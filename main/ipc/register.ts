import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames, type EventName, type EventPayloadOf, type Result } from '../../preload/contract';
import type { AppLog } from '../log/app-log';
import { dispatch, type Handlers } from './dispatch';
import { isTrustedSender } from './sender';

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'ForbiddenSender', message: 'This request did not come from BitLocker Key Backup.', hresult: null },
};

/** Registers every contract channel through the one guarded path: sender check, then dispatch. */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, appWebContentsIds: ReadonlySet<number>, log: AppLog): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      if (isTrustedSender(event, appWebContentsIds)) return dispatch(handlers, channel, payload, log);
      log.warn('refused a request from an untrusted sender', { channel, senderId: event.sender.id });
      return FORBIDDEN;
    });
  }
}

/** Typed push from main to the app's windows. */
export function emit<E extends EventName>(targets: Iterable<WebContents>, event: E, payload: EventPayloadOf<E>): void {
  for (const contents of targets) {
    if (!contents.isDestroyed()) contents.send(event, payload);
  }
}
