/**
 * Exit codes a remediation tool understands. 0/1 follow the Intune detection convention (1 = "needs fixing", so
 * the remediation runs); 2 is the honest "cannot tell"; 3 and up name what stopped the command. The README's
 * table is checked against EXIT_CODES by main/cli/readme.test.ts, so the two cannot disagree.
 */
import type { ErrorCodeT, KeyStatusReportT } from '../../preload/contract';

export const EXIT_CODES = {
  ok: { code: 0, meaning: 'Every recovery password is backed up (in the organisation\'s directory, when the PC has one), or the action finished and was confirmed.' },
  actionNeeded: { code: 1, meaning: 'At least one recovery password is not backed up: run ensure-escrow, or back it up.' },
  unknown: { code: 2, meaning: "Nothing is known to be missing, but something can't be told: the event log no longer reaches back to a key's creation, or Windows has not confirmed a backup yet." },
  usage: { code: 3, meaning: 'The command line is wrong (the output says what).' },
  notElevated: { code: 4, meaning: 'Not running as administrator or SYSTEM.' },
  powerShell: { code: 5, meaning: "Windows PowerShell didn't start or stopped answering (including Group Policy or Constrained Language Mode blocking it)." },
  bitLockerMissing: { code: 6, meaning: 'This edition of Windows has no BitLocker PowerShell module.' },
  policyForbids: { code: 7, meaning: 'A policy forbids the action (for example recovery passwords, or backup to Active Directory).' },
  driveUnavailable: { code: 8, meaning: 'The drive is locked, missing, or has no such recovery password.' },
  noDirectory: { code: 9, meaning: 'The PC is not joined to Microsoft Entra ID or an Active Directory domain, so there is no organisation to send keys to.' },
  failed: { code: 10, meaning: 'A backup, an added key or a removal failed; the output says which and what state the drive is in.' },
  internal: { code: 11, meaning: 'Something went wrong inside BitLocker Key Backup.' },
} as const;

export type ExitName = keyof typeof EXIT_CODES;

const BY_ERROR: Partial<Record<ErrorCodeT, ExitName>> = {
  InvalidRequest: 'usage',
  NotElevated: 'notElevated',
  PowerShellUnavailable: 'powerShell',
  SessionStartFailed: 'powerShell',
  ExecutionPolicyBlocked: 'powerShell',
  ConstrainedLanguage: 'powerShell',
  Timeout: 'powerShell',
  HostCrashed: 'powerShell',
  GarbledOutput: 'powerShell',
  HostError: 'powerShell',
  BitLockerModuleMissing: 'bitLockerMissing',
  PolicyForbids: 'policyForbids',
  VolumeNotFound: 'driveUnavailable',
  VolumeLocked: 'driveUnavailable',
  ProtectorNotFound: 'driveUnavailable',
  NoRecoveryPassword: 'driveUnavailable',
  EntraNotJoined: 'noDirectory',
  DomainNotJoined: 'noDirectory',
  Internal: 'internal',
};

/** The exit for an error that stopped a command; anything about a backup itself is "failed". */
export function exitForError(code: ErrorCodeT): ExitName {
  return BY_ERROR[code] ?? 'failed';
}

/**
 * What the status says for a detection script. With a directory, the question is "is every key in it?"
 * (ensure-escrow fixes that); without one, "is every key backed up somewhere known?", and "unknown" is not "no".
 */
export function exitForStatus(report: KeyStatusReportT): ExitName {
  const keys = report.drives.flatMap((d) => d.keys);
  if (report.directory !== null) return keys.some((k) => !k.inDirectory) ? 'actionNeeded' : 'ok';
  if (keys.some((k) => k.summary === 'notBackedUp')) return 'actionNeeded';
  return keys.some((k) => k.summary === 'unknown') ? 'unknown' : 'ok';
}
