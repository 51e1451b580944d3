import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupDestinationT } from '../../preload/contract';
import { MODULE_PATH, scenarioWith, SIM_HOST } from '../../tests/support/scenarios';
import { PowerShellSession } from '../powershell/session';
import type { FsLike } from './atomic-write';
import { createBackupRunner } from './backup';
import type { Desktop } from './desktop';
import { CHOICE_LIFETIME_MS, createFileChoices } from './file-choices';
import { formatKeyFile, keyFileName, parseKeyFile } from './key-file';
import { listVolumes } from './volumes';

const HOME_C = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const HOME_C_KEY = '000440-249799-223619-263626-375034-667139-257378-230010';
const HOME_D = '{A3391CD7-A428-49D7-941D-BC2CCA80BF1E}';
/** A valid recovery password (its checksums hold) that is not HOME_C's. */
const OTHER_KEY = '000033-502458-135795-660000-099990-299002-345565-720885';
const OFFICE_C = '{75B4F53C-1E2B-405A-A0BA-F32C12C93B22}';
const DOMAIN_C = '{0BF962D1-FFA3-42D4-9B2E-A046EDBD47EE}';

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

/**
 * A file or PDF destination as the user chose it in the Save dialog: `run` puts it where main keeps the dialog's
 * answers and sends the token, as the renderer does.
 */
type Chosen = { kind: 'file'; paths: { keyProtectorId: string; path: string }[]; replace: boolean } | { kind: 'pdf'; path: string; replace: boolean };

interface Setup {
  scenario?: string;
  overrides?: Record<string, unknown>;
  pdf?: Buffer;
  print?: 'printed' | 'cancelled';
  fs?: FsLike;
}

function setup({ scenario = 'home-pc', overrides = {}, pdf = Buffer.from('%PDF-1.7 test'), print = 'printed', fs }: Setup = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-backup-'));
  const drives = { D: join(dir, 'D'), F: join(dir, 'F') };
  Object.values(drives).forEach((d) => mkdirSync(d));
  const roots: Record<string, string> = scenario === 'entra-office' ? { 'D:': drives.F } : { 'D:': drives.D, 'F:': drives.F };
  const file = scenarioWith(scenario, { eventDelayMs: 150, ...overrides }, dir, roots);
  const session = new PowerShellSession({
    executable: SIM_HOST,
    modulePath: MODULE_PATH,
    env: { BKB_SCENARIO: file, BKB_SIM_STATE: join(dir, 'state.json') },
  });
  sessions.push(session);
  const printed: string[] = [];
  const stages: string[] = [];
  const clock = { now: Date.now() };
  const choices = createFileChoices({ now: () => clock.now });
  /** What the next Save dialog returns. */
  const dialog: { answer: string | null } = { answer: null };
  const desktop: Desktop = {
    chooseSavePath: async () => dialog.answer,
    chooseFolder: async () => null,
    renderPdf: async () => pdf,
    print: async (html) => {
      printed.push(html);
      return print;
    },
  };
  const runner = createBackupRunner({
    session,
    desktop,
    pathStyle: 'posix',
    timings: { pollIntervalMs: 50, confirmWaitMs: 1_500, panelWaitMs: 1_500 },
    progress: (p) => stages.push(p.stage),
    fs,
    choices,
  });
  const tokenFor = (mountPoint: string, ids: string[], chosen: Chosen): BackupDestinationT => {
    const targets = chosen.kind === 'pdf' ? [{ keyProtectorId: null, path: chosen.path }] : chosen.paths;
    const format = chosen.kind === 'pdf' ? 'pdf' : 'text';
    const token = choices.remember({ mountPoint, keyProtectorIds: ids, format, targets: targets.map((t) => ({ ...t, exists: existsSync(t.path) })) });
    return { kind: chosen.kind, token, replace: chosen.replace };
  };
  const run = (mountPoint: string, ids: string[], destination: BackupDestinationT | Chosen) =>
    runner.run({ mountPoint, keyProtectorIds: ids, destination: 'path' in destination || 'paths' in destination ? tokenFor(mountPoint, ids, destination) : destination });
  return { dir, drives, session, runner, run, printed, stages, clock, dialog };
}

