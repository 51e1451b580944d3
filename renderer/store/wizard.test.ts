// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fail, installFakeBridge, ok } from '../testing/fake-bridge';
import { environment, RECOVERY, TPM, volume } from '../testing/fixtures';
import { selectLoadingMessage, selectPage } from './selectors';
import { createWizardStore } from './wizard';

function setup(pc?: Parameters<typeof installFakeBridge>[0]) {
  const fake = installFakeBridge(pc);
  const store = createWizardStore();
  return { fake, store, page: () => selectPage(store.getState()) };
}

describe('wizard store', () => {
  it('shows the spinner before anything has loaded, never a blank page', () => {
    const { page } = setup();
    expect(page()).toBe('loading');
  });

  it('loads the environment, then the volumes, and lands on the drive list', async () => {
    const volumes = [volume(), volume({ mountPoint: 'D:', driveType: 'Fixed' })];
    const { fake, store, page } = setup({ volumes });
    const loading = store.getState().load();
    expect(store.getState().loading).toBe(true);
    await loading;
    expect(fake.getEnvironment).toHaveBeenCalledOnce();
    expect(fake.listVolumes).toHaveBeenCalledOnce();
    expect(store.getState()).toMatchObject({ environment: environment(), volumes, loading: false, error: null, step: 'drives' });
    expect(page()).toBe('drives');
  });

  it('shares one load between overlapping calls (React strict mode mounts twice)', async () => {
    const { fake, store } = setup();
    await Promise.all([store.getState().load(), store.getState().load()]);
    expect(fake.listVolumes).toHaveBeenCalledOnce();
  });

  it('follows the session state main pushes, subscribing once', async () => {
    const { fake, store } = setup();
    await store.getState().load();
    await store.getState().load();
    expect(fake.onSessionState).toHaveBeenCalledOnce();
    fake.emitSession('restarting');
    expect(store.getState().session).toBe('restarting');
  });

  it('says "Starting PowerShell…" while the session starts and "Reading your drives…" once it is ready', async () => {
    const { fake, store } = setup();
    expect(selectLoadingMessage(store.getState())).toBe('startingPowerShell');
    let answer: (value: Awaited<ReturnType<typeof fake.listVolumes>>) => void = () => {};
    fake.listVolumes.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const loading = store.getState().load();
    fake.emitSession('starting');
    expect(selectLoadingMessage(store.getState())).toBe('startingPowerShell');
    fake.emitSession('ready');
    expect(selectLoadingMessage(store.getState())).toBe('readingDrives');
    answer(ok({ volumes: [] }));
    await loading;
  });

  it('shows the administrator page when the environment says the app is not elevated, without listing', async () => {
    const { fake, store, page } = setup({ environment: environment({ elevated: false }) });
    await store.getState().load();
    expect(fake.listVolumes).not.toHaveBeenCalled();
    expect(page()).toBe('notElevated');
  });

  it('shows the administrator page when listing fails with NotElevated', async () => {
    const { fake, store, page } = setup();
    fake.listVolumes.mockResolvedValueOnce(fail('NotElevated', 'Access denied.', '0x80041003'));
    await store.getState().load();
    expect(store.getState().error).toEqual({ code: 'NotElevated', message: 'Access denied.', hresult: '0x80041003' });
    expect(page()).toBe('notElevated');
  });

  it('shows the module-missing page from the environment or from the error code', async () => {
    const home = setup({ environment: environment({ bitLockerModule: false, edition: 'Core' }) });
    await home.store.getState().load();
    expect(home.fake.listVolumes).not.toHaveBeenCalled();
    expect(home.page()).toBe('moduleMissing');

    const failing = setup();
    failing.fake.listVolumes.mockResolvedValueOnce(fail('BitLockerModuleMissing'));
    await failing.store.getState().load();
    expect(failing.page()).toBe('moduleMissing');
  });

  it.each(['PowerShellUnavailable', 'SessionStartFailed', 'Timeout', 'GarbledOutput', 'CmdletFailed', 'Internal'] as const)(
    'shows the error page for %s',
    async (code) => {
      const { fake, store, page } = setup();
      fake.getEnvironment.mockResolvedValueOnce(fail(code));
      await store.getState().load();
      expect(store.getState().error?.code).toBe(code);
      expect(store.getState().loading).toBe(false);
      expect(page()).toBe('error');
    },
  );

  it('turns a throwing bridge into an Internal error instead of an unhandled rejection', async () => {
    const { fake, store, page } = setup();
    fake.getEnvironment.mockRejectedValueOnce(new Error('Error invoking remote method'));
    await store.getState().load();
    expect(store.getState().error?.code).toBe('Internal');
    expect(page()).toBe('error');
  });

  it('recovers from a crash: retry restarts the session, then loads again', async () => {
    const { fake, store, page } = setup();
    fake.listVolumes.mockResolvedValueOnce(fail('HostCrashed', 'PowerShell exited with code 1.'));
    await store.getState().load();
    expect(page()).toBe('error');

    const retrying = store.getState().retry();
    expect(page()).toBe('loading');
    await retrying;
    expect(fake.retrySession).toHaveBeenCalledOnce();
    expect(fake.listVolumes).toHaveBeenCalledTimes(2);
    expect(store.getState().error).toBeNull();
    expect(page()).toBe('drives');
  });

  it('stays on the error page with the new error when the session cannot be restarted', async () => {
    const { fake, store, page } = setup();
    fake.getEnvironment.mockResolvedValueOnce(fail('SessionStartFailed'));
    await store.getState().load();
    fake.retrySession.mockResolvedValueOnce(fail('PowerShellUnavailable'));
    await store.getState().retry();
    expect(fake.getEnvironment).toHaveBeenCalledOnce();
    expect(store.getState().error?.code).toBe('PowerShellUnavailable');
    expect(page()).toBe('error');
  });

  describe('restartElevated', () => {
    it('waits for the app to restart when Windows agrees', async () => {
      const { fake, store } = setup({ environment: environment({ elevated: false }) });
      await store.getState().load();
      await store.getState().restartElevated();
      expect(fake.restartElevated).toHaveBeenCalledOnce();
      expect(store.getState().elevation).toBe('requesting');
    });

    it('says so when the user declined the UAC prompt, and stays on the page', async () => {
      const { fake, store, page } = setup({ environment: environment({ elevated: false }) });
      await store.getState().load();
      fake.restartElevated.mockResolvedValueOnce(ok({ restarting: false }));
      await store.getState().restartElevated();
      expect(store.getState().elevation).toBe('declined');
      expect(page()).toBe('notElevated');
    });

    it('shows a failure as an error', async () => {
      const { fake, store, page } = setup({ environment: environment({ elevated: false }) });
      await store.getState().load();
      fake.restartElevated.mockResolvedValueOnce(fail('Internal'));
      await store.getState().restartElevated();
      expect(store.getState().elevation).toBe('idle');
      expect(page()).toBe('error');
    });
  });

  describe('chooseDrive', () => {
    it('moves to the destination step with the drive, and Back returns to the list', async () => {
      const { store, page } = setup();
      await store.getState().load();
      store.getState().chooseDrive('C:');
      expect(store.getState()).toMatchObject({ step: 'destination', selectedDrive: 'C:' });
      expect(page()).toBe('destination');
      store.getState().back();
      expect(store.getState()).toMatchObject({ step: 'drives', selectedDrive: null });
      expect(page()).toBe('drives');
    });

    it('ignores a drive that cannot be backed up or does not exist', async () => {
      const { store } = setup({ volumes: [volume({ keyProtectors: [TPM] }), volume({ mountPoint: 'D:', lockStatus: 'Locked', keyProtectors: [RECOVERY] })] });
      await store.getState().load();
      for (const drive of ['C:', 'D:', 'Z:']) store.getState().chooseDrive(drive);
      expect(store.getState()).toMatchObject({ step: 'drives', selectedDrive: null });
    });
  });
});
