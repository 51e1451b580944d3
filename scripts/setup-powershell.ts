/**
 * Restores the project's PowerShell tooling from NuGet: pwsh (local tool manifest, `dotnet tool restore`) and
 * Pester (tools/pester/restore.csproj), then links Pester into tools/modules, the folder tests put on
 * PSModulePath. Run by .ci/run and by `npm run test:pester` when something is missing; cheap when cached.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MODULES_DIR, PESTER_PACKAGES, REPO_ROOT } from '../tests/support/powershell';

const run = (args: string[]) => execFileSync('dotnet', args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });

run(['tool', 'restore']);
run(['restore', join('tools', 'pester', 'restore.csproj'), '--packages', PESTER_PACKAGES]);

const versions = readdirSync(join(PESTER_PACKAGES, 'pester'));
if (versions.length !== 1) throw new Error(`expected one restored Pester version, found: ${versions.join(', ')}`);
const pester = join(PESTER_PACKAGES, 'pester', versions[0]!, 'tools');
const link = join(MODULES_DIR, 'Pester');
mkdirSync(MODULES_DIR, { recursive: true });
rmSync(link, { recursive: true, force: true });
// A folder named after the module, holding its manifest: what PowerShell looks for on PSModulePath.
symlinkSync(relative(MODULES_DIR, pester), link, 'dir');
if (!existsSync(join(link, 'Pester.psd1'))) throw new Error(`no Pester.psd1 under ${pester}`);
console.log(`PowerShell tooling ready: pwsh from .config/dotnet-tools.json, Pester ${versions[0]} in ${relative(REPO_ROOT, link)}`);
