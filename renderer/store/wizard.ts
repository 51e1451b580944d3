/**
 * The wizard's single store: where the user is, what the PC reported and what went wrong. Derived values
 * (which page to show, drive groups, statuses) are computed by selectors and volume-status, never stored.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorT, EnvironmentT, Result, SessionStateT, VolumeT } from '../../preload/contract';
import { bridge } from '../bridge';
import { strings } from '../strings';
import { backupAvailability } from '../volume-status';

/** Later steps ('confirm', 'result') join as they are built. */
export type Step = 'drives' | 'destination';

/** "Restart as administrator": not asked, waiting for Windows (the app quits on success), or refused. */
export type Elevation = 'idle' | 'requesting' | 'declined';

export interface WizardData {
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

export interface WizardActions {
  /** Reads the environment, then the volumes. Concurrent calls share the one in flight. */
  load(): Promise<void>;
  /** Restarts the PowerShell session, then loads again. */
  retry(): Promise<void>;
  restartElevated(): Promise<void>;
  /** Moves on with a drive whose recovery key can be backed up; ignores any other. */
  chooseDrive(mountPoint: string): void;
  backToDrives(): void;
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
};

/** Turns a throwing bridge (missing preload, broken IPC) into the same typed failure as any other. */
async function call<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await request();
  } catch {
    return { ok: false, error: { code: 'Internal', message: strings.errors.bridgeFailed, hresult: null } };
  }
}

export function createWizardStore(): WizardStore {
  let inFlight: Promise<void> | null = null;
  let subscribed = false;

  return createStore<WizardState>()((set, get) => {
    const exclusive = (task: () => Promise<void>): Promise<void> => {
      inFlight ??= task().finally(() => {
        inFlight = null;
      });
      return inFlight;
    };

    const followSession = () => {
      if (subscribed) return;
      try {
        bridge().onSessionState(({ state }) => set({ session: state }));
        subscribed = true;
      } catch {
        // No bridge: the calls that follow fail and report it.
      }
    };

    const readPc = async () => {
      followSession();
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
    };

    return {
      ...initialWizardData,

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
        if (volume === undefined || !backupAvailability(volume).possible) return;
        set({ step: 'destination', selectedDrive: mountPoint });
      },

      backToDrives: () => set({ step: 'drives', selectedDrive: null }),
    };
  });
}
