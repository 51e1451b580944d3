/**
 * The PowerShell side of node-powershell's protocol, one stdin line at a time: delimiter lines echo their id
 * to their stream, the start-up line imports the module, module calls are answered by the machine, and
 * anything else fails as PowerShell fails an unknown command. The caller runs lines strictly in order.
 */
import { EOL } from 'node:os';
import { moduleFunctions, type ModuleFunctionName } from '../powershell/module-api';
import { POLICY_PROBE, STARTUP_COMMAND } from '../powershell/startup';
import type { Call, Machine, Output } from './machine';

/** The host's process, behind an adapter: writes resolve once flushed, so an exit right after loses nothing. */
export type HostIo = {
  write(output: Output): Promise<void>;
  exit(code: number): Promise<never>;
  sleep(ms: number): Promise<void>;
};

const DELIMITER = /^\[Console\]::(Out|Error)\.WriteLine\("([0-9A-Za-z]{16})"\)$/;
/** `<Function-Name> -Request '<text>'`, as module-api.ts's encodeCall writes it. */
const MODULE_CALL = /^([A-Z][a-z]+-Bkb[A-Za-z]+) -Request '([^']*)'$/;

const isModuleFunction = (name: string): name is ModuleFunctionName => Object.hasOwn(moduleFunctions, name);

export function createSession(machine: Machine, io: HostIo): { handle(line: string): Promise<void> } {
  let imported = false;

  const line = (stream: Output['stream'], text: string) => io.write({ stream, text: text + EOL });

  async function play({ fault, latencyMs, answer }: Call): Promise<void> {
    const send = (output: Output | null) => (output ? line(output.stream, output.text) : Promise.resolve());
    switch (fault?.kind) {
      case undefined:
        await io.sleep(latencyMs);
        return send(answer());
      case 'crash':
        return io.exit(1);
      case 'exit0':
        return io.exit(0);
      case 'hang':
        await io.sleep(fault.ms);
        return send(answer());
      case 'garbage':
        return line('out', fault.text);
      case 'halfJson': {
        const output = answer();
        return send(output && { ...output, text: output.text.slice(0, Math.ceil(output.text.length / 2)) });
      }
      case 'stderr':
        await line('err', fault.text);
        return send(answer());
    }
  }

  return {
    async handle(text) {
      const delimiter = DELIMITER.exec(text);
      if (delimiter) return line(delimiter[1] === 'Out' ? 'out' : 'err', delimiter[2]!);
      if (text === POLICY_PROBE) return line('out', machine.policyProbe().text);
      if (text === STARTUP_COMMAND) {
        const startup = machine.startup();
        imported = startup.imported;
        return play(startup);
      }
      // A module function with one single-quoted argument reaches the module whatever the text inside: the
      // module itself refuses what is not base64 JSON, as it does in PowerShell.
      const call = MODULE_CALL.exec(text);
      if (call && imported && isModuleFunction(call[1]!)) return play(machine.call(call[1]!, call[2]!));
      if (text.trim() === '') return;
      const word = text.trim().split(/\s+/)[0];
      return line(
        'err',
        `${word} : The term '${word}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      );
    },
  };
}
