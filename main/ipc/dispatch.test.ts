import { describe, expect, it } from 'vitest';
import { RECOVERY, volume as buildVolume } from '../../tests/support/volumes';
import { AppFailure } from '../errors';
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
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'Internal' }) });
    expect(JSON.stringify(result)).not.toContain('111111');
  });
});
