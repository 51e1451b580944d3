/**
 * Every piece of text the user sees, in one place: plain Windows voice, sentence case.
 * Components import from here and never carry their own wording.
 */
import type { ErrorCodeT, VolumeT } from '../preload/contract';

type DriveTypeT = VolumeT['driveType'];

/** Codes with a page of their own rather than the generic error message. */
type MessageErrorCode = Exclude<ErrorCodeT, 'NotElevated' | 'BitLockerModuleMissing'>;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function percent(verb: string, value: number | null): string {
  return value === null ? verb : `${verb} ${value}%`;
}

const somethingWentWrong = {
  title: 'Something went wrong inside BitLocker Key Backup',
  body: 'Select Retry. If it keeps happening, close the app and open it again.',
};

export const strings = {
  appName: 'BitLocker Key Backup',

  simulated: {
    title: 'Simulated PC — no real drives are touched',
    scenario: (name: string) => `Scenario: ${name}`,
  },

  loading: {
    startingPowerShell: 'Starting PowerShell…',
    readingDrives: 'Reading your drives…',
  },

  notElevated: {
    title: 'BitLocker Key Backup needs administrator rights',
    body: 'Windows only lets administrators read BitLocker recovery keys. Restart the app as an administrator to continue. Windows will ask you to confirm.',
    restart: 'Restart as administrator',
    declined: "The app wasn't restarted. When Windows asks whether to allow the app to make changes, select Yes.",
  },

  moduleMissing: {
    title: "BitLocker tools aren't available in this edition of Windows",
    body: 'This edition of Windows (for example, Windows 11 Home) has Device encryption, but not the BitLocker PowerShell module this app needs to read recovery keys.',
    whereTitle: 'Where to find your recovery key',
    where: 'If Device encryption is on, your recovery key is usually saved in the Microsoft account that was used to set up this PC. Sign in to that account on any device and go to:',
    url: 'https://aka.ms/myrecoverykey',
    workOrSchool: 'If this PC belongs to your work or school, ask your IT support for the recovery key.',
  },

  drives: {
    title: 'Back up your recovery key',
    intro: "A recovery key unlocks your drive when Windows can't. Choose a drive to save a copy of its key somewhere safe.",
    computer: 'This PC',
    refresh: 'Refresh',
    noneTitle: 'No drives found',
    noneBody: "Windows didn't report any drives that BitLocker can protect. Connect the drive, then select Refresh.",
    groups: {
      OperatingSystem: 'Operating system drive',
      Fixed: 'Fixed data drives',
      Removable: 'Removable data drives – BitLocker To Go',
    } satisfies Record<DriveTypeT, string>,
    /** What File Explorer calls a drive without a label. */
    defaultLabel: {
      OperatingSystem: 'Local Disk',
      Fixed: 'Local Disk',
      Removable: 'USB Drive',
    } satisfies Record<DriveTypeT, string>,
    capacity: (gb: number) => (gb >= 1024 ? `${numberFormat.format(gb / 1024)} TB` : `${numberFormat.format(gb)} GB`),
    status: {
      on: 'BitLocker on',
      off: 'BitLocker off',
      locked: 'Locked',
      suspended: 'Suspended',
      waitingForActivation: 'Waiting for activation',
      unknown: 'Status unknown',
      encrypting: (value: number | null) => percent('Encrypting', value),
      decrypting: (value: number | null) => percent('Decrypting', value),
      encryptionPaused: (value: number | null) => percent('Encryption paused at', value),
      decryptionPaused: (value: number | null) => percent('Decryption paused at', value),
    },
    recoveryKeyIds: (ids: readonly string[]) => `${ids.length === 1 ? 'Recovery key ID' : 'Recovery key IDs'}: ${ids.join(', ')}`,
    backUp: 'Back up your recovery key',
    backUpFor: (mountPoint: string) => `Back up your recovery key for ${mountPoint}`,
    cannotBackUp: {
      locked: 'Unlock this drive first to back up its recovery key',
      noRecoveryPassword: 'This drive has no recovery password to back up',
      bitLockerOff: 'BitLocker is off for this drive',
    },
  },

  destination: {
    title: (mountPoint: string) => `Back up the recovery key for ${mountPoint}`,
    back: 'Back',
  },

  errors: {
    retry: 'Retry',
    /** When `window.bitlocker` itself throws: the preload bridge is missing or broken. */
    bridgeFailed: "The window couldn't reach the part of the app that talks to Windows.",
    details: (code: string, hresult: string | null, message: string) =>
      `Details: ${message} (${hresult === null ? code : `${code}, ${hresult}`})`,
    byCode: {
      PowerShellUnavailable: {
        title: "Windows PowerShell couldn't be found",
        body: 'BitLocker Key Backup uses Windows PowerShell to read your drives. Make sure it is installed and not blocked on this PC, then select Retry.',
      },
      SessionStartFailed: {
        title: "PowerShell didn't start",
        body: 'Select Retry. If it keeps happening, restart your PC and try again.',
      },
      Timeout: {
        title: 'Windows took too long to answer',
        body: 'Your drives may be busy, for example while a drive is being encrypted. Wait a moment, then select Retry.',
      },
      HostCrashed: {
        title: 'PowerShell stopped unexpectedly',
        body: 'Select Retry to start it again.',
      },
      GarbledOutput: {
        title: "PowerShell sent an answer the app couldn't read",
        body: 'Select Retry. If it keeps happening, another program may be changing how PowerShell starts on this PC.',
      },
      HostError: {
        title: 'PowerShell reported a problem',
        body: 'Select Retry. If it keeps happening, restart your PC and try again.',
      },
      CmdletFailed: {
        title: "Windows couldn't read your BitLocker drives",
        body: 'Select Retry. If it keeps happening, the details below can help your IT support.',
      },
      VolumeNotFound: {
        title: 'That drive is no longer available',
        body: 'It may have been removed. Select Retry to read your drives again.',
      },
      VolumeLocked: {
        title: 'That drive is locked',
        body: 'Unlock it in File Explorer, then select Retry.',
      },
      ProtectorNotFound: {
        title: 'That recovery key no longer exists on the drive',
        body: 'Select Retry to read the drive again.',
      },
      InvalidRequest: somethingWentWrong,
      UnknownChannel: somethingWentWrong,
      ForbiddenSender: somethingWentWrong,
      InvalidArgument: somethingWentWrong,
      Internal: somethingWentWrong,
    } satisfies Record<MessageErrorCode, { title: string; body: string }>,
  },
} as const;

/** Title and body for any error code; the two with pages of their own reuse those pages' wording. */
export function errorMessage(code: ErrorCodeT): { title: string; body: string } {
  switch (code) {
    case 'NotElevated':
      return strings.notElevated;
    case 'BitLockerModuleMissing':
      return strings.moduleMissing;
    default:
      return strings.errors.byCode[code];
  }
}
