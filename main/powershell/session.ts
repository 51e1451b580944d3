import { InvocationError, ProcessError } from 'node-powershell';
import type { SessionStateT } from '../../preload/contract';
import { AppFailure } from '../errors';
import { redact } from '../security/redact';
import {
  encodeCall,
  ModuleEnvelope,
  moduleFunctions,
  type ModuleData,
  type ModuleFunctionName,
  type ModuleRequest,
} from './module-api';
import { openShell, OutputOverflow, type ShellHandle } from './shell';
import { describeHResult } from './hresult-text';
import { diagnosePolicy } from './policy-diagnosis';
import { MODULE_PATH_ENV, STARTUP_COMMAND } from './startup';

export interface SessionOptions {
  /** powershell.exe, pwsh, or the simulated host's wrapper. */
  executable: string;
  /** Absolute path of BitLockerKeyBackup.psm1, handed to PowerShell through the environment. */
  modulePath: string;
  /** Extra environment for the host (e.g. the simulated PC's scenario). */
  env?: NodeJS.ProcessEnv;
  /** false: the host gets `env` alone, not the app's own environment too (a packaged build's fixed environment). */
  inheritEnvironment?: boolean;
  /** Start-up (process start + module import) may take this long. Windows PowerShell is slow to start. */
  startupTimeoutMs?: number;
  /** Overrides every function's own timeout (tests). */
  callTimeoutMs?: number;
  onState?: (state: SessionStateT) => void;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** A start-up still running after this long is asked about policies in parallel: a blocked one never finishes. */
const POLICY_CHECK_AFTER_MS = 5_000;
/** stderr text can be long; the renderer gets the start of it, redacted. */
const MAX_DETAIL = 500;

class TimedOut extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function detail(text: string): string {
  const clean = redact(text.trim());
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

/**
 * The one long-lived PowerShell session. Calls run one at a time; each is one line (a fixed module function
 * and one base64 JSON argument) answered by one JSON line. A crash, hang or garbled answer fails that call
 * with a specific code, the host is killed and a fresh one starts at once, so the next call works.
 */
export class PowerShellSession {
  private shell: ShellHandle | null = null;
  private starting: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stateValue: SessionStateT = 'stopped';
  private disposed = false;

  constructor(private readonly options: SessionOptions) {}

  get state(): SessionStateT {
    return this.stateValue;
  }

