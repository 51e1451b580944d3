import type { Result } from '../../preload/contract';
import { strings } from '../strings';

/** Turns a throwing bridge (missing preload, broken IPC) into the same typed failure as any other. */
export async function call<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await request();
  } catch {
    return { ok: false, error: { code: 'Internal', message: strings.errors.bridgeFailed, hresult: null } };
  }
}
