import type { VolumeT } from '../../preload/contract';
import type { PowerShellSession } from '../powershell/session';

/** Volumes in drive-letter order, as the module reports them (never with recovery passwords). */
export async function listVolumes(session: PowerShellSession): Promise<VolumeT[]> {
  const { volumes } = await session.call('Get-BkbVolumes', {});
  return [...volumes].sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}
