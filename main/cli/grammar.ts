/**
 * The command line of headless mode: `<command> [options]` after the executable (and, in development, the app
 * folder). Strict: an unknown command, option or value is a usage error, never guessed at, because this runs
 * elevated from scripts nobody watches.
 */
import { parseArgs } from 'node:util';
import { CliCommand, MountPoint, ProtectorId, type CliCommandT } from '../../preload/contract';

export type CliDestination = { kind: 'entra' } | { kind: 'activeDirectory' } | { kind: 'file'; folder: string; replace: boolean } | { kind: 'usb'; target: string; replace: boolean };

export interface CliRequest {
  command: CliCommandT;
  mountPoint: string | null;
  /** `--key`: the recovery password(s) a backup or rotation is about; all of the drive's when absent. */
  keyProtectorIds: string[];
  /** `--to`: where a backup, or the key added by add-recovery-password and rotate, goes; null for "the organisation's directory". */
  destination: CliDestination | null;
  reveal: boolean;
  jsonOut: string | null;
  intune: boolean;
}

export class UsageError extends Error {}

const OPTIONS = {
  mount: { type: 'string' },
  key: { type: 'string', multiple: true },
  to: { type: 'string' },
  path: { type: 'string' },
  usb: { type: 'string' },
  replace: { type: 'boolean' },
  reveal: { type: 'boolean' },
  'json-out': { type: 'string' },
  intune: { type: 'boolean' },
  // Development and test builds only: the simulated PC's scenario (runtime.ts reads it; packaged builds refuse it).
  scenario: { type: 'string' },
} as const;

/** Which options each command takes besides --json-out and --intune. */
const ALLOWED: Record<CliCommandT, readonly string[]> = {
  status: ['reveal'],
  'ensure-escrow': [],
  backup: ['mount', 'key', 'to', 'path', 'usb', 'replace'],
  'add-recovery-password': ['mount', 'to', 'path', 'usb', 'replace'],
  rotate: ['mount', 'key', 'to', 'path', 'usb', 'replace'],
};
const COMMON = ['json-out', 'intune', 'scenario'];

/** The command named first among the arguments, or null: the app then opens its window as usual. */
export function cliCommandIn(args: readonly string[]): CliCommandT | null {
  const first = args.find((a) => !a.startsWith('-'));
  const parsed = CliCommand.safeParse(first);
  return parsed.success ? parsed.data : null;
}

function destinationOf(command: CliCommandT, values: Record<string, unknown>): CliDestination | null {
  const to = values.to as string | undefined;
  const replace = values.replace === true;
  switch (to) {
    case undefined:
      if (command === 'backup') throw new UsageError('backup needs --to entra, ad, file or usb.');
      return null;
    case 'entra':
      return { kind: 'entra' };
    case 'ad':
      return { kind: 'activeDirectory' };
    case 'file': {
      const folder = values.path as string | undefined;
      if (!folder) throw new UsageError('--to file needs --path with the folder to save the key files in.');
      return { kind: 'file', folder, replace };
    }
    case 'usb': {
      const target = MountPoint.safeParse(values.usb);
      if (!target.success) throw new UsageError('--to usb needs --usb with the USB drive\'s letter, such as E:.');
      return { kind: 'usb', target: target.data.toUpperCase(), replace };
    }
    default:
      throw new UsageError(`--to must be entra, ad, file or usb, not "${String(to).slice(0, 20)}".`);
  }
}

/** Reads the arguments after the executable (and app folder); throws UsageError with what is wrong. */
export function parseCli(args: readonly string[]): CliRequest {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'The command line could not be read.');
  }
  const { values, positionals } = parsed;
  const command = CliCommand.safeParse(positionals[0]);
  if (!command.success) throw new UsageError(`Unknown command. Use one of: ${CliCommand.options.join(', ')}.`);
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]!.slice(0, 40)}".`);
  const allowed = new Set([...ALLOWED[command.data], ...COMMON]);
  const extra = Object.keys(values).find((name) => !allowed.has(name));
  if (extra) throw new UsageError(`${command.data} does not take --${extra}.`);

  const needsMount = command.data !== 'status' && command.data !== 'ensure-escrow';
  const mount = MountPoint.safeParse(values.mount);
  if (needsMount && !mount.success) throw new UsageError(`${command.data} needs --mount with the drive's letter, such as C:.`);
  const keys = (values.key ?? []).map((k) => ProtectorId.safeParse(k));
  if (keys.some((k) => !k.success)) throw new UsageError('--key takes a key protector ID in braces, such as {8A696888-99A7-4FAC-92C7-6CC497EA7BDF}.');
  if (command.data === 'rotate' && keys.length > 1) throw new UsageError('rotate replaces one recovery password at a time: give one --key.');
  const jsonOut = values['json-out'];
  if (jsonOut !== undefined && jsonOut.trim() === '') throw new UsageError('--json-out needs a file name.');
  return {
    command: command.data,
    mountPoint: mount.success ? mount.data.toUpperCase() : null,
    keyProtectorIds: keys.map((k) => k.data!.toUpperCase()),
    destination: destinationOf(command.data, values),
    reveal: values.reveal === true,
    jsonOut: jsonOut ?? null,
    intune: values.intune === true,
  };
}
