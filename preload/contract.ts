/**
 * THE contract between the renderer and the main process: every channel's name, request schema and
 * response schema, plus the events main pushes. Types are derived from the schemas so the compile-time
 * types and the runtime checks cannot drift. No electron, node or DOM imports: main, preload, renderer
 * and the test harness all import this file.
 */
import { z } from 'zod';

// ---- Domain values --------------------------------------------------------------------------------

/** `C:` style drive letter; volumes without a letter are not offered for backup. */
export const MountPoint = z.string().regex(/^[A-Za-z]:$/, 'a drive letter such as C:');
/** Key protector GUID with braces, as Get-BitLockerVolume prints it. */
export const ProtectorId = z.string().regex(/^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/, 'a key protector GUID in braces');

export const DriveType = z.enum(['OperatingSystem', 'Fixed', 'Removable']);
export const VolumeStatus = z.enum([
  'FullyDecrypted',
  'FullyEncrypted',
  'EncryptionInProgress',
  'DecryptionInProgress',
  'EncryptionSuspended',
  'DecryptionSuspended',
  'FullyEncryptedWipeInProgress',
  'FullyEncryptedWipeSuspended',
]);
export const ProtectionStatus = z.enum(['Off', 'On', 'Unknown']);
export const LockStatus = z.enum(['Unlocked', 'Locked']);
export const KeyProtectorType = z.enum([
  'Unknown',
  'Tpm',
  'ExternalKey',
  'RecoveryPassword',
  'TpmPin',
  'TpmStartupKey',
  'TpmPinStartupKey',
  'PublicKey',
  'Password',
  'TpmNetworkKey',
  'AdAccountOrGroup',
]);

/** A key protector as the renderer sees it: never a recovery password, only its identifier. */
export const KeyProtector = z.strictObject({
  keyProtectorId: ProtectorId,
  keyProtectorType: KeyProtectorType,
});

export const Volume = z.strictObject({
  mountPoint: MountPoint,
  label: z.string().nullable(),
  driveType: DriveType,
  capacityGB: z.number().nonnegative().nullable(),
  fileSystem: z.string().nullable(),
  volumeStatus: VolumeStatus.nullable(),
  protectionStatus: ProtectionStatus.nullable(),
  lockStatus: LockStatus,
  encryptionMethod: z.string().nullable(),
  encryptionPercentage: z.number().min(0).max(100).nullable(),
  keyProtectors: z.array(KeyProtector),
  /** Free bytes on the volume (null when unknown or locked); used to offer USB sticks for key files. */
  freeSpaceBytes: z.number().nonnegative().nullable(),
});

export const SessionState = z.enum(['starting', 'ready', 'restarting', 'failed', 'stopped']);

export const Environment = z.strictObject({
  computerName: z.string(),
  elevated: z.boolean(),
  edition: z.string().nullable(),
  /** Null when Windows could not say (dsregcmd failed or timed out): only dsregcmd knows about Entra ID. */
  entraJoined: z.boolean().nullable(),
  domainJoined: z.boolean(),
  domainName: z.string().nullable(),
  tenantName: z.string().nullable(),
  /** False on Windows editions without the BitLocker PowerShell module (e.g. Home). */
  bitLockerModule: z.boolean(),
  /** True when the app talks to the simulated PC instead of Windows. */
  simulated: z.boolean(),
  /** The scenario file's name when simulated, for the banner. */
  scenarioName: z.string().nullable(),
  /** Enrolled in Intune (MDM): its key rotation fails with event 858 unless policy requires backup. Null when unknown. */
  intuneManaged: z.boolean().nullable(),
});

// ---- Errors -----------------------------------------------------------------------------------------

