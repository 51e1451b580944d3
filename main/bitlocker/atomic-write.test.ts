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
    await writeFileAtomically(target, BYTES, { replace: false, verify: (bytes) => ((readBack = bytes), true), fs });
    expect((await nodeFs.readFile(target)).equals(BYTES)).toBe(true);
    expect(readBack?.equals(BYTES)).toBe(true);
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
