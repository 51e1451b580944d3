import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatKeyFile, keyFileName, parseKeyFile } from './key-file';

const ID = '{8a696888-99a7-4fac-92c7-6cc497ea7bdf}';
const BARE_ID = '8A696888-99A7-4FAC-92C7-6CC497EA7BDF';
// 11×3, 11×45678, 11×12345, 11×60000, 11×9090, 11×27182, 11×31415, 11×65535.
const PASSWORD = '000033-502458-135795-660000-099990-299002-345565-720885';

/**
 * Written by hand from bitlocker.md §3, NOT by formatKeyFile: a golden file produced by the code under test would
 * only prove the code agrees with itself. Made once with python3: the 16 lines typed out, each followed by "\r\n",
 * encoded with 'utf-16-le' and prefixed with the bytes FF FE.
 */
const golden = readFileSync(join(import.meta.dirname, '../../tests/fixtures/key-file', `BitLocker Recovery Key ${BARE_ID}.TXT`));

const windowsText = (bytes: Buffer): string => bytes.subarray(2).toString('utf16le');

describe('keyFileName', () => {
  it("is Windows' default name: upper-case GUID, no braces", () => {
    expect(keyFileName(ID)).toBe(`BitLocker Recovery Key ${BARE_ID}.TXT`);
    expect(keyFileName(BARE_ID)).toBe(`BitLocker Recovery Key ${BARE_ID}.TXT`);
  });

  it.each(['..\\..\\evil', '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF', `${BARE_ID}\\x`, ''])('refuses %j, which is no GUID', (id) => {
    expect(() => keyFileName(id)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: "This isn't a key protector identifier." }));
  });
});

describe('formatKeyFile', () => {
  it('produces exactly the golden bytes', () => {
    expect(formatKeyFile(ID, PASSWORD).equals(golden)).toBe(true);
  });

  it('is UTF-16 LE with BOM, CRLF line ends, a final CRLF and tab-indented values', () => {
    const bytes = formatKeyFile(ID, PASSWORD);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = windowsText(bytes);
    expect(text.endsWith('for additional assistance.\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(17);
    expect(lines[6]).toBe(`\t${BARE_ID}`);
    expect(lines[12]).toBe(`\t${PASSWORD}`);
  });

  it('refuses a key that fails the checksum, without repeating it', () => {
    const bad = PASSWORD.replace('000033', '000034');
    expect(() => formatKeyFile(ID, bad)).toThrow(
      expect.objectContaining({ code: 'InvalidRecoveryPassword', message: expect.not.stringContaining('000034') }),
    );
  });
});

describe('parseKeyFile', () => {
  /** The golden file as a string, to edit and re-encode. */
  const text = windowsText(golden);

  it('reads the golden file back', () => {
    expect(parseKeyFile(golden)).toEqual({ identifier: BARE_ID, recoveryPassword: PASSWORD });
  });

  it('reads what formatKeyFile writes', () => {
    expect(parseKeyFile(formatKeyFile(ID, PASSWORD))).toEqual({ identifier: BARE_ID, recoveryPassword: PASSWORD });
  });

  it('tolerates LF line ends and UTF-8, with or without BOM, as after editing in Notepad', () => {
    const lf = text.replaceAll('\r\n', '\n');
    const expected = { identifier: BARE_ID, recoveryPassword: PASSWORD };
    expect(parseKeyFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lf, 'utf16le')]))).toEqual(expected);
    expect(parseKeyFile(Buffer.from(lf, 'utf8'))).toEqual(expected);
    expect(parseKeyFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toEqual(expected);
  });

  it('returns the identifier upper-case without braces', () => {
    const braced = text.replace(BARE_ID, ID);
    expect(parseKeyFile(Buffer.from(braced, 'utf8'))?.identifier).toBe(BARE_ID);
  });

  it.each([
    ['a bad checksum', (t: string) => t.replace('000033', '000034')],
    ['a missing key', (t: string) => t.replace(PASSWORD, '')],
    ['a missing identifier', (t: string) => t.replace(BARE_ID, '')],
    ['an identifier that is no GUID', (t: string) => t.replace(BARE_ID, 'not-a-guid')],
    ['another first line', (t: string) => `Shopping list\r\n${t}`],
    ['no labels', (t: string) => t.replace('Recovery Key:', 'Key')],
  ])('returns null for %s', (_, edit) => {
    expect(parseKeyFile(Buffer.from(edit(text), 'utf8'))).toBeNull();
  });

  it('returns null for empty or random bytes', () => {
    expect(parseKeyFile(Buffer.alloc(0))).toBeNull();
    expect(parseKeyFile(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41]))).toBeNull();
  });
});
