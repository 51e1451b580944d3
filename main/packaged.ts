import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from './cli/grammar';

/**
 * What a packaged build (app.isPackaged) does before anything else (main/index.ts): it refuses command-line
 * switches, asks the OS (not the environment) where Windows is, and removes the variables that steer development
 * and test builds from its own environment. `npm start` and the test suites do none of this and keep the
 * simulated PC.
 */

/** `release` is what ships; `e2e-test` is the end-to-end test build (electron-builder.e2e.yml), never published. */
export type BuildFlavour = 'release' | 'e2e-test';

/** The package.json field electron-builder.e2e.yml writes (extraMetadata) into the test build's app.asar. */
export const FLAVOUR_FIELD = 'bkbBuildFlavour';

/**
 * The packaged app's flavour, from its own package.json inside app.asar (whose integrity the exe checks, so it
 * cannot be edited after signing). Anything missing or unreadable is the release: the strict one.
 */
export function buildFlavour(appPath: string, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): BuildFlavour {
  try {
    const metadata = JSON.parse(read(join(appPath, 'package.json'))) as Record<string, unknown>;
    return metadata[FLAVOUR_FIELD] === 'e2e-test' ? 'e2e-test' : 'release';
  } catch {
    return 'release';
  }
}

/**
 * The arguments Chromium, Electron or Node would read as switches: on Windows Chromium takes `--x`, `-x` and `/x`
 * (after trimming white space). A shortcut's `--inspect`, `--remote-debugging-port`, `--js-flags`, `--no-sandbox`
 * or `--gpu-launcher` would give whoever wrote it control of an elevated process.
 */
export function commandLineSwitches(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => /^\s*[-/]/u.test(arg));
}

/** A command line headless mode accepts in a packaged build: its grammar, without the development-only --scenario. */
export function isHeadlessCommandLine(args: readonly string[]): boolean {
  if (args.some((a) => /^\s*--scenario(=|$)/u.test(a))) return false;
  try {
    parseCli(args);
    return true;
  } catch {
    return false;
  }
}

export interface StartInputs {
  /** process.argv: the executable, then what the shortcut or command line added. */
  argv: readonly string[];
  flavour: BuildFlavour;
  /** The Windows folder as the OS reports it (systemWindowsFolder), or null when it could not tell. */
  windowsFolder: string | null;
}

/**
 * Why a packaged build must not start, in words for the user, or null when it may. It takes no switches at all
 * (the relaunch as administrator passes none); only the never-published e2e test build lets Playwright's
 * `--inspect=0 --remote-debugging-port=0` through.
 */
export function startRefusal({ argv, flavour, windowsFolder }: StartInputs): string | null {
  if (windowsFolder === null) {
    return 'BitLocker Key Backup could not find the Windows folder, so it cannot start Windows PowerShell safely, and did not start.';
  }
  if (flavour === 'e2e-test') return null;
  const switches = commandLineSwitches(argv);
  if (switches.length === 0) return null;
  // Headless mode's options are welcome, but only as its strict grammar reads them: an --inspect or
  // --remote-debugging-port among them fails that reading and is refused below like any other switch.
  if (isHeadlessCommandLine(argv.slice(1))) return null;
  const names = switches.slice(0, 3).map((arg) => (arg.trim().split('=')[0] ?? '').slice(0, 40));
  return (
    `BitLocker Key Backup was started with command-line options (${names.join(', ')}${switches.length > 3 ? ', …' : ''}) and did not start. ` +
    'It takes none: options such as --inspect or --remote-debugging-port would let another program control it while it runs as administrator. ' +
    'Start it from its Start-menu shortcut.'
  );
}

/**
 * The kernel's own name for the Windows folder: the object manager's `\SystemRoot` link, reached through
 * `\\?\GLOBALROOT`. Resolving it (GetFinalPathNameByHandle, via libuv's realpath) gives `C:\Windows`, and no
 * environment variable (SystemRoot, windir) or Electron path has a say.
 */
export const SYSTEM_ROOT_LINK = '\\\\?\\GLOBALROOT\\SystemRoot';

/** A drive-letter path with at least one folder and nothing odd in it (no control characters either). */
const WINDOWS_FOLDER = /^[A-Za-z]:(?:\\[^\\/:*?"<>|]+)+$/u;
const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);

/** The Windows folder as the OS reports it, or null off Windows or when the OS cannot say. */
export function systemWindowsFolder(realpath: (path: string) => string = realpathSync.native, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'win32') return null;
  try {
    const folder = realpath(SYSTEM_ROOT_LINK);
    return WINDOWS_FOLDER.test(folder) && !hasControlCharacter(folder) ? folder : null;
  } catch {
    return null;
  }
}

/** NODE_POWERSHELL (node-powershell runs whatever it names) and every BKB_* (simulated PC, profile folder, timings). */
const DEVELOPMENT_VARIABLE = /^(?:BKB_.*|NODE_POWERSHELL)$/iu;

/** Removes the development and test variables from the packaged app's own environment; returns their names. */
export function scrubEnvironment(env: NodeJS.ProcessEnv): string[] {
  const removed = Object.keys(env).filter((name) => DEVELOPMENT_VARIABLE.test(name));
  for (const name of removed) delete env[name];
  return removed;
}
