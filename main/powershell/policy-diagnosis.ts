/**
 * Why PowerShell will not run the module on a managed PC. Under Constrained Language Mode (WDAC, AppLocker)
 * even node-powershell's own delimiter lines (`[Console]::Out.WriteLine`) fail, so the long-lived session
 * cannot ask: a separate one-shot PowerShell, with the same executable, options and environment, runs one
 * fixed line (POLICY_PROBE) whose answer is the pipeline's output, which works in every language mode.
 */
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { AppFailure } from '../errors';
import { EXECUTABLE_OPTIONS, POLICY_PROBE } from './startup';

/** Execution policies Group Policy can set that `-ExecutionPolicy Bypass` cannot override, and that stop an unsigned module. */
const BLOCKING_POLICIES = ['AllSigned', 'RemoteSigned', 'Restricted'];
const DIAGNOSIS_TIMEOUT_MS = 15_000;
const HostPolicy = z.object({ languageMode: z.string().min(1), machinePolicy: z.string(), userPolicy: z.string() });
export type HostPolicyT = z.infer<typeof HostPolicy>;

/** The failure that names the policy, or null when nothing in the policy explains a failed start. */
export function policyFailure({ languageMode, machinePolicy, userPolicy }: HostPolicyT): AppFailure | null {
  if (languageMode !== 'FullLanguage') {
    return new AppFailure('ConstrainedLanguage', `PowerShell runs in ${languageMode} mode on this PC, set by an application control policy.`);
  }
  const [scope, setting] = BLOCKING_POLICIES.includes(machinePolicy)
    ? ['computer', machinePolicy]
    : BLOCKING_POLICIES.includes(userPolicy)
      ? ['user', userPolicy]
      : [];
  if (!setting) return null;
  return new AppFailure('ExecutionPolicyBlocked', `Group Policy sets PowerShell's execution policy for this ${scope} to ${setting}, which does not allow this copy of the module.`);
}

const argumentsFor = (command: string): string[] => [
  '-NoLogo',
  ...Object.entries(EXECUTABLE_OPTIONS).flatMap(([name, value]) => (value === true ? [name] : [name, value])),
  '-Command',
  command,
];

/** Runs the probe; null when PowerShell cannot be asked or its answer makes no sense (the start failure then stands). */
export function diagnosePolicy(executable: string, env: NodeJS.ProcessEnv): Promise<AppFailure | null> {
  return new Promise((resolve) => {
    execFile(executable, argumentsFor(POLICY_PROBE), { env, timeout: DIAGNOSIS_TIMEOUT_MS, windowsHide: true, maxBuffer: 64 * 1024 }, (error, stdout) => {
      if (error) return resolve(null);
      try {
        const policy = HostPolicy.safeParse(JSON.parse(stdout.trim()));
        resolve(policy.success ? policyFailure(policy.data) : null);
      } catch {
        resolve(null);
      }
    });
  });
}
