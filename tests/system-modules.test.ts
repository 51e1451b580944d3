import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PowerShellSession } from '../main/powershell/session';
import { SYSTEM_MODULES_ENV } from '../main/powershell/startup';
import { realModuleTier } from './support/hosts';
import { REPO_ROOT } from './support/powershell';
import { MODULE_PATH, shippedScenario } from './support/scenarios';

/**
 * The packaged app's PowerShell session (SYSTEM_MODULES_ENV set, main/runtime.ts), with the real module over the
 * fake Windows: a `BitLocker` module planted first on PSModulePath, as one in the user's Documents would be, must
 * never load; the backup runs through Windows' own module, imported by full path from the folder the app named.
 */
const tier = realModuleTier();
/** Where the fake Windows keeps its BitLocker module: here, "Windows' own module folder". */
const WINDOWS_MODULES = join(REPO_ROOT, 'tests', 'fake-windows', 'modules');
const ENTRA_KEY = { mountPoint: 'C:', keyProtectorId: '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}' } as const;

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

/** A module named BitLocker that leaves a marker when imported and when its backup command runs. */
function plantBitLockerModule(dir: string, marker: string): string {
  const folder = join(dir, 'planted');
  mkdirSync(join(folder, 'BitLocker'), { recursive: true });
  const quoted = marker.replace(/'/g, "''");
  writeFileSync(
    join(folder, 'BitLocker', 'BitLocker.psm1'),
    [
      `[System.IO.File]::AppendAllText('${quoted}', "imported\`n")`,
      `function BackupToAAD-BitLockerKeyProtector { [System.IO.File]::AppendAllText('${quoted}', "ran\`n") }`,
      `function Backup-BitLockerKeyProtector { [System.IO.File]::AppendAllText('${quoted}', "ran\`n") }`,
    ].join('\n'),
  );
  writeFileSync(
    join(folder, 'BitLocker', 'BitLocker.psd1'),
    "@{ RootModule = 'BitLocker.psm1'; ModuleVersion = '99.0'; GUID = '5a0c0d55-2f1b-4a4e-8f7e-0c2bd7c6e001'; FunctionsToExport = @('BackupToAAD-BitLockerKeyProtector', 'Backup-BitLockerKeyProtector') }\n",
  );
  return folder;
}

function open(systemModules: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-system-modules-'));
  const marker = join(dir, 'planted-module-ran.txt');
  const planted = plantBitLockerModule(dir, marker);
  const session = new PowerShellSession({
    executable: tier.executable,
    modulePath: MODULE_PATH,
    env: {
      ...tier.env,
      BKB_SCENARIO: shippedScenario('entra-office'),
      BKB_SIM_STATE: join(dir, 'state.json'),
      PSModulePath: [planted, process.env.PSModulePath].filter(Boolean).join(delimiter),
      ...(systemModules ? { [SYSTEM_MODULES_ENV]: WINDOWS_MODULES } : {}),
    },
  });
  sessions.push(session);
  return { session, marker };
}

describe.skipIf(tier.skip !== null)('a packaged-style session loads modules from Windows’ own folder only', () => {
  it('never loads a BitLocker module planted first on PSModulePath, and backs up through Windows’ own', async () => {
    const { session, marker } = open(true);
    expect((await session.call('Get-BkbEnvironment', {})).bitLockerModule).toBe(true);
    await expect(session.call('Backup-BkbToEntra', ENTRA_KEY)).resolves.toMatchObject({ sentAt: expect.any(String) });
    expect(existsSync(marker)).toBe(false);
  });

  it('(the same session without it, as development runs, would autoload the planted module: the hazard is real)', async () => {
    const { session, marker } = open(false);
    await session.call('Backup-BkbToEntra', ENTRA_KEY).catch(() => undefined);
    expect(existsSync(marker)).toBe(true);
  });
});
