import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../main/security/csp';

// The suite's global setup has just built the app.
const html = readFileSync(join(__dirname, '..', 'out', 'renderer', 'index.html'), 'utf8');
const decode = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const metaPolicy = () => decode(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '');

/**
 * SECURITY.md's policy, directive by directive, written out here rather than derived from csp.ts: every
 * directive with exactly these sources, in any order, and no other directive. A source added anywhere
 * (`script-src 'self' https:`), a directive dropped (falling back to default-src) or added fails.
 */
const EXPECTED: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};
/** Directives a meta tag may not carry (the header does). */
const HEADER_ONLY = ['frame-ancestors'];

/** A policy as the browser reads it: directive names lower-cased, sources split on white space. */
function directives(policy: string): { name: string; sources: string[] }[] {
  return policy
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [name = '', ...sources] = part.split(/\s+/);
      return { name: name.toLowerCase(), sources };
    });
}

describe.each([
  ['the header (app:// protocol)', () => CONTENT_SECURITY_POLICY, Object.keys(EXPECTED)],
  ['the built index.html meta tag', metaPolicy, Object.keys(EXPECTED).filter((d) => !HEADER_ONLY.includes(d))],
])('the CSP of %s', (_where, policy, expectedNames) => {
  it.each(expectedNames)('sets %s exactly', (name) => {
    const found = directives(policy()).filter((d) => d.name === name);
    expect(found, `${name} appears once`).toHaveLength(1);
    expect([...found[0]!.sources].sort()).toEqual([...EXPECTED[name]!].sort());
  });

  it('has no other directive, and none twice', () => {
    const names = directives(policy()).map((d) => d.name);
    expect([...names].sort()).toEqual([...expectedNames].sort());
  });
});

describe('the built index.html', () => {
  it('carries the CSP as its first meta tag, before any script', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta).not.toBeNull();
    expect(decode(meta![1]!)).toBe(META_CONTENT_SECURITY_POLICY);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('has no inline script and loads scripts only from its own folder', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attributes).toMatch(/src="\.\/assets\/[^"]+\.js"/);
    }
  });

  it('is the header policy less frame-ancestors, which a meta tag may not carry', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });
});
