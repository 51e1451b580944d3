import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { PowerShellSession } from '../powershell/session';
import type { Desktop } from './desktop';
import type { FileTarget } from './file-choices';
import { bareIdentifier, keyFileName } from './key-file';
import { checkPathSyntax, judgeLocation, type PathStyle } from './location-rules';

const pathApi = (style: PathStyle) => (style === 'windows' ? win32 : posix);

/** The PDF's default name: one page set for all chosen keys of the drive. */
export function pdfFileName(keyProtectorIds: readonly string[]): string {
  const first = bareIdentifier(keyProtectorIds[0]!);
  return keyProtectorIds.length === 1 ? `BitLocker Recovery Key ${first}.pdf` : `BitLocker Recovery Keys ${first.slice(0, 8)}.pdf`;
}

/**
 * Checks that a key may be written at `path`: a well-formed absolute path, on a place Windows' wizard
 * allows (asked of the PC itself, so the simulated PC answers from its drives). Throws the refusal.
 */
export async function checkTarget(session: PowerShellSession, style: PathStyle, sourceMountPoint: string, path: string): Promise<void> {
  checkPathSyntax(path, style);
  judgeLocation(await session.call('Get-BkbPathInfo', { path }), sourceMountPoint);
}

/**
 * Asks the user where to save, then checks the place. A text backup writes one file per key: the first
 * where the user chose, the others beside it under Windows' default names. A PDF is one file.
 */
export async function chooseFileTargets(
  deps: { session: PowerShellSession; desktop: Desktop; pathStyle: PathStyle },
  request: { mountPoint: string; keyProtectorIds: readonly string[]; format: 'text' | 'pdf' },
): Promise<FileTarget[] | null> {
  const { keyProtectorIds, format } = request;
  const defaultName = format === 'pdf' ? pdfFileName(keyProtectorIds) : keyFileName(keyProtectorIds[0]!);
  const chosen = await deps.desktop.chooseSavePath({ defaultName, format });
  if (chosen === null) return null;
  await checkTarget(deps.session, deps.pathStyle, request.mountPoint, chosen);
  const folder = pathApi(deps.pathStyle).dirname(chosen);
  const targets =
    format === 'pdf'
      ? [{ keyProtectorId: null, path: chosen }]
      : keyProtectorIds.map((id, index) => ({ keyProtectorId: id, path: index === 0 ? chosen : pathApi(deps.pathStyle).join(folder, keyFileName(id)) }));
  return targets.map((t) => ({ ...t, exists: existsSync(t.path) }));
}

/** Where a USB stick's key file goes: its root, under Windows' default name. */
export async function usbTargetPath(session: PowerShellSession, style: PathStyle, mountPoint: string, keyProtectorId: string): Promise<string> {
  const { path } = await session.call('Get-BkbVolumeRoot', { mountPoint });
  return pathApi(style).join(path, keyFileName(keyProtectorId));
}
