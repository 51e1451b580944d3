/**
 * The "where every key is" half of the wizard store (issue 12): each recovery password's backup status, backing
 * up what isn't, adding a recovery password, replacing a disclosed one, and the saved-key checker. It reuses the
 * backup wizard for every backup it needs, and wraps four of its actions so a replacement goes on (or stops) once
 * the new key's backup has a result. Derived values live in key-selectors.ts.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AppErrorT, EventPayloadOf, KeyStatusReportT, ResponseOf, SavedKeyCheckT } from '../../preload/contract';
import { bridge } from '../bridge';
import { initialBackupData, type BackupActions } from './backup';
import { call } from './call';
import { proven, selectMissingKeys, succeeded, type MissingKey } from './key-selectors';
import type { WizardState } from './wizard';

export type KeyStep = 'addKey' | 'rotate' | 'rotateResult' | 'backupMissing' | 'backupMissingResult' | 'savedKeys';

/**
 * confirm: the page asking first (again after a failed add, with `error`); adding: keys:add under way;
 * backingUp: the new key exists and the backup wizard is saving it; removing/removed/removeFailed: keys:removeOld.
 */
export type KeyChangePhase = 'confirm' | 'adding' | 'backingUp' | 'removing' | 'removed' | 'removeFailed';

export interface KeyChange {
  mountPoint: string;
  /** The disclosed key being replaced; null when a drive without a recovery password only gets one. */
  oldKeyId: string | null;
  newKeyId: string | null;
  phase: KeyChangePhase;
  /** Why adding or removing failed. */
  error: AppErrorT | null;
}

export type BackupProgressT = EventPayloadOf<'backup:progress'>;

export interface MissingRun {
  directory: 'entra' | 'activeDirectory';
  /** The keys expected to be sent, in drive order; a key main reports progress for is added if missing. */
  keys: MissingKey[];
  running: boolean;
  /** Keys main has reported progress for; every one but the latest is finished. */
  started: string[];
  latest: BackupProgressT | null;
  result: ResponseOf<'keys:backupMissing'> | null;
  error: AppErrorT | null;
}

/** A home PC's "back up what isn't": the backup wizard once per drive, its un-backed-up keys preselected. */
export interface GuidedBackup {
  drives: { mountPoint: string; keyIds: string[] }[];
  index: number;
}

export interface KeysData {
  keyStatus: KeyStatusReportT | null;
  keyStatusLoading: boolean;
  keyStatusError: AppErrorT | null;
  keyChange: KeyChange | null;
  missing: MissingRun | null;
  guided: GuidedBackup | null;
  savedCheck: SavedKeyCheckT | null;
  checkingSaved: boolean;
  savedError: AppErrorT | null;
}

export interface KeysActions {
  /** Reads every key's backup status; a failure leaves the drive list as it is and says so. */
  loadKeyStatus(): Promise<void>;
  /** Drive list → "Add a recovery password" for a drive without one. */
  startAddKey(mountPoint: string): void;
  /** Drive list → "Replace this key" for a disclosed key. */
  startRotate(mountPoint: string, keyProtectorId: string): void;
  /** Adds the recovery password, then opens the backup wizard with only the new key selected. */
  addKey(): Promise<void>;
  /** Leaves the add/replace page before anything was added. */
  cancelKeyChange(): void;
  /** Tries keys:removeOld again after it failed (the new key is backed up). */
  retryRemoveOld(): Promise<void>;
  /** The replacement's last page → drive list, read again. */
  finishKeyChange(): Promise<void>;
  /** Hides the drive list's note about a replacement or added key that stopped. */
  dismissKeyChange(): void;
  /** Every key not yet backed up: to the directory in one call, or through the wizard drive by drive. */
  backUpMissing(): Promise<void>;
  closeMissing(): void;
  /** Opens main's folder picker and shows what each key file there is; cancelling changes nothing. */
  checkSavedKeys(): Promise<void>;
  closeSavedKeys(): void;
}

export const initialKeysData: KeysData = {
  keyStatus: null,
  keyStatusLoading: false,
  keyStatusError: null,
  keyChange: null,
  missing: null,
  guided: null,
  savedCheck: null,
  checkingSaved: false,
  savedError: null,
};

