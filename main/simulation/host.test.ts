/**
 * The built simulated host (out/main/simulated-host.js, built by tests/global-setup.ts) driven through the
 * real wrapper by node-powershell, exactly as the app's session drives it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PowerShell } from 'node-powershell';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeCall, moduleFunctions } from '../powershell/module-api';
import { EXECUTABLE_OPTIONS, STARTUP_COMMAND } from '../powershell/startup';

const WRAPPER = path.resolve(__dirname, 'pwsh-sim');
const SCENARIOS = path.resolve(__dirname, '../../assets/scenarios');
const DELIMITER = /^\[Console\]::(Out|Error)\.WriteLine\("[0-9A-Za-z]{16}"\)$/;
const C_KEY = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const C_PASSWORD = '000440-249799-223619-263626-375034-667139-257378-230010';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bkb-host-'));

/** home-pc.json with extra fields, written elsewhere (its relative root made absolute). */
function homePcWith(extra: Record<string, unknown>): string {
  const scenario = JSON.parse(fs.readFileSync(path.join(SCENARIOS, 'home-pc.json'), 'utf8'));
  for (const volume of scenario.volumes) if (volume.root) volume.root = path.resolve(SCENARIOS, volume.root);
  const file = path.join(tmp(), 'scenario.json');
  fs.writeFileSync(file, JSON.stringify({ ...scenario, ...extra }));
  return file;
}

const hosts: PowerShell[] = [];
function startHost(env: Record<string, string>): PowerShell {
  const host = new PowerShell({ executableOptions: EXECUTABLE_OPTIONS, invocationTimeout: 10_000, spawnOptions: { env: { ...process.env, ...env } } });
  hosts.push(host);
  return host;
}
const dataOf = (raw: string) => JSON.parse(raw).data;

