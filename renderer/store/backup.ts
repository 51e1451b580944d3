/**
 * The backup half of the wizard store: what the chosen drive offers, what the user picked, the run and its
 * report. Everything derived from these (the request, whether Next or Back up may be pressed, the result's
 * heading) lives in backup-selectors.ts and is never stored.
 */
import type { StoreApi } from 'zustand/vanilla';
import type {
  AppErrorT,
  BackupOptionsT,
  BackupReportT,
  DestinationKindT,
  EnvironmentT,
  EventPayloadOf,
  RequestOf,
  ResponseOf,
} from '../../preload/contract';
import { bridge } from '../bridge';
import { isEscrow, selectBackupRequest, selectCanRun, selectDraftComplete } from './backup-selectors';
import { call } from './call';
import type { WizardState } from './wizard';

export type FileFormat = 'text' | 'pdf';
export type PrintMode = 'print' | 'pdf';

/** A place the Save dialog returned, already checked by main against the location rules. */
export type FileTarget = Extract<ResponseOf<'backup:chooseFile'>, { cancelled: false }>['targets'][number];

export type BackupProgress = EventPayloadOf<'backup:progress'>;

/** Which of Windows' windows the Microsoft account backup opened: the BitLocker panel, or on Home, Settings' Device encryption page. */
export type PanelPage = 'bitLockerPanel' | 'deviceEncryption';

/** What the user chose on the destination step; sub-choices survive switching between destinations. */
export interface DestinationDraft {
  kind: DestinationKindT | null;
  usbTarget: string | null;
  /** One text file per selected key, as chooseFile returned them. Both targets are cleared when the selection changes. */
  fileTargets: FileTarget[] | null;
  printMode: PrintMode;
  pdfTarget: FileTarget | null;
  /** What runBackup names instead of the paths (main keeps them); good for one run, so cleared once used. */
  fileToken: string | null;
  pdfToken: string | null;
}

export interface BackupData {
  /** The drive the choices below belong to; kept on Back, so returning to the same drive finds them. */
  backupDrive: string | null;
  backupOptions: BackupOptionsT | null;
  backupOptionsLoading: boolean;
  backupOptionsError: AppErrorT | null;
  /** In the order Windows lists the protectors. */
  selectedKeyIds: string[];
  draft: DestinationDraft;
  /** The Save dialog is open for this format. */
  choosingFile: FileFormat | null;
  /** Why the last place chosen can't be used, shown under that format's button. */
  fileError: { format: FileFormat; error: AppErrorT } | null;
  /** The user agreed to replace existing files (or chose "Replace it" after FileExists). */
  replace: boolean;
  running: boolean;
  /** The last stage main reported for the run or check in progress. */
  progress: BackupProgress | null;
  /** Where the user finishes a Microsoft account backup, once main said (kept for the result's wording). */
  panelPage: PanelPage | null;
  /** "Stop waiting" was pressed and main is ending the wait. */
  stoppingWait: boolean;
  report: BackupReportT | null;
  /** "Check again" is asking the event log. */
  checking: boolean;
  checkError: AppErrorT | null;
  /** When the event log was last asked about this report (the run's own wait, or "Check again"). */
  lastCheckedAt: string | null;
}

export interface BackupActions {
  /** Reads (again) what the selected drive offers, keeping every choice that is still possible. */
  loadBackupOptions(): Promise<void>;
  /** Checks or unchecks a recovery key; the last checked one stays checked. */
  toggleKey(keyProtectorId: string): void;
  chooseDestination(kind: DestinationKindT): void;
  chooseUsb(mountPoint: string): void;
  choosePrintMode(mode: PrintMode): void;
  /** Opens the Save dialog; cancelling changes nothing. */
  chooseFileTargets(format: FileFormat): Promise<void>;
  setReplace(replace: boolean): void;
  /** Destination → confirm, once the destination is complete. */
  next(): void;
  /** Confirm → destination → drive list, keeping every choice. */
  back(): void;
  /** Back to the drive list, forgetting every choice. */
  cancel(): void;
  /** Runs the confirmed backup; does nothing while one runs. */
  runBackup(): Promise<void>;
  /** Ends the wait for Windows' confirmation now; the run then reports what the event log has said so far. */
  stopWaiting(): Promise<void>;
  /** After FileExists: runs the same backup again, replacing the file. */
  replaceExisting(): Promise<void>;
  /** Asks the event log again after "sent, not yet confirmed". */
  checkAgain(): Promise<void>;
  /** Result → destination for the same drive, with the same keys selected. */
  backUpAnotherWay(): void;
  /** Result → drive list, read again. */
  finish(): Promise<void>;
}

