// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { chosenFile, deferred, fail, ok, successfulReport } from '../testing/fake-bridge';
import { backupOptions, environment, keyFileName, outcome, RECOVERY, RECOVERY_2, report, STARTED_AT, TPM, usbDrive, volume } from '../testing/fixtures';
import { atDestination, settle } from '../testing/wizard';
import {
  existingTargets,
  resultKind,
  selectBackupRequest,
  selectCanCheckAgain,
  selectCanReplace,
  selectCanRetry,
  selectCanRun,
  selectDraftComplete,
  selectNextBlocker,
} from './backup-selectors';
import { selectPage } from './selectors';

const twoKeys = { volumes: [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })] };
const everywhere = backupOptions({
  destinations: (['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print'] as const).map((kind) => ({ kind, available: true, reason: null })),
});
const fileE = (id: string) => `E:\\${keyFileName(id)}`;

describe('backup store: destination step', () => {
  it('reads the drive\'s options on chooseDrive and checks every recovery key', async () => {
    const { fake, store } = await atDestination(twoKeys);
    expect(fake.getBackupOptions).toHaveBeenCalledWith({ mountPoint: 'C:' });
    expect(store.getState()).toMatchObject({
      step: 'destination',
      backupDrive: 'C:',
      backupOptionsLoading: false,
      selectedKeyIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId],
    });
    expect(selectDraftComplete(store.getState())).toBe(false);
  });

  it('keeps the last checked key checked and drops files chosen for another selection', async () => {
    const { store } = await atDestination(twoKeys);
    store.getState().chooseDestination('file');
    await store.getState().chooseFileTargets('text');
    store.getState().chooseDestination('print');
    store.getState().choosePrintMode('pdf');
    await store.getState().chooseFileTargets('pdf');
    expect(store.getState().draft.fileTargets).toHaveLength(2);
    expect(store.getState().draft.pdfTarget).not.toBeNull();
    store.getState().toggleKey(RECOVERY.keyProtectorId);
    expect(store.getState().selectedKeyIds).toEqual([RECOVERY_2.keyProtectorId]);
    expect(store.getState().draft).toMatchObject({ fileTargets: null, pdfTarget: null });
    store.getState().toggleKey(RECOVERY_2.keyProtectorId);
    expect(store.getState().selectedKeyIds).toEqual([RECOVERY_2.keyProtectorId]);
    store.getState().toggleKey(RECOVERY.keyProtectorId);
    // Back in Windows' order, whatever order they were checked in.
    expect(store.getState().selectedKeyIds).toEqual([RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId]);
  });

  it('ignores a destination that is offered but unavailable', async () => {
    const { store } = await atDestination();
    store.getState().chooseDestination('entra');
    expect(store.getState().draft.kind).toBeNull();
  });

  it('shows the options error on the page and reads them again on request', async () => {
    const { fake, store } = await atDestination();
    fake.getBackupOptions.mockResolvedValueOnce(fail('Timeout', 'Get-BkbBackupOptions did not answer.'));
    await store.getState().loadBackupOptions();
    expect(store.getState().backupOptionsError?.code).toBe('Timeout');
    expect(selectPage(store.getState())).toBe('destination');
    await store.getState().loadBackupOptions();
    expect(store.getState().backupOptionsError).toBeNull();
    expect(store.getState().backupOptions).not.toBeNull();
  });

  it('drops an answer that arrives after the user went back', async () => {
    const { fake, store } = await atDestination();
    const late = deferred<Awaited<ReturnType<typeof fake.getBackupOptions>>>();
    fake.getBackupOptions.mockReturnValueOnce(late.promise);
    const reading = store.getState().loadBackupOptions();
    store.getState().back();
    late.resolve(ok(backupOptions({ protectors: [RECOVERY_2] })));
    await reading;
    expect(store.getState()).toMatchObject({ step: 'drives', backupOptionsLoading: false, selectedKeyIds: [RECOVERY.keyProtectorId] });
  });

  it('keeps every choice on Back and for the same drive, starts afresh for another, forgets on Cancel', async () => {
    const { store } = await atDestination({ volumes: [volume(), volume({ mountPoint: 'D:', driveType: 'Fixed' })] });
    store.getState().chooseDestination('usb');
    store.getState().back();
    expect(store.getState()).toMatchObject({ step: 'drives', selectedDrive: null });
    store.getState().chooseDrive('C:');
    await settle();
    expect(store.getState().draft).toMatchObject({ kind: 'usb', usbTarget: 'F:' });

    store.getState().back();
    store.getState().chooseDrive('D:');
    await settle();
    expect(store.getState()).toMatchObject({ selectedDrive: 'D:', backupDrive: 'D:', draft: { kind: null, usbTarget: null } });

    store.getState().chooseDestination('file');
    store.getState().cancel();
    expect(store.getState()).toMatchObject({ step: 'drives', selectedDrive: null, backupDrive: null, backupOptions: null, draft: { kind: null } });
  });

  it('forgets a choice the fresh options no longer allow', async () => {
    const { fake, store } = await atDestination();
    store.getState().chooseDestination('usb');
    fake.getBackupOptions.mockResolvedValueOnce(
      ok(backupOptions({ usbDrives: [usbDrive({ usable: false, reason: 'Locked' })], destinations: backupOptions().destinations.map((d) => (d.kind === 'usb' ? { ...d, available: false, reason: 'NoUsbDrive' } : d)) })),
    );
    await store.getState().loadBackupOptions();
    expect(store.getState().draft).toMatchObject({ kind: null, usbTarget: null });
  });
});

