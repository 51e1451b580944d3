/**
 * What the key status and the key actions mean: which keys still need a backup, what the drive list says about a
 * replacement that stopped, how a "back up what isn't" run reads. Pure functions of the store's state.
 */
import type { BackupOutcomeT, KeyBackupStatusT, KeyStatusReportT, VolumeT } from '../../preload/contract';
import { backupAvailability, recoveryKeys } from '../volume-status';
import { resultKind, type ResultKind } from './backup-selectors';
import type { KeysData, MissingRun } from './keys';

type State = KeysData & { volumes: VolumeT[] | null; step: string };

/** Outcomes that count as a backup on the result page. */
export const succeeded: ReadonlySet<BackupOutcomeT['status']> = new Set(['verified', 'printed', 'confirmed', 'alreadyPresent']);
/** Outcomes that prove the key is kept somewhere (read back, or confirmed by Windows): only these let a replacement remove the old key. */
export const proven: ReadonlySet<BackupOutcomeT['status']> = new Set(['verified', 'confirmed', 'alreadyPresent']);

export interface MissingKey {
  mountPoint: string;
  keyProtectorId: string;
}

/** With a directory: not yet accepted by it. Without one: no backup known anywhere (not backed up, or unknown). */
export function needsBackup(key: KeyBackupStatusT, directory: KeyStatusReportT['directory']): boolean {
  return directory === null ? key.summary !== 'backedUp' : !key.inDirectory;
}

/** The keys "back up what isn't" would save: only on unlocked drives that still list them, in the drives' order. */
export function selectMissingKeys(s: State): MissingKey[] {
  if (s.keyStatus === null || s.volumes === null) return [];
  const { directory } = s.keyStatus;
  return s.keyStatus.drives.flatMap((drive) => {
    const volume = s.volumes?.find((v) => v.mountPoint === drive.mountPoint);
    if (volume === undefined || !backupAvailability(volume).possible) return [];
    const current = new Set(recoveryKeys(volume).map((k) => k.keyProtectorId.toUpperCase()));
    return drive.keys
      .filter((k) => current.has(k.keyProtectorId.toUpperCase()) && needsBackup(k, directory))
      .map((k) => ({ mountPoint: drive.mountPoint, keyProtectorId: k.keyProtectorId }));
  });
}

export function selectDriveKeyStatus(s: State, mountPoint: string) {
  return s.keyStatus?.drives.find((d) => d.mountPoint === mountPoint) ?? null;
}

/** A replacement or an added key that stopped before its backup was proven: the drive list says what state the drive is in. */
export function selectStoppedKeyChange(s: State) {
  const change = s.keyChange;
  return s.step === 'drives' && change !== null && change.phase === 'backingUp' && change.newKeyId !== null ? change : null;
}

/** The drive a guided backup goes on to after this one, or null. */
export function selectGuidedNext(s: State): string | null {
  return s.guided?.drives[s.guided.index + 1]?.mountPoint ?? null;
}

/** Where a guided backup is: the drive's place (from 1) and how many drives it walks; null when none is under way. */
export function selectGuidedPosition(s: State): { drive: number; of: number } | null {
  return s.guided === null ? null : { drive: s.guided.index + 1, of: s.guided.drives.length };
}

export type MissingResultKind = ResultKind | 'nothing';

/** Every outcome of a finished "back up what isn't" run, with its drive. */
export function missingOutcomes(run: MissingRun | null): { mountPoint: string; outcome: BackupOutcomeT }[] {
  return (run?.result?.reports ?? []).flatMap((r) => r.outcomes.map((outcome) => ({ mountPoint: r.mountPoint, outcome })));
}

/** How the whole run reads: as the result page would read one report holding every outcome; "nothing" when no key needed sending. */
export function selectMissingResultKind(s: State): MissingResultKind | null {
  const result = s.missing?.result;
  if (result === null || result === undefined) return null;
  const outcomes = missingOutcomes(s.missing).map((o) => o.outcome);
  if (outcomes.length === 0) return 'nothing';
  return resultKind({ mountPoint: 'C:', destination: result.destination, startedAt: '', outcomes });
}
