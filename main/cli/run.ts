/**
 * Headless mode from start to exit code: read the command line, run the command on main's own services, add the
 * status it left, and put the report where a script can find it (stdout, and --json-out because an Electron exe
 * is a GUI-subsystem program whose stdout can be lost). No window, no Electron import: main/index.ts and the
 * development entry (scripts/cli.ts) both call runCli.
 */
import { CliReport, type CliCommandT, type CliReportT } from '../../preload/contract';
import type { Audit } from '../bitlocker/audit';
import { createBackupRunner } from '../bitlocker/backup';
import type { BackupHistory } from '../bitlocker/backup-history';
import type { Desktop } from '../bitlocker/desktop';
import type { EscrowTimings } from '../bitlocker/escrow';
import { createFileChoices } from '../bitlocker/file-choices';
import { directoryOf } from '../bitlocker/key-status';
import type { PathStyle } from '../bitlocker/location-rules';
import type { TempJournal } from '../bitlocker/temp-journal';
import { AppFailure, toAppError } from '../errors';
import type { AppLog } from '../log/app-log';
import type { PowerShellSession } from '../powershell/session';
import { addKey, backup, ensureEscrow, rotate, status, statusNow, type CliServices, type CommandResult } from './commands';
import { EXIT_CODES, exitForError, exitForStatus, type ExitName } from './exit-codes';
import { parseCli, UsageError, type CliRequest } from './grammar';
import { renderReport, writeJsonOut } from './output';

export interface CliHost {
  /** The arguments after the executable (and, in development, the app folder). */
  args: readonly string[];
  session: PowerShellSession;
  history: BackupHistory;
  log: AppLog;
  audit: Audit;
  pathStyle: PathStyle;
  timings: EscrowTimings;
  journal?: TempJournal;
  stdout(text: string): void;
}

/** Headless mode has no window: print and PDF are GUI destinations, and the grammar never reaches them. */
const NO_DESKTOP: Desktop = {
  chooseSavePath: () => Promise.reject(new AppFailure('InvalidRequest', 'There is no Save dialog on the command line: use --to file --path.')),
  chooseFolder: () => Promise.reject(new AppFailure('InvalidRequest', 'There is no folder picker on the command line.')),
  renderPdf: () => Promise.reject(new AppFailure('InvalidRequest', 'PDF is not offered on the command line.')),
  print: () => Promise.reject(new AppFailure('InvalidRequest', 'Printing is not offered on the command line.')),
};

const COMMANDS: Record<CliCommandT, (services: CliServices, request: CliRequest) => Promise<CommandResult>> = {
  status,
  'ensure-escrow': (services) => ensureEscrow(services),
  backup,
  'add-recovery-password': addKey,
  rotate,
};

function services(host: CliHost): CliServices {
  const choices = createFileChoices();
  const runner = createBackupRunner({
    session: host.session,
    desktop: NO_DESKTOP,
    pathStyle: host.pathStyle,
    timings: host.timings,
    progress: () => undefined,
    journal: host.journal,
    choices,
  });
  let environment: ReturnType<CliServices['environment']> | null = null;
  return {
    session: host.session,
    history: host.history,
    log: host.log,
    audit: host.audit,
    runner,
    choices,
    pathStyle: host.pathStyle,
    environment: () => (environment ??= host.session.call('Get-BkbEnvironment', {})),
  };
}

function empty(command: CliCommandT | null, exit: ExitName, summary: string): CliReportT {
  return {
    schema: 'bitlocker-key-backup/cli/1',
    command,
    exitCode: EXIT_CODES[exit].code,
    summary,
    computer: null,
    status: null,
    reports: [],
    added: null,
    removed: null,
    revealed: null,
    audited: true,
    error: null,
  };
}