export const ErrorCode = z.enum([
  // Refused at the bridge
  'InvalidRequest',
  'UnknownChannel',
  'ForbiddenSender',
  // PowerShell session
  'PowerShellUnavailable',
  'SessionStartFailed',
  // Managed PCs: Group Policy's execution policy, or WDAC/AppLocker's Constrained Language Mode, blocks the module
  'ExecutionPolicyBlocked',
  'ConstrainedLanguage',
  'Timeout',
  'HostCrashed',
  'GarbledOutput',
  'HostError',
  // Reported by the module
  'NotElevated',
  'BitLockerModuleMissing',
  'CmdletFailed',
  'InvalidArgument',
  'VolumeNotFound',
  'VolumeLocked',
  'ProtectorNotFound',
  // Backups
  'NoRecoveryPassword',
  'BackupInProgress',
  'LocationEncrypted',
  'LocationSameDrive',
  'LocationFixedDrive',
  'LocationUnknown',
  'LocationInvalid',
  'FileExists',
  'DriveRemoved',
  'NotEnoughSpace',
  'WriteFailed',
  'VerifyFailed',
  'InvalidRecoveryPassword',
  'PrintFailed',
  'EntraNotJoined',
  'DomainNotJoined',
  'NetworkUnavailable',
  'PolicyForbids',
  'BackupRejected',
  // Adding and removing recovery passwords
  'LastRecoveryPassword',
  'NewKeyNotBackedUp',
  // Anything else; the message stays generic
  'Internal',
]);

export const AppError = z.strictObject({
  code: ErrorCode,
  message: z.string(),
  /** HRESULT as 0x-prefixed hex when Windows gave one. */
  hresult: z.string().nullable(),
});

export type Result<T> = { ok: true; data: T } | { ok: false; error: z.infer<typeof AppError> };

// ---- Backups ----------------------------------------------------------------------------------------

/** Where a recovery key can go, in the order Windows lists them. */
export const DestinationKind = z.enum(['microsoftAccount', 'entra', 'activeDirectory', 'usb', 'file', 'print']);

/** Why a destination is offered but disabled. */
export const DestinationUnavailable = z.enum([
  'NotEntraJoined', // Entra ID needs an Entra-joined or hybrid-joined PC
  'NotDomainJoined', // Active Directory needs a domain-joined PC
  'DomainJoined', // Windows allows the Microsoft account only on PCs that are not domain members
  'OrganizationManaged', // on an Entra-joined PC the organisation's store replaces the Microsoft account
  'NoUsbDrive', // no removable drive can take the file
]);

/** Why a USB drive cannot take the key file. */
export const UsbUnavailable = z.enum(['Locked', 'Encrypted', 'SameDrive', 'NotEnoughSpace']);

export const BackupOptions = z.strictObject({
  mountPoint: MountPoint,
  /** The drive's RecoveryPassword protectors (identifiers only), in the order Windows lists them. */
  protectors: z.array(KeyProtector),
  destinations: z.array(z.strictObject({ kind: DestinationKind, available: z.boolean(), reason: DestinationUnavailable.nullable() })),
  usbDrives: z.array(
    z.strictObject({
      mountPoint: MountPoint,
      label: z.string().nullable(),
      freeSpaceBytes: z.number().nonnegative().nullable(),
      usable: z.boolean(),
      reason: UsbUnavailable.nullable(),
    }),
  ),
});

const ProtectorIds = z.array(ProtectorId).min(1).max(32);
/**
 * Stands for the places main's Save dialog returned (backup:chooseFile); main keeps the paths, so the renderer
 * can never name where a key goes. Good once, for the drive, keys and format it was chosen for.
 */
export const FileToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a token from backup:chooseFile');

/** `replace` applies only to the files that already existed when the user chose the place. USB: a drive from main's own list. */
export const BackupDestination = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), token: FileToken, replace: z.boolean() }),
  z.strictObject({ kind: z.literal('pdf'), token: FileToken, replace: z.boolean() }),
  z.strictObject({ kind: z.literal('usb'), target: MountPoint, replace: z.boolean() }),
  z.strictObject({ kind: z.literal('print') }),
  z.strictObject({ kind: z.literal('entra') }),
  z.strictObject({ kind: z.literal('activeDirectory') }),
  z.strictObject({ kind: z.literal('microsoftAccount') }),
]);

export const OutcomeStatus = z.enum([
  'verified', // written and read back identical (file, USB, PDF)
  'printed', // handed to the printer
  'confirmed', // the event log confirms the escrow (845, 784, 828)
  'alreadyPresent', // AD already held this key (783)
  'sentNotConfirmed', // the cmdlet returned without error but no event arrived within the wait
  'cancelled', // the user cancelled (print dialog)
  'failed',
]);

export const BackupOutcome = z.strictObject({
  keyProtectorId: ProtectorId,
  status: OutcomeStatus,
  /** The file written (file, USB, PDF). */
  path: z.string().nullable(),
  /** The event that confirmed or refused the backup. */
  event: z.strictObject({ id: z.number().int(), time: z.string() }).nullable(),
  error: AppError.nullable(),
});

