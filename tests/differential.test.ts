/**
 * The differential proof of the simulated PC (docs/fake-windows.md): for every shipped scenario, the Node
 * simulated host and the real BitLockerKeyBackup.psm1 in pwsh over the fake Windows get the same raw lines —
 * every module function, with ordinary and hostile requests, in the same order, side effects included — and
 * must give the same answers. Excepted, and only these: the PowerShell version, and times the hosts take
 * from their own clocks (`sentAt`, event times), which are compared for shape only.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCall, type ModuleFunctionName, type ModuleRequest } from '../main/powershell/module-api';
import { openShell, type ShellHandle } from '../main/powershell/shell';
import { MODULE_PATH_ENV, STARTUP_COMMAND } from '../main/powershell/startup';
import { realModuleTier, SIMULATED, type HostTier } from './support/hosts';
import { REPO_ROOT, variantOf } from './support/scenarios';

const SCENARIOS_DIR = join(REPO_ROOT, 'assets', 'scenarios');
const ALL_BACKUP_EVENTS = [775, 776, 783, 784, 785, 828, 829, 830, 831, 845, 846, 847];
const KEY_HISTORY_EVENTS = [773, 774, 775, 776, 783, 784, 785, 828, 829, 830, 831, 845, 846, 847, 858, 869, 4106];
const LONG_AGO = '2000-01-01T00:00:00Z';
const NO_SUCH_KEY = '{00000000-0000-4000-8000-000000000000}';
/** The scenario whose run stands for the portable build: no installer, so no event source for the audit trail. */
const PORTABLE = 'home-pc.json';
/** Instants after this were read from a host's own clock (scenario times all lie before the run). */
const RUN_STARTED = Date.now();

/** A line, or one built from the answers the host gave so far (e.g. to name the key it just added). */
type Line = string | ((answers: unknown[]) => string);

interface ScenarioFile {
  computer: {
    name: string;
    networkShares?: { root: string; driveLetter?: string }[];
    substDrives?: { driveLetter: string }[];
    links?: { path: string }[];
  };
  volumes: { mountPoint: string; root?: string; keyProtectors: { keyProtectorId: string; keyProtectorType: string }[] }[];
}

const realModule = realModuleTier();
const shells: ShellHandle[] = [];
afterAll(async () => {
  await Promise.all(shells.map((s) => s.kill()));
});

/** One line for a module function, built as the app builds it (the request is not validated here: hostile ones must reach both hosts). */
const call = <F extends ModuleFunctionName>(fn: F, request: ModuleRequest<F> | Record<string, unknown>) => encodeCall(fn, request as ModuleRequest<F>);
const raw = (fn: string, payload: string) => `${fn} -Request '${payload}'`;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Every line the two hosts get for one scenario, in order: reads, hostile requests, then the backups and what they
 * logged, then on every drive a rotation (add a recovery password, list, read it, remove the others, try to remove
 * the last one) and the whole key history, then the audit trail: entries written, forged ones refused, all read back.
 */
