import { describe, expect, it } from 'vitest';
import type { PowerShellSession } from '../powershell/session';
import { createHandlers, type AppServices } from './handlers';

/** Handlers over a session whose every call waits until released: a backup stays "running" as long as needed. */
function setup() {
  let release: () => void = () => undefined;
  const pending = new Promise<void>((resolve) => (release = resolve));
  const restarts: string[] = [];
  const session = {
    state: 'ready',
    call: async () => {
      await pending;
      throw new Error('released');
    },
    restart: async () => void restarts.push('restart'),
  } as unknown as PowerShellSession;
  const relaunched: string[] = [];
  const services = {
    session,
    desktop: {} as AppServices['desktop'],
    pathStyle: 'posix',
    timings: { pollIntervalMs: 10, confirmWaitMs: 10, panelWaitMs: 10 },
    progress: () => undefined,
    runtime: { simulated: true, scenarioName: null },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as AppServices['log'],
    relaunch: { arguments: [], quit: () => relaunched.push('quit'), releaseLock: () => relaunched.push('release'), reacquireLock: () => undefined },
  } satisfies AppServices;
  return { handlers: createHandlers(services), release, restarts, relaunched };
}

const backup = { mountPoint: 'C:', keyProtectorIds: ['{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}'], destination: { kind: 'entra' as const } };

describe('while a backup runs', () => {
  it('refuses Retry (restarting PowerShell) and Restart as administrator, and touches neither', async () => {
    const { handlers, release, restarts, relaunched } = setup();
    const running = handlers['backup:run'](backup as never);
    await expect(handlers['session:retry']({} as never)).rejects.toMatchObject({ code: 'BackupInProgress' });
    await expect(handlers['app:restartElevated']({} as never)).rejects.toMatchObject({ code: 'BackupInProgress' });
    expect(restarts).toEqual([]);
    expect(relaunched).toEqual([]);
    release();
    await running.catch(() => undefined);
    await handlers['session:retry']({} as never);
    expect(restarts).toEqual(['restart']);
  });
});