export const BackupReport = z.strictObject({
  mountPoint: MountPoint,
  destination: DestinationKind.or(z.literal('pdf')),
  /** When the backup started (ISO); "Check again" asks the event log from here on. */
  startedAt: z.string(),
  outcomes: z.array(BackupOutcome),
});

/** `inDeviceEncryption`: Windows Home has no BitLocker panel, so Settings' Device encryption page opened instead. */
export const ProgressStage = z.enum(['readingKey', 'writing', 'verifying', 'printing', 'sending', 'confirming', 'openingPanel', 'inDeviceEncryption']);

// ---- Where every key is (backup status, add, rotate, saved-key checker) ---------------------------------

export const IsoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO time');

/** Places Windows itself records in the BitLocker Management log. */
export const EscrowPlace = z.enum(['entra', 'activeDirectory', 'microsoftAccount']);
/** Places only this app's own history knows of: Windows leaves no trace of file, USB or print backups. */
export const SavedPlace = z.enum(['file', 'usb', 'pdf', 'print']);

export const KeyBackupStatus = z.strictObject({
  keyProtectorId: ProtectorId,
  /** When Windows logged the key's creation (775); null when the log no longer reaches back that far. */
  createdAt: IsoTime.nullable(),
  /** Escrows Windows accepted, newest first: 845 Entra ID, 784/783 Active Directory, 828/830 Microsoft account. */
  windows: z.array(z.strictObject({ place: EscrowPlace, eventId: z.number().int(), at: IsoTime, alreadyPresent: z.boolean() })),
  /** This app's own backups of the key, newest first. `verified`: written and read back identical. */
  app: z.array(z.strictObject({ place: SavedPlace, path: z.string().nullable(), at: IsoTime, verified: z.boolean() })),
  /**
   * backedUp: at least one record above. notBackedUp: none, and the log reaches back to the key's creation.
   * unknown: none, and the log no longer reaches back (never claim "not backed up" then).
   */
  summary: z.enum(['backedUp', 'notBackedUp', 'unknown']),
  /** Accepted at some time by the directory this PC belongs to now (`directory` below); false when it has none. */
  inDirectory: z.boolean(),
});

export const KeyStatusReport = z.strictObject({
  drives: z.array(
    z.strictObject({
      mountPoint: MountPoint,
      keys: z.array(KeyBackupStatus),
      /** Keys this app saved from the drive that the drive no longer has: saved copies of them stop working. */
      removedKeys: z.array(z.strictObject({ keyProtectorId: ProtectorId, removedAt: IsoTime.nullable() })),
    }),
  ),
  /** Windows' own warnings: 869 OS key not in the Microsoft account, 4106 automatic backup failed, 858 rotation failed. */
  warnings: z.array(z.strictObject({ eventId: z.number().int(), at: IsoTime, mountPoint: MountPoint.nullable() })),
  /** The oldest event the BitLocker Management log still holds; null when it holds none. */
  logStartsAt: IsoTime.nullable(),
  /** The organisation's directory this PC can send keys to, if any. */
  directory: z.enum(['entra', 'activeDirectory']).nullable(),
});

export const SavedKeyVerdict = z.enum([
  'current', // a recovery password this PC has now, and the file's password matches it
  'stale', // a key this PC had (removed or rotated): the file no longer unlocks anything here
  'otherPc', // an identifier this PC never had
  'damaged', // the identifier is current but the password in the file does not match or is not valid
  'unreadable', // looks like a key file but could not be read or parsed
]);

export const SavedKeyCheck = z.strictObject({
  folder: z.string(),
  files: z.array(
    z.strictObject({
      name: z.string(),
      keyProtectorId: ProtectorId.nullable(),
      /** The drive the key unlocks, when it is current. */
      mountPoint: MountPoint.nullable(),
      verdict: SavedKeyVerdict,
    }),
  ),
  /** More candidate files were found than the checker reads. */
  truncated: z.boolean(),
});

// ---- Command line (headless mode) -------------------------------------------------------------------------
// Not an IPC channel: the JSON the command-line mode prints and writes to --json-out. It lives here so its types
// and the GUI's come from the same schemas.

export const CliCommand = z.enum(['status', 'ensure-escrow', 'backup', 'add-recovery-password', 'rotate']);