/** Runs one command and returns the process exit code; the report is printed and, with --json-out, written. */
export async function runCli(host: CliHost): Promise<number> {
  let request: CliRequest;
  try {
    request = parseCli(host.args);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : 'The command line could not be read.';
    host.stdout(renderReport(empty(null, 'usage', message), false));
    return EXIT_CODES.usage.code;
  }
  host.log.info('command line', { command: request.command, mountPoint: request.mountPoint, destination: request.destination?.kind ?? null, reveal: request.reveal });
  const report = await execute(host, request);
  const text = renderReport(report, request.intune);
  if (request.jsonOut !== null) {
    try {
      await writeJsonOut(request.jsonOut, renderReport(report, false));
    } catch (error) {
      const failed = { ...report, exitCode: EXIT_CODES.failed.code, summary: `${report.summary} The report could not be written to ${request.jsonOut}: ${toAppError(error).message}` };
      host.stdout(renderReport(failed, request.intune));
      return failed.exitCode;
    }
  }
  host.stdout(text);
  return report.exitCode;
}

async function execute(host: CliHost, request: CliRequest): Promise<CliReportT> {
  const svc = services(host);
  const base = empty(request.command, 'ok', '');
  let done: CommandResult;
  try {
    done = await COMMANDS[request.command](svc, request);
  } catch (error) {
    if (error instanceof UsageError) return { ...base, exitCode: EXIT_CODES.usage.code, summary: error.message };
    const appError = toAppError(error);
    host.log.warn('command failed', { command: request.command, code: appError.code });
    const exit = exitForError(appError.code);
    // When PowerShell itself failed (crash, hang), asking it for the status again would only wait out another timeout.
    return { ...base, exitCode: EXIT_CODES[exit].code, summary: appError.message, error: appError, ...(await after(svc, exit !== 'powerShell')) };
  }
  const { status: later, computer } = await after(svc, done.status === null);
  const now = done.status ?? later;
  // status and ensure-escrow answer with the status they read themselves; other commands end 'ok' unless they said otherwise.
  const exit: ExitName = done.exit ?? (done.status !== null ? exitForStatus(done.status) : 'ok');
  const summary = done.summary || statusSummary(now, exit);
  return CliReport.parse({
    ...base,
    exitCode: EXIT_CODES[exit].code,
    summary,
    computer,
    status: now,
    reports: done.reports,
    added: done.added,
    removed: done.removed,
    revealed: done.revealed,
    audited: done.audited,
  });
}

/**
 * The computer, and (when `withStatus`) the key status the command left, for the report: best effort, since the
 * command's outcome is already decided. Null parts when PowerShell or elevation is what failed.
 */
async function after(svc: CliServices, withStatus = true): Promise<Pick<CliReportT, 'status' | 'computer'>> {
  try {
    const environment = await svc.environment();
    const computer = { name: environment.computerName, elevated: environment.elevated, directory: directoryOf(environment), intuneManaged: environment.intuneManaged };
    return { computer, status: environment.elevated && withStatus ? await statusNow(svc) : null };
  } catch {
    return { computer: null, status: null };
  }
}

function statusSummary(report: CliReportT['status'], exit: ExitName): string {
  if (report === null) return EXIT_CODES[exit].meaning;
  const keys = report.drives.flatMap((d) => d.keys.map((k) => ({ ...k, mountPoint: d.mountPoint })));
  const missing = report.directory !== null ? keys.filter((k) => !k.inDirectory) : keys.filter((k) => k.summary === 'notBackedUp');
  const unknown = keys.filter((k) => k.summary === 'unknown');
  const where = report.directory === 'entra' ? 'Microsoft Entra ID' : report.directory === 'activeDirectory' ? 'Active Directory' : null;
  if (keys.length === 0) return 'No drive of this PC has a recovery password.';
  if (missing.length > 0) {
    const list = missing.map((k) => `${k.mountPoint} ${k.keyProtectorId.slice(1, 9)}`).join(', ');
    return where ? `${missing.length} of ${keys.length} recovery keys are not in ${where}: ${list}. Run ensure-escrow.` : `${missing.length} of ${keys.length} recovery keys are not backed up anywhere: ${list}.`;
  }
  if (exit === 'unknown') return `No recovery key is known to be missing, but for ${unknown.length} the event log no longer reaches back to when it was created.`;
  return where ? `All ${keys.length} recovery keys are in ${where}.` : `All ${keys.length} recovery keys are backed up.`;
}
