import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MODULE_PATH } from '../../tests/support/scenarios';
import { AppFailure } from '../errors';
import { PowerShellSession } from './session';

/**
 * The real module in a real PowerShell: runs on Windows only (.github/workflows/windows.yml), under Windows
 * PowerShell 5.1 and, where installed, PowerShell 7. Everywhere else it is skipped: there is no PowerShell
 * and no BitLocker to talk to.
 */
const onWindows = process.platform === 'win32';
const pwsh7 = join(process.env.ProgramFiles ?? 'C:\\Program Files', 'PowerShell', '7', 'pwsh.exe');
const executables = onWindows ? ['powershell.exe', ...(existsSync(pwsh7) ? [pwsh7] : [])] : ['powershell.exe'];

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

function open(executable: string) {
  const session = new PowerShellSession({ executable, modulePath: MODULE_PATH });
  sessions.push(session);
  return session;
}

describe.skipIf(!onWindows).each(executables)('real PowerShell (%s) — Windows only', (executable) => {
  it('starts, imports the module, and describes this PC in the module’s shape', async () => {
    const env = await open(executable).call('Get-BkbEnvironment', {});
    expect(env.computerName).toBe(process.env.COMPUTERNAME);
    expect(typeof env.elevated).toBe('boolean');
    expect(env.powerShellVersion).toMatch(/^\d+\.\d+/);
  });

  it('lists volumes, or says plainly why it cannot', async () => {
    const session = open(executable);
    try {
      const { volumes } = await session.call('Get-BkbVolumes', {});
      expect(Array.isArray(volumes)).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(AppFailure);
      expect(['NotElevated', 'BitLockerModuleMissing', 'CmdletFailed']).toContain((error as AppFailure).code);
    }
  });

  it('treats a hostile path as data: nothing in it runs', async () => {
    const marker = join(tmpdir(), `bkb-pwned-${process.pid}.txt`);
    const session = open(executable);
    const path = `C:\\x$(New-Item -ItemType File -Path '${marker}')';"\`$(New-Item '${marker}')`;
    await session.call('Get-BkbPathInfo', { path }).catch(() => undefined);
    expect(existsSync(marker)).toBe(false);
  });

  it('answers a well-formed request for a drive that does not exist with VolumeNotFound', async () => {
    await expect(open(executable).call('Get-BkbVolumeRoot', { mountPoint: 'Q:' })).rejects.toMatchObject({
      code: expect.stringMatching(/^(VolumeNotFound|NotElevated|BitLockerModuleMissing)$/),
    });
  });
});

describe.skipIf(!onWindows)('the packaged runtime on this Windows — Windows only', () => {
  it('finds the Windows folder from the OS, and it is the one Windows says', async () => {
    const { systemWindowsFolder } = await import('../packaged');
    const folder = systemWindowsFolder();
    expect(folder).not.toBeNull();
    expect(folder!.toLowerCase()).toBe(String(process.env.SystemRoot).toLowerCase());
  });

  it('starts Windows PowerShell by full path with the fixed environment: module autoloading off, the module still answers', async () => {
    const { systemWindowsFolder } = await import('../packaged');
    const { resolveRuntime } = await import('../runtime');
    const runtime = resolveRuntime({ platform: 'win32', argv: [], env: {}, appPath: '', resourcesPath: '', nodePath: '', runAsNode: false, simStatePath: '', packaged: true, windowsFolder: systemWindowsFolder() });
    const session = new PowerShellSession({ executable: runtime.executable, modulePath: MODULE_PATH, env: runtime.hostEnv, inheritEnvironment: runtime.inheritEnvironment });
    sessions.push(session);
    const environment = await session.call('Get-BkbEnvironment', {});
    expect(environment.powerShellVersion).toMatch(/^5\.1\./);
    try {
      const { volumes } = await session.call('Get-BkbVolumes', {});
      expect(volumes.some((volume) => volume.mountPoint === String(process.env.SystemDrive).toUpperCase())).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(AppFailure);
      expect(['NotElevated', 'BitLockerModuleMissing']).toContain((error as AppFailure).code);
      expect(environment.bitLockerModule === false || environment.elevated === false).toBe(true);
    }
  });
});
