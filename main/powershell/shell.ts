import { PowerShell } from 'node-powershell';
import { EXECUTABLE_OPTIONS } from './startup';

/**
 * node-powershell 5.0.1 with three of its habits tamed, kept in one place because each reaches into
 * private fields of child-shell:
 * - its `debug` loggers print every command's output when DEBUG is set, recovery passwords included: off;
 * - its `history` keeps every output buffer for the life of the process: cleared after each call;
 * - its exit promise rejects unhandled when the host dies between calls: observed and reported instead.
 */
export interface ShellHandle {
  invoke(command: string): Promise<string>;
  kill(): Promise<void>;
  readonly exited: Promise<void>;
}

interface ShellInternals {
  debuggers: Record<string, { enabled: boolean }>;
  exitPromise: Promise<void>;
}

export function openShell(executable: string, env: NodeJS.ProcessEnv): ShellHandle {
  const shell = new PowerShell({
    executable,
    executableOptions: { ...EXECUTABLE_OPTIONS },
    spawnOptions: { env, windowsHide: true },
    // Our session applies its own per-call timeout and restarts; node-powershell's leaves the stream out of step.
    invocationTimeout: 0,
  });
  const internals = shell as unknown as ShellInternals;
  for (const logger of Object.values(internals.debuggers)) logger.enabled = false;
  const exited = internals.exitPromise.then(
    () => undefined,
    () => undefined,
  );
  return {
    async invoke(command) {
      try {
        const result = await shell.invoke(command);
        return result.raw;
      } finally {
        shell.history.length = 0;
      }
    },
    async kill() {
      await shell.dispose('SIGKILL').catch(() => undefined);
    },
    exited,
  };
}
