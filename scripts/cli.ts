/**
 * npm run cli -- <command> [options]: headless mode in development, on the simulated PC (home-pc, or
 * --scenario <file>). The same runCli the packaged exe runs (main/index.ts); only the plumbing differs: no
 * Electron, and the history, log and the simulated PC's state live in BKB_USER_DATA (a fresh temp folder when
 * unset), so consecutive runs with the same BKB_USER_DATA see each other's backups.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileHistory } from '../main/bitlocker/backup-history';
import { moduleAudit } from '../main/bitlocker/audit';
import { escrowTimings } from '../main/bitlocker/escrow';
import { runCli } from '../main/cli/run';
import { createAppLog } from '../main/log/app-log';
import { PowerShellSession } from '../main/powershell/session';
import { resolveRuntime } from '../main/runtime';
import { REPO_ROOT } from '../tests/support/scenarios';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dataDir = process.env.BKB_USER_DATA ?? mkdtempSync(join(tmpdir(), 'bkb-cli-'));
  mkdirSync(dataDir, { recursive: true });
  const runtime = resolveRuntime({
    platform: process.platform,
    argv: args,
    env: process.env,
    appPath: REPO_ROOT,
    resourcesPath: REPO_ROOT,
    nodePath: process.execPath,
    runAsNode: false,
    simStatePath: join(dataDir, 'sim-state.json'),
  });
  const log = createAppLog(join(dataDir, 'logs'));
  const session = new PowerShellSession({ executable: runtime.executable, modulePath: runtime.modulePath, env: runtime.hostEnv, inheritEnvironment: runtime.inheritEnvironment, callTimeoutMs: runtime.callTimeoutMs });
  try {
    return await runCli({
      args,
      session,
      history: fileHistory(join(dataDir, 'backup-history.json')),
      log,
      audit: moduleAudit(session),
      pathStyle: runtime.pathStyle,
      timings: escrowTimings(runtime.confirmWaitMs),
      stdout: (text) => process.stdout.write(`${text}\n`),
    });
  } finally {
    await session.dispose();
    await log.close();
  }
}

void main().then((code) => process.exit(code));
