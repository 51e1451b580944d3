import { describe, expect, it } from 'vitest';
import { describeHResult } from './hresult-text';

describe('describeHResult', () => {
  it('gives plain words for BitLocker’s own codes instead of "Exception from HRESULT"', () => {
    expect(describeHResult('0x80310000', 'Exception from HRESULT: 0x80310000')).toBe('The drive is locked. Unlock it in File Explorer, then try again.');
    expect(describeHResult('0x8031003a', 'Exception from HRESULT: 0x8031003A')).toBe('That key protector is not a recovery password.');
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
