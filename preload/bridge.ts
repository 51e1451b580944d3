import { bridgeShape, type BitLockerApi } from './contract';

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds `window.bitlocker` from the contract: exactly one method per channel and one subscription per event,
 * nothing generic. Self-contained (no imports at run time besides the shape passed in) so the browser test
 * harness can install the very same function as an init script.
 */
export function buildBridge(shape: typeof bridgeShape, invoke: Invoke, subscribe: Subscribe): BitLockerApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(shape.methods)) {
    api[method] = (request: unknown) => invoke(channel, request ?? {});
  }
  for (const [method, event] of Object.entries(shape.events)) {
    api[method] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  }
  return Object.freeze(api) as BitLockerApi;
}
