import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');

/** A scenario given to test.use(): absolute, or relative to the repository root. */
export function scenarioPath(scenario: string): string {
  return isAbsolute(scenario) ? scenario : join(REPO_ROOT, scenario);
}

/**
 * The Electron binary if it is installed, without triggering electron's download-on-require (which fails
 * on machines that cannot reach GitHub). Null means: skip the Electron project.
 */
export function electronBinary(): string | null {
  const pkg = dirname(require.resolve('electron/package.json', { paths: [REPO_ROOT] }));
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}
