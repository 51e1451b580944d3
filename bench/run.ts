/**
 * `npm run bench`: the performance figures of BitLocker Key Backup (see bench/README.md).
 *
 *   npm run bench                      full run: 5 runs of each measurement, 50 calls, bench/results.json
 *   npm run bench -- --quick           2 runs, 10 calls: keeps the bench from rotting in CI (bench/results.quick.json)
 *   --startup-ms N   simulated Windows PowerShell start-up + BitLocker module import (default 800)
 *   --runs N         repetitions of each measurement
 *   --out FILE       where the JSON goes
 *   --no-build       measure the existing out/ instead of building first
 *
 * Prints a table and writes JSON. It never fails because a figure misses its target: it reports. It fails
 * when a measurement cannot be made (build error, the list never appears, a call returns the wrong data).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem, type } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './browser';
import { now, REPO_ROOT, Scratch } from './common';
import { figureJson, type Figure } from './figures';
import { measureRealPwsh } from './real-pwsh';
import { measureHeadless } from './headless';
import { measureScale } from './scale';
import { measureSessionReuse } from './session-reuse';
import { measureSize } from './size';
import { round } from './stats';
import { renderTable } from './table';
import { measureTimeToList } from './time-to-list';

const USAGE = 'usage: npm run bench -- [--quick] [--startup-ms N] [--runs N] [--out FILE] [--no-build]';

interface Options {
  quick: boolean;
  startupMs: number;
  runs: number;
  calls: number;
  overheadCalls: number;
  out: string;
  build: boolean;
}

function integer(text: string | undefined, name: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,7}$/.test(text) || Number(text) < min) {
    process.stderr.write(`--${name} must be a whole number ≥ ${min}\n${USAGE}\n`);
    process.exit(2);
  }
  return Number(text);
}

function options(): Options {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        'startup-ms': { type: 'string' },
        runs: { type: 'string' },
        out: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const out = values.out ?? join('bench', quick ? 'results.quick.json' : 'results.json');
  return {
    quick,
    startupMs: integer(values['startup-ms'], 'startup-ms', 800, 0),
    runs: integer(values.runs, 'runs', quick ? 2 : 5, 1),
    calls: quick ? 10 : 50,
    overheadCalls: quick ? 50 : 200,
    out: isAbsolute(out) ? out : resolve(process.cwd(), out),
    build: !values['no-build'],
  };
}

function build(): void {
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build', '-c', 'electron.config.ts'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\nbench: the build failed\n`);
    process.exit(1);
  }
}

function git(args: string[]): string | null {
  const result = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const o = options();
  const started = now();
  // Other work on the machine is the main source of noise: recorded, so a noisy result can be recognised.
  const loadAtStart = loadavg();
  log(`BitLocker Key Backup benchmark${o.quick ? ' (quick: fewer runs and calls, figures are rough)' : ''}`);
  log(`runs ${o.runs}, ${o.calls} calls, simulated host start-up ${o.startupMs} ms`);

  if (o.build) {
    log('building (electron-vite build)…');
    build();
  } else if (!existsSync(join(REPO_ROOT, 'out', 'main', 'simulated-host.js'))) {
    process.stderr.write('bench: out/ is missing; run without --no-build\n');
    process.exit(1);
  }

  const scratch = new Scratch();
  const browser = await launchChromium();
  const chromium = browser.version();
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const section = async (name: string, key: string, measure: () => Promise<{ figures: Figure[]; details: unknown }> | { figures: Figure[]; details: unknown }) => {
    log(name);
    const t0 = now();
    const result = await measure();
    figures.push(...result.figures);
    details[key] = result.details;
    log(`  (${((now() - t0) / 1000).toFixed(1)} s)`);
  };
  try {
    const common = { runs: o.runs, startupMs: o.startupMs, scratch, log };
    await section('1. Session reuse', 'sessionReuse', () => measureSessionReuse({ ...common, calls: o.calls, overheadCalls: o.overheadCalls }));
    await section('2. Time to drive list', 'timeToList', () => measureTimeToList({ ...common, browser }));
    await section('3. Size', 'size', () => measureSize());
    await section('4. Scale', 'scale', () => measureScale({ ...common, browser }));
    await section('5. Real PowerShell 7', 'realPwsh', () => measureRealPwsh({ runs: o.runs, calls: o.calls, overheadCalls: Math.round(o.overheadCalls / 4), scratch, log }));
    await section('6. Headless status', 'headless', () => measureHeadless({ runs: o.runs, scratch, log }));
  } finally {
    await browser.close().catch(() => undefined);
    scratch.dispose();
  }

  const order = ['1.', '2.', '3.', '4.', '5.', '6.'];
  figures.sort((a, b) => order.findIndex((p) => a.section.startsWith(p)) - order.findIndex((p) => b.section.startsWith(p)));
  const durationS = (now() - started) / 1000;
  log('');
  log(renderTable(figures));
  const missed = figures.filter((f) => f.met === false);
  log('');
  log(missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((f) => f.id).join(', ')}`);

  const commit = git(['rev-parse', 'HEAD']);
  const dirty = (git(['status', '--porcelain']) ?? '') !== '';
  const json = {
    date: new Date().toISOString(),
    quick: o.quick,
    durationS: Math.round(durationS * 10) / 10,
    machine: {
      os: `${type()} ${release()}`,
      platform: platform(),
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      chromium,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
    },
    commit: commit && (dirty ? `${commit} (with uncommitted changes)` : commit),
    options: { runs: o.runs, calls: o.calls, overheadCalls: o.overheadCalls, startupMs: o.startupMs },
    figures: figures.map(figureJson),
    details,
  };
  // Per-run details keep 3 decimals: the clocks are not finer than that.
  writeFileSync(o.out, JSON.stringify(json, (_key, value: unknown) => (typeof value === 'number' ? round(value, 3) : value), 2) + '\n');
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  log(`\nload average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end (${availableParallelism()} cores)`);
  log(`wrote ${relative(process.cwd(), o.out) || o.out} in ${durationS.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
