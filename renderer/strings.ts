/**
 * Every piece of text the user sees, in one place: plain Windows voice, sentence case.
 * Components import from here and never carry their own wording.
 */
import type { DestinationKindT, ErrorCodeT, ProgressStageT, VolumeT } from '../preload/contract';

type DriveTypeT = VolumeT['driveType'];
type DestinationUnavailableT = 'NotEntraJoined' | 'NotDomainJoined' | 'DomainJoined' | 'OrganizationManaged' | 'NoUsbDrive';
type UsbUnavailableT = 'Locked' | 'Encrypted' | 'SameDrive' | 'NotEnoughSpace';
/** The stores that confirm a backup through the event log. */
type EscrowKind = 'entra' | 'activeDirectory' | 'microsoftAccount';

/** Codes with a page of their own rather than the generic error message. */
type MessageErrorCode = Exclude<ErrorCodeT, 'NotElevated' | 'BitLockerModuleMissing'>;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Free space as File Explorer shows it (binary units, one decimal). */
function size(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  if (gib >= 1024) return `${numberFormat.format(gib / 1024)} TB`;
  if (gib >= 1) return `${numberFormat.format(gib)} GB`;
  return `${numberFormat.format(bytes / 1024 ** 2)} MB`;
}

/** "10:42" (or "10:42:07" with seconds) in local time; null when the timestamp can't be read. */
function clock(iso: string, withSeconds = false): string | null {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return null;
  const seconds = withSeconds ? ({ second: '2-digit' } as const) : {};
  return new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', ...seconds, hourCycle: 'h23' }).format(time);
}

/** "Mar 14, 2025, 09:41" in local time; "an unknown time" when the timestamp can't be read. */
function dateTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return 'an unknown time';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(time);
}

/** "Recovery key ID 8A696888" (strings.keys.shortId), for sentences built here. */
const keyId = (shortId: string) => `Recovery key ID ${shortId}`;

/** What to run to give a TPM-only drive a recovery password (manage-bde, as Microsoft documents it). */
const addRecoveryPassword = (mountPoint: string) =>
  `To add one, open Command Prompt as administrator and run: manage-bde -protectors -add ${mountPoint} -RecoveryPassword`;

function percent(verb: string, value: number | null): string {
  return value === null ? verb : `${verb} ${value}%`;
}

