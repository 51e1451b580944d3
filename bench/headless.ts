/**
 * 6. Headless status: what an Intune detection script waits for. One `status` command line run end to end by
 * runCli (main/cli/run.ts) on a fresh session, as the exe runs it: PowerShell start and module import, the
 * environment, the volumes, one event-log query, the status rules, the report. On the simulated PC (home-pc)
 * and on the real module in pwsh over the fake Windows (home-pc, and 26 volumes of 6 protectors each with a
 * 775 and an 845 per recovery password). Windows PowerShell 5.1 and Windows' own event log are not here.
 */
import { fileHistory } from '../main/bitlocker/backup-history';
import { DEFAULT_ESCROW_TIMINGS } from '../main/bitlocker/escrow';
import { runCli } from '../main/cli/run';
import { PowerShellSession } from '../main/powershell/session';
import { FAKE_WINDOWS_HOST } from '../tests/support/hosts';
import { findPwsh } from '../tests/support/powershell';
import { MODULE_PATH, SIM_HOST, scenarioWith } from '../tests/support/scenarios';
import { check, now, type Scratch } from './common';
import { figure, type Figure } from './figures';
import { scaleScenario } from './scale-scenario';

const SECTION = '6. Headless status';
const SCALE_VOLUMES = 26;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined };

/** The scale scenario with a creation (775) and an Entra backup (845) logged for every recovery password. */
function scaleWithHistory(): unknown {
  const scenario = scaleScenario(SCALE_VOLUMES) as ReturnType<typeof scaleScenario> & { events?: unknown[] };
  const events = scenario.volumes.flatMap((v) =>
    v.keyProtectors
      .filter((p) => p.keyProtectorType === 'RecoveryPassword')
      .flatMap((p) => [
        { id: 775, time: '2026-03-01T09:00:00Z', mountPoint: v.mountPoint, protectorId: p.keyProtectorId },
        { id: 845, time: '2026-03-01T09:00:05Z', mountPoint: v.mountPoint, protectorId: p.keyProtectorId },
      ]),
  );
  return { ...scenario, computer: { ...scenario.computer, entraJoined: true, domainJoined: false, domainName: null }, events };
}

async function statusRun(executable: string, env: NodeJS.ProcessEnv, scratch: Scratch): Promise<number> {
  const session = new PowerShellSession({ executable, modulePath: MODULE_PATH, env });
  let printed = '';
  const t0 = now();
  try {
    const code = await runCli({
      args: ['status'],
      session,
      history: fileHistory(scratch.path('history.json')),
      log,
      audit: async () => true,
      pathStyle: 'posix',
      timings: DEFAULT_ESCROW_TIMINGS,
      stdout: (text) => (printed += text),
    });
    check(code <= 2, `status exited ${code}: ${printed.slice(0, 300)}`);
    return now() - t0;
  } finally {
    await session.dispose();
  }
}

export async function measureHeadless(o: { runs: number; scratch: Scratch; log: (line: string) => void }): Promise<{ figures: Figure[]; details: unknown }> {
  const home = scenarioWith('home-pc', { latencyMs: {}, faults: {} }, o.scratch.folder('headless-home'));
  const pwsh = findPwsh();
  const scale = o.scratch.writeJson('headless-scale.json', scaleWithHistory());
  const runs: { simulatedMs: number; pwshHomeMs: number | null; pwshScaleMs: number | null }[] = [];
  for (let run = 1; run <= o.runs; run++) {
    const result = {
      simulatedMs: await statusRun(SIM_HOST, { BKB_SCENARIO: home, BKB_NODE: process.execPath }, o.scratch),
      pwshHomeMs: pwsh ? await statusRun(FAKE_WINDOWS_HOST, { BKB_PWSH: pwsh, BKB_SCENARIO: home }, o.scratch) : null,
      pwshScaleMs: pwsh ? await statusRun(FAKE_WINDOWS_HOST, { BKB_PWSH: pwsh, BKB_SCENARIO: scale }, o.scratch) : null,
    };
    runs.push(result);
    o.log(
      `  run ${run}/${o.runs}: simulated PC ${result.simulatedMs.toFixed(0)} ms` +
        (pwsh ? `, real module home-pc ${result.pwshHomeMs!.toFixed(0)} ms, ${SCALE_VOLUMES} volumes ${result.pwshScaleMs!.toFixed(0)} ms` : ' (pwsh not restored: real module skipped)'),
    );
  }
  const figures = [figure(SECTION, 'headless.simulated', '`status` end to end, simulated PC (home-pc)', 'ms', runs.map((r) => r.simulatedMs))];
  if (pwsh) {
    figures.push(
      figure(SECTION, 'headless.pwshHome', '`status` end to end, real module in pwsh 7 (home-pc)', 'ms', runs.map((r) => r.pwshHomeMs!)),
      figure(SECTION, 'headless.pwshScale', `\`status\` end to end, real module, ${SCALE_VOLUMES} volumes × 6 protectors`, 'ms', runs.map((r) => r.pwshScaleMs!)),
    );
  }
  return { figures, details: { runs, scaleVolumes: SCALE_VOLUMES } };
}
