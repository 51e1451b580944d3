/** Where the renderer is served from (main/protocol.ts): the app's own origin. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bitlocker';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * True for URLs on the app's own origin. Compared by scheme and host because Node's URL gives custom
 * schemes the opaque origin "null", which would make an origin comparison refuse everything.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '' && parsed.port === '';
  } catch {
    return false;
  }
}
