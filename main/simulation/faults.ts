/**
 * Scenario faults: what goes wrong with one module function (or the start-up line), and for how many calls.
 * A fault object names exactly one action; `failTimes` limits it to the first n calls.
 */
import { z } from 'zod';
import { ModuleErrorCode } from '../powershell/module-api';
import type { ModuleError } from './envelope';

export type FaultAction =
  | ({ kind: 'error' } & ModuleError) // answer with this error envelope instead of running the function
  | { kind: 'crash' } // exit(1) mid-call, nothing more written
  | { kind: 'exit0' } // exit(0) mid-call: node-powershell resolves with empty output
  | { kind: 'hang'; ms: number } // wait, then answer normally
  | { kind: 'garbage'; text: string } // this text instead of the JSON answer
  | { kind: 'halfJson' } // the first half of the real JSON answer
  | { kind: 'stderr'; text: string }; // text on stderr, then the normal answer

const ACTION_FIELDS = 'error, crash, exit0, hangMs, garbage, halfJson or stderr';

export const Fault = z
  .strictObject({
    failTimes: z.int().positive().optional(),
    error: z.string().min(1).optional(),
    hresult: z.string().regex(/^0x[0-9A-Fa-f]{8}$/, 'an HRESULT such as 0x801C0450').nullable().optional(),
    code: ModuleErrorCode.optional(),
    crash: z.literal(true).optional(),
    exit0: z.literal(true).optional(),
    hangMs: z.int().nonnegative().optional(),
    garbage: z.string().optional(),
    halfJson: z.literal(true).optional(),
    stderr: z.string().min(1).optional(),
  })
  .transform((f, ctx) => {
    const actions: FaultAction[] = [];
    if (f.error !== undefined) {
      actions.push({ kind: 'error', code: f.code ?? 'CmdletFailed', message: f.error, hresult: f.hresult ?? null });
    }
    if (f.crash) actions.push({ kind: 'crash' });
    if (f.exit0) actions.push({ kind: 'exit0' });
    if (f.hangMs !== undefined) actions.push({ kind: 'hang', ms: f.hangMs });
    if (f.garbage !== undefined) actions.push({ kind: 'garbage', text: f.garbage });
    if (f.halfJson) actions.push({ kind: 'halfJson' });
    if (f.stderr !== undefined) actions.push({ kind: 'stderr', text: f.stderr });
    const [action, ...others] = actions;
    if (!action || others.length > 0) {
      ctx.addIssue({ code: 'custom', message: `give exactly one of ${ACTION_FIELDS}` });
      return z.NEVER;
    }
    if (action.kind !== 'error' && (f.hresult !== undefined || f.code !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'hresult and code only go with error' });
      return z.NEVER;
    }
    return { failTimes: f.failTimes ?? Infinity, action };
  });

export type FaultT = z.output<typeof Fault>;

/** The fault's action for the call-th call (1-based), or null once failTimes calls have had it. */
export function activeFault(fault: FaultT | undefined, call: number): FaultAction | null {
  return fault && call <= fault.failTimes ? fault.action : null;
}
