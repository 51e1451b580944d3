import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SIM_HOST = join(REPO_ROOT, 'main', 'simulation', 'pwsh-sim');
export const MODULE_PATH = join(REPO_ROOT, 'main', 'powershell', 'BitLockerKeyBackup.psm1');

export function shippedScenario(name: string): string {
  return join(REPO_ROOT, 'assets', 'scenarios', `${name}.json`);
}

/**
 * A shipped scenario with some top-level fields replaced (faults, latencies, …), written to a temp folder.
 * Relative `root` folders keep pointing where the original pointed.
 */
export function scenarioWith(name: string, overrides: Record<string, unknown>, dir = mkdtempSync(join(tmpdir(), 'bkb-scenario-'))): string {
  const original = JSON.parse(readFileSync(shippedScenario(name), 'utf8')) as Record<string, unknown> & { volumes: { root?: string }[] };
  const scenariosDir = join(REPO_ROOT, 'assets', 'scenarios');
  const volumes = original.volumes.map((v) => (v.root ? { ...v, root: resolve(scenariosDir, v.root) } : v));
  const file = join(dir, `${name}-variant.json`);
  writeFileSync(file, JSON.stringify({ ...original, volumes, ...overrides }, null, 2));
  return file;
}
