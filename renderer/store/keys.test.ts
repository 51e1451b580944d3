// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fail, installFakeBridge, ok, successfulReport } from '../testing/fake-bridge';
import { entraOptionsWithNewKey, environment, keyStatus, keyStatusReport, NEW_KEY, RECOVERY, RECOVERY_2, TPM, volume } from '../testing/fixtures';
import { settle } from '../testing/wizard';
import { selectMissingKeys } from './key-selectors';
import { createWizardStore } from './wizard';

const ENTRA = environment({ entraJoined: true, tenantName: 'Contoso' });
const OLD = RECOVERY.keyProtectorId;

async function loaded(pc: Parameters<typeof installFakeBridge>[0] = {}) {
  const fake = installFakeBridge(pc);
  const store = createWizardStore();
  await store.getState().load();
  await settle();
  return { fake, store };
}

/** Replace → add → destination (Entra ID, chosen already on an Entra-joined PC) → confirm: ready to run. */
async function rotatingOnEntra() {
  const { fake, store } = await loaded({ environment: ENTRA, backupOptions: entraOptionsWithNewKey });
  store.getState().startRotate('C:', OLD);
  await store.getState().addKey();
  await settle();
  store.getState().next();
  return { fake, store };
}

describe('key status', () => {
  it('is read after the volumes, and its failure leaves the drives usable', async () => {
    const fake = installFakeBridge();
    fake.getKeyStatus.mockResolvedValueOnce(fail('Timeout', 'Get-WinEvent took too long.'));
    const store = createWizardStore();
    await store.getState().load();
    await settle();
    expect(fake.listVolumes.mock.invocationCallOrder[0]).toBeLessThan(fake.getKeyStatus.mock.invocationCallOrder[0] ?? 0);
    expect(store.getState()).toMatchObject({ step: 'drives', error: null, keyStatus: null, keyStatusError: { code: 'Timeout' } });
    expect(store.getState().volumes).toHaveLength(1);

    await store.getState().loadKeyStatus();
    expect(store.getState()).toMatchObject({ keyStatusError: null, keyStatus: { directory: null } });
  });

  it('counts as missing only keys of unlocked drives: not in the directory, or with no backup known on a home PC', async () => {
    const volumes = [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] }), volume({ mountPoint: 'E:', driveType: 'Fixed', lockStatus: 'Locked', keyProtectors: [NEW_KEY] })];
    const home = keyStatusReport(volumes, environment(), {
      drives: [
        { mountPoint: 'C:', keys: [keyStatus({ summary: 'backedUp' }), keyStatus({ keyProtectorId: RECOVERY_2.keyProtectorId, summary: 'unknown', createdAt: null })], removedKeys: [] },
        { mountPoint: 'E:', keys: [keyStatus({ keyProtectorId: NEW_KEY.keyProtectorId })], removedKeys: [] },
      ],
    });
    const { store } = await loaded({ volumes, keyStatus: home });
    expect(selectMissingKeys(store.getState())).toEqual([{ mountPoint: 'C:', keyProtectorId: RECOVERY_2.keyProtectorId }]);
  });
});

