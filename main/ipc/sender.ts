import { isAppUrl } from '../security/origin';

/** The parts of an IpcMainInvokeEvent the sender check reads; a plain shape so it is testable without Electron. */
export interface SenderEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}


/**
 * Trust a call only from one of the app's own windows, from its top frame, showing the app's own origin
 * (VS Code's rule). Anything else — an unknown WebContents, a subframe, a navigated page — is refused.
 */
export function isTrustedSender(event: SenderEvent, appWebContentsIds: ReadonlySet<number>): boolean {
  if (!appWebContentsIds.has(event.sender.id)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
