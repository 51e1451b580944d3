/**
 * The saved-key checker: finds recovery key files in a folder (Windows' format, which is also this app's) and
 * says of each whether it still unlocks a drive of this PC. Files are read here in main and each buffer is
 * wiped after parsing; the renderer gets names, identifiers and verdicts, never a key.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SavedKeyCheckT, SavedKeyVerdictT, VolumeT } from '../../preload/contract';
import type { PowerShellSession } from '../powershell/session';
import type { HistoryEntryT } from './backup-history';
import { recoveryProtectors } from './backup-options';
import { bareIdentifier, parseKeyFile } from './key-file';
import { KEY_CREATED, KEY_REMOVED } from './key-status';
import { readRecoveryKey } from './recovery-keys';
import { listVolumes } from './volumes';

/** A key file is a few hundred bytes; anything far larger is not one and is not read. */
const MAX_FILE_BYTES = 64 * 1024;
/** Enough for a stick full of keys, small enough that a huge folder cannot stall main. */
const MAX_FILES = 200;
/** The folder and its subfolders one level down: where Windows and helpdesks put key files. */
const MAX_DEPTH = 1;
const KEY_FILE_NAME = /^BitLocker Recovery Key ([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})/i;

/** Text files no larger than a key file can be, found without following links (a junction could loop or leave the stick). */
async function candidateFiles(folder: string): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  let truncated = false;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1);
      if (!entry.isFile() || !/\.txt$/i.test(entry.name)) continue;
      const stat = await lstat(path).catch(() => null);
      if (stat === null || stat.size > MAX_FILE_BYTES) continue;
      if (files.length === MAX_FILES) {
        truncated = true;
        return;
      }
      files.push(path);
    }
  };
  await walk(folder, 0);
  return { files, truncated };
}

/** What the file holds: its identifier and whether its password matches, or why not. */
async function readCandidate(path: string): Promise<{ identifier: string; recoveryPassword: string | null } | null> {
  const bytes = await readFile(path).catch(() => null);
  const parsed = bytes === null ? null : parseKeyFile(bytes);
  bytes?.fill(0);
  if (parsed !== null) return parsed;
  // Named like a key file but not one (damaged, truncated, or unreadable): worth reporting; any other text file is not.
  const named = KEY_FILE_NAME.exec(path.split(/[\\/]/).at(-1)!);
  return named ? { identifier: named[1]!.toUpperCase(), recoveryPassword: null } : null;
}

async function verdictOf(
  session: PowerShellSession,
  volumes: readonly VolumeT[],
  knownHere: ReadonlySet<string>,
  file: { identifier: string; recoveryPassword: string | null },
): Promise<{ verdict: SavedKeyVerdictT; mountPoint: string | null }> {
  const id = `{${file.identifier}}`;
  const volume = volumes.find((v) => recoveryProtectors(v).some((p) => p.keyProtectorId.toUpperCase() === id)) ?? null;
  if (file.recoveryPassword === null) return { verdict: 'unreadable', mountPoint: volume?.mountPoint ?? null };
  if (volume === null) return { verdict: knownHere.has(file.identifier) ? 'stale' : 'otherPc', mountPoint: null };
  // A locked drive's key cannot be read to compare; the identifier is all there is to go on.
  if (volume.lockStatus === 'Locked') return { verdict: 'current', mountPoint: volume.mountPoint };
  const current = await readRecoveryKey(session, volume.mountPoint, id);
  return { verdict: current.recoveryPassword === file.recoveryPassword ? 'current' : 'damaged', mountPoint: volume.mountPoint };
}

/** Identifiers this PC had, bare: saved by this app, or created or removed according to the event log. */
async function knownHere(session: PowerShellSession, history: readonly HistoryEntryT[]): Promise<Set<string>> {
  const { events } = await session.call('Get-BkbKeyHistory', { ids: [KEY_CREATED, KEY_REMOVED] });
  const ids = [...history.map((h) => h.keyProtectorId), ...events.flatMap((e) => (e.keyProtectorId === null ? [] : [e.keyProtectorId]))];
  return new Set(ids.map((id) => bareIdentifier(id)));
}

export async function checkSavedKeys(deps: { session: PowerShellSession; history: readonly HistoryEntryT[] }, folder: string): Promise<SavedKeyCheckT> {
  const volumes = await listVolumes(deps.session);
  const known = await knownHere(deps.session, deps.history);
  const { files, truncated } = await candidateFiles(folder);
  const results: SavedKeyCheckT['files'] = [];
  for (const path of files) {
    const content = await readCandidate(path);
    if (content === null) continue;
    const { verdict, mountPoint } = await verdictOf(deps.session, volumes, known, content);
    results.push({ name: relative(folder, path), keyProtectorId: `{${content.identifier}}`, mountPoint, verdict });
  }
  return { folder, files: results, truncated };
}
