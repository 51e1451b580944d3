/**
 * The headless commands. Each is the GUI's own services in another order (key status, the backup runner,
 * "back up what isn't", add and remove): no rule is implemented twice. Each returns the parts of the report it
 * knows; run.ts adds the status the command left behind, the exit code and the output.
 */
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { BackupDestinationT, BackupReportT, CliReportT, EnvironmentT, KeyStatusReportT } from '../../preload/contract';
import { AppFailure } from '../errors';
import type { AppLog } from '../log/app-log';
import type { ModuleData } from '../powershell/module-api';
import type { PowerShellSession } from '../powershell/session';
import type { Audit } from '../bitlocker/audit';
import type { createBackupRunner } from '../bitlocker/backup';
import type { BackupHistory } from '../bitlocker/backup-history';
import { entriesOf, provenBackup } from '../bitlocker/backup-history';
import { backupMissing } from '../bitlocker/backup-missing';
import { recordBackup } from '../bitlocker/backup-record';
import { findVolume, recoveryProtectors } from '../bitlocker/backup-options';
import type { FileChoices } from '../bitlocker/file-choices';
import { checkTarget } from '../bitlocker/file-targets';
import { addRecoveryPassword, removeReplacedKey } from '../bitlocker/key-changes';
import { bareIdentifier, keyFileName } from '../bitlocker/key-file';
import { directoryOf, keyStatus, readKeyStatusFacts } from '../bitlocker/key-status';
import type { PathStyle } from '../bitlocker/location-rules';
import { readRecoveryKey } from '../bitlocker/recovery-keys';
import { listVolumes } from '../bitlocker/volumes';
import type { CliDestination, CliRequest } from './grammar';
import { UsageError } from './grammar';
import type { ExitName } from './exit-codes';

export interface CliServices {
  session: PowerShellSession;
  history: BackupHistory;
  log: AppLog;
  audit: Audit;
  runner: ReturnType<typeof createBackupRunner>;
  /** Where the command line's --to file places are kept, as the Save dialog's are: the runner takes them by token. */
  choices: FileChoices;
  pathStyle: PathStyle;
  /** The PC's environment, read once per command line (on Windows it runs dsregcmd, which takes a while). */
  environment(): Promise<ModuleData<'Get-BkbEnvironment'>>;
}

export interface CommandResult {
  exit: ExitName | null;
  summary: string;
  reports: BackupReportT[];
  added: string | null;
  removed: string | null;
  revealed: CliReportT['revealed'];
  audited: boolean;
  /** The status, when the command's own answer is the status (status, ensure-escrow): then failing to read it fails the command. */
  status: KeyStatusReportT | null;
}

const short = (id: string) => bareIdentifier(id).slice(0, 8);
const SETTLED = new Set(['verified', 'confirmed', 'alreadyPresent']);

function result(partial: Partial<CommandResult> & Pick<CommandResult, 'summary'>): CommandResult {
  return { exit: null, reports: [], added: null, removed: null, revealed: null, audited: true, status: null, ...partial };
}

/** How a set of backups ended, for the exit code: every key settled, some only sent, or something failed. */
function exitForReports(reports: readonly BackupReportT[]): ExitName {
  const outcomes = reports.flatMap((r) => r.outcomes);
  if (outcomes.some((o) => o.status === 'failed' || o.status === 'cancelled')) return 'failed';
  return outcomes.every((o) => SETTLED.has(o.status)) ? 'ok' : 'unknown';
}

/** The log, the history and the audit trail take every backup, as the window's do. */
const settle = (services: CliServices, report: BackupReportT) => recordBackup(services, report);

/** The backup destination for the runner: a directory as it is, files by a token for the places named on the command line. */
function runnerDestination(services: CliServices, destination: CliDestination, mountPoint: string, keyProtectorIds: string[]): BackupDestinationT {
  switch (destination.kind) {
    case 'entra':
    case 'activeDirectory':
      return { kind: destination.kind };
    case 'usb':
      return { kind: 'usb', target: destination.target, replace: destination.replace };
    case 'file': {
      const path = services.pathStyle === 'windows' ? win32 : posix;
      const targets = keyProtectorIds.map((id) => {
        const file = path.join(destination.folder, keyFileName(id));
        return { keyProtectorId: id, path: file, exists: existsSync(file) };
      });
      return { kind: 'file', token: services.choices.remember({ mountPoint, keyProtectorIds, format: 'text', targets }), replace: destination.replace };
    }
  }
}