describe('backup store: each destination makes its request', () => {
  it.each(['microsoftAccount', 'entra', 'activeDirectory'] as const)('%s needs nothing more', async (kind) => {
    const { fake, store } = await atDestination({ ...twoKeys, backupOptions: { ...everywhere, protectors: [RECOVERY, RECOVERY_2] } });
    store.getState().chooseDestination(kind);
    expect(selectDraftComplete(store.getState())).toBe(true);
    store.getState().next();
    expect(store.getState().step).toBe('confirm');
    await store.getState().runBackup();
    expect(fake.runBackup).toHaveBeenCalledWith({
      mountPoint: 'C:',
      keyProtectorIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId],
      destination: { kind },
    });
    expect(store.getState()).toMatchObject({ step: 'result', running: false, report: { destination: kind } });
  });

  it('usb picks the only usable stick, refuses an unusable one and never replaces by default', async () => {
    const { fake, store } = await atDestination({
      backupOptions: backupOptions({ usbDrives: [usbDrive(), usbDrive({ mountPoint: 'G:', usable: false, reason: 'Encrypted' })] }),
    });
    store.getState().chooseDestination('usb');
    expect(store.getState().draft.usbTarget).toBe('F:');
    store.getState().chooseUsb('G:');
    expect(store.getState().draft.usbTarget).toBe('F:');
    store.getState().next();
    await store.getState().runBackup();
    expect(fake.runBackup.mock.calls[0]?.[0].destination).toEqual({ kind: 'usb', target: 'F:', replace: false });
  });

  it('usb with several sticks waits for the user to pick one', async () => {
    const { store } = await atDestination({ backupOptions: backupOptions({ usbDrives: [usbDrive(), usbDrive({ mountPoint: 'G:' })] }) });
    store.getState().chooseDestination('usb');
    expect(selectDraftComplete(store.getState())).toBe(false);
    store.getState().chooseUsb('G:');
    expect(selectBackupRequest(store.getState())?.destination).toEqual({ kind: 'usb', target: 'G:', replace: false });
  });

  it('file asks the Save dialog for one file per key', async () => {
    const { fake, store } = await atDestination(twoKeys);
    store.getState().chooseDestination('file');
    expect(selectDraftComplete(store.getState())).toBe(false);
    await store.getState().chooseFileTargets('text');
    expect(fake.chooseFile).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId, RECOVERY_2.keyProtectorId], format: 'text' });
    expect(store.getState().draft.fileTargets?.map((t) => t.path)).toEqual([fileE(RECOVERY.keyProtectorId), fileE(RECOVERY_2.keyProtectorId)]);
    // The paths are for display: the request names main's token for them.
    const answer = await fake.chooseFile.mock.results[0]?.value;
    const token = answer?.ok && !answer.data.cancelled ? answer.data.token : 'none';
    expect(selectBackupRequest(store.getState())?.destination).toEqual({ kind: 'file', token, replace: false });
  });

  it('file and PDF: a token is good for one run, so Retry and Replace it need the place chosen again', async () => {
    const { fake, store } = await atDestination();
    store.getState().chooseDestination('file');
    await store.getState().chooseFileTargets('text');
    store.getState().next();
    fake.runBackup.mockResolvedValueOnce(fail('DriveRemoved', 'The drive was removed.'));
    await store.getState().runBackup();
    expect(selectCanRetry(store.getState())).toBe(false);
    expect(selectBackupRequest(store.getState())).toBeNull();
    store.getState().backUpAnotherWay();
    store.getState().chooseDestination('file');
    await store.getState().chooseFileTargets('text');
    expect(selectBackupRequest(store.getState())?.destination).toMatchObject({ kind: 'file', replace: false });
  });

  it('file: a cancelled dialog changes nothing; a refused place shows why and clears the old one', async () => {
    const { fake, store } = await atDestination();
    store.getState().chooseDestination('file');
    await store.getState().chooseFileTargets('text');
    const chosen = store.getState().draft.fileTargets;
    fake.chooseFile.mockResolvedValueOnce(ok({ cancelled: true }));
    await store.getState().chooseFileTargets('text');
    expect(store.getState().draft.fileTargets).toBe(chosen);
    expect(store.getState().fileError).toBeNull();

    fake.chooseFile.mockResolvedValueOnce(fail('LocationEncrypted', 'Your recovery key cannot be saved to an encrypted drive.'));
    await store.getState().chooseFileTargets('text');
    expect(store.getState().fileError).toMatchObject({ format: 'text', error: { code: 'LocationEncrypted' } });
    expect(store.getState().draft.fileTargets).toBeNull();
    expect(selectDraftComplete(store.getState())).toBe(false);

    await store.getState().chooseFileTargets('text');
    expect(store.getState().fileError).toBeNull();
    expect(selectDraftComplete(store.getState())).toBe(true);
  });

  it('opens one Save dialog at a time', async () => {
    const { fake, store } = await atDestination();
    store.getState().chooseDestination('file');
    await Promise.all([store.getState().chooseFileTargets('text'), store.getState().chooseFileTargets('text')]);
    expect(fake.chooseFile).toHaveBeenCalledOnce();
    expect(store.getState().choosingFile).toBeNull();
  });

  it('print prints by default; Save as PDF needs its own place', async () => {
    const { fake, store } = await atDestination();
    store.getState().chooseDestination('print');
    expect(selectBackupRequest(store.getState())?.destination).toEqual({ kind: 'print' });
    store.getState().choosePrintMode('pdf');
    expect(selectDraftComplete(store.getState())).toBe(false);
    await store.getState().chooseFileTargets('pdf');
    expect(fake.chooseFile).toHaveBeenLastCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], format: 'pdf' });
    store.getState().next();
    await store.getState().runBackup();
    expect(fake.runBackup.mock.calls[0]?.[0].destination).toEqual({ kind: 'pdf', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), replace: false });
    expect(store.getState().report?.outcomes[0]?.path).toBe('E:\\BitLocker Recovery Keys.pdf');
    expect(store.getState().report?.destination).toBe('pdf');
  });

  it('Next does nothing while the destination is incomplete', async () => {
    const { store } = await atDestination();
    store.getState().next();
    store.getState().chooseDestination('file');
    store.getState().next();
    expect(store.getState().step).toBe('destination');
  });
});

