/**
 * The simulated PC: answers every module function of module-api.ts from the scenario exactly as
 * BitLockerKeyBackup.psm1 answers over that PC's Windows (the differential test holds the two equal, messages
 * included), and decides which scenario fault hits each call.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModuleData, ModuleFunctionName } from '../powershell/module-api';
import { redact } from '../security/redact';
import { fail, ok, type Envelope, type Failure } from './envelope';
import { addedProtectorId } from './added-protectors';
import { auditEvent, auditEventsSince } from './audit-trail';
import { keyHistory, queryEvents } from './event-log';
import { activeFault, type FaultAction } from './faults';
import { joinState, optionalText } from './join-state';
import { hasDriveLetter } from './mount-points';
import { sameName } from './names';
import { placeOf } from './paths';
import { finalPath } from './redirections';
import {
  readArguments,
  readIds,
  readMountPoint,
  readPath,
  isThisComputer,
  readProtectorId,
  readRequest,
  readTime,
  Refusal,
  refuse,
} from './requests';
import { BLOCKING_EXECUTION_POLICIES, type ScenarioT, type ScenarioVolumeT } from './scenario';
import { applyDueMutations, currentVolumes } from './mutations';
import type { StateStore } from './state';
import { listedVolume, recoveryProtector, unlockedVolume, volumeAt } from './volumes';
import texts from './windows-texts.json';

/** Text for one of the host's streams. */
export type Output = { stream: 'out' | 'err'; text: string };

/**
 * One command as the host must play it: the I/O fault to act out (error faults are already turned into
 * the answer), the latency of a normal answer, and the answer itself, computed (with its side effects)
 * only if the fault lets the command run.
 */
export type Call = {
  fault: Exclude<FaultAction, { kind: 'error' }> | null;
  latencyMs: number;
  answer: () => Output | null;
};

export type Machine = {
  /** The session's start-up line; `imported` is false when a policy or a startup fault made Import-Module fail. */
  startup(): Call & { imported: boolean };
  /** The session's POLICY_PROBE line: the language mode and the execution policies Group Policy sets. */
  policyProbe(): Output;
  /** One module call; `request` is the text of its -Request argument (base64 JSON, or whatever arrived). */
  call(fn: ModuleFunctionName, request: string): Call;
};

/** A handler: the module function's request fields, and what it does with them (refusals are thrown). */
type Handler<F extends ModuleFunctionName> = { fields: readonly string[]; run: (body: Record<string, unknown>) => ModuleData<F> };
type Handlers = { [F in ModuleFunctionName]: Handler<F> };

const ACCESS_DENIED = ['0x80041003', '0x80070005'];

/** What ProtectKeyWithNumericalPassword answers under each `policy.recoveryPassword`, in the module's words. */
const RECOVERY_PASSWORD_REFUSALS: Record<ScenarioT['policy']['recoveryPassword'], { message: string; hresult: string } | null> = {
  allowed: null,
  forbidden: { message: 'Group Policy on this PC does not allow recovery passwords. Ask your IT administrator.', hresult: '0x8031005C' },
  forbiddenByFips: {
    message: 'The Group Policy setting that requires FIPS compliance does not allow recovery passwords on this PC. Ask your IT administrator.',
    hresult: '0x80310037',
  },
};

