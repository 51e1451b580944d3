import { AppFailure } from '../errors';

/** Each group is a 16-bit value times 11 (bitlocker.md §4), so it is below 65536 × 11. */
const GROUP_LIMIT = 65_536 * 11;
const HYPHENATED = /^\d{6}(?:-\d{6}){7}$/;
/** One hyphen or one space between groups: the same shapes redact() masks, so whatever we accept is also hidden. */
const TYPED = /^\d{6}(?:[- ]\d{6}){7}$/;

/** True for the canonical form Windows prints: 8 hyphen-joined groups of 6 digits, each passing the checksum. */
export function isValidRecoveryPassword(text: string): boolean {
  return HYPHENATED.test(text) && text.split('-').every((group) => Number(group) % 11 === 0 && Number(group) < GROUP_LIMIT);
}

/** A recovery password as a person typed or pasted it, in canonical hyphenated form; null if it isn't a valid one. */
export function normalizeRecoveryPassword(input: string): string | null {
  const trimmed = input.trim();
  if (!TYPED.test(trimmed)) return null;
  const hyphenated = trimmed.replaceAll(' ', '-');
  return isValidRecoveryPassword(hyphenated) ? hyphenated : null;
}

/** Refuses to write or print a key that fails the checksum; the message never repeats the key. */
export function assertValidRecoveryPassword(text: string): void {
  if (!isValidRecoveryPassword(text)) {
    throw new AppFailure('InvalidRecoveryPassword', "This recovery key isn't valid: one of its groups fails the checksum or the format is wrong.");
  }
}
