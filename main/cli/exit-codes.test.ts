import { describe, expect, it } from 'vitest';
import type { KeyBackupStatusT, KeyStatusReportT } from '../../preload/contract';
import { EXIT_CODES, exitForError, exitForStatus } from './exit-codes';

const key = (overrides: Partial<KeyBackupStatusT>): KeyBackupStatusT => ({
  keyProtectorId: '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}',
  createdAt: null,
  windows: [],
  app: [],
  summary: 'backedUp',
  inDirectory: false,
  ...overrides,
});
const report = (directory: KeyStatusReportT['directory'], keys: KeyBackupStatusT[]): KeyStatusReportT => ({
  drives: [{ mountPoint: 'C:', keys, removedKeys: [] }],
  warnings: [],
  logStartsAt: null,
  directory,
});

describe('exitForStatus', () => {
  it('with a directory: 1 while any key is not in it (even one saved to a file), 0 when all are', () => {
    expect(exitForStatus(report('entra', [key({ inDirectory: true }), key({ inDirectory: false, summary: 'backedUp' })]))).toBe('actionNeeded');
    expect(exitForStatus(report('entra', [key({ inDirectory: true })]))).toBe('ok');
  });

  it('without one: 1 for a key known not to be backed up, 2 when only unknown ones remain, never 0 for unknown', () => {
    expect(exitForStatus(report(null, [key({ summary: 'notBackedUp' }), key({ summary: 'unknown' })]))).toBe('actionNeeded');
    expect(exitForStatus(report(null, [key({ summary: 'unknown' }), key({ summary: 'backedUp' })]))).toBe('unknown');
    expect(exitForStatus(report(null, [key({ summary: 'backedUp' })]))).toBe('ok');
  });
});

describe('exit codes', () => {
  it('keep 0, 1 and 2 for the Intune convention and give every other code its own number', () => {
    expect([EXIT_CODES.ok.code, EXIT_CODES.actionNeeded.code, EXIT_CODES.unknown.code]).toEqual([0, 1, 2]);
    const codes = Object.values(EXIT_CODES).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('name what stopped a command', () => {
    expect(exitForError('NotElevated')).toBe('notElevated');
    expect(exitForError('ConstrainedLanguage')).toBe('powerShell');
    expect(exitForError('PolicyForbids')).toBe('policyForbids');
    expect(exitForError('VolumeLocked')).toBe('driveUnavailable');
    expect(exitForError('EntraNotJoined')).toBe('noDirectory');
    expect(exitForError('WriteFailed')).toBe('failed');
    expect(exitForError('Internal')).toBe('internal');
  });
});
