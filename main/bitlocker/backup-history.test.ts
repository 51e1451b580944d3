import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupReportT } from '../../preload/contract';
import { entriesOf, fileHistory, provenBackup } from './backup-history';

const A = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}';
const B = '{D307AC93-88BB-41AC-ABE2-F4E1B72C2641}';
const NOW = new Date('2026-03-02T09:00:00.000Z');

function report(destination: BackupReportT['destination'], outcomes: Partial<BackupReportT['outcomes'][number]>[]): BackupReportT {
  return {
    mountPoint: 'c:',
    destination,
    startedAt: '2026-03-02T08:59:00.000Z',
    outcomes: outcomes.map((o) => ({ keyProtectorId: A, status: 'verified', path: null, event: null, error: null, ...o })),
  };
}

describe('entriesOf', () => {
  it('records the keys that reached their place, with path and time, and nothing for failed, cancelled or unconfirmed ones', () => {
    const entries = entriesOf(
      report('file', [
        { keyProtectorId: A.toLowerCase(), status: 'verified', path: 'E:\\k.TXT' },
        { keyProtectorId: B, status: 'failed', path: 'E:\\b.TXT', error: { code: 'WriteFailed', message: 'no', hresult: null } },
      ]),
      NOW,
    );
    expect(entries).toEqual([{ keyProtectorId: A, mountPoint: 'C:', place: 'file', path: 'E:\\k.TXT', at: NOW.toISOString(), outcome: 'verified' }]);
    expect(entriesOf(report('print', [{ status: 'cancelled' }]), NOW)).toEqual([]);
    expect(entriesOf(report('entra', [{ status: 'sentNotConfirmed' }]), NOW)).toEqual([]);
  });

  it("dates a confirmed escrow by Windows' event, not by the clock", () => {
    const [entry] = entriesOf(report('entra', [{ status: 'confirmed', event: { id: 845, time: '2026-03-02T08:59:30.000Z' } }]), NOW);
    expect(entry).toMatchObject({ place: 'entra', outcome: 'confirmed', at: '2026-03-02T08:59:30.000Z' });
  });
});

describe('provenBackup', () => {
  it('counts a file read back and a confirmed escrow, never a printout', () => {
    const printed = entriesOf(report('print', [{ status: 'printed' }]), NOW);
    expect(provenBackup(printed, A)).toBeNull();
    expect(provenBackup([...printed, ...entriesOf(report('usb', [{ status: 'verified', path: 'E:\\k.TXT' }]), NOW)], A.toLowerCase())).toMatchObject({ place: 'usb' });
    expect(provenBackup(entriesOf(report('activeDirectory', [{ status: 'alreadyPresent' }]), NOW), A)).toMatchObject({ outcome: 'alreadyPresent' });
    expect(provenBackup(entriesOf(report('file', [{ status: 'verified' }]), NOW), B)).toBeNull();
  });
});

describe('fileHistory', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'bkb-history-'));

  it('keeps entries across instances (a restart) and holds nothing that looks like a key', () => {
    const file = join(dir(), 'backup-history.json');
    fileHistory(file).record(report('file', [{ path: 'E:\\k.TXT' }]));
    fileHistory(file).record(report('entra', [{ keyProtectorId: B, status: 'confirmed', event: { id: 845, time: '2026-03-02T08:59:30.000Z' } }]));
    expect(fileHistory(file).entries().map((e) => [e.keyProtectorId, e.place])).toEqual([
      [A, 'file'],
      [B, 'entra'],
    ]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\d{6}-\d{6}/);
  });

  it('reads a missing or damaged file as empty, says so, and replaces it at the next write', () => {
    const file = join(dir(), 'backup-history.json');
    expect(fileHistory(file).entries()).toEqual([]);
    writeFileSync(file, '{"not":"a list"');
    const damaged: string[] = [];
    const history = fileHistory(file, (reason) => damaged.push(reason));
    expect(history.entries()).toEqual([]);
    expect(damaged).toEqual(['the backup history is not valid JSON']);
    history.record(report('file', [{ path: 'E:\\k.TXT' }]));
    expect(fileHistory(file).entries()).toHaveLength(1);
  });

  it('refuses an entry whose fields could carry a key (the schema has no room for one)', () => {
    const file = join(dir(), 'backup-history.json');
    writeFileSync(file, JSON.stringify([{ keyProtectorId: A, mountPoint: 'C:', place: 'file', path: null, at: NOW.toISOString(), outcome: 'verified', recoveryPassword: '000440-249799-223619-263626-375034-667139-257378-230010' }]));
    const damaged: string[] = [];
    expect(fileHistory(file, (r) => damaged.push(r)).entries()).toEqual([]);
    expect(damaged).toEqual(['the backup history does not have the expected shape']);
  });
});
