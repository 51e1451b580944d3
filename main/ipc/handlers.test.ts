import { describe, expect, it } from 'vitest';
import type { PowerShellSession } from '../powershell/session';
import { scriptedModule } from '../../tests/support/scripted-module';
import { volume } from '../../tests/support/volumes';
import { createHandlers, type AppServices } from './handlers';

/** The services every test here needs, over `session`; a test overrides what it is about. */
function services(session: PowerShellSession, extra: Partial<AppServices> = {}): AppServices {
  return {
    session,
    desktop: {} as AppServices['desktop'],
    pathStyle: 'posix',
    timings: { pollIntervalMs: 10, confirmWaitMs: 10, panelWaitMs: 10 },
    progress: () => undefined,
    runtime: { simulated: true, scenarioName: null },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as AppServices['log'],
    relaunch: { arguments: [], quit: () => undefined, releaseLock: () => undefined, reacquireLock: () => undefined },
    history: { entries: () => [], record: () => undefined },
    audit: async () => true,
    ...extra,
  };
}

/** Handlers over a session whose every call waits until released: a backup stays "running" as long as needed. */
function setup(extra: Partial<AppServices> = {}) {
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
  const relaunch = { arguments: [], quit: () => void relaunched.push('quit'), releaseLock: () => void relaunched.push('release'), reacquireLock: () => undefined };
  return { handlers: createHandlers(services(session, { relaunch, ...extra })), release, restarts, relaunched };
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

  it('refuses adding or removing a recovery password until it ends', async () => {
    const { handlers, release } = setup();
    const running = handlers['backup:run'](backup as never);
    await expect(handlers['keys:add']({ mountPoint: 'C:' })).rejects.toMatchObject({ code: 'BackupInProgress' });
    await expect(handlers['keys:removeOld']({ mountPoint: 'C:', keyProtectorId: backup.keyProtectorIds[0]!, replacedBy: '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}' })).rejects.toMatchObject({
      code: 'BackupInProgress',
    });
    release();
    await running.catch(() => undefined);
  });
});

describe('after a backup', () => {
  const report = { mountPoint: 'C:', destination: 'print' as const, startedAt: '2026-03-02T09:00:00.000Z', outcomes: [] };

  it('records the report in the backup history, and a history that cannot be written does not fail the backup', async () => {
    const recorded: unknown[] = [];
    const warnings: string[] = [];
    const session = { state: 'ready', call: async () => ({ events: [] }) } as unknown as PowerShellSession;
    const log = { info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined } as unknown as AppServices['log'];
    const check = { mountPoint: 'C:', keyProtectorIds: backup.keyProtectorIds, destination: 'entra' as const, since: report.startedAt };
    const working = createHandlers(services(session, { log, history: { entries: () => [], record: (r) => void recorded.push(r) } }));
    const checked = await working['backup:check'](check);
    expect(recorded).toEqual([checked]);
    const broken = createHandlers(services(session, { log, history: { entries: () => [], record: () => { throw new Error('disk full'); } } }));
    await expect(broken['backup:check'](check)).resolves.toMatchObject({ mountPoint: 'C:' });
    expect(warnings).toEqual(['backup history not written']);
  });
});

describe('temporary key copies an earlier run left behind', () => {
  it('tells the renderer which this start deleted and which are still there', async () => {
    const leftovers = { removed: ['F:\\.k.TXT.0123456789abcdef.tmp'], remaining: ['G:\\.k.TXT.fedcba9876543210.tmp'] };
    expect(await setup({ leftovers }).handlers['app:leftoverCopies']({} as never)).toEqual(leftovers);
    expect(await setup().handlers['app:leftoverCopies']({} as never)).toEqual({ removed: [], remaining: [] });
  });
});

describe('removing a replaced key', () => {
  const OLD = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}';
  const NEW = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
  const forged = { keyProtectorId: NEW, mountPoint: 'C:', place: 'file' as const, path: 'E:\\k.TXT', at: '2026-03-02T09:00:00.000Z', outcome: 'verified' as const };

  function handlersOver(confirmed: boolean) {
    const { session, calls } = scriptedModule({
      'Get-BkbVolumes': () => ({ volumes: [volume({ keyProtectors: [{ keyProtectorId: OLD, keyProtectorType: 'RecoveryPassword' }, { keyProtectorId: NEW, keyProtectorType: 'RecoveryPassword' }] })] }),
      'Get-BkbKeyHistory': () => ({ events: [], logStartsAt: null, truncated: false }),
      'Get-BkbBackupEvents': () => ({ events: confirmed ? [{ id: 845, time: '2026-03-02T09:00:05.000Z', keyProtectorId: NEW, message: 'backed up' }] : [] }),
      'Remove-BkbRecoveryPassword': () => ({ removed: true }),
    });
    // The history file says the new key was saved and read back: whoever can write the profile could have written that.
    const handlers = createHandlers(services(session, { history: { entries: () => [forged], record: () => undefined } }));
    return { handlers, removals: () => calls.filter((c) => c.fn === 'Remove-BkbRecoveryPassword') };
  }

  it('does not take the history file as proof that the new key is backed up', async () => {
    const { handlers, removals } = handlersOver(false);
    await expect(handlers['keys:removeOld']({ mountPoint: 'C:', keyProtectorId: OLD, replacedBy: NEW })).rejects.toMatchObject({ code: 'NewKeyNotBackedUp' });
    expect(removals()).toEqual([]);
  });

  it('takes what this run saw confirmed (a "Check again" that found event 845)', async () => {
    const { handlers, removals } = handlersOver(true);
    await handlers['backup:check']({ mountPoint: 'C:', keyProtectorIds: [NEW], destination: 'entra', since: '2026-03-02T09:00:00.000Z' });
    await expect(handlers['keys:removeOld']({ mountPoint: 'C:', keyProtectorId: OLD, replacedBy: NEW })).resolves.toEqual({ removed: true });
    expect(removals()).toEqual([{ fn: 'Remove-BkbRecoveryPassword', request: { mountPoint: 'C:', keyProtectorId: OLD } }]);
  });
});
