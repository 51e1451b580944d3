import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionStateT } from '../../preload/contract';
import { HOST_TIERS, SIMULATED, type HostTier } from '../../tests/support/hosts';
import { MODULE_PATH, scenarioWith, shippedScenario } from '../../tests/support/scenarios';
import { PowerShellSession, type SessionOptions } from './session';
import { STARTUP_COMMAND } from './startup';

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

function open(scenario: string, options: Partial<SessionOptions> = {}, tier: HostTier = SIMULATED) {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-session-'));
  const hostLog = join(dir, 'host.log');
  const states: SessionStateT[] = [];
  const session = new PowerShellSession({
    executable: tier.executable,
    modulePath: MODULE_PATH,
    env: { ...tier.env, BKB_SCENARIO: scenario, BKB_HOST_LOG: hostLog, BKB_SIM_STATE: join(dir, 'state.json') },
    onState: (s) => states.push(s),
    ...options,
  });
  sessions.push(session);
  return { session, states, hostLog: () => readFileSync(hostLog, 'utf8').split('\n').filter(Boolean) };
}

const faulty = (fault: Record<string, unknown>) => scenarioWith('home-pc', { faults: { 'Get-BkbVolumes': { failTimes: 1, ...fault } } });

/** Host faults each tier can act out: output faults (garbage, half a document) only the Node host can fake. */
const HOST_FAULTS = [
  ['a crash mid-call', { crash: true }, 'HostCrashed', true],
  ['an exit with code 0 mid-call', { exit0: true }, 'HostCrashed', true],
  ['stderr text', { stderr: 'Get-BitLockerVolume : Access denied' }, 'HostError', true],
  ['garbage instead of JSON', { garbage: 'WARNING: something odd' }, 'GarbledOutput', false],
  ['half a JSON document', { halfJson: true }, 'GarbledOutput', false],
] as const;

describe.each(HOST_TIERS)('PowerShellSession against the $name', (tier) => {
  const openOn = (scenario: string, options: Partial<SessionOptions> = {}) => open(scenario, options, tier);
  if (tier.skip) {
    it.skip(`needs ${tier.name}: ${tier.skip}`, () => undefined);
    return;
  }

  it('starts, imports the module once and answers module calls', async () => {
    const { session, states, hostLog } = openOn(shippedScenario('home-pc'));
    const { volumes } = await session.call('Get-BkbVolumes', {});
    expect(volumes.map((v) => v.mountPoint)).toEqual(['C:', 'D:', 'E:', 'F:']);
    await session.call('Get-BkbEnvironment', {});
    expect(states).toEqual(['starting', 'ready']);
    expect(hostLog().filter((line) => line === STARTUP_COMMAND)).toHaveLength(1);
  });

  it('sends only delimiters, the start-up line and fixed calls with base64 data, whatever the data holds', async () => {
    const { session, hostLog } = openOn(shippedScenario('hostile-strings'));
    const env = await session.call('Get-BkbEnvironment', {});
    const { volumes } = await session.call('Get-BkbVolumes', {});
    await session.call('Get-BkbPathInfo', { path: "C:\\$(Remove-Item C:\\ -Recurse)'; exit `\"|x" }).catch(() => undefined);
    expect(env.computerName).toContain('$(');
    expect(volumes.some((v) => v.label?.includes('Données-数据'))).toBe(true);
    for (const line of hostLog()) {
      expect(line).toMatch(/^(\[Console\]::(Out|Error)\.WriteLine\("[0-9A-Za-z]{16}"\)|[A-Z][a-z]+-Bkb[A-Za-z]+ -Request '[A-Za-z0-9+/]*={0,2}'|.*Import-Module -Name \$env:BKB_MODULE_PATH.*)$/);
    }
    expect(hostLog()).toContain(STARTUP_COMMAND);
  });

  it('reports the module error code and HRESULT', async () => {
    const { session } = openOn(shippedScenario('unelevated'));
    await expect(session.call('Get-BkbVolumes', {})).rejects.toMatchObject({ code: 'NotElevated', hresult: '0x80041003' });
  });

  it('puts plain words in place of "Exception from HRESULT" for BitLocker’s codes, keeping the code', async () => {
    const { session } = openOn(
      scenarioWith('home-pc', { faults: { 'Get-BkbRecoveryPassword': { error: 'Exception from HRESULT: 0x80310000', hresult: '0x80310000' } } }),
    );
    await expect(session.call('Get-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}' })).rejects.toMatchObject({
      code: 'CmdletFailed',
      hresult: '0x80310000',
      message: 'The drive is locked. Unlock it in File Explorer, then try again.',
    });
  });

  it.each(HOST_FAULTS.filter(([, , , onEveryTier]) => onEveryTier || tier === SIMULATED))(
    'fails the call on %s with its own code, restarts, and the next call works',
    async (_name, fault, code) => {
      const { session, states } = openOn(faulty(fault));
      await expect(session.call('Get-BkbVolumes', {})).rejects.toMatchObject({ code });
      const { volumes } = await session.call('Get-BkbVolumes', {});
      expect(volumes).toHaveLength(4);
      expect(states).toContain('restarting');
      expect(states.at(-1)).toBe('ready');
    },
  );

  it('times a hung call out, restarts, and the next call works', async () => {
    const { session } = openOn(faulty({ hangMs: 30_000 }), { callTimeoutMs: 3_000 });
    await expect(session.call('Get-BkbVolumes', {})).rejects.toMatchObject({ code: 'Timeout' });
    expect((await session.call('Get-BkbVolumes', {})).volumes).toHaveLength(4);
  });

  it.each([
    ['Constrained Language Mode (WDAC or AppLocker)', { languageMode: 'ConstrainedLanguage' }, 'ConstrainedLanguage', /ConstrainedLanguage mode/],
    ['an AllSigned execution policy set by Group Policy', { machinePolicy: 'AllSigned' }, 'ExecutionPolicyBlocked', /computer to AllSigned/],
    ['a RemoteSigned policy for the user', { userPolicy: 'RemoteSigned' }, 'ExecutionPolicyBlocked', /user to RemoteSigned/],
  ])('names %s when it keeps the module from loading', async (_name, computer, code, message) => {
    const home = JSON.parse(readFileSync(shippedScenario('home-pc'), 'utf8')) as { computer: object };
    const { session, states } = openOn(scenarioWith('home-pc', { computer: { ...home.computer, ...computer } }));
    await expect(session.start()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(states.at(-1)).toBe('failed');
  });

  it('refuses a request that breaks the module API before it reaches PowerShell', async () => {
    const { session, hostLog } = openOn(shippedScenario('home-pc'));
    await expect(session.call('Get-BkbRecoveryPassword', { mountPoint: 'C:; Remove-Item', keyProtectorId: '{x}' } as never)).rejects.toMatchObject({ code: 'InvalidArgument' });
    await session.start();
    expect(hostLog().some((line) => line.includes('Get-BkbRecoveryPassword'))).toBe(false);
  });

  it('restarts on demand and stops on dispose', async () => {
    const { session, states } = openOn(shippedScenario('home-pc'));
    await session.start();
    await session.restart();
    expect(session.state).toBe('ready');
    await session.dispose();
    expect(states).toEqual(['starting', 'ready', 'restarting', 'ready', 'stopped']);
  });
});

