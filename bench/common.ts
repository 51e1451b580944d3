import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PowerShellSession } from '../main/powershell/session';
import { MODULE_PATH, SIM_HOST } from '../tests/support/scenarios';

export const REPO_ROOT = resolve(__dirname, '..');

/**
 * Wall-clock milliseconds with sub-millisecond resolution. The page records its marks the same way
 * (performance.timeOrigin + performance.now()), so times taken here and in Chromium can be subtracted.
 */
export const now = (): number => performance.timeOrigin + performance.now();

/** A scratch folder for this run's scenario variants and host logs, removed at the end. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'bkb-bench-'));
  private count = 0;

  /** A fresh sub-path (file or folder name) inside the scratch folder. */
  path(name: string): string {
    return join(this.dir, `${++this.count}-${name}`);
  }

  /** A fresh, existing sub-folder. */
  folder(name: string): string {
    const dir = this.path(name);
    mkdirSync(dir);
    return dir;
  }

  writeJson(name: string, value: unknown): string {
    const file = this.path(name);
    writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The app's own session class against the simulated PC described by `scenario` (no state file: in memory). */
export function simulatedSession(scenario: string): PowerShellSession {
  return new PowerShellSession({
    executable: SIM_HOST,
    modulePath: MODULE_PATH,
    env: { BKB_SCENARIO: scenario, BKB_NODE: process.execPath },
  });
}

/** Fails the bench (not a timing assertion: the measurement itself went wrong). */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench: ${message}`);
}
