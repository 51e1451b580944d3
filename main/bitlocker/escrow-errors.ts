import type { ErrorCodeT } from '../../preload/contract';
import { AppFailure } from '../errors';

/** WinHTTP/WinINet failures: no connection, name not resolved, TLS, timeout (bitlocker.md §2). */
const NETWORK = new Set(['0x80072F8F', '0x80072EE7', '0x80072EFD', '0x80072EE2', '0x80072EFE', '0x80072F78', '0x80072F7D', '0x800704CF']);

const BY_HRESULT: Record<string, ErrorCodeT> = {
  '0x801C0450': 'EntraNotJoined', // the device is not Entra-joined (domain-only PC)
  '0x00000001': 'PolicyForbids', // S_FALSE from Backup-BitLockerKeyProtector: policy forbids AD backup
  '0x8007054B': 'DomainNotJoined', // ERROR_NO_SUCH_DOMAIN
  '0x80070525': 'DomainNotJoined',
  '0x80310008': 'CmdletFailed', // BitLocker not enabled on the volume
  '0x8031003A': 'ProtectorNotFound', // not a recovery-password protector
};

/** A failed escrow cmdlet, turned into the code the result page explains. Other failures pass unchanged. */
export function mapEscrowError(error: unknown): unknown {
  if (!(error instanceof AppFailure) || error.code !== 'CmdletFailed' || error.hresult === null) return error;
  const hresult = error.hresult.toUpperCase().replace(/^0X/, '0x');
  const code = NETWORK.has(hresult) ? 'NetworkUnavailable' : BY_HRESULT[hresult];
  return code && code !== error.code ? new AppFailure(code, error.message, error.hresult) : error;
}