const placeName: Record<CliDestination['kind'], string> = { entra: 'Microsoft Entra ID', activeDirectory: 'Active Directory', file: 'the folder', usb: 'the USB drive' };

async function environmentOf(services: CliServices): Promise<Omit<EnvironmentT, 'simulated' | 'scenarioName'>> {
  const { powerShellVersion: _version, ...environment } = await services.environment();
  if (!environment.elevated) throw new AppFailure('NotElevated', 'BitLocker Key Backup must run as administrator (or as SYSTEM) to read BitLocker keys.');
  return environment;
}

/** Where a new key goes: the command line's --to, or else the organisation's directory; decided before anything is added. */
async function newKeyDestination(services: CliServices, request: CliRequest, mountPoint: string): Promise<CliDestination> {
  if (request.destination !== null) {
    // A folder that will be refused is refused now, before a key exists that could not be saved there.
    if (request.destination.kind === 'file') {
      await checkTarget(services.session, services.pathStyle, mountPoint, (services.pathStyle === 'windows' ? win32 : posix).join(request.destination.folder, keyFileName('{00000000-0000-0000-0000-000000000000}')));
    }
    return request.destination;
  }
  const directory = directoryOf(await environmentOf(services));
  if (directory === null) {
    throw new UsageError(`${request.command} needs --to file --path <folder> or --to usb --usb <letter>: this PC has no organisation to send the new key to.`);
  }
  return { kind: directory };
}

export async function status(services: CliServices, request: CliRequest): Promise<CommandResult> {
  const now = await statusNow(services);
  if (!request.reveal) return result({ summary: '', status: now });
  const volumes = (await listVolumes(services.session)).filter((v) => v.lockStatus === 'Unlocked');
  const revealed: NonNullable<CliReportT['revealed']> = [];
  for (const volume of volumes) {
    for (const p of recoveryProtectors(volume)) {
      const key = await readRecoveryKey(services.session, volume.mountPoint, p.keyProtectorId);
      revealed.push({ mountPoint: volume.mountPoint, keyProtectorId: p.keyProtectorId, recoveryPassword: key.recoveryPassword });
    }
  }
  const ids = revealed.map((r) => r.keyProtectorId);
  services.log.warn('recovery keys revealed on the command line', { ids });
  const audited = await services.audit({ action: 'reveal', outcome: 'succeeded', mountPoint: null, keyProtectorIds: ids, destination: null });
  return result({ summary: `Revealed ${revealed.length} recovery key${revealed.length === 1 ? '' : 's'}; the reveal was recorded.`, revealed, audited, status: now });
}

export async function ensureEscrow(services: CliServices): Promise<CommandResult> {
  const environment = await environmentOf(services);
  const { destination, reports } = await backupMissing({ session: services.session, environment, history: services.history.entries(), runAll: services.runner.runAll });
  let audited = true;
  for (const report of reports) audited = (await settle(services, report)) && audited;
  // The keys are where the reports say even if the status cannot be read again: then "unknown", never "all done".
  const now = await statusNow(services).catch(() => null);
  const unread = now === null ? 'unknown' : null;
  const sent = reports.flatMap((r) => r.outcomes);
  const place = placeName[destination];
  if (sent.length === 0) return result({ exit: unread, summary: `Every recovery key of every unlocked drive was already in ${place}.`, audited, status: now });
  const exit = exitForReports(reports);
  const failed = sent.filter((o) => o.status === 'failed');
  const summary =
    exit === 'ok'
      ? `Sent ${sent.length} recovery key${sent.length === 1 ? '' : 's'} to ${place}; Windows confirmed each.`
      : failed.length > 0
        ? `${failed.length} of ${sent.length} recovery keys could not be sent to ${place}: ${failed.map((o) => `${short(o.keyProtectorId)} (${o.error?.message ?? 'failed'})`).join('; ')}`
        : `Sent ${sent.length} recovery keys to ${place}; Windows has not confirmed every one yet. Run status again in a few minutes.`;
  return result({ exit: exit === 'ok' ? unread : exit, summary, reports, audited, status: now });
}

