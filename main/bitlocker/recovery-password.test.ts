import { describe, expect, it } from 'vitest';
import { assertValidRecoveryPassword, isValidRecoveryPassword, normalizeRecoveryPassword } from './recovery-password';

// Every group is 11 × k with k < 65536: 11×3, 11×45678, …, 11×65535 (the largest allowed group).
const VALID = '000033-502458-135795-660000-099990-299002-345565-720885';
const ALSO_VALID = '111111-222222-333333-444444-555555-666666-000000-712712';

describe('isValidRecoveryPassword', () => {
  it.each([VALID, ALSO_VALID])('accepts %s', (password) => {
    expect(isValidRecoveryPassword(password)).toBe(true);
  });

  it.each([
    ['a group not divisible by 11', '000034-502458-135795-660000-099990-299002-345565-720885'],
    ['a group of 720896 (65536 × 11)', '000033-502458-135795-660000-099990-299002-345565-720896'],
    ['a group above 720896 that divides by 11', '000033-502458-135795-660000-099990-299002-345565-999999'],
    ['seven groups', '000033-502458-135795-660000-099990-299002-345565'],
    ['nine groups', `${VALID}-000000`],
    ['a five-digit group', '00033-502458-135795-660000-099990-299002-345565-720885'],
    ['letters', '000033-502458-13579A-660000-099990-299002-345565-720885'],
    ['spaces instead of hyphens', VALID.replaceAll('-', ' ')],
    ['surrounding whitespace', ` ${VALID}`],
    ['non-ASCII digits', VALID.replace('0', '٠')],
    ['the empty string', ''],
  ])('rejects %s', (_, password) => {
    expect(isValidRecoveryPassword(password)).toBe(false);
  });
});

describe('normalizeRecoveryPassword', () => {
  it('returns the hyphenated form for hyphens, spaces and surrounding whitespace', () => {
    expect(normalizeRecoveryPassword(VALID)).toBe(VALID);
    expect(normalizeRecoveryPassword(VALID.replaceAll('-', ' '))).toBe(VALID);
    expect(normalizeRecoveryPassword(`  \t${VALID.replace('-', ' ')}\r\n`)).toBe(VALID);
  });

  it.each([
    ['a bad group', VALID.replace('000033', '000034')],
    ['a group ≥ 720896', VALID.replace('720885', '720896')],
    ['wrong count', VALID.slice(0, -7)],
    ['letters', VALID.replace('502458', '50245B')],
    ['doubled separators', VALID.replace('-', '--')],
    ['no separators', VALID.replaceAll('-', '')],
  ])('returns null for %s', (_, input) => {
    expect(normalizeRecoveryPassword(input)).toBeNull();
  });
});

describe('assertValidRecoveryPassword', () => {
  it('passes a valid key and refuses a bad one without repeating it', () => {
    expect(() => assertValidRecoveryPassword(VALID)).not.toThrow();
    expect(() => assertValidRecoveryPassword(VALID.replace('000033', '000034'))).toThrow(
      expect.objectContaining({ name: 'AppFailure', code: 'InvalidRecoveryPassword', message: expect.not.stringContaining('000034') }),
    );
    expect(() => assertValidRecoveryPassword('')).toThrow(
      expect.objectContaining({ message: "This recovery key isn't valid: one of its groups fails the checksum or the format is wrong." }),
    );
  });
});