type SetState = StoreApi<WizardState>['setState'];
type GetState = StoreApi<WizardState>['getState'];

/** The backup slice's actions, with those a replacement or a guided backup must follow wrapped. */
export function createKeysSlice(set: SetState, get: GetState, backup: BackupActions): BackupActions & KeysActions {
  let statusRequest = 0;
  let followingProgress = false;

  const busy = () => get().running || get().checking;

  /** The backup wizard's destination step for these keys of this drive, nothing else selected. */
  const openBackup = (mountPoint: string, keyIds: string[]) => {
    set({ step: 'destination', selectedDrive: mountPoint, ...initialBackupData, backupDrive: mountPoint, selectedKeyIds: keyIds });
    void get().loadBackupOptions();
  };

  const removeOld = async () => {
    const change = get().keyChange;
    if (change?.phase !== 'removing' || change.oldKeyId === null || change.newKeyId === null) return;
    const { mountPoint, oldKeyId, newKeyId } = change;
    const result = await call(() => bridge().removeOldKey({ mountPoint, keyProtectorId: oldKeyId, replacedBy: newKeyId }));
    set({ keyChange: { ...change, phase: result.ok ? 'removed' : 'removeFailed', error: result.ok ? null : result.error } });
  };

  /**
   * After a run or a check: an added key whose backup succeeded needs nothing more; a replacement goes on to remove
   * the old key only when the new key's backup is proven (saved and read back, or confirmed by Windows). Anything
   * else leaves the old key alone and the result page says so.
   */
  const afterBackup = async () => {
    const { keyChange: change, report } = get();
    if (change?.phase !== 'backingUp' || change.newKeyId === null || report?.mountPoint !== change.mountPoint) return;
    const outcome = report.outcomes.find((o) => o.keyProtectorId === change.newKeyId);
    if (outcome === undefined) return;
    if (change.oldKeyId === null) {
      if (succeeded.has(outcome.status)) set({ keyChange: null });
      return;
    }
    if (!proven.has(outcome.status)) return;
    set({ step: 'rotateResult', keyChange: { ...change, phase: 'removing', error: null } });
    await removeOld();
  };

  /** Per-key progress for "back up what isn't"; the wizard's own listener ignores events while no wizard run is on. */
  const followProgress = () => {
    if (followingProgress) return;
    try {
      bridge().onBackupProgress((progress) => {
        const run = get().missing;
        const id = progress.keyProtectorId;
        if (run === null || !run.running || id === null) return;
        const known = run.keys.some((k) => k.keyProtectorId === id);
        const drive = get().keyStatus?.drives.find((d) => d.keys.some((k) => k.keyProtectorId === id));
        const keys = known || drive === undefined ? run.keys : [...run.keys, { mountPoint: drive.mountPoint, keyProtectorId: id }];
        const started = run.started.includes(id) ? run.started : [...run.started, id];
        set({ missing: { ...run, keys, started, latest: progress } });
      });
      followingProgress = true;
    } catch {
      // No bridge: backupMissing fails next and reports it.
    }
  };

  const endGuided = () => {
    const wasGuided = get().guided !== null;
    set({ guided: null });
    return wasGuided;
  };

  return {
    ...backup,

    runBackup: async () => {
      await backup.runBackup();
      await afterBackup();
    },

    checkAgain: async () => {
      await backup.checkAgain();
      await afterBackup();
    },

    /** Finish on a guided backup's result moves on to the next drive; after the last, the drive list is read again. */
    finish: async () => {
      if (busy()) return;
      const guided = get().guided;
      const next = guided === null ? undefined : guided.drives[guided.index + 1];
      if (guided !== null && next !== undefined) {
        set({ guided: { ...guided, index: guided.index + 1 } });
        return openBackup(next.mountPoint, next.keyIds);
      }
      endGuided();
      await backup.finish();
    },

    /** Cancel ends a guided backup too; what was saved so far shows in the status, read again. */
    cancel: () => {
      if (busy()) return;
      const wasGuided = endGuided();
      backup.cancel();
      if (wasGuided) void get().loadKeyStatus();
    },

    back: () => {
      if (busy()) return;
      if (get().step === 'destination' && endGuided()) void get().loadKeyStatus();
      backup.back();
    },

    loadKeyStatus: async () => {
      const request = ++statusRequest;
      set({ keyStatusLoading: true, keyStatusError: null });
      const result = await call(() => bridge().getKeyStatus({}));
      if (request !== statusRequest) return;
      // A status that failed to load is not shown stale: it may say "backed up" for a key that was just replaced.
      set(result.ok ? { keyStatusLoading: false, keyStatus: result.data } : { keyStatusLoading: false, keyStatus: null, keyStatusError: result.error });
    },

    startAddKey: (mountPoint) => {
      if (get().step !== 'drives') return;
      set({ step: 'addKey', keyChange: { mountPoint, oldKeyId: null, newKeyId: null, phase: 'confirm', error: null } });
    },

    startRotate: (mountPoint, keyProtectorId) => {
      if (get().step !== 'drives') return;
      set({ step: 'rotate', keyChange: { mountPoint, oldKeyId: keyProtectorId, newKeyId: null, phase: 'confirm', error: null } });
    },

    addKey: async () => {
      const change = get().keyChange;
      if (change === null || change.phase !== 'confirm' || change.newKeyId !== null) return;
      set({ keyChange: { ...change, phase: 'adding', error: null } });
      const result = await call(() => bridge().addRecoveryPassword({ mountPoint: change.mountPoint }));
      if (!result.ok) return set({ keyChange: { ...change, phase: 'confirm', error: result.error } });
      set({ keyChange: { ...change, newKeyId: result.data.keyProtectorId, phase: 'backingUp', error: null } });
      openBackup(change.mountPoint, [result.data.keyProtectorId]);
    },

    cancelKeyChange: () => {
      const change = get().keyChange;
      if (change === null || change.newKeyId !== null || change.phase === 'adding') return;
      set({ step: 'drives', keyChange: null });
    },

    retryRemoveOld: async () => {
      const change = get().keyChange;
      if (change?.phase !== 'removeFailed') return;
      set({ keyChange: { ...change, phase: 'removing', error: null } });
      await removeOld();
    },

    finishKeyChange: async () => {
      const phase = get().keyChange?.phase;
      if (phase !== 'removed' && phase !== 'removeFailed') return;
      set({ keyChange: null });
      await backup.finish();
    },

    dismissKeyChange: () => {
      if (get().step !== 'drives') return;
      set({ keyChange: null });
    },

    backUpMissing: async () => {
      const state = get();
      if (state.step !== 'drives' || state.keyStatus === null || busy()) return;
      const keys = selectMissingKeys(state);
      const [first] = keys;
      if (first === undefined) return;
      const directory = state.keyStatus.directory;
      if (directory === null) {
        const drives = [...new Set(keys.map((k) => k.mountPoint))].map((mountPoint) => ({
          mountPoint,
          keyIds: keys.filter((k) => k.mountPoint === mountPoint).map((k) => k.keyProtectorId),
        }));
        set({ guided: { drives, index: 0 } });
        return openBackup(first.mountPoint, drives[0]?.keyIds ?? []);
      }
      followProgress();
      set({ step: 'backupMissing', missing: { directory, keys, running: true, started: [], latest: null, result: null, error: null } });
      const result = await call(() => bridge().backupMissing({}));
      const run = get().missing;
      if (run === null) return;
      set({
        step: 'backupMissingResult',
        missing: { ...run, running: false, latest: null, result: result.ok ? result.data : null, error: result.ok ? null : result.error },
      });
      await get().loadKeyStatus();
    },

    closeMissing: () => {
      if (get().missing?.running !== false) return;
      set({ step: 'drives', missing: null });
    },

    checkSavedKeys: async () => {
      const { step, checkingSaved } = get();
      if (checkingSaved || (step !== 'drives' && step !== 'savedKeys')) return;
      set({ checkingSaved: true, savedError: null });
      const result = await call(() => bridge().checkSavedKeys({}));
      if (!result.ok) return set({ checkingSaved: false, savedError: result.error });
      if (result.data.cancelled) return set({ checkingSaved: false });
      const { folder, files, truncated } = result.data;
      set({ checkingSaved: false, savedCheck: { folder, files, truncated }, step: 'savedKeys' });
    },

    closeSavedKeys: () => {
      if (get().checkingSaved) return;
      set({ step: 'drives', savedCheck: null, savedError: null });
    },
  };
}
