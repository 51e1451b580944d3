import { describe, expect, it } from 'vitest';
import { RECOVERY, RECOVERY_2, TPM, volume } from '../../tests/support/volumes';
import type { HistoryEntryT } from './backup-history';
import { directoryOf, keyStatus, type KeyStatusFacts } from './key-status';

const A = RECOVERY.keyProtectorId;
const B = RECOVERY_2.keyProtectorId.toUpperCase();
const OLD = '{0BF962D1-FFA3-42D4-9B2E-A046EDBD47EE}';

type Event = KeyStatusFacts['events'][number];
const event = (id: number, time: string, keyProtectorId: string | null, mountPoint: string | null = 'C:'): Event => ({ id, time, keyProtectorId, mountPoint });
const saved = (keyProtectorId: string, overrides: Partial<HistoryEntryT> = {}): HistoryEntryT => ({
  keyProtectorId: keyProtectorId.toUpperCase(),
  mountPoint: 'C:',
  place: 'file',
  path: 'E:\\key.TXT',
  at: '2026-03-02T09:00:00.000Z',
  outcome: 'verified',
  ...overrides,
});

function facts(overrides: Partial<KeyStatusFacts> = {}): KeyStatusFacts {
  return {
    volumes: [volume({ keyProtectors: [TPM, RECOVERY, RECOVERY_2] })],
    events: [],
    logStartsAt: '2026-01-01T00:00:00.000Z',
    history: [],
    directory: 'entra',
    ...overrides,
  };
}

const keyOf = (report: ReturnType<typeof keyStatus>, id: string) =>
  report.drives.flatMap((d) => d.keys).find((k) => k.keyProtectorId.toUpperCase() === id.toUpperCase())!;