describe('backup store: confirm and run', () => {
  async function atConfirm(kind: 'file' | 'usb' | 'entra' = 'file', pc: Parameters<typeof atDestination>[0] = {}) {
    const setup = await atDestination({ backupOptions: everywhere, ...pc });
    setup.store.getState().chooseDestination(kind);
    if (kind === 'file') await setup.store.getState().chooseFileTargets('text');
    setup.store.getState().next();
    return setup;
  }

  it('never replaces an existing file without consent, and asks again after Back', async () => {
    const { fake, store } = await atDestination();
    fake.chooseFile.mockResolvedValueOnce(ok(chosenFile([{ keyProtectorId: RECOVERY.keyProtectorId, path: fileE(RECOVERY.keyProtectorId), exists: true }])));
    store.getState().chooseDestination('file');
    await store.getState().chooseFileTargets('text');
    store.getState().next();
    expect(existingTargets(store.getState()).map((t) => t.path)).toEqual([fileE(RECOVERY.keyProtectorId)]);
    expect(selectCanRun(store.getState())).toBe(false);
    await store.getState().runBackup();
    expect(fake.runBackup).not.toHaveBeenCalled();

    store.getState().setReplace(true);
    expect(selectCanRun(store.getState())).toBe(true);
    store.getState().back();
    store.getState().next();
    expect(store.getState().replace).toBe(false);
    expect(selectCanRun(store.getState())).toBe(false);

    store.getState().setReplace(true);
    await store.getState().runBackup();
    expect(fake.runBackup.mock.calls[0]?.[0].destination).toMatchObject({ kind: 'file', replace: true });
  });

  it('starts one backup however often Back up is pressed, and holds Back and Cancel meanwhile', async () => {
    const { fake, store } = await atConfirm();
    const answer = deferred<Awaited<ReturnType<typeof fake.runBackup>>>();
    fake.runBackup.mockReturnValueOnce(answer.promise);
    const first = store.getState().runBackup();
    const second = store.getState().runBackup();
    expect(store.getState().running).toBe(true);
    expect(selectCanRun(store.getState())).toBe(false);
    store.getState().back();
    store.getState().cancel();
    expect(store.getState().step).toBe('confirm');
    answer.resolve(ok(successfulReport(fake.runBackup.mock.calls[0]![0])));
    await Promise.all([first, second]);
    expect(fake.runBackup).toHaveBeenCalledOnce();
    expect(store.getState()).toMatchObject({ step: 'result', running: false });
  });

  it('shows the stages main reports while running, and forgets them afterwards', async () => {
    const { fake, store } = await atConfirm('entra');
    const answer = deferred<Awaited<ReturnType<typeof fake.runBackup>>>();
    fake.runBackup.mockReturnValueOnce(answer.promise);
    fake.emitProgress({ stage: 'sending' });
    expect(store.getState().progress).toBeNull();
    const running = store.getState().runBackup();
    fake.emitProgress({ stage: 'confirming', keyProtectorId: RECOVERY.keyProtectorId, waitedMs: 3000, waitLimitMs: 15000 });
    expect(store.getState().progress).toEqual({ stage: 'confirming', keyProtectorId: RECOVERY.keyProtectorId, waitedMs: 3000, waitLimitMs: 15000 });
    answer.resolve(ok(successfulReport(fake.runBackup.mock.calls[0]![0])));
    await running;
    expect(store.getState().progress).toBeNull();
    expect(fake.onBackupProgress).toHaveBeenCalledOnce();
  });

  it('turns a refused run into a failure for every chosen key', async () => {
    const { fake, store } = await atDestination({ ...twoKeys, backupOptions: { ...everywhere, protectors: [RECOVERY, RECOVERY_2] } });
    store.getState().chooseDestination('entra');
    store.getState().next();
    fake.runBackup.mockResolvedValueOnce(fail('BackupInProgress', 'Another backup is running.'));
    await store.getState().runBackup();
    const result = store.getState().report;
    expect(store.getState().step).toBe('result');
    expect(result).toMatchObject({ mountPoint: 'C:', destination: 'entra' });
    expect(result?.outcomes.map((o) => [o.keyProtectorId, o.status, o.error?.code])).toEqual([
      [RECOVERY.keyProtectorId, 'failed', 'BackupInProgress'],
      [RECOVERY_2.keyProtectorId, 'failed', 'BackupInProgress'],
    ]);
    expect(selectCanRetry(store.getState())).toBe(true);
  });

  it('turns a throwing bridge into an Internal failure', async () => {
    const { fake, store } = await atConfirm();
    fake.runBackup.mockRejectedValueOnce(new Error('Error invoking remote method'));
    await store.getState().runBackup();
    expect(store.getState().report?.outcomes[0]?.error?.code).toBe('Internal');
  });

  it('USB: FileExists offers "Replace it", which runs again with replace', async () => {
    const { fake, store } = await atConfirm('usb');
    fake.runBackup.mockResolvedValueOnce(
      ok(report({ destination: 'usb', outcomes: [outcome({ status: 'failed', path: null, error: { code: 'FileExists', message: 'F:\\x.TXT exists.', hresult: null } })] })),
    );
    await store.getState().runBackup();
    expect(selectCanReplace(store.getState())).toBe(true);
    expect(selectCanRetry(store.getState())).toBe(false);
    await store.getState().replaceExisting();
    expect(fake.runBackup).toHaveBeenCalledTimes(2);
    expect(fake.runBackup.mock.calls[1]?.[0].destination).toEqual({ kind: 'usb', target: 'F:', replace: true });
    expect(store.getState().report?.outcomes[0]?.status).toBe('verified');
  });
});

