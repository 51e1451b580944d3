/**
 * A recovery password is 8 groups of 6 digits. People and programs write it with hyphens, spaces, tabs,
 * no-break spaces, en or em dashes, dots, line breaks between the groups, or nothing at all; anything shaped
 * like one is masked before text reaches a log, an error or the renderer, and the secret scans look for the
 * same shape. Digit lookarounds, not word boundaries, so "a123456…" is caught too. At most three separator
 * characters between groups ("\r\n", " - "), so two keys on two lines are still two.
 *
 * BitLockerKeyBackup.psm1 masks with this very pattern (`$script:RecoveryPasswordLike`, checked by
 * redact.test.ts): .NET and JavaScript read it alike.
 */
export const RECOVERY_PASSWORD_PATTERN = String.raw`(?<!\d)\d{6}(?:[-\u2010-\u2015.\s]{0,3}\d{6}){7}(?!\d)`;
const RECOVERY_PASSWORD = new RegExp(RECOVERY_PASSWORD_PATTERN, 'g');
export const REDACTED = '[recovery password hidden]';

export function redact(text: string): string {
  return text.replace(RECOVERY_PASSWORD, REDACTED);
}

export function containsRecoveryPassword(text: string): boolean {
  return new RegExp(RECOVERY_PASSWORD_PATTERN).test(text);
}