export function createMachine(scenario: ScenarioT, store: StateStore, now: () => Date = () => new Date()): Machine {
  const { computer } = scenario;
  // A drive whose folder has gone was unplugged: like Windows, the PC no longer reports it.
  const volumes = () => currentVolumes(scenario.volumes, store.state).filter((v) => v.root === undefined || existsSync(v.root));

  /** What Windows says when a managed PC's policy stops the module from loading, or null. */
  const policyRefusal = (): string | null => {
    if (computer.languageMode !== 'FullLanguage') {
      return `BitLocker Key Backup's PowerShell module needs Full Language mode, and this PowerShell runs in ${computer.languageMode}.`;
    }
    if ([computer.machinePolicy, computer.userPolicy].some((p) => BLOCKING_EXECUTION_POLICIES.includes(p))) {
      return 'File BitLockerKeyBackup.psm1 cannot be loaded. The file BitLockerKeyBackup.psm1 is not digitally signed. You cannot run this script on the current system.';
    }
    return null;
  };

  /** Assert-BkbBitLockerReady: elevation, then the BitLocker module. */
  const assertBitLockerReady = (activity: string): void => {
    if (!computer.elevated) refuse('NotElevated', `${activity} needs administrator rights.`, '0x80041003');
    if (!computer.bitLockerModule) refuse('BitLockerModuleMissing', 'The BitLocker PowerShell module is not installed on this edition of Windows.');
  };

  /**
   * Backup results reach the event log a little after the cmdlet returns, so the app has to poll; a key protector's
   * creation and removal (775, 776) are logged at once (`delayMs` 0). Failure events such as 829 and 847 name no
   * protector, only the volume.
   */
  const logEvent = (id: number, volume: ScenarioVolumeT, protectorId: string | null, delayMs = scenario.eventDelayMs) =>
    store.update((s) => {
      const time = new Date(now().getTime() + delayMs).toISOString();
      s.events.push(protectorId === null ? { id, time, mountPoint: volume.mountPoint } : { id, time, mountPoint: volume.mountPoint, protectorId });
    });

  /** What a BitLocker cmdlet throws: the module passes its message and HRESULT on (CmdletFailed). */
  const cmdletError = (error: { message: string; hresult?: string }): never => refuse('CmdletFailed', error.message, error.hresult ?? null);

  /** What both backup functions check first (the module's shared preamble): the protector to send, and when. */
  const toSend = (body: Record<string, unknown>) => {
    const mountPoint = readMountPoint(body.mountPoint);
    const keyProtectorId = readProtectorId(body.keyProtectorId);
    assertBitLockerReady('Backing up a recovery password');
    return { found: recoveryProtector(volumes(), mountPoint, keyProtectorId), sentAt: now().toISOString() };
  };

  const handlers: Handlers = {
    'Get-BkbEnvironment': {
      fields: [],
      run: () => ({
        computerName: optionalText(computer.name) ?? computer.name,
        elevated: computer.elevated,
        edition: optionalText(computer.edition),
        ...joinState(computer),
        bitLockerModule: computer.bitLockerModule,
        intuneManaged: computer.intuneManaged,
        powerShellVersion: computer.powerShellVersion,
      }),
    },

    /** Lettered volumes only, sorted by letter, as the module lists them. */
    'Get-BkbVolumes': {
      fields: [],
      run: () => {
        assertBitLockerReady('Reading BitLocker volumes');
        const lettered = volumes().filter((v) => hasDriveLetter(v.mountPoint));
        return { volumes: lettered.map(listedVolume).sort((a, b) => a.mountPoint.localeCompare(b.mountPoint)) };
      },
    },

    'Get-BkbRecoveryPassword': {
      fields: ['mountPoint', 'keyProtectorId'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        const keyProtectorId = readProtectorId(body.keyProtectorId);
        assertBitLockerReady('Reading a recovery password');
        const found = recoveryProtector(volumes(), mountPoint, keyProtectorId);
        return { keyProtectorId, recoveryPassword: found.recoveryPassword };
      },
    },

    'Get-BkbPathInfo': {
      fields: ['path'],
      run: (body) => {
        readPath(body.path);
        const answer = { isNetwork: false, mountPoint: null, driveType: null, volumeStatus: null, protectionStatus: null, lockStatus: null };
        // As Win32_ComputerSystem reports it: the domain when joined, else the workgroup.
        const thisPc = (host: string) => isThisComputer(host, computer.name, computer.domainJoined ? computer.domainName : 'WORKGROUP');
        const landsAt = finalPath(body.path as string, computer, thisPc);
        if (landsAt === null) return answer;
        let kind = readPath(landsAt);
        if (kind.kind === 'unc') {
          if (!thisPc(kind.host)) return { ...answer, isNetwork: true };
          const admin = /^([A-Za-z])\$$/.exec(kind.share);
          if (!admin) return answer;
          kind = { kind: 'letter', mountPoint: `${admin[1]!.toUpperCase()}:` };
        }
        let volume: ScenarioVolumeT | null;
        if (kind.kind === 'letter') {
          // Win32_LogicalDisk knows mapped network drives (DriveType 4) as well as volumes.
          if (computer.networkShares.some((share) => share.driveLetter !== undefined && sameName(share.driveLetter, kind.mountPoint))) {
            return { ...answer, isNetwork: true, mountPoint: kind.mountPoint };
          }
          volume = volumeAt(volumes(), kind.mountPoint);
          if (!volume) return refuse('VolumeNotFound', `There is no drive ${kind.mountPoint} on this PC.`);
        } else {
          const place = placeOf(kind.path, volumes(), computer.networkShares);
          if (place.kind === 'network') return { ...answer, isNetwork: true, mountPoint: place.share.driveLetter?.toUpperCase() ?? null };
          if (place.kind === 'elsewhere' || !hasDriveLetter(place.volume.mountPoint)) return answer;
          volume = place.volume;
        }
        assertBitLockerReady('Checking the drive of a save location');
        const { mountPoint, driveType, volumeStatus, protectionStatus, lockStatus } = listedVolume(volume);
        return { isNetwork: false, mountPoint, driveType, volumeStatus, protectionStatus, lockStatus };
      },
    },

    /** A simulated drive's root is the host folder its `root` names (Convert-Path of its PowerShell drive). */
    'Get-BkbVolumeRoot': {
      fields: ['mountPoint'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        assertBitLockerReady('Finding the root folder of a drive');
        const volume = unlockedVolume(volumes(), mountPoint);
        if (volume.root === undefined) return refuse('VolumeNotFound', `Drive ${mountPoint} cannot be reached.`, '0x80070003');
        return { path: volume.root.endsWith(path.sep) ? volume.root : volume.root + path.sep };
      },
    },

    'Backup-BkbToEntra': {
      fields: ['mountPoint', 'keyProtectorId'],
      run: (body) => {
        const { found, sentAt } = toSend(body);
        if (!computer.entraJoined) {
          logEvent(846, found.volume, found.keyProtectorId);
          return cmdletError(texts.errors.entraNotJoined);
        }
        const id = scenario.entra.failEvent ?? 845;
        // 847 (a service error) names no key protector.
        if (!scenario.entra.suppressEvent) logEvent(id, found.volume, id === 847 ? null : found.keyProtectorId);
        return { sentAt };
      },
    },

    'Backup-BkbToActiveDirectory': {
      fields: ['mountPoint', 'keyProtectorId'],
      run: (body) => {
        const { found, sentAt } = toSend(body);
        if (!computer.domainJoined) {
          logEvent(785, found.volume, found.keyProtectorId);
          return cmdletError(texts.errors.domainUnreachable);
        }
        if (scenario.activeDirectory.policyForbids) {
          // S_FALSE: the cmdlet's bare Write-Error, which the module words itself.
          logEvent(785, found.volume, found.keyProtectorId);
          return refuse('CmdletFailed', 'Group Policy does not allow storing BitLocker recovery information in Active Directory Domain Services.', '0x00000001');
        }
        logEvent(scenario.activeDirectory.alreadyPresent ? 783 : 784, found.volume, found.keyProtectorId);
        return { sentAt };
      },
    },

    'Get-BkbBackupEvents': {
      fields: ['mountPoint', 'keyProtectorId', 'since', 'ids'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        const keyProtectorId = readProtectorId(body.keyProtectorId);
        const since = readTime(body.since);
        const ids = readIds(body.ids, 16);
        return queryEvents([...scenario.events, ...store.state.events], { mountPoint, keyProtectorId, since, ids }, now());
      },
    },

    'Get-BkbKeyHistory': {
      fields: ['ids'],
      run: (body) => keyHistory([...scenario.events, ...store.state.events], readIds(body.ids, 32), now()),
    },

    /**
     * ProtectKeyWithNumericalPassword: Windows generates the password (added-protectors.ts derives it, as the fake
     * Windows does) and logs 775 at once; a policy that forbids recovery passwords refuses with its HRESULT.
     */
    'Add-BkbRecoveryPassword': {
      fields: ['mountPoint'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        assertBitLockerReady('Adding a recovery password');
        const volume = unlockedVolume(volumes(), mountPoint);
        const refusal = RECOVERY_PASSWORD_REFUSALS[scenario.policy.recoveryPassword];
        if (refusal) return refuse('PolicyForbids', refusal.message, refusal.hresult);
        const keyProtectorId = addedProtectorId(volume.mountPoint, store.state.addedProtectors.length + 1);
        store.update((s) => {
          s.addedProtectors.push({ mountPoint: volume.mountPoint, keyProtectorId });
        });
        logEvent(775, volume, keyProtectorId, 0);
        return { keyProtectorId };
      },
    },

    /** DeleteKeyProtector of a recovery password, never the volume's last one; Windows logs 776 at once. */
    'Remove-BkbRecoveryPassword': {
      fields: ['mountPoint', 'keyProtectorId'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        const keyProtectorId = readProtectorId(body.keyProtectorId);
        assertBitLockerReady('Removing a recovery password');
        const found = recoveryProtector(volumes(), mountPoint, keyProtectorId);
        const others = found.volume.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword' && !sameName(p.keyProtectorId, keyProtectorId));
        if (others.length === 0) {
          return refuse('LastRecoveryPassword', `This is the only recovery password of drive ${mountPoint}, so it stays: a drive must always keep one. Add a new one first.`);
        }
        store.update((s) => {
          s.removedProtectors.push(found.keyProtectorId);
        });
        logEvent(776, found.volume, found.keyProtectorId, 0);
        return { removed: true };
      },
    },

    /** Write-EventLog under the app's event source, when the installer registered it (not in the portable build). */
    'Write-BkbAuditEvent': {
      fields: ['action', 'outcome', 'mountPoint', 'keyProtectorIds', 'destination'],
      run: (body) => {
        const entry = auditEvent(body, now());
        if (!computer.auditSourceRegistered) return { written: false };
        store.update((s) => {
          s.auditEvents.push(entry);
        });
        return { written: true };
      },
    },

    'Get-BkbAuditEvents': {
      fields: ['since'],
      run: (body) => {
        const since = readTime(body.since);
        return computer.auditSourceRegistered ? auditEventsSince(store.state.auditEvents, since) : { events: [] };
      },
    },

    /**
     * Opens Windows' BitLocker panel, or on Home (EditionID Core…) Settings' Device encryption page, and stands
     * in for the user there: saving to the Microsoft account logs 828 per recovery password, finding the key
     * already there 830, failing 829 for the volume. (Windows Home has no BitLocker panel, so there the panel
     * would show nothing; the app opens the Device encryption page instead.)
     */
    'Open-BkbBitLockerPanel': {
      fields: ['mountPoint'],
      run: (body) => {
        const mountPoint = readMountPoint(body.mountPoint);
        const edition = optionalText(computer.edition);
        const page = edition?.toUpperCase().startsWith('CORE') ? 'deviceEncryption' : 'bitLockerPanel';
        const { userCompletes, userFails, alreadyPresent } = scenario.microsoftAccount;
        const volume = volumeAt(volumes(), mountPoint);
        if (volume) {
          const recovery = volume.keyProtectors.filter((p) => p.keyProtectorType === 'RecoveryPassword');
          if (userFails) logEvent(829, volume, null);
          else if (userCompletes || alreadyPresent) recovery.forEach((p) => logEvent(userCompletes ? 828 : 830, volume, p.keyProtectorId));
        }
        return { opened: true, page };
      },
    },

    /** The simulated app always finds its own program file; the restart itself is not simulated. */
    'Start-BkbElevated': {
      fields: ['arguments'],
      run: (body) => {
        readArguments(body.arguments);
        return { started: true };
      },
    },
  };

  function run(fn: ModuleFunctionName, request: string): Envelope<unknown> {
    const handler = handlers[fn] as Handler<ModuleFunctionName>;
    try {
      return ok(handler.run(readRequest(request, handler.fields)));
    } catch (error) {
      if (error instanceof Refusal) return error.failure;
      throw error;
    }
  }

  /**
   * An error fault as the module reports it: the exception's text (recovery passwords hidden, whitespace
   * collapsed) and HRESULT; access denied in an unelevated process is NotElevated.
   */
  function faultEnvelope(fault: Extract<FaultAction, { kind: 'error' }>): Failure {
    const message = redact(fault.message).trim().replace(/\s+/g, ' ');
    if (fault.code === 'CmdletFailed' && fault.hresult !== null && ACCESS_DENIED.includes(fault.hresult.toUpperCase().replace('0X', '0x')) && !computer.elevated) {
      return fail('NotElevated', 'This needs administrator rights. Restart BitLocker Key Backup as administrator.', fault.hresult);
    }
    return fail(fault.code, message || 'Windows reported an error without a description.', fault.hresult);
  }

  /**
   * Counts the call (persisted, so failTimes holds across host restarts), applies the mutations an earlier
   * call made due (one whose call crashed the host), and picks its fault and latency.
   */
  function begin(key: ModuleFunctionName | 'startup') {
    if (key !== 'startup') applyDueMutations(scenario.mutations, store);
    const count = (store.state.calls[key] ?? 0) + 1;
    store.update((s) => {
      s.calls[key] = count;
    });
    return { fault: activeFault(scenario.faults[key], count), latencyMs: scenario.latencyMs[key] ?? 0 };
  }

  return {
    startup() {
      const { fault, latencyMs } = begin('startup');
      const refusal = policyRefusal();
      if (refusal) return { fault: null, latencyMs, answer: () => ({ stream: 'err', text: `Import-Module : ${refusal}` }), imported: false };
      if (fault?.kind === 'error') {
        return { fault: null, latencyMs, answer: () => ({ stream: 'err', text: `Import-Module : ${fault.message}` }), imported: false };
      }
      return { fault, latencyMs, answer: () => null, imported: true };
    },
    policyProbe() {
      const { languageMode, machinePolicy, userPolicy } = computer;
      return { stream: 'out', text: JSON.stringify({ languageMode, machinePolicy, userPolicy }) };
    },
    call(fn, request) {
      const { fault, latencyMs } = begin(fn);
      const answered = (envelope: Envelope<unknown>): Output => {
        applyDueMutations(scenario.mutations, store);
        return { stream: 'out', text: JSON.stringify(envelope) };
      };
      if (fault?.kind === 'error') return { fault: null, latencyMs, answer: () => answered(faultEnvelope(fault)) };
      return { fault, latencyMs, answer: () => answered(run(fn, request)) };
    },
  };
}
