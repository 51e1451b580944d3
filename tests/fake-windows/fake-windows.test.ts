/**
 * The fake Windows itself (docs/fake-windows.md): what each faked command returns to PowerShell, checked in pwsh
 * through the launcher node-powershell uses, and the state file both simulated PCs share. The module's answers
 * over it are the differential test's and the session tests' business.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidRecoveryPassword } from '../../main/bitlocker/recovery-password';
import { STARTUP_COMMAND, MODULE_PATH_ENV } from '../../main/powershell/startup';
import { addedProtectorId, addedRecoveryPassword } from '../../main/simulation/added-protectors';
import { createMachine } from '../../main/simulation/machine';
import { loadScenario } from '../../main/simulation/scenario';
import { openStateStore } from '../../main/simulation/state';
import { FAKE_WINDOWS_HOST, realModuleTier } from '../support/hosts';
import { MODULE_PATH, shippedScenario, variantOf } from '../support/scenarios';

const tier = realModuleTier();
const NS = 'root/cimv2/Security/MicrosoftVolumeEncryption';
const C_RECOVERY = '{C41E2B7A-5D93-4A08-B6F1-0E8D7C6B5A49}'; // windows-quirks C:
const C_TPM = '{2C6F4E19-8B0D-4F3A-9E51-7A2D3C4B5E6F}';
const G_RECOVERY = '{3E2D1C0B-A987-4654-8321-0FEDCBA98765}';
const G_PASSWORD = '311289-275792-021175-640277-204655-640739-398464-395472';
const MIXED_D_RECOVERY = '{B6F0391C-7A2E-4D58-8C3B-E1F4A6D9027C}'; // mixed-history D:
const MIXED_D_EXTERNAL_KEY = '{2E9A6C14-5B7F-4D03-A8E2-9C1B4F7D3A60}';
const UNLETTERED = '\\\\?\\Volume{6A1F0C3E-92B4-4D7E-8C05-1B2A3F4E5D6C}\\';

/** windows-quirks.json with a one-protector G: and whatever else a test changes, in its own folder. */
function quirks(overrides: Record<string, unknown> = {}, computer: Record<string, unknown> = {}): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bkb-fake-windows-'));
  // The shipped file with its folders resolved (drive roots, network shares), so `computer` below keeps them.
  const resolved = variantOf(shippedScenario('windows-quirks'), {}, dir);
  const original = JSON.parse(readFileSync(resolved, 'utf8'));
  const g = {
    mountPoint: 'G:', label: 'Single', driveType: 'Fixed', capacityGB: 100, fileSystem: 'NTFS', volumeStatus: 'EncryptionInProgress',
    protectionStatus: 'Off', lockStatus: 'Unlocked', encryptionMethod: 'XtsAes256', encryptionPercentage: 45,
    keyProtectors: [{ keyProtectorId: G_RECOVERY, keyProtectorType: 'RecoveryPassword', recoveryPassword: G_PASSWORD }],
  };
  const file = variantOf(resolved, { volumes: [...original.volumes, g], computer: { ...original.computer, ...computer }, ...overrides }, dir);
  return { file, dir };
}