const file = (id: string, path: string, replace = false): Chosen => ({ kind: 'file', paths: [{ keyProtectorId: id, path }], replace });

describe('backup to a file', () => {
  it('writes Windows’ key file on a USB stick, reads it back and leaves no temp file', async () => {
    const { drives, run, stages } = setup();
    const path = join(drives.F, keyFileName(HOME_C));
    const report = await run('C:', [HOME_C], file(HOME_C, path));
    expect(report.outcomes).toEqual([{ keyProtectorId: HOME_C, status: 'verified', path, event: null, error: null }]);
    expect(parseKeyFile(readFileSync(path))).toEqual({ identifier: HOME_C.slice(1, -1), recoveryPassword: HOME_C_KEY });
    expect(readdirSync(drives.F)).toEqual([keyFileName(HOME_C)]);
    expect(stages).toEqual(['readingKey', 'writing', 'verifying']);
  });

  it('refuses an encrypted drive and writes nothing', async () => {
    const { drives, run } = setup();
    const report = await run('C:', [HOME_C], file(HOME_C, join(drives.D, 'key.txt')));
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'LocationEncrypted', message: 'Your recovery key cannot be saved to an encrypted drive.' } });
    expect(readdirSync(drives.D)).toEqual([]);
  });

  it('refuses the drive being backed up, a place off every drive, and a path with ..', async () => {
    const { drives, dir, run } = setup();
    expect((await run('D:', [HOME_D], file(HOME_D, join(drives.D, 'k.txt')))).outcomes[0]?.error?.code).toBe('LocationSameDrive');
    expect((await run('C:', [HOME_C], file(HOME_C, join(dir, 'k.txt')))).outcomes[0]?.error?.code).toBe('LocationUnknown');
    expect((await run('C:', [HOME_C], file(HOME_C, `${drives.F}/../F/k.txt`))).outcomes[0]?.error?.code).toBe('LocationInvalid');
  });

  it('never overwrites silently: refuses, keeps the old file, and replaces only when asked', async () => {
    const { drives, run } = setup();
    const path = join(drives.F, 'existing.txt');
    writeFileSync(path, 'old');
    expect((await run('C:', [HOME_C], file(HOME_C, path))).outcomes[0]?.error?.code).toBe('FileExists');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect((await run('C:', [HOME_C], file(HOME_C, path, true))).outcomes[0]?.status).toBe('verified');
    expect(parseKeyFile(readFileSync(path))?.recoveryPassword).toBe(HOME_C_KEY);
  });
});

