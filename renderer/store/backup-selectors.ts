/**
 * What the backup choices mean: the request they make, whether Next and Back up may be pressed, which
 * files would be replaced and how the result reads. Pure functions of the store's state.
 */
import type { BackupDestinationT, BackupOptionsT, BackupReportT, DestinationKindT, ErrorCodeT, RequestOf } from '../../preload/contract';
import type { BackupData, FileTarget } from './backup';

type State = BackupData & { selectedDrive: string | null };

export type EscrowKind = 'entra' | 'activeDirectory' | 'microsoftAccount';
export type ReportDestination = BackupReportT['destination'];

export function isEscrow(destination: ReportDestination | DestinationKindT | null): destination is EscrowKind {
  return destination === 'entra' || destination === 'activeDirectory' || destination === 'microsoftAccount';
}

/** Codes about where a file may go: their wording already says everything the details line would. */
export function isLocationError(code: ErrorCodeT): boolean {
  return code.startsWith('Location');
}

export function destinationOffer(options: BackupOptionsT | null, kind: DestinationKindT | null) {
  return options?.destinations.find((d) => d.kind === kind) ?? null;
}

/** The USB drive chosen, while it is still there and usable. */
export function selectUsbTarget(s: State) {
  const target = s.draft.usbTarget;
  return s.backupOptions?.usbDrives.find((u) => u.mountPoint === target && u.usable) ?? null;
}

/** Main's token for the text files, while they are the selected keys' own (in the selected keys' order) and unused. */
function fileToken(s: State): string | null {
  const { fileTargets: targets, fileToken: token } = s.draft;
  if (token === null || targets === null || targets.length !== s.selectedKeyIds.length) return null;
  return targets.every((t, i) => t.keyProtectorId === s.selectedKeyIds[i]) ? token : null;
}

/** The files the confirmed backup would write that are known to exist already. */
export function existingTargets(s: State): FileTarget[] {
  const { kind, printMode, fileTargets, pdfTarget } = s.draft;
  if (kind === 'file') return (fileTargets ?? []).filter((t) => t.exists);
  if (kind === 'print' && printMode === 'pdf' && pdfTarget?.exists === true) return [pdfTarget];
  return [];
}

/** `destination` for runBackup, or null while the choice is incomplete. */
export function selectDestination(s: State): BackupDestinationT | null {
  const { kind, printMode, pdfTarget, pdfToken } = s.draft;
  const offer = destinationOffer(s.backupOptions, kind);
  if (kind === null || offer === null || !offer.available) return null;
  switch (kind) {
    case 'usb': {
      const usb = selectUsbTarget(s);
      return usb === null ? null : { kind: 'usb', target: usb.mountPoint, replace: s.replace };
    }
    case 'file': {
      const token = fileToken(s);
      return token === null ? null : { kind: 'file', token, replace: s.replace };
    }
    case 'print':
      if (printMode === 'print') return { kind: 'print' };
      return pdfTarget === null || pdfToken === null ? null : { kind: 'pdf', token: pdfToken, replace: s.replace };
    default:
      return { kind };
  }
}

/** The whole runBackup request, or null while anything is missing. */
export function selectBackupRequest(s: State): RequestOf<'backup:run'> | null {
  const destination = selectDestination(s);
  const [first, ...rest] = s.selectedKeyIds;
  if (destination === null || s.selectedDrive === null || first === undefined || s.backupOptions === null) return null;
  return { mountPoint: s.selectedDrive, keyProtectorIds: [first, ...rest], destination };
}

/** Next on the destination step. */
export function selectDraftComplete(s: State): boolean {
  return s.choosingFile === null && selectBackupRequest(s) !== null;
}

export type NextBlocker = 'chooseDestination' | 'chooseUsb' | 'chooseFile' | 'choosePdf';

/**
 * What the user still has to choose before Next, said beside the disabled button; null when Next is enabled or
 * when the page itself already says why not (still reading, an error, no recovery password, the Save dialog open).
 */
export function selectNextBlocker(s: State): NextBlocker | null {
  if (s.backupOptions === null || s.backupOptionsError !== null || s.backupOptions.protectors.length === 0) return null;
  if (s.choosingFile !== null || selectDraftComplete(s)) return null;
  const { kind, printMode } = s.draft;
  if (kind === null || !destinationOffer(s.backupOptions, kind)?.available) return 'chooseDestination';
  if (kind === 'usb') return 'chooseUsb';
  if (kind === 'file') return 'chooseFile';
  if (kind === 'print' && printMode === 'pdf') return 'choosePdf';
  return null;
}

/** Back up on the confirm step: complete, nothing running, and no existing file replaced without consent. */
export function selectCanRun(s: State): boolean {
  if (s.running || s.checking || selectBackupRequest(s) === null) return false;
  return existingTargets(s).length === 0 || s.replace;
}

export type ResultKind = 'success' | 'failure' | 'mixed' | 'sentNotConfirmed';

const succeeded = new Set(['verified', 'printed', 'confirmed', 'alreadyPresent']);

export function resultKind(report: BackupReportT): ResultKind {
  const statuses = report.outcomes.map((o) => o.status);
  if (statuses.length === 0) return 'failure';
  if (statuses.every((s) => succeeded.has(s))) return 'success';
  if (statuses.every((s) => succeeded.has(s) || s === 'sentNotConfirmed')) return 'sentNotConfirmed';
  if (statuses.every((s) => s === 'failed' || s === 'cancelled')) return 'failure';
  return 'mixed';
}

export function selectResultKind(s: State): ResultKind | null {
  return s.report === null ? null : resultKind(s.report);
}

/** "Check again" makes sense: an escrow that went out without Windows confirming it yet. */
export function selectCanCheckAgain(s: State): boolean {
  return s.report !== null && isEscrow(s.report.destination) && s.report.outcomes.some((o) => o.status === 'sentNotConfirmed');
}

/** "Replace it": a file was in the way, and the same backup can run again (a file or PDF token is good for one run). */
export function selectCanReplace(s: State): boolean {
  return s.report !== null && s.report.outcomes.some((o) => o.status === 'failed' && o.error?.code === 'FileExists') && selectBackupRequest(s) !== null;
}

/** Failures that the same backup, run again, cannot get past: the user has to choose something else. */
const notRetryable: ReadonlySet<ErrorCodeT> = new Set<ErrorCodeT>([
  'FileExists',
  'EntraNotJoined',
  'DomainNotJoined',
  'PolicyForbids',
  'NoRecoveryPassword',
  'ProtectorNotFound',
  'LocationEncrypted',
  'LocationSameDrive',
  'LocationFixedDrive',
  'LocationUnknown',
  'LocationInvalid',
]);

/** "Retry": printing was cancelled, or something failed that may work the next time. */
export function selectCanRetry(s: State): boolean {
  return (
    s.report !== null &&
    s.report.outcomes.some((o) => o.status === 'cancelled' || (o.status === 'failed' && (o.error === null || !notRetryable.has(o.error.code)))) &&
    selectBackupRequest(s) !== null
  );
}
