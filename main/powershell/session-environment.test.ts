import { afterEach, describe, expect, it, vi } from 'vitest';

/** What each started host was given: its executable and its whole environment. */
const started = vi.hoisted(() => [] as { executable: string; env: NodeJS.ProcessEnv }[]);

// No PowerShell runs: the host answers the start-up line at once, so only the environment it got matters here.
vi.mock('./shell', () => ({
  OutputOverflow: class extends Error {},
  openShell: (executable: string, env: NodeJS.ProcessEnv) => {
    started.push({ executable, env });
    return { invoke: async () => '', kill: async () => undefined, exited: new Promise(() => undefined) };
  },
}));

afterEach(() => {
  started.length = 0;
  delete process.env.BKB_TEST_PARENT_ONLY;
});

describe('the environment PowerShell starts with', () => {
  it('is exactly the given environment and the module path when the session must not inherit the app’s (packaged)', async () => {
    process.env.BKB_TEST_PARENT_ONLY = 'from the app';
    const { PowerShellSession } = await import('./session');
    const session = new PowerShellSession({
      executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      modulePath: 'C:\\app\\resources\\main\\powershell\\BitLockerKeyBackup.psm1',
      env: { SystemRoot: 'C:\\Windows', PSModulePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\Modules' },
      inheritEnvironment: false,
    });
    await session.start();
    expect(started).toHaveLength(1);
    expect(started[0]!.env).toEqual({
      SystemRoot: 'C:\\Windows',
      PSModulePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\Modules',
      BKB_MODULE_PATH: 'C:\\app\\resources\\main\\powershell\\BitLockerKeyBackup.psm1',
    });
    await session.dispose();
  });

  it('adds the app’s own environment otherwise (development and tests: PATH, the simulated PC’s variables)', async () => {
    process.env.BKB_TEST_PARENT_ONLY = 'from the app';
    const { PowerShellSession } = await import('./session');
    const session = new PowerShellSession({ executable: 'pwsh', modulePath: '/m.psm1', env: { BKB_SCENARIO: '/s.json' } });
    await session.start();
    expect(started[0]!.env).toMatchObject({ BKB_TEST_PARENT_ONLY: 'from the app', BKB_SCENARIO: '/s.json', BKB_MODULE_PATH: '/m.psm1' });
    await session.dispose();
  });
});
