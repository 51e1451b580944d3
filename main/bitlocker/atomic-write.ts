import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../errors';
import type { TempJournal } from './temp-journal';

export interface FileHandleLike {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The part of node:fs/promises this module uses; tests inject a fake to fail a write half-way. */
export interface FsLike {
  open(path: string, flags: string, mode?: number): Promise<FileHandleLike>;
  link(existingPath: string, newPath: string): Promise<void>;
  rename(oldPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  lstat(path: string): Promise<unknown>;
  readFile(path: string): Promise<Buffer>;
}

export interface AtomicWriteOptions {
  replace: boolean;
  /** Judges the bytes read back from the final file; false deletes it and fails with VerifyFailed. */
  verify(readBack: Buffer): boolean;
  fs?: FsLike;
  /** Records the temp file while it exists, so a crash cannot leave it behind unnoticed (temp-journal.ts). */
  journal?: TempJournal;
}

/**
 * link() fails with these where hard links don't exist (FAT32/exFAT sticks, some network shares). On Windows,
 * FAT's ERROR_INVALID_FUNCTION reaches Node as EISDIR (libuv's mapping), so that one counts too.
 */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EISDIR']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const fileExists = (): AppFailure => new AppFailure('FileExists', 'A file with this name already exists. Nothing was saved.');

/** Only the errno code decides the message: no paths, and never the file's contents. */
function toFailure(error: unknown): AppFailure {
  if (error instanceof AppFailure) return error;
  switch (errorCode(error)) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
      return new AppFailure('DriveRemoved', "The drive was removed or can't be reached. Nothing was saved.");
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppFailure('NotEnoughSpace', "There isn't enough free space for the recovery key file. Nothing was saved.");
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppFailure('WriteFailed', "This location is read-only or you don't have permission to write there. Nothing was saved.");
    case 'EEXIST':
      return fileExists();
    default:
      return new AppFailure('WriteFailed', "The recovery key file couldn't be written. Nothing was saved.");
  }
}

async function removeQuietly(fs: FsLike, path: string): Promise<void> {
  await fs.unlink(path).catch(() => undefined);
}

/** True when the temp file is gone (deleted now, or already renamed away). */
async function removeTemp(fs: FsLike, temp: string): Promise<boolean> {
  try {
    await fs.unlink(temp);
    return true;
  } catch (error) {
    return errorCode(error) === 'ENOENT';
  }
}

/** A failure that also left a temp copy of the key behind says so: the user must know where a copy is. */
function withLeftover(failure: AppFailure, tempLeft: boolean): AppFailure {
  if (!tempLeft) return failure;
  return new AppFailure(
    failure.code,
    `${failure.message} A temporary copy of the recovery key may remain in that folder (a hidden file ending in .tmp); BitLocker Key Backup removes it the next time it starts, or delete it yourself.`,
    failure.hresult,
  );
}

async function exists(fs: FsLike, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

async function writeAll(handle: FileHandleLike, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
    written += bytesWritten;
  }
  await handle.sync();
}

/** Publishes the temp file at `path` without ever overwriting: link() is atomic and fails if `path` exists. */
async function publishNoClobber(fs: FsLike, temp: string, path: string): Promise<void> {
  try {
    await fs.link(temp, path);
  } catch (error) {
    if (!LINK_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    // No hard links here: check-then-rename leaves a tiny race window, the best such a file system allows.
    if (await exists(fs, path)) throw fileExists();
    await fs.rename(temp, path);
  }
}

/** Makes the new directory entry durable; POSIX only (Windows can't open a folder this way), and best effort. */
async function syncFolder(fs: FsLike, folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(folder, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some file systems refuse to fsync a directory; the file itself is already synced.
  }
}

async function verifyFinal(fs: FsLike, path: string, verify: (readBack: Buffer) => boolean): Promise<void> {
  let ok: boolean;
  try {
    const readBack = await fs.readFile(path);
    ok = verify(readBack);
    // The read-back holds the key too: no copy of it lingers in memory until the collector gets round to it.
    readBack.fill(0);
  } catch (error) {
    await removeQuietly(fs, path);
    throw toFailure(error);
  }
  if (!ok) {
    await removeQuietly(fs, path);
    throw new AppFailure('VerifyFailed', "The saved file didn't read back correctly, so it was deleted. Try again or choose another location.");
  }
}

/**
 * Writes `bytes` to `path` so that `path` holds either nothing (or its old content) or all of the new bytes:
 * a synced temp file in the same folder, then link (no clobber) or rename (replace), then a read-back check.
 * The temp file never outlives the call.
 */
export async function writeFileAtomically(path: string, bytes: Buffer, options: AtomicWriteOptions): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let created = false;
  let failure: unknown = null;
  options.journal?.add(temp);
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    created = true;
    await writeAll(handle, bytes).finally(() => handle.close());
    if (options.replace) await fs.rename(temp, path);
    else await publishNoClobber(fs, temp, path);
  } catch (error) {
    failure = error;
  }
  // After link the temp is a second name for the file; after rename it is already gone.
  const tempLeft = created && !(await removeTemp(fs, temp));
  if (!tempLeft) options.journal?.remove(temp);
  if (failure !== null) throw withLeftover(toFailure(failure), tempLeft);
  if (tempLeft) throw withLeftover(new AppFailure('WriteFailed', 'The recovery key was saved, but its temporary copy could not be deleted.'), true);
  await syncFolder(fs, folder);
  await verifyFinal(fs, path, options.verify);
}
