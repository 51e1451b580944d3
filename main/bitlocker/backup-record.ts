/**
 * What every finished backup leaves behind, whether the window or the command line ran it: a line in the app's
 * log, entries in the backup history (the evidence the key status shows) and one in the audit trail. By key ID
 * only. None of the three may turn a backup that worked into one that failed.
 */
import type { BackupReportT } from '../../preload/contract';
import type { AppLog } from '../log/app-log';
import type { Audit } from './audit';
import type { BackupHistory } from './backup-history';

const SETTLED = new Set(['verified', 'confirmed', 'alreadyPresent', 'printed']);

export interface BackupRecorders {
  log: AppLog;
  history: BackupHistory;
  audit: Audit;
}

/** Records a backup's report; answers whether the audit trail took it. */
export async function recordBackup({ log, history, audit }: BackupRecorders, report: BackupReportT): Promise<boolean> {
  log.info('backup finished', {
    mountPoint: report.mountPoint,
    destination: report.destination,
    outcomes: report.outcomes.map((o) => ({ id: o.keyProtectorId, status: o.status, code: o.error?.code ?? null, event: o.event?.id ?? null })),
  });
  try {
    history.record(report);
  } catch (error) {
    log.warn('backup history not written', { reason: error instanceof Error ? error.message : String(error) });
  }
  const settled = report.outcomes.filter((o) => SETTLED.has(o.status)).length;
  return audit({
    action: 'backup',
    outcome: settled === report.outcomes.length ? 'succeeded' : settled === 0 ? 'failed' : 'partial',
    mountPoint: report.mountPoint,
    keyProtectorIds: report.outcomes.map((o) => o.keyProtectorId),
    destination: report.destination,
  });
}
