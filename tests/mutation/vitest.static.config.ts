import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

/**
 * The tests Stryker's static pass (stryker.static.config.mjs) runs. Its mutants are mostly built when their module
 * loads, so all of these run for each one: only fast tests that judge those files; no PowerShell host is started.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'preload/contract.test.ts',
      'main/ipc/dispatch.test.ts',
      'main/ipc/dispatch.property.test.ts',
      'main/ipc/register.test.ts',
      'main/ipc/sender.test.ts',
      'main/security/redact.test.ts',
      'main/security/guards.test.ts',
      'main/log/app-log.test.ts',
      'main/protocol.test.ts',
      'main/bitlocker/key-file.test.ts',
      'main/bitlocker/recovery-password.test.ts',
      'main/bitlocker/print-page.test.ts',
      'main/bitlocker/backup-options.test.ts',
      'tests/csp.test.ts',
    ],
  },
});
