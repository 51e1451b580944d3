/**
 * The one line a new session runs before any module call: quiet progress/warning streams (they would land
 * on stderr and fail the call), stop on errors, UTF-8 output (labels such as "Données-数据"), and the
 * module imported from a path handed over in the environment, so no path text is ever spliced into a command.
 */
export const MODULE_PATH_ENV = 'BKB_MODULE_PATH';

export const STARTUP_COMMAND =
  "$ProgressPreference='SilentlyContinue'; $WarningPreference='SilentlyContinue'; $InformationPreference='SilentlyContinue'; " +
  "$ErrorActionPreference='Stop'; [Console]::OutputEncoding=[Text.Encoding]::UTF8; " +
  'Import-Module -Name $env:BKB_MODULE_PATH -DisableNameChecking -Force';

/** Arguments for powershell.exe; node-powershell adds -NoLogo -NoExit -Command - itself. */
export const EXECUTABLE_OPTIONS = {
  '-NoProfile': true,
  '-NonInteractive': true,
  '-ExecutionPolicy': 'Bypass',
} as const;