describe('replacing a disclosed key', () => {
  it('adds a key, backs up only the new one, and removes the old one once Windows confirmed the backup', async () => {
    const { fake, store } = await rotatingOnEntra();
    expect(fake.addRecoveryPassword.mock.calls).toEqual([[{ mountPoint: 'C:' }]]);
    expect(store.getState()).toMatchObject({ step: 'confirm', selectedDrive: 'C:', selectedKeyIds: [NEW_KEY.keyProtectorId], draft: { kind: 'entra' } });
    expect(fake.removeOldKey).not.toHaveBeenCalled();

    await store.getState().runBackup();
    expect(fake.runBackup.mock.calls[0]?.[0]).toMatchObject({ mountPoint: 'C:', keyProtectorIds: [NEW_KEY.keyProtectorId], destination: { kind: 'entra' } });
    expect(fake.removeOldKey.mock.calls).toEqual([[{ mountPoint: 'C:', keyProtectorId: OLD, replacedBy: NEW_KEY.keyProtectorId }]]);
    expect(store.getState()).toMatchObject({ step: 'rotateResult', keyChange: { phase: 'removed', oldKeyId: OLD, newKeyId: NEW_KEY.keyProtectorId } });
  });

  it.each([
    ['failed', { status: 'failed' as const, error: { code: 'BackupRejected' as const, message: 'Event 846.', hresult: null } }],
    ['sent but not confirmed', { status: 'sentNotConfirmed' as const, error: null }],
  ])('never removes the old key when the new key’s backup %s', async (_name, outcome) => {
    const { fake, store } = await rotatingOnEntra();
    fake.runBackup.mockImplementationOnce(async (request) => {
      const report = successfulReport(request);
      return ok({ ...report, outcomes: report.outcomes.map((o) => ({ ...o, ...outcome, event: null })) });
    });
    await store.getState().runBackup();
    expect(fake.removeOldKey).not.toHaveBeenCalled();
    expect(store.getState()).toMatchObject({ step: 'result', keyChange: { phase: 'backingUp', newKeyId: NEW_KEY.keyProtectorId } });
  });

  it('never removes the old key after only printing the new one: paper cannot be read back', async () => {
    const { fake, store } = await loaded({ environment: ENTRA, backupOptions: entraOptionsWithNewKey });
    store.getState().startRotate('C:', OLD);
    await store.getState().addKey();
    await settle();
    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    expect(store.getState().report?.outcomes[0]?.status).toBe('printed');
    expect(fake.removeOldKey).not.toHaveBeenCalled();
  });

  it('goes on when "Check again" finds the confirmation that was missing', async () => {
    const { fake, store } = await rotatingOnEntra();
    fake.runBackup.mockImplementationOnce(async (request) => {
      const report = successfulReport(request);
      return ok({ ...report, outcomes: report.outcomes.map((o) => ({ ...o, status: 'sentNotConfirmed' as const, event: null })) });
    });
    await store.getState().runBackup();
    expect(fake.removeOldKey).not.toHaveBeenCalled();
    await store.getState().checkAgain();
    expect(fake.removeOldKey).toHaveBeenCalledOnce();
    expect(store.getState().keyChange?.phase).toBe('removed');
  });

  it('keeps both keys when removing the old one fails, and tries again on request', async () => {
    const { fake, store } = await rotatingOnEntra();
    fake.removeOldKey.mockResolvedValueOnce(fail('CmdletFailed', 'Remove-BitLockerKeyProtector failed.'));
    await store.getState().runBackup();
    expect(store.getState()).toMatchObject({ step: 'rotateResult', keyChange: { phase: 'removeFailed', error: { code: 'CmdletFailed' } } });
    await store.getState().retryRemoveOld();
    expect(fake.removeOldKey).toHaveBeenCalledTimes(2);
    expect(store.getState().keyChange?.phase).toBe('removed');
    await store.getState().finishKeyChange();
    expect(store.getState()).toMatchObject({ step: 'drives', keyChange: null, report: null });
  });

  it('stays on the question with the reason when adding fails, and opens no backup', async () => {
    const { fake, store } = await loaded();
    fake.addRecoveryPassword.mockResolvedValueOnce(fail('PolicyForbids', 'Group Policy does not allow recovery passwords.'));
    store.getState().startRotate('C:', OLD);
    await store.getState().addKey();
    expect(store.getState()).toMatchObject({ step: 'rotate', keyChange: { phase: 'confirm', newKeyId: null, error: { code: 'PolicyForbids' } } });
    expect(fake.getBackupOptions).not.toHaveBeenCalled();
  });
});

describe('adding a recovery password', () => {
  it('opens the backup wizard with the new key selected, and forgets the change once it is backed up', async () => {
    const { fake, store } = await loaded({ volumes: [volume({ mountPoint: 'D:', driveType: 'Fixed', keyProtectors: [TPM] })] });
    store.getState().startAddKey('D:');
    expect(store.getState().step).toBe('addKey');
    await store.getState().addKey();
    await settle();
    expect(fake.getBackupOptions.mock.calls).toEqual([[{ mountPoint: 'D:' }]]);
    expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'D:', selectedKeyIds: [NEW_KEY.keyProtectorId] });
    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    expect(store.getState().keyChange).toBeNull();
    expect(fake.removeOldKey).not.toHaveBeenCalled();
  });
});

