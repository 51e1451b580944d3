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

/** More output than any module answer can have (26 volumes × 6 protectors is ~15 kB): a runaway host. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** The host wrote more than MAX_OUTPUT_BYTES during one call and was killed. */
export class OutputOverflow extends Error {}

interface ShellInternals {
  debuggers: Record<string, { enabled: boolean }>;
  exitPromise: Promise<void>;
  streams: { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
  history: unknown[];
}

/** node-powershell is used through private fields; a version that renamed them must fail loudly, not leak. */
function internalsOf(shell: PowerShell): ShellInternals {
  const internals = shell as unknown as Partial<ShellInternals>;
  const sound =
    typeof internals.debuggers === 'object' &&
    internals.debuggers !== null &&
    Object.values(internals.debuggers).every((logger) => typeof logger === 'function') &&
    internals.exitPromise instanceof Promise &&
    typeof internals.streams?.stdout?.on === 'function' &&
    typeof internals.streams.stderr?.on === 'function' &&
    Array.isArray(internals.history);
  if (!sound) throw new Error('node-powershell no longer has the fields BitLocker Key Backup relies on (debuggers, exitPromise, streams, history)');
  return internals as ShellInternals;
}

export function openShell(executable: string, env: NodeJS.ProcessEnv, maxOutputBytes = MAX_OUTPUT_BYTES): ShellHandle {
  const shell = new PowerShell({
    executable,
    executableOptions: { ...EXECUTABLE_OPTIONS },
    spawnOptions: { env, windowsHide: true },
    // Our session applies its own per-call timeout and restarts; node-powershell's leaves the stream out of step.
    invocationTimeout: 0,
  });
  let internals: ShellInternals;
  try {
    internals = internalsOf(shell);
  } catch (error) {
    void shell.dispose('SIGKILL').catch(() => undefined);
    throw error;
  }
  for (const logger of Object.values(internals.debuggers)) logger.enabled = false;
  const exited = internals.exitPromise.then(
    () => undefined,
    () => undefined,
  );
  // node-powershell buffers a call's output until its closing delimiter: count it, and stop a flood early.
  let received = 0;
  let overflowed = false;
  const count = (chunk: string | Buffer) => {
    received += chunk.length;
    if (received > maxOutputBytes && !overflowed) {
      overflowed = true;
      void shell.dispose('SIGKILL').catch(() => undefined);
    }
  };
  internals.streams.stdout.on('data', count);
  internals.streams.stderr.on('data', count);
  return {
    async invoke(command) {
      received = 0;
      try {
        const result = await shell.invoke(command);
        if (overflowed) throw new OutputOverflow();
        return result.raw;
      } catch (error) {
        throw overflowed ? new OutputOverflow() : error;
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