/** Start-up faults and a missing host: the session's own behaviour, shown on the Node host, which can stage them. */
describe('PowerShellSession start-up, on the simulated PC', () => {
  it('waits out a slow start-up without timing out early', async () => {
    const { session } = open(scenarioWith('home-pc', { latencyMs: { startup: 1_500 } }), { callTimeoutMs: 800 });
    expect((await session.call('Get-BkbVolumes', {})).volumes).toHaveLength(4);
  });

  it('reports a start-up that fails, and starts afresh on the next call', async () => {
    const { session, states } = open(scenarioWith('home-pc', { faults: { startup: { crash: true, failTimes: 1 } } }));
    await expect(session.start()).rejects.toMatchObject({ code: 'SessionStartFailed' });
    expect(states).toContain('failed');
    expect((await session.call('Get-BkbVolumes', {})).volumes).toHaveLength(4);
  });

  it('reports a start-up that is too slow', async () => {
    const { session } = open(scenarioWith('home-pc', { latencyMs: { startup: 5_000 } }), { startupTimeoutMs: 300 });
    await expect(session.start()).rejects.toMatchObject({ code: 'Timeout' });
  });

  it('kills a host that floods its output, fails that call as garbled, and the next call works', async () => {
    const { session, states } = open(faulty({ garbage: 'x'.repeat(3 * 1024 * 1024) }));
    await expect(session.call('Get-BkbVolumes', {})).rejects.toMatchObject({ code: 'GarbledOutput', message: expect.stringContaining('far more output') });
    expect(states).toContain('restarting');
    expect((await session.call('Get-BkbVolumes', {})).volumes).toHaveLength(4);
  });

  it('reports PowerShell missing', async () => {
    const { session } = open(shippedScenario('home-pc'), { executable: '/nonexistent/powershell.exe' });
    await expect(session.start()).rejects.toMatchObject({ code: 'PowerShellUnavailable' });
  });

  it('reports a scenario the host cannot load as a failed start', async () => {
    const { session } = open('/nonexistent/scenario.json');
    await expect(session.start()).rejects.toMatchObject({ code: 'SessionStartFailed' });
  });

});
