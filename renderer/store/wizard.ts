/**
 * The wizard's single store: where the user is, what the PC reported and what went wrong. The backup steps'
 * state and actions come from the backup slice (backup.ts). Derived values (which page to show, drive
 * groups, statuses, the backup request) are computed by selectors and volume-status, never stored.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorT, EnvironmentT, SessionStateT, VolumeT } from '../../preload/contract';
import { bridge } from '../bridge';
import { backupAvailability } from '../volume-status';
import { createBackupSlice, initialBackupData, type BackupActions, type BackupData } from './backup';
import { call } from './call';
import { createKeysSlice, initialKeysData, type KeysActions, type KeysData, type KeyStep } from './keys';

export type Step = 'drives' | 'destination' | 'confirm' | 'result' | KeyStep;

/** "Restart as administrator": not asked, waiting for Windows (the app quits on success), or refused. */
export type Elevation = 'idle' | 'requesting' | 'declined';

export interface WizardData extends BackupData, KeysData {
  step: Step;
  environment: EnvironmentT | null;
  /** Null until read (or when elevation or the BitLocker module is missing, so nothing could be read). */
  volumes: VolumeT[] | null;
  loading: boolean;
  /** The PowerShell session's last reported state; null until main reports one. */
  session: SessionStateT | null;
  error: AppErrorT | null;
  selectedDrive: string | null;
  elevation: Elevation;
}

export interface WizardActions extends BackupActions, KeysActions {
  /** Reads the environment, then the volumes. Concurrent calls share the one in flight. */
  load(): Promise<void>;
  /** Restarts the PowerShell session, then loads again. */
  retry(): Promise<void>;
  restartElevated(): Promise<void>;
  /**
   * Moves on with a drive whose recovery key can be backed up (ignores any other) and reads its backup
   * options. Choices made earlier for the same drive are kept; another drive starts afresh.
   */
  chooseDrive(mountPoint: string): void;
}

export type WizardState = WizardData & WizardActions;
export type WizardStore = StoreApi<WizardState>;

export const initialWizardData: WizardData = {
  step: 'drives',
  environment: null,
  volumes: null,
  loading: false,
  session: null,
  error: null,
  selectedDrive: null,
  elevation: 'idle',
  ...initialBackupData,
  ...initialKeysData,
};

export function createWizardStore(): WizardStore {
  let inFlight: Promise<void> | null = null;
  let followingSession = false;
  let followingProgress = false;

  return createStore<WizardState>()((set, get) => {
    const exclusive = (task: () => Promise<void>): Promise<void> => {
      inFlight ??= task().finally(() => {
        inFlight = null;
      });
      return inFlight;
    };

    /** Subscribes once to each of main's events; progress only counts while a run or check is under way. */
    const followEvents = () => {
      try {
        if (!followingSession) {
          bridge().onSessionState(({ state }) => set({ session: state }));
          followingSession = true;
        }
        if (!followingProgress) {
          bridge().onBackupProgress((progress) => {
            const state = get();
            if (!state.running && !state.checking) return;
            // Which window the user finishes a Microsoft account backup in: Home says so (inDeviceEncryption);
            // otherwise the BitLocker panel is open once main starts waiting for its event.
            const panelPage =
              progress.stage === 'inDeviceEncryption'
                ? 'deviceEncryption'
                : progress.stage === 'confirming' && state.running && state.draft.kind === 'microsoftAccount' && state.panelPage === null
                  ? 'bitLockerPanel'
                  : state.panelPage;
            set({ progress, panelPage });
          });
          followingProgress = true;
        }
      } catch {
        // No bridge: the calls that follow fail and report it.
      }
    };

    const readPc = async () => {
      followEvents();
      set({ loading: true, error: null });
      const environment = await call(() => bridge().getEnvironment({}));
      if (!environment.ok) return set({ loading: false, error: environment.error });
      // Without elevation or the module, listing would only fail: the page explains instead.
      if (!environment.data.elevated || !environment.data.bitLockerModule) {
        return set({ loading: false, environment: environment.data, volumes: null });
      }
      set({ environment: environment.data });
      const list = await call(() => bridge().listVolumes({}));
      if (!list.ok) return set({ loading: false, error: list.error });
      set({ loading: false, volumes: list.data.volumes });
      // After the volumes, so the drive list shows (and stays usable) while the event log is read.
      void get().loadKeyStatus();
    };

    return {
      ...initialWizardData,
      ...createKeysSlice(set, get, createBackupSlice(set, get, followEvents)),

      load: () => exclusive(readPc),

      retry: () =>
        exclusive(async () => {
          set({ loading: true, error: null, elevation: 'idle' });
          const restarted = await call(() => bridge().retrySession({}));
          if (!restarted.ok) return set({ loading: false, error: restarted.error });
          set({ session: restarted.data.state });
          await readPc();
        }),

      restartElevated: async () => {
        set({ elevation: 'requesting' });
        const result = await call(() => bridge().restartElevated({}));
        if (!result.ok) return set({ elevation: 'idle', error: result.error });
        set({ elevation: result.data.restarting ? 'requesting' : 'declined' });
      },

      chooseDrive: (mountPoint) => {
        const volume = get().volumes?.find((v) => v.mountPoint === mountPoint);
        if (volume === undefined || !backupAvailability(volume).possible || get().step !== 'drives') return;
        const sameDrive = get().backupDrive === mountPoint;
        set({ step: 'destination', selectedDrive: mountPoint, ...(sameDrive ? {} : { ...initialBackupData, backupDrive: mountPoint }) });
        void get().loadBackupOptions();
      },
    };
  });
}