describe('the renderer never names where a key goes', () => {
  const forged = (kind: 'file' | 'pdf', replace = false): BackupDestinationT => ({ kind, token: 'A'.repeat(43), replace });
  const refused = { code: 'InvalidRequest', message: 'This place to save was not chosen for this backup, or was already used. Choose where to save again.' };

  it("writes where main's Save dialog answered, under the token it handed out", async () => {
    const { drives, runner, run, dialog } = setup();
    dialog.answer = join(drives.F, 'chosen.txt');
    const choice = await runner.chooseFile({ mountPoint: 'C:', keyProtectorIds: [HOME_C], format: 'text' });
    expect(choice).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), targets: [{ keyProtectorId: HOME_C, path: dialog.answer, exists: false }] });
    expect((await run('C:', [HOME_C], { kind: 'file', token: choice!.token, replace: false })).outcomes[0]).toMatchObject({ status: 'verified', path: dialog.answer });
  });

  it('refuses a token main never handed out, before any key is read or file written', async () => {
    const { drives, run, stages } = setup();
    await expect(run('C:', [HOME_C], forged('file', true))).rejects.toMatchObject(refused);
    await expect(run('C:', [HOME_C], forged('pdf'))).rejects.toMatchObject(refused);
    expect(stages).toEqual([]);
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('refuses a token used once already', async () => {
    const { drives, runner, run, dialog } = setup();
    dialog.answer = join(drives.F, 'once.txt');
    const { token } = (await runner.chooseFile({ mountPoint: 'C:', keyProtectorIds: [HOME_C], format: 'text' }))!;
    expect((await run('C:', [HOME_C], { kind: 'file', token, replace: false })).outcomes[0]?.status).toBe('verified');
    rmSync(dialog.answer);
    await expect(run('C:', [HOME_C], { kind: 'file', token, replace: true })).rejects.toMatchObject(refused);
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('refuses a token chosen for another drive, other keys or another format, and forgets it', async () => {
    const { drives, runner, run, dialog } = setup();
    dialog.answer = join(drives.F, 'k.txt');
    const choose = async () => (await runner.chooseFile({ mountPoint: 'C:', keyProtectorIds: [HOME_C], format: 'text' }))!.token;
    await expect(run('D:', [HOME_D], { kind: 'file', token: await choose(), replace: false })).rejects.toMatchObject(refused);
    await expect(run('C:', [HOME_C], { kind: 'pdf', token: await choose(), replace: false })).rejects.toMatchObject(refused);
    const token = await choose();
    await expect(run('C:', [HOME_C, HOME_C], { kind: 'file', token, replace: false })).rejects.toMatchObject(refused);
    await expect(run('C:', [HOME_C], { kind: 'file', token, replace: false })).rejects.toMatchObject(refused);
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('refuses a token older than its lifetime', async () => {
    const { drives, runner, run, dialog, clock } = setup();
    dialog.answer = join(drives.F, 'late.txt');
    const { token } = (await runner.chooseFile({ mountPoint: 'C:', keyProtectorIds: [HOME_C], format: 'text' }))!;
    clock.now += CHOICE_LIFETIME_MS;
    await expect(run('C:', [HOME_C], { kind: 'file', token, replace: false })).rejects.toMatchObject(refused);
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('consent to replace covers only a file that was there when the user chose the place', async () => {
    const { drives, runner, run, dialog } = setup();
    dialog.answer = join(drives.F, 'appeared.txt');
    const { token, targets } = (await runner.chooseFile({ mountPoint: 'C:', keyProtectorIds: [HOME_C], format: 'text' }))!;
    expect(targets[0]?.exists).toBe(false);
    writeFileSync(dialog.answer, 'not mine');
    expect((await run('C:', [HOME_C], { kind: 'file', token, replace: true })).outcomes[0]?.error?.code).toBe('FileExists');
    expect(readFileSync(dialog.answer, 'utf8')).toBe('not mine');
  });

  it('takes a USB target only from its own list of sticks: a fixed drive or the OS drive named as one is refused', async () => {
    const { drives, run, stages } = setup();
    for (const target of ['D:', 'C:', 'Z:']) {
      const report = await run('C:', [HOME_C], { kind: 'usb', target, replace: true });
      expect(report.outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'DriveRemoved' } });
    }
    expect(stages).toEqual([]);
    expect(readdirSync(drives.D)).toEqual([]);
  });
});

describe('"read back and verified": the file read back must be the same key file', () => {
  /** The real file system, except that reading the final file back returns `readBack` (a disk that lies). */
  const lyingDisk = (readBack: Buffer): FsLike & { readBackPaths: string[] } => {
    const readBackPaths: string[] = [];
    return {
      open: (path, flags, mode) => nodeFs.open(path, flags, mode),
      link: (from, to) => nodeFs.link(from, to),
      rename: (from, to) => nodeFs.rename(from, to),
      unlink: (path) => nodeFs.unlink(path),
      lstat: (path) => nodeFs.lstat(path),
      readFile: async (path) => {
        readBackPaths.push(path);
        return readBack;
      },
      readBackPaths,
    };
  };

  it.each([
    ['a valid key file with another recovery key', () => formatKeyFile(HOME_C, OTHER_KEY)],
    ['a valid key file for another identifier', () => formatKeyFile(HOME_D, HOME_C_KEY)],
    ['a valid key file for another identifier and key', () => formatKeyFile(HOME_D, OTHER_KEY)],
    ['any other non-empty file', () => Buffer.from('not a key file')],
    ['the key file cut short', () => formatKeyFile(HOME_C, HOME_C_KEY).subarray(0, 200)],
    ['an empty file', () => Buffer.alloc(0)],
  ])('fails with VerifyFailed and deletes the file when it reads back as %s', async (_, bytes) => {
    const fs = lyingDisk(bytes());
    const { drives, run } = setup({ fs });
    const path = join(drives.F, keyFileName(HOME_C));
    const report = await run('C:', [HOME_C], file(HOME_C, path));
    expect(fs.readBackPaths).toEqual([path]);
    expect(report.outcomes).toEqual([
      {
        keyProtectorId: HOME_C,
        status: 'failed',
        path,
        event: null,
        error: { code: 'VerifyFailed', message: "The saved file didn't read back correctly, so it was deleted. Try again or choose another location.", hresult: null },
      },
    ]);
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('fails the same way on a USB stick', async () => {
    const { drives, run } = setup({ fs: lyingDisk(formatKeyFile(HOME_C, OTHER_KEY)) });
    const report = await run('C:', [HOME_C], { kind: 'usb', target: 'F:', replace: false });
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'VerifyFailed' } });
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('verifies through the injected file system when it reads back the same key file (a re-saved UTF-8 copy counts)', async () => {
    const utf8 = Buffer.from(formatKeyFile(HOME_C, HOME_C_KEY).subarray(2).toString('utf16le'), 'utf8');
    const fs = lyingDisk(utf8);
    const { drives, run } = setup({ fs });
    const path = join(drives.F, keyFileName(HOME_C));
    expect((await run('C:', [HOME_C], file(HOME_C, path))).outcomes[0]).toMatchObject({ status: 'verified', path });
    expect(fs.readBackPaths).toEqual([path]);
    expect(readdirSync(drives.F)).toEqual([keyFileName(HOME_C)]);
  });

  it('deletes a PDF that reads back as something else', async () => {
    const { drives, run } = setup({ fs: lyingDisk(Buffer.from('<html>not a pdf</html>')) });
    const path = join(drives.F, 'key.pdf');
    expect((await run('C:', [HOME_C], { kind: 'pdf', path, replace: false })).outcomes[0]?.error?.code).toBe('VerifyFailed');
    expect(existsSync(path)).toBe(false);
  });
});

describe('backup to a USB flash drive', () => {
  it('writes the key file to the stick’s root under Windows’ name', async () => {
    const { drives, run } = setup();
    const report = await run('C:', [HOME_C], { kind: 'usb', target: 'F:', replace: false });
    expect(report.outcomes[0]).toMatchObject({ status: 'verified', path: join(drives.F, keyFileName(HOME_C)) });
  });

  it('says the stick was removed, and leaves no partial file, when it is pulled out', async () => {
    const { drives, run, session } = setup();
    await listVolumes(session);
    rmSync(drives.F, { recursive: true });
    const report = await run('C:', [HOME_C], { kind: 'usb', target: 'F:', replace: false });
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'DriveRemoved' } });
    expect(existsSync(drives.F)).toBe(false);
  });

  it('refuses a locked stick', async () => {
    const { run } = setup();
    const report = await run('C:', [HOME_C], { kind: 'usb', target: 'E:', replace: false });
    expect(report.outcomes[0]?.error?.code).toBe('VolumeLocked');
  });
});

describe('the drive changed since it was listed', () => {
  it('fails the whole backup when the drive was locked', async () => {
    const { session, run, drives } = setup({ overrides: { mutations: [{ after: 'Get-BkbVolumes', calls: 1, lock: 'C:' }] } });
    await listVolumes(session);
    await expect(run('C:', [HOME_C], file(HOME_C, join(drives.F, 'k.txt')))).rejects.toMatchObject({ code: 'VolumeLocked' });
    expect(readdirSync(drives.F)).toEqual([]);
  });

  it('fails the whole backup when the protector was removed', async () => {
    const { session, run, drives } = setup({ overrides: { mutations: [{ after: 'Get-BkbVolumes', calls: 1, removeProtector: HOME_C }] } });
    await listVolumes(session);
    await expect(run('C:', [HOME_C], file(HOME_C, join(drives.F, 'k.txt')))).rejects.toMatchObject({ code: 'ProtectorNotFound' });
  });

  it('refuses a second backup while one runs', async () => {
    const { run, drives } = setup({ overrides: { latencyMs: { 'Get-BkbVolumes': 300 } } });
    const first = run('C:', [HOME_C], file(HOME_C, join(drives.F, 'a.txt')));
    await expect(run('C:', [HOME_C], file(HOME_C, join(drives.F, 'b.txt')))).rejects.toMatchObject({ code: 'BackupInProgress' });
    expect((await first).outcomes[0]?.status).toBe('verified');
  });
});

describe('print and PDF', () => {
  it('prints a page with the computer, drive, identifier and key', async () => {
    const { run, printed } = setup();
    const report = await run('C:', [HOME_C], { kind: 'print' });
    expect(report.outcomes[0]?.status).toBe('printed');
    expect(printed[0]).toContain('DESKTOP-4Q7R2LM');
    expect(printed[0]).toContain(HOME_C.slice(1, -1));
    expect(printed[0]).toContain(HOME_C_KEY);
  });

  it('reports a cancelled print dialog as cancelled', async () => {
    const { run } = setup({ print: 'cancelled' });
    expect((await run('C:', [HOME_C], { kind: 'print' })).outcomes[0]?.status).toBe('cancelled');
  });

  it('saves a PDF through the same location rules and checks it', async () => {
    const { run, drives } = setup();
    const path = join(drives.F, 'key.pdf');
    expect((await run('C:', [HOME_C], { kind: 'pdf', path, replace: false })).outcomes[0]).toMatchObject({ status: 'verified', path });
    expect(readFileSync(path, 'latin1').startsWith('%PDF-')).toBe(true);
    expect((await run('C:', [HOME_C], { kind: 'pdf', path: join(drives.D, 'key.pdf'), replace: false })).outcomes[0]?.error?.code).toBe('LocationEncrypted');
  });

  it('deletes a PDF that does not read back as one', async () => {
    const { run, drives } = setup({ pdf: Buffer.from('not a pdf') });
    const path = join(drives.F, 'key.pdf');
    expect((await run('C:', [HOME_C], { kind: 'pdf', path, replace: false })).outcomes[0]?.error?.code).toBe('VerifyFailed');
    expect(existsSync(path)).toBe(false);
  });
});

describe('Microsoft Entra ID', () => {
  it('confirms a backup by event 845 for that protector', async () => {
    const { run, stages } = setup({ scenario: 'entra-office' });
    const report = await run('C:', [OFFICE_C], { kind: 'entra' });
    expect(report.outcomes[0]).toMatchObject({ status: 'confirmed', event: { id: 845 } });
    expect(stages).toContain('sending');
  });

  it('says "sent, not yet confirmed" while no event has arrived, and Check again (from the backup’s start) finds the late one', async () => {
    // Entra ID confirms 3 s after the cmdlet; the app waits 1.5 s, so the first answer is "not yet".
    const { run, runner } = setup({ scenario: 'entra-office', overrides: { eventDelayMs: 3_000 } });
    const report = await run('C:', [OFFICE_C], { kind: 'entra' });
    expect(report.outcomes[0]).toMatchObject({ status: 'sentNotConfirmed', event: null, error: null });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const again = await runner.check({ mountPoint: 'C:', keyProtectorIds: [OFFICE_C], destination: 'entra', since: report.startedAt });
    expect(again.outcomes[0]).toMatchObject({ status: 'confirmed', event: { id: 845 } });
    expect(Date.parse(again.outcomes[0]!.event!.time)).toBeGreaterThan(Date.parse(report.startedAt));
  });

  it('never counts a missing event as success: no 845 at all stays "sent, not yet confirmed" on Check again', async () => {
    const { run, runner } = setup({ scenario: 'entra-office', overrides: { entra: { suppressEvent: true } } });
    const report = await run('C:', [OFFICE_C], { kind: 'entra' });
    const again = await runner.check({ mountPoint: 'C:', keyProtectorIds: [OFFICE_C], destination: 'entra', since: report.startedAt });
    expect(again.outcomes[0]).toMatchObject({ status: 'sentNotConfirmed', event: null });
  });

  it('reports event 846 as a refused backup', async () => {
    const { run } = setup({ scenario: 'entra-office', overrides: { entra: { failEvent: 846 } } });
    expect((await run('C:', [OFFICE_C], { kind: 'entra' })).outcomes[0]).toMatchObject({ status: 'failed', event: { id: 846 }, error: { code: 'BackupRejected' } });
  });

  it('explains a PC that is not joined (0x801C0450) and no network (0x80072F8F)', async () => {
    expect((await setup().run('C:', [HOME_C], { kind: 'entra' })).outcomes[0]?.error).toMatchObject({ code: 'EntraNotJoined', hresult: '0x801C0450' });
    const offline = setup({ scenario: 'entra-office', overrides: { faults: { 'Backup-BkbToEntra': { error: 'A connection with the server could not be established', hresult: '0x80072F8F' } } } });
    expect((await offline.run('C:', [OFFICE_C], { kind: 'entra' })).outcomes[0]?.error?.code).toBe('NetworkUnavailable');
  });
});

describe('Active Directory', () => {
  it('confirms by event 784', async () => {
    expect((await setup({ scenario: 'domain-pc' }).run('C:', [DOMAIN_C], { kind: 'activeDirectory' })).outcomes[0]).toMatchObject({ status: 'confirmed', event: { id: 784 } });
  });

  it('counts 783 (already present) as success', async () => {
    const { run } = setup({ scenario: 'domain-pc', overrides: { activeDirectory: { alreadyPresent: true } } });
    expect((await run('C:', [DOMAIN_C], { kind: 'activeDirectory' })).outcomes[0]).toMatchObject({ status: 'alreadyPresent', event: { id: 783 } });
  });

  it('says policy forbids it on S_FALSE', async () => {
    const { run } = setup({ scenario: 'domain-pc', overrides: { activeDirectory: { policyForbids: true } } });
    expect((await run('C:', [DOMAIN_C], { kind: 'activeDirectory' })).outcomes[0]?.error).toMatchObject({ code: 'PolicyForbids', hresult: '0x00000001' });
  });
});

describe('Microsoft account', () => {
  it('opens Windows’ panel and finds event 828 for the protector', async () => {
    const { run, stages } = setup();
    const report = await run('C:', [HOME_C], { kind: 'microsoftAccount' });
    expect(report.outcomes[0]).toMatchObject({ status: 'confirmed', event: { id: 828 } });
    expect(stages[0]).toBe('openingPanel');
  });

  it('reports nothing found when the user did not finish in the panel', async () => {
    const { run } = setup({ overrides: { microsoftAccount: { userCompletes: false } } });
    expect((await run('C:', [HOME_C], { kind: 'microsoftAccount' })).outcomes[0]?.status).toBe('sentNotConfirmed');
  });
});
