/**
 * The TypeScript side of BitLockerKeyBackup.psm1: every module function's name, its request (sent as one
 * base64-encoded JSON argument) and the `data` of its result envelope. The real module and the simulated
 * PC both answer exactly these shapes; main validates every answer against them.
 *
 * Wire format, one line each way:
 *   call:   <Function-Name> -Request '<base64 of UTF-8 JSON>'
 *   answer: {"ok":true,"data":{...}}  or  {"ok":false,"error":{"code":"...","message":"...","hresult":"0x..."|null}}
 */
import { z } from 'zod';
import { DriveType, Environment, LockStatus, MountPoint, ProtectionStatus, ProtectorId, Volume, VolumeStatus } from '../../preload/contract';

const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');

/** The 48-digit recovery password: 8 groups of 6 digits. Checked for its checksum in bitlocker/. */
export const RecoveryPasswordText = z.string().regex(/^\d{6}(-\d{6}){7}$/);

export const moduleFunctions = {
  /** Who and what this PC is: name, elevation, edition, join state (dsregcmd /status), module presence. */
  'Get-BkbEnvironment': {
    request: z.strictObject({}),
    data: Environment.omit({ simulated: true, scenarioName: true }).extend({ powerShellVersion: z.string() }),
    timeoutMs: 20_000,
  },
  /** Every volume BitLocker can protect, joined with drive type, label, file system and free space. No passwords. */
  'Get-BkbVolumes': {
    request: z.strictObject({}),
    data: z.object({ volumes: z.array(Volume) }),
    timeoutMs: 30_000,
  },
  /** One recovery password, read only when a backup needs it. */
  'Get-BkbRecoveryPassword': {
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId }),
    data: z.object({ keyProtectorId: ProtectorId, recoveryPassword: RecoveryPasswordText }),
    timeoutMs: 20_000,
  },
  /** Which volume a path lies on and what kind it is, for the key-file location rules. */
  'Get-BkbPathInfo': {
    request: z.strictObject({ path: z.string().min(1).max(32_767) }),
    data: z.object({
      isNetwork: z.boolean(),
      mountPoint: MountPoint.nullable(),
      driveType: DriveType.nullable(),
      volumeStatus: VolumeStatus.nullable(),
      protectionStatus: ProtectionStatus.nullable(),
      lockStatus: LockStatus.nullable(),
    }),
    timeoutMs: 20_000,
  },
  /** The folder that is the root of a drive (`E:\\` on Windows), where a key file for a USB stick goes. */
  'Get-BkbVolumeRoot': {
    request: z.strictObject({ mountPoint: MountPoint }),
    data: z.object({ path: z.string().min(1) }),
    timeoutMs: 20_000,
  },
  /** BackupToAAD-BitLockerKeyProtector for one protector. */
  'Backup-BkbToEntra': {
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId }),
    data: z.object({ sentAt: IsoTime }),
    timeoutMs: 90_000,
  },
  /** Backup-BitLockerKeyProtector (AD DS) for one protector. */
  'Backup-BkbToActiveDirectory': {
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId }),
    data: z.object({ sentAt: IsoTime }),
    timeoutMs: 90_000,
  },
  /**
   * Events from Microsoft-Windows-BitLocker/BitLocker Management since a time: those naming this protector,
   * and those naming no protector (failure events such as 829/831/847) that concern this volume.
   */
  'Get-BkbBackupEvents': {
    request: z.strictObject({
      mountPoint: MountPoint,
      keyProtectorId: ProtectorId,
      since: IsoTime,
      ids: z.array(z.number().int().positive()).min(1).max(16),
    }),
    data: z.object({
      events: z.array(
        z.object({ id: z.number().int(), time: IsoTime, keyProtectorId: ProtectorId.nullable(), message: z.string() }),
      ),
    }),
    timeoutMs: 20_000,
  },
  /**
   * Every event with one of the ids in the BitLocker Management log, oldest first, with the protector and volume
   * each names, and how far back the log reaches: the raw facts behind each key's backup status. No messages
   * (main words every event itself). At most the newest 2,000 events; `truncated` then, and `logStartsAt` is the
   * oldest event returned, so "the log does not reach back" stays true.
   */
  'Get-BkbKeyHistory': {
    request: z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(32) }),
    data: z.object({
      events: z.array(
        z.object({ id: z.number().int(), time: IsoTime, keyProtectorId: ProtectorId.nullable(), mountPoint: MountPoint.nullable() }),
      ),
      logStartsAt: IsoTime.nullable(),
      truncated: z.boolean(),
    }),
    timeoutMs: 30_000,
  },
  /**
   * Adds a recovery password Windows generates (ProtectKeyWithNumericalPassword) to an unlocked volume. Only the
   * new protector's identifier comes back; the password is read later, by the backup that follows.
   */
  'Add-BkbRecoveryPassword': {
    request: z.strictObject({ mountPoint: MountPoint }),
    data: z.object({ keyProtectorId: ProtectorId }),
    timeoutMs: 30_000,
  },
  /** Removes one recovery password (DeleteKeyProtector); refuses the volume's last one (LastRecoveryPassword). */
  'Remove-BkbRecoveryPassword': {
    request: z.strictObject({ mountPoint: MountPoint, keyProtectorId: ProtectorId }),
    data: z.object({ removed: z.literal(true) }),
    timeoutMs: 30_000,
  },
  /**
   * The audit trail: one entry in Windows' Application log under the app's event source (registered by the
   * installer, assets/installer.nsh). The module words the message from these fields alone and refuses any that
   * looks like a recovery password. `written` is false when the source is not registered (the portable build) or
   * the log refused the entry: the action it records stands either way.
   */
  'Write-BkbAuditEvent': {
    request: z.strictObject({
      action: z.enum(['backup', 'add', 'remove', 'reveal']),
      outcome: z.enum(['succeeded', 'partial', 'failed']),
      mountPoint: MountPoint.nullable(),
      keyProtectorIds: z.array(ProtectorId).max(64),
      destination: z.enum(['entra', 'activeDirectory', 'microsoftAccount', 'file', 'usb', 'pdf', 'print']).nullable(),
    }),
    data: z.object({ written: z.boolean() }),
    timeoutMs: 20_000,
  },
  /** The app's own audit entries from the Application log since a time, oldest first: what an auditor (or a test) reads back. */
  'Get-BkbAuditEvents': {
    request: z.strictObject({ since: IsoTime }),
    data: z.object({ events: z.array(z.object({ id: z.number().int(), time: IsoTime, message: z.string() })) }),
    timeoutMs: 20_000,
  },
  /**
   * Opens Windows' own BitLocker panel (the only supported path to a Microsoft account backup), or on Windows
   * Home, which has no such panel, Settings' Device encryption page.
   */
  'Open-BkbBitLockerPanel': {
    request: z.strictObject({ mountPoint: MountPoint }),
    data: z.object({ opened: z.boolean(), page: z.enum(['bitLockerPanel', 'deviceEncryption']) }),
    timeoutMs: 20_000,
  },
  /**
   * Starts the app again elevated (Start-Process -Verb RunAs); the caller then quits. The module starts the
   * executable of the process that owns the session (the app), never a path it is given.
   */
  'Start-BkbElevated': {
    request: z.strictObject({ arguments: z.array(z.string()) }),
    data: z.object({ started: z.boolean() }),
    // UAC waits for the user as long as it likes; killing PowerShell meanwhile would lose a later "Yes".
    timeoutMs: null,
  },
} as const;