export async function backup(services: CliServices, request: CliRequest): Promise<CommandResult> {
  await environmentOf(services);
  const mountPoint = request.mountPoint!;
  const volume = findVolume(await listVolumes(services.session), mountPoint);
  const keys = request.keyProtectorIds.length > 0 ? request.keyProtectorIds : recoveryProtectors(volume).map((p) => p.keyProtectorId);
  if (keys.length === 0) throw new AppFailure('NoRecoveryPassword', `${volume.mountPoint} has no recovery password to back up. Add one with add-recovery-password.`);
  const report = await services.runner.run({ mountPoint: volume.mountPoint, keyProtectorIds: keys, destination: runnerDestination(services, request.destination!, volume.mountPoint, keys) });
  const audited = await settle(services, report);
  const exit = exitForReports([report]);
  const failed = report.outcomes.filter((o) => o.status === 'failed');
  const summary =
    exit === 'ok'
      ? `Backed up ${keys.length} recovery key${keys.length === 1 ? '' : 's'} of ${volume.mountPoint}.`
      : failed.length > 0
        ? `The backup of ${failed.map((o) => short(o.keyProtectorId)).join(', ')} failed: ${failed[0]!.error?.message ?? ''}`
        : `Sent; Windows has not confirmed the backup yet. Run status again in a few minutes.`;
  return result({ exit, summary, reports: [report], audited });
}

/**
 * Adds a recovery password and backs it up at once; with `replacing`, removes that key only after the backup
 * is proven. Any failure stops there and says what the drive has now.
 */
async function addAndBackUp(services: CliServices, request: CliRequest, replacing: string | null): Promise<CommandResult> {
  const mountPoint = request.mountPoint!;
  const destination = await newKeyDestination(services, request, mountPoint);
  const { keyProtectorId: added, audited: addAudited } = await services.runner.exclusive(() => addRecoveryPassword(services, mountPoint));
  let audited = addAudited;
  const report = await services.runner.run({ mountPoint, keyProtectorIds: [added], destination: runnerDestination(services, destination, mountPoint, [added]) });
  audited = (await settle(services, report)) && audited;
  // Proof from this run's own backup, not from the history file, which whoever can write the profile could edit.
  const provenHere = entriesOf(report);
  const proven = provenBackup(provenHere, added) !== null;
  const base = { reports: [report], added, audited };
  if (!proven) {
    const why = report.outcomes[0]?.error?.message ?? 'Windows has not confirmed it yet.';
    const kept = replacing ? ` The old key ${short(replacing)} was kept and still works; ${mountPoint} now has both.` : '';
    return result({ ...base, exit: 'failed', summary: `Added the recovery key ${short(added)} to ${mountPoint}, but its backup to ${placeName[destination.kind]} is not confirmed: ${why}${kept} Back up ${short(added)} before anything else.` });
  }
  if (replacing === null) return result({ ...base, summary: `Added the recovery key ${short(added)} to ${mountPoint} and backed it up to ${placeName[destination.kind]}.` });
  try {
    const removal = await services.runner.exclusive(() => removeReplacedKey({ ...services, history: provenHere }, { mountPoint, keyProtectorId: replacing, replacedBy: added }));
    audited = removal.audited && audited;
  } catch (error) {
    const failure = error instanceof AppFailure ? error.message : 'The old key could not be removed.';
    return result({ ...base, exit: 'failed', summary: `The new key ${short(added)} is backed up, but the old key ${short(replacing)} was not removed: ${failure} Both keys work.` });
  }
  return result({
    ...base,
    removed: replacing,
    audited,
    summary: `Replaced the recovery key ${short(replacing)} of ${mountPoint} with ${short(added)}, backed up to ${placeName[destination.kind]}. Saved or printed copies of the old key no longer work.`,
  });
}

export async function addKey(services: CliServices, request: CliRequest): Promise<CommandResult> {
  await environmentOf(services);
  return addAndBackUp(services, request, null);
}

export async function rotate(services: CliServices, request: CliRequest): Promise<CommandResult> {
  await environmentOf(services);
  const volume = findVolume(await listVolumes(services.session), request.mountPoint!);
  const keys = recoveryProtectors(volume).map((p) => p.keyProtectorId.toUpperCase());
  const old = request.keyProtectorIds[0] ?? (keys.length === 1 ? keys[0]! : null);
  if (old === null) {
    throw new UsageError(
      keys.length === 0
        ? `${volume.mountPoint} has no recovery password to replace. Use add-recovery-password.`
        : `${volume.mountPoint} has ${keys.length} recovery passwords: say which to replace with --key.`,
    );
  }
  if (!keys.includes(old)) throw new AppFailure('ProtectorNotFound', `${volume.mountPoint} has no recovery password ${short(old)}.`);
  return addAndBackUp(services, { ...request, mountPoint: volume.mountPoint }, old);
}

/** The status the command left behind, for every command's output (and the exit code of status itself). */
export async function statusNow(services: CliServices) {
  const facts = await readKeyStatusFacts(services.session, await environmentOf(services), services.history.entries());
  return keyStatus(facts);
}
