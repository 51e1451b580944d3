// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, StrykerJS): small, realistic faults are put into the security- and
 * backup-critical code one at a time, and each must make a unit test fail. Too slow for every CI run on two
 * cores, so .github/workflows/mutation.yml runs it weekly, and it is run by hand before a release.
 *
 * Two passes, each file in one of them:
 * - this one: the code, against the Node-side unit tests that exercise it (tests/mutation/vitest.code.config.ts;
 *   only the tests covering a mutant run for it);
 * - stryker.static.config.mjs: the files built mostly when their module loads (the contract's schemas, the CSP,
 *   the recovery-password tables…). Such "static" mutants need every test re-run with the module re-loaded, so that
 *   pass runs a fast, focused set.
 * Module-level mutants of the files here would each need every test (~100 s on two cores): they are reported as
 * ignored (`ignoreStatic`).
 */
/** The files stryker.static.config.mjs mutates (kept here so that config can import this one). */
export const STATIC_FILES = [
  'preload/contract.ts',
  'main/security/csp.ts',
  'main/security/redact.ts',
  'main/security/origin.ts',
  'main/bitlocker/key-file.ts',
  'main/bitlocker/recovery-password.ts',
  'main/ipc/register.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Which tests run: tests/mutation/vitest.code.config.ts (the Node-side unit tests of this code).
  vitest: { configFile: 'tests/mutation/vitest.code.config.ts', related: true },
  // Mutants that don't compile are discarded before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // With the static pass's files: main/bitlocker, main/security, main/ipc, main/powershell/session.ts, preload/contract.ts.
  mutate: ['main/bitlocker/**/*.ts', 'main/security/**/*.ts', 'main/ipc/**/*.ts', 'main/powershell/session.ts', '!**/*.test.ts', ...STATIC_FILES.map((f) => `!${f}`)],
  ignoreStatic: true,
  ignorePatterns: ['.stryker-tmp-static', 'out', 'e2e-output', 'test-results', 'reports', 'docs/screenshots', 'tools/pester/packages', 'tools/pester/obj', 'tools/modules'],
  // Two cores: one test runner beside the type checker. CI may raise it (--concurrency).
  concurrency: 1,
  // Tests spawn PowerShell hosts and wait for events: give a slow mutant room before calling it a timeout.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  thresholds: { high: 85, low: 70, break: 70 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

export default config;
