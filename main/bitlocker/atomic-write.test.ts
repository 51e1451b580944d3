import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCodeT } from '../../preload/contract';
import { writeFileAtomically, type FileHandleLike, type FsLike } from './atomic-write';

const realFs: FsLike = nodeFs;
const SECRET = '000033-502458-135795-660000-099990-299002-345565-720885';
const BYTES = Buffer.from(`key file with ${SECRET}\r\n`.repeat(50), 'utf16le');
const accept = (): boolean => true;

const errno = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });
/** The real fs with some calls replaced. */
const fsWith = (overrides: Partial<FsLike>): FsLike => ({ ...realFs, ...overrides });

let folder: string;
let target: string;

beforeEach(async () => {
  folder = await nodeFs.mkdtemp(join(tmpdir(), 'bkb-atomic-'));
  target = join(folder, 'key.txt');
});
afterEach(async () => {
  await nodeFs.rm(folder, { recursive: true, force: true });
});

const entries = (): Promise<string[]> => nodeFs.readdir(folder);
const failure = (code: ErrorCodeT) => expect.objectContaining({ name: 'AppFailure', code, message: expect.not.stringContaining(SECRET) });

describe('writeFileAtomically with the real file system', () => {
  it('writes the bytes, owner-only, through a temp file in the same folder that is then gone', async () => {
    const opened: string[] = [];
    const fs = fsWith({ open: (path, flags, mode) => (opened.push(path), realFs.open(path, flags, mode)) });
    let readBack: Buffer | undefined;
    let seen: Buffer | undefined;
    await writeFileAtomically(target, BYTES, { replace: false, verify: (bytes) => ((readBack = bytes), (seen = Buffer.from(bytes)), true), fs });
    expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    expect(seen?.equals(BYTES)).toBe(true);
    // The read-back buffer held the key: it is wiped once judged.
    expect(readBack?.every((b) => b === 0)).toBe(true);
    expect(await entries()).toEqual(['key.txt']);
    expect(dirname(opened[0] ?? '')).toBe(folder);
    expect(basename(opened[0] ?? '')).toMatch(/^\.key\.txt\.[0-9a-f]{16}\.tmp$/);
    if (process.platform !== 'win32') expect((await nodeFs.stat(target)).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite without replace and leaves the old file untouched', async () => {
    await nodeFs.writeFile(target, 'old');
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept })).rejects.toThrow(failure('FileExists'));
    expect(await nodeFs.readFile(target, 'utf8')).toBe('old');
    expect(await entries()).toEqual(['key.txt']);
  });

  it('replaces the old file with replace', async () => {
    await nodeFs.writeFile(target, 'old');
    await writeFileAtomically(target, BYTES, { replace: true, verify: accept });
    expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    expect(await entries()).toEqual(['key.txt']);
  });

  it('deletes the file and fails with VerifyFailed when the read-back is rejected', async () => {
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: () => false })).rejects.toThrow(failure('VerifyFailed'));
    expect(await entries()).toEqual([]);
  });

  it('reports a missing folder as a removed drive', async () => {
    await nodeFs.rm(folder, { recursive: true });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept })).rejects.toThrow(failure('DriveRemoved'));
  });
});

