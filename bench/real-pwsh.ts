/**
 * 5. Real PowerShell 7: the shipped BitLockerKeyBackup.psm1 in the project's own pwsh (7.6.9, restored from
 * NuGet), measured, not estimated. Volumes come from the fake Windows (tests/fake-windows), which answers the
 * module's CIM calls from a scenario file; its own cost is part of every figure here, as Windows' WMI is on
 * a real PC. Windows PowerShell 5.1 is not on this machine: its start-up stays the estimate of section 1.
 *
 * Per run, back to back:
 * - start: a plain pwsh (no fake) started and the module imported, i.e. the session's `start()`;
 * - per call: Get-BkbVolumes through one started session, on home-pc (4 volumes) and on 26 lettered volumes
 *   of 6 protectors each, median over `overheadCalls` calls after a warm-up;
 * - reuse: `calls` Get-BkbVolumes through one session incl. its start, against `calls` one-shot runs, each a
 *   fresh pwsh that starts, imports, answers once and exits (what `pwsh -Command …` per call costs).
 */
import { findPwsh } from '../tests/support/powershell';
import { FAKE_WINDOWS_HOST } from '../tests/support/hosts';
import { MODULE_PATH, scenarioWith } from '../tests/support/scenarios';
import { PowerShellSession } from '../main/powershell/session';
import { check, now, type Scratch } from './common';
import { figure, type Figure } from './figures';
import { scaleScenario } from './scale-scenario';
import { median } from './stats';

export interface RealPwshOptions {
  runs: number;
  calls: number;
  overheadCalls: number;
  scratch: Scratch;
  log: (line: string) => void;
}

const SECTION = '5. Real PowerShell 7';
const WARM_UP_CALLS = 5;
const SCALE_VOLUMES = 26;

function session(executable: string, pwsh: string, scenario: string | null): PowerShellSession {
  return new PowerShellSession({
    executable,
    modulePath: MODULE_PATH,
    // .NET writes terminal-mode escapes to stdout when TERM names a terminal (the fake's launcher sets it too).
    env: scenario ? { BKB_PWSH: pwsh, BKB_SCENARIO: scenario } : { TERM: 'dumb' },
  });
}

async function list(s: PowerShellSession, volumes: number): Promise<void> {
  const answer = await s.call('Get-BkbVolumes', {});
  check(answer.volumes.length === volumes, `the real module listed ${answer.volumes.length} volumes, expected ${volumes}`);
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const t0 = now();
  await work();
  return now() - t0;
}

/** Plain pwsh: process start + the session's start-up line, which imports the module. */
async function startOnly(pwsh: string): Promise<number> {
  const s = session(pwsh, pwsh, null);
  try {
    return await timed(() => s.start());
  } finally {
    await s.dispose();
  }
}

async function perCall(pwsh: string, scenario: string, volumes: number, calls: number): Promise<number> {
  const s = session(FAKE_WINDOWS_HOST, pwsh, scenario);
  try {
    await s.start();
    for (let i = 0; i < WARM_UP_CALLS; i++) await list(s, volumes);
    const times: number[] = [];
    for (let i = 0; i < calls; i++) times.push(await timed(() => list(s, volumes)));
    return median(times);
  } finally {
    await s.dispose();
  }
}

async function reuse(pwsh: string, scenario: string, calls: number): Promise<number> {
  const s = session(FAKE_WINDOWS_HOST, pwsh, scenario);
  try {
    return await timed(async () => {
      await s.start();
      for (let i = 0; i < calls; i++) await list(s, 4);
    });
  } finally {
    await s.dispose();
  }
}

async function oneShot(pwsh: string, scenario: string, calls: number): Promise<number> {
  return timed(async () => {
    for (let i = 0; i < calls; i++) {
      const s = session(FAKE_WINDOWS_HOST, pwsh, scenario);
      try {
        await list(s, 4);
      } finally {
        await s.dispose();
      }
    }
  });
}

export async function measureRealPwsh(o: RealPwshOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const pwsh = findPwsh();
  if (!pwsh) {
    o.log('  skipped: pwsh is not restored (npm run setup:powershell)');
    return { figures: [], details: { skipped: 'pwsh not restored' } };
  }
  const home = scenarioWith('home-pc', { latencyMs: {}, faults: {} }, o.scratch.folder('home'));
  const scale = o.scratch.writeJson('scale.json', scaleScenario(SCALE_VOLUMES));
  const runs: { startMs: number; perCallHomeMs: number; perCallScaleMs: number; reuseMs: number; oneShotMs: number }[] = [];
  for (let run = 1; run <= o.runs; run++) {
    const result = {
      startMs: await startOnly(pwsh),
      perCallHomeMs: await perCall(pwsh, home, 4, o.overheadCalls),
      perCallScaleMs: await perCall(pwsh, scale, SCALE_VOLUMES, Math.max(5, Math.round(o.overheadCalls / 10))),
      reuseMs: await reuse(pwsh, home, o.calls),
      oneShotMs: await oneShot(pwsh, home, o.calls),
    };
    runs.push(result);
    o.log(
      `  run ${run}/${o.runs}: start + import ${result.startMs.toFixed(0)} ms, Get-BkbVolumes ${result.perCallHomeMs.toFixed(1)} ms ` +
        `(26 volumes ${result.perCallScaleMs.toFixed(1)} ms), ${o.calls} calls: session ${result.reuseMs.toFixed(0)} ms vs one-shot ${result.oneShotMs.toFixed(0)} ms`,
    );
  }
  const n = o.calls;
  return {
    figures: [
      figure(SECTION, 'pwsh.start', 'pwsh 7 start + module import (measured)', 'ms', runs.map((r) => r.startMs)),
      figure(SECTION, 'pwsh.perCallHome', 'Get-BkbVolumes per call, home-pc (4 volumes, fake Windows)', 'ms', runs.map((r) => r.perCallHomeMs)),
      figure(SECTION, 'pwsh.perCallScale', `Get-BkbVolumes per call, ${SCALE_VOLUMES} volumes × 6 protectors`, 'ms', runs.map((r) => r.perCallScaleMs)),
      figure(SECTION, 'pwsh.sessionTotal', `${n} calls, one session incl. its start`, 'ms', runs.map((r) => r.reuseMs)),
      figure(SECTION, 'pwsh.oneShotTotal', `${n} calls, a fresh pwsh each`, 'ms', runs.map((r) => r.oneShotMs)),
      figure(SECTION, 'pwsh.ratio', 'Ratio one-shot ÷ session (real pwsh)', '×', runs.map((r) => r.oneShotMs / r.reuseMs), n === 50 ? { kind: 'min', value: 20 } : null),
    ],
    details: { pwsh, calls: n, overheadCalls: o.overheadCalls, warmUpCalls: WARM_UP_CALLS, runs },
  };
}
