import { describe, expect, it } from 'vitest';
import { AppFailure } from '../errors';
import type { PowerShellSession } from '../powershell/session';
import { restartElevated, type Relaunch } from './elevation';

/** A relaunch that records what happened, in order, and a session whose Start-BkbElevated answers as told. */
function setup(answer: () => Promise<unknown>) {
  const steps: string[] = [];
  const relaunch: Relaunch = {
    arguments: ['C:\\app'],
    quit: () => steps.push('quit'),
    releaseLock: () => steps.push('release lock'),
    reacquireLock: () => steps.push('reacquire lock'),
  };
  const session = {
    call: async (fn: string, request: unknown) => {
      steps.push(`${fn} ${JSON.stringify(request)}`);
      return answer();
    },
  } as unknown as PowerShellSession;
  return { steps, run: () => restartElevated(session, relaunch) };
}

describe('restart as administrator', () => {
  it('lets go of the single-instance lock before UAC asks, then quits once the elevated copy is on its way', async () => {
    const { steps, run } = setup(async () => ({ started: true }));
    await expect(run()).resolves.toBe(true);
    expect(steps).toEqual(['release lock', 'Start-BkbElevated {"arguments":["C:\\\\app"]}', 'quit']);
  });

  it('takes the lock back and stays when the user says no', async () => {
    const { steps, run } = setup(async () => {
      throw new AppFailure('CmdletFailed', 'The request to run as administrator was cancelled.', '0x800704C7');
    });
    await expect(run()).rejects.toMatchObject({ hresult: '0x800704C7' });
    expect(steps.at(-1)).toBe('reacquire lock');
    expect(steps).not.toContain('quit');
  });
});