describe.skipIf(process.platform === 'win32')('simulated host through node-powershell', () => {
  beforeAll(() => void vi.stubEnv('NODE_POWERSHELL', WRAPPER));
  afterAll(() => void vi.unstubAllEnvs());
  afterEach(async () => {
    await Promise.allSettled(hosts.splice(0).map((host) => host.dispose()));
  });

  it('answers module calls and logs every line it received', async () => {
    const log = path.join(tmp(), 'host.log');
    const host = startHost({ BKB_SCENARIO: path.join(SCENARIOS, 'home-pc.json'), BKB_HOST_LOG: log });
    const calls = [
      encodeCall('Get-BkbEnvironment', {}),
      encodeCall('Get-BkbVolumes', {}),
      encodeCall('Get-BkbRecoveryPassword', { mountPoint: 'C:', keyProtectorId: C_KEY }),
    ];

    expect((await host.invoke(STARTUP_COMMAND)).raw).toBe('');
    const answers: unknown[] = [];
    for (const call of calls) answers.push(dataOf((await host.invoke(call)).raw));

    expect(moduleFunctions['Get-BkbEnvironment'].data.parse(answers[0])).toMatchObject({ computerName: 'DESKTOP-4Q7R2LM', elevated: true });
    expect(moduleFunctions['Get-BkbVolumes'].data.parse(answers[1]).volumes.map((v) => v.mountPoint)).toEqual(['C:', 'D:', 'E:', 'F:']);
    expect(answers[2]).toEqual({ keyProtectorId: C_KEY, recoveryPassword: C_PASSWORD });

    const lines = fs.readFileSync(log, 'utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(5 * 4);
    expect(lines.filter((line) => !DELIMITER.test(line))).toEqual([STARTUP_COMMAND, ...calls]);
    expect(lines.join('\n')).not.toContain(C_PASSWORD);
  });

  it('keeps hostile and non-ASCII text intact', async () => {
    const file = path.join(SCENARIOS, 'hostile-strings.json');
    const host = startHost({ BKB_SCENARIO: file });
    await host.invoke(STARTUP_COMMAND);
    const expected = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(dataOf((await host.invoke(encodeCall('Get-BkbEnvironment', {}))).raw).computerName).toBe(expected.computer.name);
    const labels = dataOf((await host.invoke(encodeCall('Get-BkbVolumes', {}))).raw).volumes.map((v: { label: string }) => v.label);
    expect(labels).toEqual(expected.volumes.map((v: { label: string }) => v.label));
  });

  it('fails unknown commands, and module calls before the start-up line, like PowerShell', async () => {
    const host = startHost({ BKB_SCENARIO: path.join(SCENARIOS, 'home-pc.json') });
    await expect(host.invoke('Get-Process | Stop-Process')).rejects.toThrow(
      "Get-Process : The term 'Get-Process' is not recognized as the name of a cmdlet, function, script file, or operable program.",
    );
    await expect(host.invoke(encodeCall('Get-BkbVolumes', {}))).rejects.toThrow("The term 'Get-BkbVolumes' is not recognized");
    await host.invoke(STARTUP_COMMAND);
    expect(dataOf((await host.invoke(encodeCall('Get-BkbVolumes', {}))).raw).volumes).toHaveLength(4);
  });

  it('acts out stderr, garbage, half-JSON, hang and exit-0 faults', async () => {
    const host = startHost({
      BKB_SCENARIO: homePcWith({
        faults: {
          'Get-BkbEnvironment': { stderr: 'WARNING: something odd' },
          'Get-BkbVolumes': { garbage: 'Access is denied.' },
          'Get-BkbPathInfo': { halfJson: true },
          'Get-BkbBackupEvents': { hangMs: 300 },
          'Open-BkbBitLockerPanel': { exit0: true },
        },
      }),
    });
    await host.invoke(STARTUP_COMMAND);
    await expect(host.invoke(encodeCall('Get-BkbEnvironment', {}))).rejects.toThrow('WARNING: something odd');
    expect((await host.invoke(encodeCall('Get-BkbVolumes', {}))).raw).toBe('Access is denied.');
    const half = (await host.invoke(encodeCall('Get-BkbPathInfo', { path: '/nowhere/key.txt' }))).raw;
    expect(half.startsWith('{"ok":true,"data":{')).toBe(true);
    expect(() => JSON.parse(half)).toThrow();

    const started = Date.now();
    const events = host.invoke(encodeCall('Get-BkbBackupEvents', { mountPoint: 'C:', keyProtectorId: C_KEY, since: '2026-01-01T00:00:00Z', ids: [845] }));
    const after = host.invoke(encodeCall('Start-BkbElevated', { arguments: [] })); // queued behind the hang
    expect(dataOf((await events).raw)).toEqual({ events: [] });
    expect(dataOf((await after).raw)).toEqual({ started: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    const exited = await host.invoke(encodeCall('Open-BkbBitLockerPanel', { mountPoint: 'C:' }));
    expect(exited).toMatchObject({ raw: '', hadErrors: false });
    await expect(host.invoke(encodeCall('Get-BkbVolumes', {}))).rejects.toThrow('invoke called after process exited');
  });

  it('crashes once in crash-once.json, and the restarted host remembers it', async () => {
    const env = { BKB_SCENARIO: path.join(SCENARIOS, 'crash-once.json'), BKB_SIM_STATE: path.join(tmp(), 'state.json') };
    const first = startHost(env);
    await first.invoke(STARTUP_COMMAND);
    await expect(first.invoke(encodeCall('Get-BkbVolumes', {}))).rejects.toMatchObject({ name: 'ProcessError' });

    const second = startHost(env);
    await second.invoke(STARTUP_COMMAND);
    expect(dataOf((await second.invoke(encodeCall('Get-BkbVolumes', {}))).raw).volumes).toHaveLength(4);
  });

  it('fails the start-up line on a startup fault; module calls then stay unknown', async () => {
    const host = startHost({ BKB_SCENARIO: homePcWith({ faults: { startup: { error: 'The specified module was not loaded.' } } }) });
    await expect(host.invoke(STARTUP_COMMAND)).rejects.toThrow('Import-Module : The specified module was not loaded.');
    await expect(host.invoke(encodeCall('Get-BkbEnvironment', {}))).rejects.toThrow('is not recognized');
  });

  it('exits with code 2 before reading input when the scenario is missing or invalid', () => {
    const run = (env: Record<string, string>) => {
      const { BKB_SCENARIO: _, ...rest } = process.env;
      return spawnSync(WRAPPER, ['-NoLogo', '-Command', '-'], { env: { ...rest, ...env }, encoding: 'utf8', timeout: 10_000 });
    };
    expect(run({})).toMatchObject({ status: 2, stderr: expect.stringContaining('BKB_SCENARIO is not set') });
    const invalid = homePcWith({ computer: { name: 'PC' } });
    expect(run({ BKB_SCENARIO: invalid })).toMatchObject({ status: 2, stderr: expect.stringContaining('computer.elevated') });
  });
});