function script(scenario: ScenarioFile, scratch: string): Line[] {
  const lettered = scenario.volumes.filter((v) => /^[A-Z]:$/i.test(v.mountPoint));
  const lines: Line[] = [call('Get-BkbEnvironment', {}), call('Get-BkbVolumes', {}), call('Get-BkbKeyHistory', { ids: KEY_HISTORY_EVENTS })];
  for (const volume of lettered) {
    const { mountPoint } = volume;
    lines.push(call('Get-BkbVolumeRoot', { mountPoint }));
    if (volume.root) lines.push(call('Get-BkbPathInfo', { path: join(volume.root, 'BitLocker Recovery Key.TXT') }));
    for (const protector of volume.keyProtectors) lines.push(call('Get-BkbRecoveryPassword', { mountPoint, keyProtectorId: protector.keyProtectorId }));
    lines.push(call('Get-BkbRecoveryPassword', { mountPoint, keyProtectorId: '{00000000-0000-4000-8000-000000000000}' }));
  }
  for (const share of scenario.computer.networkShares ?? []) lines.push(call('Get-BkbPathInfo', { path: join(share.root, 'key.txt') }));
  // Places whose path text hides where the file lands: judged where it lands.
  for (const share of scenario.computer.networkShares ?? []) if (share.driveLetter) lines.push(call('Get-BkbPathInfo', { path: `${share.driveLetter}\\key.txt` }));
  for (const drive of scenario.computer.substDrives ?? []) lines.push(call('Get-BkbPathInfo', { path: `${drive.driveLetter}\\Keys\\key.txt` }));
  for (const link of scenario.computer.links ?? []) lines.push(call('Get-BkbPathInfo', { path: `${link.path}\\deeper\\key.txt` }));
  lines.push(
    call('Get-BkbVolumeRoot', { mountPoint: 'Q:' }),
    call('Get-BkbRecoveryPassword', { mountPoint: 'Q:', keyProtectorId: '{00000000-0000-4000-8000-000000000000}' }),
    // Hostile or malformed requests: each must be refused the same way, never run.
    call('Get-BkbPathInfo', { path: join(scratch, 'elsewhere', 'key.txt') }),
    call('Get-BkbPathInfo', { path: 'relative\\key.txt' }),
    call('Get-BkbPathInfo', { path: join(scratch, '..', 'key.txt') }),
    call('Get-BkbPathInfo', { path: '\\\\?\\C:\\key.txt' }),
    call('Get-BkbPathInfo', { path: '\\\\server\\share\\key.txt' }),
    // This PC through a share: its own drives, never a network location.
    call('Get-BkbPathInfo', { path: '\\\\localhost\\C$\\key.txt' }),
    call('Get-BkbPathInfo', { path: '\\\\127.0.0.1\\d$\\Keys\\key.txt' }),
    call('Get-BkbPathInfo', { path: '\\\\[::1]\\Q$\\key.txt' }),
    call('Get-BkbPathInfo', { path: '\\\\LOCALHOST.\\Users\\key.txt' }),
    call('Get-BkbPathInfo', { path: `\\\\${scenario.computer.name}\\C$\\key.txt` }),
    call('Get-BkbPathInfo', { path: join(scratch, "$(Remove-Item -Recurse ~)'; exit `\"|x") }),
    call('Get-BkbPathInfo', { path: join(scratch, 'nul\u0000byte') }),
    call('Get-BkbRecoveryPassword', { mountPoint: 'C:; Remove-Item', keyProtectorId: '{x}' }),
    call('Get-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: '8A696888-99A7-4FAC-92C7-6CC497EA7BDF' }),
    call('Get-BkbVolumes', { extra: true }),
    call('Get-BkbBackupEvents', { mountPoint: 'C:', keyProtectorId: '{00000000-0000-4000-8000-000000000000}', since: 'yesterday', ids: [845] }),
    call('Get-BkbBackupEvents', { mountPoint: 'C:', keyProtectorId: '{00000000-0000-4000-8000-000000000000}', since: LONG_AGO, ids: [] }),
    call('Get-BkbKeyHistory', { ids: [] }),
    call('Get-BkbKeyHistory', { ids: Array.from({ length: 33 }, (_, i) => 800 + i) }),
    call('Get-BkbKeyHistory', { ids: ['845'] }),
    call('Add-BkbRecoveryPassword', { mountPoint: 'C:', recoveryPassword: '000000-000000-000000-000000-000000-000000-000000-000000' }),
    call('Add-BkbRecoveryPassword', { mountPoint: 'Q:' }),
    call('Remove-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: NO_SUCH_KEY.slice(1, -1) }),
    call('Start-BkbElevated', { arguments: ['--inspect=9229', 'a"b'] }),
    raw('Get-BkbVolumes', base64('not json')),
    raw('Get-BkbVolumes', base64('[{}]')),
    raw('Get-BkbEnvironment', ''),
  );
  // Backups, then what the event log says about every protector, old events included.
  for (const volume of lettered) {
    const { mountPoint } = volume;
    const recovery = volume.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
    for (const { keyProtectorId } of recovery.slice(0, 1)) {
      lines.push(call('Backup-BkbToEntra', { mountPoint, keyProtectorId }), call('Backup-BkbToActiveDirectory', { mountPoint, keyProtectorId }));
    }
    lines.push(call('Open-BkbBitLockerPanel', { mountPoint }));
    for (const { keyProtectorId } of volume.keyProtectors) {
      lines.push(call('Get-BkbBackupEvents', { mountPoint, keyProtectorId, since: LONG_AGO, ids: ALL_BACKUP_EVENTS }));
    }
  }
  for (const { mountPoint, keyProtectors } of lettered) {
    const addedAt = lines.push(call('Add-BkbRecoveryPassword', { mountPoint })) - 1;
    const added = (answers: unknown[]) => (answers[addedAt] as { data?: { keyProtectorId?: string } }).data?.keyProtectorId ?? NO_SUCH_KEY;
    lines.push(
      call('Get-BkbVolumes', {}),
      (answers) => call('Get-BkbRecoveryPassword', { mountPoint, keyProtectorId: added(answers) }),
      ...keyProtectors.map(({ keyProtectorId }) => call('Remove-BkbRecoveryPassword', { mountPoint, keyProtectorId })),
      (answers) => call('Remove-BkbRecoveryPassword', { mountPoint, keyProtectorId: added(answers) }),
    );
  }
  lines.push(call('Get-BkbVolumes', {}), call('Get-BkbKeyHistory', { ids: KEY_HISTORY_EVENTS }));
  lines.push(...auditTrail(lettered.flatMap((v) => v.keyProtectors.map((p) => p.keyProtectorId))));
  return lines;
}

/** Write-BkbAuditEvent for every action and outcome, requests the module must refuse, and Get-BkbAuditEvents around them. */
function auditTrail(keys: string[]): string[] {
  const [first = NO_SUCH_KEY, second = NO_SUCH_KEY] = keys;
  const entry = { action: 'backup', outcome: 'succeeded', mountPoint: 'C:', keyProtectorIds: [first], destination: 'entra' };
  const write = (fields: Record<string, unknown>) => call('Write-BkbAuditEvent', { ...entry, ...fields });
  const password = '111111-222222-333333-444444-555555-666666-777777-888888';
  return [
    call('Get-BkbAuditEvents', { since: LONG_AGO }),
    write({}),
    write({ outcome: 'partial', mountPoint: null, keyProtectorIds: [first.toLowerCase(), second], destination: 'usb' }),
    write({ action: 'add', outcome: 'failed', mountPoint: 'd:', keyProtectorIds: [], destination: null }),
    write({ action: 'remove', keyProtectorIds: keys.slice(0, 64), destination: null }),
    write({ action: 'reveal', mountPoint: null, destination: null }),
    // Forged or malformed entries: refused the same way, nothing written.
    write({ keyProtectorIds: [first, password] }),
    write({ destination: `file ${password.replace(/-/g, ' ')}` }),
    write({ mountPoint: password.replace(/-/g, '') }),
    write({ action: 'Backup' }),
    write({ action: ['backup'] }),
    write({ outcome: 'ok' }),
    write({ mountPoint: 'C:\\' }),
    write({ keyProtectorIds: first }),
    write({ keyProtectorIds: Array.from({ length: 65 }, () => first) }),
    write({ keyProtectorIds: [`${first}\nforged`] }),
    write({ destination: 'cloud' }),
    write({ destination: null }),
    write({ action: 'add' }),
    call('Write-BkbAuditEvent', { ...entry, message: 'all fine' }),
    call('Get-BkbAuditEvents', { since: LONG_AGO }),
    call('Get-BkbAuditEvents', { since: '2999-01-01T00:00:00Z' }),
    call('Get-BkbAuditEvents', { since: 'yesterday' }),
  ];
}

/** What may differ between two honest hosts: their PowerShell, and the instants read from their own clocks. */
function comparable(answer: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(answer);
  } catch {
    return { unparsable: answer };
  }
  return JSON.parse(JSON.stringify(json), (key, value: unknown) => {
    if (key === 'powerShellVersion') return '<version>';
    if ((key === 'sentAt' || key === 'time') && typeof value === 'string') return Number.isNaN(Date.parse(value)) ? value : '<time>';
    // Where the log starts is the scenario's oldest event, compared as it is, unless the log began with this run.
    if (key === 'logStartsAt' && typeof value === 'string' && Date.parse(value) >= RUN_STARTED) return '<time>';
    return value;
  });
}

/** Runs the lines on one host and returns each line as sent and each answer (or the error the host gave). */
async function play(tier: HostTier, scenarioFile: string, dir: string, lines: Line[]): Promise<{ sent: string[]; answers: unknown[] }> {
  const shell = openShell(tier.executable, {
    ...process.env,
    ...tier.env,
    [MODULE_PATH_ENV]: join(REPO_ROOT, 'main', 'powershell', 'BitLockerKeyBackup.psm1'),
    BKB_SCENARIO: scenarioFile,
    BKB_SIM_STATE: join(dir, `${tier.name}.state.json`),
  });
  shells.push(shell);
  expect((await shell.invoke(STARTUP_COMMAND)).trim()).toBe('');
  const answers: unknown[] = [];
  const sent: string[] = [];
  for (const line of lines) {
    const text = typeof line === 'string' ? line : line(answers);
    sent.push(text);
    try {
      answers.push(comparable((await shell.invoke(text)).trim()));
    } catch (error) {
      answers.push({ hostError: String((error as Error).message).split('\n')[0] });
    }
  }
  await shell.kill();
  return { sent, answers };
}

const scenarioFiles = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json'));

describe.skipIf(realModule.skip !== null)('the simulated PC answers as the real module does', () => {
  it.each(scenarioFiles)('%s: every function, ordinary and hostile requests, same answers', async (file) => {
    const dir = mkdtempSync(join(tmpdir(), `bkb-diff-${basename(file, '.json')}-`));
    const original = JSON.parse(readFileSync(join(SCENARIOS_DIR, file), 'utf8')) as ScenarioFile;
    // Each host gets its own copy of every drive folder, and events appear at once (no polling needed).
    const roots = Object.fromEntries(
      original.volumes.filter((v) => v.root).map((v) => [v.mountPoint, join(dir, 'drives', v.mountPoint.replace(/\W/g, ''))]),
    );
    Object.values(roots).forEach((root) => mkdirSync(root, { recursive: true }));
    // Host-level faults (crash, garbage, …) are the fault matrix's business; here both hosts must run cleanly.
    // A drive folder's free space is the drive's own (its capacity less what the folder holds), so both hosts work
    // it out from the folder itself.
    const volumes = original.volumes.map((v) => ({ ...v, ...(v.root ? { root: roots[v.mountPoint] } : {}) }));
    let scenarioFile = variantOf(join(SCENARIOS_DIR, file), { eventDelayMs: 0, faults: {}, latencyMs: {}, volumes }, dir);
    if (file === PORTABLE) {
      const { computer } = JSON.parse(readFileSync(scenarioFile, 'utf8')) as ScenarioFile;
      scenarioFile = variantOf(scenarioFile, { computer: { ...computer, auditSourceRegistered: false } }, dir);
    }
    const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8')) as ScenarioFile;
    const lines = script(scenario, dir);
    const [simulated, real] = [await play(SIMULATED, scenarioFile, dir, lines), await play(realModule, scenarioFile, dir, lines)];
    const decode = (line: string) => line.replace(/ -Request '(.*)'$/, (_m, b64: string) => ` ${Buffer.from(b64, 'base64').toString('utf8')}`);
    const differences = simulated.sent
      .map((line, i) => ({ call: decode(line), realCall: decode(real.sent[i]!), simulated: simulated.answers[i], real: real.answers[i] }))
      .filter((d) => d.call !== d.realCall || JSON.stringify(d.simulated) !== JSON.stringify(d.real));
    expect(differences).toEqual([]);
    // The comparison means something only if the real module answered for real.
    expect(real.answers.filter((a) => typeof a === 'object' && a !== null && 'ok' in a).length).toBe(lines.length);
  }, 120_000);
});
