import { describe, expect, it } from 'vitest';
import type { BackupReportT } from '../../preload/contract';
import { scriptedModule } from '../../tests/support/scripted-module';
import { RECOVERY, TPM, volume } from '../../tests/support/volumes';
import type { CliServices } from './commands';
import { ensureEscrow } from './commands';

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined };

describe('ensureEscrow', () => {
  it('keeps its reports and says "unknown" when the status cannot be read again afterwards, never "all done"', async () => {
    let historyReads = 0;
    const { session } = scriptedModule({
      'Get-BkbEnvironment': () => ({ computerName: 'PC', elevated: true, edition: 'Enterprise', entraJoined: true, domainJoined: false, domainName: null, tenantName: 'Contoso', bitLockerModule: true, intuneManaged: true, powerShellVersion: '5.1' }),
      'Get-BkbVolumes': () => ({ volumes: [volume({ keyProtectors: [TPM, RECOVERY] })] }),
      'Get-BkbKeyHistory': () => {
        // The first read finds the key missing; the read after sending fails (the event log service stopped).
        if (++historyReads > 1) throw Object.assign(new Error('The event log service is unavailable.'), { code: 'CmdletFailed' });
        return { events: [], logStartsAt: null, truncated: false };
      },
    });
    const sent: BackupReportT = {
      mountPoint: 'C:',
      destination: 'entra',
      startedAt: '2026-03-02T09:00:00.000Z',
      outcomes: [{ keyProtectorId: RECOVERY.keyProtectorId, status: 'confirmed', path: null, event: { id: 845, time: '2026-03-02T09:00:05.000Z' }, error: null }],
    };
    const services = {
      session,
      log,
      history: { entries: () => [], record: () => undefined },
      audit: async () => true,
      runner: { runAll: async () => [sent] },
      environment: () => session.call('Get-BkbEnvironment', {}),
    } as unknown as CliServices;
    const result = await ensureEscrow(services);
    expect(result).toMatchObject({ exit: 'unknown', status: null, reports: [sent], summary: 'Sent 1 recovery key to Microsoft Entra ID; Windows confirmed each.' });
  });
});
