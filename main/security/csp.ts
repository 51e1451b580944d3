/**
 * The renderer's Content Security Policy, sent as a header by the app:// protocol (index.html carries the same
 * policy in a meta tag). Fluent UI's Griffel injects <style> tags at run time, so styles allow 'unsafe-inline';
 * scripts stay 'self' only, and nothing may connect anywhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same policy for index.html's meta tag, where frame-ancestors is not allowed (the header carries it). */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
