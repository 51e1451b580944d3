/**
 * The one line a new session runs before any module call: the module imported from a path handed over in
 * the environment, so no path text is ever spliced into a command. Everything else the session needs (UTF-8
 * output, quiet streams, the language-mode check) happens inside the module, where a managed PC's policy
 * judges it as the module's own (signed) code rather than as a command typed at the prompt.
 */
export const MODULE_PATH_ENV = 'BKB_MODULE_PATH';

/**
 * Set (by a packaged build only, main/runtime.ts) to Windows' own module folder: the module then switches module
 * autoloading off for the session and imports what it calls by full path (Import-BkbSystemModules).
 */
export const SYSTEM_MODULES_ENV = 'BKB_SYSTEM_MODULES';

export const STARTUP_COMMAND = 'Import-Module -Name $env:BKB_MODULE_PATH -DisableNameChecking -Force';

/**
 * Asked only when the import failed: which language mode PowerShell runs in and which execution policy Group
 * Policy sets, so the app can name what blocks it. Fixed text, valid even in Constrained Language Mode.
 */
export const POLICY_PROBE =
  '@{ languageMode = [string]$ExecutionContext.SessionState.LanguageMode; ' +
  'machinePolicy = [string](Get-ExecutionPolicy -Scope MachinePolicy); userPolicy = [string](Get-ExecutionPolicy -Scope UserPolicy) } | ConvertTo-Json -Compress';

/** Arguments for powershell.exe; node-powershell adds -NoLogo -NoExit -Command - itself. */
export const EXECUTABLE_OPTIONS = {
  '-NoProfile': true,
  '-NonInteractive': true,
  '-ExecutionPolicy': 'Bypass',
} as const;
