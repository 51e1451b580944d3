import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppLog, LOG_FILE } from './app-log';

const password = '000033-502458-135795-660000-099990-299002-345565-720885';

describe('app log', () => {
  it('writes JSON lines and masks a recovery password in the message and in every field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-log-'));
    const log = createAppLog(dir);
    log.info(`backup of ${password}`, { detail: `key ${password}`, nested: { list: [password.replaceAll('-', ' ')] }, code: 'Ok' });
    log.error('failed', { detail: `stderr said ${password}` });
    await log.close();
    const text = readFileSync(join(dir, LOG_FILE), 'utf8');
    expect(text).not.toMatch(/\d{6}[- ]\d{6}/);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'backup of [recovery password hidden]', code: 'Ok' });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'failed' });
  });

  it('rotates instead of growing without bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-log-'));
    const log = createAppLog(dir);
    const filler = 'x'.repeat(10_000);
    for (let i = 0; i < 800; i++) log.info('filler', { filler, i });
    await log.close();
    const files = readdirSync(dir);
    const archives = files.filter((f) => f !== LOG_FILE && f.endsWith(LOG_FILE));
    expect(files).toContain(LOG_FILE);
    expect(archives.length).toBeGreaterThan(0);
    expect(archives.length).toBeLessThanOrEqual(5);
  });

  it('drops lines written after it closed instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bkb-log-'));
    const log = createAppLog(dir);
    log.info('before');
    await log.close();
    expect(() => log.error('after', { channel: 'volumes:list' })).not.toThrow();
    expect(readFileSync(join(dir, LOG_FILE), 'utf8')).not.toContain('after');
  });
});
