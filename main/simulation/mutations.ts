/**
 * Scenario mutations: the machine changing under the app's feet, e.g. a drive locked or a recovery password
 * removed between listing and backup. A mutation fires once its trigger function has been called `calls`
 * times, as that call answers, and it lasts: the change is kept in the state, across host restarts too.
 */
import { z } from 'zod';
import { MountPoint, ProtectorId } from '../../preload/contract';
import { moduleFunctionNames } from '../powershell/module-api';
import { addedRecoveryPassword } from './added-protectors';
import { sameName } from './names';
import type { ScenarioVolumeT } from './scenario';
import type { SimStateT, StateStore } from './state';

type Change = { kind: 'lock'; mountPoint: string } | { kind: 'removeProtector'; keyProtectorId: string };

export const Mutation = z
  .strictObject({
    after: z.enum(moduleFunctionNames),
    calls: z.int().positive().default(1),
    lock: MountPoint.optional(),
    removeProtector: ProtectorId.optional(),
  })
  .transform(({ after, calls, lock, removeProtector }, ctx) => {
    const change: Change | null =
      lock !== undefined && removeProtector === undefined
        ? { kind: 'lock', mountPoint: lock }
        : removeProtector !== undefined && lock === undefined
          ? { kind: 'removeProtector', keyProtectorId: removeProtector }
          : null;
    if (change) return { after, calls, change };
    ctx.addIssue({ code: 'custom', message: 'give exactly one of lock or removeProtector' });
    return z.NEVER;
  });
export type MutationT = z.output<typeof Mutation>;

const isApplied = (state: Readonly<SimStateT>, { change }: MutationT): boolean =>
  change.kind === 'lock'
    ? state.locked.some((m) => sameName(m, change.mountPoint))
    : state.removedProtectors.some((id) => sameName(id, change.keyProtectorId));

/**
 * Applies every mutation whose function has been called `calls` times: called as each call answers (so a
 * mutation fires as its own call answers) and as each call starts (so one whose call crashed the host fires
 * before the next call, as the fake Windows for pwsh applies them).
 */
export function applyDueMutations(mutations: MutationT[], store: StateStore): void {
  const due = mutations.filter((m) => (store.state.calls[m.after] ?? 0) >= m.calls && !isApplied(store.state, m));
  if (due.length === 0) return;
  store.update((s) => {
    for (const { change } of due) {
      if (change.kind === 'lock') s.locked.push(change.mountPoint);
      else s.removedProtectors.push(change.keyProtectorId);
    }
  });
}

/** The scenario's volumes with the PC's changes: locked drives, added recovery passwords and removed protectors. */
export function currentVolumes(volumes: ScenarioVolumeT[], state: Readonly<SimStateT>): ScenarioVolumeT[] {
  return volumes.map((v) => {
    const added = state.addedProtectors
      .filter((a) => sameName(a.mountPoint, v.mountPoint))
      .map(({ keyProtectorId }) => ({ keyProtectorId, keyProtectorType: 'RecoveryPassword' as const, recoveryPassword: addedRecoveryPassword(keyProtectorId) }));
    return {
      ...v,
      lockStatus: state.locked.some((m) => sameName(m, v.mountPoint)) ? 'Locked' : v.lockStatus,
      keyProtectors: [...v.keyProtectors, ...added].filter((p) => !state.removedProtectors.some((id) => sameName(id, p.keyProtectorId))),
    };
  });
}
