import type { EnvironmentT } from '../../preload/contract';
import type { PowerShellSession } from '../powershell/session';

export interface RuntimeFacts {
  simulated: boolean;
  scenarioName: string | null;
}

/** The PC as the module reports it, plus whether it is the simulated one. */
export async function readEnvironment(session: PowerShellSession, runtime: RuntimeFacts): Promise<EnvironmentT> {
  const { powerShellVersion: _version, ...pc } = await session.call('Get-BkbEnvironment', {});
  return { ...pc, simulated: runtime.simulated, scenarioName: runtime.scenarioName };
}
