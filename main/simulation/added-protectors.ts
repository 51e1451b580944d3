/**
 * Recovery passwords the simulated PC adds (Add-BkbRecoveryPassword → ProtectKeyWithNumericalPassword). Windows
 * makes up a random id and password; the simulated PC derives both from what it already knows, so that the Node
 * host and the fake Windows for pwsh (tests/fake-windows, New-FakeAddedProtector) add the very same key and the
 * differential test can compare everything that follows. Only the id is kept in the state file; the password is
 * derived again whenever Windows would read it.
 */
import { createHash } from 'node:crypto';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The id of the n-th (1-based) recovery password added on this PC, to the volume at `mountPoint`. */
export function addedProtectorId(mountPoint: string, n: number): string {
  const hex = sha256(`bkb-added-protector:${mountPoint.toUpperCase()}:${n}`).toString('hex').toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

/** Its password: 8 groups, each a 16-bit value (big-endian from the hash) times 11, as Windows' own are. */
export function addedRecoveryPassword(keyProtectorId: string): string {
  const bytes = sha256(`bkb-recovery-password:${keyProtectorId.toUpperCase()}`);
  return Array.from({ length: 8 }, (_, i) => String(bytes.readUInt16BE(2 * i) * 11).padStart(6, '0')).join('-');
}
