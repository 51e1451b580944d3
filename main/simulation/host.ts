/**
 * The simulated PowerShell host: what node-powershell spawns (via the pwsh-sim wrapper named in
 * NODE_POWERSHELL) instead of powershell.exe. It ignores PowerShell's own arguments (-NoLogo -Command - …).
 *
 * Environment:
 *   BKB_SCENARIO   scenario JSON file (required; without a valid one the host exits with code 2 at once)
 *   BKB_HOST_LOG   file to append every raw stdin line to (optional)
 *   BKB_SIM_STATE  JSON file keeping the machine's state across host restarts (optional)
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Writable } from 'node:stream';
import { POLICY_PROBE } from '../powershell/startup';
import { createMachine } from './machine';
import { loadScenario } from './scenario';
import { createSession, type HostIo } from './session';
import { openStateStore } from './state';

const flushed = (stream: Writable, text: string) =>
  new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));

const io: HostIo = {
  write: ({ stream, text }) => flushed(stream === 'out' ? process.stdout : process.stderr, text),
  exit: (code) => process.exit(code),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function start(): void {
  const scenarioFile = process.env.BKB_SCENARIO;
  const logFile = process.env.BKB_HOST_LOG;
  let session: ReturnType<typeof createSession>;
  let machine: ReturnType<typeof createMachine>;
  try {
    if (!scenarioFile) throw new Error('BKB_SCENARIO is not set: it must name a scenario JSON file');
    machine = createMachine(loadScenario(scenarioFile), openStateStore(process.env.BKB_SIM_STATE));
    session = createSession(machine, io);
  } catch (error) {
    // Exit before reading stdin, so the app sees the session fail to start rather than a call fail.
    process.stderr.write(`simulated PowerShell host: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }

  // `-Command <text>` runs that one command and exits, as PowerShell does; the app does this only for its policy probe.
  const command = process.argv.slice(2).find((_arg, i, args) => i > 0 && /^-Command$/i.test(args[i - 1]!));
  if (command !== undefined && command !== '-') {
    if (logFile) fs.appendFileSync(logFile, command + '\n');
    const output = command === POLICY_PROBE ? machine.policyProbe() : { stream: 'err' as const, text: `simulated PowerShell host: cannot run ${command}` };
    void io.write({ ...output, text: output.text + '\n' }).then(() => io.exit(output.stream === 'out' ? 0 : 1));
    return;
  }

  // PowerShell runs one line after another: a slow command holds back the delimiter lines after it.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (text) => {
    if (logFile) fs.appendFileSync(logFile, text + '\n');
    queue = queue.then(() =>
      session.handle(text).catch((error: unknown) => io.write({ stream: 'err', text: `simulated PowerShell host: ${String(error)}\n` })),
    );
  });
  // End of input ends PowerShell too, once the queued lines have run.
  lines.on('close', () => void queue.then(() => io.exit(0)));
}

start();
