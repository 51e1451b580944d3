/**
 * The scenario file: one simulated Windows PC (format: shared/reference/simulated-machine.md, plus the
 * fields marked "added" below). Loading checks every field and names the wrong one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyProtectorType, MountPoint, ProtectorId, Volume } from '../../preload/contract';
import { isValidRecoveryPassword } from '../bitlocker/recovery-password';
import { moduleFunctionNames, RecoveryPasswordText } from '../powershell/module-api';
import { SimEvent } from './event-log';
import { Fault } from './faults';
import { Mutation } from './mutations';
import { describeIssues } from './issues';
import { ScenarioMountPoint, hasDriveLetter } from './mount-points';
import { sameName } from './names';
import { fitsOemCodePage } from './oem';

/** bitlocker.md §4: each group is a 16-bit value times 11. A scenario with a bad one would teach the app wrong. */
const RecoveryPassword = RecoveryPasswordText.refine(isValidRecoveryPassword, 'each 6-digit group must be divisible by 11 and below 720896');

const EncryptionMethod = z.enum(['None', 'Aes128Diffuser', 'Aes256Diffuser', 'Aes128', 'Aes256', 'Hardware', 'XtsAes128', 'XtsAes256']);

const ScenarioKeyProtector = z
  .strictObject({
    keyProtectorId: ProtectorId,
    keyProtectorType: KeyProtectorType,
    /** Absent on a locked volume when Windows cannot read it (bitlocker.md §1); required otherwise. */
    recoveryPassword: RecoveryPassword.optional(),
  })
  .refine((p) => p.keyProtectorType === 'RecoveryPassword' || p.recoveryPassword === undefined, {
    message: 'only RecoveryPassword protectors have recoveryPassword',
    path: ['recoveryPassword'],
  });

/**
 * A volume as Windows reports it, with the PC's secrets and the simulation's own fields instead of free bytes.
 * A locked volume may say what Windows says of one: no status, no percentage, no readable recovery password.
 */
const ScenarioVolume = Volume.omit({ mountPoint: true, keyProtectors: true, freeSpaceBytes: true, encryptionMethod: true })
  .extend({
    mountPoint: ScenarioMountPoint,
    encryptionMethod: EncryptionMethod.nullable(),
    keyProtectors: z.array(ScenarioKeyProtector),
    /** Host folder standing for the drive's root; relative to the scenario file. */
    root: z.string().min(1).optional(),
    /** Added: free space to report; without it a root's real free space (statfs), else null. */
    freeSpaceGB: z.number().nonnegative().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.lockStatus === 'Locked') return;
    const unlocked = 'is known once a volume is unlocked: null only on a locked volume';
    if (v.volumeStatus === null) ctx.addIssue({ code: 'custom', path: ['volumeStatus'], message: unlocked });
    if (v.encryptionPercentage === null) ctx.addIssue({ code: 'custom', path: ['encryptionPercentage'], message: unlocked });
    v.keyProtectors.forEach((p, i) => {
      if (p.keyProtectorType === 'RecoveryPassword' && p.recoveryPassword === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['keyProtectors', i, 'recoveryPassword'],
          message: 'a RecoveryPassword protector needs recoveryPassword unless its volume is locked',
        });
      }
    });
  })
  .refine((v) => v.root === undefined || hasDriveLetter(v.mountPoint), {
    message: 'a volume without a drive letter has no root folder',
    path: ['root'],
  });

/** An absolute Windows folder: a drive letter's, or a UNC share's. */
const WindowsFolder = z.string().regex(/^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)/, 'a Windows folder such as C:\\Users or \\\\server\\share');

const FaultKey = z.enum([...moduleFunctionNames, 'startup']);

const ExecutionPolicy = z.enum(['Undefined', 'Unrestricted', 'Bypass', 'RemoteSigned', 'AllSigned', 'Restricted']);
/** Execution policies under which Windows refuses to load the unsigned module (docs/simulated-pc.md). */
export const BLOCKING_EXECUTION_POLICIES: readonly string[] = ['RemoteSigned', 'AllSigned', 'Restricted'];

