import { AppFailure } from '../errors';
import type { PowerShellSession } from '../powershell/session';
import { isValidRecoveryPassword } from './recovery-password';

export interface RecoveryKey {
  keyProtectorId: string;
  recoveryPassword: string;
}

/**
 * Reads one recovery password, only when a backup needs it; it stays in main and goes only to the
 * destination. A value that fails the checksum is never written anywhere.
 */
export async function readRecoveryKey(session: PowerShellSession, mountPoint: string, keyProtectorId: string): Promise<RecoveryKey> {
  const { recoveryPassword } = await session.call('Get-BkbRecoveryPassword', { mountPoint, keyProtectorId });
  if (!isValidRecoveryPassword(recoveryPassword)) {
    throw new AppFailure('InvalidRecoveryPassword', `Windows returned a recovery password for ${keyProtectorId} that fails its checksum.`);
  }
  return { keyProtectorId, recoveryPassword };
}
