import { channels, type ChannelName, type RequestOf, type ResponseOf, type Result } from '../../preload/contract';
import { AppFailure, toAppError } from '../errors';
import type { AppLog } from '../log/app-log';

export type Handlers = { [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

function refuse(code: 'UnknownChannel' | 'InvalidRequest', message: string): Result<never> {
  return { ok: false, error: { code, message, hresult: null } };
}

function isChannel(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/**
 * The path every renderer call takes once its sender is trusted: parse the request against the contract,
 * run the handler, check the response against the contract too (so a field the renderer must not see, such
 * as a recovery password, can never slip out), and turn every failure into a safe `{ ok: false }`.
 */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown, log?: AppLog): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    log?.warn('refused a request for an unknown channel', { channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel });
    return refuse('UnknownChannel', 'This request is not one BitLocker Key Backup knows.');
  }
  const spec = channels[channel];
  const request = spec.request.safeParse(payload);
  if (!request.success) {
    log?.warn('refused an invalid request', { channel });
    return refuse('InvalidRequest', 'This request is not valid.');
  }
  const started = Date.now();
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    const response = spec.response.safeParse(await handler(request.data));
    if (!response.success) throw new AppFailure('Internal', 'BitLocker Key Backup produced an answer it could not check.');
    log?.info('request answered', { channel, ms: Date.now() - started });
    return { ok: true, data: response.data };
  } catch (error) {
    const failure = toAppError(error);
    // Only the code, HRESULT and safe message are logged; an unexpected error's own text may carry anything.
    log?.error('request failed', { channel, ms: Date.now() - started, ...failure });
    return { ok: false, error: failure };
  }
}
