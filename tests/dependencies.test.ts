import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('runtime dependencies', () => {
  // main/powershell/shell.ts reaches into node-powershell's private fields, and the app runs elevated: an
  // update of any runtime dependency is a reviewed change, never a silent one at install time.
  it.each(Object.entries(pkg.dependencies))('%s is pinned to one exact version (%s)', (_name, version) => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
