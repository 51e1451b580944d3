import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelNames, channels } from '../../preload/contract';
import { dispatch, type Handlers } from './dispatch';

/** Handlers that record whether they ran: a refused request must never reach one. */
function recordingHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((c) => [
      c,
      async () => {
        calls.push(c);
        throw new Error('not reached in these tests');
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('C:; Remove-Item', '../../Windows', "$(Get-Process)'", '\u0000', '\u202e', 'C:\\..\\..\\x', '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}; x'),
  fc.string({ minLength: 10_000, maxLength: 20_000 }),
);
const hostileKey = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'mountPoint', 'keyProtectorIds', 'destination', 'kind'));
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('dispatch under hostile input (property-based)', () => {
  it('answers every payload on every channel with a result, and runs a handler only for a payload the contract accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channelNames), hostileValue, async (channel, payload) => {
        const { handlers, calls } = recordingHandlers();
        const result = await dispatch(handlers, channel, payload);
        const valid = channels[channel].request.safeParse(payload).success;
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(valid ? 'Internal' : 'InvalidRequest');
        expect(calls).toEqual(valid ? [channel] : []);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every unknown channel name, prototype keys included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString, hostileKey), hostileValue, async (channel, payload) => {
        fc.pre(!(channelNames as string[]).includes(channel));
        const { handlers, calls } = recordingHandlers();
        const result = await dispatch(handlers, channel, payload);
        expect(result).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } });
        expect(calls).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a prototype key pollute objects', async () => {
    const { handlers } = recordingHandlers();
    for (const channel of channelNames) {
      await dispatch(handlers, channel, JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bad drive letters, GUIDs and traversal in backup requests', async () => {
    const { handlers, calls } = recordingHandlers();
    const good = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}';
    const bad = [
      ['backup:options', { mountPoint: 'C:\\' }],
      ['backup:options', { mountPoint: 'CC:' }],
      ['backup:options', { mountPoint: '\\\\?\\Volume{1}\\' }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: ['8A696888-99A7-4FAC-92C7-6CC497EA7BDF'], destination: { kind: 'print' } }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: [], destination: { kind: 'print' } }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: [good], destination: { kind: 'format-disk' } }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: [good], destination: { kind: 'usb', target: '..', replace: false } }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: [good], destination: { kind: 'pdf', path: 'C:\\x.pdf', replace: false } }],
      ['backup:run', { mountPoint: 'C:', keyProtectorIds: [good], destination: { kind: 'file', paths: [{ keyProtectorId: good, path: '\\\\evil@SSL\\DavWWWRoot\\k.txt' }], replace: true } }],
      ['backup:chooseFile', { mountPoint: 'C:', keyProtectorIds: [good], format: 'exe' }],
    ] as const;
    for (const [channel, payload] of bad) {
      expect(await dispatch(handlers, channel, payload)).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    }
    expect(calls).toEqual([]);
  });
});
