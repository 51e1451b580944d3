import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, readRendererFile, serveRendererFile } from './protocol';
import { CONTENT_SECURITY_POLICY } from './security/csp';

const root = mkdtempSync(join(tmpdir(), 'bkb-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'void 0');
writeFileSync(join(root, 'secret.txt'), 'outside');

describe('renderer files', () => {
  it('serves files inside the renderer folder with the CSP', async () => {
    const file = await readRendererFile(rendererDir, '/assets/app.js');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(file.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(file.body?.toString()).toBe('void 0');
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/missing.js', '/'])('refuses %s', async (path) => {
    expect((await readRendererFile(rendererDir, path)).status).toBe(404);
  });

  it('answers 400 to a malformed escape instead of throwing', async () => {
    expect((await readRendererFile(rendererDir, '/%E0%A4%A')).status).toBe(400);
    expect((await serveRendererFile(rendererDir, 'app://bitlocker/%E0%A4%A')).status).toBe(400);
  });

  it('the window loads the app origin’s index.html', () => {
    expect(APP_ENTRY_URL).toBe('app://bitlocker/index.html');
  });

  it('answers only for the app origin', async () => {
    expect((await serveRendererFile(rendererDir, 'app://bitlocker/index.html')).status).toBe(200);
    expect((await serveRendererFile(rendererDir, 'app://other/index.html')).status).toBe(404);
  });

  it('keeps scripts strict and forbids every connection', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
  });
});
