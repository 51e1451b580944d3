import type { AppErrorT, ErrorCodeT } from '../preload/contract';
import { redact } from './security/redact';

/**
 * The one error type main-process code throws on purpose. Its message is written for people and is safe to
 * send to the renderer (redacted again on the way out); anything else thrown becomes 'Internal'.
 */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCodeT,
    message: string,
    readonly hresult: string | null = null,
  ) {
    super(message);
    this.name = 'AppFailure';
  }
}

export const INTERNAL_MESSAGE = 'Something went wrong inside BitLocker Key Backup.';

/** What crosses the process boundary for any thrown value: code, safe message, HRESULT. Never a stack. */
export function toAppError(error: unknown): AppErrorT {
  if (error instanceof AppFailure) {
    return { code: error.code, message: redact(error.message), hresult: error.hresult };
  }
  return { code: 'Internal', message: INTERNAL_MESSAGE, hresult: null };
}
