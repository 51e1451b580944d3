import { vi } from 'vitest';
import type { AppErrorT, BitLockerApi, EnvironmentT, Result, SessionStateT, VolumeT } from '../../preload/contract';
import { environment as defaultEnvironment, volume } from './fixtures';

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(code: AppErrorT['code'], message = 'It failed.', hresult: string | null = null): Result<never> {
  return { ok: false, error: { code, message, hresult } };
}

type Listener = Parameters<BitLockerApi['onSessionState']>[0];

/**
 * Installs a `window.bitlocker` whose methods are spies answering a healthy PC by default; override one
 * call with `fake.listVolumes.mockResolvedValueOnce(fail('HostCrashed'))`. `emitSession` plays main's events.
 */
export function installFakeBridge(pc: { environment?: EnvironmentT; volumes?: VolumeT[] } = {}) {
  const listeners = new Set<Listener>();
  const fake = {
    getEnvironment: vi.fn<BitLockerApi['getEnvironment']>(async () => ok(pc.environment ?? defaultEnvironment())),
    listVolumes: vi.fn<BitLockerApi['listVolumes']>(async () => ok({ volumes: pc.volumes ?? [volume()] })),
    retrySession: vi.fn<BitLockerApi['retrySession']>(async () => ok({ state: 'ready' })),
    restartElevated: vi.fn<BitLockerApi['restartElevated']>(async () => ok({ restarting: true })),
    onSessionState: vi.fn<BitLockerApi['onSessionState']>((listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emitSession(state: SessionStateT) {
      for (const listener of listeners) listener({ state });
    },
  };
  window.bitlocker = fake;
  return fake;
}
