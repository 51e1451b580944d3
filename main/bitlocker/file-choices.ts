/**
 * The Save dialog's answers, kept in main. The renderer gets an opaque token for each answer (and the paths,
 * for display only); a backup names the token, never a path, so a compromised renderer cannot send a key to a
 * place the user did not pick in main's own dialog. A token is good once, for the drive, keys and format it
 * was chosen for, and for a limited time.
 */
import { randomBytes } from 'node:crypto';
import { AppFailure } from '../errors';

export interface FileTarget {
  /** The key this file holds; null for a PDF, which holds every chosen key. */
  keyProtectorId: string | null;
  path: string;
  /** The file was there when the user chose it: only such a file may be replaced, and only with consent. */
  exists: boolean;
}

export interface FileChoice {
  mountPoint: string;
  keyProtectorIds: readonly string[];
  format: 'text' | 'pdf';
  targets: readonly FileTarget[];
}

export interface FileChoices {
  /** Keeps a Save dialog's answer; returns the token that stands for it. */
  remember(choice: FileChoice): string;
  /** The answer for `token`, which is forgotten now whatever happens next. Throws InvalidRequest unless it was chosen for `expected`. */
  take(token: string, expected: Omit<FileChoice, 'targets'>): readonly FileTarget[];
}

/** Long enough to read the confirm page and think; short enough that an old answer does not linger. */
export const CHOICE_LIFETIME_MS = 30 * 60_000;

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id.toUpperCase() === b[i]?.toUpperCase());

export function createFileChoices({ now = Date.now, lifetimeMs = CHOICE_LIFETIME_MS }: { now?: () => number; lifetimeMs?: number } = {}): FileChoices {
  const choices = new Map<string, FileChoice & { expiresAt: number }>();
  const refuse = () => new AppFailure('InvalidRequest', 'This place to save was not chosen for this backup, or was already used. Choose where to save again.');
  return {
    remember(choice) {
      // Answers nobody used are dropped as new ones arrive, so the map cannot grow without bound.
      for (const [token, kept] of choices) if (kept.expiresAt <= now()) choices.delete(token);
      const token = randomBytes(32).toString('base64url');
      choices.set(token, { ...choice, expiresAt: now() + lifetimeMs });
      return token;
    },
    take(token, expected) {
      const choice = choices.get(token);
      choices.delete(token);
      if (choice === undefined || choice.expiresAt <= now()) throw refuse();
      const matches =
        choice.format === expected.format &&
        choice.mountPoint.toUpperCase() === expected.mountPoint.toUpperCase() &&
        sameIds(choice.keyProtectorIds, expected.keyProtectorIds);
      if (!matches) throw refuse();
      return choice.targets;
    },
  };
}
