import { AppFailure } from '../errors';
import type { ModuleData } from '../powershell/module-api';

export type PathInfo = ModuleData<'Get-BkbPathInfo'>;
/** 'posix' is for the simulated PC on Linux, where the Save dialog returns Linux paths. */
export type PathStyle = 'windows' | 'posix';

/** Windows' longest extended-length path. */
const MAX_PATH_CHARS = 32_767;
/** `\\?\` and `\\.\` reach devices and skip Win32 path normalisation: never a place for a key file. */
const WINDOWS_DEVICE = /^[\\/]{2}[?.][\\/]/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
/** `\\server\share\` followed by the rest of the path. */
const WINDOWS_UNC = /^[\\/]{2}[^\\/]+[\\/][^\\/]+[\\/]/;
/** Not allowed in Windows names; a ':' after the drive would name an alternate data stream. */
const WINDOWS_RESERVED = /[<>:"|?*]/;

function invalid(message: string): never {
  throw new AppFailure('LocationInvalid', message);
}

function hasControlCharacter(path: string): boolean {
  for (const char of path) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** The path's segments after its root (drive or `\\` for UNC, `/` for POSIX); throws unless it is absolute. */
function segmentsAfterRoot(path: string, style: PathStyle): string[] {
  if (style === 'posix') {
    if (!path.startsWith('/')) invalid('Choose a full path that starts with /.');
    return path.slice(1).split('/');
  }
  if (WINDOWS_DEVICE.test(path)) invalid("Device paths such as \\\\?\\ can't be used. Choose a folder on a drive or a network share.");
  if (WINDOWS_DRIVE.test(path)) return path.slice(3).split(/[\\/]/);
  if (WINDOWS_UNC.test(path)) return path.slice(2).split(/[\\/]/);
  return invalid('Choose a full path that starts with a drive letter, such as E:\\, or a network share, such as \\\\server\\share.');
}

/** Throws LocationInvalid unless `path` is an absolute, plain path to a file. Runs before anything touches the disk. */
export function checkPathSyntax(path: string, style: PathStyle): void {
  if (path.length > MAX_PATH_CHARS) invalid('This path is too long.');
  if (hasControlCharacter(path)) invalid('This path contains control characters.');
  const segments = segmentsAfterRoot(path, style);
  if (segments.some((segment) => segment === '.' || segment === '..')) invalid("This path can't contain . or .. folders.");
  if (style === 'windows' && segments.some((segment) => WINDOWS_RESERVED.test(segment))) {
    invalid('This path contains characters Windows does not allow in file names.');
  }
  if (segments.at(-1) === '') invalid('This path has no file name.');
}

const UNKNOWN_LOCATION = "This location isn't on a drive this PC reports. Choose a folder on a USB flash drive or a network location.";

function sameDrive(a: string, b: string): boolean {
  return a.slice(0, 2).toUpperCase() === b.slice(0, 2).toUpperCase();
}

/**
 * Where Windows' wizard lets a recovery key file go (bitlocker.md §3): network locations and unencrypted
 * removable drives, never the drive it unlocks, an encrypted or locked drive, or a fixed drive of this PC.
 */
export function judgeLocation(info: PathInfo, sourceMountPoint: string): void {
  if (info.isNetwork) return;
  if (info.mountPoint === null) {
    throw new AppFailure('LocationUnknown', UNKNOWN_LOCATION);
  }
  if (sameDrive(info.mountPoint, sourceMountPoint)) {
    throw new AppFailure('LocationSameDrive', "A recovery key can't be saved on the drive it unlocks.");
  }
  // A null status is what a locked drive reports: unknown counts as encrypted.
  if (info.volumeStatus !== 'FullyDecrypted' || info.lockStatus === 'Locked') {
    throw new AppFailure('LocationEncrypted', 'Your recovery key cannot be saved to an encrypted drive.');
  }
  switch (info.driveType) {
    case 'OperatingSystem':
    case 'Fixed':
      throw new AppFailure(
        'LocationFixedDrive',
        'Your recovery key cannot be saved to a fixed drive of this PC. Save it to a USB flash drive or a network location.',
      );
    case 'Removable':
      return;
    case null:
      throw new AppFailure('LocationUnknown', UNKNOWN_LOCATION);
  }
}
