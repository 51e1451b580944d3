import { describe, expect, it } from 'vitest';
import { containsRecoveryPassword, redact, REDACTED } from './redact';

const password = '123456-234567-345678-456789-567890-678901-789012-890123';

describe('redact', () => {
  it('masks a recovery password with hyphens or spaces, wherever it stands', () => {
    expect(redact(`key ${password} end`)).toBe(`key ${REDACTED} end`);
    expect(redact(password.replaceAll('-', ' '))).toBe(REDACTED);
    expect(redact(`a${password}\n${password}`)).not.toMatch(/\d{6}-/);
  });

  it('leaves other numbers alone', () => {
    expect(redact('0x80310035 at 2026-03-01 123456-234567')).toBe('0x80310035 at 2026-03-01 123456-234567');
  });

  it('detects one', () => {
    expect(containsRecoveryPassword(`x ${password}`)).toBe(true);
    expect(containsRecoveryPassword('x')).toBe(false);
  });
});
