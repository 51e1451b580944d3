import type { strings } from '../strings';
import type { WizardState } from './wizard';

export type Page = 'loading' | 'notElevated' | 'moduleMissing' | 'error' | WizardState['step'];

/** The one full page to show. Before the first load finishes it is the spinner, so the window is never blank. */
export function selectPage(s: WizardState): Page {
  if (s.loading || (s.environment === null && s.error === null)) return 'loading';
  if (s.error?.code === 'NotElevated') return 'notElevated';
  if (s.error?.code === 'BitLockerModuleMissing') return 'moduleMissing';
  if (s.error !== null) return 'error';
  if (s.environment?.elevated === false) return 'notElevated';
  if (s.environment?.bitLockerModule === false) return 'moduleMissing';
  return s.step;
}

/**
 * "Starting PowerShell…" while the session (re)starts, or before anything is known; once the session is
 * ready or the environment has been read, the wait is for the drives.
 */
export function selectLoadingMessage(s: WizardState): keyof typeof strings.loading {
  if (s.session === 'starting' || s.session === 'restarting') return 'startingPowerShell';
  if (s.session === null && s.environment === null) return 'startingPowerShell';
  return 'readingDrives';
}
