import { basename, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PathStyle } from './bitlocker/location-rules';

/** Where the app's PowerShell comes from: Windows itself, or the simulated PC and a scenario file. */
export interface Runtime {
  simulated: boolean;
  scenarioPath: string | null;
  executable: string;
  modulePath: string;
  hostEnv: NodeJS.ProcessEnv;
  /** BKB_CALL_TIMEOUT_MS: one timeout for every module call (tests and trainers use it to show a hang quickly). */
  callTimeoutMs: number | undefined;
  /** BKB_CONFIRM_WAIT_MS: how long to wait for escrow events (tests shorten the 15 s / 3 min defaults). */
  confirmWaitMs: number | undefined;
  /** How the Save dialog's paths look: Windows', or the simulated PC's host paths. */
  pathStyle: PathStyle;
}

export interface RuntimeInputs {
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** The project (dev) or app.asar folder. */
  appPath: string;
  /** Where the packaged app keeps the module and scenarios outside the asar; appPath in dev. */
  resourcesPath: string;
  /** The Node (or Electron-as-Node) binary that runs the simulated host. */
  nodePath: string;
  /** Set when nodePath is Electron, which must be told to behave as Node. */
  runAsNode: boolean;
  /** Per-run file that keeps the simulated PC's state across host restarts. */
  simStatePath: string;
}

export const DEFAULT_SCENARIO = 'home-pc.json';

function scenarioArgument(argv: readonly string[]): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { scenario: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.scenario === 'string' ? values.scenario : undefined;
}

function positiveInteger(text: string | undefined): number | undefined {
  return text && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}

export function resolveRuntime(inputs: RuntimeInputs): Runtime {
  const callTimeoutMs = positiveInteger(inputs.env.BKB_CALL_TIMEOUT_MS);
  const confirmWaitMs = positiveInteger(inputs.env.BKB_CONFIRM_WAIT_MS);
  const pathStyle: PathStyle = inputs.platform === 'win32' ? 'windows' : 'posix';
  const modulePath = join(inputs.resourcesPath, 'main', 'powershell', 'BitLockerKeyBackup.psm1');
  const requested = scenarioArgument(inputs.argv) ?? inputs.env.BKB_SCENARIO;
  if (inputs.platform === 'win32' && !requested) {
    // Windows PowerShell 5.1 ships the BitLocker module on every edition that has it; NODE_POWERSHELL overrides.
    return { simulated: false, scenarioPath: null, executable: 'powershell.exe', modulePath, hostEnv: {}, callTimeoutMs, confirmWaitMs, pathStyle };
  }
  const scenarioPath = requested
    ? isAbsolute(requested) ? requested : resolve(requested)
    : join(inputs.resourcesPath, 'assets', 'scenarios', DEFAULT_SCENARIO);
  return {
    simulated: true,
    scenarioPath,
    executable: join(inputs.resourcesPath, 'main', 'simulation', 'pwsh-sim'),
    modulePath,
    callTimeoutMs,
    confirmWaitMs,
    pathStyle,
    hostEnv: {
      BKB_SCENARIO: scenarioPath,
      BKB_NODE: inputs.nodePath,
      BKB_SIM_STATE: inputs.simStatePath,
      ...(inputs.runAsNode ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
    },
  };
}

export function scenarioName(runtime: Runtime): string | null {
  return runtime.scenarioPath ? basename(runtime.scenarioPath, '.json') : null;
}