export type ModuleFunctions = typeof moduleFunctions;
export type ModuleFunctionName = keyof ModuleFunctions;
export type ModuleRequest<F extends ModuleFunctionName> = z.infer<ModuleFunctions[F]['request']>;
export type ModuleData<F extends ModuleFunctionName> = z.infer<ModuleFunctions[F]['data']>;
export const moduleFunctionNames = Object.keys(moduleFunctions) as ModuleFunctionName[];

/** Error codes the module itself reports (a subset of the contract's ErrorCode). */
export const ModuleErrorCode = z.enum([
  'NotElevated',
  'BitLockerModuleMissing',
  'CmdletFailed',
  'InvalidArgument',
  'VolumeNotFound',
  'VolumeLocked',
  'ProtectorNotFound',
  'PolicyForbids',
  'LastRecoveryPassword',
]);

export const ModuleEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: ModuleErrorCode, message: z.string(), hresult: z.string().nullable() }),
  }),
]);

/** The one line that calls a module function: fixed name, data only as base64 JSON. */
export function encodeCall<F extends ModuleFunctionName>(fn: F, request: ModuleRequest<F>): string {
  const payload = Buffer.from(JSON.stringify(request), 'utf8').toString('base64');
  return `${fn} -Request '${payload}'`;
}

/** The inverse of encodeCall, used by the simulated PC; null for anything that is not such a call. */
export function decodeCall(line: string): { fn: string; request: unknown } | null {
  const match = /^([A-Z][a-z]+-Bkb[A-Za-z]+) -Request '([A-Za-z0-9+/]*={0,2})'$/.exec(line);
  if (!match) return null;
  try {
    return { fn: match[1]!, request: JSON.parse(Buffer.from(match[2]!, 'base64').toString('utf8')) };
  } catch {
    return null;
  }
}
