import { channels, type ChannelName, type RequestOf, type ResponseOf, type Result } from '../../preload/contract';
import { AppFailure, toAppError } from '../errors';

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
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return refuse('UnknownChannel', 'This request is not one BitLocker Key Backup knows.');
  const spec = channels[channel];
  const request = spec.request.safeParse(payload);
  if (!request.success) return refuse('InvalidRequest', 'This request is not valid.');
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    const response = spec.response.safeParse(await handler(request.data));
    if (!response.success) throw new AppFailure('Internal', 'BitLocker Key Backup produced an answer it could not check.');
    return { ok: true, data: response.data };
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
}