describe('writeFileAtomically when things fail', () => {
  /** Opens real files whose handle writes the first chunk, then throws `code`: a drive pulled mid-write. */
  const failingMidWrite = (code: string): FsLike =>
    fsWith({
      open: async (path, flags, mode) => {
        const handle = await realFs.open(path, flags, mode);
        let calls = 0;
        const failing: FileHandleLike = {
          write: (buffer, offset, length, position) => {
            calls += 1;
            if (calls > 1) return Promise.reject(errno(code));
            return handle.write(buffer, offset, Math.min(length, 100), position);
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
        return failing;
      },
    });

  it.each<[string, ErrorCodeT]>([
    ['EIO', 'DriveRemoved'],
    ['ENOSPC', 'NotEnoughSpace'],
  ])('a write failing half-way with %s leaves no file, no temp and says %s', async (code, expected) => {
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs: failingMidWrite(code) })).rejects.toThrow(
      failure(expected),
    );
    expect(await entries()).toEqual([]);
  });

  it('a write failing half-way with replace leaves the old file untouched', async () => {
    await nodeFs.writeFile(target, 'old');
    await expect(writeFileAtomically(target, BYTES, { replace: true, verify: accept, fs: failingMidWrite('EIO') })).rejects.toThrow(
      failure('DriveRemoved'),
    );
    expect(await nodeFs.readFile(target, 'utf8')).toBe('old');
    expect(await entries()).toEqual(['key.txt']);
  });

  it.each<[string, ErrorCodeT]>([
    ['ENOENT', 'DriveRemoved'],
    ['ENODEV', 'DriveRemoved'],
    ['ENXIO', 'DriveRemoved'],
    ['EIO', 'DriveRemoved'],
    ['ENOSPC', 'NotEnoughSpace'],
    ['EACCES', 'WriteFailed'],
    ['EPERM', 'WriteFailed'],
    ['EROFS', 'WriteFailed'],
    ['EEXIST', 'FileExists'],
    ['EBUSY', 'WriteFailed'],
  ])('maps %s when opening the temp file to %s', async (code, expected) => {
    const fs = fsWith({ open: () => Promise.reject(errno(code)) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toThrow(failure(expected));
    expect(await entries()).toEqual([]);
  });

  it('says why a location is read-only or forbidden', async () => {
    const fs = fsWith({ open: () => Promise.reject(errno('EROFS')) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toThrow(/read-only|permission/);
  });

  // EISDIR is how Windows' FAT32/exFAT "Incorrect function" reaches Node.
  it.each(['EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS', 'EISDIR'])('falls back to rename when link fails with %s (FAT32)', async (code) => {
    const fs = fsWith({ link: () => Promise.reject(errno(code)) });
    await writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
    expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    expect(await entries()).toEqual(['key.txt']);
  });

  it('still refuses to overwrite on the rename fallback', async () => {
    await nodeFs.writeFile(target, 'old');
    const fs = fsWith({ link: () => Promise.reject(errno('EPERM')) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toThrow(failure('FileExists'));
    expect(await nodeFs.readFile(target, 'utf8')).toBe('old');
    expect(await entries()).toEqual(['key.txt']);
  });

  it('removes the temp file when the final rename fails', async () => {
    const fs = fsWith({ rename: () => Promise.reject(errno('EACCES')) });
    await expect(writeFileAtomically(target, BYTES, { replace: true, verify: accept, fs })).rejects.toThrow(failure('WriteFailed'));
    expect(await entries()).toEqual([]);
  });

  it('removes the final file when it cannot be read back', async () => {
    const fs = fsWith({ readFile: () => Promise.reject(errno('EIO')) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toThrow(failure('DriveRemoved'));
    expect(await entries()).toEqual([]);
  });
});

describe('the temp-file journal', () => {
  it('lists the temp file only while it exists, and keeps it listed when it cannot be deleted', async () => {
    const events: string[] = [];
    const journal = { add: (p: string) => events.push(`add ${basename(p)}`), remove: (p: string) => events.push(`remove ${basename(p)}`) };
    await writeFileAtomically(join(folder, 'ok.txt'), BYTES, { replace: false, verify: () => true, journal });
    expect(events.map((e) => e.replace(/[0-9a-f]{16}/, 'X'))).toEqual(['add .ok.txt.X.tmp', 'remove .ok.txt.X.tmp']);

    events.length = 0;
    // The stick is pulled between the write and the rename: neither the rename nor the clean-up can reach it.
    const pulled = fsWith({
      link: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'EIO' })),
      unlink: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'EIO' })),
    });
    const attempt = writeFileAtomically(join(folder, 'pulled.txt'), BYTES, { replace: false, verify: () => true, fs: pulled, journal });
    await expect(attempt).rejects.toMatchObject({ code: 'DriveRemoved', message: expect.stringContaining('A temporary copy of the recovery key may remain') });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^add \.pulled\.txt\.[0-9a-f]{16}\.tmp$/);
  });
});

