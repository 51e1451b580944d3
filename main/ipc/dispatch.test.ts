import { describe, expect, it } from 'vitest';
import { RECOVERY, volume as buildVolume } from '../../tests/support/volumes';
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import { dispatch, type Handlers } from './dispatch';

const volume = buildVolume({ keyProtectors: [RECOVERY] });

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'environment:get': async () => {
      throw new AppFailure('NotElevated', 'Reading BitLocker volumes needs administrator rights.', '0x80041003');
    },
    'volumes:list': async () => ({ volumes: [volume] }),
    'session:retry': async () => ({ state: 'ready' }),
    'app:restartElevated': async () => ({ restarting: true }),
    'backup:options': async () => {
      throw new AppFailure('VolumeLocked', 'C: is locked.');
    },
    'backup:chooseFile': async () => ({ cancelled: true }),
    'backup:run': async () => {
      throw new AppFailure('BackupInProgress', 'A backup is already running.');
    },
    'backup:check': async () => {
      throw new AppFailure('Internal', 'unused');
    },
    'backup:stopWaiting': async () => ({ stopped: false }),
    'app:leftoverCopies': async () => ({ removed: [], remaining: [] }),
    'keys:status': async () => ({ drives: [], warnings: [], logStartsAt: null, directory: null }),
    'keys:backupMissing': async () => ({ destination: 'entra', reports: [] }),
    'keys:add': async () => ({ keyProtectorId: RECOVERY.keyProtectorId }),
    'keys:removeOld': async () => ({ removed: true }),
    'keys:checkSaved': async () => ({ cancelled: true }),
    ...overrides,
  };
}

describe('dispatch', () => {
  it('answers a valid call with the handler data', async () => {
    expect(await dispatch(handlers(), 'volumes:list', {})).toEqual({ ok: true, data: { volumes: [volume] } });
  });

  it.each([undefined, 42, 'volumes:delete', '__proto__', 'constructor', 'toString'])('refuses the unknown channel %s', async (channel) => {
    const result = await dispatch(handlers(), channel, {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UnknownChannel' }) });
  });

  it.each([null, 'x', [], { extra: 1 }, JSON.parse('{"__proto__":{"polluted":true}}')])('refuses the malformed payload %j', async (payload) => {
    const result = await dispatch(handlers(), 'volumes:list', payload);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'InvalidRequest' }) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes an AppFailure on with its code, message and HRESULT', async () => {
    expect(await dispatch(handlers(), 'environment:get', {})).toEqual({
      ok: false,
      error: { code: 'NotElevated', message: 'Reading BitLocker volumes needs administrator rights.', hresult: '0x80041003' },
    });
  });

  it('hides anything else behind a generic Internal error, without the stack or message', async () => {
    const result = await dispatch(handlers({ 'session:retry': async () => { throw new Error('secret detail at /home/x'); } }), 'session:retry', {});
    expect(result).toEqual({ ok: false, error: { code: 'Internal', message: expect.not.stringContaining('secret'), hresult: null } });
  });

  it('masks a recovery password that ends up in an error message', async () => {
    const leaky = handlers({
      'session:retry': async () => {
        throw new AppFailure('CmdletFailed', 'failed for 111111-222222-333333-444444-555555-666666-777777-888888');
      },
    });
    const result = await dispatch(leaky, 'session:retry', {});
    expect(JSON.stringify(result)).not.toMatch(/\d{6}-\d{6}/);
  });

  it('refuses to send a response with fields outside the contract, such as a recovery password', async () => {
    const leaky = handlers({
      'volumes:list': async () =>
        ({ volumes: [{ ...volume, keyProtectors: [{ ...volume.keyProtectors[0]!, recoveryPassword: '111111-222222-333333-444444-555555-666666-777777-888888' }] }] }) as never,
    });
    const result = await dispatch(leaky, 'volumes:list', {});
    expect(result).toEqual({ ok: false, error: { code: 'Internal', message: 'BitLocker Key Backup produced an answer it could not check.', hresult: null } });
    expect(JSON.stringify(result)).not.toContain('111111');
  });

  it('tells the renderer in plain words why a request was refused', async () => {
    expect(await dispatch(handlers(), 'volumes:delete', {})).toEqual({
      ok: false,
      error: { code: 'UnknownChannel', message: 'This request is not one BitLocker Key Backup knows.', hresult: null },
    });
    expect(await dispatch(handlers(), 'volumes:list', { extra: 1 })).toEqual({ ok: false, error: { code: 'InvalidRequest', message: 'This request is not valid.', hresult: null } });
  });
});

describe('what dispatch logs', () => {
  function recordingLog() {
    const lines: { level: string; message: string; fields: Record<string, unknown> | undefined }[] = [];
    const log: AppLog = {
      info: (message, fields) => lines.push({ level: 'info', message, fields }),
      warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
      error: (message, fields) => lines.push({ level: 'error', message, fields }),
      close: async () => undefined,
    };
    return { log, lines };
  }
  const ms = expect.any(Number);

  it('every answered request: its channel and how long it took, nothing of the answer', async () => {
    const { log, lines } = recordingLog();
    await dispatch(handlers(), 'volumes:list', {}, log);
    expect(lines).toEqual([{ level: 'info', message: 'request answered', fields: { channel: 'volumes:list', ms } }]);
    expect(lines[0]!.fields!.ms).toBeGreaterThanOrEqual(0);
    expect(lines[0]!.fields!.ms).toBeLessThan(60_000);
  });

  it('every failed request: its channel, time, code, safe message and HRESULT, never an unexpected error’s own text', async () => {
    const { log, lines } = recordingLog();
    await dispatch(handlers(), 'environment:get', {}, log);
    await dispatch(handlers({ 'session:retry': async () => { throw new Error('secret detail at /home/x 111111-222222-333333-444444-555555-666666-777777-888888'); } }), 'session:retry', {}, log);
    expect(lines).toEqual([
      { level: 'error', message: 'request failed', fields: { channel: 'environment:get', ms, code: 'NotElevated', message: 'Reading BitLocker volumes needs administrator rights.', hresult: '0x80041003' } },
      { level: 'error', message: 'request failed', fields: { channel: 'session:retry', ms, code: 'Internal', message: expect.any(String), hresult: null } },
    ]);
    for (const line of lines) {
      expect(line.fields!.ms).toBeGreaterThanOrEqual(0);
      expect(line.fields!.ms).toBeLessThan(60_000);
    }
    expect(JSON.stringify(lines)).not.toMatch(/secret|\d{6}-\d{6}/);
  });

  it('a refused request: the channel (at most 64 characters of an unknown one), never the payload', async () => {
    const { log, lines } = recordingLog();
    await dispatch(handlers(), `volumes:${'x'.repeat(100)}`, {}, log);
    await dispatch(handlers(), 42, {}, log);
    await dispatch(handlers(), 'backup:options', { mountPoint: 'secret-payload' }, log);
    expect(lines).toEqual([
      { level: 'warn', message: 'refused a request for an unknown channel', fields: { channel: `volumes:${'x'.repeat(56)}` } },
      { level: 'warn', message: 'refused a request for an unknown channel', fields: { channel: 'number' } },
      { level: 'warn', message: 'refused an invalid request', fields: { channel: 'backup:options' } },
    ]);
  });
});
