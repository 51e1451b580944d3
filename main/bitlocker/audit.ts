/**
 * The audit trail: each backup, added or removed key and reveal, by key ID and outcome (never a key), written to
 * Windows' Application log under the app's own event source so a helpdesk or SIEM sees it beside everything else.
 * Writing it must never undo or fail the action it records: the answer says whether it was written.
 */
import type { ModuleRequest } from '../powershell/module-api';
import type { PowerShellSession } from '../powershell/session';

/** What one entry says: the action, how it ended, the drive, the key IDs and, for a backup, where it went. */
export type AuditEntry = ModuleRequest<'Write-BkbAuditEvent'>;

export type Audit = (entry: AuditEntry) => Promise<boolean>;

/** The audit trail through the module (Write-BkbAuditEvent); a failure to write is an answer, never an exception. */
export function moduleAudit(session: PowerShellSession): Audit {
  return async (entry) => {
    try {
      return (await session.call('Write-BkbAuditEvent', entry)).written;
    } catch {
      return false;
    }
  };
}
