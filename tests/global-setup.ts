import { execFileSync } from 'node:child_process';

/** Tests spawn the simulated host from out/main; build it (and the rest) so they never run a stale copy. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '-c', 'electron.config.ts'], {
    stdio: 'inherit',
  });
}