export const emptyDraft: DestinationDraft = { kind: null, usbTarget: null, fileTargets: null, printMode: 'print', pdfTarget: null, fileToken: null, pdfToken: null };

export const initialBackupData: BackupData = {
  backupDrive: null,
  backupOptions: null,
  backupOptionsLoading: false,
  backupOptionsError: null,
  selectedKeyIds: [],
  draft: emptyDraft,
  choosingFile: null,
  fileError: null,
  replace: false,
  running: false,
  progress: null,
  panelPage: null,
  stoppingWait: false,
  report: null,
  checking: false,
  checkError: null,
  lastCheckedAt: null,
};

type RunRequest = RequestOf<'backup:run'>;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The one usable USB drive, when there is exactly one: Windows would not make the user pick it. */
function onlyUsableUsb(options: BackupOptionsT): string | null {
  const usable = options.usbDrives.filter((u) => u.usable);
  return usable.length === 1 && usable[0] !== undefined ? usable[0].mountPoint : null;
}

/**
 * The organisation's directory on a PC joined to one: where its helpdesk expects the key (Entra ID first on a
 * hybrid PC, the directory Windows itself backs up to there). Never on a PC whose join state is unknown.
 */
function organisationDirectory(environment: EnvironmentT | null, options: BackupOptionsT): DestinationKindT | null {
  const offered = (kind: DestinationKindT) => options.destinations.some((d) => d.kind === kind && d.available);
  if (environment?.entraJoined === true && offered('entra')) return 'entra';
  if (environment?.domainJoined === true && offered('activeDirectory')) return 'activeDirectory';
  return null;
}

/** Fresh options against the user's choices: keep what is still possible, drop the rest; nothing chosen yet on a joined PC means its directory. */
function reconcile(state: BackupData & { environment: EnvironmentT | null }, options: BackupOptionsT): Partial<BackupData> {
  const ids = options.protectors.map((p) => p.keyProtectorId);
  const kept = ids.filter((id) => state.selectedKeyIds.includes(id));
  const selectedKeyIds = kept.length > 0 ? kept : ids;
  const { draft } = state;
  const kindStillOffered = options.destinations.some((d) => d.kind === draft.kind && d.available);
  const kind = kindStillOffered ? draft.kind : draft.kind === null && state.backupOptions === null ? organisationDirectory(state.environment, options) : null;
  const usbStillUsable = options.usbDrives.some((u) => u.mountPoint === draft.usbTarget && u.usable);
  const usbTarget = usbStillUsable ? draft.usbTarget : kind === 'usb' ? onlyUsableUsb(options) : null;
  return {
    backupOptions: options,
    backupOptionsLoading: false,
    backupOptionsError: null,
    selectedKeyIds,
    draft: sameList(selectedKeyIds, state.selectedKeyIds)
      ? { ...draft, kind, usbTarget }
      : { ...draft, kind, usbTarget, fileTargets: null, pdfTarget: null, fileToken: null, pdfToken: null },
    replace: false,
  };
}

/** A run refused as a whole (BackupInProgress, Timeout, …) reads as that failure for every chosen key. */
function failedReport(request: RunRequest, error: AppErrorT): BackupReportT {
  return {
    mountPoint: request.mountPoint,
    destination: request.destination.kind,
    startedAt: new Date().toISOString(),
    outcomes: request.keyProtectorIds.map((keyProtectorId) => ({ keyProtectorId, status: 'failed', path: null, event: null, error })),
  };
}