describe('backup store: result', () => {
  async function sentNotConfirmed() {
    const setup = await atDestination({ backupOptions: everywhere });
    setup.store.getState().chooseDestination('entra');
    setup.store.getState().next();
    setup.fake.runBackup.mockResolvedValueOnce(ok(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] })));
    await setup.store.getState().runBackup();
    return setup;
  }

  it('"Check again" asks the event log from the start of the backup and replaces the report', async () => {
    const { fake, store } = await sentNotConfirmed();
    expect(selectCanCheckAgain(store.getState())).toBe(true);
    fake.checkBackup.mockResolvedValueOnce(
      ok(report({ destination: 'entra', startedAt: '2025-03-14T09:50:00.000Z', outcomes: [outcome({ status: 'confirmed', path: null, event: { id: 845, time: '2025-03-14T09:43:00.000Z' } })] })),
    );
    await Promise.all([store.getState().checkAgain(), store.getState().checkAgain()]);
    expect(fake.checkBackup).toHaveBeenCalledOnce();
    expect(fake.checkBackup).toHaveBeenCalledWith({ mountPoint: 'C:', keyProtectorIds: [RECOVERY.keyProtectorId], destination: 'entra', since: STARTED_AT });
    expect(store.getState().report).toMatchObject({ startedAt: STARTED_AT, outcomes: [{ status: 'confirmed' }] });
    expect(resultKind(store.getState().report!)).toBe('success');
    expect(selectCanCheckAgain(store.getState())).toBe(false);
  });

  it('keeps the report and says so when "Check again" fails', async () => {
    const { fake, store } = await sentNotConfirmed();
    const before = store.getState().report;
    fake.checkBackup.mockResolvedValueOnce(fail('Timeout'));
    await store.getState().checkAgain();
    expect(store.getState()).toMatchObject({ checking: false, checkError: { code: 'Timeout' } });
    expect(store.getState().report).toBe(before);
  });

  it('"Back up another way" keeps the keys and the drive, clears the destination', async () => {
    const { store } = await sentNotConfirmed();
    store.getState().backUpAnotherWay();
    expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'C:', selectedKeyIds: [RECOVERY.keyProtectorId], report: null, draft: { kind: null } });
  });

  it('"Finish" forgets the backup and reads the drives again', async () => {
    const { fake, store } = await sentNotConfirmed();
    await store.getState().finish();
    expect(fake.listVolumes).toHaveBeenCalledTimes(2);
    expect(store.getState()).toMatchObject({ step: 'drives', selectedDrive: null, backupDrive: null, report: null, selectedKeyIds: [] });
  });

  it.each([
    [['verified', 'printed', 'confirmed', 'alreadyPresent'], 'success'],
    [['failed', 'cancelled'], 'failure'],
    [['verified', 'failed'], 'mixed'],
    [['confirmed', 'sentNotConfirmed'], 'sentNotConfirmed'],
    [['sentNotConfirmed'], 'sentNotConfirmed'],
    [['sentNotConfirmed', 'failed'], 'mixed'],
    [[], 'failure'],
  ] as const)('reads %j as %s', (statuses, kind) => {
    expect(resultKind(report({ outcomes: statuses.map((status) => outcome({ status })) }))).toBe(kind);
  });
});

