import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from './temp-journal';

describe('the temp-file journal', () => {
  it('removes at the next start the temp copies a crash left, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-journal-'));
    const stick = join(dir, 'stick');
    mkdirSync(stick);
    const leftover = join(stick, '.BitLocker Recovery Key X.TXT.0123456789abcdef.tmp');
    const notOurs = join(stick, 'holiday.jpg');
    writeFileSync(leftover, 'key');
    writeFileSync(notOurs, 'photo');
    const journalFile = join(dir, 'pending.json');
    const journal = fileJournal(journalFile);
    journal.add(leftover);
    journal.add(notOurs); // a corrupted or hostile list must not make the app delete other files
    journal.add(join(stick, '.gone.txt.fedcba9876543210.tmp'));

    expect(fileJournal(journalFile).cleanUp()).toEqual({ removed: [leftover], remaining: [] });
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(notOurs)).toBe(true);
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([]);
  });

  it('keeps listing a copy it cannot delete yet (the stick is elsewhere), and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-journal-'));
    const journalFile = join(dir, 'pending.json');
    // A folder stands in for a file that cannot be unlinked.
    const stuck = join(dir, '.key.txt.0123456789abcdef.tmp');
    mkdirSync(stuck);
    fileJournal(journalFile).add(stuck);
    expect(fileJournal(journalFile).cleanUp()).toEqual({ removed: [], remaining: [stuck] });
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([stuck]);
  });

  it('starts empty without a file or with a damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-journal-'));
    expect(fileJournal(join(dir, 'none.json')).cleanUp()).toEqual({ removed: [], remaining: [] });
    writeFileSync(join(dir, 'bad.json'), '{not json');
    expect(fileJournal(join(dir, 'bad.json')).cleanUp()).toEqual({ removed: [], remaining: [] });
  });
});
