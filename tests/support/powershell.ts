/**
 * Where the project's own PowerShell 7 and Pester live once `npm run setup:powershell` has restored them
 * from NuGet (.config/dotnet-tools.json and tools/pester/restore.csproj). Tests, the Pester runner and the
 * benchmark all find them here, so the version is written once: in the tool manifest.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Folder put first on PSModulePath: it holds Pester (a link into the restored NuGet package). */
export const MODULES_DIR = join(REPO_ROOT, 'tools', 'modules');
export const PESTER_PACKAGES = join(REPO_ROOT, 'tools', 'pester', 'packages');

/** The PowerShell version pinned in the local tool manifest. */
export function pinnedPowerShellVersion(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, '.config', 'dotnet-tools.json'), 'utf8')) as {
    tools: Record<string, { version: string }>;
  };
  const tool = manifest.tools['powershell'];
  if (!tool) throw new Error('.config/dotnet-tools.json does not pin the PowerShell tool');
  return tool.version;
}

function nugetPackagesDir(): string {
  return process.env.NUGET_PACKAGES ?? join(homedir(), '.nuget', 'packages');
}

/**
 * The restored pwsh executable (the package's own apphost, so node-powershell can spawn it directly and kill
 * it by pid), or null when `dotnet tool restore` has not run. BKB_PWSH names another pwsh.
 */
export function findPwsh(): string | null {
  if (process.env.BKB_PWSH) return existsSync(process.env.BKB_PWSH) ? process.env.BKB_PWSH : null;
  const tools = join(nugetPackagesDir(), 'powershell', pinnedPowerShellVersion(), 'tools');
  if (!existsSync(tools)) return null;
  for (const framework of readdirSync(tools)) {
    const candidate = join(tools, framework, 'any', process.platform === 'win32' ? 'win' : 'unix', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Why the real-PowerShell tier cannot run here, or null when it can. */
export function pwshMissingReason(): string | null {
  return findPwsh()
    ? null
    : `PowerShell ${pinnedPowerShellVersion()} is not restored: run \`npm run setup:powershell\` (needs the .NET SDK and NuGet).`;
}

/** PSModulePath for test sessions: the project's modules (Pester) first, then pwsh's own. */
export function testModulePath(): string {
  const separator = process.platform === 'win32' ? ';' : ':';
  return [MODULES_DIR, process.env.PSModulePath].filter(Boolean).join(separator);
}
