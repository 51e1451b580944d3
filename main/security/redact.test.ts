import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsRecoveryPassword, redact, RECOVERY_PASSWORD_PATTERN, REDACTED } from './redact';

const groups = ['123456', '234567', '345678', '456789', '567890', '678901', '789012', '890123'];
const password = groups.join('-');

describe('redact', () => {
  it.each([
    ['hyphens', '-'],
    ['spaces', ' '],
    ['nothing', ''],
    ['tabs', '\t'],
    ['no-break spaces', '\u00A0'],
    ['narrow no-break spaces', '\u202F'],
    ['en dashes', '\u2013'],
    ['em dashes', '\u2014'],
    ['dots', '.'],
    ['line breaks', '\r\n'],
    ['spaced hyphens', ' - '],
  ])('masks a recovery password written with %s between the groups', (_name, separator) => {
    const written = groups.join(separator);
    expect(redact(`key ${written} end`)).toBe(`key ${REDACTED} end`);
    expect(containsRecoveryPassword(`x${written}x`)).toBe(true);
  });

  it('masks two keys on two lines as two', () => {
    expect(redact(`a${password}\n${password}`)).toBe(`a${REDACTED}\n${REDACTED}`);
  });

  it('leaves other numbers alone', () => {
    expect(redact('0x80310035 at 2026-03-01 123456-234567')).toBe('0x80310035 at 2026-03-01 123456-234567');
    expect(redact('1'.repeat(47))).toBe('1'.repeat(47));
    expect(containsRecoveryPassword('x')).toBe(false);
  });

  it('is the very pattern the PowerShell module masks with', () => {
    const module = readFileSync(join(__dirname, '..', 'powershell', 'BitLockerKeyBackup.psm1'), 'utf8');
    const declared = /^\$script:RecoveryPasswordLike = '(.*)'$/m.exec(module);
    expect(declared?.[1]).toBe(RECOVERY_PASSWORD_PATTERN);
  });
});
