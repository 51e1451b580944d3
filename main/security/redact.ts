/**
 * A recovery password is 8 groups of 6 digits, separated by hyphens or spaces (as users type it). Anything
 * that looks like one is masked before text reaches a log, an error or the renderer. Digit lookarounds,
 * not word boundaries, so "a123456-…" is caught too; no newlines as separators, so two keys on two lines
 * are masked as two.
 */
const RECOVERY_PASSWORD = /(?<!\d)\d{6}(?:[- ]\d{6}){7}(?!\d)/g;
export const REDACTED = '[recovery password hidden]';

export function redact(text: string): string {
  return text.replace(RECOVERY_PASSWORD, REDACTED);
}

export function containsRecoveryPassword(text: string): boolean {
  return new RegExp(RECOVERY_PASSWORD.source).test(text);
}
