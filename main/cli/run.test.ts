/**
 * Headless mode end to end on both hosts: the simulated PC and the shipped module in real pwsh over the fake
 * Windows. Each test runs the command line as the exe would and asserts the exit code, the JSON report (against
 * the contract's schema), the files written and the module calls' effects, and that no key is printed without
 * --reveal.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliReport, type CliReportT } from '../../preload/contract';
import { HOST_TIERS, type HostTier } from '../../tests/support/hosts';
import { MODULE_PATH, REPO_ROOT, scenarioWith } from '../../tests/support/scenarios';
import { moduleAudit, type AuditEntry } from '../bitlocker/audit';
import { fileHistory } from '../bitlocker/backup-history';
import { keyFileName, parseKeyFile } from '../bitlocker/key-file';
import { listVolumes } from '../bitlocker/volumes';
import { PowerShellSession } from '../powershell/session';
import { containsRecoveryPassword } from '../security/redact';
import { INTUNE_OUTPUT_LIMIT } from './output';
import { runCli } from './run';

const MIXED_C_BACKED_UP = '{9C3E5A71-2B4D-4F6E-8A1C-7D5B3E9F0C24}';
const MIXED_C_NEW = '{E27B4C90-6D1A-4B3F-9E85-0A2C7D4F6B13}';
const MIXED_D = '{B6F0391C-7A2E-4D58-8C3B-E1F4A6D9027C}';
const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const HOME_C_KEY = '000440-249799-223619-263626-375034-667139-257378-230010';

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined };

/** One PC for one or more command lines: the scenario's state and the app's history carry over between runs. */
function pc(tier: HostTier, scenario: string, overrides: Record<string, unknown> = {}, callTimeoutMs?: number, { realAudit = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-cli-'));
  const stick = join(dir, 'stick');
  const cDrive = join(dir, 'c-drive');
  mkdirSync(stick);
  mkdirSync(cDrive);
  // home-pc's C: gets a folder too, so a key file can be aimed at the drive it unlocks.
  const file = scenarioWith(scenario, { eventDelayMs: 100, ...overrides }, dir, scenario === 'home-pc' ? { 'C:': cDrive, 'F:': stick } : {});
  const history = fileHistory(join(dir, 'backup-history.json'));
  const audited: AuditEntry[] = [];
  const session = new PowerShellSession({
    executable: tier.executable,
    modulePath: MODULE_PATH,
    env: { ...tier.env, BKB_SCENARIO: file, BKB_SIM_STATE: join(dir, 'state.json') },
    callTimeoutMs,
  });
  sessions.push(session);
  const run = async (...args: string[]) => {
    let stdout = '';
    const exitCode = await runCli({
      args,
      session,
      history,
      log,
      audit: realAudit
        ? moduleAudit(session)
        : async (entry) => {
            audited.push(entry);
            return true;
          },
      pathStyle: 'posix',
      timings: { pollIntervalMs: 50, confirmWaitMs: 3_000, panelWaitMs: 3_000 },
      stdout: (text) => (stdout += text),
    });
    return { exitCode, stdout, report: args.includes('--intune') ? null : CliReport.parse(JSON.parse(stdout)) };
  };
  return { dir, stick, cDrive, session, history, audited, run };
}

const homeComputer = () => JSON.parse(readFileSync(join(REPO_ROOT, 'assets', 'scenarios', 'home-pc.json'), 'utf8')).computer as Record<string, unknown>;
const keysOf = (report: CliReportT | null) => report!.status!.drives.flatMap((d) => d.keys.map((k) => ({ drive: d.mountPoint, ...k })));

describe.each(HOST_TIERS)('headless mode on the $name', (tier) => {
  it.skipIf(tier.skip !== null)('status: exit 1 while a key is not in Entra ID, naming it, and never a key', async () => {
    const { run } = pc(tier, 'mixed-history');
    const { exitCode, stdout, report } = await run('status');
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ command: 'status', exitCode: 1, computer: { name: 'FABRIKAM-LT-2291', directory: 'entra', intuneManaged: true }, revealed: null });
    expect(report!.summary).toBe('2 of 3 recovery keys are not in Microsoft Entra ID: C: E27B4C90, D: B6F0391C. Run ensure-escrow.');
    expect(keysOf(report).map((k) => [k.drive, k.keyProtectorId, k.summary, k.inDirectory])).toEqual([
      ['C:', MIXED_C_BACKED_UP, 'backedUp', true],
      ['C:', MIXED_C_NEW, 'notBackedUp', false],
      ['D:', MIXED_D, 'unknown', false],
    ]);
    expect(report!.status!.warnings.map((w) => w.eventId).sort()).toEqual([4106, 869].sort());
    expect(containsRecoveryPassword(stdout)).toBe(false);
  });

  it.skipIf(tier.skip !== null)('ensure-escrow sends only the missing keys, confirms each by event, and status then exits 0', async () => {
    const { run, audited } = pc(tier, 'mixed-history');
    const fixed = await run('ensure-escrow');
    expect(fixed.exitCode).toBe(0);
    expect(fixed.report!.reports.map((r) => [r.mountPoint, r.destination, r.outcomes.map((o) => [o.keyProtectorId, o.status, o.event?.id])])).toEqual([
      ['C:', 'entra', [[MIXED_C_NEW, 'confirmed', 845]]],
      ['D:', 'entra', [[MIXED_D, 'confirmed', 845]]],
    ]);
    expect(fixed.report!.summary).toBe('Sent 2 recovery keys to Microsoft Entra ID; Windows confirmed each.');
    expect(audited.map((a) => [a.action, a.outcome, a.mountPoint, a.keyProtectorIds])).toEqual([
      ['backup', 'succeeded', 'C:', [MIXED_C_NEW]],
      ['backup', 'succeeded', 'D:', [MIXED_D]],
    ]);
    const after = await run('status');
    expect(after.exitCode).toBe(0);
    expect(after.report!.summary).toBe('All 3 recovery keys are in Microsoft Entra ID.');
    const again = await run('ensure-escrow');
    expect([again.exitCode, again.report!.reports, again.report!.summary]).toEqual([0, [], 'Every recovery key of every unlocked drive was already in Microsoft Entra ID.']);
  });

  it.skipIf(tier.skip !== null)('ensure-escrow on a PC with no organisation: exit 9, nothing sent', async () => {
    const { run, audited } = pc(tier, 'home-pc');
    const { exitCode, report } = await run('ensure-escrow');
    expect(exitCode).toBe(9);
    expect(report!.error?.code).toBe('EntraNotJoined');
    expect(audited).toEqual([]);
  });

  it.skipIf(tier.skip !== null)('backup --to file: the key file in the folder, read back, recorded; the key itself only in that file', async () => {
    const { run, dir, history } = pc(tier, 'home-pc');
    const folder = join(dir, 'stick');
    const { exitCode, stdout, report } = await run('backup', '--mount', 'C:', '--to', 'file', '--path', folder, '--json-out', join(dir, 'report.json'));
    expect(exitCode).toBe(0);
    const written = parseKeyFile(readFileSync(join(folder, keyFileName(HOME_C))));
    expect(written).toEqual({ identifier: HOME_C.slice(1, -1), recoveryPassword: HOME_C_KEY });
    expect(report!.reports[0]!.outcomes).toEqual([expect.objectContaining({ keyProtectorId: HOME_C, status: 'verified', path: join(folder, keyFileName(HOME_C)) })]);
    expect(history.entries()).toEqual([expect.objectContaining({ keyProtectorId: HOME_C, place: 'file', outcome: 'verified' })]);
    expect(keysOf(report).find((k) => k.keyProtectorId === HOME_C)?.app).toEqual([expect.objectContaining({ place: 'file', verified: true })]);
    expect(stdout).not.toContain(HOME_C_KEY);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(`${stdout}\n`);
  });

  it.skipIf(tier.skip !== null)('backup to the drive it unlocks is refused by the same rules as the window (exit 10, no file)', async () => {
    const { run, cDrive } = pc(tier, 'home-pc');
    const { exitCode, report } = await run('backup', '--mount', 'C:', '--to', 'file', '--path', cDrive);
    expect(exitCode).toBe(10);
    expect(report!.reports[0]!.outcomes[0]!.error?.code).toBe('LocationSameDrive');
    expect(readdirSync(cDrive)).toEqual([]);
  });

  it.skipIf(tier.skip !== null)('rotate: adds a key, saves and reads it back, only then removes the old one', async () => {
    const { run, session, dir, audited } = pc(tier, 'home-pc');
    const folder = join(dir, 'stick');
    const { exitCode, stdout, report } = await run('rotate', '--mount', 'C:', '--to', 'file', '--path', folder);
    expect(exitCode).toBe(0);
    const added = report!.added!;
    expect(report!.removed).toBe(HOME_C);
    const c = (await listVolumes(session)).find((v) => v.mountPoint === 'C:')!;
    expect(c.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword').map((p) => p.keyProtectorId)).toEqual([added]);
    const saved = parseKeyFile(readFileSync(join(folder, keyFileName(added))));
    expect(saved?.identifier).toBe(added.slice(1, -1));
    expect(stdout).not.toContain(saved!.recoveryPassword);
    expect(report!.summary).toMatch(/^Replaced the recovery key D307AC93 of C: with .* Saved or printed copies of the old key no longer work\.$/);
    expect(audited.map((a) => a.action)).toEqual(['add', 'backup', 'remove']);
  });

  it.skipIf(tier.skip !== null)("rotate writes the audit trail in Windows' Application log: add, backup, remove, by key ID only", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const { run, session, stick } = pc(tier, 'home-pc', {}, undefined, { realAudit: true });
    const { exitCode, report } = await run('rotate', '--mount', 'C:', '--to', 'file', '--path', stick);
    expect([exitCode, report!.audited]).toEqual([0, true]);
    const { events } = await session.call('Get-BkbAuditEvents', { since });
    const added = report!.added!;
    expect(events.map((e) => [e.id, e.message])).toEqual([
      [1001, `Adding 1 recovery key to C: succeeded. Key IDs: ${added}.`],
      [1000, `Backing up 1 recovery key of C: to a file succeeded. Key IDs: ${added}.`],
      [1002, `Removing 1 recovery key from C: succeeded. Key IDs: ${HOME_C}.`],
    ]);
    expect(containsRecoveryPassword(JSON.stringify(events))).toBe(false);
  });

  it.skipIf(tier.skip !== null)('without a registered event source (the portable build) the action stands and the report says it was not audited', async () => {
    const { run, stick } = pc(tier, 'home-pc', { computer: { ...homeComputer(), auditSourceRegistered: false } }, undefined, { realAudit: true });
    const { exitCode, report } = await run('backup', '--mount', 'C:', '--to', 'file', '--path', stick);
    expect([exitCode, report!.audited]).toEqual([0, false]);
    expect(readdirSync(stick)).toEqual([keyFileName(HOME_C)]);
  });

  it.skipIf(tier.skip !== null)('rotate whose new key cannot be backed up keeps the old key and says the drive has both (exit 10)', async () => {
    const { run, session, stick } = pc(tier, 'home-pc', { faults: { 'Get-BkbRecoveryPassword': { error: 'The device is not ready.', hresult: '0x80070015' } } });
    const { exitCode, report } = await run('rotate', '--mount', 'C:', '--to', 'file', '--path', stick);
    expect(exitCode).toBe(10);
    expect(report!.removed).toBeNull();
    expect(report!.summary).toContain('The old key D307AC93 was kept and still works; C: now has both.');
    const ids = (await listVolumes(session)).find((v) => v.mountPoint === 'C:')!.keyProtectors.map((p) => p.keyProtectorId);
    expect(ids).toContain(HOME_C);
    expect(ids).toContain(report!.added);
  });

  it.skipIf(tier.skip !== null)('add-recovery-password where policy forbids recovery passwords: exit 7, nothing added', async () => {
    const { run, session } = pc(tier, 'entra-office', { policy: { recoveryPassword: 'forbidden' } });
    const before = await listVolumes(session);
    const { exitCode, report } = await run('add-recovery-password', '--mount', 'C:');
    expect(exitCode).toBe(7);
    expect(report!.error?.code).toBe('PolicyForbids');
    expect(await listVolumes(session)).toEqual(before);
  });

  it.skipIf(tier.skip !== null)('status --reveal prints each unlocked key and records the reveal; without it no key appears', async () => {
    const { run, audited } = pc(tier, 'home-pc');
    const plain = await run('status');
    expect(plain.stdout).not.toContain(HOME_C_KEY);
    const { exitCode, report } = await run('status', '--reveal');
    expect(exitCode).toBe(plain.exitCode);
    expect(report!.revealed).toContainEqual({ mountPoint: 'C:', keyProtectorId: HOME_C, recoveryPassword: HOME_C_KEY });
    expect(audited).toEqual([expect.objectContaining({ action: 'reveal', keyProtectorIds: expect.arrayContaining([HOME_C]) })]);
  });

  it.skipIf(tier.skip !== null)('a locked drive: backup exits 8 and says so', async () => {
    const { run } = pc(tier, 'home-pc');
    const { exitCode, report } = await run('backup', '--mount', 'E:', '--to', 'usb', '--usb', 'F:');
    expect(exitCode).toBe(8);
    expect(report!.error?.code).toBe('VolumeLocked');
  });

  it.skipIf(tier.skip !== null)('not elevated: exit 4 with what to do', async () => {
    const { run } = pc(tier, 'unelevated');
    const { exitCode, report } = await run('status');
    expect(exitCode).toBe(4);
    expect(report!.summary).toMatch(/administrator/);
  });

  it.skipIf(tier.skip !== null)('an edition without the BitLocker module: exit 6', async () => {
    const { run } = pc(tier, 'module-missing');
    const { exitCode, report } = await run('status');
    expect([exitCode, report!.error?.code]).toEqual([6, 'BitLockerModuleMissing']);
  });

  it.skipIf(tier.skip !== null)('PowerShell crashing on every call: exit 5', async () => {
    const { run } = pc(tier, 'home-pc', { faults: { 'Get-BkbEnvironment': { crash: true } } });
    const { exitCode, report } = await run('status');
    expect(exitCode).toBe(5);
    expect(report!.error?.code).toBe('HostCrashed');
  });

  it.skipIf(tier.skip !== null)('PowerShell hanging: the call times out, exit 5, and the report says so', async () => {
    // Longer than the call timeout, which leaves room for honest calls on a loaded machine.
    const { run, session } = pc(tier, 'mixed-history', { faults: { 'Get-BkbKeyHistory': { hangMs: 60_000 } } }, 8_000);
    const calls = vi.spyOn(session, 'call');
    const { exitCode, report } = await run('status');
    expect(exitCode).toBe(5);
    expect(report!.error?.code).toBe('Timeout');
    // One timeout, not a second one spent asking the hung PowerShell for the status again for the report.
    expect(calls.mock.calls.filter(([fn]) => fn === 'Get-BkbKeyHistory')).toHaveLength(1);
    expect(report!.status).toBeNull();
  }, 30_000);

  it.skipIf(tier.skip !== null)('--intune keeps the output under 2,048 characters', async () => {
    const { run } = pc(tier, 'mixed-history');
    const { exitCode, stdout } = await run('status', '--intune');
    expect(exitCode).toBe(1);
    expect(stdout.length).toBeLessThanOrEqual(INTUNE_OUTPUT_LIMIT);
    expect(stdout.split('\n')[0]).toBe('exit 1: 2 of 3 recovery keys are not in Microsoft Entra ID: C: E27B4C90, D: B6F0391C. Run ensure-escrow.');
  });

  it.skipIf(tier.skip !== null)('a usage error: exit 3, the reason, and nothing run', async () => {
    const { run, session } = pc(tier, 'home-pc');
    const { exitCode, report } = await run('backup', '--mount', 'C:');
    expect([exitCode, report!.command, report!.summary]).toEqual([3, null, 'backup needs --to entra, ad, file or usb.']);
    expect(session.state).toBe('stopped');
  });

  it.skipIf(tier.skip !== null)('--json-out that cannot be written: exit 10, said on stdout', async () => {
    const { run, dir } = pc(tier, 'home-pc');
    writeFileSync(join(dir, 'not-a-folder'), '');
    const { exitCode, report } = await run('status', '--json-out', join(dir, 'not-a-folder', 'report.json'));
    expect(exitCode).toBe(10);
    expect(report!.summary).toContain('could not be written to');
  });
});
