import type { BitLockerApi } from '../preload/contract';

declare global {
  interface Window {
    /** Installed by preload (or by a test); the renderer's only way to reach the PC. */
    bitlocker: BitLockerApi;
  }
}

/** The typed bridge. Read at call time, so tests can install a fake on `window.bitlocker` before acting. */
export function bridge(): BitLockerApi {
  return window.bitlocker;
}
