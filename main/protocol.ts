import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security/csp';
import { APP_ORIGIN, isAppUrl } from './security/origin';

export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface RendererFile {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/**
 * One file of the built renderer for a URL path, with the CSP on every response. Only files inside the
 * renderer folder are served. Used by the app:// protocol and by the browser test harness alike.
 */
export async function readRendererFile(rendererDir: string, pathname: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape (%E0%A4%A) is a bad request, not a crash of the protocol handler.
    return { status: 400, headers: {}, body: null };
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  const file = join(rendererDir, relative);
  const notFound: RendererFile = { status: 404, headers: {}, body: null };
  if (!file.startsWith(rendererDir + sep)) return notFound;
  try {
    const body = await readFile(file);
    return {
      status: 200,
      headers: {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
      body,
    };
  } catch {
    return notFound;
  }
}

/** protocol.handle's answer for app://bitlocker/… */
export async function serveRendererFile(rendererDir: string, requestUrl: string): Promise<Response> {
  if (!isAppUrl(requestUrl)) return new Response(null, { status: 404 });
  const file = await readRendererFile(rendererDir, new URL(requestUrl).pathname);
  return new Response(file.body ? new Uint8Array(file.body) : null, { status: file.status, headers: file.headers });
}
