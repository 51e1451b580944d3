/**
 * Request checks exactly as BitLockerKeyBackup.psm1 makes them (Read-BkbRequest and the Read-Bkb* field
 * readers), same order, same words, so the simulated PC refuses a bad request the way the real module does.
 * A refusal is thrown as a Refusal and becomes the error envelope.
 */
import { fail, type Failure, type ModuleError } from './envelope';

export class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.error.message);
  }
}

/** Throws the module's error envelope for this call. */
export function refuse(code: ModuleError['code'], message: string, hresult: string | null = null): never {
  throw new Refusal(fail(code, message, hresult));
}

const invalid = (message: string): never => refuse('InvalidArgument', message);

/** Test-BkbControlCharacter: U+0000 to U+001F. */
const hasControlCharacter = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20);

/** .NET's Convert.FromBase64String: whitespace ignored, whole 4-character groups, padding only at the end. */
function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/[ \t\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/** .NET's Char.IsWhiteSpace, which String.Trim() and TrimStart() use (JavaScript's trim() also strips U+FEFF). */
const DOTNET_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
export const dotnetTrim = (text: string): string => text.replace(new RegExp(`^${DOTNET_SPACE}+|${DOTNET_SPACE}+$`, 'g'), '');

/** Read-BkbRequest: base64 of a UTF-8 JSON object with exactly these fields (names compared case-sensitively). */
export function readRequest(raw: string, fields: readonly string[]): Record<string, unknown> {
  const notJson = 'The request is not a base64-encoded JSON object.';
  const bytes = decodeBase64(raw);
  if (bytes === null) return invalid(notJson);
  const json = bytes.toString('utf8');
  if (!dotnetTrim(json).startsWith('{')) return invalid(notJson);
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    return invalid(notJson);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('The request must be a JSON object.');
  const names = Object.keys(body);
  const unknown = names.find((name) => !fields.includes(name));
  if (unknown !== undefined) return invalid(`The request has an unknown field '${unknown}'.`);
  const missing = fields.find((field) => !names.includes(field));
  if (missing !== undefined) return invalid(`The request lacks the field '${missing}'.`);
  return body as Record<string, unknown>;
}

/** Read-BkbMountPoint: 'C:' (either case), answered in upper case. */
export function readMountPoint(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z]:$/.test(value)) return invalid('mountPoint must be a drive letter such as C:.');
  return value.toUpperCase();
}

/** Read-BkbProtectorId: a GUID in braces, answered in upper case. */
export function readProtectorId(value: unknown): string {
  if (typeof value !== 'string' || !/^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/.test(value)) {
    return invalid('keyProtectorId must be a GUID in braces.');
  }
  return value.toUpperCase();
}

/**
 * Read-BkbTime. The module lets .NET's DateTimeOffset.TryParse decide, which takes more forms than this; the
 * simulated PC takes ISO 8601 dates and times (the only form the app sends) and refuses the rest.
 */
export function readTime(value: unknown): Date {
  const text = typeof value === 'string' ? dotnetTrim(value) : '';
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    return invalid('since must be an ISO 8601 time.');
  }
  // AssumeUniversal: a time without an offset is UTC.
  const dated = text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T');
  const parsed = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(dated.slice(10)) ? dated : `${dated}Z`);
  if (Number.isNaN(parsed)) return invalid('since must be an ISO 8601 time.');
  return new Date(parsed);
}

/** Read-BkbEventIds: a list of 1 to `maximum` integers from 1 to 65535 (16 for Get-BkbBackupEvents, 32 for Get-BkbKeyHistory), without repeats. */
export function readIds(value: unknown, maximum: number): number[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > maximum) return invalid(`ids must list 1 to ${maximum} event ids.`);
  for (const id of value) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 65535) return invalid('ids must be event ids from 1 to 65535.');
  }
  return [...new Set(value as number[])];
}

/** The arguments check of Start-BkbElevated. */
export function readArguments(value: unknown): string[] {
  if (!Array.isArray(value)) return invalid('arguments must be a list of strings.');
  for (const argument of value) {
    if (typeof argument !== 'string' || hasControlCharacter(argument)) return invalid('arguments must be strings without control characters.');
  }
  return value as string[];
}

export type PathKind = { kind: 'unc'; host: string; share: string; rest: string } | { kind: 'letter'; mountPoint: string } | { kind: 'host'; path: string };

/** The path checks of Get-BkbPathInfo, in its order: what kind of path this is, or the refusal. */
export function readPath(value: unknown): PathKind {
  if (typeof value !== 'string' || value.length < 1 || value.length > 32767 || hasControlCharacter(value)) {
    return invalid('path must be a non-empty path.');
  }
  if (/^[\\/]{2}[?.](?:[\\/]|$)/.test(value)) return invalid('path must not be a \\\\?\\ or \\\\.\\ device path.');
  if (value.split(/[\\/]/).includes('..')) return invalid('path must not contain ".." segments.');
  const unc = /^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)(.*)$/s.exec(value);
  if (unc) return { kind: 'unc', host: unc[1]!, share: unc[2]!, rest: unc[3]! };
  const letter = /^([A-Za-z]):[\\/]/.exec(value);
  if (letter) return { kind: 'letter', mountPoint: `${letter[1]!.toUpperCase()}:` };
  // Off Windows (where the simulated PC runs) the module also takes an absolute host path.
  if (value.startsWith('/') && process.platform !== 'win32') return { kind: 'host', path: value };
  return invalid('path must be absolute, such as D:\\Keys or \\\\server\\share.');
}

/** Get-BkbParentFolder: the folder a file path lies in ('/media/stick/key.txt' -> '/media/stick', '/key.txt' -> '/'). */
export function parentFolder(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('\\'), trimmed.lastIndexOf('/'));
  const parent = cut >= 0 ? trimmed.slice(0, cut) : trimmed;
  if (/^[A-Za-z]:$/.test(parent)) return `${parent}\\`;
  return parent === '' ? '/' : parent;
}

/** Test-BkbThisComputer: a UNC host that is this PC (loopback, or its own name with or without its domain). */
export function isThisComputer(host: string, name: string, domain: string | null): boolean {
  const h = host.replace(/\.+$/, '').toLowerCase();
  if (['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '0--1.ipv6-literal.net', '--1.ipv6-literal.net'].includes(h)) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  const own = name.toLowerCase();
  return own !== '' && (h === own || (domain !== null && domain !== '' && h === `${own}.${domain.toLowerCase()}`));
}
