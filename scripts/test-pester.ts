/**
 * npm run test:pester: the module's Pester suite (main/powershell/tests) under the project's own pwsh.
 * Keeps the results as NUnit XML in test-results/pester.xml and fails on any failed test. Without pwsh it
 * skips with one line, except under CI=true, where a missing pwsh is a failure: CI must prove the module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findPwsh, pwshMissingReason, REPO_ROOT, testModulePath } from '../tests/support/powershell';

const RESULTS = join(REPO_ROOT, 'test-results', 'pester.xml');

if (!findPwsh()) {
  // Restoring is cheap when cached and needs only the .NET SDK; try before giving up.
  try {
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'setup-powershell.ts')], { stdio: 'inherit', cwd: REPO_ROOT });
  } catch {
    // reported below
  }
}
const pwsh = findPwsh();
if (!pwsh) {
  const reason = pwshMissingReason();
  if (process.env.CI === 'true') {
    console.error(`Pester: FAILED: ${reason}`);
    process.exit(1);
  }
  console.log(`Pester: skipped: ${reason}`);
  process.exit(0);
}

mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
// The paths reach PowerShell as environment data, never spliced into the command text.
const command = [
  "$ErrorActionPreference = 'Stop'",
  'Import-Module -Name Pester -MinimumVersion 5.7 -MaximumVersion 5.99',
  '$config = New-PesterConfiguration',
  '$config.Run.Path = $env:BKB_PESTER_PATH',
  '$config.Run.PassThru = $true',
  "$config.Output.Verbosity = 'Detailed'",
  '$config.TestResult.Enabled = $true',
  "$config.TestResult.OutputFormat = 'NUnitXml'",
  '$config.TestResult.OutputPath = $env:BKB_PESTER_RESULTS',
  '$result = Invoke-Pester -Configuration $config',
  "Write-Host ('Pester: {0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $result.FailedCount, $result.SkippedCount)",
  'if ($result.Result -ne "Passed") { exit 1 }',
].join('; ');

const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    PSModulePath: testModulePath(),
    BKB_PESTER_PATH: join(REPO_ROOT, 'main', 'powershell', 'tests'),
    BKB_PESTER_RESULTS: RESULTS,
  },
});
console.log(`Pester results: ${RESULTS}`);
process.exit(run.status ?? 1);