  /** Starts the host and imports the module; resolves when ready. Safe to call repeatedly. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new AppFailure('HostCrashed', 'The PowerShell session has been closed.'));
    if (this.shell && this.stateValue === 'ready') return Promise.resolve();
    this.starting ??= this.launch().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Calls one module function and returns its validated data. */
  call<F extends ModuleFunctionName>(fn: F, request: ModuleRequest<F>): Promise<ModuleData<F>> {
    const run = this.queue.then(() => this.run(fn, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Kills the host and starts a new one (the user's "Retry"). */
  async restart(): Promise<void> {
    await this.stop('restarting');
    await this.start();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop('stopped');
  }

  private setState(state: SessionStateT): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.options.onState?.(state);
  }

  private async launch(): Promise<void> {
    this.setState(this.stateValue === 'stopped' ? 'starting' : 'restarting');
    let shell: ShellHandle;
    const env = { ...(this.options.inheritEnvironment === false ? {} : process.env), ...this.options.env, [MODULE_PATH_ENV]: this.options.modulePath };
    try {
      shell = openShell(this.options.executable, env);
    } catch (error) {
      this.setState('failed');
      throw new AppFailure('SessionStartFailed', `PowerShell could not be started: ${detail(String((error as Error).message))}`);
    }
    this.shell = shell;
    void shell.exited.then(() => {
      // The host died between calls: drop it so the next call starts a new one.
      if (this.shell === shell) {
        this.shell = null;
        if (this.stateValue === 'ready') this.setState('stopped');
      }
    });
    let policyCheck: NodeJS.Timeout | undefined;
    let policyChecked: Promise<AppFailure | null> | null = null;
    const checkPolicy = () => (policyChecked ??= diagnosePolicy(this.options.executable, env));
    try {
      const started = withTimeout(shell.invoke(STARTUP_COMMAND), this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
      // Under a blocking policy the start-up never answers (or fails): say why without waiting out the timeout.
      const blocked = new Promise<never>((_, reject) => {
        policyCheck = setTimeout(() => void checkPolicy().then((refusal) => refusal && reject(refusal)), POLICY_CHECK_AFTER_MS);
      });
      const output = await Promise.race([started, blocked]);
      if (output.trim() !== '') throw new AppFailure('SessionStartFailed', `PowerShell printed unexpected text while starting: ${detail(output)}`);
    } catch (error) {
      await this.discard(shell);
      // Whatever went wrong, a managed PC's policy is the likeliest reason a fresh PowerShell cannot load the module.
      const refusal = error instanceof AppFailure && error.code !== 'SessionStartFailed' ? error : ((await checkPolicy()) ?? this.startFailure(error));
      this.setState('failed');
      throw refusal;
    } finally {
      clearTimeout(policyCheck);
    }
    this.setState('ready');
  }

  private startFailure(error: unknown): AppFailure {
    if (error instanceof AppFailure) return error;
    if (error instanceof TimedOut) return new AppFailure('Timeout', 'PowerShell did not finish starting in time.');
    if (error instanceof ProcessError && /ENOENT/.test(String(error.originalError?.message ?? error.message))) {
      return new AppFailure('PowerShellUnavailable', 'PowerShell could not be found on this PC.');
    }
    if (error instanceof InvocationError) {
      return new AppFailure('SessionStartFailed', `PowerShell could not load the BitLocker Key Backup module: ${detail(error.message)}`);
    }
    return new AppFailure('SessionStartFailed', 'PowerShell stopped while starting.');
  }

  private async run<F extends ModuleFunctionName>(fn: F, request: ModuleRequest<F>): Promise<ModuleData<F>> {
    const spec = moduleFunctions[fn];
    const parsedRequest = spec.request.safeParse(request);
    if (!parsedRequest.success) throw new AppFailure('InvalidArgument', `The request for ${fn} is not valid.`);
    await this.start();
    const shell = this.shell;
    if (!shell) throw new AppFailure('HostCrashed', 'PowerShell stopped unexpectedly.');

    let output: string;
    try {
      const invocation = shell.invoke(encodeCall(fn, parsedRequest.data as ModuleRequest<F>));
      const timeoutMs: number | null = spec.timeoutMs === null ? null : (this.options.callTimeoutMs ?? spec.timeoutMs);
      output = await (timeoutMs === null ? invocation : withTimeout(invocation, timeoutMs));
    } catch (error) {
      throw await this.callFailure(shell, fn, error);
    }
    if (output.trim() === '') {
      // A host that exits with code 0 mid-call resolves with nothing: every module call answers one document.
      await this.recover(shell);
      throw new AppFailure('HostCrashed', `PowerShell stopped while running ${fn}.`);
    }
    return this.parseAnswer(fn, output, shell);
  }

  private async callFailure(shell: ShellHandle, fn: ModuleFunctionName, error: unknown): Promise<AppFailure> {
    if (error instanceof OutputOverflow) {
      await this.recover(shell);
      return new AppFailure('GarbledOutput', `PowerShell sent far more output than an answer to ${fn} can have. The session was restarted.`);
    }
    if (error instanceof TimedOut) {
      await this.recover(shell);
      return new AppFailure('Timeout', `PowerShell did not answer ${fn} in time. The session was restarted.`);
    }
    if (error instanceof InvocationError && error.message !== 'invoke called after process exited') {
      // stderr text: the stream stays in step, but a host that writes errors there is not to be trusted further.
      await this.recover(shell);
      return new AppFailure('HostError', `PowerShell reported an error while running ${fn}: ${detail(error.message)}`);
    }
    await this.recover(shell);
    return new AppFailure('HostCrashed', `PowerShell stopped while running ${fn}. The session was restarted.`);
  }

  private async parseAnswer<F extends ModuleFunctionName>(fn: F, output: string, shell: ShellHandle): Promise<ModuleData<F>> {
    let json: unknown;
    try {
      json = JSON.parse(output.trim());
    } catch {
      await this.recover(shell);
      throw new AppFailure('GarbledOutput', `PowerShell gave an answer to ${fn} that could not be read.`);
    }
    const envelope = ModuleEnvelope.safeParse(json);
    if (!envelope.success) {
      await this.recover(shell);
      throw new AppFailure('GarbledOutput', `PowerShell gave an answer to ${fn} in an unexpected shape.`);
    }
    if (!envelope.data.ok) {
      const { code, message, hresult } = envelope.data.error;
      throw new AppFailure(code, detail(code === 'CmdletFailed' ? describeHResult(hresult, message) : message), hresult);
    }
    const data = moduleFunctions[fn].data.safeParse(envelope.data.data);
    if (!data.success) throw new AppFailure('GarbledOutput', `PowerShell gave an answer to ${fn} with unexpected values.`);
    return data.data as ModuleData<F>;
  }

  /** Kills a misbehaving host and starts the next one in the background. */
  private async recover(shell: ShellHandle): Promise<void> {
    await this.discard(shell);
    if (this.disposed) return;
    this.setState('restarting');
    this.start().catch(() => undefined);
  }

  private async discard(shell: ShellHandle): Promise<void> {
    if (this.shell === shell) this.shell = null;
    await shell.kill();
  }

  private async stop(next: SessionStateT): Promise<void> {
    // Kill first: a start-up still in progress then fails at once instead of being waited out.
    if (this.shell) await this.discard(this.shell);
    if (this.starting) await this.starting.catch(() => undefined);
    this.setState(next);
  }
}
