import { basename, isAbsolute, join, resolve, win32 } from 'node:path';
import { parseArgs } from 'node:util';
import type { PathStyle } from './bitlocker/location-rules';
import { SYSTEM_MODULES_ENV } from './powershell/startup';

/** Where the app's PowerShell comes from: Windows itself, or the simulated PC and a scenario file. */
export interface Runtime {
  simulated: boolean;
  scenarioPath: string | null;
  executable: string;
  modulePath: string;
  hostEnv: NodeJS.ProcessEnv;
  /** Whether PowerShell also gets the app's own environment; a packaged build gives it hostEnv alone. */
  inheritEnvironment: boolean;
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
  /** app.isPackaged: Windows' own PowerShell only, whatever argv and env say. */
  packaged?: boolean;
  /** The Windows folder as the OS reports it (main/packaged.ts systemWindowsFolder); a packaged build needs it. */
  windowsFolder?: string | null;
}

export const DEFAULT_SCENARIO = 'home-pc.json';

function scenarioArgument(argv: readonly string[]): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { scenario: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.scenario === 'string' ? values.scenario : undefined;
}

function positiveInteger(text: string | undefined): number | undefined {
  return text && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}

/**
 * A packaged build: `System32\WindowsPowerShell\v1.0\powershell.exe` by full path under the Windows folder the OS
 * reported, with a fixed minimal environment built from that folder alone. PSModulePath is Windows' own module
 * folder (never the user's Documents), and SYSTEM_MODULES_ENV tells the module to switch autoloading off and import
 * what it needs by full path from there. No argument, no BKB_* variable and no NODE_POWERSHELL is read: a packaged
 * build can never become the simulated PC.
 */
function packagedRuntime(inputs: RuntimeInputs): Runtime {
  const windows = inputs.windowsFolder;
  if (!windows || !win32.isAbsolute(windows)) throw new Error('A packaged build needs the Windows folder as the OS reports it.');
  const powershellHome = win32.join(windows, 'System32', 'WindowsPowerShell', 'v1.0');
  const system32 = win32.join(windows, 'System32');
  const temp = win32.join(windows, 'Temp');
  return {
    simulated: false,
    scenarioPath: null,
    executable: win32.join(powershellHome, 'powershell.exe'),
    modulePath: join(inputs.resourcesPath, 'main', 'powershell', 'BitLockerKeyBackup.psm1'),
    inheritEnvironment: false,
    hostEnv: {
      SystemRoot: windows,
      windir: windows,
      SystemDrive: windows.slice(0, 2),
      PATH: [system32, windows, win32.join(system32, 'Wbem'), powershellHome].join(';'),
      PSModulePath: win32.join(powershellHome, 'Modules'),
      [SYSTEM_MODULES_ENV]: win32.join(powershellHome, 'Modules'),
      TEMP: temp,
      TMP: temp,
    },
    callTimeoutMs: undefined,
    confirmWaitMs: undefined,
    pathStyle: 'windows',
  };
}

export function resolveRuntime(inputs: RuntimeInputs): Runtime {
  if (inputs.packaged) return packagedRuntime(inputs);
  const callTimeoutMs = positiveInteger(inputs.env.BKB_CALL_TIMEOUT_MS);
  const confirmWaitMs = positiveInteger(inputs.env.BKB_CONFIRM_WAIT_MS);
  const pathStyle: PathStyle = inputs.platform === 'win32' ? 'windows' : 'posix';
  const modulePath = join(inputs.resourcesPath, 'main', 'powershell', 'BitLockerKeyBackup.psm1');
  const requested = scenarioArgument(inputs.argv) ?? inputs.env.BKB_SCENARIO;
  if (inputs.platform === 'win32' && !requested) {
    // Windows PowerShell 5.1 ships the BitLocker module on every edition that has it; NODE_POWERSHELL overrides.
    return { simulated: false, scenarioPath: null, executable: 'powershell.exe', modulePath, hostEnv: {}, inheritEnvironment: true, callTimeoutMs, confirmWaitMs, pathStyle };
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
    inheritEnvironment: true,
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