/** Runs PowerShell lines in a fake-Windows session (the module imported as the app imports it); the last line's JSON. */
function pwsh(scenario: string, lines: string[], env: Record<string, string> = {}): unknown {
  const run = spawnSync(FAKE_WINDOWS_HOST, ['-NoProfile', '-NonInteractive', '-Command', '-'], {
    input: [STARTUP_COMMAND, ...lines, ''].join('\n'),
    env: { ...process.env, ...tier.env, [MODULE_PATH_ENV]: MODULE_PATH, BKB_SCENARIO: scenario, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const out = run.stdout.trim().split('\n');
  if (run.status !== 0 || run.stderr.trim() !== '') throw new Error(`pwsh failed (${run.status}): ${run.stderr}\n${run.stdout}`);
  return JSON.parse(out[out.length - 1]!);
}

/** One line (pwsh -Command - runs its input line by line) writing the expression's value as JSON. */
const json = (expression: string) => `ConvertTo-Json -Compress -Depth 6 -InputObject (${expression.trim().replace(/([{(])\s*\n\s*/g, '$1 ').replace(/\s*\n\s*([})])/g, ' $1').replace(/\s*\n\s*/g, '; ')})`;

describe.skipIf(tier.skip !== null)('the fake Windows, in pwsh', () => {
  it('answers Win32_EncryptableVolume as WMI does: uint32 codes, string[] out-parameters, locked and unlettered volumes', () => {
    const { file } = quirks();
    const answer = pwsh(file, [
      `$ns = '${NS}'`,
      '$all = @(Get-CimInstance -Namespace $ns -ClassName Win32_EncryptableVolume)',
      '$at = { param($l) Get-CimInstance -Namespace $ns -ClassName Win32_EncryptableVolume -Filter "DriveLetter=\'$l\'" }',
      '$c = & $at C:; $e = & $at E:; $g = & $at G:',
      '$one = Invoke-CimMethod -InputObject $g -MethodName GetKeyProtectors',
      "$ids = Invoke-CimMethod -InputObject $e -MethodName GetKeyProtectors -Arguments @{ KeyProtectorType = [uint32]3 }",
      json(`[ordered]@{
        letters = @($all | ForEach-Object { $_.DriveLetter })
        unlettered = @($all | Where-Object { $null -eq $_.DriveLetter } | ForEach-Object { $_.DeviceID })
        deviceId = $c.DeviceID
        volumeType = $g.VolumeType.GetType().Name
        oneIdIsArray = $one.VolumeKeyProtectorID -is [string[]]
        oneId = $one.VolumeKeyProtectorID
        returnValue = $one.ReturnValue.GetType().Name
        lockedIds = $ids.VolumeKeyProtectorID
        lockedLock = (Invoke-CimMethod -InputObject $e -MethodName GetLockStatus).LockStatus
        lockedConversion = '0x{0:X8}' -f (Invoke-CimMethod -InputObject $e -MethodName GetConversionStatus).ReturnValue
        lockedPassword = '0x{0:X8}' -f (Invoke-CimMethod -InputObject $e -MethodName GetKeyProtectorNumericalPassword -Arguments @{ VolumeKeyProtectorID = $ids.VolumeKeyProtectorID[0] }).ReturnValue
        tpmPassword = '0x{0:X8}' -f (Invoke-CimMethod -InputObject $c -MethodName GetKeyProtectorNumericalPassword -Arguments @{ VolumeKeyProtectorID = '${C_TPM}' }).ReturnValue
        noSuchProtector = '0x{0:X8}' -f (Invoke-CimMethod -InputObject $c -MethodName GetKeyProtectorType -Arguments @{ VolumeKeyProtectorID = '{00000000-0000-4000-8000-000000000000}' }).ReturnValue
        password = (Invoke-CimMethod -InputObject $g -MethodName GetKeyProtectorNumericalPassword -Arguments @{ VolumeKeyProtectorID = '${G_RECOVERY}' }).NumericalPassword
        conversion = (Invoke-CimMethod -InputObject $g -MethodName GetConversionStatus) | Select-Object ConversionStatus, EncryptionPercentage, ReturnValue
        method = (Invoke-CimMethod -InputObject $g -MethodName GetEncryptionMethod).EncryptionMethod
        type = (Invoke-CimMethod -InputObject $g -MethodName GetKeyProtectorType -Arguments @{ VolumeKeyProtectorID = '${G_RECOVERY}' }).KeyProtectorType
      }`),
    ]);
    expect(answer).toEqual({
      letters: ['C:', null, 'E:', 'G:'],
      unlettered: [UNLETTERED],
      deviceId: expect.stringMatching(/^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/),
      volumeType: 'UInt32',
      oneIdIsArray: true,
      oneId: [G_RECOVERY],
      returnValue: 'UInt32',
      lockedIds: ['{7F9E8D7C-6B5A-4938-8271-605F4E3D2C1B}'],
      lockedLock: 1,
      lockedConversion: '0x80310000',
      lockedPassword: '0x80310000',
      tpmPassword: '0x8031003A',
      noSuchProtector: '0x80310033',
      password: G_PASSWORD,
      conversion: { ConversionStatus: 2, EncryptionPercentage: 45, ReturnValue: 0 },
      method: 7,
      type: 3,
    });
  });

  it('logs events as the BitLocker Management log shows them: local times, EventData, visible from their time on', () => {
    const { file, dir } = quirks({ eventDelayMs: 600_000 });
    const answer = pwsh(
      file,
      [
        // The panel acts out the user (830: the key is already in the account), dated ten minutes ahead.
        `Open-BkbBitLockerPanel -Request '${Buffer.from('{"mountPoint":"C:"}').toString('base64')}' | Out-Null`,
        "$log = 'Microsoft-Windows-BitLocker/BitLocker Management'",
        '$records = @(Get-WinEvent -FilterHashtable @{ LogName = $log; Id = 829, 830; StartTime = [datetime]::new(2026, 1, 1) })',
        'try { Get-WinEvent -FilterHashtable @{ LogName = $log; Id = 999 } -ErrorAction Stop; $none = $null } catch { $none = $_.FullyQualifiedErrorId }',
        json(`[ordered]@{
          none = $none
          process = @(Get-FakeWindowsProcessLog | ForEach-Object { $_.FilePath })
          records = @($records | ForEach-Object {
            $xml = [xml]$_.ToXml()
            [ordered]@{
              id = $_.Id; kind = $_.TimeCreated.Kind.ToString(); utc = $_.TimeCreated.ToUniversalTime().ToString('o')
              data = @($xml.Event.EventData.Data | ForEach-Object { $_.Name + '=' + $_.InnerText })
              values = @($_.Properties | ForEach-Object { $_.Value }).Count
              message = $_.Message
            }
          })
        }`),
      ],
      { BKB_SIM_STATE: join(dir, 'state.json') },
    );
    expect(answer).toEqual({
      // Get-WinEvent's id; PowerShell adds the command's name after the comma.
      none: 'NoMatchingEventsFound,Get-WinEvent',
      process: ['ms-settings:deviceencryption'],
      // Newest first, as Get-WinEvent reads a log; the 830 just logged is not visible yet.
      records: [
        {
          id: 829, kind: 'Local', utc: '2026-02-16T07:12:00.0000000Z', values: 4,
          data: [expect.stringMatching(/^IdentityGuid=\{/), `VolumePath=${UNLETTERED}`, 'VolumeDriveLetter=', 'hr=0x80004005'],
          message: `BitLocker Drive Encryption recovery information for volume ${UNLETTERED} could not be backed up to your Microsoft account.`,
        },
        {
          id: 830, kind: 'Local', utc: '2026-02-15T19:30:45.0000000Z', values: 3,
          data: [`ProtectorGUID=${C_RECOVERY}`, expect.stringMatching(/^VolumeName=\\\\\?\\Volume\{/), 'VolumeMountPoint=C:'],
          message: 'BitLocker Drive Encryption recovery information for volume C: is already present in your Microsoft account.',
        },
        expect.objectContaining({ id: 829, utc: '2026-02-14T08:02:11.0000000Z', data: expect.arrayContaining(['VolumeDriveLetter=C:']) }),
      ],
    });
    // The state file is the Node simulated PC's: it reads the event the fake logged, and shows it in its time.
    const store = openStateStore(join(dir, 'state.json'));
    expect(store.state.events).toEqual([{ id: 830, time: expect.any(String), mountPoint: 'C:', protectorId: C_RECOVERY }]);
    const later = new Date(Date.parse(store.state.events[0]!.time) + 1000);
    const machine = createMachine(loadScenario(file), store, () => later);
    const request = Buffer.from(JSON.stringify({ mountPoint: 'C:', keyProtectorId: C_RECOVERY, since: new Date().toISOString(), ids: [830] })).toString('base64');
    expect(JSON.parse(machine.call('Get-BkbBackupEvents', request).answer()!.text).data.events).toHaveLength(1);
  });

  it('keeps the audit trail as Windows does: Write-EventLog under the registered source, read back from the Application log, shared with Node', () => {
    const { file, dir } = quirks();
    const state = join(dir, 'state.json');
    const source = "'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\BitLocker Key Backup'";
    const answer = pwsh(
      file,
      [
        "Write-EventLog -LogName Application -Source 'BitLocker Key Backup' -EventId 1003 -EntryType Warning -Message 'Revealing a recovery key failed. Key IDs: none.'",
        "try { Write-EventLog -LogName Application -Source 'Other' -EventId 1 -Message 'x' -ErrorAction Stop } catch { $other = $_.Exception.Message }",
        '$records = @(Get-WinEvent -FilterHashtable @{ LogName = \'Application\'; ProviderName = \'BitLocker Key Backup\'; StartTime = [datetime]::new(2026, 1, 1) })',
        json(`[ordered]@{
          key = (Get-ItemProperty -LiteralPath ${source}).TypesSupported
          other = $other
          records = @($records | ForEach-Object { [ordered]@{ id = $_.Id; level = $_.LevelDisplayName; provider = $_.ProviderName; kind = $_.TimeCreated.Kind.ToString(); message = $_.Message } })
          management = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; ProviderName = 'BitLocker Key Backup' } -ErrorAction SilentlyContinue).Count
        }`),
      ],
      { BKB_SIM_STATE: state },
    );
    expect(answer).toEqual({
      key: 7,
      other: 'The source name "Other" does not exist on computer "localhost".',
      records: [{ id: 1003, level: 'Warning', provider: 'BitLocker Key Backup', kind: 'Local', message: 'Revealing a recovery key failed. Key IDs: none.' }],
      management: 0,
    });
    // The Node simulated PC reads the entry the fake wrote.
    const machine = createMachine(loadScenario(file), openStateStore(state));
    const read = JSON.parse(machine.call('Get-BkbAuditEvents', Buffer.from('{"since":"2026-01-01T00:00:00Z"}').toString('base64')).answer()!.text);
    expect(read.data.events).toEqual([{ id: 1003, time: expect.any(String), message: 'Revealing a recovery key failed. Key IDs: none.' }]);

    // The portable build: no source key, and Write-EventLog refuses the app's source too.
    const portable = quirks({}, { auditSourceRegistered: false });
    expect(
      pwsh(portable.file, [
        `try { Get-ItemProperty -LiteralPath ${source} -ErrorAction Stop; $key = 'found' } catch { $key = $_.Exception.GetType().Name }`,
        "try { Write-EventLog -LogName Application -Source 'BitLocker Key Backup' -EventId 1000 -Message 'x' -ErrorAction Stop; $write = 'written' } catch { $write = $_.Exception.Message }",
        json('[ordered]@{ key = $key; write = $write }'),
      ]),
    ).toEqual({ key: 'ItemNotFoundException', write: 'The source name "BitLocker Key Backup" does not exist on computer "localhost".' });
  });

  it('reads what the Node simulated PC left in the state file: calls, events, locked drives, removed protectors', () => {
    const { file, dir } = quirks({ mutations: [{ after: 'Get-BkbEnvironment', lock: 'G:' }] });
    const state = join(dir, 'state.json');
    const store = openStateStore(state);
    const machine = createMachine(loadScenario(file), store);
    machine.call('Get-BkbEnvironment', 'e30=').answer();
    store.update((s) => void s.events.push({ id: 845, time: '2026-03-01T10:00:00.000Z', mountPoint: 'C:', protectorId: C_RECOVERY }));
    const answer = pwsh(
      file,
      [
        `$g = Get-CimInstance -Namespace '${NS}' -ClassName Win32_EncryptableVolume -Filter "DriveLetter='G:'"`,
        json(`[ordered]@{
          gLock = (Invoke-CimMethod -InputObject $g -MethodName GetLockStatus).LockStatus
          ids = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; Id = 845 } | ForEach-Object { $_.Id })
        }`),
      ],
      { BKB_SIM_STATE: state },
    );
    expect(answer).toEqual({ gLock: 1, ids: [845] });
    expect(JSON.parse(readFileSync(state, 'utf8')).calls).toEqual({ 'Get-BkbEnvironment': 1, startup: 1 });
  });

  it('adds and deletes recovery passwords as ProtectKeyWithNumericalPassword and DeleteKeyProtector do, logging 775/776 at once, in the shared state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-fake-windows-'));
    const file = variantOf(shippedScenario('mixed-history'), { eventDelayMs: 60_000 }, dir);
    const state = join(dir, 'state.json');
    const added = addedProtectorId('D:', 1);
    const answer = pwsh(
      file,
      [
        `$g = Get-CimInstance -Namespace '${NS}' -ClassName Win32_EncryptableVolume -Filter "DriveLetter='D:'"`,
        '$add = Invoke-CimMethod -InputObject $g -MethodName ProtectKeyWithNumericalPassword',
        `$read = Invoke-CimMethod -InputObject $g -MethodName GetKeyProtectorNumericalPassword -Arguments @{ VolumeKeyProtectorID = $add.VolumeKeyProtectorID }`,
        `$delete = Invoke-CimMethod -InputObject $g -MethodName DeleteKeyProtector -Arguments @{ VolumeKeyProtectorID = '${MIXED_D_RECOVERY}' }`,
        `$again = Invoke-CimMethod -InputObject $g -MethodName DeleteKeyProtector -Arguments @{ VolumeKeyProtectorID = '${MIXED_D_RECOVERY}' }`,
        json(`[ordered]@{
          add = @($add.ReturnValue, $add.VolumeKeyProtectorID)
          password = $read.NumericalPassword
          delete = $delete.ReturnValue
          again = $again.ReturnValue
          left = @((Invoke-CimMethod -InputObject $g -MethodName GetKeyProtectors).VolumeKeyProtectorID)
          logged = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; Id = 775, 776; StartTime = (Get-Date).AddMinutes(-5) } -Oldest | ForEach-Object { $_.Id })
        }`),
      ],
      { BKB_SIM_STATE: state },
    );
    expect(answer).toEqual({ add: [0, added], password: addedRecoveryPassword(added), delete: 0, again: 0x80310033, left: [MIXED_D_EXTERNAL_KEY, added], logged: [775, 776] });
    expect(isValidRecoveryPassword(addedRecoveryPassword(added))).toBe(true);
    // The Node simulated PC carries on from the same state.
    const machine = createMachine(loadScenario(file), openStateStore(state));
    const listed = JSON.parse(machine.call('Get-BkbVolumes', 'e30=').answer()!.text) as { data: { volumes: { mountPoint: string; keyProtectors: { keyProtectorId: string }[] }[] } };
    expect(listed.data.volumes.find((v) => v.mountPoint === 'D:')?.keyProtectors.map((p) => p.keyProtectorId)).toEqual([MIXED_D_EXTERNAL_KEY, added]);
  });

  it.each<[string, number]>([
    ['forbidden', 0x8031005c],
    ['forbiddenByFips', 0x80310037],
  ])('refuses to add a recovery password when policy.recoveryPassword is %s', (recoveryPassword, code) => {
    const { file } = quirks({ policy: { recoveryPassword } });
    const answer = pwsh(file, [
      `$g = Get-CimInstance -Namespace '${NS}' -ClassName Win32_EncryptableVolume -Filter "DriveLetter='G:'"`,
      json(`(Invoke-CimMethod -InputObject $g -MethodName ProtectKeyWithNumericalPassword).ReturnValue`),
    ]);
    expect(answer).toBe(code);
  });

  it.each<[boolean | null, unknown]>([
    [true, { ProviderID: 'MS DM Server', EnrollmentState: 1 }],
    [false, null],
    [null, 'Requested registry access is not allowed.'],
  ])('lists the MDM enrollment keys of a PC whose intuneManaged is %s', (intuneManaged, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-fake-windows-'));
    const original = JSON.parse(readFileSync(shippedScenario('mixed-history'), 'utf8'));
    const file = variantOf(shippedScenario('mixed-history'), { computer: { ...original.computer, intuneManaged } }, dir);
    const answer = pwsh(file, [
      json(`$(try { @(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Enrollments\\*' -ErrorAction Stop | ForEach-Object { [ordered]@{ ProviderID = $_.ProviderID; EnrollmentState = $_.EnrollmentState } }) } catch { $_.Exception.Message })`),
    ]);
    expect(answer).toEqual(expected);
  });

  it('answers Get-WinEvent -Oldest -MaxEvents 1 with the oldest record of the log: where a rolled-over log starts', () => {
    const answer = pwsh(shippedScenario('mixed-history'), [
      json(`@(Get-WinEvent -LogName 'Microsoft-Windows-BitLocker/BitLocker Management' -Oldest -MaxEvents 1 | ForEach-Object { @($_.Id, $_.TimeCreated.ToUniversalTime().ToString('o')) })`),
    ]);
    expect(answer).toEqual([774, '2026-02-03T07:58:12.0000000Z']);
  });

  it('is the Windows the scenario names: join state through dsregcmd, edition, elevation, the BitLocker module', () => {
    const oem = quirks();
    const utf16 = quirks({}, { dsregcmdEncoding: 'utf16le', tenantName: 'Contoso 🔐 数据', elevated: false, bitLockerModule: false, edition: null });
    const hangs = quirks({}, { dsregcmdHangs: true, domainJoined: true, domainName: 'corp.fabrikam.com' });
    const probe = json(`[ordered]@{
      dsregcmd = & (Get-Module BitLockerKeyBackup) { try { $b = Invoke-BkbDsregcmd; [ordered]@{ type = $b.GetType().Name; oem = [Text.Encoding]::GetEncoding(437).GetString($b); utf16 = [Text.Encoding]::Unicode.GetString($b) } } catch { "$_" } }
      elevated = & (Get-Module BitLockerKeyBackup) { Test-BkbElevated }
      edition = $(try { Get-ItemPropertyValue -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -Name EditionID -ErrorAction Stop } catch { 'none' })
      module = [bool](Get-Module -ListAvailable -Name BitLocker)
      computer = Get-CimInstance -ClassName Win32_ComputerSystem | Select-Object Name, PartOfDomain, Domain
    }`);
    type Probe = { dsregcmd: { type: string; oem: string; utf16: string } };
    const [a, b, c] = [pwsh(oem.file, [probe]), pwsh(utf16.file, [probe]), pwsh(hangs.file, [probe])] as Probe[];
    expect(a!.dsregcmd.type).toBe('Byte[]');
    expect(a!.dsregcmd.oem).toMatch(/^\+-{70}\+\r\n\| Device State {57}\|/);
    expect(a!.dsregcmd.oem).toContain('\r\n             AzureAdJoined : NO\r\n');
    expect(a!.dsregcmd.oem).toContain('\r\n                TenantName : Fabrikam Bücher & Söhne\r\n');
    expect(a!.dsregcmd.oem).toContain('\r\n           WorkplaceJoined : YES\r\n');
    expect(a).toMatchObject({ elevated: true, edition: 'Core', module: true, computer: { Name: 'LAPTOP-3KQ9V7TD', PartOfDomain: false, Domain: 'WORKGROUP' } });
    expect(b!.dsregcmd.utf16).toContain('TenantName : Contoso 🔐 数据\r\n');
    expect(b).toMatchObject({ elevated: false, edition: 'none', module: false });
    expect(c).toMatchObject({ dsregcmd: 'dsregcmd /status did not finish in time.', computer: { PartOfDomain: true, Domain: 'corp.fabrikam.com' } });
  });

  it("throws what Windows' BitLocker cmdlets throw: the HRESULT's exception, and a bare error for AD policy", () => {
    const notJoined = quirks();
    const policy = quirks({ activeDirectory: { policyForbids: true } }, { domainJoined: true, domainName: 'corp.fabrikam.com' });
    const backup = (cmdlet: string) =>
      `try { ${cmdlet} -MountPoint C: -KeyProtectorId '${C_RECOVERY}' -ErrorAction Stop | Out-Null; 'ok' } catch { $_.Exception.GetType().Name + ' 0x{0:X8} ' -f $_.Exception.HResult + $_.Exception.Message }`;
    const probe = json(`@($(${backup('BackupToAAD-BitLockerKeyProtector')}), $(${backup('Backup-BitLockerKeyProtector')}))`);
    expect(pwsh(notJoined.file, [probe])).toEqual([
      'COMException 0x801C0450 Exception from HRESULT: 0x801C0450',
      'COMException 0x8007054B The specified domain either does not exist or could not be contacted. (Exception from HRESULT: 0x8007054B)',
    ]);
    expect((pwsh(policy.file, [probe]) as string[])[1]).toMatch(/^WriteErrorException 0x8013\w{4} Group Policy settings do not permit/);
  });

  it('maps drives with a root folder (and mapped network drives) to PowerShell drives while they are unlocked and plugged in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-fake-windows-'));
    const roots = { F: join(dir, 'F'), E: join(dir, 'E'), share: join(dir, 'share') };
    Object.values(roots).forEach((root) => mkdirSync(root));
    writeFileSync(join(roots.F, 'already.txt'), 'x');
    const home = JSON.parse(readFileSync(shippedScenario('home-pc'), 'utf8'));
    const computer = { ...home.computer, networkShares: [{ root: roots.share, unc: '\\\\files\\keys', driveLetter: 'Z:' }] };
    const file = variantOf(shippedScenario('home-pc'), { computer }, dir, { 'F:': roots.F, 'E:': roots.E });
    const answer = pwsh(file, [
      json(`[ordered]@{
        f = Test-Path -LiteralPath 'F:\\already.txt'; e = Test-Path -LiteralPath 'E:\\'; root = Convert-Path -LiteralPath 'F:\\'
        z = Get-CimInstance -ClassName Win32_LogicalDisk -Filter "DeviceID='Z:'" | Select-Object DeviceID, DriveType, ProviderName
        shareVolume = Get-Volume -FilePath '${roots.share}' | Select-Object DriveLetter, DriveType
        onF = (Get-Volume -FilePath '${roots.F}').DriveLetter
        nowhere = @(Get-Volume -FilePath '${dir}' -ErrorAction SilentlyContinue).Count
      }`),
    ]);
    expect(answer).toEqual({
      f: true, e: false, root: `${roots.F}/`,
      z: { DeviceID: 'Z:', DriveType: 4, ProviderName: '\\\\files\\keys' },
      shareVolume: { DriveLetter: 'Z', DriveType: 4 },
      onF: 'F',
      nowhere: 0,
    });
  });
});
