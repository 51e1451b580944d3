/**
 * The simulated PC: answers every module function of module-api.ts from the scenario, the way
 * BitLockerKeyBackup.psm1 answers from Windows, and decides which scenario fault hits each call.
 */
import { existsSync } from 'node:fs';
import { moduleFunctions, type ModuleData, type ModuleFunctionName, type ModuleRequest } from '../powershell/module-api';
import { fail, ok, type Envelope, type Failure } from './envelope';
import { queryEvents } from './event-log';
import { activeFault, type FaultAction } from './faults';
import { describeIssues } from './issues';
import { placeOf } from './paths';
import type { ScenarioT, ScenarioVolumeT } from './scenario';
import { applyDueMutations, currentVolumes } from './mutations';
import type { StateStore } from './state';
import { findRecoveryProtector, findVolume, listedVolume } from './volumes';

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
  /** The session's start-up line; `imported` is false when a startup fault made Import-Module fail. */
  startup(): Call & { imported: boolean };
  call(fn: ModuleFunctionName, request: unknown): Call;
};

type Handlers = { [F in ModuleFunctionName]: (request: ModuleRequest<F>) => Envelope<ModuleData<F>> };

export function createMachine(scenario: ScenarioT, store: StateStore, now: () => Date = () => new Date()): Machine {
  const { computer } = scenario;
  // A drive whose folder has gone was unplugged: like Windows, the PC no longer reports it.
  const volumes = () => currentVolumes(scenario.volumes, store.state).filter((v) => v.root === undefined || existsSync(v.root));

  /** Every BitLocker cmdlet needs an elevated process and the BitLocker module. */
  const bitLockerRefusal = (): Failure | null => {
    if (!computer.elevated) return fail('NotElevated', 'Reading BitLocker volumes needs administrator rights.', '0x80041003');
    if (!computer.bitLockerModule) {
      return fail('BitLockerModuleMissing', 'The BitLocker PowerShell module is not available on this edition of Windows.');
    }
    return null;
  };

  /** Backup results reach the event log a little after the cmdlet returns, so the app has to poll. */
  const logEvent = (id: number, volume: ScenarioVolumeT, protectorId: string) =>
    store.update((s) => {
      s.events.push({ id, time: new Date(now().getTime() + scenario.eventDelayMs).toISOString(), mountPoint: volume.mountPoint, protectorId });
    });

  const handlers: Handlers = {
    'Get-BkbEnvironment': () =>
      ok({
        computerName: computer.name,
        elevated: computer.elevated,
        edition: computer.edition,
        entraJoined: computer.entraJoined,
        domainJoined: computer.domainJoined,
        domainName: computer.domainName,
        tenantName: computer.tenantName,
        bitLockerModule: computer.bitLockerModule,
        powerShellVersion: computer.powerShellVersion,
      }),

    'Get-BkbVolumes': () => bitLockerRefusal() ?? ok({ volumes: volumes().map(listedVolume) }),

    'Get-BkbRecoveryPassword': ({ mountPoint, keyProtectorId }) => {
      const found = bitLockerRefusal() ?? findRecoveryProtector(volumes(), mountPoint, keyProtectorId);
      return 'ok' in found ? found : ok({ keyProtectorId: found.keyProtectorId, recoveryPassword: found.recoveryPassword });
    },

    'Get-BkbPathInfo': ({ path }) => {
      const refusal = bitLockerRefusal();
      if (refusal) return refusal;
      const place = placeOf(path, volumes(), computer.networkShares);
      if (!place) return fail('InvalidArgument', 'path: must be an absolute path without ".." segments');
      if (place.kind === 'volume') {
        const { mountPoint, driveType, volumeStatus, protectionStatus, lockStatus } = listedVolume(place.volume);
        return ok({ isNetwork: false, mountPoint, driveType, volumeStatus, protectionStatus, lockStatus });
      }
      return ok({ isNetwork: place.kind === 'network', mountPoint: null, driveType: null, volumeStatus: null, protectionStatus: null, lockStatus: null });
    },

    /** A simulated drive's root is the host folder its `root` names; without one it can't take files. */
    'Get-BkbVolumeRoot': ({ mountPoint }) => {
      const volume = bitLockerRefusal() ?? findVolume(volumes(), mountPoint);
      if ('ok' in volume) return volume;
      if (volume.lockStatus === 'Locked') return fail('VolumeLocked', `${volume.mountPoint} is locked.`, '0x80310000');
      return volume.root ? ok({ path: volume.root }) : fail('VolumeNotFound', `${volume.mountPoint} has no folder on the simulated PC.`, '0x80070003');
    },

    'Backup-BkbToEntra': ({ mountPoint, keyProtectorId }) => {
      const found = bitLockerRefusal() ?? findRecoveryProtector(volumes(), mountPoint, keyProtectorId);
      if ('ok' in found) return found;
      if (!computer.entraJoined) {
        logEvent(846, found.volume, found.keyProtectorId);
        return fail('CmdletFailed', "This device isn't joined to Microsoft Entra ID", '0x801C0450');
      }
      if (!scenario.entra.suppressEvent) logEvent(scenario.entra.failEvent ?? 845, found.volume, found.keyProtectorId);
      return ok({ sentAt: now().toISOString() });
    },

    'Backup-BkbToActiveDirectory': ({ mountPoint, keyProtectorId }) => {
      const found = bitLockerRefusal() ?? findRecoveryProtector(volumes(), mountPoint, keyProtectorId);
      if ('ok' in found) return found;
      const refusal = !computer.domainJoined
        ? fail('CmdletFailed', "This PC isn't joined to a domain", '0x8007054B')
        : scenario.activeDirectory.policyForbids
          ? fail('CmdletFailed', "Group Policy doesn't allow storing recovery information in Active Directory.", '0x00000001')
          : null;
      logEvent(refusal ? 785 : scenario.activeDirectory.alreadyPresent ? 783 : 784, found.volume, found.keyProtectorId);
      return refusal ?? ok({ sentAt: now().toISOString() });
    },

    'Get-BkbBackupEvents': (query) => ok(queryEvents([...scenario.events, ...store.state.events], query, now())),

    /** Stands in for the user in Windows' panel: saving to the Microsoft account logs 828 per recovery password. */
    'Open-BkbBitLockerPanel': ({ mountPoint }) => {
      const { userCompletes, userFails } = scenario.microsoftAccount;
      const volume = findVolume(volumes(), mountPoint);
      if (!('ok' in volume) && (userCompletes || userFails)) {
        volume.keyProtectors
          .filter((p) => p.keyProtectorType === 'RecoveryPassword')
          .forEach((p) => logEvent(userCompletes ? 828 : 829, volume, p.keyProtectorId));
      }
      return ok({ opened: true });
    },

    'Start-BkbElevated': () => ok({ started: true }),
  };

  function run(fn: ModuleFunctionName, request: unknown): Envelope<unknown> {
    const parsed = moduleFunctions[fn].request.safeParse(request);
    if (!parsed.success) return fail('InvalidArgument', `${fn}: ${describeIssues(parsed.error)}`);
    // parsed.data is fn's request type; TypeScript cannot correlate the two through the union.
    return (handlers[fn] as (request: unknown) => Envelope<unknown>)(parsed.data);
  }

  /** Counts the call (persisted, so failTimes holds across host restarts) and picks its fault and latency. */
  function begin(key: ModuleFunctionName | 'startup') {
    const count = (store.state.calls[key] ?? 0) + 1;
    store.update((s) => {
      s.calls[key] = count;
    });
    return { fault: activeFault(scenario.faults[key], count), latencyMs: scenario.latencyMs[key] ?? 0 };
  }

  return {
    startup() {
      const { fault, latencyMs } = begin('startup');
      if (fault?.kind === 'error') {
        return { fault: null, latencyMs, answer: () => ({ stream: 'err', text: `Import-Module : ${fault.message}` }), imported: false };
      }
      return { fault, latencyMs, answer: () => null, imported: true };
    },
    call(fn, request) {
      const { fault, latencyMs } = begin(fn);
      if (fault?.kind === 'error') {
        const envelope = fail(fault.code, fault.message, fault.hresult);
        return { fault: null, latencyMs, answer: () => ({ stream: 'out', text: JSON.stringify(envelope) }) };
      }
      return {
        fault,
        latencyMs,
        answer: () => {
          const envelope = run(fn, request);
          applyDueMutations(scenario.mutations, fn, store);
          return { stream: 'out', text: JSON.stringify(envelope) };
        },
      };
    },
  };
}
