import { describe, expect, it } from 'vitest';
import { describeHResult } from './hresult-text';

describe('describeHResult', () => {
  it('gives plain words for BitLocker’s own codes instead of "Exception from HRESULT"', () => {
    expect(describeHResult('0x80310000', 'Exception from HRESULT: 0x80310000')).toBe('The drive is locked. Unlock it in File Explorer, then try again.');
    expect(describeHResult('0x8031003a', 'Exception from HRESULT: 0x8031003A')).toBe('That key protector is not a recovery password.');
  });

  // The FVE_E_* codes as winerror.h defines them: each gets words for what it means, not for a neighbouring code.
  it.each([
    ['0x8031000F', /Active Directory has no record/], // FVE_E_AD_GUID_NOT_FOUND
    ['0x80310037', /FIPS compliance does not allow recovery passwords/], // FVE_E_FIPS_PREVENTS_RECOVERY_PASSWORD
    ['0x8031005C', /does not allow recovery passwords/], // FVE_E_POLICY_RECOVERY_PASSWORD_NOT_ALLOWED
    ['0x8031005D', /requires this drive to keep a recovery password/], // FVE_E_POLICY_RECOVERY_PASSWORD_REQUIRED
    ['0x8031005E', /does not allow recovery keys \(startup key files\)/], // FVE_E_POLICY_RECOVERY_KEY_NOT_ALLOWED
    ['0x80310067', /TPM alone/], // FVE_E_POLICY_STARTUP_TPM_REQUIRED
    ['0x80310080', /not as long as Group Policy requires/], // FVE_E_POLICY_INVALID_PASSPHRASE_LENGTH
  ])('describes %s as what it is', (hresult, words) => {
    expect(describeHResult(hresult, `Exception from HRESULT: ${hresult}`)).toMatch(words);
  });

  it('never calls a code that names no recovery password a recovery-password policy, nor one outside AD an AD failure', () => {
    expect(describeHResult('0x80310067', 'x')).not.toMatch(/recovery password/);
    expect(describeHResult('0x8031005E', 'x')).not.toMatch(/Active Directory/);
  });

  it('keeps Windows’ own text when it says more than the code', () => {
    expect(describeHResult('0x80004005', 'The device is not ready.')).toBe('The device is not ready.');
  });

  it('names an unknown code plainly rather than repeating the generic wording', () => {
    expect(describeHResult('0x8031FFFF', 'Exception from HRESULT: 0x8031FFFF')).toBe('Windows reported error 0x8031FFFF.');
  });

  it('leaves messages without an HRESULT alone', () => {
    expect(describeHResult(null, 'Drive C: is locked.')).toBe('Drive C: is locked.');
  });
});
