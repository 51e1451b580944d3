import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliReport } from '../../preload/contract';
import { REPO_ROOT } from '../../tests/support/scenarios';
import { EXIT_CODES } from './exit-codes';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const headless = readme.slice(readme.indexOf('## Headless mode'), readme.indexOf('## Test'));

describe("the README's headless mode section", () => {
  it('lists exactly the exit codes the app uses, with their meanings', () => {
    const rows = [...headless.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2] }));
    expect(rows).toEqual(Object.values(EXIT_CODES));
  });

  it('shows a status report that the contract accepts', () => {
    const json = /```json\n([\s\S]+?)\n```/.exec(headless)?.[1];
    const report = CliReport.parse(JSON.parse(json ?? 'null'));
    expect(report).toMatchObject({ command: 'status', exitCode: EXIT_CODES.actionNeeded.code, revealed: null });
  });
});
