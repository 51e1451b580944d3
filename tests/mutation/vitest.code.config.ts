import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

/**
 * The tests Stryker's first pass (stryker.config.mjs) runs: the Node-side unit tests of the mutated code. Not the
 * renderer's or the simulated PC's own tests (they kill nothing there), and not main/index.test.ts, which
 * re-imports the whole main process inside its tests: that would make every module-level mutant look covered
 * by it, and such mutants can only be judged by re-loading the module (the schemas pass does that).
 * Stryker's own `testFiles` option is not used: in StrykerJS 9.6 it stops module-level mutants from being activated.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'main/bitlocker/**/*.test.ts',
      'main/security/**/*.test.ts',
      'main/ipc/**/*.test.ts',
      'main/powershell/session.test.ts',
      'main/powershell/fault-matrix.test.ts',
      'main/log/app-log.test.ts',
      'main/protocol.test.ts',
      'preload/**/*.test.ts',
      'tests/csp.test.ts',
    ],
  },
});