export const CliReport = z.strictObject({
  schema: z.literal('bitlocker-key-backup/cli/1'),
  /** Null when the command line itself could not be read. */
  command: CliCommand.nullable(),
  exitCode: z.number().int().min(0).max(255),
  /** One sentence in plain words: what happened and what to do. */
  summary: z.string(),
  computer: z.strictObject({ name: z.string(), elevated: z.boolean(), directory: z.enum(['entra', 'activeDirectory']).nullable(), intuneManaged: z.boolean().nullable() }).nullable(),
  /** Every key's backup status as the command left it. */
  status: KeyStatusReport.nullable(),
  /** The backups the command made. */
  reports: z.array(BackupReport),
  /** The recovery password the command added, and the one it removed (identifiers only). */
  added: ProtectorId.nullable(),
  removed: ProtectorId.nullable(),
  /** Only with --reveal: the recovery passwords themselves, and the reveal is recorded. */
  revealed: z.array(z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId, recoveryPassword: z.string() })).nullable(),
  /** Whether the audit trail (Windows' Application log) took the command's events. */
  audited: z.boolean(),
  error: AppError.nullable(),
});

// ---- Channels ---------------------------------------------------------------------------------------

const Empty = z.strictObject({});

/**
 * Every invoke channel: `method` is the name on `window.bitlocker`, `request` and `response` the
 * schemas main checks on the way in and (in tests) on the way out.
 */
export const channels = {
  'environment:get': { method: 'getEnvironment', request: Empty, response: Environment },
  'volumes:list': { method: 'listVolumes', request: Empty, response: z.strictObject({ volumes: z.array(Volume) }) },
  'session:retry': { method: 'retrySession', request: Empty, response: z.strictObject({ state: SessionState }) },
  'app:restartElevated': {
    method: 'restartElevated',
    request: Empty,
    response: z.strictObject({ restarting: z.boolean() }),
  },
  'backup:options': {
    method: 'getBackupOptions',
    request: z.strictObject({ mountPoint: MountPoint }),
    response: BackupOptions,
  },
  /** Opens the native Save dialog; the chosen place is checked against the location rules before it returns. */
  'backup:chooseFile': {
    method: 'chooseFile',
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorIds: ProtectorIds, format: z.enum(['text', 'pdf']) }),
    response: z.discriminatedUnion('cancelled', [
      z.strictObject({ cancelled: z.literal(true) }),
      z.strictObject({
        cancelled: z.literal(false),
        /** What backup:run names instead of the paths. */
        token: FileToken,
        /** For display. text: one file per protector (the first where the user chose, the rest beside it); pdf: one file. */
        targets: z.array(z.strictObject({ keyProtectorId: ProtectorId.nullable(), path: z.string(), exists: z.boolean() })),
      }),
    ]),
  },
  /** Runs one backup; at most one at a time (a second call gets BackupInProgress). */
  'backup:run': {
    method: 'runBackup',
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorIds: ProtectorIds, destination: BackupDestination }),
    response: BackupReport,
  },
  /** Asks the event log again for escrow confirmations ("Check again" after "sent, not yet confirmed"). */
  'backup:check': {
    method: 'checkBackup',
    request: z.strictObject({
      mountPoint: MountPoint,
      keyProtectorIds: ProtectorIds,
      destination: z.enum(['entra', 'activeDirectory', 'microsoftAccount']),
      since: IsoTime,
    }),
    response: BackupReport,
  },
  /**
   * Ends the running backup's wait for Windows' confirmation now (the user chose "Stop waiting" while Windows'
   * BitLocker panel or Settings was open); the run then reports what the event log said so far. Nothing else is
   * cancelled: a key already sent or saved stays so. `stopped` is false when no backup was waiting.
   */
  'backup:stopWaiting': { method: 'stopWaiting', request: Empty, response: z.strictObject({ stopped: z.boolean() }) },
  /**
   * Temporary copies of a key (`.<name>.<hex>.tmp`) an earlier run left behind (a crash, a pulled stick) and this
   * start found: removed, or still there (the file could not be deleted, or its drive is not connected).
   */
  'app:leftoverCopies': {
    method: 'getLeftoverCopies',
    request: Empty,
    response: z.strictObject({ removed: z.array(z.string()), remaining: z.array(z.string()) }),
  },
  /** Where every recovery password of every drive is backed up, from the event log and this app's history. */
  'keys:status': { method: 'getKeyStatus', request: Empty, response: KeyStatusReport },
  /**
   * "Back up what isn't": every recovery password of every unlocked drive not yet in the organisation's directory
   * is sent there and confirmed by event, one at a time (progress arrives as backup:progress). Refused with
   * EntraNotJoined/DomainNotJoined when the PC has no directory.
   */
  'keys:backupMissing': {
    method: 'backupMissing',
    request: Empty,
    response: z.strictObject({ destination: z.enum(['entra', 'activeDirectory']), reports: z.array(BackupReport) }),
  },
  /** Adds a recovery password to a drive; only its identifier comes back. The caller backs it up next. */
  'keys:add': { method: 'addRecoveryPassword', request: z.strictObject({ mountPoint: MountPoint }), response: z.strictObject({ keyProtectorId: ProtectorId }) },
  /**
   * The last step of a rotation: removes `keyProtectorId` only once `replacedBy` is on the same drive and this app
   * has a confirmed or read-back backup of it (NewKeyNotBackedUp otherwise); never the drive's last recovery password.
   */
  'keys:removeOld': {
    method: 'removeOldKey',
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId, replacedBy: ProtectorId }),
    response: z.strictObject({ removed: z.literal(true) }),
  },
  /** Opens a folder picker and checks the key files in it against this PC's protectors; no key leaves main. */
  'keys:checkSaved': {
    method: 'checkSavedKeys',
    request: Empty,
    response: z.discriminatedUnion('cancelled', [z.strictObject({ cancelled: z.literal(true) }), SavedKeyCheck.extend({ cancelled: z.literal(false) })]),
  },
} as const;

