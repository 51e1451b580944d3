/**
 * What a backup choice or outcome says in words: the USB drive's name, the sentences on the confirm step,
 * the evidence on the result step. Pure: no store, no DOM.
 */
import type { AppErrorT, BackupOptionsT, BackupOutcomeT, BackupReportT, VolumeT } from '../preload/contract';
import type { DestinationDraft, PanelPage } from './store/backup';
import { isEscrow } from './store/backup-selectors';
import { errorMessage, strings } from './strings';
import { driveLabel } from './volume-status';

type UsbDriveT = BackupOptionsT['usbDrives'][number];

/** The stick's label, or "USB Drive" for a stick without one. */
export function usbLabel(usb: Pick<UsbDriveT, 'label'>): string {
  return usb.label === null || usb.label.trim() === '' ? strings.destination.usbDefaultLabel : usb.label;
}

/** "USB DISK (F:)", or "USB Drive (F:)" for a stick without a label. */
export function usbName(usb: Pick<UsbDriveT, 'label' | 'mountPoint'>): string {
  return strings.destination.usbName(usbLabel(usb), usb.mountPoint);
}

/** "Windows (C:)" for a drive the list knows, "C:" for one it doesn't. */
export function driveName(mountPoint: string, volumes: readonly VolumeT[] | null): string {
  const volume = volumes?.find((v) => v.mountPoint === mountPoint);
  return volume === undefined ? mountPoint : `${driveLabel(volume)} (${mountPoint})`;
}

/** Where the key goes, as the confirm step says it after "Back up to": "a file", "your Microsoft account". */
export function destinationName(draft: DestinationDraft): string {
  if (draft.kind === null) return '';
  if (draft.kind === 'print' && draft.printMode === 'pdf') return strings.confirm.destinationNames.pdf;
  return strings.confirm.destinationNames[draft.kind];
}

/** Exactly what Back up will do, one plain sentence per file or action. */
export function planSentences(draft: DestinationDraft, keyCount: number, options: BackupOptionsT | null, home = false): string[] {
  const say = strings.confirm.sentences;
  switch (draft.kind) {
    case 'file':
      return (draft.fileTargets ?? []).map((t) => say.file(t.path));
    case 'usb': {
      const usb = options?.usbDrives.find((u) => u.mountPoint === draft.usbTarget);
      return draft.usbTarget === null ? [] : [say.usb(usb === undefined ? draft.usbTarget : usbName(usb), keyCount)];
    }
    case 'print':
      if (draft.printMode === 'print') return [say.print];
      return draft.pdfTarget === null ? [] : [say.pdf(draft.pdfTarget.path)];
    case 'entra':
      return [say.entra(keyCount)];
    case 'activeDirectory':
      return [say.activeDirectory(keyCount)];
    case 'microsoftAccount':
      return [home ? say.microsoftAccountHome : say.microsoftAccount];
    default:
      return [];
  }
}

/** Title and body for a failed outcome; the Active Directory path names its own network problem. */
export function failureMessage(error: AppErrorT, destination: BackupReportT['destination']): { title: string; body: string } {
  if (error.code === 'NetworkUnavailable' && destination === 'activeDirectory') return strings.result.networkUnavailableAd;
  return errorMessage(error.code);
}

/**
 * The evidence for one outcome that isn't a failure (failures show their error instead). The Microsoft account
 * path sent nothing itself, so an unconfirmed outcome there says what Windows hasn't reported, and where the user
 * finishes (`panelPage`).
 */
export function outcomeEvidence(outcome: BackupOutcomeT, destination: BackupReportT['destination'], panelPage: PanelPage | null = null): string {
  const say = strings.result;
  switch (outcome.status) {
    case 'verified':
      return say.verified(outcome.path);
    case 'printed':
      return say.printed;
    case 'confirmed': {
      const name = isEscrow(destination) ? say.escrowNames[destination] : say.windows;
      return say.confirmed(name, outcome.event?.time ?? null, outcome.event?.id ?? null);
    }
    case 'alreadyPresent':
      return say.alreadyPresent(outcome.event?.id ?? null);
    case 'sentNotConfirmed':
      return destination === 'microsoftAccount' ? say.notReported(panelPage ?? 'bitLockerPanel') : say.sentNotConfirmed;
    case 'cancelled':
      return say.cancelled;
    case 'failed':
      return outcome.error === null ? errorMessage('Internal').title : failureMessage(outcome.error, destination).title;
  }
}
