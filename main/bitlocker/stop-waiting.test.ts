import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MODULE_PATH, scenarioWith, SIM_HOST } from '../../tests/support/scenarios';
import { PowerShellSession } from '../powershell/session';
import { createBackupRunner } from './backup';

/** "Stop waiting" on the runner, over the simulated PC: the user did nothing in Windows' BitLocker panel. */

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

function runner() {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-stop-'));
  const session = new PowerShellSession({
    executable: SIM_HOST,
    modulePath: MODULE_PATH,
    env: { BKB_SCENARIO: scenarioWith('home-pc', { eventDelayMs: 0, microsoftAccount: { userCompletes: false } }, dir), BKB_SIM_STATE: join(dir, 'state.json') },
  });
  sessions.push(session);
  const stages: string[] = [];
  const backups = createBackupRunner({
    session,
    desktop: { chooseSavePath: async () => null, chooseFolder: async () => null, renderPdf: async () => Buffer.alloc(0), print: async () => 'printed' },
    pathStyle: 'posix',
    timings: { pollIntervalMs: 50, confirmWaitMs: 60_000, panelWaitMs: 60_000 },
    progress: (p) => stages.push(p.stage),
  });
  return { backups, stages };
}

describe('Stop waiting', () => {
  it('is refused when no backup runs', () => {
    expect(runner().backups.stopWaiting()).toBe(false);
  });

  it('ends the Microsoft account wait at once with "not confirmed", and the next backup may start', async () => {
    const { backups, stages } = runner();
    const started = Date.now();
    const run = backups.run({ mountPoint: 'C:', keyProtectorIds: [HOME_C], destination: { kind: 'microsoftAccount' } });
    await expect.poll(() => stages.includes('confirming'), { timeout: 20_000 }).toBe(true);
    expect(backups.stopWaiting()).toBe(true);
    const report = await run;
    expect(report.outcomes).toEqual([{ keyProtectorId: HOME_C, status: 'sentNotConfirmed', path: null, event: null, error: null }]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(backups.stopWaiting()).toBe(false);
    const next = await backups.run({ mountPoint: 'C:', keyProtectorIds: [HOME_C], destination: { kind: 'print' } });
    expect(next.outcomes[0]?.status).toBe('printed');
  }, 60_000);
});
