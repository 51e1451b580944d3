import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SIM_HOST = join(REPO_ROOT, 'main', 'simulation', 'pwsh-sim');
export const MODULE_PATH = join(REPO_ROOT, 'main', 'powershell', 'BitLockerKeyBackup.psm1');

export function shippedScenario(name: string): string {
  return join(REPO_ROOT, 'assets', 'scenarios', `${name}.json`);
}

/**
 * A shipped scenario with some top-level fields replaced (faults, latencies, …), written to a temp folder.
 * Relative `root` folders keep pointing where the original pointed; `roots` gives drives other folders.
 */
export function scenarioWith(
  name: string,
  overrides: Record<string, unknown>,
  dir = mkdtempSync(join(tmpdir(), 'bkb-scenario-')),
  roots: Record<string, string> = {},
): string {
  return variantOf(shippedScenario(name), overrides, dir, roots);
}

/** The same for any scenario file. */
export function variantOf(scenarioFile: string, overrides: Record<string, unknown>, dir: string, roots: Record<string, string> = {}): string {
  const original = JSON.parse(readFileSync(scenarioFile, 'utf8')) as Record<string, unknown> & { volumes: { mountPoint: string; root?: string }[] };
  const scenariosDir = dirname(scenarioFile);
  const volumes = original.volumes.map((v) => {
    const root = roots[v.mountPoint] ?? (v.root ? resolve(scenariosDir, v.root) : undefined);
    return root ? { ...v, root } : v;
  });
  // Network shares' folders stay where the original names them.
  const computer = original.computer as { networkShares?: { root: string }[] } | undefined;
  const networkShares = computer?.networkShares?.map((share) => ({ ...share, root: resolve(scenariosDir, share.root) }));
  const file = join(dir, basename(scenarioFile));
  writeFileSync(file, JSON.stringify({ ...original, ...(networkShares ? { computer: { ...computer, networkShares } } : {}), volumes, ...overrides }, null, 2));
  return file;
}
