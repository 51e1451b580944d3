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
/** A path on this PC as the Save dialog returned it: absolute, bounded, no NUL. Main re-checks every rule. */
const TargetPath = z.string().min(1).max(32_767).refine((p) => !p.includes('\0'), 'no NUL characters');

export const BackupDestination = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), paths: z.array(z.strictObject({ keyProtectorId: ProtectorId, path: TargetPath })).min(1).max(32), replace: z.boolean() }),
  z.strictObject({ kind: z.literal('pdf'), path: TargetPath, replace: z.boolean() }),
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
        /** text: one file per protector (the first where the user chose, the rest beside it); pdf: one file. */
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
      since: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO time'),
    }),
    response: BackupReport,
  },
  /**
   * Ends the running backup's wait for Windows' confirmation now (the user chose "Stop waiting" while Windows'
   * BitLocker panel or Settings was open); the run then reports what the event log said so far. Nothing else is
   * cancelled: a key already sent or saved stays so. `stopped` is false when no backup was waiting.
   */
  'backup:stopWaiting': { method: 'stopWaiting', request: Empty, response: z.strictObject({ stopped: z.boolean() }) },
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