describe('backup store: the organisation’s directory, Stop waiting and when it last checked', () => {
  it('preselects Entra ID on an Entra-joined PC and Active Directory on a domain-joined one, never when unknown', async () => {
    const entra = await atDestination({ environment: environment({ entraJoined: true }), backupOptions: everywhere });
    expect(entra.store.getState().draft.kind).toBe('entra');
    const domain = await atDestination({ environment: environment({ domainJoined: true }), backupOptions: everywhere });
    expect(domain.store.getState().draft.kind).toBe('activeDirectory');
    const unknown = await atDestination({ environment: environment({ entraJoined: null }), backupOptions: everywhere });
    expect(unknown.store.getState().draft.kind).toBeNull();
    // Not offered (say Entra ID refused by policy): nothing is preselected rather than something unusable.
    const notOffered = await atDestination({ environment: environment({ entraJoined: true }), backupOptions: backupOptions() });
    expect(notOffered.store.getState().draft.kind).toBeNull();
  });

  it('says what Next still needs', async () => {
    const { store } = await atDestination();
    expect(selectNextBlocker(store.getState())).toBe('chooseDestination');
    store.getState().chooseDestination('file');
    expect(selectNextBlocker(store.getState())).toBe('chooseFile');
    await store.getState().chooseFileTargets('text');
    expect(selectNextBlocker(store.getState())).toBeNull();
    store.getState().chooseDestination('print');
    store.getState().choosePrintMode('pdf');
    expect(selectNextBlocker(store.getState())).toBe('choosePdf');
  });

  it('asks main to stop waiting once, and takes the run’s report when it ends', async () => {
    const { fake, store } = await atDestination({ backupOptions: everywhere });
    store.getState().chooseDestination('microsoftAccount');
    store.getState().next();
    const answer = deferred<Awaited<ReturnType<typeof fake.runBackup>>>();
    fake.runBackup.mockReturnValueOnce(answer.promise);
    const running = store.getState().runBackup();
    fake.emitProgress({ stage: 'openingPanel' });
    expect(store.getState().panelPage).toBeNull();
    fake.emitProgress({ stage: 'confirming', waitedMs: 1000, waitLimitMs: 180_000 });
    expect(store.getState().panelPage).toBe('bitLockerPanel');
    await Promise.all([store.getState().stopWaiting(), store.getState().stopWaiting()]);
    expect(fake.stopWaiting).toHaveBeenCalledOnce();
    expect(store.getState().stoppingWait).toBe(true);
    answer.resolve(ok(report({ destination: 'microsoftAccount', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] })));
    await running;
    expect(store.getState()).toMatchObject({ step: 'result', stoppingWait: false, panelPage: 'bitLockerPanel' });
    expect(store.getState().lastCheckedAt).not.toBeNull();
  });

  it('does nothing on Stop waiting when nothing runs, and lets it be pressed again if main refused', async () => {
    const { fake, store } = await atDestination({ backupOptions: everywhere });
    await store.getState().stopWaiting();
    expect(fake.stopWaiting).not.toHaveBeenCalled();
    store.getState().chooseDestination('microsoftAccount');
    store.getState().next();
    fake.runBackup.mockReturnValueOnce(new Promise(() => {}));
    void store.getState().runBackup();
    fake.stopWaiting.mockResolvedValueOnce(fail('Internal', 'No.'));
    await store.getState().stopWaiting();
    expect(store.getState().stoppingWait).toBe(false);
  });

  it('remembers that Windows Home sent the user to Settings', async () => {
    const { fake, store } = await atDestination({ backupOptions: everywhere });
    store.getState().chooseDestination('microsoftAccount');
    store.getState().next();
    fake.runBackup.mockReturnValueOnce(new Promise(() => {}));
    void store.getState().runBackup();
    fake.emitProgress({ stage: 'openingPanel' });
    fake.emitProgress({ stage: 'inDeviceEncryption' });
    fake.emitProgress({ stage: 'confirming', waitedMs: 1000, waitLimitMs: 180_000 });
    expect(store.getState().panelPage).toBe('deviceEncryption');
  });

  it('records when the event log was last asked: at the end of the run, then at each Check again', async () => {
    const { fake, store } = await atDestination({ backupOptions: everywhere });
    store.getState().chooseDestination('entra');
    store.getState().next();
    fake.runBackup.mockResolvedValueOnce(ok(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] })));
    await store.getState().runBackup();
    const first = store.getState().lastCheckedAt;
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    fake.checkBackup.mockResolvedValueOnce(ok(report({ destination: 'entra', outcomes: [outcome({ status: 'sentNotConfirmed', path: null })] })));
    await store.getState().checkAgain();
    expect(Date.parse(store.getState().lastCheckedAt!)).toBeGreaterThan(Date.parse(first!));
    fake.checkBackup.mockResolvedValueOnce(fail('Timeout', 'No answer.'));
    const before = store.getState().lastCheckedAt;
    await store.getState().checkAgain();
    expect(store.getState().lastCheckedAt).toBe(before);
    store.getState().backUpAnotherWay();
    expect(store.getState().lastCheckedAt).toBeNull();
  });

  it('records no check for a file backup', async () => {
    const { store } = await atDestination({ backupOptions: everywhere });
    store.getState().chooseDestination('print');
    store.getState().next();
    await store.getState().runBackup();
    expect(store.getState().lastCheckedAt).toBeNull();
  });
});