describe('keyStatus', () => {
  it('lists each recovery password of each drive (never a TPM protector)', () => {
    const report = keyStatus(facts());
    expect(report.drives).toEqual([{ mountPoint: 'C:', keys: [expect.objectContaining({ keyProtectorId: A }), expect.objectContaining({ keyProtectorId: RECOVERY_2.keyProtectorId })], removedKeys: [] }]);
  });

  it('reads where Windows says each key went by ProtectorGUID, newest first, with "already there" for 783 and 830', () => {
    const report = keyStatus(
      facts({
        events: [
          event(845, '2026-02-01T10:00:00.000Z', A),
          event(828, '2026-02-03T10:00:00.000Z', A),
          event(830, '2026-02-04T10:00:00.000Z', A),
          event(783, '2026-02-05T10:00:00.000Z', B),
          event(845, '2026-02-06T10:00:00.000Z', OLD),
        ],
      }),
    );
    expect(keyOf(report, A).windows).toEqual([
      { place: 'microsoftAccount', eventId: 830, at: '2026-02-04T10:00:00.000Z', alreadyPresent: true },
      { place: 'microsoftAccount', eventId: 828, at: '2026-02-03T10:00:00.000Z', alreadyPresent: false },
      { place: 'entra', eventId: 845, at: '2026-02-01T10:00:00.000Z', alreadyPresent: false },
    ]);
    expect(keyOf(report, A).inDirectory).toBe(true);
    expect(keyOf(report, B).windows).toEqual([{ place: 'activeDirectory', eventId: 783, at: '2026-02-05T10:00:00.000Z', alreadyPresent: true }]);
    // The PC is in Entra ID now: an Active Directory copy is not where its organisation looks.
    expect(keyOf(report, B).inDirectory).toBe(false);
    expect(keyOf(keyStatus(facts({ events: [event(783, '2026-02-05T10:00:00.000Z', B)], directory: 'activeDirectory' })), B).inDirectory).toBe(true);
    expect(keyOf(keyStatus(facts({ events: [event(845, '2026-02-05T10:00:00.000Z', B)], directory: null })), B).inDirectory).toBe(false);
  });

  it('never counts an event that names no protector, or a failure, as a backup', () => {
    const report = keyStatus(facts({ events: [event(845, '2026-02-01T10:00:00.000Z', null), event(846, '2026-02-01T10:00:00.000Z', A), event(775, '2026-01-05T00:00:00.000Z', A)] }));
    expect(keyOf(report, A)).toMatchObject({ windows: [], summary: 'notBackedUp', inDirectory: false });
  });

  it('a Microsoft account backup is not the directory', () => {
    expect(keyOf(keyStatus(facts({ events: [event(828, '2026-02-03T10:00:00.000Z', A)] })), A)).toMatchObject({ summary: 'backedUp', inDirectory: false });
  });

  it("shows this app's own saves (file, USB, PDF, print) with path and read-back, but not its escrows (the log has those)", () => {
    const history = [
      saved(A, { place: 'usb', path: 'E:\\BitLocker Recovery Key X.TXT', at: '2026-03-05T09:00:00.000Z' }),
      saved(A, { place: 'print', path: null, outcome: 'printed', at: '2026-03-06T09:00:00.000Z' }),
      saved(A, { place: 'entra', path: null, outcome: 'confirmed', at: '2026-03-07T09:00:00.000Z' }),
    ];
    expect(keyOf(keyStatus(facts({ history })), A).app).toEqual([
      { place: 'print', path: null, at: '2026-03-06T09:00:00.000Z', verified: false },
      { place: 'usb', path: 'E:\\BitLocker Recovery Key X.TXT', at: '2026-03-05T09:00:00.000Z', verified: true },
    ]);
    expect(keyOf(keyStatus(facts({ history })), A).summary).toBe('backedUp');
  });

  it('says "not backed up" only when the log holds the key\'s creation (775), "unknown" otherwise', () => {
    const created = keyStatus(facts({ events: [event(775, '2026-01-05T00:00:00.000Z', A)] }));
    expect(keyOf(created, A)).toMatchObject({ createdAt: '2026-01-05T00:00:00.000Z', summary: 'notBackedUp' });
    expect(keyOf(created, B)).toMatchObject({ createdAt: null, summary: 'unknown' });
    expect(keyOf(keyStatus(facts({ events: [], logStartsAt: null })), A).summary).toBe('unknown');
  });

  it('lists keys this app saved from a drive that the drive no longer has, with when Windows removed them (776)', () => {
    const report = keyStatus(
      facts({
        history: [saved(OLD), saved(A), saved('{11111111-2222-4333-8444-555555555555}', { mountPoint: 'D:' })],
        events: [event(776, '2026-04-01T08:00:00.000Z', OLD)],
      }),
    );
    expect(report.drives[0]!.removedKeys).toEqual([{ keyProtectorId: OLD, removedAt: '2026-04-01T08:00:00.000Z' }]);
  });

  it("keeps the newest of each Windows warning per drive, and drops 869/4106 once a later Microsoft account backup settled it", () => {
    const report = keyStatus(
      facts({
        events: [
          event(4106, '2026-01-10T00:00:00.000Z', null),
          event(4106, '2026-01-12T00:00:00.000Z', null),
          event(869, '2026-01-11T00:00:00.000Z', null, null),
          event(858, '2026-01-13T00:00:00.000Z', null),
        ],
      }),
    );
    expect(report.warnings).toEqual([
      { eventId: 858, at: '2026-01-13T00:00:00.000Z', mountPoint: 'C:' },
      { eventId: 4106, at: '2026-01-12T00:00:00.000Z', mountPoint: 'C:' },
      { eventId: 869, at: '2026-01-11T00:00:00.000Z', mountPoint: null },
    ]);
    const settled = keyStatus(facts({ events: [event(4106, '2026-01-12T00:00:00.000Z', null), event(869, '2026-01-11T00:00:00.000Z', null, null), event(828, '2026-01-20T00:00:00.000Z', A, null)] }));
    expect(settled.warnings).toEqual([]);
    const earlier = keyStatus(facts({ events: [event(828, '2026-01-01T00:00:00.000Z', A), event(4106, '2026-01-12T00:00:00.000Z', null)] }));
    expect(earlier.warnings.map((w) => w.eventId)).toEqual([4106]);
  });
});

describe('directoryOf', () => {
  it('is Entra ID on an Entra-joined or hybrid PC, Active Directory on a domain PC, none otherwise', () => {
    expect(directoryOf({ entraJoined: true, domainJoined: true })).toBe('entra');
    expect(directoryOf({ entraJoined: false, domainJoined: true })).toBe('activeDirectory');
    expect(directoryOf({ entraJoined: null, domainJoined: true })).toBe('activeDirectory');
    expect(directoryOf({ entraJoined: null, domainJoined: false })).toBeNull();
  });
});
