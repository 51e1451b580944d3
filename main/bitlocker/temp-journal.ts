/**
 * Where the app has a temporary key file on disk right now. A crash, a power cut or a pulled stick between
 * the temp write and the rename would otherwise leave `.<name>.<hex>.tmp`, with the whole key in it, on a
 * stick or share, unseen. The journal (paths only, never a key) is written before the temp file exists and
 * cleared once it is gone; at the next start the app removes whatever it lists and tells the user.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';

export interface TempJournal {
  add(path: string): void;
  remove(path: string): void;
}

/** Only names this app gives its temp files are ever deleted from the journal's list. */
const TEMP_NAME = /^\..+\.[0-9a-f]{16}\.tmp$/;
const Entries = z.array(z.string().min(1)).max(1000);

export interface Cleanup {
  removed: string[];
  /** Still there: the drive is not plugged in, or the file could not be deleted. Tried again next start. */
  remaining: string[];
}

export function fileJournal(file: string): TempJournal & { cleanUp(): Cleanup } {
  const read = (): string[] => {
    try {
      const parsed = Entries.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  };
  const write = (entries: string[]) => {
    // Written whole beside itself and renamed, so a crash mid-write cannot lose the entries already there.
    writeFileSync(`${file}.new`, JSON.stringify(entries), { mode: 0o600 });
    renameSync(`${file}.new`, file);
  };
  return {
    add(path) {
      write([...read().filter((p) => p !== path), path]);
    },
    remove(path) {
      write(read().filter((p) => p !== path));
    },
    cleanUp() {
      const removed: string[] = [];
      const remaining: string[] = [];
      for (const path of read()) {
        if (!TEMP_NAME.test(basename(path))) continue;
        try {
          unlinkSync(path);
          removed.push(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') remaining.push(path);
        }
      }
      write(remaining);
      return { removed, remaining };
    },
  };
}
