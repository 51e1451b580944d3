import { AppFailure } from '../errors';
import { assertValidRecoveryPassword, normalizeRecoveryPassword } from './recovery-password';

/** The sentences of Windows' recovery key file (bitlocker.md §3); the printed page repeats them. */
export const KEY_TEXT = {
  title: 'BitLocker Drive Encryption recovery key',
  verify:
    'To verify that this is the correct recovery key, compare the start of the following identifier with the identifier value displayed on your PC.',
  identifierLabel: 'Identifier:',
  matches: 'If the above identifier matches the one displayed by your PC, then use the following key to unlock your drive.',
  keyLabel: 'Recovery Key:',
  doesNotMatch: "If the above identifier doesn't match the one displayed by your PC, then this isn't the right key to unlock your drive.",
  help: 'Try another recovery key, or refer to https://go.microsoft.com/fwlink/?LinkID=260589 for additional assistance.',
} as const;

const GUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const BOM_UTF16LE = Buffer.from([0xff, 0xfe]);
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** A GUID with or without its braces, upper-cased and without them; null if it isn't one. */
function bareGuid(text: string): string | null {
  const inner = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  return GUID.test(inner) ? inner.toUpperCase() : null;
}

/** A key protector GUID as Windows writes it in key files: upper-case, no braces. Checked, since it ends up in a file name. */
export function bareIdentifier(keyProtectorId: string): string {
  const bare = bareGuid(keyProtectorId);
  if (bare === null) throw new AppFailure('InvalidArgument', "This isn't a key protector identifier.");
  return bare;
}

export function keyFileName(keyProtectorId: string): string {
  return `BitLocker Recovery Key ${bareIdentifier(keyProtectorId)}.TXT`;
}

/** Exactly the file Windows' wizard saves: UTF-16 LE with BOM, CRLF after every line including the last. */
export function formatKeyFile(keyProtectorId: string, recoveryPassword: string): Buffer {
  const identifier = bareIdentifier(keyProtectorId);
  assertValidRecoveryPassword(recoveryPassword);
  const lines = [
    KEY_TEXT.title,
    '',
    KEY_TEXT.verify,
    '',
    KEY_TEXT.identifierLabel,
    '',
    `\t${identifier}`,
    '',
    KEY_TEXT.matches,
    '',
    KEY_TEXT.keyLabel,
    '',
    `\t${recoveryPassword}`,
    '',
    KEY_TEXT.doesNotMatch,
    KEY_TEXT.help,
  ];
  return Buffer.concat([BOM_UTF16LE, Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf16le')]);
}

/** Windows writes UTF-16 LE; a file re-saved in Notepad may be UTF-8 (with or without BOM). */
function decode(bytes: Buffer): string {
  if (bytes.subarray(0, 2).equals(BOM_UTF16LE)) return bytes.subarray(2).toString('utf16le');
  if (bytes.subarray(0, 3).equals(BOM_UTF8)) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}

/** The first non-blank line after the line holding `label`, trimmed. */
function valueAfter(lines: string[], label: string): string | null {
  const start = lines.indexOf(label);
  if (start < 0) return null;
  return lines.slice(start + 1).find((line) => line !== '') ?? null;
}

/** Reads a recovery key file back; null unless it is one and its key passes the checksum. */
export function parseKeyFile(bytes: Buffer): { identifier: string; recoveryPassword: string } | null {
  const lines = decode(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim());
  if (lines[0] !== KEY_TEXT.title) return null;
  const identifier = bareGuid(valueAfter(lines, KEY_TEXT.identifierLabel) ?? '');
  const recoveryPassword = normalizeRecoveryPassword(valueAfter(lines, KEY_TEXT.keyLabel) ?? '');
  return identifier !== null && recoveryPassword !== null ? { identifier, recoveryPassword } : null;
}