describe('writeFileAtomically: what the user is told, and what never happens', () => {
  const REMOVED = "The drive was removed or can't be reached. Nothing was saved.";
  const FULL = "There isn't enough free space for the recovery key file. Nothing was saved.";
  const READ_ONLY = "This location is read-only or you don't have permission to write there. Nothing was saved.";
  const EXISTS = 'A file with this name already exists. Nothing was saved.';
  const OTHER = "The recovery key file couldn't be written. Nothing was saved.";

  it.each<[string, ErrorCodeT, string]>([
    ['ENOENT', 'DriveRemoved', REMOVED],
    ['EIO', 'DriveRemoved', REMOVED],
    ['ENOSPC', 'NotEnoughSpace', FULL],
    ['EDQUOT', 'NotEnoughSpace', FULL],
    ['EACCES', 'WriteFailed', READ_ONLY],
    ['EPERM', 'WriteFailed', READ_ONLY],
    ['EROFS', 'WriteFailed', READ_ONLY],
    ['EEXIST', 'FileExists', EXISTS],
    ['EBUSY', 'WriteFailed', OTHER],
  ])('%s: %s, "%s"', async (code, expected, message) => {
    const fs = fsWith({ open: () => Promise.reject(errno(code)) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toMatchObject({ code: expected, message });
  });

  it('a temp name that already exists is never deleted: only a temp file this call created is removed', async () => {
    const unlinked: string[] = [];
    const fs = fsWith({ open: () => Promise.reject(errno('EEXIST')), unlink: (path) => (unlinked.push(path), realFs.unlink(path)) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toMatchObject({ code: 'FileExists' });
    expect(unlinked).toEqual([]);
  });

  it('writes every byte when the file system takes a few bytes at a time, never past the end of the buffer', async () => {
    const calls: [number, number, number][] = [];
    const fs = fsWith({
      open: async (path, flags, mode) => {
        const handle = await realFs.open(path, flags, mode);
        return {
          write: async (buffer: Buffer, offset: number, length: number, position: number) => {
            calls.push([offset, length, position]);
            if (offset + length > buffer.length) throw new RangeError('past the end of the buffer');
            return handle.write(buffer, offset, Math.min(length, 7), position);
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    });
    await writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
    expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    expect(calls.length).toBe(Math.ceil(BYTES.length / 7));
    expect(calls[1]).toEqual([7, BYTES.length - 7, 7]);
  });

  it.each(['success', 'a failed write'])('closes the temp file exactly once, after %s', async (path) => {
    let closes = 0;
    const fs = fsWith({
      open: async (file, flags, mode) => {
        const handle = await realFs.open(file, flags, mode);
        return {
          write: path === 'success' ? (b: Buffer, o: number, l: number, p: number) => handle.write(b, o, l, p) : () => Promise.reject(errno('EIO')),
          sync: () => handle.sync(),
          close: () => (closes++, handle.close()),
        };
      },
    });
    const writing = writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
    if (path === 'success') await writing;
    else await expect(writing).rejects.toMatchObject({ code: 'DriveRemoved' });
    // The folder is opened too (to sync it) on success; count only the temp file's handle.
    expect(closes).toBe(path === 'success' && process.platform !== 'win32' ? 2 : 1);
  });

  it('a link failure that is not "no hard links here" fails the write instead of renaming over the target', async () => {
    const renamed: string[] = [];
    const fs = fsWith({ link: () => Promise.reject(errno('EIO')), rename: (from, to) => (renamed.push(to), realFs.rename(from, to)) });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toMatchObject({ code: 'DriveRemoved' });
    expect(renamed).toEqual([]);
    expect(await entries()).toEqual([]);
  });

  it('on the rename fallback, a target it cannot check is not overwritten', async () => {
    const renamed: string[] = [];
    const fs = fsWith({
      link: () => Promise.reject(errno('EXDEV')),
      lstat: () => Promise.reject(errno('EACCES')),
      rename: (from, to) => (renamed.push(to), realFs.rename(from, to)),
    });
    await expect(writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs })).rejects.toMatchObject({ code: 'WriteFailed', message: READ_ONLY });
    expect(renamed).toEqual([]);
    expect(await entries()).toEqual([]);
  });

  describe('the folder entry is made durable', () => {
    const recordingFolderSync = () => {
      const events: string[] = [];
      const fs = fsWith({
        open: async (path, flags, mode) => {
          const handle: FileHandleLike = await realFs.open(path, flags, mode);
          if (path !== folder) return handle;
          events.push(`open ${flags}`);
          return {
            write: (b, o, l, p) => handle.write(b, o, l, p),
            sync: () => (events.push('sync'), handle.sync()),
            close: () => (events.push('close'), handle.close()),
          };
        },
        readFile: (path) => (events.push('read back'), realFs.readFile(path)),
      });
      return { fs, events };
    };
    const realPlatform = process.platform;
    afterEach(() => Object.defineProperty(process, 'platform', { value: realPlatform }));

    it('on POSIX: the folder is opened, synced and closed after the rename, before the read-back', async () => {
      Object.defineProperty(process, 'platform', { value: 'linux' });
      const { fs, events } = recordingFolderSync();
      await writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
      expect(events).toEqual(['open r', 'sync', 'close', 'read back']);
    });

    it('on Windows, which cannot open a folder that way, it is not tried', async () => {
      Object.defineProperty(process, 'platform', { value: 'win32' });
      const { fs, events } = recordingFolderSync();
      await writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
      expect(events).toEqual(['read back']);
    });

    it('a folder that refuses to be synced does not fail the write', async () => {
      Object.defineProperty(process, 'platform', { value: 'linux' });
      const fs = fsWith({ open: (path, flags, mode) => (path === folder ? Promise.reject(errno('EINVAL')) : realFs.open(path, flags, mode)) });
      await writeFileAtomically(target, BYTES, { replace: false, verify: accept, fs });
      expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    });
  });
});