export const Scenario = z
  .strictObject({
    /** Added: what the scenario shows, for people reading the file. */
    description: z.string().optional(),
    computer: z.strictObject({
      name: z.string(),
      elevated: z.boolean(),
      edition: z.string().nullable(),
      entraJoined: z.boolean(),
      domainJoined: z.boolean(),
      domainName: z.string().nullable().default(null),
      tenantName: z.string().nullable().default(null),
      bitLockerModule: z.boolean().default(true),
      /**
       * Added: how dsregcmd /status encodes what it writes to a pipe. `oem` (default, as console programs do):
       * the OEM code page, 437 here, so tenant and domain names must keep to it; `utf8`; `utf16le`.
       */
      dsregcmdEncoding: z.enum(['oem', 'utf8', 'utf16le']).default('oem'),
      /** Added: dsregcmd /status never finishes: the module gives up, and Entra ID membership is unknown (null). */
      dsregcmdHangs: z.boolean().default(false),
      /**
       * Added: enrolled in Intune (an HKLM\SOFTWARE\Microsoft\Enrollments key with ProviderID "MS DM Server" and
       * EnrollmentState 1); null: those keys cannot be read.
       */
      intuneManaged: z.boolean().nullable().default(false),
      powerShellVersion: z.string().default('5.1.22621.4391'),
      /**
       * Added: a managed PC's PowerShell policies. `languageMode` ConstrainedLanguage (WDAC/AppLocker) stops the
       * module at import; an execution policy set by Group Policy (`machinePolicy`, `userPolicy`) of AllSigned,
       * RemoteSigned or Restricted stops this unsigned copy of it (as for a module downloaded from the internet).
       */
      languageMode: z.enum(['FullLanguage', 'ConstrainedLanguage', 'RestrictedLanguage', 'NoLanguage']).default('FullLanguage'),
      machinePolicy: ExecutionPolicy.default('Undefined'),
      userPolicy: ExecutionPolicy.default('Undefined'),
      /** Added: host folders standing for network shares (key files may go there). */
      networkShares: z
        .array(
          z.strictObject({
            root: z.string().min(1),
            unc: z.string().regex(/^\\\\[^\\]+\\[^\\]+/, 'a UNC path such as \\\\server\\share'),
            /** Added: the letter the share is mapped to (Win32_LogicalDisk DriveType 4), if any. */
            driveLetter: MountPoint.optional(),
          }),
        )
        .default([]),
      /** Added: SUBST drives, as subst.exe lists them: a letter standing for a folder (`S:` → `C:\Users\Public`). */
      substDrives: z.array(z.strictObject({ driveLetter: MountPoint, target: WindowsFolder })).default([]),
      /**
       * Added: junctions, symbolic links and folders a volume is mounted in, by their Windows path, each with the
       * folder it leads to (`E:\j` → `C:\`): the location rules judge where a file lands, not the path text.
       */
      links: z.array(z.strictObject({ path: WindowsFolder, target: WindowsFolder })).default([]),
      /**
       * Added: the installer registered the app's event source in the Application log. `false` is the portable build:
       * Write-BkbAuditEvent writes nothing and answers `written: false`.
       */
      auditSourceRegistered: z.boolean().default(true),
    }),
    volumes: z.array(ScenarioVolume),
    events: z.array(SimEvent).default([]),
    faults: z.partialRecord(FaultKey, Fault).default({}),
    latencyMs: z.partialRecord(FaultKey, z.int().nonnegative()).default({}),
    /** Added: how long after a backup its event appears in the log. */
    eventDelayMs: z.int().nonnegative().default(2000),
    /** Added: how Entra ID answers: no event at all, or a failure event although the cmdlet succeeded. */
    entra: z
      .strictObject({ suppressEvent: z.boolean().default(false), failEvent: z.union([z.literal(846), z.literal(847)]).optional() })
      .refine((e) => !(e.suppressEvent && e.failEvent), 'give suppressEvent or failEvent, not both')
      .prefault({}),
    /** Added: Group Policy forbids AD backup (result 1), or the key is already in AD (event 783). */
    activeDirectory: z.strictObject({ policyForbids: z.boolean().default(false), alreadyPresent: z.boolean().default(false) }).prefault({}),
    /**
     * Added: what the user does in Windows' BitLocker panel (or, on Home, the Device encryption page): saves to
     * the Microsoft account (828), fails (829, naming no protector), or finds the key already there (830).
     */
    microsoftAccount: z
      .strictObject({
        userCompletes: z.boolean().default(false),
        userFails: z.boolean().default(false),
        alreadyPresent: z.boolean().default(false),
      })
      .refine((m) => [m.userCompletes, m.userFails, m.alreadyPresent].filter(Boolean).length <= 1, 'give at most one of userCompletes, userFails or alreadyPresent')
      .prefault({}),
    /** Added: changes to the machine during the run (mutations.ts). */
    mutations: z.array(Mutation).default([]),
    /**
     * Added: Group Policy on adding recovery passwords (ProtectKeyWithNumericalPassword): allowed, forbidden
     * (0x8031005C), or forbidden because FIPS compliance is required (0x80310037, Windows before 10 1703).
     */
    policy: z.strictObject({ recoveryPassword: z.enum(['allowed', 'forbidden', 'forbiddenByFips']).default('allowed') }).prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.computer.dsregcmdEncoding === 'oem') {
      for (const field of ['tenantName', 'domainName'] as const) {
        const text = s.computer[field];
        if (text !== null && !fitsOemCodePage(text)) {
          ctx.addIssue({
            code: 'custom',
            path: ['computer', field],
            message: 'has characters outside the OEM code page (437) dsregcmd writes in: set computer.dsregcmdEncoding to utf16le or utf8',
          });
        }
      }
    }
    const mountPoints = s.volumes.map((v) => v.mountPoint);
    const protectorIds = s.volumes.flatMap((v) => v.keyProtectors.map((p) => p.keyProtectorId));
    const known = (list: string[], name: string) => list.some((item) => sameName(item, name));
    const duplicated = (list: string[]) => list.find((item, i) => list.findIndex((other) => sameName(other, item)) !== i);

    const mapped = s.computer.networkShares.flatMap((share) => (share.driveLetter === undefined ? [] : [share.driveLetter]));
    const mountPoint = duplicated([...mountPoints, ...mapped]);
    if (mountPoint) ctx.addIssue({ code: 'custom', path: ['volumes'], message: `mount point ${mountPoint} appears twice` });
    const protectorId = duplicated(protectorIds);
    if (protectorId) ctx.addIssue({ code: 'custom', path: ['volumes'], message: `key protector ${protectorId} appears twice` });
    s.mutations.forEach(({ change }, i) => {
      if (change.kind === 'lock' && !known(mountPoints, change.mountPoint)) {
        ctx.addIssue({ code: 'custom', path: ['mutations', i, 'lock'], message: `no volume ${change.mountPoint}` });
      }
      if (change.kind === 'removeProtector' && !known(protectorIds, change.keyProtectorId)) {
        ctx.addIssue({ code: 'custom', path: ['mutations', i, 'removeProtector'], message: `no key protector ${change.keyProtectorId}` });
      }
    });
  });

export type ScenarioT = z.output<typeof Scenario>;
export type ScenarioVolumeT = ScenarioT['volumes'][number];

/** Reads, checks and completes a scenario file; `root` folders become absolute paths that must exist. */
export function loadScenario(file: string): ScenarioT {
  const reject = (message: string): never => {
    throw new Error(`scenario ${file}: ${message}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return reject((error as Error).message);
  }
  const parsed = Scenario.safeParse(json);
  if (!parsed.success) return reject(describeIssues(parsed.error));

  const scenario = parsed.data;
  const resolveRoot = (root: string, field: string): string => {
    const absolute = path.resolve(path.dirname(file), root);
    if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) reject(`${field}: folder ${absolute} does not exist`);
    return absolute;
  };
  return {
    ...scenario,
    computer: {
      ...scenario.computer,
      networkShares: scenario.computer.networkShares.map((share, i) => ({ ...share, root: resolveRoot(share.root, `computer.networkShares[${i}].root`) })),
    },
    volumes: scenario.volumes.map((v, i) => (v.root === undefined ? v : { ...v, root: resolveRoot(v.root, `volumes[${i}].root`) })),
  };
}
