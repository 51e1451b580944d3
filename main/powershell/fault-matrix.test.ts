import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MODULE_PATH, scenarioWith, SIM_HOST } from '../../tests/support/scenarios';
import { AppFailure } from '../errors';
import { moduleFunctionNames, moduleFunctions, type ModuleFunctionName, type ModuleRequest } from './module-api';
import { PowerShellSession } from './session';

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';

/** A well-formed request for every module function the app calls (docs/fault-matrix.md). */
const requests: { [F in ModuleFunctionName]: ModuleRequest<F> } = {
  'Get-BkbEnvironment': {},
  'Get-BkbVolumes': {},
  'Get-BkbRecoveryPassword': { mountPoint: 'C:', keyProtectorId: HOME_C },
  'Get-BkbPathInfo': { path: '/tmp/key.txt' },
  'Get-BkbVolumeRoot': { mountPoint: 'F:' },
  'Backup-BkbToEntra': { mountPoint: 'C:', keyProtectorId: HOME_C },
  'Backup-BkbToActiveDirectory': { mountPoint: 'C:', keyProtectorId: HOME_C },
  'Get-BkbBackupEvents': { mountPoint: 'C:', keyProtectorId: HOME_C, since: '2026-01-01T00:00:00Z', ids: [845] },
  'Get-BkbKeyHistory': { ids: [775, 776, 845] },
  'Add-BkbRecoveryPassword': { mountPoint: 'D:' },
  'Remove-BkbRecoveryPassword': { mountPoint: 'C:', keyProtectorId: HOME_C },
  'Open-BkbBitLockerPanel': { mountPoint: 'C:' },
  'Start-BkbElevated': { arguments: [] },
  'Write-BkbAuditEvent': { action: 'backup', outcome: 'succeeded', mountPoint: 'C:', keyProtectorIds: [HOME_C], destination: 'entra' },
  'Get-BkbAuditEvents': { since: '2026-01-01T00:00:00Z' },
};

/** Host faults and the error code each must become (see the scenario format's `faults`). */
const faults = [
  { name: 'crashes mid-call', fault: { crash: true }, code: 'HostCrashed' },
  { name: 'exits with code 0 mid-call', fault: { exit0: true }, code: 'HostCrashed' },
  { name: 'hangs', fault: { hangMs: 30_000 }, code: 'Timeout' },
  { name: 'writes garbage', fault: { garbage: 'WARNING: profile loaded' }, code: 'GarbledOutput' },
  { name: 'writes half a JSON document', fault: { halfJson: true }, code: 'GarbledOutput' },
  { name: 'writes to stderr', fault: { stderr: 'The WinRM client cannot process the request.' }, code: 'HostError' },
  { name: 'fails in the cmdlet', fault: { error: 'Unexpected failure', hresult: '0x80004005' }, code: 'CmdletFailed' },
] as const;

/** Codes that mean the session itself failed, as opposed to an answer from the module. */
const SESSION_FAILURES = new Set(['HostCrashed', 'Timeout', 'GarbledOutput', 'HostError', 'SessionStartFailed', 'PowerShellUnavailable']);

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

function sessionWith(fn: ModuleFunctionName, fault: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-matrix-'));
  const scenario = scenarioWith('home-pc', { faults: { [fn]: { failTimes: 1, ...fault } } }, dir);
  const session = new PowerShellSession({
    executable: SIM_HOST,
    modulePath: MODULE_PATH,
    env: { BKB_SCENARIO: scenario, BKB_SIM_STATE: join(dir, 'state.json') },
    // Short enough to keep 10 hang cases quick, long enough for a loaded 2-core CI machine.
    callTimeoutMs: 1_500,
  });
  sessions.push(session);
  return session;
}

/** The next call's outcome: data, or a module error code; never a session failure. */
async function settle(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof AppFailure ? error.code : 'not an AppFailure';
  }
}

describe.each(moduleFunctionNames)('%s', (fn) => {
  // A call without a timeout (the UAC prompt waits for the user) has no "hang" to detect: it is tested below.
  const applicable = moduleFunctions[fn].timeoutMs === null ? faults.filter((f) => f.code !== 'Timeout') : faults;
  it.each(applicable)('when the host $name: fails with $code, then the session recovers for the next call', async ({ fault, code }) => {
    const session = sessionWith(fn, fault);
    const call = () => session.call(fn, requests[fn] as never);
    await expect(call()).rejects.toMatchObject({ code });
    const next = await settle(call());
    expect(SESSION_FAILURES.has(next), `next call ended with ${next}`).toBe(false);
  });
});

describe('Start-BkbElevated', () => {
  it('is never timed out: UAC waits for the user, and a late "Yes" must still count', async () => {
    const session = sessionWith('Start-BkbElevated', { hangMs: 3_000 });
    // The session's per-call timeout (1.5 s) does not apply: the answer after 3 s arrives.
    await expect(session.call('Start-BkbElevated', { arguments: [] })).resolves.toEqual({ started: true });
  });
});
