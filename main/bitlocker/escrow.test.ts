import { describe, expect, it } from 'vitest';
import type { ModuleData } from '../powershell/module-api';
import type { PowerShellSession } from '../powershell/session';
import { checkConfirmation, escrowViaPanel } from './escrow';

const MINE = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const OTHER = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';
type Logged = ModuleData<'Get-BkbBackupEvents'>['events'][number];

/** A session whose event log answers with these events, recording what it was asked. */
function logWith(events: Logged[]) {
  const asked: unknown[] = [];
  const session = {
    call: async (fn: string, request: unknown) => {
      expect(fn).toBe('Get-BkbBackupEvents');
      asked.push(request);
      return { events };
    },
  } as unknown as PowerShellSession;
  return { session, asked };
}

const at = (id: number, keyProtectorId: string | null, time = '2026-11-29T10:00:05.000Z'): Logged => ({ id, time, keyProtectorId, message: `event ${id}` });
const since = '2026-11-29T10:00:00.000Z';

describe('escrow confirmation rules', () => {
  it('asks the log for this volume and protector from the backup’s start', async () => {
    const { session, asked } = logWith([]);
    await checkConfirmation(session, { kind: 'entra', mountPoint: 'C:', since }, [MINE]);
    expect(asked).toEqual([{ mountPoint: 'C:', keyProtectorId: MINE, since, ids: [845, 846, 847] }]);
  });

  it('confirms only on a success event that names this protector', async () => {
    const { session } = logWith([at(845, MINE)]);
    expect((await checkConfirmation(session, { kind: 'entra', mountPoint: 'C:', since }, [MINE]))[0]).toMatchObject({ status: 'confirmed', event: { id: 845 } });
  });

  it.each([
    ['another protector', OTHER],
    ['no protector at all', null],
  ])('never counts an 845 for %s as confirmation', async (_name, id) => {
    const { session } = logWith([at(845, id)]);
    expect((await checkConfirmation(session, { kind: 'entra', mountPoint: 'C:', since }, [MINE]))[0]).toMatchObject({ status: 'sentNotConfirmed', event: null });
  });

  it.each([829, 831])('reports a Microsoft-account failure %i that names no protector as a refusal, not "not yet confirmed"', async (id) => {
    const { session } = logWith([at(id, null)]);
    expect((await checkConfirmation(session, { kind: 'microsoftAccount', mountPoint: 'C:', since }, [MINE]))[0]).toMatchObject({
      status: 'failed',
      event: { id },
      error: { code: 'BackupRejected' },
    });
  });

  it('reports an Entra service error 847 without a protector as a refusal', async () => {
    const { session } = logWith([at(847, null)]);
    expect((await checkConfirmation(session, { kind: 'entra', mountPoint: 'C:', since }, [MINE]))[0]?.status).toBe('failed');
  });

  it('counts 830 (already in the Microsoft account) as success', async () => {
    const { session } = logWith([at(830, MINE)]);
    expect((await checkConfirmation(session, { kind: 'microsoftAccount', mountPoint: 'C:', since }, [MINE]))[0]).toMatchObject({ status: 'alreadyPresent', event: { id: 830 } });
  });

  it('lets the latest relevant event decide: a later success after a failure is a success', async () => {
    const { session } = logWith([at(829, null, '2026-11-29T10:00:02.000Z'), at(828, MINE, '2026-11-29T10:00:09.000Z'), at(829, OTHER, '2026-11-29T10:00:10.000Z')]);
    expect((await checkConfirmation(session, { kind: 'microsoftAccount', mountPoint: 'C:', since }, [MINE]))[0]).toMatchObject({ status: 'confirmed', event: { id: 828 } });
  });
});

describe('Stop waiting', () => {
  /** A session whose Open-BkbBitLockerPanel opens the panel and whose event log has nothing (the user did nothing). */
  function panelSession(events: Logged[] = []) {
    const calls: string[] = [];
    const session = {
      call: async (fn: string) => {
        calls.push(fn);
        return fn === 'Open-BkbBitLockerPanel' ? { opened: true, page: 'bitLockerPanel' } : { events };
      },
    } as unknown as PowerShellSession;
    return { session, calls };
  }
  const timings = { pollIntervalMs: 10_000, confirmWaitMs: 15_000, panelWaitMs: 180_000 };

  it('ends the wait for the Microsoft account at once, asking the log once more, and reports "not confirmed"', async () => {
    const { session, calls } = panelSession();
    const stop = new AbortController();
    const stages: string[] = [];
    const started = Date.now();
    const outcomes = escrowViaPanel(
      { session, timings, signal: stop.signal, progress: ({ stage }) => stages.push(stage) },
      'C:',
      [MINE],
    );
    // Waiting (a 10 s poll interval, a 3 minute limit) until the user stops it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    expect(await outcomes).toEqual([{ keyProtectorId: MINE, status: 'sentNotConfirmed', path: null, event: null, error: null }]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(calls).toEqual(['Open-BkbBitLockerPanel', 'Get-BkbBackupEvents', 'Get-BkbBackupEvents']);
    expect(stages).toEqual(['openingPanel', 'confirming']);
  });

  it('still reports what the log says when the wait is stopped', async () => {
    const { session } = panelSession([at(828, MINE)]);
    const stop = new AbortController();
    stop.abort();
    const [outcome] = await escrowViaPanel({ session, timings, signal: stop.signal, progress: () => undefined }, 'C:', [MINE]);
    expect(outcome).toMatchObject({ status: 'confirmed', event: { id: 828 } });
  });
});
