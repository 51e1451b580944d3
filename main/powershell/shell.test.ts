import { describe, expect, it, vi } from 'vitest';

describe('openShell', () => {
  it('refuses to run on a node-powershell whose private fields it relies on have gone', async () => {
    vi.resetModules();
    vi.doMock('node-powershell', () => ({
      // A future version: same public API, no `debuggers`/`history`.
      PowerShell: class {
        exitPromise = Promise.resolve();
        dispose = async () => undefined;
      },
    }));
    const { openShell } = await import('./shell');
    expect(() => openShell('pwsh', {})).toThrow(/no longer has the fields/);
    vi.doUnmock('node-powershell');
  });
});
