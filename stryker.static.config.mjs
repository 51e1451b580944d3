// @ts-check
/**
 * The second pass of `npm run test:mutation` (see stryker.config.mjs): the files whose code is mostly built when
 * their module loads — the contract's zod schemas, the CSP, the recovery-password pattern and checksum tables, the
 * key file's text, the app origin, the ForbiddenSender answer. Such "static" mutants need their module re-loaded
 * and every test re-run, so this pass runs only the fast tests that judge these files
 * (tests/mutation/vitest.static.config.ts); no PowerShell host is started.
 */
import base, { STATIC_FILES } from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: STATIC_FILES,
  ignoreStatic: false,
  vitest: { configFile: 'tests/mutation/vitest.static.config.ts', related: true },
  thresholds: { high: 85, low: 70, break: 75 },
  htmlReporter: { fileName: 'reports/mutation/static.html' },
  jsonReporter: { fileName: 'reports/mutation/static.json' },
  tempDirName: '.stryker-tmp-static',
};

export default config;
