/**
 * What Get-BkbEnvironment reports of the PC's join state, as the module reads it from `dsregcmd /status` (and,
 * when dsregcmd hangs, from Win32_ComputerSystem, which knows the AD domain but nothing of Entra ID).
 */
import { dotnetTrim } from './requests';
import type { ScenarioT } from './scenario';

/** Text as the module keeps a value it reads: trimmed (as .NET trims), null when nothing is left. */
export function optionalText(text: string | null): string | null {
  const value = text === null ? '' : dotnetTrim(text);
  return value === '' ? null : value;
}

/** A `Name : value` line of dsregcmd's output as the module reads it: its first line only, trimmed. */
export const dsregcmdValue = (text: string | null): string | null => optionalText(text === null ? null : text.split('\n')[0]!);

export function joinState(computer: ScenarioT['computer']) {
  const domainName = computer.domainJoined ? computer.domainName : null;
  if (computer.dsregcmdHangs) {
    return { entraJoined: null, domainJoined: computer.domainJoined, domainName: optionalText(domainName), tenantName: null };
  }
  return {
    entraJoined: computer.entraJoined,
    domainJoined: computer.domainJoined,
    domainName: dsregcmdValue(domainName),
    // dsregcmd prints Tenant Details for an Entra-joined PC and for one with a work account registered.
    tenantName: dsregcmdValue(computer.tenantName),
  };
}
