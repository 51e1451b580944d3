/** The module's answer envelope (module-api.ts), built the way BitLockerKeyBackup.psm1 builds it. */
import type { z } from 'zod';
import type { ModuleErrorCode } from '../powershell/module-api';

export type ModuleError = { code: z.infer<typeof ModuleErrorCode>; message: string; hresult: string | null };
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ModuleError };
export type Failure = { ok: false; error: ModuleError };

export const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });

export const fail = (code: ModuleError['code'], message: string, hresult: string | null = null): Failure => ({
  ok: false,
  error: { code, message, hresult },
});

