/**
 * The two PowerShell hosts every session-level test runs against (docs/fake-windows.md):
 * - the simulated PC: the Node stand-in host, answering as the module would;
 * - the real module: the project's pwsh 7 running the shipped BitLockerKeyBackup.psm1 over tests/fake-windows.
 * Both read the same scenario files. Off CI the real-module tier skips when pwsh is not restored; under
 * CI=true it runs regardless, so a missing pwsh fails instead of passing unseen.
 */
import { join } from 'node:path';
import { findPwsh, pwshMissingReason, REPO_ROOT } from './powershell';
import { SIM_HOST } from './scenarios';

export const FAKE_WINDOWS_HOST = join(REPO_ROOT, 'tests', 'fake-windows', 'pwsh-fake');

export interface HostTier {
  name: 'simulated PC' | 'real module';
  executable: string;
  /** Environment the host needs besides the scenario, state and host log. */
  env: NodeJS.ProcessEnv;
  /** Why this tier cannot run here; null when it can (or must, under CI). */
  skip: string | null;
}

export const SIMULATED: HostTier = { name: 'simulated PC', executable: SIM_HOST, env: {}, skip: null };

export function realModuleTier(): HostTier {
  const pwsh = findPwsh();
  return {
    name: 'real module',
    executable: FAKE_WINDOWS_HOST,
    env: pwsh ? { BKB_PWSH: pwsh } : {},
    skip: process.env.CI === 'true' ? null : pwshMissingReason(),
  };
}

export const HOST_TIERS: HostTier[] = [SIMULATED, realModuleTier()];