/** Events main pushes to the renderer. */
export const events = {
  'session:state': { method: 'onSessionState', payload: z.strictObject({ state: SessionState }) },
  'backup:progress': {
    method: 'onBackupProgress',
    payload: z.strictObject({
      keyProtectorId: ProtectorId.nullable(),
      stage: ProgressStage,
      /** For waits (event-log confirmation): how long so far and at most, so the UI can show a bar. */
      waitedMs: z.number().nonnegative().nullable(),
      waitLimitMs: z.number().nonnegative().nullable(),
    }),
  },
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.infer<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.infer<Channels[C]['response']>;
export type EventName = keyof typeof events;
export type EventPayloadOf<E extends EventName> = z.infer<(typeof events)[E]['payload']>;

export type VolumeT = z.infer<typeof Volume>;
export type KeyProtectorT = z.infer<typeof KeyProtector>;
export type EnvironmentT = z.infer<typeof Environment>;
export type SessionStateT = z.infer<typeof SessionState>;
export type AppErrorT = z.infer<typeof AppError>;
export type ErrorCodeT = z.infer<typeof ErrorCode>;
export type BackupOptionsT = z.infer<typeof BackupOptions>;
export type BackupDestinationT = z.infer<typeof BackupDestination>;
export type BackupOutcomeT = z.infer<typeof BackupOutcome>;
export type BackupReportT = z.infer<typeof BackupReport>;
export type DestinationKindT = z.infer<typeof DestinationKind>;
export type ProgressStageT = z.infer<typeof ProgressStage>;
export type KeyBackupStatusT = z.infer<typeof KeyBackupStatus>;
export type KeyStatusReportT = z.infer<typeof KeyStatusReport>;
export type SavedKeyCheckT = z.infer<typeof SavedKeyCheck>;
export type SavedKeyVerdictT = z.infer<typeof SavedKeyVerdict>;
export type CliReportT = z.infer<typeof CliReport>;
export type CliCommandT = z.infer<typeof CliCommand>;

type MethodOf<C extends ChannelName> = Channels[C]['method'];
type EventMethodOf<E extends EventName> = (typeof events)[E]['method'];

/** The API preload exposes as `window.bitlocker`: one method per channel, one subscription per event. */
export type BitLockerApi = {
  [C in ChannelName as MethodOf<C>]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  [E in EventName as EventMethodOf<E>]: (listener: (payload: EventPayloadOf<E>) => void) => () => void;
};

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

/** Method name → channel, in the plain-data form preload and the test harness both build the bridge from. */
export const bridgeShape = {
  methods: Object.fromEntries(channelNames.map((c) => [channels[c].method, c])) as Record<string, ChannelName>,
  events: Object.fromEntries(eventNames.map((e) => [events[e].method, e])) as Record<string, EventName>,
};