type SetState = StoreApi<WizardState>['setState'];
type GetState = StoreApi<WizardState>['getState'];

/** `followEvents` subscribes to main's events once (progress included) before anything listens for them. */
export function createBackupSlice(set: SetState, get: GetState, followEvents: () => void): BackupActions {
  let optionsRequest = 0;

  const busy = () => get().running || get().checking;

  return {
    loadBackupOptions: async () => {
      const drive = get().selectedDrive;
      if (drive === null) return;
      const request = ++optionsRequest;
      set({ backupOptionsLoading: true, backupOptionsError: null });
      const result = await call(() => bridge().getBackupOptions({ mountPoint: drive }));
      // A newer read, or the user left the drive: this answer is stale.
      if (request !== optionsRequest || get().selectedDrive !== drive) return;
      if (!result.ok) return set({ backupOptionsLoading: false, backupOptionsError: result.error });
      set(reconcile(get(), result.data));
    },

    toggleKey: (keyProtectorId) => {
      const { backupOptions, selectedKeyIds, draft, step } = get();
      if (busy() || step !== 'destination' || backupOptions === null) return;
      const ids = backupOptions.protectors.map((p) => p.keyProtectorId);
      if (!ids.includes(keyProtectorId)) return;
      const checked = selectedKeyIds.includes(keyProtectorId);
      if (checked && selectedKeyIds.length === 1) return;
      set({
        selectedKeyIds: ids.filter((id) => (id === keyProtectorId ? !checked : selectedKeyIds.includes(id))),
        // Files are named after the keys they hold: the places chosen no longer match the selection.
        draft: { ...draft, fileTargets: null, pdfTarget: null, fileToken: null, pdfToken: null },
        fileError: null,
        replace: false,
      });
    },

    chooseDestination: (kind) => {
      const { backupOptions, draft, step } = get();
      if (busy() || step !== 'destination' || backupOptions === null) return;
      if (!backupOptions.destinations.some((d) => d.kind === kind && d.available)) return;
      const usbTarget = kind === 'usb' && draft.usbTarget === null ? onlyUsableUsb(backupOptions) : draft.usbTarget;
      set({ draft: { ...draft, kind, usbTarget }, replace: false });
    },

    chooseUsb: (mountPoint) => {
      const { backupOptions, draft, step } = get();
      if (busy() || step !== 'destination' || backupOptions === null) return;
      if (!backupOptions.usbDrives.some((u) => u.mountPoint === mountPoint && u.usable)) return;
      set({ draft: { ...draft, usbTarget: mountPoint }, replace: false });
    },

    choosePrintMode: (mode) => {
      if (busy() || get().step !== 'destination') return;
      set({ draft: { ...get().draft, printMode: mode }, replace: false });
    },

    chooseFileTargets: async (format) => {
      const { selectedDrive: drive, step, choosingFile, selectedKeyIds: keyProtectorIds } = get();
      if (drive === null || step !== 'destination' || choosingFile !== null || busy() || keyProtectorIds.length === 0) return;
      set({ choosingFile: format });
      const result = await call(() => bridge().chooseFile({ mountPoint: drive, keyProtectorIds, format }));
      set({ choosingFile: null });
      const now = get();
      if (now.selectedDrive !== drive || now.step !== 'destination') return;
      if (!sameList(now.selectedKeyIds, keyProtectorIds)) return;
      if (!result.ok) {
        const draft = format === 'text' ? { ...now.draft, fileTargets: null, fileToken: null } : { ...now.draft, pdfTarget: null, pdfToken: null };
        return set({ fileError: { format, error: result.error }, draft, replace: false });
      }
      if (result.data.cancelled) return;
      const { targets, token } = result.data;
      const fileError = now.fileError?.format === format ? null : now.fileError;
      if (format === 'text') {
        return set({ draft: { ...now.draft, fileTargets: targets, fileToken: token }, fileError, replace: false });
      }
      set({ draft: { ...now.draft, pdfTarget: targets[0] ?? null, pdfToken: token }, fileError, replace: false });
    },

    setReplace: (replace) => {
      if (busy()) return;
      set({ replace });
    },

    next: () => {
      const state = get();
      if (state.step !== 'destination' || busy() || !selectDraftComplete(state)) return;
      // Agreeing to replace a file is asked afresh on every visit to the confirm step.
      set({ step: 'confirm', replace: false });
    },

    back: () => {
      if (busy()) return;
      switch (get().step) {
        case 'confirm':
          return set({ step: 'destination', replace: false });
        case 'destination':
          return set({ step: 'drives', selectedDrive: null, backupOptionsLoading: false, choosingFile: null });
        default:
          return;
      }
    },

    cancel: () => {
      if (busy()) return;
      set({ step: 'drives', selectedDrive: null, ...initialBackupData });
    },

    runBackup: async () => {
      const state = get();
      const request = selectBackupRequest(state);
      if (busy() || request === null || !selectCanRun(state)) return;
      followEvents();
      // Set before the first await: a second click finds `running` and returns.
      set({ running: true, progress: null, panelPage: null, stoppingWait: false, step: 'confirm', checkError: null, lastCheckedAt: null });
      const result = await call(() => bridge().runBackup(request));
      const report = result.ok ? result.data : failedReport(request, result.error);
      // Main forgets a file or PDF token once a run has named it: running again means choosing the place again.
      const { draft } = get();
      const kind = request.destination.kind;
      set({
        draft: kind === 'file' ? { ...draft, fileToken: null } : kind === 'pdf' ? { ...draft, pdfToken: null } : draft,
        running: false,
        progress: null,
        stoppingWait: false,
        step: 'result',
        report,
        // The run's own wait asked the event log until it ended.
        lastCheckedAt: result.ok && isEscrow(report.destination) ? new Date().toISOString() : null,
      });
    },

    stopWaiting: async () => {
      if (!get().running || get().stoppingWait) return;
      set({ stoppingWait: true });
      const result = await call(() => bridge().stopWaiting({}));
      // The run ends by itself once main stops waiting; only a failed request leaves the button usable again.
      if (!result.ok || !result.data.stopped) set({ stoppingWait: false });
    },

    replaceExisting: async () => {
      const { report } = get();
      if (busy() || report === null) return;
      if (!report.outcomes.some((o) => o.error?.code === 'FileExists')) return;
      set({ replace: true });
      await get().runBackup();
    },

    checkAgain: async () => {
      const { report, step } = get();
      if (busy() || step !== 'result' || report === null || report.outcomes.length === 0) return;
      const destination = report.destination;
      if (!isEscrow(destination)) return;
      const [first, ...rest] = report.outcomes.map((o) => o.keyProtectorId);
      if (first === undefined) return;
      followEvents();
      set({ checking: true, checkError: null, progress: null });
      const result = await call(() =>
        bridge().checkBackup({ mountPoint: report.mountPoint, keyProtectorIds: [first, ...rest], destination, since: report.startedAt }),
      );
      if (get().report !== report) return set({ checking: false, progress: null });
      if (!result.ok) return set({ checking: false, progress: null, checkError: result.error });
      // The backup still started when it did: a later "Check again" must look from there too.
      set({ checking: false, progress: null, report: { ...result.data, startedAt: report.startedAt }, lastCheckedAt: new Date().toISOString() });
    },

    backUpAnotherWay: () => {
      if (busy() || get().step !== 'result') return;
      set({
        step: 'destination',
        draft: emptyDraft,
        report: null,
        replace: false,
        fileError: null,
        checkError: null,
        progress: null,
        panelPage: null,
        lastCheckedAt: null,
      });
    },

    finish: async () => {
      if (busy()) return;
      set({ step: 'drives', selectedDrive: null, ...initialBackupData });
      await get().load();
    },
  };
}