const chooseAnotherPlace = 'Choose another location';

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
    keyIdHint: 'A recovery key ID is what the BitLocker recovery screen shows, so you can find the matching key.',
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
    /** What a status means, for the two that don't explain themselves. */
    statusMeaning: {
      waitingForActivation:
        'The drive is encrypted but not protected yet: Windows turns protection on once the recovery key is backed up to a Microsoft account or to your organization.',
      suspended:
        'Protection is paused: the drive stays encrypted, but it unlocks without its usual protection until BitLocker resumes. Windows resumes it after the next restart, or choose Resume protection in Manage BitLocker.',
    },
    recoveryKeyIds: (ids: readonly string[]) => `${ids.length === 1 ? 'Recovery key ID' : 'Recovery key IDs'}: ${ids.join(', ')}`,
    backUp: 'Back up your recovery key',
    backUpFor: (mountPoint: string) => `Back up your recovery key for ${mountPoint}`,
    cannotBackUp: {
      locked: 'Unlock this drive first to back up its recovery key',
      noRecoveryPassword: 'This drive has no recovery password to back up',
      bitLockerOff: 'BitLocker is off for this drive',
    },
    /** What to do next for a drive that is protected without a recovery password (TPM only, say). */
    addRecoveryPassword: (mountPoint: string) => `${addRecoveryPassword(mountPoint)}. Then select Refresh.`,
  },

  /** The buttons every wizard step shares. */
  wizard: {
    back: 'Back',
    cancel: 'Cancel',
    next: 'Next',
  },

  /** Recovery key identifiers: the first 8 characters, with the whole GUID on request. */
  keys: {
    shortId: (shortId: string) => `Recovery key ID ${shortId}`,
    showFull: 'Show full IDs',
  },

  destination: {
    /** Followed by the drive as the list names it: "Windows (C:)". */
    titlePrefix: 'Back up the recovery key for',
    intro:
      "It's a good idea to have more than one copy of your recovery key, and to keep each in a safe place away from this PC.",
    loading: 'Checking where the recovery key can go…',
    keysTitle: 'Which recovery key?',
    keysHint: 'Each recovery key unlocks the drive on its own. Keep at least one selected.',
    noKeys: 'This drive has no recovery password to back up',
    noKeysBody: (mountPoint: string) => `Only a recovery password can be backed up, and this drive has none yet. ${addRecoveryPassword(mountPoint)}. Then come back here.`,
    whereTitle: 'Where do you want to back up your recovery key?',
    kinds: {
      microsoftAccount: 'Save to your Microsoft account',
      entra: "Save to your organization's Microsoft Entra ID",
      activeDirectory: 'Save to Active Directory',
      usb: 'Save to a USB flash drive',
      file: 'Save to a file',
      print: 'Print the recovery key',
    } satisfies Record<DestinationKindT, string>,
    /** The destinations that can't apply to this PC (its join state), out of the way until asked for. */
    notApplicable: "Options that don't apply to this PC",
    /** Why Next is disabled. */
    nextBlocked: {
      chooseDestination: 'Choose where to back up the recovery key',
      chooseUsb: 'Choose a USB flash drive',
      chooseFile: 'Choose where to save the file',
      choosePdf: 'Choose where to save the PDF',
    },
    unavailable: {
      NotEntraJoined: "This PC isn't joined to Microsoft Entra ID",
      NotDomainJoined: "This PC isn't joined to a domain",
      DomainJoined: "Windows doesn't allow this on PCs joined to a domain",
      OrganizationManaged: 'This PC is managed by your organization: use Microsoft Entra ID instead',
      NoUsbDrive: 'Insert a USB flash drive, then select Refresh',
    } satisfies Record<DestinationUnavailableT, string>,
    refresh: 'Refresh',
    usbTitle: 'Which USB flash drive?',
    usbDefaultLabel: 'USB Drive',
    usbName: (label: string, mountPoint: string) => `${label} (${mountPoint})`,
    usbOption: (name: string, freeBytes: number | null) => (freeBytes === null ? name : `${name} — ${size(freeBytes)} free`),
    /** What follows a stick's (clamped) label in its option: " (F:) — 14.2 GB free". */
    usbAfterLabel: (mountPoint: string, freeBytes: number | null) => ` (${mountPoint})${freeBytes === null ? '' : ` — ${size(freeBytes)} free`}`,
    usbUnavailable: {
      // A locked stick is a BitLocker To Go drive: refused as Windows refuses any encrypted drive.
      Locked: 'Your recovery key cannot be saved to an encrypted drive.',
      Encrypted: 'Your recovery key cannot be saved to an encrypted drive.',
      SameDrive: "This is the drive you're backing up",
      NotEnoughSpace: "There isn't enough free space on this drive",
    } satisfies Record<UsbUnavailableT, string>,
    fileTitle: 'Where do you want to save the file?',
    fileHint: "Choose a USB flash drive or a network folder. Windows doesn't allow an encrypted drive or a drive inside this PC.",
    chooseFile: 'Choose where to save…',
    savesTo: 'The recovery key will be saved to:',
    printTitle: 'How do you want to print?',
    printModes: { print: 'Print', pdf: 'Save as PDF' },
    pdfHint: 'Choose where to save the PDF.',
  },

  confirm: {
    title: 'Confirm your backup',
    intro: 'Check the details, then select Back up.',
    drive: 'Drive',
    keys: (count: number) => (count === 1 ? 'Recovery key' : 'Recovery keys'),
    destination: 'Back up to',
    whatHappens: 'What will happen',
    /** The value after "Back up to": "Back up to: a file". */
    destinationNames: {
      microsoftAccount: 'your Microsoft account',
      entra: "your organization's Microsoft Entra ID",
      activeDirectory: 'Active Directory',
      usb: 'a USB flash drive',
      file: 'a file',
      print: 'a printer',
      pdf: 'a PDF file',
    } satisfies Record<DestinationKindT | 'pdf', string>,
    sentences: {
      file: (path: string) => `A text file will be saved to ${path}`,
      usb: (name: string, count: number) =>
        count === 1 ? `A text file will be saved to the root of ${name}` : `A text file for each recovery key will be saved to the root of ${name}`,
      pdf: (path: string) => `A PDF will be saved to ${path}`,
      print: "Your printer's dialog will open",
      entra: (count: number) =>
        count === 1
          ? 'The recovery key will be sent to Microsoft Entra ID, then the app waits up to 15 seconds for Windows to confirm it'
          : 'The recovery keys will be sent to Microsoft Entra ID, then the app waits up to 15 seconds for Windows to confirm them',
      activeDirectory: (count: number) =>
        count === 1
          ? 'The recovery key will be sent to Active Directory, then the app waits up to 15 seconds for Windows to confirm it'
          : 'The recovery keys will be sent to Active Directory, then the app waits up to 15 seconds for Windows to confirm them',
      microsoftAccount:
        "Windows' BitLocker panel will open. Choose 'Back up your recovery key' and 'Save to your Microsoft account' there. The app then checks Windows' event log for the confirmation.",
      /** Windows Home has no BitLocker panel: Settings opens at Device encryption instead. */
      microsoftAccountHome:
        "Settings will open at Device encryption. Sign in to Windows with your Microsoft account there, and Windows saves the recovery key to it. The app then checks Windows' event log for the confirmation.",
    },
    exists: (path: string) => `A file with this name already exists: ${path}`,
    replace: (count: number) => (count === 1 ? 'Replace the existing file' : 'Replace the existing files'),
    backUp: 'Back up',
  },

  progress: {
    starting: 'Starting the backup…',
    stages: {
      readingKey: 'Reading the recovery key…',
      writing: 'Saving…',
      verifying: 'Checking the saved file…',
      printing: 'Opening the print dialog…',
      sending: 'Sending the recovery key…',
      confirming: 'Waiting for Windows to confirm…',
      openingPanel: "Opening Windows' BitLocker panel…",
      inDeviceEncryption:
        'Settings is open at Device encryption. Sign in to Windows with your Microsoft account there: Windows then saves the recovery key to it, where you can see it at https://aka.ms/myrecoverykey.',
    } satisfies Record<ProgressStageT, string>,
    waited: (waitedMs: number, limitMs: number) => `${Math.min(Math.round(waitedMs / 1000), Math.round(limitMs / 1000))} of ${Math.round(limitMs / 1000)} seconds`,
    /** While the user works in Windows' own window for the Microsoft account. */
    microsoftAccount: {
      bitLockerPanel: {
        title: 'Finish in the BitLocker window',
        body: "In the BitLocker Drive Encryption window, select 'Back up your recovery key', then 'Save to your Microsoft account'. This page moves on by itself when Windows reports the backup.",
      },
      deviceEncryption: {
        title: 'Finish in Settings',
        body: 'Settings is open at Device encryption. Sign in to Windows with your Microsoft account there: Windows then saves the recovery key to it. This page moves on by itself when Windows reports the backup.',
      },
      stopWaiting: 'Stop waiting',
    },
  },

  result: {
    titles: {
      success: 'Your recovery key is backed up',
      failure: "Your recovery key wasn't backed up",
      mixed: "Some recovery keys weren't backed up",
      sentNotConfirmed: 'Sent, not yet confirmed',
      /** The Microsoft account: nothing was sent by the app, so nothing is "sent". */
      notReported: "Windows hasn't reported a backup yet",
    },
    escrowNames: {
      entra: 'Microsoft Entra ID',
      activeDirectory: 'Active Directory',
      microsoftAccount: 'Your Microsoft account',
    } satisfies Record<EscrowKind, string>,
    /** Who confirmed, when the destination isn't one of the stores above (never expected). */
    windows: 'Windows',
    verified: (path: string | null) => (path === null ? 'Saved, read back and verified' : `Saved to ${path}, read back and verified`),
    printed: 'Sent to the printer',
    confirmed: (destination: string, iso: string | null, eventId: number | null) => {
      const at = iso === null ? null : clock(iso);
      const when = at === null ? '' : ` at ${at}`;
      return `${destination} confirmed the backup${when}${eventId === null ? '' : ` (event ${eventId})`}`;
    },
    alreadyPresent: (eventId: number | null) =>
      `Active Directory already had this recovery key${eventId === null ? '' : ` (event ${eventId})`}`,
    sentNotConfirmed: "Sent, but Windows hasn't confirmed it yet. It can take a few minutes.",
    notReported: (where: 'bitLockerPanel' | 'deviceEncryption') =>
      `Windows hasn't reported a backup to your Microsoft account. If you finished the steps in ${where === 'deviceEncryption' ? 'Settings' : 'the BitLocker window'}, select Check again.`,
    lastChecked: (iso: string) => {
      const at = clock(iso, true);
      return at === null ? 'Checked' : `Last checked at ${at}`;
    },
    keepCopies: "It's a good idea to keep more than one copy, each in a safe place away from this PC.",
    cancelled: 'Printing was cancelled',
    checkAgain: 'Check again',
    replaceIt: 'Replace it',
    retry: 'Retry',
    microsoftAccountLink: 'See the keys stored in your Microsoft account at https://aka.ms/myrecoverykey',
    entraLink: 'See the recovery keys of your work devices at https://myaccount.microsoft.com/device-list (select this PC, then View BitLocker Keys)',
    anotherWay: 'Back up another way',
    finish: 'Finish',
    /** NetworkUnavailable names Entra ID; on the Active Directory path the domain controller is what wasn't reached. */
    networkUnavailableAd: {
      title: "Windows couldn't reach a domain controller",
      body: "Connect to your organization's network (or its VPN), then try again.",
    },
  },

  /** Where each recovery password is backed up, under its drive on the drive list (issue 12). */
  keyStatus: {
    loading: 'Checking where your recovery keys are backed up…',
    loadFailed: {
      title: "The app couldn't check where your recovery keys are backed up",
      body: 'Your drives are listed, but the backup status of their keys is missing. Select Try again.',
    },
    tryAgain: 'Try again',
    /** The summary badge beside each key. */
    summary: { backedUp: 'Backed up', notBackedUp: 'Not backed up anywhere', unknown: 'Unknown' },
    created: (iso: string) => `Created ${dateTime(iso)}`,
    notBackedUpWhy: "Windows' event log shows no backup of this key since it was created, and this app hasn't saved it.",
    unknownWhy: (logStartsAt: string | null) =>
      logStartsAt === null
        ? "Windows' event log holds no BitLocker events any more, so it can't show whether this key was backed up."
        : `Windows' event log only goes back to ${dateTime(logStartsAt)}, after this key was created, so it can't show whether the key was backed up before then.`,
    escrowNames: { entra: 'Microsoft Entra ID', activeDirectory: 'Active Directory', microsoftAccount: 'Your Microsoft account' } satisfies Record<EscrowKind, string>,
    windowsRecord: (place: string, iso: string, eventId: number, alreadyPresent: boolean) =>
      alreadyPresent ? `${place} already had it on ${dateTime(iso)} (event ${eventId})` : `${place} accepted it on ${dateTime(iso)} (event ${eventId})`,
    appRecord: {
      file: (path: string | null, iso: string) => `Saved to a file${path === null ? '' : ` at ${path}`} on ${dateTime(iso)}`,
      usb: (path: string | null, iso: string) => `Saved to a USB flash drive${path === null ? '' : ` at ${path}`} on ${dateTime(iso)}`,
      pdf: (path: string | null, iso: string) => `Saved as a PDF${path === null ? '' : ` at ${path}`} on ${dateTime(iso)}`,
      print: (_path: string | null, iso: string) => `Printed on ${dateTime(iso)}`,
    },
    verified: 'read back and verified',
    notVerified: 'not read back',
    /** What the evidence proves, said once above the drives. */
    meaningTitle: 'What this shows',
    meaning:
      "An event from Windows proves the backup was accepted at that time, not that the directory still holds the key. A saved file can be checked only where this app can read it: connect the USB flash drive or open the folder, then check your saved keys.",
    checkSaved: 'Check saved keys',
    removed: (shortId: string, iso: string | null) =>
      `${keyId(shortId)} was removed from this drive${iso === null ? '' : ` on ${dateTime(iso)}`}. Copies of it that this app saved no longer unlock the drive.`,
    replace: 'Replace this key',
    /** Starts with the button's visible text, so speech users can say what they see. */
    replaceFor: (shortId: string) => `Replace this key: ${keyId(shortId)}`,
    addKey: 'Add a recovery password',
    addKeyFor: (mountPoint: string) => `Add a recovery password to ${mountPoint}`,
    /** Windows' own warnings from the BitLocker Management log, in plain words. */
    warnings: {
      869: {
        title: "Windows says this PC's recovery key isn't in your Microsoft account",
        body: (at: string) => `Windows tried to save the operating system drive's key to your Microsoft account and reports that it isn't there (event 869, ${dateTime(at)}). Back it up another way below.`,
      },
      4106: {
        title: "Windows couldn't back up a recovery key by itself",
        body: (at: string) => `Windows tried to back up a recovery key automatically and failed (event 4106, ${dateTime(at)}). Back it up below.`,
      },
      858: {
        title: "Windows couldn't replace a recovery key",
        body: (at: string) =>
          `A key rotation (for example, one requested by Intune) failed (event 858, ${dateTime(at)}). It works only when policy requires recovery keys to be backed up first. The old key still works.`,
      },
      other: {
        title: 'Windows logged a BitLocker warning',
        body: (at: string, eventId: number) => `Event ${eventId}, ${dateTime(at)}.`,
      },
      onDrive: (mountPoint: string) => `(Drive ${mountPoint})`,
    },
    /** Device encryption on Windows Home before its key is backed up. */
    activation: {
      title: 'Sign in with a Microsoft account to protect this drive',
      body: "Device encryption has encrypted this drive, but it keeps the key unprotected until the recovery key is backed up. Sign in to Windows with a Microsoft account (Settings > Accounts > Your info > Sign in with a Microsoft account instead): Windows then saves the recovery key to that account and turns protection on.",
      where: 'You can see the recovery key later on any device, signed in to that account, at:',
      url: 'https://aka.ms/myrecoverykey',
      workOrSchool: 'If this PC belongs to your work or school, ask your IT support instead.',
    },
  },

  /** "Back up what isn't": every key not yet in the organisation's directory, or saved drive by drive on a home PC. */
  backupMissing: {
    button: (directory: EscrowKind | null) =>
      directory === 'entra'
        ? 'Back up all keys to Microsoft Entra ID'
        : directory === 'activeDirectory'
          ? 'Back up all keys to Active Directory'
          : 'Back up the keys that aren’t backed up',
    hint: (count: number, directory: EscrowKind | null) => {
      const keys = count === 1 ? '1 recovery key isn’t' : `${count} recovery keys aren’t`;
      return directory === 'entra'
        ? `${keys} in Microsoft Entra ID yet.`
        : directory === 'activeDirectory'
          ? `${keys} in Active Directory yet.`
          : `${keys} backed up as far as this PC can tell.`;
    },
    runningTitle: 'Backing up your recovery keys',
    runningIntro: (directory: EscrowKind) =>
      `Each key is sent to ${directory === 'entra' ? 'Microsoft Entra ID' : 'Active Directory'}, then the app waits for Windows to confirm it.`,
    waiting: 'Waiting',
    done: 'Done',
    resultTitles: {
      success: 'Your recovery keys are backed up',
      failure: "Your recovery keys weren't backed up",
      mixed: "Some recovery keys weren't backed up",
      sentNotConfirmed: 'Sent, not yet confirmed',
      nothing: 'Every recovery key was already backed up',
    },
    failedTitle: "The recovery keys couldn't be backed up",
    summaryCounts: (succeeded: number, total: number) => `${succeeded} of ${total} recovery keys backed up`,
    refreshing: 'Reading the backup status again…',
    /** Home PCs: the wizard drive by drive. */
    guidedNext: (drive: string) => `Next drive: ${drive}`,
    /** On the destination step of that walk, so the user knows how far along it is. */
    guidedPosition: (drive: number, of: number) => `Drive ${drive} of ${of}`,
    finish: 'Done',
  },

  /** Adding a recovery password, or replacing one that was disclosed. */
  keyChange: {
    addTitle: (drive: string) => `Add a recovery password to ${drive}`,
    addIntro:
      'Windows creates a new 48-digit recovery password for this drive. The app never shows it on screen: next, you choose where to back it up, and that backup is the only copy.',
    addWhy: 'Without a recovery password, nothing can unlock this drive if Windows asks for the recovery key, for example after a hardware change.',
    add: 'Add and back up',
    adding: 'Adding a recovery password…',
    rotateTitle: (shortId: string) => `Replace ${keyId(shortId)}`,
    rotateIntro: (drive: string) =>
      `If someone else has seen this recovery key (for example, it was read out over the phone), replace it. Windows adds a new recovery password to ${drive}, you back it up, and only once the backup is confirmed does the app remove the old key.`,
    rotateWarningTitle: 'Copies of the old key will stop working',
    rotateWarning: (shortId: string) =>
      `Once the old key is removed, every saved or printed copy of ${keyId(shortId)} no longer unlocks the drive. Keep the new key's backup instead.`,
    intuneTitle: 'This PC is managed with Intune',
    intune:
      "Intune's own key rotation fails with event 858 unless your organization's policy requires recovery keys to be backed up first. This replacement doesn't depend on that: the old key is removed only after the new one is backed up.",
    rotate: 'Add a new key and back it up',
    /** Why adding failed, where the add action has words of its own. */
    addErrors: {
      PolicyForbids: {
        title: "Your organization's policy doesn't allow recovery passwords on this drive",
        body: 'A Group Policy or Intune setting forbids them. Ask your IT support: they can change the policy, or keep the recovery key for you.',
      },
    },
    unchanged: 'Nothing was changed on the drive.',
    removingTitle: 'Removing the old key…',
    removedTitle: 'The recovery key was replaced',
    removed: (oldId: string, newId: string, drive: string) =>
      `${keyId(oldId)} was removed: saved or printed copies of it no longer unlock ${drive}. ${drive} now has ${keyId(newId)}, and it is backed up.`,
    newKeyEvidence: (evidence: string) => `The new key: ${evidence}`,
    stoppedTitle: 'The old key was not removed',
    /** The state of the drive when a replacement stopped after adding the new key. */
    bothKeys: (oldId: string, newId: string, drive: string) =>
      `${keyId(oldId)} still works. ${drive} now has two recovery keys: ${keyId(oldId)} and the new ${keyId(newId)}.`,
    stoppedBackup: (newId: string) =>
      `The new key's backup isn't saved and read back, or confirmed by Windows, so the old key stays. Back up ${keyId(newId)} again (Retry, or Back up another way): the old key is removed once that backup is proven.`,
    stoppedOnList: (newId: string, mountPoint: string) =>
      `To finish, select Back up your recovery key for ${mountPoint} and back up ${keyId(newId)}: once that backup is saved and read back, or confirmed by Windows, the app removes the old key. Select Dismiss to keep both keys.`,
    stoppedRemove:
      'The new key is backed up. Select Try again to remove the old key, or leave both: either one unlocks the drive.',
    addedNotBackedUp: (newId: string, drive: string) =>
      `${drive} has a new recovery key, ${keyId(newId)}, that isn't backed up yet. Back it up now: select Back up your recovery key for the drive.`,
    notReplacedTitle: (drive: string) => `The recovery key for ${drive} wasn't replaced`,
    newKeyTitle: (drive: string) => `${drive} has a recovery key that isn't backed up`,
    tryAgain: 'Try again',
    dismiss: 'Dismiss',
    finish: 'Finish',
  },

  /** The saved-key checker: key files in a folder, matched against this PC's recovery passwords in main. */
  savedKeys: {
    title: 'Check saved recovery keys',
    intro:
      'The app looked for BitLocker recovery key files in the folder you chose and matched them against the recovery keys of this PC. The keys themselves stay in the files.',
    folder: (folder: string) => `Folder: ${folder}`,
    none: 'No recovery key files were found in this folder.',
    truncated: 'This folder has more key files than the app checks at once. Choose a smaller folder to check the rest.',
    count: (count: number) => (count === 1 ? '1 key file checked' : `${count} key files checked`),
    keyId: (shortId: string) => keyId(shortId),
    noKeyId: 'No recovery key ID found',
    verdicts: {
      current: {
        title: (drive: string | null) => (drive === null ? 'Current: this key unlocks a drive on this PC' : `Current: this key unlocks ${drive}`),
        todo: 'Keep this file somewhere safe, away from this PC.',
      },
      stale: {
        title: () => 'Out of date: this key was replaced or removed',
        todo: "It no longer unlocks anything on this PC. You can delete it; make sure the drive's current key is backed up.",
      },
      otherPc: {
        title: () => "Not for this PC: it doesn't match any drive here",
        todo: "It may belong to another PC, or to a drive that isn't connected. Keep it if you use that PC or drive.",
      },
      damaged: {
        title: () => "Damaged: the recovery key in this file doesn't match",
        todo: "Don't rely on this file. Back up the drive's recovery key again.",
      },
      unreadable: {
        title: () => "Can't be read",
        todo: "This looks like a key file, but the app couldn't read it. Open it to check, or back up the key again.",
      },
    },
    checkAnother: 'Check another folder',
    checking: 'Checking…',
    done: 'Done',
  },

  /** Temporary copies of a key an earlier run left behind (a crash, a pulled USB drive), found at start. */
  leftoverCopies: {
    removedTitle: (count: number) =>
      count === 1 ? 'A temporary copy of a recovery key was deleted' : `${count} temporary copies of a recovery key were deleted`,
    removedBody: 'BitLocker Key Backup stopped before it finished saving a key last time and left a copy behind, which it has now deleted.',
    remainingTitle: (count: number) =>
      count === 1 ? "A temporary copy of a recovery key couldn't be deleted" : `${count} temporary copies of a recovery key couldn't be deleted`,
    remainingBody:
      "Anyone who can open these files can unlock the drive. Delete them yourself. If a file is on a USB drive or network location that isn't connected, connect it and open BitLocker Key Backup again, and it will try again.",
    dismiss: 'Dismiss',
  },

  errors: {
    retry: 'Retry',
    /** When `window.bitlocker` itself throws: the preload bridge is missing or broken. */
    bridgeFailed: "The window couldn't reach the part of the app that talks to Windows.",
    details: (code: string, hresult: string | null, message: string) =>
      `Details: ${message} (${hresult === null ? code : `${code}, ${hresult}`})`,
    byCode: {
      // What happened comes first, in the user's terms; PowerShell is named only as the cause.
      PowerShellUnavailable: {
        title: "The app can't reach BitLocker on this PC",
        body: 'BitLocker Key Backup talks to BitLocker through Windows PowerShell, which could not be found. Make sure it is installed and not blocked on this PC, then select Retry.',
      },
      SessionStartFailed: {
        title: "The app couldn't connect to BitLocker",
        body: "Windows PowerShell, which the app uses to talk to BitLocker, didn't start. Select Retry. If it keeps happening, restart your PC and try again.",
      },
      ExecutionPolicyBlocked: {
        title: "Your organization's PowerShell policy blocks this app",
        body: 'A Group Policy setting lets PowerShell run only signed scripts, and this copy of the app could not be loaded under it. Ask your IT administrator to install the signed release of BitLocker Key Backup, or to allow its publisher.',
      },
      ConstrainedLanguage: {
        title: 'Windows runs PowerShell in a restricted mode on this PC',
        body: "An application control policy (Windows Defender Application Control or AppLocker) puts PowerShell in Constrained Language Mode, which blocks BitLocker Key Backup's module. Ask your IT administrator to allow the app's signed module in that policy.",
      },
      Timeout: {
        title: 'Windows took too long to answer',
        body: 'Your drives may be busy, for example while a drive is being encrypted. Wait a moment, then select Retry.',
      },
      HostCrashed: {
        title: 'The connection to BitLocker stopped unexpectedly',
        body: 'Windows PowerShell, which the app uses to talk to BitLocker, stopped. Select Retry to start it again.',
      },
      GarbledOutput: {
        title: "Windows sent an answer the app couldn't read",
        body: 'Select Retry. If it keeps happening, another program may be changing how Windows PowerShell starts on this PC.',
      },
      HostError: {
        title: 'Windows reported a problem while the app talked to BitLocker',
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
        body: 'Unlock the drive, then try again.',
      },
      ProtectorNotFound: {
        title: 'This recovery key no longer exists on the drive',
        body: 'It may have been removed or replaced. Read the drives again, then choose the drive again.',
      },
      // Backups
      NoRecoveryPassword: {
        title: 'This drive has no recovery password to back up',
        body: 'Only a recovery password can be backed up. Choose another drive.',
      },
      BackupInProgress: {
        title: 'Another backup is still running',
        body: 'Wait for it to finish, then try again.',
      },
      LocationEncrypted: {
        title: chooseAnotherPlace,
        body: 'Your recovery key cannot be saved to an encrypted drive.',
      },
      LocationSameDrive: {
        title: chooseAnotherPlace,
        body: "Your recovery key cannot be saved on the drive it unlocks: if that drive fails, the key is lost with it.",
      },
      LocationFixedDrive: {
        title: chooseAnotherPlace,
        body: 'Your recovery key cannot be saved to a drive inside this PC. Choose a USB flash drive or a network folder.',
      },
      LocationUnknown: {
        title: chooseAnotherPlace,
        body: "Windows couldn't tell what kind of drive this is, so the recovery key can't be saved there safely. Choose a USB flash drive or a network folder.",
      },
      LocationInvalid: {
        title: chooseAnotherPlace,
        body: "A file can't be saved there. Choose another folder.",
      },
      FileExists: {
        title: 'A file with this name already exists',
        body: 'Replace it, or choose another place to save the recovery key.',
      },
      DriveRemoved: {
        title: 'The drive was removed',
        body: 'Connect it again, then try again, or choose another place.',
      },
      NotEnoughSpace: {
        title: "There isn't enough free space",
        body: 'Free up some space or choose another drive, then try again.',
      },
      WriteFailed: {
        title: "The recovery key couldn't be saved",
        body: "Check that the drive isn't write-protected, then try again or choose another place.",
      },
      VerifyFailed: {
        title: "The saved file didn't match the recovery key",
        body: "Don't rely on that file. Try again, or choose another place.",
      },
      InvalidRecoveryPassword: {
        title: "Windows returned a recovery key that isn't valid",
        body: 'Nothing was saved. Try again; if it keeps happening, ask your IT support.',
      },
      PrintFailed: {
        title: "The recovery key couldn't be printed",
        body: 'Check the printer, then try again, or choose another way to back up.',
      },
      EntraNotJoined: {
        title: "This PC isn't joined to Microsoft Entra ID",
        body: 'Ask your IT support to join it, or choose another way to back up.',
      },
      DomainNotJoined: {
        title: "This PC isn't joined to a domain",
        body: 'Ask your IT support to join it, or choose another way to back up.',
      },
      NetworkUnavailable: {
        title: "Windows couldn't reach Microsoft Entra ID",
        body: 'Check the internet connection, then try again.',
      },
      PolicyForbids: {
        title: "Group Policy doesn't allow storing recovery keys in Active Directory",
        body: 'Ask your IT support, or choose another way.',
      },
      BackupRejected: {
        title: 'Windows reported that the backup failed',
        body: 'Try again later. If it keeps happening, ask your IT support, or choose another way to back up.',
      },
      LastRecoveryPassword: {
        title: "This is the drive's only recovery password",
        body: 'A drive always keeps at least one recovery password, so it was not removed.',
      },
      NewKeyNotBackedUp: {
        title: "The new recovery key isn't backed up yet",
        body: 'The old key stays until the new one is saved and read back, or confirmed by Windows. Back up the new key, then try again.',
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