describe('backing up what isn’t', () => {
  const notInEntra = (volumes: ReturnType<typeof volume>[]) =>
    keyStatusReport(volumes, ENTRA, {
      drives: [{ mountPoint: 'C:', keys: [keyStatus(), keyStatus({ keyProtectorId: RECOVERY_2.keyProtectorId })], removedKeys: [] }],
    });

  it('sends every missing key in one call, following each key’s progress, then reads the status again', async () => {
    const volumes = [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })];
    const { fake, store } = await loaded({ environment: ENTRA, volumes, keyStatus: notInEntra(volumes) });
    const statusReads = fake.getKeyStatus.mock.calls.length;
    let answer: (value: Awaited<ReturnType<typeof fake.backupMissing>>) => void = () => {};
    fake.backupMissing.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const run = store.getState().backUpMissing();
    expect(store.getState()).toMatchObject({ step: 'backupMissing', missing: { directory: 'entra', running: true } });
    expect(store.getState().missing?.keys.map((k) => k.keyProtectorId)).toEqual([OLD, RECOVERY_2.keyProtectorId]);
    fake.emitProgress({ keyProtectorId: OLD, stage: 'sending' });
    fake.emitProgress({ keyProtectorId: RECOVERY_2.keyProtectorId, stage: 'confirming', waitedMs: 2_000, waitLimitMs: 15_000 });
    expect(store.getState().missing).toMatchObject({ started: [OLD, RECOVERY_2.keyProtectorId], latest: { keyProtectorId: RECOVERY_2.keyProtectorId, stage: 'confirming' } });

    answer(ok({ destination: 'entra', reports: [] }));
    await run;
    expect(fake.backupMissing.mock.calls).toEqual([[{}]]);
    expect(store.getState()).toMatchObject({ step: 'backupMissingResult', missing: { running: false, error: null } });
    expect(fake.getKeyStatus.mock.calls.length).toBe(statusReads + 1);
  });

  it('walks a home PC through the wizard drive by drive with the un-backed-up keys selected, then reads the drives again', async () => {
    const volumes = [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] }), volume({ mountPoint: 'D:', label: 'Data', driveType: 'Fixed', keyProtectors: [TPM, NEW_KEY] })];
    const status = keyStatusReport(volumes, environment(), {
      drives: [
        { mountPoint: 'C:', keys: [keyStatus({ summary: 'backedUp' }), keyStatus({ keyProtectorId: RECOVERY_2.keyProtectorId })], removedKeys: [] },
        { mountPoint: 'D:', keys: [keyStatus({ keyProtectorId: NEW_KEY.keyProtectorId, summary: 'unknown', createdAt: null })], removedKeys: [] },
      ],
    });
    const { fake, store } = await loaded({ volumes, keyStatus: status });
    await store.getState().backUpMissing();
    await settle();
    expect(fake.backupMissing).not.toHaveBeenCalled();
    expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'C:', selectedKeyIds: [RECOVERY_2.keyProtectorId] });

    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    await store.getState().finish();
    await settle();
    expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'D:', selectedKeyIds: [NEW_KEY.keyProtectorId] });

    const reads = fake.listVolumes.mock.calls.length;
    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    await store.getState().finish();
    await settle();
    expect(store.getState()).toMatchObject({ step: 'drives', guided: null });
    expect(fake.listVolumes.mock.calls.length).toBe(reads + 1);
  });
});

describe('the saved-key checker', () => {
  it('changes nothing when the folder picker is cancelled, and shows the verdicts otherwise', async () => {
    const { fake, store } = await loaded();
    fake.checkSavedKeys.mockResolvedValueOnce(ok({ cancelled: true as const }));
    await store.getState().checkSavedKeys();
    expect(store.getState()).toMatchObject({ step: 'drives', savedCheck: null, checkingSaved: false });

    await store.getState().checkSavedKeys();
    expect(store.getState()).toMatchObject({ step: 'savedKeys', savedCheck: { folder: 'E:\\', files: [{ keyProtectorId: OLD, verdict: 'current', mountPoint: 'C:' }] } });
    store.getState().closeSavedKeys();
    expect(store.getState()).toMatchObject({ step: 'drives', savedCheck: null });
  });
});
