import { describe, expect, it } from 'vitest';
import { AppFailure } from '../errors';
import { mapEscrowError } from './escrow-errors';

describe('mapEscrowError', () => {
  it.each([
    ['0x801C0450', 'EntraNotJoined'],
    ['0x80072F8F', 'NetworkUnavailable'],
    ['0x80072ee7', 'NetworkUnavailable'],
    ['0x00000001', 'PolicyForbids'],
    ['0x8007054B', 'DomainNotJoined'],
    ['0x8031003A', 'ProtectorNotFound'],
    ['0x80310008', 'CmdletFailed'],
    ['0x80004005', 'CmdletFailed'],
  ])('maps HRESULT %s to %s, keeping the HRESULT', (hresult, code) => {
    const mapped = mapEscrowError(new AppFailure('CmdletFailed', 'failed', hresult));
    expect(mapped).toMatchObject({ code, hresult });
  });

  it('leaves session failures and other codes alone', () => {
    const timeout = new AppFailure('Timeout', 'slow');
    expect(mapEscrowError(timeout)).toBe(timeout);
    const plain = new Error('x');
    expect(mapEscrowError(plain)).toBe(plain);
  });

  it('passes a cmdlet failure on unchanged when there is nothing to map: no HRESULT, an unknown one, or the same code', () => {
    for (const hresult of [null, '0x80004005', '0x80310008']) {
      const failure = new AppFailure('CmdletFailed', 'failed', hresult);
      expect(mapEscrowError(failure), String(hresult)).toBe(failure);
    }
  });
});
