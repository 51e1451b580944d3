import { beforeEach, describe, expect, it } from 'vitest';
import { KEY_TEXT } from './key-file';
import { renderKeyPage, type KeyPageInput } from './print-page';

const FIRST = { keyProtectorId: '{8a696888-99a7-4fac-92c7-6cc497ea7bdf}', recoveryPassword: '000033-502458-135795-660000-099990-299002-345565-720885' };
const SECOND = { keyProtectorId: '{11111111-2222-3333-4444-555555555555}', recoveryPassword: '111111-222222-333333-444444-555555-666666-000000-712712' };

const input: KeyPageInput = {
  computerName: 'DESKTOP-42',
  mountPoint: 'C:',
  label: 'Windows',
  printedAt: new Date(2026, 2, 1, 9, 5),
  keys: [FIRST, SECOND],
};

const escapedSentence = (text: string): string => text.replaceAll("'", '&#39;');

describe('renderKeyPage', () => {
  // Rendered in each test, not once while the file loads, so each test judges the code as it is then.
  let html: string;
  beforeEach(() => {
    html = renderKeyPage(input);
  });

  it('is a complete document with the locked-down CSP and no scripts or external resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<title>BitLocker recovery key</title>');
    expect(html).toContain('@page');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('names the computer, the drive with its label and when it was printed', () => {
    expect(html).toContain('DESKTOP-42');
    expect(html).toContain('C: (Windows)');
    expect(html).toContain('2026-03-01, 09:05 local time');
    expect(renderKeyPage({ ...input, label: null })).toMatch(/<dd>C:<\/dd>/);
  });

  it("repeats the key file's facts and sentences for every key, in order", () => {
    const expected = [
      escapedSentence(KEY_TEXT.verify),
      '8A696888-99A7-4FAC-92C7-6CC497EA7BDF',
      escapedSentence(KEY_TEXT.matches),
      FIRST.recoveryPassword,
      escapedSentence(KEY_TEXT.doesNotMatch),
      escapedSentence(KEY_TEXT.help),
      '11111111-2222-3333-4444-555555555555',
      SECOND.recoveryPassword,
      escapedSentence(KEY_TEXT.help),
    ];
    let from = 0;
    for (const text of expected) {
      const at = html.indexOf(text, from);
      expect(at, text).toBeGreaterThanOrEqual(from);
      from = at + text.length;
    }
  });

  it('escapes every interpolated value', () => {
    const hostile = renderKeyPage({
      ...input,
      computerName: `O'Brien "PC" $(Get-Process)`,
      mountPoint: '<script>alert(1)</script>',
      label: `Tom & Jerry's "USB" <b>`,
    });
    expect(hostile).not.toContain('<script');
    expect(hostile).not.toContain('<b>');
    expect(hostile).toContain('O&#39;Brien &quot;PC&quot; $(Get-Process)');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('Tom &amp; Jerry&#39;s &quot;USB&quot; &lt;b&gt;');
  });

  it('refuses a key that fails the checksum or an identifier that is no GUID, without repeating the key', () => {
    const bad = FIRST.recoveryPassword.replace('000033', '000034');
    expect(() => renderKeyPage({ ...input, keys: [{ ...FIRST, recoveryPassword: bad }] })).toThrow(
      expect.objectContaining({ code: 'InvalidRecoveryPassword', message: expect.not.stringContaining('000034') }),
    );
    expect(() => renderKeyPage({ ...input, keys: [{ ...FIRST, keyProtectorId: '<img src=x>' }] })).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
  });
});
